"""own_plan: writing an own plan raises the writer's motivation and search."""

from __future__ import annotations

import numpy as np

from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure

ZERO = {"motivation_gain": 0.0, "search_boost": 0.0, "consultant_hours_per_plan": 0.0}


def test_plan_raises_motivation_and_applications_of_the_writers():
    """Month 0: the same people in the same state; those seen write a plan."""
    arm, base = with_measure("own_plan", months=1), baseline(months=1)
    measure = arm.measures[0]
    writers = arm.pop.rows_of(np.sort(measure.uid))
    assert np.array_equal(writers, np.sort(base.now.seen))  # everyone seen in month 0 writes one
    a, b = arm.pop.motivation[writers], base.pop.motivation[writers]
    assert (a >= b).all() and a.mean() > b.mean() + 0.02
    assert arm.pop.applications[writers].sum() > 1.15 * base.pop.applications[writers].sum()
    others = np.setdiff1d(base.pop.on_benefit(), writers)
    np.testing.assert_array_equal(arm.pop.motivation[others], base.pop.motivation[others])


def test_one_plan_per_spell_and_more_applications():
    arm = with_measure("own_plan")
    m, base = monthly(arm), monthly(baseline())
    measure = arm.measures[0]
    assert len(np.unique(measure.spell)) == len(measure.spell) == m["own_plan_plans_written"].sum()
    assert m["own_plan_plans_written"].iloc[0] > 5 * m["own_plan_plans_written"].iloc[-1]  # the stock first
    assert m["own_plan_with_plan"].iloc[-1] > 0.8 * m["stock"].iloc[-1]
    assert (m["applications"].iloc[:6] > base["applications"].iloc[:6]).all()


def test_search_boost_needs_boost_months():
    """With the boost only (no motivation gain), month-0 writers send more applications in month 0; with a
    zero-month boost they send the baseline's."""
    params = {"motivation_gain": 0.0, "search_boost": 0.5, "consultant_hours_per_plan": 0.0}
    on = with_measure("own_plan", {**params, "boost_months": 1}, months=1)
    off = with_measure("own_plan", {**params, "boost_months": 0}, months=1)
    base = baseline(months=1)
    writers = on.pop.rows_of(np.sort(on.measures[0].uid))
    assert on.pop.applications[writers].sum() > 1.3 * base.pop.applications[writers].sum()
    np.testing.assert_array_equal(off.pop.applications, base.pop.applications)


def test_cost_is_consultant_time_per_plan():
    m = monthly(with_measure("own_plan", {"consultant_hours_per_plan": 3.0}))
    np.testing.assert_allclose(m["measure_cost_eur"], m["own_plan_plans_written"] * 3.0 * 75000 / 12 / 156)


def test_zero_setting_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, "own_plan", ZERO)
