"""Tests for labour_abm.core.rules.screening: the chance an application leads to an offer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labour_abm.core.rules.screening import (
    age_factor,
    duration_stigma,
    offer_probability,
    parttime_acceptance,
    skill_depreciation,
)

# --- duration_stigma -----------------------------------------------------------------------


def test_duration_stigma_one_at_zero_months():
    assert duration_stigma(np.array([0.0]), 0.45, 4.0)[0] == pytest.approx(1.0)


def test_duration_stigma_decreasing_and_approaches_one_minus_max():
    months = np.arange(0, 241)
    s = duration_stigma(months, max_share=0.45, scale_months=4.0)
    assert np.all(np.diff(s[:60]) < 0)
    assert np.all(np.diff(s) <= 0)
    assert s[-1] == pytest.approx(1 - 0.45, abs=1e-9)
    assert np.all(s >= 1 - 0.45 - 1e-12)


def test_duration_stigma_flattens_after_first_months():
    s = duration_stigma(np.array([0.0, 8.0, 16.0]), max_share=0.45, scale_months=3.0)
    assert (s[0] - s[1]) > 5 * (s[1] - s[2])


def test_duration_stigma_exact_value():
    s = duration_stigma(np.array([4.0]), 0.5, 4.0)
    assert s[0] == pytest.approx(1 - 0.5 * (1 - np.exp(-1)))


# --- skill_depreciation --------------------------------------------------------------------


def test_skill_depreciation_compounds_per_year():
    s = skill_depreciation(np.array([0.0, 12.0, 24.0, 6.0]), per_year=0.1)
    np.testing.assert_allclose(s, [1.0, 0.9, 0.81, 0.9**0.5])


def test_skill_depreciation_decreasing_and_positive():
    s = skill_depreciation(np.arange(0, 240), per_year=0.05)
    assert np.all(np.diff(s) < 0)
    assert np.all(s > 0)


# --- age_factor ----------------------------------------------------------------------------


def test_age_factor_one_up_to_45_then_decreasing():
    ages = np.arange(18.0, 68.0)
    f = age_factor(ages, penalty_per_year_over_45=0.02)
    np.testing.assert_array_equal(f[ages <= 45], 1.0)
    assert np.all(np.diff(f[ages >= 45]) < 0)
    assert f[ages == 55][0] == pytest.approx(0.8)


def test_age_factor_never_negative():
    f = age_factor(np.array([45.0, 60.0, 70.0, 100.0]), penalty_per_year_over_45=0.05)
    np.testing.assert_allclose(f, [1.0, 0.25, 0.0, 0.0])


# --- offer_probability ---------------------------------------------------------------------

PENALTIES = dict(
    penalty_language=0.5,
    penalty_health=0.4,
    penalty_qualification=0.3,
    penalty_literacy=0.15,
    penalty_debt=0.2,
    penalty_no_experience=0.25,
    sector_bonus=0.5,
    referral_multiplier=2.0,
)

FLAGS = ("lacks_language", "lacks_health", "lacks_qualification", "low_literacy", "has_debt", "no_experience")


def offer(n=1, base=0.1, **kw):
    args = dict(
        openness=1.0,
        lacks_language=False,
        lacks_health=False,
        lacks_qualification=False,
        low_literacy=False,
        has_debt=False,
        no_experience=False,
        sector_match=False,
        stigma=1.0,
        skills=1.0,
        age=1.0,
        referral=False,
    )
    pen = {k: kw.pop(k) for k in list(kw) if k in PENALTIES}
    args.update(kw)
    arrays = {k: np.broadcast_to(np.asarray(v), (n,)).copy() for k, v in args.items()}
    return offer_probability(base, **arrays, **{**PENALTIES, **pen})


def test_offer_probability_base_case_equals_base_times_openness():
    assert offer(base=0.1, openness=0.6)[0] == pytest.approx(0.06)


@pytest.mark.parametrize(
    "flag, penalty",
    [
        ("lacks_language", "penalty_language"),
        ("lacks_health", "penalty_health"),
        ("lacks_qualification", "penalty_qualification"),
        ("low_literacy", "penalty_literacy"),
        ("has_debt", "penalty_debt"),
        ("no_experience", "penalty_no_experience"),
    ],
)
def test_each_penalty_lowers_offer_probability_by_its_share(flag, penalty):
    p = offer(n=2, **{flag: np.array([False, True])})
    assert p[1] < p[0]
    assert p[1] == pytest.approx(p[0] * (1 - PENALTIES[penalty]))


def test_penalties_multiply():
    p_all = offer(**{f: True for f in FLAGS})[0]
    expected = 0.1 * 0.5 * 0.6 * 0.7 * 0.85 * 0.8 * 0.75
    assert p_all == pytest.approx(expected)


def test_sector_match_raises_offer_probability():
    p = offer(n=2, sector_match=np.array([False, True]))
    assert p[1] == pytest.approx(p[0] * 1.5)


def test_referral_raises_offer_probability():
    p = offer(n=2, referral=np.array([False, True]))
    assert p[1] == pytest.approx(p[0] * PENALTIES["referral_multiplier"])


def test_stigma_skills_and_age_scale_offer_probability():
    p0 = offer()[0]
    assert offer(stigma=0.5)[0] == pytest.approx(0.5 * p0)
    assert offer(skills=0.8)[0] == pytest.approx(0.8 * p0)
    assert offer(age=0.0)[0] == 0.0


def test_offer_probability_capped_at_one():
    p = offer(base=0.9, sector_match=True, referral=True)
    assert p[0] == 1.0


def test_fractional_debt_flag_gives_partial_penalty():
    # the model passes debt * 0.5 for people in a debt arrangement
    p = offer(n=3, has_debt=np.array([0.0, 0.5, 1.0]))
    np.testing.assert_allclose(p, 0.1 * np.array([1.0, 0.9, 0.8]))


unit = st.floats(0.0, 1.0)


@settings(max_examples=200, deadline=None)
@given(
    base=unit, openness=unit, stigma=unit, skills=unit, age=unit,
    flags=st.tuples(*[st.booleans()] * 6), sector=st.booleans(), referral=st.booleans(),
    pens=st.tuples(*[unit] * 6), bonus=st.floats(0.0, 2.0), mult=st.floats(1.0, 5.0),
)
def test_offer_probability_in_unit_interval(
    base, openness, stigma, skills, age, flags, sector, referral, pens, bonus, mult
):
    p = offer(
        base=base, openness=openness, stigma=stigma, skills=skills, age=age,
        sector_match=sector, referral=referral,
        **dict(zip(FLAGS, flags, strict=True)),
        penalty_language=pens[0], penalty_health=pens[1], penalty_qualification=pens[2],
        penalty_literacy=pens[5], penalty_debt=pens[3], penalty_no_experience=pens[4], sector_bonus=bonus,
        referral_multiplier=mult,
    )
    assert 0.0 <= p[0] <= 1.0
    # each penalty can only lower it, a referral can only raise it
    for f in FLAGS:
        assert offer(
            base=base, openness=openness, stigma=stigma, skills=skills, age=age,
            sector_match=sector, referral=referral,
            **{**dict(zip(FLAGS, flags, strict=True)), f: True},
            penalty_language=pens[0], penalty_health=pens[1], penalty_qualification=pens[2],
            penalty_literacy=pens[5], penalty_debt=pens[3], penalty_no_experience=pens[4], sector_bonus=bonus,
            referral_multiplier=mult,
        )[0] <= p[0] + 1e-15


# --- parttime_acceptance -------------------------------------------------------------------


def test_parttime_acceptance_formula_and_rises_with_gain():
    gain = np.array([0.0, 50.0, 100.0, 269.0])
    a = parttime_acceptance(gain, base=0.3, per_100_eur=0.1)
    np.testing.assert_allclose(a, [0.3, 0.35, 0.4, 0.569])
    assert np.all(np.diff(a) > 0)


def test_parttime_acceptance_capped_at_one():
    a = parttime_acceptance(np.array([0.0, 500.0, 10_000.0]), base=0.5, per_100_eur=0.2)
    np.testing.assert_allclose(a, [0.5, 1.0, 1.0])
