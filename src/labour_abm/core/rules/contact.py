"""Consultant contact: who sees their consultant this month, and what a contact does."""

from __future__ import annotations

import numpy as np


def contact_probability(
    consultant: np.ndarray, weight: np.ndarray, hours_per_consultant: np.ndarray, hours_per_contact: float
) -> np.ndarray:
    """Chance each client is seen this month.

    A consultant spends her client hours over her caseload in proportion to each client's
    weight (new clients weigh more): p_i = min(1, H_c / h * w_i / sum_j w_j). Sources:
    caseload and hours in params (seed 001; assumption).
    """
    total_weight = np.bincount(consultant, weights=weight, minlength=len(hours_per_consultant))
    contacts_available = hours_per_consultant / hours_per_contact
    share = weight / np.maximum(total_weight[consultant], 1e-12)
    return np.minimum(1.0, contacts_available[consultant] * share)


def trust(months_with_consultant: np.ndarray, trust_build_months: float) -> np.ndarray:
    """Trust in the consultant grows with time together: 0.5 at the start, 1 after the build-up.

    A contact works half as well with a stranger (seed 003: a fixed, trusted contact;
    assumption on size).
    """
    return 0.5 + 0.5 * np.minimum(1.0, months_with_consultant / trust_build_months)


def contact_gain(level: np.ndarray, gain: float, trust_factor: np.ndarray) -> np.ndarray:
    """A contact closes a share ``gain * trust`` (at most all) of the gap between a score and 1."""
    return level + np.minimum(1.0, gain * trust_factor) * (1.0 - level)
