"""The local labour market: sectors, employers, open vacancies, the other job seekers who
compete for them, and scenarios of vacancies and inflow."""

from __future__ import annotations

import math
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
    """Draw the local employers (sector, size, requirements, openness, wage); each posts its share
    (by size) of the city's new vacancies open to people out of work."""
    s = market_data()["sectors"]
    n = max(len(s["names"]), round(p.employers_per_1000_jobs * p.jobs_in_city / 1000))
    emp = Employers(n)
    emp.append(n)
    share = np.array(s["employer_share"]) / np.sum(s["employer_share"])
    sector = rng.choice(len(share), size=n, p=share)
    emp.sector[:] = sector
    # firm sizes are skewed: a few large employers post many vacancies (assumption: lognormal)
    size = rng.lognormal(0.0, 1.0, n)
    emp.size[:] = size
    emp.vacancy_rate_per_month[:] = new_vacancies_per_month(p) * size / size.sum()
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


def new_vacancies_per_month(p: Parameters) -> float:
    """The city's new vacancies a month, before the scenario."""
    return p.jobs_in_city * p.new_vacancies_per_job_per_month


# recipients' hires a month as a share of the stock in the calibrated baseline (full-time, part-time,
# leavers without income: 1.6% in Nijmegen runs): with it the pool of other job seekers starts near
# the level where it stays
RECIPIENT_HIRES_SHARE = 0.016
VACANCY_UIDS_PER_MONTH = 1 << 24  # a vacancy's uid: (month posted + 1) times this, plus its number that month


def filled_share(months_open: float, lapse: float) -> float:
    """The monthly chance that a vacancy open at matching is filled, when vacancies stay open
    ``months_open`` on average (CBS: open vacancies over those filled a month) and a share
    ``lapse`` of the unfilled is withdrawn: open / filled = (1 - h)(1 - lapse) / h."""
    return (1.0 - lapse) / (months_open + 1.0 - lapse)


