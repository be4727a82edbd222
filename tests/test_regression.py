"""Results have not moved: the stored regression baseline (tests/regression.py) against a fresh
run of the same configurations. A change that is meant to move results refreshes the file with
`python -m tests.regression --refresh` and says why in its commit."""

from __future__ import annotations

import json

from tests import regression


def test_summary_outcomes_equal_the_stored_regression_baseline():
    stored = json.loads(regression.PATH.read_text())
    fresh = regression.compute()
    assert len(stored) == len(regression.configurations()) >= 23  # baseline, 21 measures, a programme
    diff = regression.differences(stored, fresh)
    assert not diff, f"{len(diff)} numbers moved (first 10):\n" + "\n".join(diff[:10])


def test_the_comparison_sees_a_small_change():
    stored = json.loads(regression.PATH.read_text())
    moved = json.loads(json.dumps(stored))
    moved["baseline"]["durable_exits_12@36"] += 1
    moved["measure:care_first"]["total:benefit_spending_eur"] *= 1 + 1e-6
    diff = regression.differences(stored, moved)
    assert len(diff) == 2 and "durable_exits_12@36" in diff[0] and "care_first" in diff[1]
