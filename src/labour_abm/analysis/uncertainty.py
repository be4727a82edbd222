"""What is not known about the parameters: a plausible range, with its source, for each
uncertain parameter, and draws over them.

Two shipped files declare the ranges. ``data/calibration/free.toml`` holds the free
behavioural parameters that the baseline targets pin down. ``data/uncertainty.toml``
holds the rest: core parameters that set how a measure's effect passes through (``[core.*]``),
and the measures' effect sizes (``[measures.<measure>.<parameter>]``). The targets cannot narrow
the latter, because the baseline has no measures. An ensemble (experiments/ensemble.py) draws
from all of them.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

import numpy as np
from scipy.stats import qmc


@dataclass(frozen=True)
class Prior:
    """A plausible range: uniform on ``scale`` (linear or log) between ``low`` and ``high``."""

    name: str  # the column name: a parameter, or '<measure>.<parameter>'
    low: float
    high: float
    scale: str
    source: str
    measure: str | None = None  # the measure whose parameter it is (None: a model parameter)

    def __post_init__(self):
        if not self.low < self.high or self.scale not in ("linear", "log") or (self.scale == "log" and self.low <= 0):
            raise ValueError(f"{self.name}: a range needs low < high (and low > 0 on a log scale), got "
                             f"[{self.low}, {self.high}] on a {self.scale} scale")


def _file(*path: str) -> dict:
    return tomllib.loads(resources.files("labour_abm").joinpath("data", *path).read_text(encoding="utf-8"))


@functools.cache
def load() -> dict[str, Prior]:
    """Every uncertain parameter's plausible range, by column name (free.toml first)."""
    out = {}
    for name, spec in _file("calibration", "free.toml")["free"].items():
        out[name] = Prior(name, *spec["range"], spec.get("scale", "linear"), spec["why"])
    extra = _file("uncertainty.toml")
    for name, spec in extra.get("core", {}).items():
        out[name] = Prior(name, *spec["range"], spec.get("scale", "linear"), spec["source"])
    for measure, params in extra.get("measures", {}).items():
        for name, spec in params.items():
            key = f"{measure}.{name}"
            out[key] = Prior(key, *spec["range"], spec.get("scale", "linear"), spec["source"], measure)
    return out


def latin_hypercube(dimensions: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points in the unit cube, one in each of n slices of every dimension."""
    return qmc.LatinHypercube(d=dimensions, seed=rng).random(n)


def from_unit(priors: dict[str, Prior], unit: np.ndarray) -> list[dict[str, float]]:
    """Unit-cube points (one column per prior, in order) as parameter values."""
    columns = {}
    for j, p in enumerate(priors.values()):
        u = unit[:, j]
        columns[p.name] = (np.exp(np.log(p.low) + u * (np.log(p.high) - np.log(p.low))) if p.scale == "log"
                           else p.low + u * (p.high - p.low))
    return [{k: float(v[i]) for k, v in columns.items()} for i in range(len(unit))]


def to_unit(priors: dict[str, Prior], values: dict[str, float]) -> np.ndarray:
    """Parameter values as a point in the unit cube (clipped to the ranges): the inverse of
    :func:`from_unit`."""
    out = []
    for p in priors.values():
        v = float(np.clip(values[p.name], p.low, p.high))
        out.append((np.log(v) - np.log(p.low)) / (np.log(p.high) - np.log(p.low)) if p.scale == "log"
                   else (v - p.low) / (p.high - p.low))
    return np.array(out)
