"""debt_help: extra capacity shortens the waiting list, more people in an arrangement, less debt stress."""

from __future__ import annotations

import numpy as np

from labour_abm.core.population import ON_BENEFIT
from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure

NAME = "debt_help"


def test_waiting_list_shrinks_with_extra_capacity():
    arm, base = monthly(with_measure(NAME, {"extra_arrangements_per_month_share": 0.01})), monthly(baseline())
    assert (arm["debt_help_waiting"] <= base["debt_help_waiting"]).all()
    assert base["debt_help_waiting"].iloc[-1] > 20  # the baseline's capacity binds: people wait
    assert arm["debt_help_waiting"].iloc[-1] < 0.5 * base["debt_help_waiting"].iloc[-1]
    # the longest waiting start first, so those left have waited less (zero capacity: the baseline's list)
    none = monthly(with_measure(NAME, {"extra_arrangements_per_month_share": 0.0}))
    assert none[f"{NAME}_mean_wait_months"].iloc[-1] > 2
    assert arm[f"{NAME}_mean_wait_months"].iloc[-1] < none[f"{NAME}_mean_wait_months"].iloc[-1]


def test_extra_arrangements_start_and_people_in_arrangement_rise():
    arm, base = monthly(with_measure(NAME)), monthly(baseline())
    assert arm["debt_help_starts"].sum() > base["debt_help_starts"].sum()  # a month may empty the list
    assert (arm[f"{NAME}_extra_started"] <= arm["debt_help_starts"]).all()
    assert arm[f"{NAME}_extra_started"].sum() > 0.5 * round(0.002 * 2000 * 24)  # most extra capacity is used
    assert arm["in_debt_arrangement"].iloc[-1] > base["in_debt_arrangement"].iloc[-1] + 50


def test_capacity_beyond_the_waiting_list_is_not_used_or_paid():
    m = monthly(with_measure(NAME, {"extra_arrangements_per_month_share": 0.2}))
    assert m[f"{NAME}_extra_started"].iloc[-1] < 0.2 * 2000  # only those waiting can start
    assert m["debt_help_waiting"].iloc[-1] == 0


def test_debtors_in_an_arrangement_search_more():
    """In an arrangement the debt stress on search halves: the people the extra capacity brought into
    an arrangement send more applications than the same people (same draws) in the baseline."""
    arm, base = with_measure(NAME, {"extra_arrangements_per_month_share": 0.01}), baseline()
    pa, pb = arm.pop, base.pop
    in_arm = (pa.status == ON_BENEFIT) & (pa.debt_arrangement_months_left > 0) & ~pa.exempt
    uids = np.intersect1d(pa.uid[in_arm], pb.uid[(pb.status == ON_BENEFIT) & (pb.debt_arrangement_months_left == 0)])
    assert len(uids) > 50
    ra, rb = np.searchsorted(pa.uid, uids), np.searchsorted(pb.uid, uids)
    assert pa.applications[ra].sum() > 1.05 * pb.applications[rb].sum()
    assert arm.last["applications"] > base.last["applications"]


def test_cost_is_per_extra_arrangement_started():
    m = monthly(with_measure(NAME, {"cost_per_arrangement_eur": 3000.0}))
    np.testing.assert_allclose(m["measure_cost_eur"], 3000.0 * m[f"{NAME}_extra_started"])
    assert m["measure_cost_eur"].sum() > 0


def test_no_extra_capacity_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, NAME, {"extra_arrangements_per_month_share": 0.0})
