"""Tests for labour_abm.core.rules.benefit: the Participatiewet benefit and the municipal budget."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labour_abm.core.rules.benefit import benefit_norm, benefit_paid, earnings_disregard, safety_net

PW = dict(share=0.25, cap_eur=269.0, max_months=6, min_age=27.0)


def disregard(earnings, age=35.0, used=0, debt=False):
    e = np.atleast_1d(np.asarray(earnings, dtype=float))
    n = len(e)

    def arr(x, dtype):
        return np.broadcast_to(np.asarray(x, dtype=dtype), (n,)).copy()

    return earnings_disregard(e, arr(age, float), arr(used, int), arr(debt, bool), **PW)


# --- benefit_norm --------------------------------------------------------------------------


def test_benefit_norm_single_parent_and_couple():
    household = np.array([0, 1, 2])
    np.testing.assert_allclose(benefit_norm(household, 1300.0, 1850.0), [1300.0, 1300.0, 1850.0])


# --- earnings_disregard --------------------------------------------------------------------


def test_disregard_is_quarter_of_earnings():
    np.testing.assert_allclose(disregard([100.0, 400.0, 1000.0]), [25.0, 100.0, 250.0])


def test_disregard_capped_at_269():
    np.testing.assert_allclose(disregard([1076.0, 1200.0, 5000.0]), [269.0, 269.0, 269.0])


def test_disregard_zero_under_27():
    out = disregard([400.0] * 3, age=np.array([18.0, 26.9, 27.0]))
    np.testing.assert_allclose(out, [0.0, 0.0, 100.0])


def test_disregard_zero_after_six_months_used():
    out = disregard([400.0] * 4, used=np.array([0, 5, 6, 12]))
    np.testing.assert_allclose(out, [100.0, 100.0, 0.0, 0.0])


def test_disregard_zero_in_debt_arrangement():
    np.testing.assert_allclose(disregard([400.0] * 2, debt=np.array([False, True])), [100.0, 0.0])


def test_disregard_zero_without_earnings():
    np.testing.assert_array_equal(disregard([0.0]), [0.0])


@settings(max_examples=100, deadline=None)
@given(
    earnings=st.floats(0.0, 10_000.0),
    age=st.floats(18.0, 67.0),
    used=st.integers(0, 24),
    debt=st.booleans(),
)
def test_disregard_between_zero_and_cap_and_below_earnings(earnings, age, used, debt):
    d = disregard([earnings], age=age, used=used, debt=debt)[0]
    assert 0.0 <= d <= min(PW["cap_eur"], earnings)
    eligible = earnings > 0 and age >= 27 and used < 6 and not debt
    if eligible:
        assert d == pytest.approx(min(0.25 * earnings, 269.0))
    else:
        assert d == 0.0


# --- benefit_paid --------------------------------------------------------------------------


def test_benefit_paid_is_norm_minus_earnings_not_disregarded():
    norm = np.array([1300.0, 1300.0])
    earnings = np.array([0.0, 400.0])
    d = disregard(earnings)
    paid = benefit_paid(norm, earnings, d, np.zeros(2))
    np.testing.assert_allclose(paid, [1300.0, 1300.0 - (400.0 - 100.0)])


def test_benefit_paid_never_negative():
    paid = benefit_paid(np.array([1300.0]), np.array([3000.0]), np.array([0.0]), np.array([0.0]))
    assert paid[0] == 0.0


def test_benefit_paid_cut_shares():
    norm = np.full(3, 1000.0)
    zeros = np.zeros(3)
    paid = benefit_paid(norm, zeros, zeros, np.array([0.0, 0.3, 1.0]))
    np.testing.assert_allclose(paid, [1000.0, 700.0, 0.0])


def test_disregard_raises_paid_benefit():
    norm = np.full(2, 1300.0)
    earnings = np.full(2, 600.0)
    paid = benefit_paid(norm, earnings, np.array([0.0, 150.0]), np.zeros(2))
    assert paid[1] - paid[0] == pytest.approx(150.0)


@settings(max_examples=100, deadline=None)
@given(
    norm=st.floats(0.0, 3000.0),
    earnings=st.floats(0.0, 6000.0),
    cut=st.floats(0.0, 1.0),
    age=st.floats(18.0, 67.0),
)
def test_benefit_paid_property(norm, earnings, cut, age):
    d = disregard([earnings], age=age)
    paid = benefit_paid(np.array([norm]), np.array([earnings]), d, np.array([cut]))[0]
    assert paid >= 0.0
    assert paid <= norm + 1e-9
    assert paid == pytest.approx(max(0.0, norm - (earnings - d[0])) * (1 - cut))


# --- safety_net ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spending, expected",
    [
        (90.0, 0.0),  # surplus
        (100.0, 0.0),  # balanced
        (104.0, 0.0),  # deficit below own risk
        (105.0, 0.0),  # exactly at own risk
        (107.0, 1.0),  # half of 2
        (110.0, 2.5),  # half of the full 5-10% slice
        (112.0, 4.5),  # 0.5 * 5 + 2
        (130.0, 22.5),  # 0.5 * 5 + 20
    ],
)
def test_safety_net_exact_values(spending, expected):
    assert safety_net(spending, 100.0, own_risk=0.05, full_above=0.10) == pytest.approx(expected)


def test_safety_net_scales_with_allocation():
    small = safety_net(112.0, 100.0, 0.05, 0.10)
    big = safety_net(112_000.0, 100_000.0, 0.05, 0.10)
    assert big == pytest.approx(1000 * small)


def test_safety_net_zero_without_allocation():
    assert safety_net(50.0, 0.0, 0.05, 0.10) == 0.0


@settings(max_examples=100, deadline=None)
@given(spending=st.floats(0.0, 1e7), allocation=st.floats(1.0, 1e7))
def test_safety_net_nonnegative_and_leaves_municipality_its_share(spending, allocation):
    comp = safety_net(spending, allocation, 0.05, 0.10)
    deficit = spending - allocation
    assert comp >= 0.0
    if deficit <= 0.05 * allocation:
        assert comp <= 1e-9 * allocation
    else:
        # the municipality never gets back more than its deficit, and always bears the first 5%
        assert comp <= deficit - 0.05 * allocation + 1e-6 * allocation
    # monotone in spending
    assert safety_net(spending + 1.0, allocation, 0.05, 0.10) >= comp - 1e-9
