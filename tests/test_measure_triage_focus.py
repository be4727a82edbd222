"""triage_focus: consultants' attention moves to the job-ready; the far from work get care first, without duty."""

from __future__ import annotations

import numpy as np

from labour_abm.core.population import EVENTS
from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure

ZERO = {"ready_weight": 1.0, "far_weight": 1.0, "care_first_duty_waiver": False, "cost_per_assessment_eur": 0.0}


def _measure(model):
    return model.measures[0]


def test_contacts_move_from_far_to_job_ready_in_month_zero():
    """Month 0: the same people in the same state, so the groups are the same in both runs."""
    arm = with_measure("triage_focus", months=1)
    base = baseline(months=1)
    ready, far = _measure(arm).ready, _measure(arm).far
    assert ready.sum() > 300 and far.sum() > 500
    seen_arm = np.zeros(len(ready), bool)
    seen_arm[arm.now.seen] = True
    seen_base = np.zeros(len(ready), bool)
    seen_base[base.now.seen] = True
    assert seen_arm[ready].sum() > 1.4 * seen_base[ready].sum()
    assert seen_arm[far].sum() < 0.75 * seen_base[far].sum()


def test_contacts_per_member_all_run_long():
    """Against the measure at its zero setting (identical to the baseline, but it counts the groups)."""
    arm = monthly(with_measure("triage_focus"))
    zero = monthly(with_measure("triage_focus", ZERO))
    rate = {k: m[f"triage_focus_contacts_{k}"] / m[f"triage_focus_{k}"] for m in (arm,) for k in ("ready", "far")}
    rate0 = {k: zero[f"triage_focus_contacts_{k}"] / zero[f"triage_focus_{k}"] for k in ("ready", "far")}
    assert (rate["ready"] > 1.3 * rate0["ready"]).all()
    assert (rate["far"] < 0.8 * rate0["far"]).all()


def test_duty_is_waived_for_far_from_work_when_asked():
    arm = with_measure("triage_focus", {"care_first_duty_waiver": True})
    pop = arm.pop
    no_duty = np.flatnonzero(~pop.job_search_duty)
    waived = monthly(arm)["triage_focus_care_first"].iloc[-1]  # some left the model at the year-end compaction
    assert 0.97 * waived <= len(no_duty) <= waived and waived > 500
    # waived while on benefit this month (the core restores every duty next month)
    assert ((pop.status[no_duty] == 0) | (pop.exit_month[no_duty] == arm.month)).all()
    assert not pop.noncompliant[no_duty].any()
    # nobody in the care-first track was sanctioned in the last month
    ev = arm.events.columns()
    last = (ev["event"] == EVENTS.index("sanction")) & (ev["month"] == arm.month)
    assert not np.isin(ev["uid"][last], pop.uid[no_duty]).any()
    assert with_measure("triage_focus").pop.job_search_duty.all()  # off by default
    # fewer sanctions overall than in the baseline
    waiver = monthly(with_measure("triage_focus", {"care_first_duty_waiver": True}))
    assert waiver["sanctions_imposed"].sum() < monthly(baseline())["sanctions_imposed"].sum()


def test_cost_is_one_assessment_per_client():
    m = monthly(with_measure("triage_focus", {"cost_per_assessment_eur": 80.0}))
    assert m["triage_focus_assessed"].iloc[0] >= 2000
    np.testing.assert_array_equal(m["triage_focus_assessed"].iloc[1:], m["inflow"].iloc[1:])
    np.testing.assert_allclose(m["measure_cost_eur"], 80.0 * m["triage_focus_assessed"])


def test_zero_setting_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, "triage_focus", ZERO)
