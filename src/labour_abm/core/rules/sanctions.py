"""Sanctions for broken obligations (art. 18 Pw)."""

from __future__ import annotations

import numpy as np


def sanction_months(previous_sanctions: np.ndarray, first_months: int, max_months: int) -> np.ndarray:
    """Length of a new sanction: the first lasts ``first_months``, each repeat one month more,
    up to ``max_months`` (CALIBRATION.md: 100% for 1-3 months, first offence usually 1)."""
    return np.minimum(max_months, first_months + previous_sanctions.astype(np.int64)).astype(np.int8)
