"""Synthetic people: the stock at month 0 and each month's new claimants.

Barriers cluster (seed 004: "one or more problems"), so every person has a latent advantage
factor F ~ N(0, 1) and each barrier score is a Gaussian copula on it:

    z_k = sqrt(rho) * F + sqrt(1 - rho) * e_k,     score_k = Phi(z_k - Phi^-1(p_k)),

so that exactly a share p_k has a score below 0.5 = Phi(0) (population.BARRIER_BELOW: the
barrier), and barriers correlate with correlation rho. Every draw is keyed by uid
(rng.Streams), so the same person is drawn the same way in every arm of an experiment.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from .labour_market import sector_shares
from .params import WEEKS_PER_MONTH, Parameters
from .population import ROUTE_CODE, experienced, poor_health
from .rng import Streams, geometric_from_uniform

# Dutch proficiency problems by group (assumptions): natives rarely, recent refugees mostly.
P_INSUFFICIENT_DUTCH_NATIVE = 0.01
P_INSUFFICIENT_DUTCH_STATUSHOUDER = 0.75


@dataclass(frozen=True)
class Composition:
    """Who is drawn: age bands, background, and the prevalence of each barrier."""

    share_age_under_27: float
    share_age_27_45: float
    share_migrant: float
    share_statushouder: float
    no_start_qualification: float
    insufficient_dutch: float
    low_literacy: float
    poor_physical_health: float
    poor_mental_health: float
    problematic_debt: float
    low_motivation: float
    low_confidence: float
    share_single: float
    share_single_parent: float
    share_exempt: float

    @classmethod
    def stock(cls, p: Parameters) -> Composition:
        return cls(
            p.stock_share_age_under_27, p.stock_share_age_27_45, p.stock_share_migrant,
            p.stock_share_statushouder, p.stock_share_no_start_qualification,
            p.stock_share_insufficient_dutch, p.stock_share_low_literacy,
            p.stock_share_poor_physical_health, p.stock_share_poor_mental_health,
            p.stock_share_problematic_debt, p.stock_share_low_motivation,
            p.stock_share_low_confidence, p.stock_share_single, p.stock_share_single_parent,
            p.stock_share_exempt,
        )

    @classmethod
    def inflow(cls, p: Parameters) -> Composition:
        """New claimants: younger and with fewer barriers than the stock they join."""
        r = p.inflow_barrier_relative_prevalence
        s = cls.stock(p)
        return cls(
            p.inflow_share_age_under_27, p.inflow_share_age_27_45, s.share_migrant,
            p.inflow_share_statushouder, min(1.0, s.no_start_qualification * r),
            min(1.0, s.insufficient_dutch * r), min(1.0, s.low_literacy * r),
            min(1.0, s.poor_physical_health * r), min(1.0, s.poor_mental_health * r),
            min(1.0, s.problematic_debt * r), min(1.0, s.low_motivation * r),
            min(1.0, s.low_confidence * r), s.share_single, s.share_single_parent,
            0.0,  # exemptions are granted later, by a consultant (processes/contacts.py)
        )


# the draws of one person, one column each (keyed by uid, so common across arms)
UNIFORMS = ("age_band", "age_within", "migrant", "statushouder", "household", "exempt", "sector", "neighbourhood",
            "unjustified")
NORMALS = ("advantage", "dutch", "literacy", "physical", "mental", "motivation", "confidence",
           "qualification", "debt", "debt_eur")


BARRIER_SCORES = ("dutch", "literacy", "physical", "mental", "motivation", "confidence")


def _prevalence(p):
    """Normal quantile of a prevalence (scalar or array), kept off 0 and 1."""
    if np.ndim(p) == 0:
        return float(ndtri(min(max(float(p), 1e-6), 1 - 1e-6)))
    return ndtri(np.clip(p, 1e-6, 1 - 1e-6))


@functools.lru_cache(maxsize=16)
def _quantiles(c: Composition) -> tuple[list[float], float, float]:
    """Normal quantiles of the prevalences that are the same for everyone: the barriers after Dutch,
    no start qualification and problematic debt (each month's inflow has the same: worked out once)."""
    prevalence = [c.low_literacy, c.poor_physical_health, c.poor_mental_health, c.low_motivation, c.low_confidence]
    return [_prevalence(x) for x in prevalence], _prevalence(c.no_start_qualification), _prevalence(c.problematic_debt)


def draw_people(
    streams: Streams, tag: str, month: int, uids: np.ndarray, c: Composition, p: Parameters,
) -> dict[str, np.ndarray]:
    """Draw the attributes of new people (column name -> array), keyed by uid."""
    n = len(uids)
    draws = streams.uniforms(tag, month, uids, len(UNIFORMS) + len(NORMALS))
    normals = ndtri(np.clip(draws[:, len(UNIFORMS):], 1e-12, 1 - 1e-12))

    def u(name):
        return draws[:, UNIFORMS.index(name)]

    def z(name):
        return normals[:, NORMALS.index(name)]

    rho = p.barrier_correlation
    advantage = z("advantage")
    # the latent value of every barrier at once (one column per name in BARRIER_SCORES + 2)
    cols = [NORMALS.index(k) for k in (*BARRIER_SCORES, "qualification", "debt")]
    latents = np.sqrt(rho) * advantage[:, None] + np.sqrt(1 - rho) * normals[:, cols]

    def latent(name):
        return latents[:, (*BARRIER_SCORES, "qualification", "debt").index(name)]

    out: dict[str, np.ndarray] = {}
    ua = u("age_band")
    band_young = ua < c.share_age_under_27
    band_mid = ~band_young & (ua < c.share_age_under_27 + c.share_age_27_45)
    within = u("age_within")
    age = np.where(band_young, 18 + 9 * within,
                   np.where(band_mid, 27 + 18 * within, 45 + (p.pension_age_years - 45) * within))
    out["age_years"] = np.minimum(age, p.pension_age_years - 0.01).astype(np.float32)

    migrant = u("migrant") < c.share_migrant
    statushouder = migrant & (u("statushouder") < c.share_statushouder / max(c.share_migrant, 1e-9))
    out["migrant"], out["statushouder"] = migrant, statushouder

    # Dutch: solve the prevalence among other migrants so that the total hits the target.
    other_migrants = c.share_migrant - c.share_statushouder
    rest = (c.insufficient_dutch - (1 - c.share_migrant) * P_INSUFFICIENT_DUTCH_NATIVE
            - c.share_statushouder * P_INSUFFICIENT_DUTCH_STATUSHOUDER)
    p_other = np.clip(rest / other_migrants, 0.01, 0.99) if other_migrants > 0 else 0.5
    p_dutch = np.where(statushouder, P_INSUFFICIENT_DUTCH_STATUSHOUDER,
                       np.where(migrant, p_other, P_INSUFFICIENT_DUTCH_NATIVE))
    other_barriers, qualification, problematic_debt = _quantiles(c)
    shift = np.empty((n, len(BARRIER_SCORES)))
    shift[:, 0] = _prevalence(p_dutch)
    shift[:, 1:] = other_barriers
    scores = ndtr(latents[:, : len(BARRIER_SCORES)] - shift).astype(np.float32)
    for i, column in enumerate(("dutch", "literacy", "physical_health", "mental_health", "motivation", "confidence")):
        out[column] = scores[:, i]
    out["start_qualification"] = latent("qualification") >= qualification
    debt = latent("debt") < problematic_debt
    out["debt"] = debt
    # lognormal with the stated mean (sigma 0.8: assumption)
    out["debt_eur"] = np.where(
        debt, p.debt_mean_eur * np.exp(0.8 * z("debt_eur") - 0.32), 0
    ).astype(np.float32)

    uh = u("household")
    out["household"] = np.where(uh < c.share_single, 0,
                                np.where(uh < c.share_single + c.share_single_parent, 1, 2)).astype(np.int8)
    unwell = poor_health(out["physical_health"], out["mental_health"])
    # exemption goes to people in poor health (Divosa: mostly on medical grounds)
    p_exempt_given_poor = min(1.0, c.share_exempt / max(float(unwell.mean()), 1e-9)) if n else 0.0
    out["exempt"] = unwell & (u("exempt") < p_exempt_given_poor)

    # work history: the more advantaged have worked more of their adult life (assumption)
    worked_share = ndtr(0.3 + 0.8 * advantage)
    experience = np.maximum(0, out["age_years"] - 18) * worked_share
    out["experience_years"] = experience.astype(np.float32)
    sh = sector_shares(p.sector_mix)  # past jobs were local: the city's sector mix
    sector = np.searchsorted(np.cumsum(sh), u("sector"), side="right")
    out["sector"] = np.where(experienced(experience), np.minimum(sector, len(sh) - 1), -1).astype(np.int8)
    out["neighbourhood"] = np.floor(u("neighbourhood") * p.neighbourhoods).astype(np.int16)
    out["unjustified"] = u("unjustified") < p.unjustified_claim_share
    out["_advantage"] = advantage
    return out


# assumptions: partners' ages differ by a few years; most young people at home live with both parents
PARTNER_AGE_SD_YEARS = 4.0
BOTH_PARENTS_AT_HOME_SHARE = 0.7
MOTHER_AGE_AT_BIRTH_YEARS = (18.0, 45.0)  # the youngest child was born while the parent was this old


def draw_households(
    streams: Streams, tag: str, month: int, uids: np.ndarray, household: np.ndarray, age: np.ndarray, p: Parameters,
) -> dict[str, np.ndarray]:
    """The household of each benefit unit (a single person, single parent or couple, drawn with
    the person): the partner's age and earnings, children and the youngest one's age, the other
    adults of 27+ in the home (cost-sharers), and a single parent's exemption on request
    (art. 9a Pw). Keyed by uid like every other draw."""
    u = streams.uniforms(f"{tag}:household", month, uids, 8)
    couple, parent = household == 2, household == 1
    partner_age = np.clip(age + PARTNER_AGE_SD_YEARS * ndtri(np.clip(u[:, 0], 1e-9, 1 - 1e-9)),
                          18.0, p.pension_age_years - 0.01)
    hours = p.parttime_hours_per_week_min + (p.parttime_hours_per_week_max - p.parttime_hours_per_week_min) * u[:, 1]
    partner_works = couple & (u[:, 2] < p.partner_share_with_earnings)
    with_children = parent | (couple & (u[:, 3] < p.couple_share_with_children))
    children = 1 + geometric_from_uniform(1.0 / p.children_mean, u[:, 4])
    # youngest child's age 18 u^k, with k such that a share single_parent_share_youngest_under_5 is under 5
    k = np.log(5.0 / 18.0) / np.log(min(max(p.single_parent_share_youngest_under_5, 1e-6), 1 - 1e-6))
    born_from, born_until = MOTHER_AGE_AT_BIRTH_YEARS
    youngest = np.clip(18.0 * u[:, 5] ** k, np.maximum(age - born_until, 0.0), np.maximum(age - born_from, 0.0))
    youngest = np.minimum(youngest, 17.9)
    alone = household == 0
    at_parents = alone & (age < 27) & (u[:, 6] < p.young_share_living_with_parents)
    sharing = ~at_parents & (u[:, 6] >= 1.0 - p.share_sharing_home)
    care_exempt = parent & (youngest < 5.0) & (u[:, 7] < p.single_parent_exemption_uptake_share)
    return {
        "partner_age_years": np.where(couple, partner_age, 0.0).astype(np.float32),
        "partner_earnings_eur": np.where(partner_works, hours * WEEKS_PER_MONTH * p.parttime_net_wage_eur_per_hour,
                                         0.0).astype(np.float32),
        "children": np.where(with_children, np.minimum(children, 10), 0).astype(np.int8),
        "youngest_child_age_years": np.where(with_children, youngest, -1.0).astype(np.float32),
        "cost_sharers": np.where(at_parents, 1 + (u[:, 7] < BOTH_PARENTS_AT_HOME_SHARE), sharing).astype(np.int8),
        "care_exempt": care_exempt,
    }


def draw_new_claimants(streams: Streams, month: int, uids: np.ndarray, p: Parameters,
                       route_shares: dict[str, float] | None = None) -> dict[str, np.ndarray]:
    """This month's new claimants with their entry route, time since their last job and, for
    those who bridge the wait for another income, the month it starts.

    ``route_shares`` gives this month's shares of the ``ww``, ``job`` and ``school`` routes (the
    rest is ``other``: from inactivity); by default those of a stable market. Claimants straight
    from a job are those whose last job ended most recently: in a stable market the months since
    work of the ``job`` and ``other`` routes together are exponential (mean 12 months) and the
    ``job`` route is its lowest part, so the cycle changes how many come from a job, not who
    they are."""
    shares = route_shares or {"ww": p.inflow_share_from_ww, "job": p.inflow_share_from_job,
                              "school": p.inflow_share_from_school}
    c = Composition.inflow(p)
    out = draw_people(streams, "claim", month, uids, c, p)
    extra = streams.uniforms("claim:entry", month, uids, 6)
    ur, school_u, gap_u = extra[:, 0], extra[:, 1], extra[:, 2]
    from_ww = ur < shares["ww"]
    from_school = ~from_ww & (ur < shares["ww"] + shares["school"])
    rest = 1.0 - shares["ww"] - shares["school"]
    from_job = ~from_ww & ~from_school & (extra[:, 5] * rest < shares["job"])
    # school leavers are young, have no work history and no sector yet
    school_age = 18 + 3 * school_u
    out["age_years"] = np.where(from_school, school_age, out["age_years"]).astype(np.float32)
    out["experience_years"] = np.where(from_school, 0, out["experience_years"]).astype(np.float32)
    out["sector"] = np.where(from_school, -1, out["sector"]).astype(np.int8)
    out["household"] = np.where(from_school, 0, out["household"]).astype(np.int8)
    route = np.full(len(uids), ROUTE_CODE["other"], dtype=np.int8)
    route[from_ww] = ROUTE_CODE["ww"]
    route[from_school] = ROUTE_CODE["school"]
    route[from_job] = ROUTE_CODE["job"]
    out["entry_route"] = route
    # months since the last job: WW lasts 3-24 months (WW rules); straight from a job, the lowest
    # part (in a stable market the job route's share of both) of an exponential with mean 12 months,
    # from inactivity the rest of it
    stable_rest = 1.0 - p.inflow_share_from_ww - p.inflow_share_from_school
    q = min(1.0, p.inflow_share_from_job / stable_rest) if stable_rest > 0 else 1.0
    gap = -np.log1p(-np.where(from_job, gap_u * q, q + gap_u * (1.0 - q)))
    since = np.where(from_ww, 3 + 9 * -np.log1p(-gap_u), np.where(from_school, 0, 12 * gap))
    out["months_since_work"] = np.minimum(since, 999).astype(np.int16)
    bridging = extra[:, 3] < p.inflow_share_bridging
    wait = months_until_income(extra[:, 4], p.bridging_months_mean)
    out["awaited_income_month"] = np.where(bridging, month + wait, -1).astype(np.int16)
    out.update(draw_households(streams, "claim", month, uids, out["household"], out["age_years"], p))
    out.pop("_advantage")
    return out


def months_until_income(u: np.ndarray, mean_months: float) -> np.ndarray:
    """Months until an awaited income starts: 1, 2, ... (geometric with the given mean, at least
    1), drawn by inverting the uniforms ``u``."""
    return 1 + geometric_from_uniform(1.0 / max(mean_months, 1.0), u)


def draw_initial_stock(streams: Streams, uids: np.ndarray, p: Parameters) -> dict[str, np.ndarray]:
    """The caseload at month 0, with the composition of CALIBRATION.md and past durations.

    Months on benefit are exponential with a mean that rises for disadvantaged people
    (``initial_duration_disadvantage_gradient``), so the long-term stock holds the hard cases.
    """
    out = draw_people(streams, "stock", -1, uids, Composition.stock(p), p)
    advantage = out.pop("_advantage")
    mean = p.initial_duration_mean_months * np.exp(-p.initial_duration_disadvantage_gradient * advantage)
    months = -mean * np.log1p(-streams.uniform("stock:duration", -1, uids))
    adult_months = np.maximum(1, (out["age_years"] - 18) * 12)
    months = np.clip(months, 1, adult_months)  # on benefit before month 0
    out["months_on_benefit"] = months.astype(np.int16)
    out["months_on_benefit_total"] = months.astype(np.int16)
    gap = 6 * -np.log1p(-streams.uniform("stock:gap", -1, uids))
    out["months_since_work"] = np.minimum(months + gap, 999).astype(np.int16)
    ur = streams.uniform("stock:route", -1, uids)
    out["entry_route"] = np.where(
        ur < p.inflow_share_from_ww, ROUTE_CODE["ww"],
        np.where(ur < p.inflow_share_from_ww + p.inflow_share_from_school, ROUTE_CODE["school"],
                 ROUTE_CODE["other"])).astype(np.int8)
    out.update(draw_households(streams, "stock", -1, uids, out["household"], out["age_years"], p))
    # the exemption of a single parent in the stock has run since the spell or the child's birth
    out["care_exempt_months"] = np.where(
        out["care_exempt"], np.minimum(months, out["youngest_child_age_years"] * 12), 0).astype(np.int16)
    return out
