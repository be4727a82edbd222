"""Job search: how many applications a recipient sends, and whether that meets the duty."""

from __future__ import annotations

import numpy as np

POST_SANCTION_MONTHS = 6  # the months after a sanction in which it changes behaviour


def search_effort(
    motivation: np.ndarray,
    confidence: np.ndarray,
    debt_stress: np.ndarray,
    exempt: np.ndarray,
    waived: np.ndarray,
    parttime_worker: np.ndarray,
    months_since_sanction: np.ndarray,
    *,
    sanction_strictness: float,
    threat_effect: float,
    post_sanction_boost: float,
    debt_stress_penalty: float,
    exempt_share: float,
    waived_share: float,
    parttime_worker_share: float,
) -> np.ndarray:
    """Search effort, 1 for a fully motivated, confident searcher under the usual duty.

    effort = motivation * (0.5 + 0.5 * confidence)            motivation leads (seed 001 pt 3)
             * (1 - debt_stress_penalty * debt_stress)         scarcity (Mani et al. 2013)
             * (1 + threat_effect * strictness)                threat (Arni et al. 2013)
             * (1 + post_sanction_boost in 6 months after a sanction)
                                                               (van den Berg et al. 2004)
             * exempt_share if exempt (health, care), else * waived_share if a policy
               waived the duty (what the duty's push adds, for someone able to work)
             * parttime_worker_share if working part-time.
    """
    effort = motivation * (0.5 + 0.5 * confidence)
    effort = effort * (1.0 - debt_stress_penalty * debt_stress)
    effort = effort * (1.0 + threat_effect * sanction_strictness)
    effort = effort * np.where(months_since_sanction <= POST_SANCTION_MONTHS, 1.0 + post_sanction_boost, 1.0)
    effort = effort * np.where(exempt, exempt_share, np.where(waived, waived_share, 1.0))
    return effort * np.where(parttime_worker, parttime_worker_share, 1.0)


def is_noncompliant(
    applications: np.ndarray, exempt: np.ndarray, parttime_worker: np.ndarray, required: float, threshold_share: float
) -> np.ndarray:
    """A month is non-compliant when applications fall below a share of the duty. People who are
    exempt, or who work part-time (their work counts towards the duty; assumption), never are."""
    return ~exempt & ~parttime_worker & (applications < threshold_share * required)
