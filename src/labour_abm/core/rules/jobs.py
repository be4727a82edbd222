"""Jobs after leaving benefit: how they end."""

from __future__ import annotations

import numpy as np

from ..rng import geometric_from_uniform


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


def ww_months(work_years: np.ndarray, minimum: int) -> np.ndarray:
    """WW duration: a month per year of work history for the first 10 years, half a month per
    year after that (rule since 2016), at least ``minimum`` (3) and at most 24 months."""
    years = np.maximum(work_years, 0.0)
    months = np.floor(np.minimum(years, 10.0) + 0.5 * np.maximum(years - 10.0, 0.0)).astype(np.int64)
    return np.clip(months, minimum, 24)


def months_until_return(
    tenure_months: np.ndarray,
    ww_duration: np.ndarray,
    u_ww: np.ndarray,
    u_claim: np.ndarray,
    *,
    ww_min_tenure: int,
    ww_job_finding: float,
    claim_per_month: float,
) -> tuple[np.ndarray, np.ndarray]:
    """When someone who lost a job (and will need bijstand) is back on it, and whether at all.

    With ``ww_min_tenure`` months of work they draw WW first (the 26-of-36-weeks rule) for
    ``ww_duration`` months (:func:`ww_months`), and find work during it with ``ww_job_finding``
    a month (then they do not come back: ``u_ww`` decides). Then they claim with
    ``claim_per_month`` a month: a delay of 0, 1, 2 ... months (geometric, drawn by inverting
    ``u_claim``), as people first live on a last wage or savings, search on their own, or must
    (under-27s search four weeks before a claim, Participatiewet art. 41(4)). So returns spread
    over the months after a job ends instead of all falling in one month.

    Returns (months from the job's end to the return, the earliest being 1; comes back).
    """
    on_ww = tenure_months >= ww_min_tenure
    months_on_ww = np.where(on_ww, ww_duration, 0)
    comes_back = u_ww < (1.0 - ww_job_finding) ** months_on_ww
    return 1 + months_on_ww + geometric_from_uniform(claim_per_month, u_claim), comes_back
