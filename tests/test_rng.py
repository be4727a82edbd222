"""Tests for labour_abm.core.rng: common random numbers keyed by (seed, process, month, uid)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labour_abm.core.rng import Streams, poisson_from_uniform

N = 100_000
IDS = np.arange(N, dtype=np.int64)


def test_same_key_gives_identical_draws_across_instances():
    ids = np.array([0, 5, 17, 123_456])
    a = Streams(42).uniform("search", 7, ids)
    b = Streams(42).uniform("search", 7, ids)
    np.testing.assert_array_equal(a, b)
    # and repeated calls on one instance
    s = Streams(42)
    np.testing.assert_array_equal(s.uniform("search", 7, ids), s.uniform("search", 7, ids))


def test_same_id_gets_same_draw_within_one_call():
    u = Streams(1).uniform("x", 0, np.array([3, 3, 8, 3]))
    assert u[0] == u[1] == u[3]
    assert u[2] != u[0]


def test_draw_does_not_depend_on_other_uids_subset_and_permutation():
    s = Streams(2024)
    full = s.uniform("contact", 3, IDS[:1000])
    rng = np.random.default_rng(0)
    subset = np.sort(rng.choice(1000, 137, replace=False))
    np.testing.assert_array_equal(s.uniform("contact", 3, IDS[subset]), full[subset])
    perm = rng.permutation(1000)
    np.testing.assert_array_equal(s.uniform("contact", 3, IDS[perm]), full[perm])
    # a fresh instance that first served other processes gives the same numbers
    s2 = Streams(2024)
    s2.uniform("search", 3, IDS[:10])
    np.testing.assert_array_equal(s2.uniform("contact", 3, IDS[perm]), full[perm])


def test_id_dtype_does_not_matter():
    s = Streams(5)
    ids = np.array([0, 1, 2, 40_000])
    ref = s.uniform("p", 1, ids.astype(np.int64))
    for dt in (np.int32, np.uint32, np.uint64):
        np.testing.assert_array_equal(s.uniform("p", 1, ids.astype(dt)), ref)


@pytest.mark.parametrize(
    "other",
    [
        dict(seed=2, process="search", month=0, draw=0),
        dict(seed=1, process="contact", month=0, draw=0),
        dict(seed=1, process="search", month=1, draw=0),
        dict(seed=1, process="search", month=0, draw=1),
    ],
)
def test_different_seed_process_month_or_draw_give_different_draws(other):
    ids = IDS[:10_000]
    base = Streams(1).uniform("search", 0, ids, 0)
    alt = Streams(other["seed"]).uniform(other["process"], other["month"], ids, other["draw"])
    # essentially no coincidences, and no strong correlation between the streams
    assert np.mean(base == alt) < 1e-3
    assert abs(np.corrcoef(base, alt)[0, 1]) < 0.05


def test_uniform_range_mean_and_no_serial_correlation():
    u = Streams(7).uniform("hours", 12, IDS)
    assert u.dtype == np.float64
    assert u.min() >= 0.0 and u.max() < 1.0
    # mean 0.5 with sd 1/sqrt(12 N) ~ 9e-4
    assert u.mean() == pytest.approx(0.5, abs=5e-3)
    assert u.var() == pytest.approx(1 / 12, abs=2e-3)
    # consecutive uids: correlation sd ~ 1/sqrt(N) ~ 3e-3
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.015
    # roughly flat histogram over 10 bins (each expects 10 000, sd ~ 95)
    counts = np.histogram(u, bins=10, range=(0.0, 1.0))[0]
    assert np.all(np.abs(counts - N / 10) < 600)


def test_uniform_for_consecutive_months_not_correlated():
    s = Streams(7)
    a = s.uniform("search", 0, IDS)
    b = s.uniform("search", 1, IDS)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.015


def test_normal_mean_zero_sd_one():
    z = Streams(11).normal("shock", 0, IDS)
    assert np.all(np.isfinite(z))
    assert z.mean() == pytest.approx(0.0, abs=0.015)
    assert z.std() == pytest.approx(1.0, abs=0.015)
    # tails as for a standard normal: P(|z| > 1.96) ~ 0.05
    assert np.mean(np.abs(z) > 1.96) == pytest.approx(0.05, abs=0.005)


def test_normal_is_inverse_cdf_of_uniform_with_same_key():
    s = Streams(3)
    ids = IDS[:1000]
    u = s.uniform("x", 2, ids)
    z = s.normal("x", 2, ids)
    assert np.all(np.diff(z[np.argsort(u)]) >= 0)


def test_generator_reproducible_and_keyed():
    a = Streams(9).generator("vacancies", 4).random(5)
    b = Streams(9).generator("vacancies", 4).random(5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, Streams(9).generator("vacancies", 5).random(5))
    assert not np.array_equal(a, Streams(9).generator("claims", 4).random(5))
    assert not np.array_equal(a, Streams(10).generator("vacancies", 4).random(5))


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**63 - 1),
    month=st.integers(0, 600),
    ids=st.lists(st.integers(0, 2**40), min_size=1, max_size=50),
)
def test_uniform_property_in_unit_interval_and_pure(seed, month, ids):
    arr = np.array(ids, dtype=np.int64)
    u = Streams(seed).uniform("p", month, arr)
    assert np.all((u >= 0.0) & (u < 1.0))
    np.testing.assert_array_equal(u[::-1], Streams(seed).uniform("p", month, arr[::-1]))


# --- poisson_from_uniform ------------------------------------------------------------------


@pytest.mark.parametrize("lam", [0.3, 2.0, 6.0])
def test_poisson_mean_and_variance(lam):
    n = 200_000
    u = np.random.default_rng(int(lam * 10)).random(n)
    k = poisson_from_uniform(np.full(n, lam), u)
    assert k.dtype.kind == "i"
    assert k.min() >= 0
    # sd of the sample mean is sqrt(lam / n) <= 0.0055
    assert k.mean() == pytest.approx(lam, abs=0.03)
    assert k.var() == pytest.approx(lam, rel=0.03)
    # P(0) = exp(-lam)
    assert np.mean(k == 0) == pytest.approx(np.exp(-lam), abs=0.005)


def test_poisson_inversion_exact_boundaries():
    lam = np.full(4, 1.0)
    p0 = np.exp(-1.0)
    u = np.array([0.0, p0 - 1e-9, p0 + 1e-9, 2 * p0 + 1e-9])
    np.testing.assert_array_equal(poisson_from_uniform(lam, u), [0, 0, 1, 2])


def test_poisson_monotone_in_u_and_lam():
    u = np.linspace(0.0, 0.999, 500)
    k = poisson_from_uniform(np.full(500, 3.0), u)
    assert np.all(np.diff(k) >= 0)
    lam = np.linspace(0.0, 10.0, 500)
    k2 = poisson_from_uniform(lam, np.full(500, 0.6))
    assert np.all(np.diff(k2) >= 0)


def test_poisson_zero_rate_gives_zero():
    k = poisson_from_uniform(np.zeros(5), np.array([0.0, 0.3, 0.5, 0.9, 0.999999]))
    np.testing.assert_array_equal(k, 0)


def test_poisson_per_person_rates():
    lam = np.array([0.0, 2.0, 6.0])
    n = 50_000
    u = np.random.default_rng(1).random((n, 3))
    k = poisson_from_uniform(np.tile(lam, (n, 1)), u)
    np.testing.assert_allclose(k.mean(axis=0), lam, atol=0.05)



def test_poisson_with_streams_keeps_uid_indexing():
    s = Streams(4)
    lam = np.full(1000, 2.0)
    k_full = poisson_from_uniform(lam, s.uniform("search", 1, IDS[:1000]))
    sub = IDS[500:600]
    k_sub = poisson_from_uniform(lam[500:600], s.uniform("search", 1, sub))
    np.testing.assert_array_equal(k_sub, k_full[500:600])


def test_poisson_mean_for_large_rate_within_parameter_bounds():
    """Rates up to the parameter bounds (20 applications times a boosted effort) stay Poisson."""
    n = 100_000
    u = np.random.default_rng(3).random(n)
    k = poisson_from_uniform(np.full(n, 30.0), u)
    assert k.mean() == pytest.approx(30.0, abs=0.1)


def test_the_keys_of_many_draws_equal_one_key_at_a_time():
    s = Streams(7)
    for month in (-1, 0, 5, 119, 10**6):
        keys = s.keys("claim", month, 25)
        assert [int(k) for k in keys] == [int(s.key("claim", month, j)) for j in range(25)]
