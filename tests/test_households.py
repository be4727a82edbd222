"""Households as the benefit unit, in the month: the norm of the household in the home, a
partner's earnings offset against the couple's benefit, leaving when the household's earnings
are enough, the partner's own work, and a single parent's exemption (art. 9a Pw).

The rules themselves are pinned on the published amounts in test_rules_benefit.py; these
tests check that the model applies them to the people it draws.
"""

from __future__ import annotations

import numpy as np
import pytest

from labour_abm.core.labour_market import Conditions
from labour_abm.core.model import LabourModel
from labour_abm.core.month import Month
from labour_abm.core.population import ON_BENEFIT, PARTNER, WORK
from labour_abm.core.processes.benefit_payment import earnings_and_benefit, household_norm, partner_work
from labour_abm.core.transitions import advance_clocks

COUPLE_NORM = 1869.21


def _model(seed: int = 3) -> LabourModel:
    return LabourModel(preset="nijmegen", seed=seed, months=12)


def _month(model: LabourModel, vacancy_multiplier: float = 1.0) -> Month:
    model.month = 0
    model.now = Month(0, Conditions(vacancy_multiplier, 1.0))
    return model.now


def _plain(model: LabourModel, rows: np.ndarray) -> None:
    """No own earnings, no sanction, disregard used up: the benefit is the norm minus the rest."""
    pop = model.pop
    pop.parttime_earnings_eur[rows] = 0.0
    pop.parttime_hours[rows] = 0.0
    pop.partner_earnings_eur[rows] = 0.0
    pop.sanction_months_left[rows] = 0
    pop.disregard_months_used[rows] = 6
    pop.debt_arrangement_months_left[rows] = 0


def _pick(model: LabourModel, household: int, k: int = 40) -> np.ndarray:
    pop = model.pop
    rows = np.flatnonzero((pop.status == ON_BENEFIT) & (pop.household == household) & (pop.age_years >= 27)
                          & (pop.age_years < 60))
    return rows[:k]


def test_a_partners_earnings_lower_the_couples_benefit_euro_for_euro_beyond_the_disregard():
    model = _model()
    pop, now = model.pop, _month(model)
    couples = _pick(model, 2)
    _plain(model, couples)
    pop.cost_sharers[couples] = 0
    pop.partner_age_years[couples] = 35.0
    pop.partner_earnings_eur[couples] = 600.0
    model.p.partner_job_finding_per_month = 0.0
    model.p.parttime_job_end_per_month = 0.0
    earnings_and_benefit(model, now)
    np.testing.assert_allclose(pop.benefit_paid_eur[couples], COUPLE_NORM - 600.0, rtol=1e-5)
    # with the partner's disregard still to use, a quarter of it is kept
    pop.disregard_months_used[couples] = 0
    earnings_and_benefit(model, now)
    np.testing.assert_allclose(pop.benefit_paid_eur[couples], COUPLE_NORM - 0.75 * 600.0, rtol=1e-5)


@pytest.mark.parametrize(("sharers", "share"), [(1, 0.5), (2, 0.4333333), (3, 0.4)])
def test_the_cost_sharing_norm_lowers_a_single_persons_benefit_by_the_legal_fraction(sharers, share):
    model = _model()
    pop, now = model.pop, _month(model)
    singles = _pick(model, 0)
    _plain(model, singles)
    pop.cost_sharers[singles] = sharers
    earnings_and_benefit(model, now)
    # art. 22a Pw: (40 + 30 A) / (100 A) of the couple norm, A counting the claimant
    np.testing.assert_allclose(pop.benefit_paid_eur[singles], share * COUPLE_NORM, rtol=1e-5)
    assert (pop.benefit_paid_eur[singles] < 0.7 * COUPLE_NORM - 100).all()


def test_a_couple_leaves_when_the_partners_job_is_enough_and_lives_on_that_income():
    model = _model()
    pop, now = model.pop, _month(model)
    couples = _pick(model, 2)
    _plain(model, couples)
    pop.cost_sharers[couples] = 0
    half = len(couples) // 2
    pop.partner_earnings_eur[couples[:half]] = 1900.0  # full-time: more than the couple norm
    pop.partner_earnings_eur[couples[half:]] = 700.0  # part-time: not enough
    model.p.partner_job_finding_per_month = 0.0
    model.p.parttime_job_end_per_month = 0.0
    earnings_and_benefit(model, now)
    assert (pop.status[couples[:half]] != ON_BENEFIT).all()
    assert (pop.exit_reason[couples[:half]] == PARTNER).all()
    assert pop.other_income[couples[:half]].all()  # they live on it until it ends (processes/inflow.py)
    assert (pop.status[couples[half:]] == ON_BENEFIT).all()


