"""WW prevention: with UWV, people are led to work six months before their WW ends."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.population import ROUTE_CODE
from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams
from .gate_mediation import employability


class WwPreventionParams(MeasureParams):
    reach_share: float = Field(
        0.6, ge=0, le=1,
        description="Share of the WW recipients in their last months of WW that the municipality and UWV "
        "reach (assumption).",
    )
    lead_months: int = Field(
        6, ge=0, le=24,
        description="Months before the end of WW that they are reached (seed 004: six months).",
    )
    success_share: float = Field(
        0.8, ge=0, le=1,
        description="Chance that a fully employable person reached is placed before the WW ends; the chance "
        "of others is this times their employability at the time they are reached (seed 004: WW recipients "
        "often have recent experience and can work again quickly; assumption on size: six months of mediation "
        "place most of the employable, higher than the short mediation at the gate).",
    )
    cost_per_person_reached_eur: float = Field(
        800.0, ge=0, le=20000,
        description="Cost of reaching and coaching one person in the last months of WW (assumption: about "
        "16 hours of a work coach, introductions to employers).",
    )


class WwPrevention(Measure):
    """Prevention of inflow from unemployment insurance (WW): together with UWV the municipality
    approaches people six months before their WW ends and leads them to work, e.g. by
    introducing them to employers, so that they never need bijstand (seed 004 Groningen, "aanpak
    van WW naar bijstand"; seed 000: get people in WW to work before they reach bijstand).

    Mechanism: each month the measure reaches a share of the city's WW recipients who enter
    their last ``lead_months`` of WW (core/labour_market.py, WwPool: their number follows the
    job losses of the months before, and how many of them find work on their own). Those of them
    whose WW would end without work and who would claim bijstand are the new claims of the WW
    route; each reached one is placed in work with chance success share x employability, computed
    as at the moment of reaching (months since work shortened by the lead time; see
    ``gate_mediation.employability``: recent work, few barriers, motivation). Those placed never
    claim; the core follows them in work, so a job that ends can bring them back. Each job is an
    open vacancy of the local market, which nobody else then gets. The other people reached
    would have found work or lived without bijstand anyway: for bijstand they are deadweight,
    and the model does not follow what the coaching does for them (they stay in the pool).
    Cost: per person reached, all of them.
    """

    name = "ww_prevention"
    Params = WwPreventionParams
    sources = "seed 004 (Groningen); seed 000"
    monthly_columns = (
        MonthlyColumn("reached", "people/month", "Flow: WW recipients reached as they enter their last months of "
                      "WW (a mean over the city's WW pool, so not a whole number)."),
        MonthlyColumn("placed", "claims/month", "Flow: new claims from the WW route placed in work before their WW "
                      "ended (never on benefit)."),
    )

    def setup(self, model):
        self._reached = self._placed = 0

    def divert_to_work(self, model, uids, claims):
        to_work = np.zeros(len(uids), dtype=bool)
        self._reached = self.p.reach_share * model.ww_pool.entering_last_months(self.p.lead_months)
        self._placed = 0
        if self.p.reach_share == 0:
            return to_work
        ww = (claims["entry_route"] == ROUTE_CODE["ww"]).nonzero()[0]
        u = model.streams.uniforms(self.name, model.month, uids[ww], 2)  # reached, placed
        reached = u[:, 0] < self.p.reach_share
        # employability of every claim (elementwise; cheaper than taking the WW claims' columns apart)
        since = np.maximum(0, claims["months_since_work"].astype(float) - self.p.lead_months)
        chance = self.p.success_share * employability(model.p, claims, since)[ww]
        placed = reached & (u[:, 1] < chance)
        to_work[ww[placed]] = True
        self._placed = int(placed.sum())
        return to_work

    def cost_eur(self, model):
        return self._reached * self.p.cost_per_person_reached_eur

    def monthly(self, model):
        return {"reached": round(self._reached, 2), "placed": self._placed}
