"""The participation ladder (participatieladder), derived from a person's state."""

from __future__ import annotations

import numpy as np

from ..population import lacks


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
    # each step is above the ones before it, so a person is on the highest step that applies
    step = np.int8(2) - (lacks(mental_health) & lacks(confidence))
    paid_on_benefit, paid_off_benefit = on_benefit & parttime, ~on_benefit & employed
    for level, applies in ((3, recent_activity), (4, volunteering), (5, paid_on_benefit), (6, paid_off_benefit)):
        np.maximum(step, applies * np.int8(level), out=step)
    return step


STEPS = range(1, 7)
TRANSITIONS = tuple((a, b) for a in STEPS for b in STEPS if a != b)  # (from, to), every move between steps


def transition_counts(before: np.ndarray, after: np.ndarray) -> dict[tuple[int, int], int]:
    """How many people moved from each step to each other step (``before`` and ``after`` are the
    steps of the same people); pairs nobody moved between are left out."""
    counts = np.bincount(before.astype(np.int64) * 7 + after, minlength=49).reshape(7, 7)
    return {(a, b): int(counts[a, b]) for a, b in TRANSITIONS if counts[a, b]}
