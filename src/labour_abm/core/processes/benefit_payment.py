"""Earnings and benefit: what each recipient is paid this month (Participatiewet rules).

The benefit is the household's norm minus part-time earnings, of which a share is disregarded
(inkomstenvrijlating: 25%, at most EUR 269 a month, for 6 months a spell, from age 27; nothing
in a debt arrangement), cut by a sanction in the months it runs (rules/benefit.py; CALIBRATION.md).
The amounts paid make the month's benefit spending; the part of it paid only because the
disregard in force is more generous than the statutory one is tallied apart, as a measure's cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..population import ON_BENEFIT
from ..rules import benefit

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month


def earnings_and_benefit(model: LabourModel, now: Month) -> None:
    # on whole columns, kept for the stock's rows only: cheaper than gathering their rows first
    pop, p = model.pop, model.p
    is_on = pop.status == ON_BENEFIT
    on = is_on.nonzero()[0]
    earnings = pop.parttime_earnings_eur
    kept = disregard(model, earnings, slice(None))
    sanctioned = is_on & (pop.sanction_months_left > 0)
    cut = np.where(sanctioned, p.sanction_cut_share, 0.0)
    norm = benefit.benefit_norm(pop.household, p.benefit_norm_single_eur_per_month, p.benefit_norm_couple_eur_per_month)
    paid = benefit.benefit_paid(norm, earnings, kept, cut)[on]
    if rule(p) != benefit.STATUTORY_DISREGARD:  # what the same people would be paid under the law's disregard
        by_law = benefit.benefit_paid(norm, earnings, disregard(model, earnings, slice(None), statutory=True), cut)
        now.tally["benefit_above_statutory_eur"] += float((paid - by_law[on]).sum())
    pop.disregard_months_used[:] += (kept > 0) & is_on
    pop.benefit_paid_eur[on] = paid
    sanctioned = sanctioned.nonzero()[0]
    pop.sanction_months_left[sanctioned] -= 1
    now.tally["benefit_spending_eur"] += float(paid.sum())
    now.tally["sanctioned_recipients"] += len(sanctioned)


def rule(p) -> dict[str, float]:
    """The earnings disregard in force, in the terms of benefit.STATUTORY_DISREGARD."""
    return {"share": p.disregard_share, "cap_eur": p.disregard_cap_eur_per_month,
            "max_months": p.disregard_max_months, "min_age": p.disregard_min_age_years}


def disregard(model: LabourModel, earnings: np.ndarray, rows: np.ndarray | slice,
              statutory: bool = False) -> np.ndarray:
    """The part of ``earnings`` the rows of the population would keep on top of their benefit
    (under the statutory rule rather than the one in force if ``statutory``)."""
    pop = model.pop
    return benefit.earnings_disregard(
        earnings,
        pop.age_years[rows],
        pop.disregard_months_used[rows],
        pop.debt_arrangement_months_left[rows] > 0,
        **(benefit.STATUTORY_DISREGARD if statutory else rule(model.p)),
    )
