"""The local labour market: sectors, employers, scenarios of vacancies and inflow."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from .params import Parameters
from .population import Columns


@cache
def market_data() -> dict:
    with resources.files("labour_abm.data").joinpath("labour_market.toml").open("rb") as f:
        return tomllib.load(f)


def sector_names() -> tuple[str, ...]:
    return tuple(market_data()["sectors"]["names"])


@dataclass(frozen=True)
class Conditions:
    """The labour market in one month, relative to the start."""

    vacancy_multiplier: float
    inflow_multiplier: float


class Scenario:
    """A path of vacancy and new-claims multipliers, linear between the given points."""

    def __init__(self, name: str):
        spec = market_data()["scenarios"][name]
        pts = np.array(spec["points"], dtype=float)
        self.name, self.source = name, spec["source"]
        self._months, self._vac, self._inflow = pts[:, 0], pts[:, 1], pts[:, 2]

    def at(self, month: int) -> Conditions:
        return Conditions(
            float(np.interp(month, self._months, self._vac)),
            float(np.interp(month, self._months, self._inflow)),
        )


EMPLOYER_SCHEMA: dict[str, tuple[type, object]] = {
    "sector": (np.int8, 0),
    "size": (np.float32, 1.0),
    "vacancy_rate_per_month": (np.float32, 0.0),
    "parttime_share": (np.float32, 0.0),
    "requires_language": (np.bool_, False),
    "requires_health": (np.bool_, False),
    "requires_qualification": (np.bool_, False),
    "screens_debt": (np.bool_, False),
    "openness": (np.float32, 0.5),
    "known": (np.bool_, False),
    "wage_eur": (np.float32, 0.0),
    "hires_from_bijstand": (np.int32, 0),
    "vacancies": (np.int32, 0),
}


class Employers(Columns):
    """Employers' attributes as columns; :class:`labour_abm.core.agents.Employer` is a view on a row."""

    schema = EMPLOYER_SCHEMA


def create_employers(p: Parameters, rng: np.random.Generator) -> Employers:
    """Draw the local employers (sector, size, requirements, openness, wage)."""
    s = market_data()["sectors"]
    n = max(len(s["names"]), round(p.employers_per_1000_recipients * p.initial_stock / 1000))
    emp = Employers(n)
    emp.append(n)
    share = np.array(s["employer_share"]) / np.sum(s["employer_share"])
    sector = rng.choice(len(share), size=n, p=share)
    emp.sector[:] = sector
    # firm sizes are skewed: a few large employers post many vacancies (assumption: lognormal)
    size = rng.lognormal(0.0, 1.0, n)
    emp.size[:] = size
    emp.vacancy_rate_per_month[:] = p.vacancies_per_employer_per_month * size / size.mean()
    pt = np.array(s["parttime_relative"])[sector]
    emp.parttime_share[:] = np.clip(p.vacancy_share_parttime * pt / pt.mean(), 0, 0.95)
    for col, key in (
        ("requires_language", "language_required"),
        ("requires_health", "health_required"),
        ("requires_qualification", "qualification_required"),
        ("screens_debt", "debt_screened"),
    ):
        getattr(emp, col)[:] = rng.random(n) < np.array(s[key])[sector]
    m = p.employer_openness_mean
    emp.openness[:] = rng.beta(4 * m + 1e-9, 4 * (1 - m) + 1e-9, n) if 0 < m < 1 else m
    emp.known[:] = rng.random(n) < p.employer_known_share
    emp.wage_eur[:] = (
        p.fulltime_net_wage_eur_per_month * np.array(s["wage_relative"])[sector]
        * rng.lognormal(0.0, 0.1, n)
    )
    return emp
