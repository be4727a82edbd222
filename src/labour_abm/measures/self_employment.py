"""Self-employment: preparation and start-up support for recipients who want to start a business."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.population import OFF_BENEFIT
from ..core.statistics import MonthlyColumn
from ..core.transitions import start_jobs
from .base import MeasureParams
from .service import SERVICE_COLUMNS, ServiceMeasure, UidSet


class SelfEmploymentParams(MeasureParams):
    places_per_1000_recipients: float = Field(
        3.0, ge=0, le=500,
        description="Preparation places at one time per 1,000 initial recipients (assumption; seed 002: Den Haag "
        "expands its pilot 'Ondernemend uit de bijstand').",
    )
    preparation_months: int = Field(
        6, ge=1, le=24,
        description="Months of preparation: business plan, coaching, a feasibility check (assumption; the Bbz "
        "allows a preparation period).",
    )
    start_share: float = Field(
        0.3, ge=0, le=1,
        description="Share of those who complete the preparation that start a business and leave benefit "
        "(assumption: many find the plan not viable).",
    )
    failure_multiplier: float = Field(
        1.5, ge=1, le=5,
        description="Job-loss hazard of a business started through the measure relative to a job from bijstand "
        "(assumption: CBS finds about half of all starters still in business after 5 years, which the model's "
        "jobs from bijstand already match; starters from benefit have less capital and fail more often).",
    )
    min_experience_years: float = Field(
        2.0, ge=0, le=40, description="Work experience needed to take part, in years (assumption)."
    )
    min_motivation: float = Field(
        0.5, ge=0, le=1, description="Lowest motivation score admitted (seed 001 point 3: focus on the motivated)."
    )
    cost_per_participant_month_eur: float = Field(
        300.0, ge=0, le=10000, description="Coaching cost of one participant-month (assumption)."
    )
    support_per_starter_eur: float = Field(
        10000.0, ge=0, le=100000,
        description="Start-up support per business started: Bbz business-capital loan (partly not repaid) and "
        "income support in the first months (assumption).",
    )


class SelfEmployment(ServiceMeasure):
    """A route to self-employment for recipients who want to start a business (seed 002: Den
    Haag expands its pilot 'Ondernemend uit de bijstand'; the Bbz gives starters a loan and
    income support).

    Mechanism: motivated recipients with work experience and the duty to work join the waiting
    list when a consultant sees them; after the preparation a share start a business and leave
    benefit as self-employed (job start 'self_employed'). Their businesses fail more often than
    jobs from bijstand (a higher job-loss hazard); most who fail come back to bijstand. A business
    is a job of its own: it takes no vacancy of the local market, so it displaces nobody there
    (competition with other firms for customers is not modelled; CBS counts about 2.2 million
    self-employed jobs besides 8.5 million employee jobs, 2019).
    Cost: coaching per participant-month plus start-up support per business started.
    """

    name = "self_employment"
    Params = SelfEmploymentParams
    sources = "seed 002 (Den Haag); CBS on starters' survival"

    months_param = "preparation_months"
    monthly_columns = (
        *SERVICE_COLUMNS,
        MonthlyColumn("starters", "businesses/month", "Flow: businesses started this month (also in `exits_work`)."),
        MonthlyColumn("self_employed", "people", "Stock: people off benefit, still followed, running a business "
                      "started through the measure."),
    )

    def setup(self, model):
        super().setup(model)
        self.prepared = UidSet()  # completed the preparation (once is enough)
        self.self_employed = UidSet()  # started a business through the measure
        self._starters = 0

    @property
    def prepared_uid(self) -> np.ndarray:
        return self.prepared.uids

    @property
    def self_employed_uid(self) -> np.ndarray:
        return self.self_employed.uids

    def services(self, model):
        pop, m = model.pop, model.month
        done = self.service.finishing_rows(model)
        self.prepared.add(pop.uid[done])
        super().services(model)
        start = done[model.streams.uniform(f"{self.name}:start", m, pop.uid[done]) < self.p.start_share]
        start_jobs(model, start, np.full(len(start), -1))
        self.self_employed.add(pop.uid[start])
        self._starters = len(start)

    def eligible(self, model):
        pop = model.pop
        return (
            (pop.motivation >= self.p.min_motivation)
            & (pop.experience_years >= self.p.min_experience_years)
            & ~pop.exempt
            & pop.job_search_duty
            & ~self.prepared.rows(model)
        )

    def job_loss_hazard(self, model, rows, hazard):
        if len(self.self_employed) == 0:
            return hazard
        pop = model.pop
        own = self.self_employed.rows(model, rows) & (pop.job_employer[rows] < 0)
        return np.minimum(1.0, hazard * np.where(own, self.p.failure_multiplier, 1.0))

    def cost_eur(self, model):
        return super().cost_eur(model) + self._starters * self.p.support_per_starter_eur

    def monthly(self, model):
        pop = model.pop
        tracked = self.self_employed.rows(model)
        running = tracked & pop.employed & (pop.job_employer < 0) & (pop.status == OFF_BENEFIT)
        return {**super().monthly(model), "starters": self._starters, "self_employed": int(np.count_nonzero(running))}
