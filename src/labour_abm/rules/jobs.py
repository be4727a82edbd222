"""Jobs after leaving benefit: how they end."""

from __future__ import annotations

import numpy as np


def job_loss_hazard(
    tenure_months: np.ndarray,
    poor_health: np.ndarray,
    low_quality: np.ndarray,
    *,
    base: float,
    first_year_extra: float,
    poor_health_multiplier: float,
    low_quality_multiplier: float,
) -> np.ndarray:
    """Monthly chance a job ends.

    h = (base + first_year_extra while tenure < 12 months, when many contracts are temporary;
         the model asks from tenure 1, as a job cannot end in its start month)
        * poor_health_multiplier if in poor health
        * low_quality_multiplier for jobs taken under sanction pressure (Arni et al. 2013).
    Calibrated so that ~16% of exits to work are back within a year (CALIBRATION.md, Divosa).
    """
    h = base + np.where(tenure_months < 12, first_year_extra, 0.0)
    h = h * np.where(poor_health, poor_health_multiplier, 1.0)
    h = h * np.where(low_quality, low_quality_multiplier, 1.0)
    return np.minimum(h, 1.0)


def months_until_return(tenure_months: np.ndarray, ww_min_tenure: int, ww_months: int) -> np.ndarray:
    """Delay before someone who lost a job is back on bijstand: with ``ww_min_tenure`` months
    of work they draw WW first (26-of-36-weeks rule) for ``ww_months``; otherwise next month."""
    return np.where(tenure_months >= ww_min_tenure, 1 + ww_months, 1)
