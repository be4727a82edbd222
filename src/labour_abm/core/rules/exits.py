"""Exits from benefit other than work, and returns of those who left."""

from __future__ import annotations

import numpy as np


def other_exit_hazards(
    age_years: np.ndarray,
    household: np.ndarray,
    poor_physical_health: np.ndarray,
    no_start_qualification: np.ndarray,
    *,
    partner: float,
    moved: float,
    other_benefit: float,
    other: float,
    youth_education: float,
) -> np.ndarray:
    """Monthly hazards, one column per reason: partner, moved, other_benefit, other.

    partner: singles and single parents under 55 (household 0 or 1); other_benefit: people in
    poor physical health (WIA, Wajong); other: everyone, plus ``youth_education`` for people
    under 27 without a start qualification, who are sent (back) to school (art. 13(2)(c) Pw).
    Base rates are assumptions (CALIBRATION.md lists the reasons), calibrated so that about
    half of all exits are to work.
    """
    n = len(age_years)
    h = np.empty((n, 4))
    h[:, 0] = np.where((household != 2) & (age_years < 55), partner, 0.0)
    h[:, 1] = moved
    h[:, 2] = np.where(poor_physical_health, other_benefit, 0.0)
    h[:, 3] = other + np.where((age_years < 27) & no_start_qualification, youth_education, 0.0)
    return h


def pick_competing(hazards: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Which of competing risks happens, from one uniform per row: -1 for none, else the
    column whose slice of [0, sum of hazards) holds u."""
    which = np.full(len(u), -1, dtype=np.int64)
    hit = (u < hazards.sum(axis=1)).nonzero()[0]  # few: only they need the cumulative slices
    which[hit] = (u[hit, None] >= np.cumsum(hazards[hit], axis=1)).sum(axis=1)
    return which
