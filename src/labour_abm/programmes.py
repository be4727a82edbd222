"""City programmes: named combinations of measures, as data files with their targets and sources.

A programme file (``data/programmes/NAME.toml``) names the city preset it belongs to, the
target the city set itself (e.g. Nijmegen: 385 extra durable exits in 3 years), the budget
where known, its sources, and a list of measures with parameters.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from .errors import UserError
from .measures import Measure, make_measure


def _folder():
    return resources.files("labour_abm.data").joinpath("programmes")


def available() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in _folder().iterdir() if p.name.endswith(".toml"))


@cache
def _load(name: str) -> dict[str, Any]:
    if name not in available():
        raise UserError(f"unknown programme '{name}'. Available programmes: {', '.join(available())}.")
    with _folder().joinpath(f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


def info(name: str) -> dict[str, Any]:
    """The programme's description, preset, target, budget and sources."""
    return dict(_load(name)["programme"])


def measures(name: str) -> list[Measure]:
    """Fresh measure objects for the programme (validated like any measure)."""
    where = f"programme '{name}': "
    return [make_measure(m["name"], m.get("parameters", {}), where=where) for m in _load(name)["measures"]]
