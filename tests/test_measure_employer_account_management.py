"""employer_account_management: more employers known, more vacancies offered, more hires there."""

from __future__ import annotations

import numpy as np

from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure

NAME = "employer_account_management"


def test_more_employers_are_known():
    arm, base = with_measure(NAME), baseline()
    measure = arm.measures[0]
    managed = measure.portfolio
    fte = measure.p.account_managers_per_1000_recipients * 2  # 2,000 initial recipients
    assert len(managed) == round(fte * measure.p.employers_per_account_manager)
    assert not base.employers.known[managed].any()  # only employers the job service did not know yet
    assert arm.employers.known.sum() == base.employers.known.sum() + len(managed)
    assert (monthly(arm)[f"{NAME}_employers_managed"] == len(managed)).all()


def test_managed_employers_offer_more_vacancies():
    model = with_measure(NAME, {"extra_vacancies_share": 0.5})
    arm, base = monthly(model), monthly(baseline())
    assert (arm["vacancies"] >= base["vacancies"]).all()  # the same usual vacancies, plus the extra ones
    extra = arm["vacancies"] - base["vacancies"]
    np.testing.assert_array_equal(extra, arm[f"{NAME}_extra_vacancies"])
    assert arm["vacancies"].sum() > 1.02 * base["vacancies"].sum()
    # half the usual vacancies of the managed employers on top (stable market: multiplier 1)
    expected = 0.5 * model.employers.vacancy_rate_per_month[model.measures[0].portfolio].sum() * len(arm)
    assert abs(extra.sum() - expected) < 0.2 * expected


def test_hires_at_managed_employers_rise():
    arm, base = with_measure(NAME), baseline()
    managed = arm.measures[0].portfolio
    hires_arm = arm.employers.hires_from_bijstand[managed].sum()
    hires_base = base.employers.hires_from_bijstand[managed].sum()
    assert hires_arm > 1.3 * hires_base + 5
    assert monthly(arm)["offers"].sum() > monthly(base)["offers"].sum()


def test_better_matching_raises_the_offer_chance_at_managed_employers_only():
    arm = with_measure(NAME, {"matching_multiplier": 1.5}, months=1)
    measure = arm.measures[0]
    other = np.flatnonzero(~measure._managed)[:3]
    employer = np.concatenate((measure.portfolio[:3], other))
    p = np.full(len(employer), 0.1)
    out = measure.offer_probability(arm, np.zeros(len(employer), np.int64), employer, p)
    np.testing.assert_allclose(out, [0.15, 0.15, 0.15, 0.1, 0.1, 0.1])


def test_cost_is_the_account_managers():
    m = monthly(with_measure(NAME, {"account_managers_per_1000_recipients": 1.5}))
    np.testing.assert_allclose(m["measure_cost_eur"], 1.5 * 2 * 75000 / 12)


def test_no_account_managers_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, NAME, {"account_managers_per_1000_recipients": 0.0})
