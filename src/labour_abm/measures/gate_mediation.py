"""Mediation at the gate: claimants are mediated into work at intake, before the benefit starts."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.population import experienced, lacks, poor_health
from ..core.rules import screening
from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams


def employability(p, claims: dict, months_since_work: np.ndarray | None = None) -> np.ndarray:
    """How easily a claimant can be placed, 0..1 (1: motivated, just out of work, no barriers).

    The claimant's motivation times the hiring chance the model's employers would give them
    relative to a barrier-free applicant just out of work, as if every employer screened on
    every barrier (the screening rules of rules/screening.py with the run's parameters ``p``):
    duration stigma, skill depreciation, age, and the penalties for Dutch, health, start
    qualification, literacy, debt and no work experience. ``months_since_work`` replaces the
    claimant's own when given (e.g. when reached earlier than the claim). Shared by the
    inflow-prevention measures.
    """
    since = claims["months_since_work"] if months_since_work is None else months_since_work
    since = np.asarray(since, dtype=float)
    e = claims["motivation"].astype(float)
    e = e * screening.duration_stigma(since, p.duration_stigma_max_share, p.duration_stigma_months)
    e = e * screening.skill_depreciation(since, p.skill_depreciation_per_year)
    e = e * screening.age_factor(claims["age_years"], p.age_penalty_per_year_over_45)
    e = screening.apply_penalties(
        e, lacks(claims["dutch"]), poor_health(claims["physical_health"], claims["mental_health"]),
        ~claims["start_qualification"], lacks(claims["literacy"]), claims["debt"],
        ~experienced(claims["experience_years"]), **screening.penalties(p),
    )
    return np.clip(e, 0.0, 1.0)


class GateMediationParams(MeasureParams):
    success_share: float = Field(
        0.5, ge=0, le=1,
        description="Chance that intake mediation finds work for a fully employable claimant; the chance of "
        "others is this times their employability (seed 003 Arnhem: people who just lost their job are often "
        "back at work before a benefit is granted; assumption on size: about 10% of new claims diverted).",
    )
    cost_per_claimant_eur: float = Field(
        300.0, ge=0, le=20000,
        description="Cost of the work-first intake per new claimant, all claimants get it (assumption: about "
        "6 hours of a work coach at EUR 75k per FTE-year).",
    )


class GateMediation(Measure):
    """Mediation at the gate ("bemiddelen aan de poort"): every new claimant first meets a work
    coach who tries to find them a job before the benefit is granted (seed 003 Arnhem; seed 001
    point 5: no wall between work and income, "you come for a benefit, but we have work for you").

    Mechanism: each new claim is mediated into work with chance success share x employability,
    where employability is the claimant's motivation times the hiring chance employers would give
    them (recent work, few barriers, age; see ``employability``). Those placed never start a
    benefit; the core follows them in work, so a job that ends can bring them back as re-entrants.
    Each job is an open vacancy of the local market, which nobody else then gets.
    Returners (re-entries) are not mediated. Cost: per new claimant (the intake with the coach),
    whether placed or not (claims deterred by another measure never reach the intake and cost nothing).
    """

    name = "gate_mediation"
    Params = GateMediationParams
    sources = "seed 003 (Arnhem); seed 001 point 5"
    monthly_columns = (
        MonthlyColumn("claimants", "claims/month", "Flow: filed new claims mediated at intake (and charged)."),
        MonthlyColumn("placed", "claims/month", "Flow: of those, the ones placed in work (never on benefit)."),
    )

    def setup(self, model):
        self._claims = self._placed = 0

    def divert_to_work(self, model, uids, claims):
        self._claims = len(uids)
        to_work = np.zeros(len(uids), dtype=bool)
        if self.p.success_share > 0 and len(uids):
            chance = self.p.success_share * employability(model.p, claims)
            to_work = model.streams.uniform(f"{self.name}:to_work", model.month, uids) < chance
        self._placed = int(to_work.sum())
        return to_work

    def cost_eur(self, model):
        return self._claims * self.p.cost_per_claimant_eur

    def monthly(self, model):
        return {"claimants": self._claims, "placed": self._placed}