class LocalMarket:
    """The open vacancies of the city's employers and the other job seekers who compete for them.

    Each month a share of the open vacancies ends its recruitment (``decides``) and goes to the
    best of its acceptable candidates, each equally likely (screening has already weighed their
    barriers): recipients whose application it found acceptable, other job seekers out of work
    (the unemployed not on bijstand, WW recipients among them) and job changers or people from
    outside the city or the labour force. The other candidates are not agents: a deciding
    vacancy has Poisson numbers of them. A vacancy with no candidate stays open, or is withdrawn
    with a small chance. So a recipient hired takes a vacancy someone else did not get.

    Job seekers out of work are a pool with a size: their candidates per vacancy follow the pool
    per open vacancy, and job changers' follow the open vacancies, both with the elasticity of a
    matching function (``matching_elasticity``). The levels are set on the national market of the
    reference year (labour_market.toml, [reference]): vacancies stay open as long as CBS measures,
    a deciding vacancy has ``acceptable_candidates_per_vacancy`` candidates, and people out of work
    fill the share ``vacancy_share_to_unemployed`` of the vacancies. A city starts in the steady
    state of its own tension. The pool loses those hired and those who stop searching
    (``other_job_seekers_exit_per_month``), and gets an inflow (job losers, school leavers, WW
    recipients) that keeps it where it starts in a stable market, times the scenario's inflow
    multiplier. A job seeker a recipient displaces stays in the pool and finds work later: sooner
    in a tight market, where the pool is small next to the vacancies.
    """

    def __init__(self, p: Parameters, employers: Employers, rng: np.random.Generator):
        ref = market_data()["reference"]
        self.lapse, self.elasticity = p.vacancy_lapse_per_month, p.matching_elasticity
        self.exit = p.other_job_seekers_exit_per_month
        # the reference market: a share `filled` of the vacancies open at matching is filled a month,
        # which is the share that decides times the chance of at least one candidate
        filled = filled_share(ref["vacancy_months_open"], self.lapse)
        candidates = p.acceptable_candidates_per_vacancy
        self.decides = min(1.0, filled / -math.expm1(-candidates))
        self.pool_ref = p.vacancy_share_to_unemployed * candidates
        self.outside_ref = candidates - self.pool_ref
        self.seekers_per_vacancy_ref = (1 - filled) * (1 - self.lapse) / ref["tension"]
        pool = self.pool_ref
        for _ in range(60):  # the city's steady state: its own tension sets how fast vacancies fill
            filled = self.decides * -math.expm1(-(pool + self.outside_ref))
            pool = 0.5 * pool + 0.5 * self._scaled(
                self.pool_ref, (1 - filled) * (1 - self.lapse) / p.labour_market_tension / self.seekers_per_vacancy_ref)
        to_pool = filled * pool / (pool + self.outside_ref)  # the share of open vacancies the pool fills a month
        new = new_vacancies_per_month(p)
        at_matching = new / (filled + (1 - filled) * self.lapse)
        self.open_at_start, before_posting = at_matching, at_matching - new
        self.seekers = before_posting / p.labour_market_tension  # CBS's tension: open vacancies per unemployed
        # the inflow that keeps the pool where it is: the vacancies it fills (the recipients' own hires
        # take some of them) and those who stop searching
        hired = RECIPIENT_HIRES_SHARE * p.initial_stock * pool / (pool + self.outside_ref)
        self.seekers_inflow_per_month = max(0.0, to_pool * at_matching - hired) + self.exit * self.seekers
        self.uid = np.empty(0, np.int64)
        self.employer = np.empty(0, np.int64)
        self.parttime = np.empty(0, bool)
        counts = rng.poisson(employers.vacancy_rate_per_month * (before_posting / max(new, 1e-9)))
        self.post(-1, counts, rng.random(int(counts.sum())) < np.repeat(employers.parttime_share, counts))

    def _scaled(self, level: float, relative: float) -> float:
        """Candidates per deciding vacancy at ``relative`` times the reference's people per vacancy."""
        return level * max(relative, 0.0) ** (1 - self.elasticity)

    def __len__(self) -> int:
        return len(self.uid)

    def post(self, month: int, counts: np.ndarray, parttime: np.ndarray) -> None:
        """Open ``counts[e]`` new vacancies at employer ``e`` (``parttime``: one flag per new vacancy)."""
        n = int(counts.sum())
        self.uid = np.concatenate((self.uid, (month + 1) * VACANCY_UIDS_PER_MONTH + np.arange(n)))
        self.employer = np.concatenate((self.employer, np.repeat(np.arange(len(counts)), counts)))
        self.parttime = np.concatenate((self.parttime, parttime))

    def candidates(self) -> tuple[float, float]:
        """Expected candidates per deciding vacancy this month: from the pool of job seekers out of
        work, and job changers or outsiders (a flow spread over the open vacancies)."""
        n = max(len(self), 1)
        pool = self._scaled(self.pool_ref, self.seekers / n / self.seekers_per_vacancy_ref)
        return pool, self._scaled(self.outside_ref, self.open_at_start / n)

    def take(self, n: int, u: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
        """Placements outside matching fill open vacancies someone else could have had: close the
        ``n`` open vacancies with the lowest draws ``u`` (one per open vacancy), only those where
        ``among`` is true if given. Returns their employers (fewer than ``n`` if not enough are open)."""
        candidates = np.arange(len(self)) if among is None else among.nonzero()[0]
        taken = candidates[np.argsort(u[candidates], kind="stable")[:n]]
        employers = self.employer[taken]
        closed = np.zeros(len(self), bool)
        closed[taken] = True
        self.close(closed)
        return employers

    def close(self, closed: np.ndarray) -> None:
        """Remove the open vacancies where ``closed`` (a boolean mask) is true."""
        keep = ~closed
        self.uid, self.employer, self.parttime = self.uid[keep], self.employer[keep], self.parttime[keep]

    def update_seekers(self, hired: int, inflow_multiplier: float) -> None:
        """The pool after a month: those hired and those who stop searching leave, the inflow comes in."""
        self.seekers = max(0.0, self.seekers * (1.0 - self.exit) - hired
                           + self.seekers_inflow_per_month * inflow_multiplier)
