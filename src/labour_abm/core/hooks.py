"""The plug-in interface: the named points of the month where a policy measure acts.

:class:`MeasureHooks` declares every hook as a method whose default leaves the model as it is,
so a measure overrides only the hooks it needs, and a measure with a zero-effect setting gives
outputs identical to the baseline (common random numbers; tested for every measure). The
hooks are the methods marked ``@hook``, in the order the month calls them; :data:`HOOKS` is
derived from them and the model calls, at each hook, only the measures that override it.

Besides the hooks, a measure declares its monthly columns (:attr:`MeasureHooks.monthly_columns`,
each with a unit and meaning; :meth:`MeasureHooks.monthly` gives their values) and the model
parameters it sets (:meth:`MeasureHooks.parameter_overrides`). ``labour_abm.measures.Measure``
adds the rest: typed parameters, a name in the registry, sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from ..errors import UserError
from .statistics import MonthlyColumn

if TYPE_CHECKING:
    from .model import LabourModel


def hook(method):
    """Mark a method of :class:`MeasureHooks` as a hook of the month."""
    method.is_hook = True
    return method


class MeasureHooks:
    """What the model may ask of a measure, month by month; every default does nothing."""

    name: ClassVar[str] = ""
    monthly_columns: ClassVar[tuple[MonthlyColumn, ...]] = ()  # named <name>_<column> in monthly.parquet

    def parameter_overrides(self) -> dict[str, object]:
        """Before the model is built: model parameters this measure sets (e.g. the sanction regime)."""
        return {}

    def setup(self, model: LabourModel) -> None:
        """Once, after the model is built and before month 0."""

    @hook
    def admit_claims(self, model: LabourModel, uids: np.ndarray, claims: dict) -> np.ndarray:
        """Inflow: which claims are filed at all (False = deterred: the person leaves the model)."""
        return np.ones(len(uids), dtype=bool)

    @hook
    def divert_to_work(self, model: LabourModel, uids: np.ndarray, claims: dict) -> np.ndarray:
        """Inflow: which claimants are mediated into a job before the benefit starts (True = to work).
        The core then follows them as people in work, so a job that ends brings them back."""
        return np.zeros(len(uids), dtype=bool)

    @hook
    def assign_consultants(self, model: LabourModel, rows: np.ndarray, consultant: np.ndarray) -> np.ndarray:
        """Inflow: the consultant (table row) each person entering benefit gets."""
        return consultant

    @hook
    def contact_weight(self, model: LabourModel, rows: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """Contacts: the weight (share of the consultant's hours) of each recipient on benefit."""
        return weight

    @hook
    def contact_effect(self, model: LabourModel, rows: np.ndarray, effect: np.ndarray) -> np.ndarray:
        """Contacts: how much a contact does for each recipient seen."""
        return effect

    @hook
    def debt_help_capacity(self, model: LabourModel, capacity: int) -> int:
        """Services: new debt arrangements this month."""
        return capacity

    @hook
    def services(self, model: LabourModel) -> None:
        """Services: the measure's own service, waiting list and effects on the people in it."""

    @hook
    def search_effort(self, model: LabourModel, rows: np.ndarray, effort: np.ndarray) -> np.ndarray:
        """Search: the search effort of each recipient on benefit."""
        return effort

    @hook
    def vacancies(self, model: LabourModel, counts: np.ndarray) -> np.ndarray:
        """Matching: the new vacancies each employer posts this month (they join those still open)."""
        return counts

    @hook
    def offer_probability(self, model: LabourModel, person: np.ndarray, employer: np.ndarray,
                          p: np.ndarray) -> np.ndarray:
        """Matching: the chance each application gets an offer (of population row ``person``, to
        ``employer``)."""
        return p

    @hook
    def max_offer_multiplier(self, model: LabourModel, person: np.ndarray) -> float | np.ndarray | None:
        """Matching, optional: the most that offer_probability raises the chance of each
        application of population row ``person``.

        A scalar or one value per application; a waived penalty counts by the ratio it restores.
        Matching then works out the offer chance only for applications whose screening draw lies
        below that bound (exact, and faster). None, the default, means unknown: every application
        of a measure that raises chances is then worked out. A bound that proves too low stops
        the run with an error."""
        return None

    @hook
    def job_loss_hazard(self, model: LabourModel, rows: np.ndarray, hazard: np.ndarray) -> np.ndarray:
        """Job loss: the monthly chance that the job of each person in work (off benefit) ends."""
        return hazard

    @hook
    def cost_eur(self, model: LabourModel) -> float:
        """Budget: what the measure cost this month."""
        return 0.0

    @hook
    def monthly(self, model: LabourModel) -> dict[str, float]:
        """Records: the value of each of the measure's monthly_columns this month, by column name."""
        return {}


HOOKS = tuple(name for name, method in vars(MeasureHooks).items() if getattr(method, "is_hook", False))


def overrides(measure: MeasureHooks, name: str) -> bool:
    """Whether ``measure`` does something of its own at hook ``name`` (the defaults do nothing)."""
    own = getattr(measure, name)
    return getattr(own, "__func__", own) is not getattr(MeasureHooks, name)


def hooked_by(measures: Iterable[MeasureHooks]) -> dict[str, list[MeasureHooks]]:
    """For each hook, the measures that override it, in their order. Calling the default of every
    other measure, several times a month, was a few percent of a run with all measures on."""
    measures = list(measures)
    return {name: [m for m in measures if overrides(m, name)] for name in HOOKS}


def measure_overrides(measures: Iterable[MeasureHooks], where: str = "") -> dict[str, object]:
    """The model parameters the measures set; two measures may not set one differently.

    Also refuses the same measure twice (its columns and its state would collide)."""
    measures = list(measures)
    names = [m.name for m in measures]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UserError(f"{where}measure(s) {', '.join(twice)} switched on more than once; combine their settings "
                        "in one.")
    out: dict[str, object] = {}
    owner: dict[str, str] = {}
    for measure in measures:
        for key, value in measure.parameter_overrides().items():
            if key in out and out[key] != value:
                raise UserError(
                    f"{where}measures '{owner[key]}' and '{measure.name}' both set parameter '{key}' "
                    f"({out[key]!r} vs {value!r}); switch one of them off or align them."
                )
            out[key], owner[key] = value, measure.name
    return out
