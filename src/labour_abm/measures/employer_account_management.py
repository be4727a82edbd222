"""Employer account management: account managers who make employers know and trust the job service."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams


class EmployerAccountManagementParams(MeasureParams):
    account_managers_per_1000_recipients: float = Field(
        0.5, ge=0, le=20,
        description="Extra account-manager FTE per 1,000 initial recipients (assumption: 4 FTE for Nijmegen's "
        "8,000; seed 000 invests in account management and acquisition).",
    )
    employers_per_account_manager: float = Field(
        7.5, ge=0, le=1000,
        description="Model employers one account-manager FTE gets to know and keeps in touch with (assumption: "
        "a model employer stands for many real ones, as the market has 37.5 per 1,000 recipients; the default "
        "lifts the share the job service knows from 20% to about 30%).",
    )
    extra_vacancies_share: float = Field(
        0.10, ge=0, le=5,
        description="Extra vacancies a managed employer offers to candidates from bijstand, relative to its "
        "usual number (seed 002 Eindhoven: employers get too few candidates offered; assumption on size, kept "
        "small: evaluations of employer services find modest effects).",
    )
    matching_multiplier: float = Field(
        1.1, ge=1, le=5,
        description="Hiring chance of an application to a managed employer relative to one to another known "
        "employer: the account manager knows the job and the candidates (seed 002 Eindhoven: employers do "
        "not know the candidates' skills; assumption on size).",
    )


class EmployerAccountManagement(Measure):
    """Account management for employers: account managers get to know local employers and keep in
    touch, so employers offer more vacancies to people on bijstand, are more open to them, and
    vacancies and candidates match better (seed 000: investment in account management and
    acquisition; Eindhoven in seed 002: employers get too few candidates and do not know their
    skills; Den Haag in seed 002: bringing recipients into contact with employers).

    Mechanism: at the start the account managers get to know employers the job service did not
    know yet (FTE x employers per FTE, picked at random); these become "known", so the core gives
    them the known-employer openness bonus and consultants refer candidates to them. Each month
    a managed employer offers Poisson(extra share x its usual vacancies) extra vacancies, and an
    application to it succeeds more often (the matching multiplier). The extra vacancies are new
    jobs: work the employer would not have recruited for without candidates it trusts (job
    carving, a vacancy made for a known candidate). They join the open market, where other job
    seekers compete for them too, so part of them goes to others. This is an assumption without a
    source for its size; evaluations of employer services measure placements, not whether the
    jobs are new, so read this measure's net effect on employment in the city as an upper bound.
    The portfolio is built at once at the start (no ramp-up; assumption).
    Cost: the account-manager FTEs at the consultant cost per FTE-year, every month.
    """

    name = "employer_account_management"
    Params = EmployerAccountManagementParams
    sources = "seed 000; seed 002 (Eindhoven, Den Haag)"
    monthly_columns = (
        MonthlyColumn("employers_managed", "employers", "Employers in the account managers' portfolio (constant)."),
        MonthlyColumn("extra_vacancies", "vacancies/month", "Flow: extra vacancies posted by managed employers this "
                      "month."),
    )

    def setup(self, model):
        emp = model.employers
        self.fte = self.p.account_managers_per_1000_recipients * model.p.initial_stock / 1000
        want = int(round(self.fte * self.p.employers_per_account_manager))
        unknown = (~emp.known).nonzero()[0]
        n = min(want, len(unknown))
        self.portfolio = np.empty(0, np.int64)
        if n > 0:  # the employers met first are a random draw among those not known yet
            u = model.streams.uniform(f"{self.name}:known", -1, unknown)
            self.portfolio = np.sort(unknown[np.argsort(u, kind="stable")[:n]])
            emp.known[self.portfolio] = True
        self._managed = np.zeros(len(emp), dtype=bool)
        self._managed[self.portfolio] = True
        self._extra = 0

    def vacancies(self, model, counts):
        self._extra = 0
        if len(self.portfolio) == 0 or self.p.extra_vacancies_share == 0:
            return counts
        lam = counts[self.portfolio] * self.p.extra_vacancies_share
        extra = model.streams.generator(f"{self.name}:vacancies", model.month).poisson(lam)
        self._extra = int(extra.sum())
        counts = counts.copy()
        counts[self.portfolio] += extra
        return counts

    def offer_probability(self, model, person, employer, p):
        if len(self.portfolio) == 0 or self.p.matching_multiplier == 1:
            return p
        return np.minimum(1.0, p * np.where(self._managed[employer], self.p.matching_multiplier, 1.0))

    def max_offer_multiplier(self, model, person):
        return self.p.matching_multiplier  # the employer is not chosen yet

    def cost_eur(self, model):
        return self.fte * model.p.consultant_cost_eur_per_year / 12

    def monthly(self, model):
        return {"employers_managed": len(self.portfolio), "extra_vacancies": self._extra}
