"""Matching offers to people: each vacancy is filled once, each person takes one job."""

from __future__ import annotations

import numpy as np


def resolve_offers(
    person: np.ndarray, vacancy: np.ndarray, parttime: np.ndarray, priority: np.ndarray
) -> np.ndarray:
    """Indices of the offers that become hires.

    One round of a decentralised market: each vacancy goes to its offer with the lowest
    (random) priority number; of the offers that survive, a person takes a full-time one
    before a part-time one, then the lowest priority. A vacancy whose chosen candidate goes
    elsewhere stays open this month (assumption: one round per month).
    """
    if len(person) == 0:
        return np.empty(0, dtype=np.int64)
    order = np.argsort(priority, kind="stable")
    _, first = np.unique(vacancy[order], return_index=True)
    kept = order[first]
    kept = kept[np.lexsort((priority[kept], parttime[kept]))]
    _, first = np.unique(person[kept], return_index=True)
    return np.sort(kept[first])


def best_rival_rank(rivals: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The priority number of the best of ``rivals`` other acceptable candidates per vacancy: the
    lowest of that many uniform numbers, drawn by inverting its distribution 1 - (1 - x)^k with
    the uniform ``u``; 2 (above any candidate's) where there is none. A recipient's offer whose
    uniform priority is below it is ranked first, which happens with chance 1 / (rivals + 1)."""
    k = np.maximum(rivals, 1)
    return np.where(rivals > 0, -np.expm1(np.log1p(-u) / k), 2.0)
