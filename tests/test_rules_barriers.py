"""Tests for labour_abm.core.rules.barriers: erosion out of work, recovery in work, debt onset."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from labour_abm.core.rules.barriers import debt_onset_hazard, decline, erode, recover

levels = arrays(np.float64, st.integers(1, 50), elements=st.floats(0.0, 1.0))
rates = st.floats(0.0, 1.0)


def _active(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random(n) < 0.5


def test_erode_is_proportional_where_active():
    level = np.array([1.0, 0.5, 0.0, 0.8])
    active = np.array([True, True, True, False])
    np.testing.assert_allclose(erode(level, 0.1, active), [0.9, 0.45, 0.0, 0.8])


def test_erode_repeated_is_geometric():
    level = np.array([0.8])
    active = np.array([True])
    for _ in range(12):
        level = erode(level, 0.05, active)
    np.testing.assert_allclose(level, 0.8 * 0.95**12)


def test_decline_is_absolute_and_floored_at_zero():
    level = np.array([1.0, 0.05, 0.0, 0.3])
    active = np.array([True, True, True, False])
    np.testing.assert_allclose(decline(level, 0.1, active), [0.9, 0.0, 0.0, 0.3])


def test_recover_closes_share_of_gap_to_one():
    level = np.array([0.0, 0.5, 1.0, 0.2])
    active = np.array([True, True, True, False])
    np.testing.assert_allclose(recover(level, 0.2, active), [0.2, 0.6, 1.0, 0.2])


def test_recover_mirrors_erode_on_the_gap():
    # recovery shrinks the gap to 1 by the same factor erosion shrinks the level
    level = np.array([0.3, 0.7])
    active = np.ones(2, bool)
    gap_after = 1.0 - recover(level, 0.25, active)
    np.testing.assert_allclose(gap_after, erode(1.0 - level, 0.25, active))


@settings(max_examples=100, deadline=None)
@given(level=levels, rate=rates, seed=st.integers(0, 2**32 - 1))
def test_erode_only_active_and_stays_in_unit_interval(level, rate, seed):
    active = _active(len(level), seed)
    out = erode(level, rate, active)
    np.testing.assert_array_equal(out[~active], level[~active])
    assert np.all(out[active] <= level[active])
    assert np.all((out >= 0.0) & (out <= 1.0))


@settings(max_examples=100, deadline=None)
@given(level=levels, amount=rates, seed=st.integers(0, 2**32 - 1))
def test_decline_only_active_and_stays_in_unit_interval(level, amount, seed):
    active = _active(len(level), seed)
    out = decline(level, amount, active)
    np.testing.assert_array_equal(out[~active], level[~active])
    assert np.all(out[active] <= level[active])
    assert np.all((out >= 0.0) & (out <= 1.0))


@settings(max_examples=100, deadline=None)
@given(level=levels, rate=rates, seed=st.integers(0, 2**32 - 1))
def test_recover_only_active_and_stays_in_unit_interval(level, rate, seed):
    active = _active(len(level), seed)
    out = recover(level, rate, active)
    np.testing.assert_array_equal(out[~active], level[~active])
    assert np.all(out[active] >= level[active] - 1e-15)
    assert np.all((out >= 0.0) & (out <= 1.0 + 1e-15))


def test_debt_onset_hazard_tripled_in_month_with_cut():
    h = debt_onset_hazard(0.01, np.array([False, True]))
    np.testing.assert_allclose(h, [0.01, 0.03])
