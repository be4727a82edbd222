"""Targets (issue 16): read where their outcomes are seen, a verdict from the interval and a
chance from the paired replications, for one arm or each; the report's honest rounding."""

from __future__ import annotations

import pandas as pd
import pytest

from labour_abm.analysis.effects import estimate, paired_effects
from labour_abm.analysis.targets import read_at, target_verdicts


def outcomes(values: dict[str, list[float]], outcome="durable_outcomes_12", horizon=24) -> pd.DataFrame:
    return pd.DataFrame([{"arm": arm, "replication": r, "seed": r, "outcome": outcome, "horizon_months": horizon,
                          "group": "all", "value": float(v)} for arm, vs in values.items() for r, v in enumerate(vs)])


RUNS = outcomes({"baseline": [100, 110, 90, 105], "strong": [150, 165, 140, 158], "weak": [104, 118, 95, 104],
                 "mixed": [125, 118, 112, 131]})


def test_a_durable_target_is_read_twelve_months_after_its_window():
    assert read_at("durable_outcomes_12", 12) == 24 and read_at("durable_exits_12", 36) == 48
    assert read_at("exits_to_work", 12) == 12


def test_each_arm_gets_a_verdict_and_the_share_of_replications_that_reach_the_target():
    v = target_verdicts(paired_effects(RUNS), RUNS, "durable_outcomes_12", 12, 20).set_index("arm")
    # differences: strong 50, 55, 50, 53; weak 4, 8, 5, -1; mixed 25, 8, 22, 26
    assert list(v.index) == ["strong", "mixed", "weak"]  # most extra first
    assert v.loc["strong", "verdict"] == "reached" and v.loc["strong", "reached"] == 4
    assert v.loc["weak", "verdict"] == "not reached" and v.loc["weak", "reached"] == 0
    assert v.loc["mixed", "verdict"] == "uncertain" and v.loc["mixed", "reached"] == 3
    assert (v["replications"] == 4).all()
    assert v.loc["mixed", "effect_mean"] == pytest.approx(20.25)


def test_a_target_for_one_arm_judges_that_arm_only():
    v = target_verdicts(paired_effects(RUNS), RUNS, "durable_outcomes_12", 12, 20, arms=["weak"])
    assert list(v["arm"]) == ["weak"]


def test_a_target_whose_horizon_is_missing_has_no_rows():
    assert target_verdicts(paired_effects(RUNS), RUNS, "durable_outcomes_12", 24, 20).empty


@pytest.mark.parametrize("row, text", [
    ((218.43, 208.1, 228.7), "218 [208, 229]"),  # half-width 10: whole numbers
    ((11234.0, 8000.0, 15000.0), "11,200 [8,000, 15,000]"),  # half-width 3,500: hundreds
    ((1.2345, 0.9, 1.6), "1.23 [0.90, 1.60]"),
    ((12.0, 9.0, float("inf")), "12.0 [9.0, ...]"),  # no upper bound: rounded by the lower half-width
    ((5.0, float("nan"), float("nan")), "5"),  # one replication: no interval to round by
    ((11_925_000.0, 11_925_000.0, 11_925_000.0), "11,900,000"),  # a fixed cost: three significant digits
    ((-576_000.0000000003, -576_000.0000000016, -575_999.9999999991), "-576,000"),  # an interval of rounding error
])
def test_numbers_are_rounded_to_what_their_interval_can_tell(row, text):
    assert estimate(dict(zip(("effect_mean", "ci_low", "ci_high"), row, strict=True))) == text
