"""Tests for labour_abm.core.rules.search: search effort and compliance with the duty to apply."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labour_abm.core.rules.search import is_noncompliant, search_effort

NEVER = 9999

PARAMS = dict(
    sanction_strictness=0.5,
    threat_effect=0.2,
    post_sanction_boost=0.3,
    debt_stress_penalty=0.25,
    exempt_share=0.2,
    waived_share=0.8,
    parttime_worker_share=0.5,
)


def effort(motivation=1.0, confidence=1.0, debt=0.0, exempt=False, parttime=False, since=NEVER, waived=False,
           **overrides):
    kw = {**PARAMS, **overrides}
    n = max(np.size(x) for x in (motivation, confidence, debt, exempt, parttime, since, waived))

    def arr(x, dtype=float):
        return np.broadcast_to(np.asarray(x, dtype=dtype), (n,)).copy()

    return search_effort(
        arr(motivation), arr(confidence), arr(debt), arr(exempt, bool), arr(waived, bool), arr(parttime, bool),
        arr(since, np.int16), **kw,
    )


def test_fully_motivated_confident_searcher_without_threat_has_effort_one():
    e = effort(sanction_strictness=0.0)
    np.testing.assert_allclose(e, [1.0])


def test_effort_matches_documented_formula():
    e = effort(motivation=0.8, confidence=0.4, debt=1.0, exempt=False, parttime=True, since=2)
    expected = 0.8 * (0.5 + 0.5 * 0.4) * (1 - 0.25) * (1 + 0.2 * 0.5) * (1 + 0.3) * 0.5
    np.testing.assert_allclose(e, [expected])


def test_increasing_in_motivation():
    m = np.linspace(0.0, 1.0, 11)
    e = effort(motivation=m, confidence=0.5)
    assert e[0] == 0.0
    assert np.all(np.diff(e) > 0)


def test_increasing_in_confidence_and_half_effort_at_zero_confidence():
    c = np.linspace(0.0, 1.0, 11)
    e = effort(motivation=0.8, confidence=c, sanction_strictness=0.0)
    assert np.all(np.diff(e) > 0)
    assert e[0] == pytest.approx(0.5 * e[-1])


def test_debt_stress_lowers_effort():
    e = effort(debt=np.array([0.0, 0.5, 1.0]))
    assert e[0] > e[1] > e[2]
    assert e[2] == pytest.approx(e[0] * (1 - PARAMS["debt_stress_penalty"]))


def test_exempt_lowers_effort_by_given_share():
    e = effort(exempt=np.array([False, True]), motivation=0.7)
    assert e[1] == pytest.approx(e[0] * PARAMS["exempt_share"])


def test_parttime_worker_lowers_effort_by_given_share():
    e = effort(parttime=np.array([False, True]), motivation=0.7)
    assert e[1] == pytest.approx(e[0] * PARAMS["parttime_worker_share"])


def test_sanction_threat_raises_effort_with_strictness():
    lax = effort(sanction_strictness=0.0)
    strict = effort(sanction_strictness=1.0)
    assert strict[0] == pytest.approx(lax[0] * (1 + PARAMS["threat_effect"]))


def test_post_sanction_boost_only_in_six_months_after_sanction():
    # months_since_sanction is 0 in the sanction month and 1..6 in the six months after it
    since = np.array([0, 1, 5, 6, 7, 24, NEVER])
    e = effort(since=since)
    base = e[-1]
    np.testing.assert_allclose(e[:4], base * (1 + PARAMS["post_sanction_boost"]))
    np.testing.assert_allclose(e[4:], base)


@settings(max_examples=100, deadline=None)
@given(
    m=st.floats(0, 1), c=st.floats(0, 1), d=st.floats(0, 1),
    ex=st.booleans(), pt=st.booleans(), since=st.integers(0, NEVER),
    dm=st.floats(0, 1), dc=st.floats(0, 1),
)
def test_effort_nonnegative_and_monotone(m, c, d, ex, pt, since, dm, dc):
    e = effort(
        motivation=[m, min(1.0, m + dm), m], confidence=[c, c, min(1.0, c + dc)],
        debt=d, exempt=ex, parttime=pt, since=since,
    )
    assert np.all(e >= 0)
    assert e[1] >= e[0] - 1e-12
    assert e[2] >= e[0] - 1e-12


# --- is_noncompliant -----------------------------------------------------------------------


def test_noncompliant_when_below_threshold_share_of_duty():
    apps = np.array([0, 1, 2, 3, 4])
    out = is_noncompliant(apps, np.zeros(5, bool), np.zeros(5, bool), required=4.0, threshold_share=0.5)
    np.testing.assert_array_equal(out, [True, True, False, False, False])


def test_exempt_people_are_never_noncompliant():
    apps = np.zeros(5, dtype=int)
    out = is_noncompliant(apps, np.ones(5, bool), np.zeros(5, bool), required=4.0, threshold_share=1.0)
    assert not out.any()


def test_parttime_workers_meet_the_duty_through_their_work():
    apps = np.zeros(5, dtype=int)
    out = is_noncompliant(apps, np.zeros(5, bool), np.ones(5, bool), required=4.0, threshold_share=1.0)
    assert not out.any()


@settings(max_examples=100, deadline=None)
@given(
    apps=st.lists(st.integers(0, 20), min_size=1, max_size=30),
    seed=st.integers(0, 2**32 - 1),
    required=st.floats(0, 20),
    share=st.floats(0, 1),
)
def test_noncompliance_property(apps, seed, required, share):
    a = np.array(apps)
    rng = np.random.default_rng(seed)
    exempt = rng.random(len(a)) < 0.3
    parttime = rng.random(len(a)) < 0.2
    out = is_noncompliant(a, exempt, parttime, required, share)
    assert not out[exempt | parttime].any()
    dutied = ~exempt & ~parttime
    np.testing.assert_array_equal(out[dutied], a[dutied] < share * required)


def test_a_waived_duty_costs_only_the_duty_s_push_and_an_exemption_on_health_grounds_more():
    base = effort(motivation=0.8)[0]
    assert effort(motivation=0.8, waived=True)[0] == pytest.approx(0.8 * base)
    assert effort(motivation=0.8, exempt=True)[0] == pytest.approx(0.2 * base)
    assert effort(motivation=0.8, exempt=True, waived=True)[0] == pytest.approx(0.2 * base)  # the exemption counts
