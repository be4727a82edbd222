"""Benefit calculation under the Participatiewet, and the municipal budget."""

from __future__ import annotations

import math

import numpy as np

# The statutory earnings disregard (art. 31(2)(n) Pw, July 2024; CALIBRATION.md): 25% of earnings,
# at most EUR 269 a month, for 6 months a spell, from age 27. The parameters' defaults; what a
# measure pays above it is the measure's cost (benefit_above_statutory_eur).
STATUTORY_DISREGARD = {"share": 0.25, "cap_eur": 269.0, "max_months": 6, "min_age": 27.0}


def benefit_norm(household: np.ndarray, single_eur: float, couple_eur: float) -> np.ndarray:
    """Monthly norm: single and single parent get the single norm, couples the couple norm
    (CALIBRATION.md rules, July 2024)."""
    return np.where(household == 2, couple_eur, single_eur)


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
    """Benefit paid: norm minus earnings not disregarded, never negative, times (1 - cut)."""
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
