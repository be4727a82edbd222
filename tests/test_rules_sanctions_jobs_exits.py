"""Tests for labour_abm.core.rules.sanctions, .jobs and .exits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from labour_abm.core.rules.exits import other_exit_hazards, pick_competing
from labour_abm.core.rules.jobs import job_loss_hazard, months_until_return, ww_months
from labour_abm.core.rules.sanctions import sanction_months

# --- sanctions -----------------------------------------------------------------------------


def test_sanction_months_escalate_then_cap():
    out = sanction_months(np.array([0, 1, 2, 3, 10]), first_months=1, max_months=3)
    np.testing.assert_array_equal(out, [1, 2, 3, 3, 3])


def test_sanction_months_other_parameters():
    out = sanction_months(np.array([0, 1, 2]), first_months=2, max_months=3)
    np.testing.assert_array_equal(out, [2, 3, 3])


def test_sanction_months_large_counts_do_not_overflow():
    out = sanction_months(np.array([200, 30_000], dtype=np.int16), first_months=1, max_months=3)
    np.testing.assert_array_equal(out, [3, 3])


def test_sanction_months_int8_count_at_limit():
    out = sanction_months(np.array([126, 127], dtype=np.int8), first_months=1, max_months=3)
    np.testing.assert_array_equal(out, [3, 3])


# --- jobs ----------------------------------------------------------------------------------

JOB = dict(base=0.01, first_year_extra=0.02, poor_health_multiplier=2.0, low_quality_multiplier=1.5)


def test_job_loss_hazard_higher_in_first_year():
    tenure = np.array([0, 6, 11, 12, 24])
    n = len(tenure)
    h = job_loss_hazard(tenure, np.zeros(n, bool), np.zeros(n, bool), **JOB)
    np.testing.assert_allclose(h, [0.03, 0.03, 0.03, 0.01, 0.01])


def test_job_loss_multipliers_apply_and_combine():
    tenure = np.array([24, 24, 24, 0])
    health = np.array([False, True, True, True])
    quality = np.array([False, False, True, True])
    h = job_loss_hazard(tenure, health, quality, **JOB)
    np.testing.assert_allclose(h, [0.01, 0.02, 0.03, 0.09])


def test_job_loss_hazard_capped_at_one():
    h = job_loss_hazard(np.array([0]), np.array([True]), np.array([True]),
                        base=0.5, first_year_extra=0.3, poor_health_multiplier=2.0,
                        low_quality_multiplier=2.0)
    assert h[0] == 1.0


def test_months_until_return_without_chance_is_the_ww_rule():
    tenure = np.array([0, 5, 6, 7, 48])
    delay, back = months_until_return(tenure, np.array([3, 3, 3, 10, 24]), np.full(5, 0.5), np.full(5, 0.3),
                                      ww_min_tenure=6, ww_job_finding=0.0, claim_per_month=1.0)
    np.testing.assert_array_equal(delay, [1, 1, 4, 11, 25])
    assert back.all()


def test_claim_delay_is_geometric_and_work_found_on_ww_prevents_a_return():
    n = 200_000
    u = (np.arange(n) + 0.5) / n
    delay, back = months_until_return(np.zeros(n, np.int64), np.full(n, 3), u, u[::-1].copy(), ww_min_tenure=6,
                                      ww_job_finding=0.2, claim_per_month=0.4)
    assert back.all()  # no WW: no chance to find work on it
    for k in range(4):  # P(wait = k) = c (1 - c)^k
        assert np.mean(delay - 1 == k) == pytest.approx(0.4 * 0.6**k, abs=1e-3)
    delay, back = months_until_return(np.full(n, 12), np.full(n, 3), u, u, ww_min_tenure=6, ww_job_finding=0.2,
                                      claim_per_month=0.4)
    assert back.mean() == pytest.approx(0.8**3, abs=1e-3)
    assert delay.min() == 4


def test_ww_months_follow_the_work_history():
    np.testing.assert_array_equal(ww_months(np.array([-2.0, 0.0, 2.9, 7.5, 10.0, 16.0, 40.0, 80.0]), 3),
                                  [3, 3, 3, 7, 10, 13, 24, 24])


# --- exits ---------------------------------------------------------------------------------

EXIT = dict(partner=0.01, moved=0.005, other_benefit=0.02, other=0.003, youth_education=0.04, information_end=0.002,
            information_end_barrier_extra=1.5)


def test_other_exit_hazards_columns():
    age = np.array([30.0, 30.0, 30.0, 60.0, 20.0, 20.0, 30.0])
    household = np.array([0, 1, 2, 0, 0, 0, 0])
    poor_health = np.array([False, False, False, False, False, False, True])
    no_qual = np.array([False, False, False, False, True, False, True])
    paperwork = np.array([0, 1, 2, 3, 0, 0, 0])
    h = other_exit_hazards(age, household, poor_health, no_qual, paperwork, **EXIT)
    assert h.shape == (7, 6)
    # partner: only non-couples under 55
    np.testing.assert_allclose(h[:, 0], [0.01, 0.01, 0.0, 0.0, 0.01, 0.01, 0.01])
    # moved: everyone
    np.testing.assert_allclose(h[:, 1], 0.005)
    # other benefit: poor physical health only
    np.testing.assert_allclose(h[:, 2], [0, 0, 0, 0, 0, 0, 0.02])
    # other: everyone; education: under 27 without start qualification
    np.testing.assert_allclose(h[:, 3], 0.003)
    np.testing.assert_allclose(h[:, 4], [0, 0, 0, 0, 0.04, 0, 0])
    # information not given in time: 1 + 1.5 more for each paperwork barrier
    np.testing.assert_allclose(h[:, 5], 0.002 * np.array([1, 2.5, 4, 5.5, 1, 1, 1]))


def test_partner_hazard_age_boundary():
    h = other_exit_hazards(np.array([54.9, 55.0]), np.zeros(2, int), np.zeros(2, bool),
                           np.zeros(2, bool), np.zeros(2, int), **EXIT)
    np.testing.assert_allclose(h[:, 0], [0.01, 0.0])


def test_youth_education_age_boundary():
    h = other_exit_hazards(np.array([26.9, 27.0]), np.full(2, 2), np.zeros(2, bool),
                           np.ones(2, bool), np.zeros(2, int), **EXIT)
    np.testing.assert_allclose(h[:, 4], [0.04, 0.0])


def test_pick_competing_slices():
    # dyadic hazards, so the cumulative sums are exact: slices [0, .125), [.125, .375), [.375, .75)
    hazards = np.tile([0.125, 0.0, 0.25, 0.375], (7, 1))
    u = np.array([0.0, 0.0625, 0.125, 0.374, 0.375, 0.74, 0.75])
    np.testing.assert_array_equal(pick_competing(hazards, u), [0, 0, 2, 2, 3, 3, -1])


def test_pick_competing_minus_one_when_u_at_or_above_total():
    hazards = np.array([[0.1, 0.1, 0.1, 0.1], [0.0, 0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(pick_competing(hazards, np.array([0.4, 0.0])), [-1, -1])
    np.testing.assert_array_equal(pick_competing(hazards, np.array([0.9, 0.5])), [-1, -1])


def test_pick_competing_frequencies_proportional_to_hazards():
    hazards_row = np.array([0.05, 0.10, 0.0, 0.15])
    n = 200_000
    hazards = np.tile(hazards_row, (n, 1))
    u = np.random.default_rng(12345).random(n)
    which = pick_competing(hazards, u)
    freq = np.array([(which == j).mean() for j in range(4)])
    none = (which == -1).mean()
    # binomial sd at p=0.15, n=2e5 is ~8e-4; allow 5 sd
    np.testing.assert_allclose(freq, hazards_row, atol=4e-3)
    assert freq[2] == 0.0
    assert none == pytest.approx(1 - hazards_row.sum(), abs=4e-3)


@settings(max_examples=100, deadline=None)
@given(
    hz=arrays(np.float64, (20, 4), elements=st.floats(0.0, 0.25)),
    u=arrays(np.float64, 20, elements=st.floats(0.0, 1.0, exclude_max=True)),
)
def test_pick_competing_property(hz, u):
    which = pick_competing(hz, u)
    cum = np.cumsum(hz, axis=1)
    for i in range(20):
        if u[i] >= cum[i, -1]:
            assert which[i] == -1
        else:
            j = which[i]
            assert 0 <= j < 4
            assert hz[i, j] > 0  # a zero hazard never happens
            lo = cum[i, j - 1] if j > 0 else 0.0
            assert lo <= u[i] < cum[i, j]
