"""The measure plug-in interface: parameters, hooks at named points of the month, a cost.

A measure is one small class in its own file. It declares its parameters as a pydantic
model (defaults with sources, bounds, unknown keys refused), and overrides only the hooks
it needs. Every hook's default leaves the model untouched, so a measure with a zero-effect
setting gives outputs identical to the baseline (common random numbers; tested).

Hooks, in the order of the month (``LabourModel.step``):

==========================  ==================================================================
``parameter_overrides``     before the model is built: rule parameters the measure changes
``setup``                   once, after the model is built, before month 0
``admit_claims``            inflow: which claims are filed at all (False = deterred, not followed)
``divert_to_work``          inflow: which claimants are mediated into a job before the benefit
``assign_consultants``      inflow: the consultant each new client gets
``contact_weight``          contacts: the weight a consultant gives each client
``contact_effect``          contacts: how much a contact does for each client seen
``debt_help_capacity``      services: new debt arrangements this month
``services``                services: the measure's own service, waiting list, effects
``search_effort``           search: effort of each recipient on benefit
``vacancies``               matching: vacancies each employer offers to candidates from bijstand
``offer_probability``       matching: chance an application gets an offer
``max_offer_multiplier``    matching: how much ``offer_probability`` raises a chance at most
``job_loss_hazard``         job loss: monthly chance each job (off benefit) ends
``cost_eur``                budget: what the measure cost this month
``monthly``                 records: the measure's own monthly statistics (columns)
==========================  ==================================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from ..core.model import LabourModel

REGISTRY: dict[str, type[Measure]] = {}


class MeasureParams(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Measure:
    """Base class; subclasses set ``name``, ``Params``, ``sources`` and a docstring whose first
    line says what the measure is and whose body says the mechanism and the cost."""

    name: ClassVar[str] = ""
    Params: ClassVar[type[MeasureParams]] = MeasureParams
    sources: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.name:
            REGISTRY[cls.name] = cls

    def __init__(self, **params):
        self.p = self.Params(**params)

    def __repr__(self) -> str:
        return f"{self.name}({self.p.model_dump()})"

    def parameter_overrides(self) -> dict[str, object]:
        """Model parameters this measure sets (e.g. the sanction regime); applied at build."""
        return {}

    def setup(self, model: LabourModel) -> None:
        """Once, after the model is built and before month 0."""

    def admit_claims(self, model: LabourModel, uids: np.ndarray, claims: dict) -> np.ndarray:
        """Which claims are filed (False = deterred: the person leaves the model)."""
        return np.ones(len(uids), dtype=bool)

    def divert_to_work(self, model: LabourModel, uids: np.ndarray, claims: dict) -> np.ndarray:
        """Which claimants are mediated into a job before the benefit starts (True = to work).

        The core then follows them as people in work, so a job that ends brings them back."""
        return np.zeros(len(uids), dtype=bool)

    def assign_consultants(self, model: LabourModel, rows: np.ndarray, consultant: np.ndarray) -> np.ndarray:
        """The consultant (table row) each person entering benefit gets."""
        return consultant

    def contact_weight(self, model: LabourModel, rows: np.ndarray, weight: np.ndarray) -> np.ndarray:
        return weight

    def contact_effect(self, model: LabourModel, rows: np.ndarray, effect: np.ndarray) -> np.ndarray:
        return effect

    def debt_help_capacity(self, model: LabourModel, capacity: int) -> int:
        return capacity

    def services(self, model: LabourModel) -> None:
        pass

    def search_effort(self, model: LabourModel, rows: np.ndarray, effort: np.ndarray) -> np.ndarray:
        return effort

    def vacancies(self, model: LabourModel, counts: np.ndarray) -> np.ndarray:
        return counts

    def offer_probability(
        self, model: LabourModel, person: np.ndarray, employer: np.ndarray, p: np.ndarray
    ) -> np.ndarray:
        return p

    def max_offer_multiplier(self, model: LabourModel, person: np.ndarray) -> float | np.ndarray:
        """The largest factor by which :meth:`offer_probability` can raise the chance of each
        application of population row ``person`` (scalar or per application). The core skips
        applications whose screening draw is above the highest chance they could have, so a
        measure that raises chances must say by how much at most (a waived penalty counts by
        the ratio it restores)."""
        return 1.0

    def job_loss_hazard(self, model: LabourModel, rows: np.ndarray, hazard: np.ndarray) -> np.ndarray:
        """Monthly chance that the job of each person in work (off benefit) ends."""
        return hazard

    def cost_eur(self, model: LabourModel) -> float:
        return 0.0

    def monthly(self, model: LabourModel) -> dict[str, float]:
        """The measure's own monthly figures; columns are named ``<measure>_<key>``."""
        return {}

    def monthly_keys(self) -> tuple[str, ...]:
        """The keys :meth:`monthly` returns (so the columns exist from month 0)."""
        return ()
