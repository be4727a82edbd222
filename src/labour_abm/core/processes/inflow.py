"""Inflow: earlier leavers come back, and this month's new claims arrive.

In order: leavers whose return month has come (after a job loss, and WW if entitled) come
back; leavers who live on a partner's or an undeclared income lose it with a monthly chance
(a separation, the income stops); leavers without an income (a benefit ended for obligations,
other exits, an income that ended) claim again with a monthly chance, unless they found work
in the months before (they search like recipients: processes/job_search.py, matching.py), so
who comes back, and how soon, follows who they are. All come back as re-entries. The month's
new claims are drawn (a Poisson number around the inflow share of the initial stock, each
claimant a synthetic person keyed by uid): those from WW follow the city's WW recipients whose
WW ends without work (core/labour_market.py, WwPool), those straight from a job follow the
scenario's job losses, the rest stay as they are; measures may deter claims
(``admit_claims``) or mediate claimants into work (``divert_to_work``); the rest and the
returners go on benefit. Leavers followed for
``followup_months`` without coming back leave the model. Sources: the ``inflow_*``,
``partner_income_ends_per_month``, ``claim_*`` and ``bridging_*`` parameters (params.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..population import GONE, OFF_BENEFIT, ON_PARTNER_INCOME, ROUTE_CODE, reason_in
from ..synth import draw_new_claimants
from ..transitions import divert_to_work, enter

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month


def inflow(model: LabourModel, now: Month) -> None:
    pop, m, p = model.pop, model.month, model.p
    off = pop.status == OFF_BENEFIT
    after_job = (off & (pop.return_month == m)).nonzero()[0]
    on_partner_income = (off & pop.other_income & reason_in(pop.exit_reason, ON_PARTNER_INCOME)).nonzero()[0]
    ends = model.streams.uniform("income_ends", m, pop.uid[on_partner_income]) < p.partner_income_ends_per_month
    pop.other_income[on_partner_income[ends]] = False
    pop.partner_earnings_eur[on_partner_income[ends]] = 0.0  # a couple's partner's job was that income
    no_income = pop.without_income()
    claims = no_income[model.streams.uniform("return", m, pop.uid[no_income]) < p.claim_without_income_per_month]
    returners = np.union1d(after_job, claims)
    pop.entry_route[returners] = ROUTE_CODE["reentry"]

    model.ww_pool.advance(now.market.job_loss_multiplier, now.market.vacancy_multiplier)
    shares = claim_routes(model, now)
    expected = p.inflow_new_claims_per_month_share * p.initial_stock * shares.pop("total")
    n = int(model.streams.generator("claims", m).poisson(expected))
    uids = np.arange(model.next_uid, model.next_uid + n, dtype=np.int64)
    model.next_uid += n
    claims = draw_new_claimants(model.streams, m, uids, p, shares)
    filed = np.ones(n, dtype=bool)  # deterred claims are never filed
    to_work = np.zeros(n, dtype=bool)  # mediated into a job before the benefit starts
    for measure in model.hooked["admit_claims"]:
        filed &= measure.admit_claims(model, uids, claims)
    filed_idx = filed.nonzero()[0]
    filed_claims = {k: v[filed_idx] for k, v in claims.items()}
    for measure in model.hooked["divert_to_work"]:  # mediation sees only the claims that are filed
        to_work[filed_idx] |= measure.divert_to_work(model, uids[filed_idx], filed_claims)
    # all filed claims join the table in uid order (rows stay sorted by uid)
    rows = pop.append(len(filed_idx), {"uid": uids[filed_idx], **filed_claims})
    diverted = to_work[filed_idx]
    divert_to_work(model, rows[diverted])  # first: off benefit before caseloads are counted
    enter(model, np.concatenate((returners, rows[~diverted])))
    model.events.add(m, uids[~filed], "claim_diverted", "deterred")
    now.tally["new_claims"] += n
    now.tally["claims_diverted"] += n - int(np.count_nonzero(~diverted))
    now.tally["reentries"] += len(returners)

    off = pop.status == OFF_BENEFIT
    followed_long_enough = off & (pop.return_month < 0) & (m - pop.exit_month >= p.followup_months)
    pop.status[followed_long_enough] = GONE


def claim_routes(model: LabourModel, now: Month) -> dict[str, float]:
    """This month's new claims relative to a stable market (``total``) and the share of each
    route: claims from WW follow the WW recipients whose WW ended without work this month (the
    city's WW pool, already moved on a month), claims straight from a job follow the job losses,
    the rest (from inactivity, school leavers) stay as they are."""
    p = model.p
    ww = p.inflow_share_from_ww * model.ww_pool.claim_multiplier()
    job = p.inflow_share_from_job * now.market.job_loss_multiplier
    total = ww + job + (1.0 - p.inflow_share_from_ww - p.inflow_share_from_job)
    if total <= 0:
        return {"total": 0.0, "ww": 0.0, "job": 0.0, "school": 0.0}
    return {"total": total, "ww": ww / total, "job": job / total, "school": p.inflow_share_from_school / total}
