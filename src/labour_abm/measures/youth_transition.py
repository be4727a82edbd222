"""Youth transition: a warm hand-over of vulnerable young people from school to work."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.population import ROUTE_CODE
from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams


class YouthTransitionParams(MeasureParams):
    handover_share: float = Field(
        0.5, ge=0, le=1,
        description="Share of the school leavers who would claim bijstand that their school hands over "
        "warmly (assumption: the schools and young people taking part).",
    )
    placement_share: float = Field(
        0.5, ge=0, le=1,
        description="Share of those handed over whom the school's coach places in a job (seed 003 Arnhem: "
        "good experiences with the warm hand-over; assumption on size).",
    )
    coaching_months: int = Field(
        6, ge=0, le=36, description="Months the coach supports the young person in the new job (assumption)."
    )
    job_loss_reduction: float = Field(
        0.4, ge=0, le=1,
        description="Drop in the monthly job-loss hazard while coached in the job (assumption: job coaching "
        "keeps early drop-out down).",
    )
    handed_over_per_claim: float = Field(
        2.0, ge=1, le=20,
        description="Young people handed over per one who would otherwise have claimed bijstand: the school "
        "cannot tell in advance who would (assumption).",
    )
    cost_per_young_person_eur: float = Field(
        2500.0, ge=0, le=50000,
        description="Cost of one hand-over: coaching in the last school year, employer contacts and coaching "
        "in the first months of work (assumption).",
    )


class YouthTransition(Measure):
    """A warm hand-over from school to work for vulnerable young people: the school's coach
    prepares them in the last school year, contacts employers and coaches the young person in
    the first period of work (seed 003 Arnhem; seed 000: vulnerable young people are helped to
    a job or education so they do not end up on benefit).

    Mechanism: of the new claims from the school route, a share was handed over, and a share of
    those is placed in a job instead of claiming; the core follows them in work (each job is an open
    vacancy of the local market, which nobody else then gets). In the first
    coaching months of that job their monthly job-loss hazard is lower, so fewer of them come
    back. Cost: per young person handed over, including those who would not have claimed
    bijstand anyway (handed over per claim).
    """

    name = "youth_transition"
    Params = YouthTransitionParams
    sources = "seed 003 (Arnhem); seed 000"
    monthly_columns = (
        MonthlyColumn("handed_over", "claims/month", "Flow: new claims from the school route that were handed over."),
        MonthlyColumn("placed", "claims/month", "Flow: of those, the ones placed in a job (never on benefit)."),
    )

    def setup(self, model):
        self._handed_over = self._placed = 0
        self.placed_uid = np.empty(0, np.int64)  # increasing: uids of new claims grow month by month
        self.placed_month = np.empty(0, np.int32)

    def divert_to_work(self, model, uids, claims):
        to_work = np.zeros(len(uids), dtype=bool)
        self._handed_over = self._placed = 0
        if self.p.handover_share == 0:
            return to_work
        school = (claims["entry_route"] == ROUTE_CODE["school"]).nonzero()[0]
        u = model.streams.uniforms(self.name, model.month, uids[school], 2)  # handed over, placed
        handed_over = u[:, 0] < self.p.handover_share
        placed = school[handed_over & (u[:, 1] < self.p.placement_share)]
        to_work[placed] = True
        self._handed_over, self._placed = int(handed_over.sum()), len(placed)
        self.placed_uid = np.concatenate((self.placed_uid, uids[placed]))
        self.placed_month = np.concatenate((self.placed_month, np.full(len(placed), model.month, np.int32)))
        return to_work

    def coached(self, model, rows: np.ndarray) -> np.ndarray:
        """Which of the given rows (people in work) are in the job they were placed in, within the
        coaching months."""
        pop = model.pop
        # only the placements of the last coaching months can be coached: look up those few people
        recent = model.month - self.placed_month < self.p.coaching_months
        uid, month = self.placed_uid[recent], self.placed_month[recent]
        if len(uid) == 0 or len(rows) == 0 or len(pop) == 0:
            return np.zeros(len(rows), dtype=bool)
        at = np.minimum(np.searchsorted(pop.uid, uid), len(pop) - 1)
        in_placed_job = (pop.uid[at] == uid) & (pop.job_start_month[at] == month)  # the job they were placed in
        coached = np.zeros(len(pop), dtype=bool)
        coached[at[in_placed_job]] = True
        return coached[rows]

    def job_loss_hazard(self, model, rows, hazard):
        if self.p.job_loss_reduction == 0:
            return hazard
        return hazard * np.where(self.coached(model, rows), 1.0 - self.p.job_loss_reduction, 1.0)

    def cost_eur(self, model):
        return self._handed_over * self.p.handed_over_per_claim * self.p.cost_per_young_person_eur

    def monthly(self, model):
        return {"handed_over": self._handed_over, "placed": self._placed}
