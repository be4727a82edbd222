"""Digital service: job-ready clients are served digitally, which frees consultant hours for the others."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.population import lacks
from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams


class DigitalServiceParams(MeasureParams):
    digital_weight: float = Field(
        0.25, ge=0, le=1,
        description="Consultant hours a digitally served client takes, relative to being served in person "
        "(multiplies the contact weight). Seed 002 (Rotterdam: the job-ready are approached mainly digitally); "
        "size is an assumption.",
    )
    digital_effect: float = Field(
        0.5, ge=0, le=1,
        description="Effect of a contact with a digitally served client relative to a personal one (multiplies "
        "the contact effect). Seed 001 point 2 (impersonal standard activities have low effect); size is an "
        "assumption.",
    )
    max_months_on_benefit: int = Field(
        12, ge=0, le=600,
        description="A client counts as job-ready only in the first months of a spell (short duration; "
        "assumption).",
    )
    min_motivation: float = Field(
        0.5, ge=0, le=1,
        description="Motivation score from which a client counts as job-ready (0.5: the model's barrier "
        "threshold, core.population.BARRIER_BELOW; assumption).",
    )
    cost_per_client_month_eur: float = Field(
        5.0, ge=0, le=1000,
        description="Cost of the digital platform per digitally served client-month (assumption: licence and "
        "upkeep of an online job-search portal).",
    )


class DigitalService(Measure):
    """Digital service for the job-ready: those who can find work themselves are served mainly online, so the
    consultants have more hours for the others (Rotterdam in seed 002).

    Mechanism: each month a client counts as job-ready when short on benefit (under ``max_months_on_benefit``
    months), in good physical and mental health, with sufficient Dutch and literacy (needed to use an online
    service) and motivated. Job-ready clients take only ``digital_weight`` of the consultant hours they took
    before: the consultant spreads the same hours with their weight lowered, so they are seen less often and
    every other client more often. A contact with a job-ready client is digital and works ``digital_effect``
    times as well. The consultants' hours do not change. Being seen less also means fewer referrals to
    vacancies, less detection of non-compliance and later referral to debt help for the job-ready.

    Cost: the digital platform per digitally served (job-ready) client-month.
    """

    name = "digital_service"
    Params = DigitalServiceParams
    sources = "seed 002 (Rotterdam); seed 001 point 2"
    monthly_columns = (
        MonthlyColumn("digital", "people", "Stock: clients on benefit served digitally (job-ready at this month's "
                      "contacts)."),
        MonthlyColumn("personal", "people", "Stock: the other recipients on benefit at the `services` step."),
        MonthlyColumn("contacts_digital", "people/month", "Flow: this month's contacts with digitally served clients."),
        MonthlyColumn("contacts_personal", "people/month", "Flow: this month's contacts with the others."),
    )

    def setup(self, model):
        self.digital = np.zeros(0, bool)  # by population row, at this month's contacts
        self._stats = {c.name: 0 for c in self.monthly_columns}

    def job_ready(self, model, rows):
        pop, p = model.pop, self.p
        ready = (  # on whole columns, then indexed once (cheaper than indexing six columns)
            (pop.months_on_benefit < p.max_months_on_benefit)
            & ~lacks(pop.physical_health)
            & ~lacks(pop.mental_health)
            & ~lacks(pop.dutch)
            & ~lacks(pop.literacy)
            & (pop.motivation >= p.min_motivation)
        )
        return ready[rows]

    def contact_weight(self, model, rows, weight):
        ready = self.job_ready(model, rows)
        self.digital = np.zeros(len(model.pop), bool)
        self.digital[rows] = ready
        if self.p.digital_weight == 1.0:
            return weight
        return weight * np.where(ready, self.p.digital_weight, 1.0)

    def contact_effect(self, model, rows, effect):
        if self.p.digital_effect == 1.0:
            return effect
        return effect * np.where(self.digital[rows], self.p.digital_effect, 1.0)

    def services(self, model):
        seen, digital = model.now.seen, self.digital
        n_digital, seen_digital = np.count_nonzero(digital), np.count_nonzero(digital & model.now.seen_mask)
        self._stats.update(
            digital=n_digital, personal=model.stock - n_digital,
            contacts_digital=seen_digital, contacts_personal=len(seen) - seen_digital,
        )

    def cost_eur(self, model):
        return self._stats["digital"] * self.p.cost_per_client_month_eur

    def monthly(self, model):
        return dict(self._stats)
