"""The measure plug-in interface: parameters, hooks at named points of the month, a cost.

A measure is one small class in its own file. It declares its parameters as a pydantic
model (defaults with sources, bounds, unknown keys refused), and overrides only the hooks
it needs. Every hook's default leaves the model untouched, so a measure with a zero-effect
setting gives outputs identical to the baseline (common random numbers; tested).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from ..model import LabourModel


class MeasureParams(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Measure:
    """Base class; subclasses set ``name``, ``Params`` and a docstring saying the mechanism."""

    name: ClassVar[str] = ""
    Params: ClassVar[type[MeasureParams]] = MeasureParams
    sources: ClassVar[str] = ""

    def __init__(self, **params):
        self.p = self.Params(**params)

    def __repr__(self) -> str:
        return f"{self.name}({self.p.model_dump()})"

    # ---- hooks, in the order of the month ----------------------------------------------------
    def setup(self, model: LabourModel) -> None:
        """Once, after the model is built and before month 0."""

    def admit_claims(self, model: LabourModel, uids: np.ndarray, claims: dict) -> np.ndarray:
        """Inflow: which new claimants go on benefit (False = diverted before the benefit)."""
        return np.ones(len(uids), dtype=bool)

    def contact_weight(self, model: LabourModel, rows: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """Contact allocation: the weight consultants give each client on benefit."""
        return weight

    def debt_help_capacity(self, model: LabourModel, capacity: int) -> int:
        """Services: new debt arrangements that can start this month."""
        return capacity

    def services(self, model: LabourModel) -> None:
        """Services: the measure's own service (courses, care, ...) with waiting lists."""

    def vacancies(self, model: LabourModel, counts: np.ndarray) -> np.ndarray:
        """Matching: vacancies per employer offered to candidates from bijstand this month."""
        return counts

    def cost_eur(self, model: LabourModel) -> float:
        """Budget: what the measure cost this month, in euros."""
        return 0.0
