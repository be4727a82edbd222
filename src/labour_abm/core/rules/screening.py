"""Employer screening: the chance that an application leads to an offer."""

from __future__ import annotations

import numpy as np


def duration_stigma(months_since_work: np.ndarray, max_share: float, scale_months: float) -> np.ndarray:
    """Hiring-chance factor for time out of work: 1 - max * (1 - exp(-months / scale)).

    Employers read long unemployment as a bad signal; callbacks fall ~45% over the first
    8 months and then flatten (Kroft, Lange & Notowidigdo 2013).
    """
    return 1.0 - max_share * (1.0 - np.exp(-months_since_work / scale_months))


def skill_depreciation(months_since_work: np.ndarray, per_year: float) -> np.ndarray:
    """Human capital depreciates with time out of work: (1 - per_year) ** years."""
    return np.exp(np.log1p(-per_year) * (months_since_work / 12.0)) if per_year < 1 else (months_since_work == 0) * 1.0


def age_factor(age_years: np.ndarray, penalty_per_year_over_45: float) -> np.ndarray:
    """Hiring chance falls with age from 45 (Carlsson & Eriksson 2019), never below zero."""
    return np.maximum(0.0, 1.0 - penalty_per_year_over_45 * np.maximum(0.0, age_years - 45.0))


def offer_probability(
    base: float,
    openness: np.ndarray,
    lacks_language: np.ndarray,
    lacks_health: np.ndarray,
    lacks_qualification: np.ndarray,
    low_literacy: np.ndarray,
    has_debt: np.ndarray,
    no_experience: np.ndarray,
    sector_match: np.ndarray,
    stigma: np.ndarray,
    skills: np.ndarray,
    age: np.ndarray,
    referral: np.ndarray,
    *,
    sector_bonus: float,
    referral_multiplier: float,
    **penalties: float,
) -> np.ndarray:
    """Chance an application (applicant i, employer e) gives an offer.

    p = base * openness_e * prod_k (1 - penalty_k * [employer screens on k and applicant lacks
    it]) * (1 - literacy penalty if low literate: written applications and forms, any employer)
    * (1 + sector bonus if experienced in the sector) * duration stigma * skills * age
    * referral multiplier, capped at 1. ``base`` carries the competition from other job
    seekers. ``penalties``: the six of :func:`apply_penalties`, by keyword. Sources: see the
    screening parameters in params.py.
    """
    p = apply_penalties(base * openness, lacks_language, lacks_health, lacks_qualification, low_literacy, has_debt,
                        no_experience, **penalties)
    p = p * (1.0 + sector_bonus * sector_match)
    p = p * stigma * skills * age
    p = p * np.where(referral, referral_multiplier, 1.0)
    return np.clip(p, 0.0, 1.0)


def apply_penalties(
    chance: np.ndarray,
    lacks_language: np.ndarray,
    lacks_health: np.ndarray,
    lacks_qualification: np.ndarray,
    low_literacy: np.ndarray,
    has_debt: np.ndarray,
    no_experience: np.ndarray,
    *,
    penalty_language: float,
    penalty_health: float,
    penalty_qualification: float,
    penalty_literacy: float,
    penalty_debt: float,
    penalty_no_experience: float,
) -> np.ndarray:
    """``chance`` times (1 - penalty_k * gap_k) for each gap an employer holds against the
    applicant, in this order: language, health, qualification, literacy, debt, no experience.
    A gap is a yes/no, or a weight (debt in an arrangement counts half)."""
    chance = chance * (1.0 - penalty_language * lacks_language)
    chance = chance * (1.0 - penalty_health * lacks_health)
    chance = chance * (1.0 - penalty_qualification * lacks_qualification)
    chance = chance * (1.0 - penalty_literacy * low_literacy)
    chance = chance * (1.0 - penalty_debt * has_debt)
    return chance * (1.0 - penalty_no_experience * no_experience)


def penalties(p) -> dict[str, float]:
    """The screening penalties of a run's parameters ``p``, by the keyword names of
    :func:`offer_probability` and :func:`apply_penalties` (the one place that pairs them)."""
    return {
        "penalty_language": p.screening_penalty_language,
        "penalty_health": p.screening_penalty_health,
        "penalty_qualification": p.screening_penalty_qualification,
        "penalty_literacy": p.screening_penalty_literacy,
        "penalty_debt": p.screening_penalty_debt,
        "penalty_no_experience": p.screening_penalty_no_experience,
    }


def waiver_ratio(penalty: float, waived_share: float) -> float:
    """Factor that turns a chance with a screening penalty into one where a share of that
    penalty is waived: (1 - (1 - waived) * penalty) / (1 - penalty); 1 where the penalty is
    total (the chance is zero either way)."""
    return (1.0 - (1.0 - waived_share) * penalty) / (1.0 - penalty) if penalty < 1 else 1.0


def parttime_acceptance(gain_eur: np.ndarray, base: float, per_100_eur: float) -> np.ndarray:
    """Chance a part-time offer is taken: base + slope * (monthly gain kept / 100), capped at 1.

    The gain is what the earnings disregard lets the person keep (Knoef & van Ours 2016).
    """
    return np.clip(base + per_100_eur * gain_eur / 100.0, 0.0, 1.0)
