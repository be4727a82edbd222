"""Earnings and benefit: what each household on benefit is paid this month (Participatiewet rules).

The partner of a couple has the duty to work too (art. 9(3) Pw): they find a job with a monthly
chance that follows the labour market, part-time or full-time, and a part-time job ends like a
recipient's. The benefit is the household's norm (rules/benefit.py: the cost-sharing norm for
the adults in the home, youth norms under 21) minus both partners' earnings, of which a share
is disregarded (inkomstenvrijlating: 25%, at most EUR 269 a month, for 6 months a spell, from
age 27; nothing in a debt arrangement), cut by a sanction in the months it runs
(CALIBRATION.md). A household whose earnings reach its norm leaves benefit: for work when the
recipient's own earnings are the larger part, else on the partner's income. (A full-time job
of the recipient ends the benefit in matching: the model's full-time wages are at or above the
couple norm but in the two lowest-paid sectors, where a one-earner couple's tax credits and
allowances more than make up the gap of about EUR 60.) The amounts
paid make the month's benefit spending; the part of it paid only because the disregard in force
is more generous than the statutory one is tallied apart, as a measure's cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..params import WEEKS_PER_MONTH
from ..population import ON_BENEFIT, PARTNER
from ..rules import benefit
from ..transitions import end_benefit, start_jobs

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month


def earnings_and_benefit(model: LabourModel, now: Month) -> None:
    # on whole columns, kept for the stock's rows only: cheaper than gathering their rows first
    pop, p = model.pop, model.p
    partner_work(model, now)
    earnings = pop.parttime_earnings_eur + pop.partner_earnings_eur
    norm = household_norm(model, slice(None))
    # a household whose earnings reach its norm needs no benefit (the disregard is for those who do)
    enough = ((pop.status == ON_BENEFIT) & (earnings >= norm)).nonzero()[0]
    own = pop.parttime_earnings_eur[enough] >= pop.partner_earnings_eur[enough]
    start_jobs(model, enough[own], pop.parttime_employer[enough[own]])  # the job that is enough
    end_benefit(model, enough[~own], PARTNER)

    is_on = pop.status == ON_BENEFIT
    on = is_on.nonzero()[0]
    kept = household_disregard(model)
    sanctioned = is_on & (pop.sanction_months_left > 0)
    cut = np.where(sanctioned, p.sanction_cut_share, 0.0)
    paid = benefit.benefit_paid(norm, earnings, kept, cut)[on]
    if rule(p) != benefit.STATUTORY_DISREGARD:  # what the same people would be paid under the law's disregard
        by_law = benefit.benefit_paid(norm, earnings, household_disregard(model, statutory=True), cut)
        now.tally["benefit_above_statutory_eur"] += float((paid - by_law[on]).sum())
    pop.disregard_months_used[:] += (kept > 0) & is_on
    pop.benefit_paid_eur[on] = paid
    sanctioned = sanctioned.nonzero()[0]
    pop.sanction_months_left[sanctioned] -= 1
    now.tally["benefit_spending_eur"] += float(paid.sum())
    now.tally["sanctioned_recipients"] += len(sanctioned)


def partner_work(model: LabourModel, now: Month) -> None:
    """The partners of couples on benefit find work with a monthly chance that follows the
    market's vacancies (part-time as often as vacancies are), and a part-time job ends."""
    pop, p, m = model.pop, model.p, model.month
    couples = ((pop.status == ON_BENEFIT) & (pop.household == 2)).nonzero()[0]
    u = model.streams.uniforms("partner_work", m, pop.uid[couples], 3)
    working = pop.partner_earnings_eur[couples] > 0
    ends = working & (pop.partner_earnings_eur[couples] < p.fulltime_net_wage_eur_per_month) & (
        u[:, 0] < p.parttime_job_end_per_month)
    finds = ~working & (u[:, 0] < p.partner_job_finding_per_month * now.market.vacancy_multiplier)
    full = u[:, 1] >= p.vacancy_share_parttime
    hours = p.parttime_hours_per_week_min + (p.parttime_hours_per_week_max - p.parttime_hours_per_week_min) * u[:, 2]
    parttime_wage = hours * WEEKS_PER_MONTH * p.parttime_net_wage_eur_per_hour
    wage = np.where(full, p.fulltime_net_wage_eur_per_month, parttime_wage)
    pop.partner_earnings_eur[couples[ends]] = 0.0
    pop.partner_earnings_eur[couples[finds]] = wage[finds]
    now.tally["partner_jobs_found"] += int(finds.sum())


def household_norm(model: LabourModel, rows: np.ndarray | slice) -> np.ndarray:
    """The monthly norm of each household of ``rows`` (rules/benefit.py: household_norm)."""
    pop, p = model.pop, model.p
    couple = pop.household[rows] == 2
    return benefit.household_norm(
        couple,
        pop.age_years[rows],
        pop.partner_age_years[rows],
        pop.children[rows],
        1 + couple + pop.cost_sharers[rows],
        couple_eur=p.benefit_norm_couple_eur_per_month,
        youth_single_eur=p.benefit_norm_youth_single_eur_per_month,
        youth_couple_eur=(p.benefit_norm_youth_couple_eur_per_month,
                          p.benefit_norm_youth_couple_children_eur_per_month),
        youth_mixed_couple_eur=(p.benefit_norm_mixed_couple_eur_per_month,
                                p.benefit_norm_mixed_couple_children_eur_per_month),
    )


def rule(p) -> dict[str, float]:
    """The earnings disregard in force, in the terms of benefit.STATUTORY_DISREGARD."""
    return {"share": p.disregard_share, "cap_eur": p.disregard_cap_eur_per_month,
            "max_months": p.disregard_max_months, "min_age": p.disregard_min_age_years}


def household_disregard(model: LabourModel, statutory: bool = False) -> np.ndarray:
    """The part of each household's earnings it keeps on top of the benefit: each partner's own
    disregard (they share the household's months of it), for every row."""
    pop = model.pop
    kept = np.zeros(len(pop), dtype=pop.parttime_earnings_eur.dtype)
    for earnings, age in ((pop.parttime_earnings_eur, None), (pop.partner_earnings_eur, pop.partner_age_years)):
        rows = (earnings > 0).nonzero()[0]  # the few who earn: no earnings, nothing kept
        kept[rows] += disregard(model, earnings[rows], rows, statutory, age=age)
    return kept


def disregard(model: LabourModel, earnings: np.ndarray, rows: np.ndarray | slice,
              statutory: bool = False, age: np.ndarray | None = None) -> np.ndarray:
    """The part of ``earnings`` the rows of the population would keep on top of their benefit
    (under the statutory rule rather than the one in force if ``statutory``); ``age``: of whom
    earns them, if not the recipient (the partner)."""
    pop = model.pop
    return benefit.earnings_disregard(
        earnings,
        pop.age_years[rows] if age is None else age[rows],
        pop.disregard_months_used[rows],
        pop.debt_arrangement_months_left[rows] > 0,
        **(benefit.STATUTORY_DISREGARD if statutory else rule(model.p)),
    )
