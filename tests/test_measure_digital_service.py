"""digital_service: the job-ready take fewer consultant hours, so everyone else is seen more often."""

from __future__ import annotations

import numpy as np

from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure

ZERO = {"digital_weight": 1.0, "digital_effect": 1.0, "cost_per_client_month_eur": 0.0}


def _seen(model, n):
    seen = np.zeros(n, bool)
    seen[model.now.seen] = True
    return seen


def test_contacts_move_from_job_ready_to_the_others_in_month_zero():
    arm = with_measure("digital_service", months=1)
    base = baseline(months=1)
    digital = arm.measures[0].digital
    on = np.zeros(len(digital), bool)
    on[arm.pop.on_benefit()] = True
    others = on & ~digital
    assert digital.sum() > 100
    seen_arm, seen_base = _seen(arm, len(digital)), _seen(base, len(digital))
    assert seen_arm[digital].sum() < 0.6 * seen_base[digital].sum()
    assert seen_arm[others].sum() > 1.03 * seen_base[others].sum()


def test_contact_rates_all_run_long_and_the_hours_stay_the_same():
    arm_model = with_measure("digital_service")
    arm, zero = monthly(arm_model), monthly(with_measure("digital_service", ZERO))
    rate = {k: arm[f"digital_service_contacts_{k}"] / arm[f"digital_service_{k}"] for k in ("digital", "personal")}
    rate0 = {k: zero[f"digital_service_contacts_{k}"] / zero[f"digital_service_{k}"] for k in ("digital", "personal")}
    assert (rate["digital"] < 0.6 * rate0["digital"]).all()
    assert (rate["personal"] > rate0["personal"]).all()
    # no consultant hours added: the same table, total contacts as in the baseline within a few percent
    base_model = baseline()
    np.testing.assert_array_equal(arm_model.consultants.client_hours_per_month,
                                  base_model.consultants.client_hours_per_month)
    np.testing.assert_allclose(arm["contacts"], monthly(base_model)["contacts"], rtol=0.05)


def test_a_digital_contact_works_less():
    """Same weights (the same people seen), a weaker effect for the job-ready only."""
    arm = with_measure("digital_service", {"digital_weight": 1.0, "digital_effect": 0.5}, months=1)
    base = baseline(months=1)
    assert np.array_equal(arm.now.seen, base.now.seen)
    digital = arm.measures[0].digital[arm.now.seen]
    rows = arm.now.seen
    low = arm.pop.motivation[rows] < 0.999
    assert (arm.pop.motivation[rows][digital & low] < base.pop.motivation[rows][digital & low]).all()
    np.testing.assert_array_equal(arm.pop.motivation[rows][~digital], base.pop.motivation[rows][~digital])


def test_cost_is_per_digital_client_month():
    m = monthly(with_measure("digital_service", {"cost_per_client_month_eur": 7.0}))
    np.testing.assert_allclose(m["measure_cost_eur"], 7.0 * m["digital_service_digital"])
    assert (m["digital_service_digital"] > 0).all()


def test_zero_setting_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, "digital_service", ZERO)