def test_a_young_person_on_the_youth_norm_leaves_with_a_part_time_job_an_older_one_keeps_benefit():
    model = _model()
    pop, now = model.pop, _month(model)
    singles = _pick(model, 0, k=60)
    _plain(model, singles)
    pop.cost_sharers[singles] = 0
    young, old = singles[:30], singles[30:]
    pop.age_years[young] = 19.5  # art. 20 Pw: EUR 323.03 a month
    pop.parttime_earnings_eur[singles] = 500.0
    pop.parttime_hours[singles] = 10.0
    pop.parttime_employer[singles] = 0
    earnings_and_benefit(model, now)
    assert (pop.status[young] != ON_BENEFIT).all() and (pop.exit_reason[young] == WORK).all()
    assert pop.employed[young].all()
    assert (pop.status[old] == ON_BENEFIT).all()
    np.testing.assert_allclose(pop.benefit_paid_eur[old], 0.7 * COUPLE_NORM - 500.0, rtol=1e-4)


def test_partners_find_work_only_when_there_are_vacancies():
    found = {}
    for multiplier in (0.0, 2.0):
        model = _model()
        now = _month(model, multiplier)
        couples = (model.pop.status == ON_BENEFIT) & (model.pop.household == 2)
        model.pop.partner_earnings_eur[couples] = 0.0
        partner_work(model, now)
        found[multiplier] = now.tally["partner_jobs_found"]
    assert found[0.0] == 0
    n_couples = int(np.count_nonzero(couples))
    expected = 2.0 * model.p.partner_job_finding_per_month * n_couples
    assert abs(found[2.0] - expected) < 4 * np.sqrt(expected) + 1, (found, expected)


def test_a_single_parents_exemption_ends_when_the_youngest_turns_five_and_lifts_the_duty():
    model = _model()
    pop = model.pop
    parents = _pick(model, 1, k=20)
    pop.exempt[parents] = False
    pop.care_exempt[parents] = True
    pop.care_exempt_months[parents] = 0
    pop.youngest_child_age_years[parents[:10]] = 4.95  # turns 5 this month
    pop.youngest_child_age_years[parents[10:]] = 2.0
    advance_clocks(model)
    assert not pop.care_exempt[parents[:10]].any()
    assert pop.care_exempt[parents[10:]].all()
    pop.care_exempt_months[parents[10:]] = 59  # five years in all
    advance_clocks(model)
    assert not pop.care_exempt[parents[10:]].any()


def test_the_exempted_single_parents_search_less():
    with_exemption, without = LabourModel(preset="nijmegen", seed=5, months=24), None
    without = LabourModel(preset="nijmegen", seed=5, months=24, single_parent_exemption_uptake_share=0.0)
    assert with_exemption.pop.care_exempt.sum() > 10 and without.pop.care_exempt.sum() == 0
    for model in (with_exemption, without):
        model.step()
    exempt = with_exemption.pop.care_exempt & (with_exemption.pop.status == ON_BENEFIT)
    same = without.pop.rows_of(with_exemption.pop.uid[exempt])
    assert with_exemption.pop.applications[exempt].mean() < 0.5 * without.pop.applications[same].mean()


def test_households_are_drawn_as_the_sources_describe_them():
    model = LabourModel(preset="nijmegen", seed=11, months=1, initial_stock=40_000)
    pop, p = model.pop, model.p
    on = pop.status == ON_BENEFIT
    parent, couple = on & (pop.household == 1), on & (pop.household == 2)
    # the share is drawn as given where the parent's age does not bound the child's (23-45)
    unbound = parent & (pop.age_years >= 23) & (pop.age_years <= 45)
    young_child = pop.youngest_child_age_years[unbound] < 5
    assert young_child.mean() == pytest.approx(p.single_parent_share_youngest_under_5, abs=0.04)
    assert (pop.children[parent] >= 1).all() and (pop.children[on & (pop.household == 0)] == 0).all()
    assert (pop.children[couple] > 0).mean() == pytest.approx(p.couple_share_with_children, abs=0.03)
    assert pop.children[pop.children > 0].mean() == pytest.approx(p.children_mean, abs=0.1)
    # the youngest child is under 18 and was born when the parent was 18-45
    age, youngest = pop.age_years[parent], pop.youngest_child_age_years[parent]
    assert (youngest < 18).all() and (age - youngest >= 18 - 1e-3).all()
    assert (pop.partner_age_years[couple] >= 18).all() and (pop.partner_age_years[on & ~couple] == 0).all()
    # art. 9a is only for single parents of a child under 5
    assert not (pop.care_exempt & on & ~(parent & (pop.youngest_child_age_years < 5))).any()
    norm = household_norm(model, np.flatnonzero(on))
    assert norm.min() == pytest.approx(p.benefit_norm_youth_single_eur_per_month)
    assert norm.max() == pytest.approx(COUPLE_NORM)
    # persons with bijstand: couples count two
    model.step()
    on = pop.status == ON_BENEFIT
    assert model.last["persons_on_benefit"] == on.sum() + (on & (pop.household == 2)).sum()
