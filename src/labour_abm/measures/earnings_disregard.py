"""Earnings disregard: recipients with part-time work keep more of their earnings on top of the benefit."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.population import ON_BENEFIT
from ..core.processes.benefit_payment import household_norm
from ..core.rules import benefit
from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams

# the statutory rule in this measure's parameters: the measure at these values changes nothing
STATUTORY = dict(zip(("share", "cap_eur_per_month", "max_months", "min_age_years"),
                     benefit.STATUTORY_DISREGARD.values(), strict=True))


class EarningsDisregardParams(MeasureParams):
    share: float = Field(
        0.5, ge=0, le=1,
        description="Share of part-time earnings kept on top of the benefit (statutory 25%, CALIBRATION.md; "
        "default 50% as in the 'vrijlating' arm of the Tijdelijk besluit experimenten Participatiewet 2017, "
        "Stb. 2017, 69).",
    )
    cap_eur_per_month: float = Field(
        269.0, ge=0, le=5000,
        description="Most kept per month (statutory EUR 269, Jul 2024, CALIBRATION.md; the 2017 experiments "
        "kept the then statutory cap of about EUR 199-201).",
    )
    max_months: int = Field(
        24, ge=0, le=120,
        description="Months per benefit spell the disregard applies (statutory 6, CALIBRATION.md; 24 in the "
        "2017 experiments).",
    )
    min_age_years: float = Field(
        27.0, ge=0, le=67, description="Youngest age that gets the disregard (statutory 27, CALIBRATION.md)."
    )


class EarningsDisregard(Measure):
    """A more generous earnings disregard (inkomstenvrijlating): recipients who work part-time
    keep more of what they earn on top of the benefit, so part-time work pays and becomes a
    stepping stone to leaving benefit (seed 001 point 9). The statutory rule (art. 31(2)(n) Pw:
    25%, at most EUR 269 a month, for 6 months, from age 27; CALIBRATION.md) is the baseline; the
    measure sets the share, cap, duration and age limit (defaults: the 2017 experiments).

    Mechanism: the disregard raises the net income of recipients with part-time earnings (the
    benefit is cut by less than the earnings), and a part-time offer is accepted more often the
    more it lets one keep (rules/screening.parttime_acceptance; Knoef & van Ours 2016). In a debt
    arrangement nothing is kept (earnings go to creditors).
    Cost: no separate cost; the benefit kept on top of earnings shows in benefit spending (and the
    budget balance). The monthly columns give the recipients who kept something this month and
    the amount kept, among those still working part-time at the end of the month.
    """

    name = "earnings_disregard"
    Params = EarningsDisregardParams
    sources = "seed 001 point 9; CALIBRATION.md; Tijdelijk besluit experimenten Participatiewet (Stb. 2017, 69)"
    monthly_columns = (
        MonthlyColumn("recipients_keeping", "people", "Stock: part-time workers on benefit at the end of the month "
                      "whose benefit this month exceeded the norm minus their earnings (who kept something)."),
        MonthlyColumn("kept_eur", "EUR/month", "The total they kept."),
    )

    def parameter_overrides(self):
        return {
            "disregard_share": self.p.share,
            "disregard_cap_eur_per_month": self.p.cap_eur_per_month,
            "disregard_max_months": self.p.max_months,
            "disregard_min_age_years": self.p.min_age_years,
        }

    def monthly(self, model):
        """Part-timers still on benefit whose benefit this month exceeded the norm minus earnings
        (under a sanction cut that is nothing)."""
        pop = model.pop
        rows = ((pop.status == ON_BENEFIT) & (pop.parttime_earnings_eur > 0)).nonzero()[0]
        income = pop.benefit_paid_eur[rows] + pop.parttime_earnings_eur[rows] + pop.partner_earnings_eur[rows]
        kept = np.maximum(0.0, income - household_norm(model, rows))
        kept = np.where(kept > 0.5, kept, 0.0)  # float32 rounding
        return {"recipients_keeping": int((kept > 0).sum()), "kept_eur": float(kept.sum())}
