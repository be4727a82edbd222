"""Tests for labour_abm.core.rules.benefit: the Participatiewet benefit and the municipal budget."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labour_abm.core.rules.benefit import (
    benefit_paid,
    cost_sharing_share,
    earnings_disregard,
    household_norm,
    safety_net,
    single_parent_exemption_allowed,
)

PW = dict(share=0.25, cap_eur=269.0, max_months=6, min_age=27.0)


def disregard(earnings, age=35.0, used=0, debt=False):
    e = np.atleast_1d(np.asarray(earnings, dtype=float))
    n = len(e)

    def arr(x, dtype):
        return np.broadcast_to(np.asarray(x, dtype=dtype), (n,)).copy()

    return earnings_disregard(e, arr(age, float), arr(used, int), arr(debt, bool), **PW)


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


# --- households: cost-sharing norm, youth norms, partner's earnings, single-parent exemption ------
# Hand-worked on the published amounts of 1 July 2024 (municipal norm tables, e.g. Velsen): couple
# norm EUR 1,869.21; cost-sharing norm for 2..6 sharers 934.61, 809.99, 747.68, 710.30, 685.38 per
# adult; youth norms single 323.03, couple both under 21 646.06 / 1,019.90 (without / with children),
# one under 21 1,257.64 / 1,631.48.
COUPLE_NORM = 1869.21
YOUTH = dict(couple_eur=COUPLE_NORM, youth_single_eur=323.03, youth_couple_eur=(646.06, 1019.90),
             youth_mixed_couple_eur=(1257.64, 1631.48))


def test_cost_sharing_norm_gives_the_published_amounts():
    per_adult = cost_sharing_share(np.arange(1, 7)) * COUPLE_NORM
    np.testing.assert_allclose(per_adult, [1308.45, 934.61, 809.99, 747.68, 710.30, 685.38], atol=0.006)


def test_household_norm_of_singles_couples_and_young_people():
    cases = [  # couple, age, partner age, children, sharers in the home -> norm
        (False, 35, 0, 0, 1, 1308.45),        # alone: the single norm
        (False, 35, 0, 2, 1, 1308.45),        # a single parent: the same (the child budget is paid apart)
        (False, 35, 0, 0, 2, 934.61),         # living with another adult of 27+
        (False, 25, 0, 0, 3, 809.99),         # 25, with two parents: three sharers, the claimant included
        (True, 30, 32, 0, 2, COUPLE_NORM),    # a couple alone
        (True, 30, 32, 1, 3, 2 * 809.99),     # a couple with an adult child of 27+ at home
        (False, 19, 0, 0, 3, 323.03),         # under 21: the youth norm, whoever else lives there
        (True, 19, 20, 0, 2, 646.06),
        (True, 19, 20, 1, 2, 1019.90),
        (True, 19, 30, 0, 2, 1257.64),
        (True, 30, 19, 1, 2, 1631.48),
    ]
    couple, age, partner, children, sharers, expected = map(np.array, zip(*cases, strict=True))
    norm = household_norm(couple, age, partner, children, sharers, **YOUTH)
    np.testing.assert_allclose(norm, expected, atol=0.01)


def test_a_unit_never_counts_fewer_sharers_than_its_own_adults():
    norm = household_norm(np.array([True]), np.array([40.0]), np.array([40.0]), np.array([0]), np.array([1]), **YOUTH)
    np.testing.assert_allclose(norm, [COUPLE_NORM], atol=0.01)


def test_a_partners_earnings_lower_the_couples_benefit_until_it_ends():
    norm = np.full(3, COUPLE_NORM)
    own, partner = np.array([0.0, 200.0, 0.0]), np.array([1000.0, 1000.0, 2000.0])
    paid = benefit_paid(norm, own + partner, np.zeros(3), np.zeros(3))
    np.testing.assert_allclose(paid, [869.21, 669.21, 0.0], atol=0.01)  # the household's income reached the norm


def test_single_parent_exemption_only_with_a_child_under_five_and_for_five_years_in_all():
    single_parent = np.array([True, True, True, False])
    allowed = single_parent_exemption_allowed(single_parent, np.array([4.9, 5.0, 2.0, 1.0]), np.array([0, 0, 60, 0]))
    np.testing.assert_array_equal(allowed, [True, False, False, False])
