"""Exits from benefit for reasons other than work: their competing monthly hazards."""

from __future__ import annotations

import numpy as np


def other_exit_hazards(
    age_years: np.ndarray,
    household: np.ndarray,
    poor_physical_health: np.ndarray,
    no_start_qualification: np.ndarray,
    paperwork_barriers: np.ndarray,
    *,
    information_end: float,
    information_end_barrier_extra: float,
    partner: float,
    moved: float,
    other_benefit: float,
    other: float,
    youth_education: float,
) -> np.ndarray:
    """Monthly hazards, one column per reason: partner, moved, other_benefit, other, education,
    information.

    partner: singles and single parents under 55 (household 0 or 1); other_benefit: people in
    poor physical health (WIA, Wajong); other: everyone (detention, unknown); education:
    people under 27 without a start qualification, who are sent (back) to school and live on
    student finance (art. 13(2)(c) Pw); information: the benefit is suspended and ended because
    information was not given in time (art. 54 Pw), ``information_end`` times (1 +
    ``information_end_barrier_extra`` for each of ``paperwork_barriers``: low literacy, poor
    mental health, problematic debt), as forms and deadlines weigh on them most. Base rates
    are assumptions (CALIBRATION.md lists the reasons), calibrated with the flows.
    """
    n = len(age_years)
    h = np.empty((n, 6))
    h[:, 0] = np.where((household != 2) & (age_years < 55), partner, 0.0)
    h[:, 1] = moved
    h[:, 2] = np.where(poor_physical_health, other_benefit, 0.0)
    h[:, 3] = other
    h[:, 4] = np.where((age_years < 27) & no_start_qualification, youth_education, 0.0)
    h[:, 5] = information_end * (1.0 + information_end_barrier_extra * paperwork_barriers)
    return h


def pick_competing(hazards: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Which of competing risks happens, from one uniform per row: -1 for none, else the
    column whose slice of [0, sum of hazards) holds u."""
    which = np.full(len(u), -1, dtype=np.int64)
    hit = (u < hazards.sum(axis=1)).nonzero()[0]  # few: only they need the cumulative slices
    which[hit] = (u[hit, None] >= np.cumsum(hazards[hit], axis=1)).sum(axis=1)
    return which
