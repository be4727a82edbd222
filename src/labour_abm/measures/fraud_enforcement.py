"""Fraud enforcement: investigators find and end unjustified benefits and deter unjustified claims."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams


class FraudEnforcementParams(MeasureParams):
    detection_per_month: float = Field(
        0.03, ge=0, le=1,
        description="Monthly chance that an unjustified benefit is found and ended (baseline 0.01, "
        "fraud_detection_per_month; seed 001 point 7: 'social, but not naive'; assumption on size).",
    )
    deterrence_share: float = Field(
        0.2, ge=0, le=1,
        description="Share of unjustified claims not filed because of the stricter checks at the gate and the "
        "known risk of being found (assumption).",
    )
    investigators_per_1000_recipients: float = Field(
        0.5, ge=0, le=20,
        description="Extra investigator FTE per 1,000 initial recipients (assumption: 4 FTE for Nijmegen).",
    )


class FraudEnforcement(Measure):
    """Enforcement against unjustified benefits (undeclared income or partner): more
    investigation finds more of them and checks at the gate deter unjustified claims (seed 001
    point 7: "sociaal, maar niet naief", fighting fraud in every possible way).

    Mechanism: raises the monthly chance that the baseline enforcement finds an unjustified
    benefit (processes/enforcement.py), which then ends (exit "unjustified"); and a share of the new
    claims that would be unjustified is never filed (deterrence; logged as claim_diverted
    "deterred"). Justified claims and benefits are not touched (no false positives; assumption).
    Not modelled: the repayment claim that gives a found person problematic debt if they come
    back, as the core does not model it for the baseline's findings either.
    Cost: the investigators (FTE at the consultant cost per FTE-year), every month.
    """

    name = "fraud_enforcement"
    Params = FraudEnforcementParams
    sources = "seed 001 point 7"
    monthly_columns = (
        MonthlyColumn("deterred", "claims/month", "Flow: unjustified new claims not filed this month because of the "
                      "measure."),
    )

    def setup(self, model):
        self.fte = self.p.investigators_per_1000_recipients * model.p.initial_stock / 1000
        self._deterred = 0

    def parameter_overrides(self):
        return {"fraud_detection_per_month": self.p.detection_per_month}

    def admit_claims(self, model, uids, claims):
        filed = np.ones(len(uids), dtype=bool)
        self._deterred = 0
        if self.p.deterrence_share == 0:
            return filed
        unjustified = claims["unjustified"].nonzero()[0]
        u = model.streams.uniform(f"{self.name}:deterred", model.month, uids[unjustified])
        filed[unjustified[u < self.p.deterrence_share]] = False
        self._deterred = int((~filed).sum())
        return filed

    def cost_eur(self, model):
        return self.fte * model.p.consultant_cost_eur_per_year / 12

    def monthly(self, model):
        return {"deterred": self._deterred}
