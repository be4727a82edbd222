"""Care first: health and mental-health support through neighbourhood teams, before work."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.population import poor_health
from .base import MeasureParams
from .service import ServiceMeasure


class CareFirstParams(MeasureParams):
    places_per_1000_recipients: float = Field(
        15.0, ge=0, le=500,
        description="Care places at one time per 1,000 initial recipients (assumption: about 120 for "
        "Nijmegen's 8,000, a few neighbourhood-team workers with a caseload of 15-20 each).",
    )
    care_months: int = Field(
        12, ge=1, le=60, description="Months of one care trajectory (assumption: a year of treatment and support)."
    )
    mental_health_gain_per_month: float = Field(
        0.025, ge=0, le=0.5,
        description="Rise of the mental-health score per care month (assumption on size: a year lifts a typical "
        "participant from about 0.3 past the 0.5 threshold; Cuijpers et al. 2014 J Affect Disord meta-analysis: "
        "psychotherapy for adult depression raises response and remission rates).",
    )
    physical_health_gain_per_month: float = Field(
        0.015, ge=0, le=0.5,
        description="Rise of the physical-health score per care month (assumption: smaller than the mental "
        "gain, as many physical complaints are chronic).",
    )
    waive_job_search_duty: bool = Field(
        True,
        description="Waive the duty to apply for jobs while in care, restored afterwards (seed 002 Eindhoven: "
        "care first; the duty would make sanctions hit people who cannot yet work).",
    )
    cost_per_participant_month_eur: float = Field(
        400.0, ge=0, le=10000,
        description="Cost of one participant-month (assumption: a neighbourhood-team worker at about EUR 75k a "
        "year with 15 clients; treatment itself is paid by health insurance).",
    )


class CareFirst(ServiceMeasure):
    """Care first: people far from work with health problems first get the care they need, through neighbourhood
    teams with short lines to the job coaches (seed 002 Eindhoven: 'people far from work with many personal
    problems first get the care they need'; seed 000: social neighbourhood teams with short lines to job
    mediators, one plan).

    Mechanism: recipients in poor mental or physical health (score < 0.5) join the waiting list when a
    consultant sees them; free places go to the longest waiting. Each care month raises mental and physical
    health, so employers who screen on health turn them down less often, exemptions lapse on recovery, and
    work-related job loss falls. While in care their duty to apply for jobs is waived (every month the core
    restores all duties and each waiving measure waives afresh, so measures combine), so they search little
    and are never sanctioned. Integrated care and work support helps people with mental-health problems into
    work (IPS: Modini et al. 2016 World Psychiatry meta-analysis). Cost: per participant-month.
    """

    name = "care_first"
    Params = CareFirstParams
    sources = "seed 002 (Eindhoven); seed 000; Cuijpers et al. 2014; Modini et al. 2016"

    months_param = "care_months"

    def eligible(self, model):
        return poor_health(model.pop.physical_health, model.pop.mental_health)

    def in_service(self, model, rows):
        pop = model.pop
        pop.mental_health[rows] = np.minimum(1.0, pop.mental_health[rows] + self.p.mental_health_gain_per_month)
        pop.physical_health[rows] = np.minimum(1.0, pop.physical_health[rows] + self.p.physical_health_gain_per_month)
        if self.p.waive_job_search_duty:  # the core restores every duty at the start of the month
            pop.job_search_duty[rows] = False
