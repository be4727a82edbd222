"""Budget: the month's BUIG accounts of the municipality.

The state allocation comes in equal monthly parts (set at month 0). Spending beyond it is a
deficit the safety net (vangnet) partly compensates, judged on the month's figures
(rules/benefit.safety_net; CALIBRATION.md: 5% own risk, half of the slice to 10%, all above).
The balance is allocation plus safety net minus benefit spending minus the measures' costs
(``cost_eur``); consultants' staff cost is reported apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..rules import benefit

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month


def budget(model: LabourModel, now: Month) -> None:
    p, t = model.p, now.tally
    spending = t["benefit_spending_eur"]
    allocation = model.allocation_eur_per_month
    t["state_allocation_eur"] = allocation
    t["safety_net_eur"] = benefit.safety_net(spending, allocation, p.safety_net_own_risk_share, p.safety_net_full_share)
    t["staff_cost_eur"] = float(model.consultants.cost_eur_per_year.sum()) / 12
    t["measure_cost_eur"] = float(sum(measure.cost_eur(model) for measure in model.hooked["cost_eur"]))
    t["budget_balance_eur"] = allocation + t["safety_net_eur"] - spending - t["measure_cost_eur"]
