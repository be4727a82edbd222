"""The measure base class: typed parameters, a name in the registry, sources, and the hooks.

A measure is one small class in its own file. It declares its parameters as a pydantic model
(defaults with sources, bounds, unknown keys refused), its monthly columns
(``monthly_columns``: name, unit, meaning; ``monthly()`` gives their values), and overrides
only the hooks of the month it needs (:class:`labour_abm.core.hooks.MeasureHooks` lists them,
each with its place in the month; docs/measures.md shows the table). Every hook's default
leaves the model untouched, so a measure with a zero-effect setting gives outputs identical
to the baseline (common random numbers; tested for every measure).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from ..core.hooks import MeasureHooks

REGISTRY: dict[str, type[Measure]] = {}


class MeasureParams(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Measure(MeasureHooks):
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

    @classmethod
    def assumed_parameters(cls) -> list[str]:
        """The parameters whose value rests on an assumption (their description says so) rather
        than on a source: what the report and docs/measures.md list as not known from evidence."""
        return [k for k, f in cls.Params.model_fields.items() if "assumption" in (f.description or "").lower()]
