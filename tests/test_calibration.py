"""The default baseline reproduces CALIBRATION.md within stated tolerances.

Averaged over three seeds of 120 months on the default preset (nijmegen, stable market).
The tolerances are the ranges in CALIBRATION.md where it gives one, otherwise the target
plus or minus the stated amount.
"""

from __future__ import annotations

import numpy as np
import pytest

from labour_abm.analysis import patterns


def _mean(runs, fn):
    return float(np.mean([fn(r) for r in runs]))


@pytest.mark.parametrize(
    "statistic, low, high, source",
    [
        # CBS counts outflow below AOW age: exits at pension age are left out
        ("monthly_exit_hazard_below_pension_age", 0.017, 0.023, "CAL: monthly exit hazard 1.7%-2.3%"),
        ("share_exits_to_work_below_pension_age", 0.42, 0.58, "CAL: about 50% of exits to work"),
        ("share_with_earnings", 0.065, 0.095, "CAL: ~8% with part-time earnings"),
        ("mean_parttime_earnings_eur", 500, 590, "CAL: EUR 530-556 per month"),
        ("monthly_inflow_share", 0.017, 0.024, "CAL: yearly inflow 79k-108k on ~400k"),
        ("stock_change_share", -0.15, 0.15, "issue 2: a stock roughly stable over 10 years"),
        ("sanctions_per_month_share", 0.002, 0.01, "soft: tens of thousands of sanctions a year nationally"),
    ],
)
def test_flows(baseline_runs, statistic, low, high, source):
    value = _mean(baseline_runs, lambda r: patterns.summary(r.monthly)[statistic])
    assert low <= value <= high, f"{statistic} = {value:.4f}, target [{low}, {high}] ({source})"


def test_return_to_benefit_within_a_year_after_work(baseline_runs):
    rate = _mean(baseline_runs, lambda r: patterns.return_rate(r.spells, 120, 12, "work"))
    assert 0.11 <= rate <= 0.21, f"{rate:.3f} vs 16% (CAL: Divosa, exits 2013-2018)"


COMPOSITION = [
    ("share_age_45_plus", 0.57, 0.07),
    ("share_age_under_27", 0.09, 0.05),
    ("share_migrant", 0.50, 0.05),
    ("share_no_start_qualification", 0.65, 0.06),
    ("share_poor_mental_health", 0.31, 0.06),
    ("share_insufficient_dutch", 0.18, 0.09),  # CAL: 9-27%
    ("share_problematic_debt", 0.29, 0.06),    # CAL: 25-33% (soft)
    ("share_single", 0.70, 0.05),
    ("share_exempt", 0.10, 0.04),
]


@pytest.mark.parametrize("month", [0, 119])
@pytest.mark.parametrize("column, target, tolerance", COMPOSITION)
def test_composition_of_the_stock_at_start_and_after_ten_years(baseline_runs, month, column, target, tolerance):
    value = _mean(baseline_runs, lambda r: r.monthly[column].iloc[month])
    assert abs(value - target) <= tolerance, f"{column} at month {month} = {value:.3f}, target {target} +- {tolerance}"
