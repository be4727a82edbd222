"""Language centre: a free, intensive Dutch course with limited places and a waiting list."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.population import lacks
from .base import MeasureParams
from .service import ServiceMeasure


class LanguageCentreParams(MeasureParams):
    places_per_1000_recipients: float = Field(
        10.0, ge=0, le=500, description="Course places at one time per 1,000 initial recipients (assumption)."
    )
    course_months: int = Field(9, ge=1, le=36, description="Length of the intensive course (assumption).")
    proficiency_gain_per_month: float = Field(
        0.04, ge=0, le=0.5,
        description="Rise of the Dutch score per course month (assumption: 9 months lift a typical "
        "participant from about 0.35 to past the 0.5 threshold).",
    )
    lock_in_search_reduction: float = Field(
        0.3, ge=0, le=1,
        description="Drop in search effort while on the course (lock-in; Card, Kluve & Weber 2018 meta-analysis).",
    )
    cost_per_participant_month_eur: float = Field(
        600.0, ge=0, le=10000, description="Cost of one participant-month (assumption: ~EUR 5-7k per course year)."
    )


class LanguageCentre(ServiceMeasure):
    """A language centre: free intensive Dutch courses (seed 001 point 6: half of the clients
    have a migrant background; who lacks Dutch goes to an intensive course, for free).

    Mechanism: recipients whose Dutch is insufficient (score < 0.5) join the waiting list when
    a consultant sees them; free places go to the longest waiting. Each course month raises the
    Dutch score, so employers who require Dutch screen them out less often afterwards; while on
    the course they search less (lock-in). Cost: per participant-month.
    """

    name = "language_centre"
    Params = LanguageCentreParams
    sources = "seed 001 point 6"

    months_param = "course_months"

    def eligible(self, model):
        return lacks(model.pop.dutch)

    def in_service(self, model, rows):
        pop = model.pop
        pop.dutch[rows] = np.minimum(1.0, pop.dutch[rows] + self.p.proficiency_gain_per_month)

    def search_effort(self, model, rows, effort):
        return self.lock_in(model, rows, effort, self.p.lock_in_search_reduction)
