"""The participation ladder (participatieladder), derived from a person's state."""

from __future__ import annotations

import numpy as np


def participation_ladder(
    on_benefit: np.ndarray,
    employed: np.ndarray,
    parttime: np.ndarray,
    volunteering: np.ndarray,
    recent_activity: np.ndarray,
    mental_health: np.ndarray,
    confidence: np.ndarray,
) -> np.ndarray:
    """Step 1-6: 6 paid work, 5 paid work with support (part-time work on benefit), 4 unpaid
    work (volunteering), 3 organised activities (recent contact, course or service),
    2 social contacts, 1 isolated (poor mental health and low self-confidence together:
    seed 004 names loneliness). Derived each month, so it moves when the state moves.
    """
    step = np.where((mental_health < 0.5) & (confidence < 0.5), 1, 2).astype(np.int8)
    step[recent_activity] = 3
    step[volunteering] = 4
    step[on_benefit & parttime] = 5
    step[~on_benefit & employed] = 6
    return step
