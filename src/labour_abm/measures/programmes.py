"""City programmes: named combinations of measures, as data files with their targets and sources.

A programme file (``data/programmes/NAME.toml``) names the city preset it belongs to, the
target the city set itself (e.g. Nijmegen: 385 extra durable exits in 3 years), the budget
where known, its sources, and a list of measures with parameters.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..core import presets
from ..errors import UserError, shorter, validated
from ..io.files import read_toml
from . import Measure, MeasureSpec, make_measure, measure_overrides


class ProgrammeInfo(BaseModel):
    """A programme file's ``[programme]`` table. Besides these keys it may give the city's target
    as numbers named ``target_...`` (e.g. ``target_extra_durable_exits = 385``)."""

    model_config = ConfigDict(extra="allow", strict=True)
    name: str
    description: str
    preset: str
    target: str
    target_months: int | None = Field(None, ge=1)
    budget_eur: float | None = Field(None, ge=0)
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _targets_only(self):
        for key, value in (self.model_extra or {}).items():
            if not key.startswith("target_"):
                raise ValueError(f"unknown key '{shorter(key)}' (other than the fixed keys, only target_... numbers)")
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{key} must be a number, got {value!r}")
        return self


class ProgrammeFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    programme: ProgrammeInfo
    measures: list[MeasureSpec] = Field(min_length=1)


def _folder():
    return resources.files("labour_abm.data").joinpath("programmes")


def available() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in _folder().iterdir() if p.name.endswith(".toml"))


def load_file(path: str | Path) -> dict[str, Any]:
    """Read and check a programme file: keys and types, its preset, and its measures with their
    parameters. A mistake is a :class:`UserError` naming the file and the key."""
    data, _, where = read_toml(path, "programme")
    validated(ProgrammeFile, data, where)
    try:
        presets.preset_parameters(data["programme"]["preset"])
    except UserError as exc:
        raise UserError(f"{where}programme.preset: {exc}") from None
    measure_overrides([make_measure(m["name"], m.get("parameters", {}), where=f"{where}measures: ")
                       for m in data["measures"]], where=f"{where}measures: ")
    return data


@cache
def _load(name: str) -> dict[str, Any]:
    if name not in available():
        raise UserError(f"unknown programme '{shorter(name)}'. Available programmes: {', '.join(available())}.")
    return load_file(Path(str(_folder().joinpath(f"{name}.toml"))))


def info(name: str) -> dict[str, Any]:
    """The programme's description, preset, target, budget and sources."""
    return dict(_load(name)["programme"])


def measure_specs(name: str) -> list[tuple[str, dict[str, Any]]]:
    """The programme's measures as written: (name, the parameters it sets)."""
    return [(m["name"], dict(m.get("parameters", {}))) for m in _load(name)["measures"]]


def measures(name: str) -> list[Measure]:
    """Fresh measure objects for the programme (validated like any measure)."""
    where = f"programme '{name}': "
    return [make_measure(m, parameters, where=where) for m, parameters in measure_specs(name)]
