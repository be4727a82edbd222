"""Sector training: retraining of recipients for a job in a promising sector."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ..core.labour_market import sector_names
from ..core.population import experienced
from ..core.rules.screening import waiver_ratio
from ..core.statistics import MonthlyColumn
from .base import MeasureParams
from .service import SERVICE_COLUMNS, ServiceMeasure, UidSet

SectorName = Literal[sector_names()]  # the sectors of data/labour_market.toml, drone_piloting included


class SectorTrainingParams(MeasureParams):
    target_sector: SectorName = Field(
        "technology",
        description=f"Sector the course trains for, one of: {', '.join(sector_names())} (data/labour_market.toml; "
        "seed 000: logistics, cleaning, technology, construction; seed 002 Enschede: ict, and drone_piloting, "
        "which has no local employers).",
    )
    places_per_1000_recipients: float = Field(
        5.0, ge=0, le=500,
        description="Course places at one time per 1,000 initial recipients (seed 002: Enschede trains 30+ "
        "people for ICT; assumption on the rate).",
    )
    course_months: int = Field(6, ge=1, le=36, description="Length of the course (assumption).")
    experience_years_credited: float = Field(
        1.0, ge=0, le=5,
        description="Relevant experience in the target sector a completed course counts as, in years "
        "(assumption: course with a work placement; counts only with employers in that sector).",
    )
    qualification_penalty_waived_share: float = Field(
        1.0, ge=0, le=1,
        description="Share of the missing-qualification penalty that employers in the target sector no longer "
        "apply to graduates (assumption: they accept the sector certificate).",
    )
    lock_in_search_reduction: float = Field(
        0.5, ge=0, le=1,
        description="Drop in search effort while training (lock-in; Card, Kluve & Weber 2018 meta-analysis: "
        "training has negative short-run effects).",
    )
    min_motivation: float = Field(
        0.5, ge=0, le=1, description="Lowest motivation score admitted (seed 001 point 3: focus on the motivated)."
    )
    cost_per_participant_month_eur: float = Field(
        1000.0, ge=0, le=20000,
        description="Cost of one participant-month (assumption: a retraining of about EUR 6k).",
    )


class SectorTraining(ServiceMeasure):
    """Sector training: retraining recipients for a job in a promising sector (seed 000: jobs in
    promising occupations such as logistics, cleaning, technology and construction; seed 002
    Enschede: an ICT retraining with 30+ people, and a drone-pilot course that failed).

    Mechanism: motivated recipients with the duty to work and without a start qualification
    or recent work (two years) join the waiting list when a consultant sees them; while training
    they search less (lock-in). A completed course makes the target sector their own sector
    (half of their applications go there, with the sector-experience bonus) and counts as
    relevant experience there; employers in that sector no longer hold a missing start
    qualification against them. Experience from the course does not count with employers in
    other sectors. A course for a sector without vacancies (drone_piloting) therefore gives
    nothing but lock-in, a lost old sector and cost. Cost: per participant-month.
    """

    name = "sector_training"
    Params = SectorTrainingParams
    sources = "seed 000; seed 002 (Enschede); Card, Kluve & Weber 2018"

    months_param = "course_months"
    monthly_columns = (*SERVICE_COLUMNS, MonthlyColumn("completed", "courses", "Cumulative: courses completed."))

    def setup(self, model):
        super().setup(model)
        self.sector = sector_names().index(self.p.target_sector)
        self.trained = UidSet()
        self.course_only = UidSet()  # trained without experience of their own before their latest course
        self.completed = 0

    @property
    def trained_uid(self) -> np.ndarray:
        return self.trained.uids

    @property
    def course_only_experience(self) -> np.ndarray:
        """For each of ``trained_uid``: no experience of their own before the (latest) course."""
        return self.course_only.contains(self.trained.uids)

    def services(self, model):
        # who finishes the course now: the service ends it while they are still on benefit
        self._complete(model, self.service.finishing_rows(model))
        super().services(model)

    def eligible(self, model):
        pop = model.pop
        return (
            (pop.motivation >= self.p.min_motivation)
            & ~pop.exempt
            & pop.job_search_duty
            & (~pop.start_qualification | (pop.months_since_work >= 24))
            & ~((pop.sector == self.sector) & experienced(pop.experience_years))
            & ~self.trained.rows(model)
        )

    def _complete(self, model, rows):
        if len(rows) == 0:
            return
        pop = model.pop
        own = experienced(pop.experience_years[rows])
        pop.sector[rows] = self.sector
        pop.experience_years[rows] = np.maximum(pop.experience_years[rows], self.p.experience_years_credited)
        uid = pop.uid[rows]
        self.trained.add(uid)
        self.course_only.discard(uid[own])  # a second course: the latest counts
        self.course_only.add(uid[~own])
        self.completed += len(rows)

    def search_effort(self, model, rows, effort):
        return self.lock_in(model, rows, effort, self.p.lock_in_search_reduction)

    def offer_probability(self, model, person, employer, p):
        if len(self.trained) == 0 or len(person) == 0:
            return p
        pop, emp, mp = model.pop, model.employers, model.p
        trained = self.trained.rows(model, person)
        target = emp.sector[employer] == self.sector
        factor = np.ones(len(person))
        # in the target sector: the missing-qualification penalty is (partly) waived
        waived = trained & target & emp.requires_qualification[employer] & ~pop.start_qualification[person]
        factor[waived] = waiver_ratio(mp.screening_penalty_qualification, self.p.qualification_penalty_waived_share)
        # elsewhere: experience from the course alone does not count (the no-experience penalty is back)
        no_own = trained & ~target & self.course_only.rows(model, person) & experienced(pop.experience_years[person])
        factor[no_own] = 1.0 - mp.screening_penalty_no_experience
        return np.clip(p * factor, 0.0, 1.0)

    def max_offer_multiplier(self, model, person):
        trained = self.trained.rows(model, person)
        waiver = waiver_ratio(model.p.screening_penalty_qualification, self.p.qualification_penalty_waived_share)
        return np.where(trained, waiver, 1.0)

    def monthly(self, model):
        return {**super().monthly(model), "completed": self.completed}
