"""Tests for labour_abm.core.rules.contact: who sees their consultant, and what a contact does."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labour_abm.core.rules.contact import contact_gain, contact_probability, trust


def _caseload(n_consultants: int, n_clients: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    consultant = rng.integers(0, n_consultants, n_clients)
    weight = rng.choice([1.0, 2.0, 3.0], n_clients)
    return consultant, weight


# --- contact_probability -------------------------------------------------------------------


def test_contact_probability_matches_formula():
    consultant = np.array([0, 0, 0, 1, 1])
    weight = np.array([1.0, 1.0, 2.0, 1.0, 3.0])
    hours = np.array([8.0, 4.0])
    p = contact_probability(consultant, weight, hours, hours_per_contact=4.0)
    # consultant 0: 2 contacts over total weight 4; consultant 1: 1 contact over total weight 4
    np.testing.assert_allclose(p, [0.5, 0.5, 1.0, 0.25, 0.75])


def test_expected_contacts_per_consultant_equal_available_contacts_when_not_capped():
    consultant, weight = _caseload(5, 1000)
    hours = np.array([40.0, 60.0, 20.0, 80.0, 50.0])
    hours_per_contact = 1.5
    p = contact_probability(consultant, weight, hours, hours_per_contact)
    assert p.max() < 1.0  # the cap does not bind in this set-up
    expected = np.bincount(consultant, weights=p, minlength=5)
    np.testing.assert_allclose(expected, hours / hours_per_contact, rtol=1e-12)


def test_capped_at_one_when_consultant_has_more_time_than_clients():
    consultant = np.array([0, 0])
    weight = np.array([1.0, 1.0])
    p = contact_probability(consultant, weight, np.array([100.0]), hours_per_contact=1.0)
    np.testing.assert_array_equal(p, [1.0, 1.0])


def test_higher_weight_gives_higher_probability_within_a_caseload():
    consultant = np.zeros(4, dtype=int)
    weight = np.array([1.0, 1.5, 2.0, 4.0])
    p = contact_probability(consultant, weight, np.array([2.0]), hours_per_contact=1.0)
    assert np.all(np.diff(p) > 0)
    # shares are proportional to weights
    np.testing.assert_allclose(p / p[0], weight / weight[0])


def test_more_consultant_hours_more_contacts():
    consultant, weight = _caseload(3, 300, seed=1)
    low = contact_probability(consultant, weight, np.array([10.0, 10.0, 10.0]), 1.0)
    high = contact_probability(consultant, weight, np.array([10.0, 20.0, 10.0]), 1.0)
    np.testing.assert_array_equal(low[consultant != 1], high[consultant != 1])
    assert np.all(high[consultant == 1] > low[consultant == 1])


def test_consultant_without_clients_is_allowed():
    consultant = np.array([0, 0, 2])
    weight = np.array([1.0, 1.0, 1.0])
    p = contact_probability(consultant, weight, np.array([1.0, 5.0, 0.5]), 1.0)
    np.testing.assert_allclose(p, [0.5, 0.5, 0.5])


@settings(max_examples=60, deadline=None)
@given(
    n_cons=st.integers(1, 6),
    n=st.integers(1, 80),
    seed=st.integers(0, 2**32 - 1),
    hours_scale=st.floats(0.0, 200.0),
    hpc=st.floats(0.1, 10.0),
)
def test_contact_probability_in_unit_interval(n_cons, n, seed, hours_scale, hpc):
    rng = np.random.default_rng(seed)
    consultant = rng.integers(0, n_cons, n)
    weight = rng.uniform(0.1, 5.0, n)
    hours = rng.uniform(0.0, 1.0, n_cons) * hours_scale
    p = contact_probability(consultant, weight, hours, hpc)
    assert p.shape == (n,)
    assert np.all((p >= 0.0) & (p <= 1.0))
    # never more expected contacts than the consultant has time for
    expected = np.bincount(consultant, weights=p, minlength=n_cons)
    assert np.all(expected <= hours / hpc + 1e-9)


# --- trust -------------------------------------------------------------------------------


def test_trust_half_at_start_and_one_after_build_up():
    t = trust(np.array([0.0, 3.0, 6.0, 12.0, 60.0]), trust_build_months=6.0)
    np.testing.assert_allclose(t, [0.5, 0.75, 1.0, 1.0, 1.0])


def test_trust_rises_with_months_and_stays_in_half_to_one():
    months = np.arange(0, 48)
    t = trust(months, trust_build_months=12.0)
    assert np.all(np.diff(t) >= 0)
    assert np.all(np.diff(t[:13]) > 0)  # strictly rising during the build-up
    assert np.all((t >= 0.5) & (t <= 1.0))


# --- contact_gain ------------------------------------------------------------------------


def test_contact_gain_closes_share_of_gap():
    level = np.array([0.0, 0.5, 1.0])
    out = contact_gain(level, gain=0.2, trust_factor=np.array([1.0, 1.0, 1.0]))
    np.testing.assert_allclose(out, [0.2, 0.6, 1.0])


def test_contact_with_stranger_works_half_as_well():
    level = np.array([0.2, 0.2])
    out = contact_gain(level, gain=0.3, trust_factor=trust(np.array([0.0, 100.0]), 6.0))
    gain_stranger, gain_trusted = out - level
    assert gain_stranger == pytest.approx(0.5 * gain_trusted)


@settings(max_examples=50, deadline=None)
@given(
    level=st.floats(0.0, 1.0),
    gain=st.floats(0.0, 1.0),
    months=st.floats(0.0, 100.0),
)
def test_contact_gain_stays_in_unit_interval_and_never_lowers(level, gain, months):
    lv = np.array([level])
    out = contact_gain(lv, gain, trust(np.array([months]), 6.0))
    assert lv[0] - 1e-12 <= out[0] <= 1.0 + 1e-12
