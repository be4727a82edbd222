"""Benefit calculation under the Participatiewet, and the municipal budget."""

from __future__ import annotations

import math

import numpy as np

# The statutory earnings disregard (art. 31(2)(n) Pw, July 2024; CALIBRATION.md): 25% of earnings,
# at most EUR 269 a month, for 6 months a spell, from age 27. The parameters' defaults; what a
# measure pays above it is the measure's cost (benefit_above_statutory_eur).
STATUTORY_DISREGARD = {"share": 0.25, "cap_eur": 269.0, "max_months": 6, "min_age": 27.0}

# The household is the benefit unit; these rules follow the law and are pinned on the published
# amounts (tests/test_rules_benefit.py).
COST_SHARER_MIN_AGE = 27.0  # art. 22a(4) Pw: adults under 27 do not count as cost-sharers (21 before 2023)
YOUTH_NORM_BELOW_AGE = 21.0  # art. 20 Pw: lower norms for 18-20 year-olds, which the cost-sharing norm leaves alone
SINGLE_PARENT_EXEMPTION_CHILD_BELOW_YEARS = 5.0  # art. 9a Pw: on request, while the youngest child is under 5
SINGLE_PARENT_EXEMPTION_MAX_MONTHS = 60  # art. 9a Pw: at most five years in all


def cost_sharing_share(sharers: np.ndarray) -> np.ndarray:
    """Each adult's norm as a share of the couple norm under the cost-sharing norm
    (kostendelersnorm, art. 22a Pw): (40 + 30 A) / (100 A), with A the cost-sharers in the home,
    the claimant (and partner) included: 70% alone (the single norm), 50% with two, 43.3% with
    three, 40% with four. Cost-sharers are adults of 27 or over (since 2023), not commercial
    tenants or students on student finance."""
    a = np.maximum(np.asarray(sharers, dtype=float), 1.0)
    return (40.0 + 30.0 * a) / (100.0 * a)


def household_norm(
    couple: np.ndarray,
    age_years: np.ndarray,
    partner_age_years: np.ndarray,
    children: np.ndarray,
    sharers: np.ndarray,
    *,
    couple_eur: float,
    youth_single_eur: float,
    youth_couple_eur: tuple[float, float],
    youth_mixed_couple_eur: tuple[float, float],
) -> np.ndarray:
    """The monthly norm of a benefit unit (a single person, a single parent or a couple).

    From 21 (both partners): the cost-sharing norm, :func:`cost_sharing_share` of the couple
    norm for each adult of the unit, so a single person alone gets 70% of it and a couple alone
    100% (art. 21, 22a Pw). Under 21 the youth norms (art. 20 Pw): ``youth_single_eur`` for a
    single person or single parent; for a couple both under 21 ``youth_couple_eur`` (without,
    with children), one under 21 ``youth_mixed_couple_eur`` (without, with children). Children
    do not raise the norm otherwise: the child budget is paid outside bijstand. ``sharers``
    counts the cost-sharers in the home, the unit's own adults of 27+ included (at least the
    unit's adults). ``partner_age_years`` is read for couples only.
    """
    couple = np.asarray(couple, bool)
    adults = 1.0 + couple
    a = np.maximum(np.asarray(sharers, dtype=float), adults)
    norm = adults * (40.0 + 30.0 * a) / (100.0 * a) * couple_eur  # adults times cost_sharing_share(a)
    # youth norms, worked out for the few under 21 only
    age, partner_age = np.asarray(age_years), np.asarray(partner_age_years)
    young_partner = couple & (partner_age < YOUTH_NORM_BELOW_AGE)
    rows = ((age < YOUTH_NORM_BELOW_AGE) | young_partner).nonzero()[0]
    if len(rows):
        pair, young, young_partner = couple[rows], age[rows] < YOUTH_NORM_BELOW_AGE, young_partner[rows]
        with_children = np.asarray(children)[rows] > 0
        both = np.where(with_children, youth_couple_eur[1], youth_couple_eur[0])
        mixed = np.where(with_children, youth_mixed_couple_eur[1], youth_mixed_couple_eur[0])
        norm[rows] = np.where(~pair, youth_single_eur, np.where(young & young_partner, both, mixed))
    return norm


def single_parent_exemption_allowed(
    single_parent: np.ndarray, youngest_child_age_years: np.ndarray, exempt_months_used: np.ndarray
) -> np.ndarray:
    """Whether a single parent may be exempted from the duty to work on request (art. 9a Pw):
    full care of a child under 5, and less than five years of such exemption used. They keep
    the duty to prepare for work (a plan within six months, schooling without a start
    qualification)."""
    return (
        np.asarray(single_parent, bool)
        & (np.asarray(youngest_child_age_years) < SINGLE_PARENT_EXEMPTION_CHILD_BELOW_YEARS)
        & (np.asarray(exempt_months_used) < SINGLE_PARENT_EXEMPTION_MAX_MONTHS)
    )


def earnings_disregard(
    earnings: np.ndarray,
    age_years: np.ndarray,
    months_used: np.ndarray,
    in_debt_arrangement: np.ndarray,
    *,
    share: float,
    cap_eur: float,
    max_months: int,
    min_age: float,
) -> np.ndarray:
    """The part of earnings not offset against the benefit (inkomstenvrijlating).

    min(share * earnings, cap) for people aged min_age+ who have used fewer than max_months
    (art. 31(2)(n) Pw: 25%, EUR 269, 6 months, 27+). In a debt arrangement the extra goes to
    creditors, so nothing is kept (issue 3 / debt help).
    """
    eligible = (earnings > 0) & (age_years >= min_age) & (months_used < max_months) & ~in_debt_arrangement
    return np.where(eligible, np.minimum(share * earnings, cap_eur), 0.0)


def benefit_paid(norm: np.ndarray, earnings: np.ndarray, disregard: np.ndarray, cut_share: np.ndarray) -> np.ndarray:
    """Benefit paid: norm minus earnings not disregarded, never negative, times (1 - cut).
    For a couple the earnings are both partners' (art. 19, 31(1) Pw: the family's income
    counts), so a partner's earnings lower the couple's benefit euro for euro beyond the
    disregard, and the benefit ends when the household's income reaches the norm."""
    return np.maximum(0.0, norm - (earnings - disregard)) * (1.0 - cut_share)


def safety_net(spending: float, allocation: float, own_risk: float, full_above: float) -> float:
    """State compensation of a deficit (vangnet), applied month by month on the month's figures.

    The municipality bears a deficit up to ``own_risk`` of the allocation alone, half of the
    slice up to ``full_above``, and nothing above it (CALIBRATION.md: 5% / 10%, Nijmegen 2017).
    """
    if allocation <= 0:
        return 0.0
    deficit_share = (spending - allocation) / allocation
    half = 0.5 * min(max(deficit_share - own_risk, 0.0), full_above - own_risk)
    full = max(deficit_share - full_above, 0.0)
    if math.isinf(full):  # an allocation so small that the deficit share overflows: the same sum in euros
        return allocation * half + (spending - allocation * (1 + full_above))
    return allocation * (half + full)
