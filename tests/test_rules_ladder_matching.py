"""Tests for labour_abm.core.rules.ladder and labour_abm.core.rules.matching."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from labour_abm.core.rules.ladder import TRANSITIONS, participation_ladder, transition_counts
from labour_abm.core.rules.matching import resolve_offers

# --- participation_ladder ------------------------------------------------------------------


def ladder(on=True, employed=False, parttime=False, volunteering=False, recent=False,
           mental=0.8, confidence=0.8):
    def b(x):
        return np.array([x], dtype=bool)

    return participation_ladder(
        b(on), b(employed), b(parttime), b(volunteering), b(recent),
        np.array([mental]), np.array([confidence]),
    )[0]


def test_ladder_step_1_isolated_needs_poor_mental_health_and_low_confidence():
    assert ladder(mental=0.3, confidence=0.3) == 1
    assert ladder(mental=0.3, confidence=0.7) == 2
    assert ladder(mental=0.7, confidence=0.3) == 2
    assert ladder(mental=0.5, confidence=0.49) == 2  # threshold is strict


def test_ladder_step_2_social_contacts_by_default():
    assert ladder() == 2


def test_ladder_step_3_organised_activity():
    assert ladder(recent=True) == 3
    assert ladder(recent=True, mental=0.1, confidence=0.1) == 3


def test_ladder_step_4_volunteering():
    assert ladder(volunteering=True) == 4
    assert ladder(volunteering=True, recent=True, mental=0.1, confidence=0.1) == 4


def test_ladder_step_5_parttime_work_on_benefit():
    assert ladder(parttime=True, employed=True) == 5
    assert ladder(parttime=True, volunteering=True, recent=True) == 5


def test_ladder_step_6_paid_work_off_benefit():
    assert ladder(on=False, employed=True) == 6
    assert ladder(on=False, employed=True, parttime=True, mental=0.1, confidence=0.1) == 6


def test_ladder_off_benefit_without_work_is_not_step_6():
    assert ladder(on=False, employed=False) == 2


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(1, 40), seed=st.integers(0, 2**32 - 1),
)
def test_ladder_steps_in_range_and_follow_priority(n, seed):
    rng = np.random.default_rng(seed)
    on, emp, pt, vol, rec = (rng.random((5, n)) < 0.5)
    mh, conf = rng.random((2, n))
    step = participation_ladder(on, emp, pt, vol, rec, mh, conf)
    assert step.shape == (n,)
    assert np.all((step >= 1) & (step <= 6))
    expected = np.where((mh < 0.5) & (conf < 0.5), 1, 2)
    expected = np.where(rec, 3, expected)
    expected = np.where(vol, 4, expected)
    expected = np.where(on & pt, 5, expected)
    expected = np.where(~on & emp, 6, expected)
    np.testing.assert_array_equal(step, expected)


# --- resolve_offers ------------------------------------------------------------------------


def test_transition_counts_count_each_move_from_step_to_step():
    before = np.array([2, 2, 3, 3, 3, 5, 1], dtype=np.int8)
    after = np.array([3, 3, 2, 6, 3, 6, 6], dtype=np.int8)
    # the person who stayed on step 3 is no move; pairs nobody moved between are left out
    assert transition_counts(before, after) == {(2, 3): 2, (3, 2): 1, (3, 6): 1, (5, 6): 1, (1, 6): 1}
    assert len(TRANSITIONS) == 30 and all(a != b for a, b in TRANSITIONS)


def test_resolve_offers_empty():
    e = np.array([], dtype=np.int64)
    out = resolve_offers(e, e, np.array([], bool), np.array([], float))
    assert out.shape == (0,)


def test_vacancy_goes_to_lowest_priority_offer():
    person = np.array([0, 1, 2])
    vacancy = np.array([7, 7, 7])
    parttime = np.zeros(3, bool)
    priority = np.array([0.5, 0.1, 0.9])
    np.testing.assert_array_equal(resolve_offers(person, vacancy, parttime, priority), [1])


def test_person_prefers_fulltime_over_parttime():
    person = np.array([0, 0])
    vacancy = np.array([1, 2])
    parttime = np.array([True, False])
    priority = np.array([0.1, 0.9])  # the part-time offer has the better priority
    np.testing.assert_array_equal(resolve_offers(person, vacancy, parttime, priority), [1])


def test_person_takes_lowest_priority_among_same_kind():
    person = np.array([0, 0, 0])
    vacancy = np.array([1, 2, 3])
    parttime = np.array([False, False, True])
    priority = np.array([0.6, 0.3, 0.1])
    np.testing.assert_array_equal(resolve_offers(person, vacancy, parttime, priority), [1])


def test_vacancy_whose_candidate_goes_elsewhere_stays_open():
    # vacancy 1 picks person 0 (priority 0.1); person 0 prefers full-time vacancy 2;
    # person 1 lost vacancy 1 to person 0 and does not get it in this round
    person = np.array([0, 1, 0])
    vacancy = np.array([1, 1, 2])
    parttime = np.array([True, True, False])
    priority = np.array([0.1, 0.2, 0.5])
    np.testing.assert_array_equal(resolve_offers(person, vacancy, parttime, priority), [2])


def test_disjoint_offers_all_hired():
    person = np.array([3, 1, 2])
    vacancy = np.array([10, 11, 12])
    out = resolve_offers(person, vacancy, np.array([False, True, False]), np.array([0.3, 0.2, 0.1]))
    np.testing.assert_array_equal(out, [0, 1, 2])


@st.composite
def offers(draw):
    n = draw(st.integers(0, 60))
    n_people = draw(st.integers(1, 15))
    n_vac = draw(st.integers(1, 15))
    person = np.array(draw(st.lists(st.integers(0, n_people - 1), min_size=n, max_size=n)),
                      dtype=np.int64)
    vacancy = np.array(draw(st.lists(st.integers(0, n_vac - 1), min_size=n, max_size=n)),
                       dtype=np.int64)
    parttime = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    # distinct priorities, as the model's uniform draws are (ties have probability ~0)
    priority = np.array(
        draw(st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=n, max_size=n,
                      unique=True)),
        dtype=float,
    )
    return person, vacancy, parttime, priority


@settings(max_examples=200, deadline=None)
@given(offers())
def test_resolve_offers_properties(o):
    person, vacancy, parttime, priority = o
    hires = resolve_offers(person, vacancy, parttime, priority)
    n = len(person)
    # valid, sorted, distinct indices
    assert hires.dtype.kind == "i"
    assert np.all((hires >= 0) & (hires < n))
    assert np.all(np.diff(hires) > 0)
    # each vacancy at most once, each person at most once
    assert len(np.unique(vacancy[hires])) == len(hires)
    assert len(np.unique(person[hires])) == len(hires)
    # reference implementation of the documented two-stage rule
    chosen = {}
    for i in range(n):
        v = vacancy[i]
        if v not in chosen or priority[i] < priority[chosen[v]]:
            chosen[v] = i
    best = {}
    for i in chosen.values():
        p = person[i]
        key = (bool(parttime[i]), priority[i])
        if p not in best or key < (bool(parttime[best[p]]), priority[best[p]]):
            best[p] = i
    np.testing.assert_array_equal(hires, np.sort(np.array(list(best.values()), dtype=np.int64)))
    # every person with a surviving full-time offer gets a full-time job
    for p, i in best.items():
        survivors = [j for j in chosen.values() if person[j] == p]
        if any(not parttime[j] for j in survivors):
            assert not parttime[i]
    # a person with any offer that won its vacancy is hired
    assert set(person[hires].tolist()) == {int(person[i]) for i in chosen.values()}
