"""Barrier dynamics: what time out of work does to people, and what work gives back."""

from __future__ import annotations

import numpy as np


def erode(level: np.ndarray, rate: float, active: np.ndarray) -> np.ndarray:
    """Proportional erosion where ``active``: level * (1 - rate).

    Used for self-confidence while out of work (Paul & Moser 2009) and for motivation after
    a month of fruitless search (Krueger & Mueller 2011).
    """
    return np.where(active, level * (1.0 - rate), level)


def decline(level: np.ndarray, amount: float, active: np.ndarray) -> np.ndarray:
    """Absolute decline where ``active``, floored at 0 (mental health out of work; physical
    health with age)."""
    # the amount only where active (levels lie in [0, 1], so the floor leaves the others as they
    # are): about half the cost of np.where over whole columns
    return np.maximum(0.0, level - active * level.dtype.type(amount))


def recover(level: np.ndarray, rate: float, active: np.ndarray) -> np.ndarray:
    """Recovery towards 1 where ``active``: closes a share ``rate`` of the gap (work restores
    confidence, motivation and mental health; assumption mirroring the erosion)."""
    # level + (rate where active, else 0) * gap: exactly level where not active (gap >= 0), and
    # half the cost of np.where over whole columns (the rate in the level's own precision)
    return level + (active * level.dtype.type(rate)) * (1.0 - level)


def debt_onset_hazard(base: float, benefit_cut: np.ndarray) -> np.ndarray:
    """Monthly chance of problematic debt arising: base, tripled in a month with a benefit cut
    (an income shock; CALIBRATION.md: a sanction's effect on debt; assumption on size)."""
    return np.where(benefit_cut, 3.0 * base, base)
