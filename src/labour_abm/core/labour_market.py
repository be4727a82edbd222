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


def sector_shares(sector_mix: str) -> np.ndarray:
    """Shares of the city's employers (and of recipients' past jobs) by sector: the national table
    times the city's location quotients (its share of jobs in a sector over the national share;
    labour_market.toml, [sector_mix]), normalised."""
    s = market_data()["sectors"]
    quotient = market_data()["sector_mix"][sector_mix].get("location_quotient", {})
    if unknown := set(quotient) - set(s["names"]):  # a data error in the shipped file, not a user's
        raise ValueError(f"labour_market.toml, [sector_mix.{sector_mix}]: unknown sectors {sorted(unknown)}")
    share = np.array(s["employer_share"], dtype=float) * np.array([quotient.get(n, 1.0) for n in s["names"]])
    return share / share.sum()


SERIES = ("new_vacancies", "job_losses")  # what a scenario sets over time, relative to month 0


@dataclass(frozen=True)
class Conditions:
    """The labour market in one month, relative to the start."""

    vacancy_multiplier: float  # new vacancies posted
    job_loss_multiplier: float  # jobs lost: inflow into WW, into the other job seekers and claims straight from a job


class Scenario:
    """Paths of new vacancies and job losses relative to month 0 (labour_market.toml), linear
    between the given points and flat after the last; a path not given stays at 1."""

    def __init__(self, name: str):
        spec = market_data()["scenarios"][name]
        self.name, self.source, self.start = name, spec["source"], spec.get("start")
        self._paths = {s: np.array(spec.get(s, [[0, 1.0]]), dtype=float).T for s in SERIES}

    def at(self, month: int) -> Conditions:
        return Conditions(*(float(np.interp(month, *self._paths[s])) for s in SERIES))


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
    share = sector_shares(p.sector_mix)
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
    recipients) that keeps it where it starts in a stable market, times the scenario's job
    losses. A job seeker a recipient displaces stays in the pool and finds work later: sooner
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

    def update_seekers(self, hired: int, job_loss_multiplier: float) -> None:
        """The pool after a month: those hired and those who stop searching leave, job losers and
        school leavers come in (their number follows the scenario's job losses)."""
        self.seekers = max(0.0, self.seekers * (1.0 - self.exit) - hired
                           + self.seekers_inflow_per_month * job_loss_multiplier)


class WwPool:
    """The city's WW (unemployment insurance) recipients, as counts by the months of entitlement
    they have left (not agents): the route by which job losers reach bijstand when their WW ends.

    Job losers enter with an entitlement drawn from the work histories of WW entrants
    (labour_market.toml, [ww]); their number follows the scenario's job losses. Each month a share
    finds work: ``ww_job_finding_per_month`` in a stable market, times (new vacancies / WW
    recipients, both relative to the start) to the power ``matching_elasticity``, the job finding
    of a matching function with the market's elasticity. It follows the scenario only, not what
    recipients do, so every arm of an experiment gets the same claims (common random numbers);
    the cost is that displacement does not keep WW recipients on WW longer. Who reaches the end
    of the entitlement without work leaves WW; a share of them claims bijstand.
    That share is set so that in a stable market the WW route brings ``inflow_share_from_ww`` of
    the new claims, so the cycle moves the WW claims through the pool: later than the job losses,
    by the months of WW, and fewer when vacancies are plentiful.
    """

    def __init__(self, p: Parameters):
        ww = market_data()["ww"]
        months = np.array(ww["entitlement_months"], dtype=int)
        share = np.array(ww["entitlement_share"], dtype=float)
        self.entrants = np.zeros(months.max() + 1)  # by months of entitlement; index 0 unused
        np.add.at(self.entrants, months, share / share.sum())
        self.inflow_per_month = p.jobs_in_city * p.ww_inflow_per_job_per_month
        self.job_finding, self.elasticity = p.ww_job_finding_per_month, p.matching_elasticity
        self.left = np.zeros_like(self.entrants)  # recipients by months left, this month included
        self.found_work = self.exhausted = 0.0
        self.recipients_at_start = 0.0  # 0: job finding as in a stable market while the start is built
        for _ in range(len(self.left)):  # a stable market's steady state
            self.advance(1.0, 1.0)
        self.recipients_at_start, self.exhausted_at_start = self.recipients, self.exhausted

    @property
    def recipients(self) -> float:
        return float(self.left.sum())

    def entering_last_months(self, months: int) -> float:
        """Recipients who, this month, have ``months`` months of WW left (those who start with
        fewer enter their last months at once): whom a measure that acts that long before the end
        reaches."""
        months = max(1, months)
        return float(self.left[months] if months < len(self.left) else 0.0) + float(
            self._entered * self.entrants[1:months].sum())

    def advance(self, job_loss_multiplier: float, vacancy_multiplier: float) -> float:
        """One month: some find work, the last month of some runs out, job losers come in. Returns
        the recipients whose WW ended without work (a fraction of a person is fine: a mean)."""
        self._entered = self.inflow_per_month * job_loss_multiplier
        tightness = 1.0
        if self.recipients_at_start > 0 and self.recipients > 0:
            tightness = vacancy_multiplier / (self.recipients / self.recipients_at_start)
        h = min(1.0, self.job_finding * tightness ** self.elasticity)
        self.found_work = float(self.left.sum()) * h
        self.left *= 1.0 - h
        self.exhausted = float(self.left[1])
        self.left[1:-1] = self.left[2:]
        self.left[-1] = 0.0
        self.left += self._entered * self.entrants
        return self.exhausted

    def claim_multiplier(self) -> float:
        """WW ending without work this month, relative to a stable market: the WW route's new claims."""
        return self.exhausted / self.exhausted_at_start if self.exhausted_at_start > 0 else 0.0
