"""The population at month 0: the caseload on benefit, and the people who left it recently.

The initial stock is drawn with the composition of the preset (synth.py) and months on benefit
before month 0; consultants get equal shares of it; some debtors are already in an arrangement,
and part-time work goes to the more employable. Recent leavers (who left in the follow-up
window before month 0 and are still off benefit) are drawn too, so that returns start from
month 0 as in a running caseload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .params import WEEKS_PER_MONTH
from .population import OBLIGATIONS, OFF_BENEFIT, ON_PARTNER_INCOME, OTHER, PARTNER, UNJUSTIFIED, WORK, barrier_flags
from .processes.benefit_payment import household_norm
from .rules import benefit, exits, jobs
from .synth import draw_initial_stock, draw_new_claimants
from .transitions import open_spells

if TYPE_CHECKING:
    from .model import LabourModel

# Exit shares of the calibrated baseline, for the leavers before month 0 who can come back
RECENT_LEAVER_SHARES = {WORK: 0.42, PARTNER: 0.08, OTHER: 0.11, OBLIGATIONS: 0.06, UNJUSTIFIED: 0.01}


def create_initial_stock(model: LabourModel) -> None:
    """The recipients on benefit at month 0 (uids 0 .. initial_stock - 1)."""
    p, pop = model.p, model.pop
    uids = np.arange(p.initial_stock, dtype=np.int64)
    model.next_uid = p.initial_stock
    people = draw_initial_stock(model.streams, uids, p)
    rows = pop.append(len(uids), {"uid": uids, **people})
    pop.consultant[rows] = rows % len(model.consultants)
    pop.months_with_consultant[rows] = np.minimum(pop.months_on_benefit[rows], 24)
    u = model.streams.uniform("stock:debt_help", -1, uids)
    arranged = pop.debt[rows] & (u < p.stock_share_debtors_in_arrangement)
    pop.debt_arrangement_months_left[rows[arranged]] = 1 + np.floor(
        model.streams.uniform("stock:debt_help_left", -1, uids[arranged]) * p.debt_arrangement_months
    ).astype(np.int16)
    # part-time work at the start goes to the more employable (few barriers, short duration)
    flags = barrier_flags(pop, rows)
    n_barriers = sum(flags.values())
    weight = np.exp(-0.5 * n_barriers) * np.exp(-pop.months_on_benefit[rows] / 120)
    weight /= weight.mean()
    works = model.streams.uniform("stock:parttime", -1, uids) < p.stock_share_with_earnings * weight
    part = rows[works & ~pop.exempt[rows]]
    hours = p.parttime_hours_per_week_min + (
        p.parttime_hours_per_week_max - p.parttime_hours_per_week_min
    ) * model.streams.uniform("stock:hours", -1, pop.uid[part])
    pop.parttime_hours[part] = hours
    pop.parttime_earnings_eur[part] = hours * WEEKS_PER_MONTH * p.parttime_net_wage_eur_per_hour
    pop.parttime_employer[part] = np.floor(
        model.streams.uniform("stock:employer", -1, pop.uid[part]) * len(model.employers)
    ).astype(np.int32)
    pop.disregard_months_used[part] = p.disregard_max_months  # long-standing jobs: disregard used up
    pop.months_since_work[part] = 0
    open_spells(model, rows, start_month=-pop.months_on_benefit[rows].astype(np.int32))


def create_recent_leavers(model: LabourModel) -> None:
    """People who left benefit in the follow-up window before month 0 and are still off it.

    Without them nobody could return in the first months and inflow would start too low.
    Each past month had about one month's inflow of leavers (a stable stock); they leave for
    work, with a partner, for other reasons, for not meeting obligations or an unjustified
    benefit, in the shares of the calibrated baseline (RECENT_LEAVER_SHARES; moving, pension
    and other benefits or incomes never return, so they need no rows), and survive to month 0
    by the model's own job-loss, income and claim hazards.
    """
    p, pop = model.p, model.pop
    k = np.arange(1, p.followup_months + 1)  # months since leaving
    per_month = p.inflow_new_claims_per_month_share * p.initial_stock
    n = int(round(per_month * len(k)))
    uids = np.arange(model.next_uid, model.next_uid + n, dtype=np.int64)
    model.next_uid += n
    people = draw_new_claimants(model.streams, -1, uids, p)
    people.pop("awaited_income_month")  # left already: they wait for nothing
    u = model.streams.uniforms("leaver", -1, uids, 4)  # months ago, reason, survival, employer
    ago = k[np.floor(u[:, 0] * len(k)).astype(np.int64)]
    which = exits.pick_competing(np.tile(list(RECENT_LEAVER_SHARES.values()), (n, 1)), u[:, 1])
    reason = np.where(which >= 0, np.array(list(RECENT_LEAVER_SHARES))[which], -1)
    # chance of still being off benefit at month 0
    tenure_hazard = jobs.job_loss_hazard(
        np.arange(p.followup_months), np.zeros(p.followup_months, bool), np.zeros(p.followup_months, bool),
        base=p.job_loss_per_month, first_year_extra=p.job_loss_first_year_extra_per_month,
        poor_health_multiplier=1.0, low_quality_multiplier=1.0,
    ) * p.return_after_job_loss_share
    # a job cannot end in its start month, and a leaver can come back from the month after leaving
    still_off_work = np.concatenate(([1.0], np.cumprod(1 - tenure_hazard[1:])))[ago - 1]
    # on a partner's income until it ends (those whose income ended before month 0 are left out);
    # on other means for good, or without an income until they claim (job finding left out).
    # The last draw picks a worker's employer, or whether a leaver without income has other means.
    on_partner_income = np.isin(reason, ON_PARTNER_INCOME)
    other_means = np.isin(reason, (OTHER, OBLIGATIONS)) & (u[:, 3] >= p.claim_again_share)
    hazard = np.where(on_partner_income, p.partner_income_ends_per_month, p.claim_without_income_per_month)
    still_off = np.where(reason == WORK, still_off_work, np.where(other_means, 1.0, (1 - hazard) ** (ago - 1)))
    keep = (reason >= 0) & (u[:, 2] < still_off)
    rows = pop.append(int(keep.sum()), {"uid": uids[keep], **{c: v[keep] for c, v in people.items()}})
    ago, reason = ago[keep], reason[keep]
    pop.age_years[rows] += (ago / 12).astype(np.float32)
    pop.status[rows] = OFF_BENEFIT
    pop.exit_month[rows] = -ago
    pop.exit_reason[rows] = reason
    pop.other_income[rows] = (on_partner_income | other_means)[keep]
    pop.unjustified[rows[reason == UNJUSTIFIED]] = False  # found already: that is why they left
    work = rows[reason == WORK]
    employer = np.floor(u[keep][reason == WORK, 3] * len(model.employers)).astype(np.int32)
    pop.employed[work] = True
    pop.job_employer[work] = employer
    pop.job_start_month[work] = -ago[reason == WORK]
    pop.job_wage_eur[work] = model.employers.wage_eur[employer]
    pop.months_since_work[work] = 0


def initial_benefit_eur_per_month(model: LabourModel) -> float:
    """The benefit due to the initial stock in a month: norms minus both partners' earnings, before
    the disregard and sanctions (what the state allocation is set against)."""
    pop = model.pop
    on = pop.on_benefit()
    earnings = pop.parttime_earnings_eur[on] + pop.partner_earnings_eur[on]
    return float(benefit.benefit_paid(household_norm(model, on), earnings, 0.0, 0.0).sum())
