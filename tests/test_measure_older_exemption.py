"""older_exemption: older recipients have no application duty, so they apply less and are not sanctioned."""

from __future__ import annotations

import numpy as np
import pytest

import labour_abm
from labour_abm.core.population import poor_health
from labour_abm.measures import make_measure
from tests.measure_helpers import SMALL, assert_zero_effect_is_identical, baseline, monthly, with_measure

STRICT = {"sanction_detection_share": 0.3}  # enough sanctions to count among the older


def _sanctions_of_older(measures, min_age=60.0):
    """Sanctions imposed on people aged min_age or more at the time, counted month by month."""
    model = labour_abm.LabourModel(seed=5, measures=measures, **{**SMALL, **STRICT})
    count = 0
    while model.running:
        model.step()
        pop = model.pop
        # sanctioned this month (the clock has advanced to 1), and already that old during the month
        count += int(((pop.months_since_sanction == 1) & (pop.age_years >= min_age + 1 / 12 + 1e-4)).sum())
    return count, model


def test_older_people_are_no_longer_sanctioned():
    older_base, _ = _sanctions_of_older([])
    older_arm, arm = _sanctions_of_older([make_measure("older_exemption", {"min_age_years": 60.0})])
    assert older_base > 10
    assert older_arm == 0
    assert monthly(arm)["sanctions_imposed"].sum() > 0  # the younger still are


def test_older_apply_less_and_the_younger_are_unchanged_in_month_zero():
    arm, base = with_measure("older_exemption", months=1), baseline(months=1)
    pop = base.pop
    on = pop.on_benefit()
    age_then = pop.age_years[on] - 1 / 12  # ages advance at the end of the month
    older, younger = on[age_then >= 60 + 1e-4], on[age_then < 60 - 1e-4]
    assert len(older) > 100
    # they apply less (the same draws: never more): those in good health by what the duty's push
    # adds, those in poor health as the exempt do
    assert (arm.pop.applications[older] <= pop.applications[older]).all()
    unwell = poor_health(pop.physical_health[older], pop.mental_health[older])
    for group, share in ((older[~unwell], arm.p.waived_duty_search_share), (older[unwell], arm.p.exempt_search_share)):
        ratio = arm.pop.applications[group].sum() / pop.applications[group].sum()
        assert ratio == pytest.approx(share, abs=0.12)
    np.testing.assert_array_equal(arm.pop.applications[younger], pop.applications[younger])
    assert (~arm.pop.job_search_duty[older]).all() and arm.pop.job_search_duty[younger].all()


def test_the_duty_is_waived_for_exactly_the_older_recipients():
    arm = with_measure("older_exemption")
    pop = arm.pop
    no_duty = np.flatnonzero(~pop.job_search_duty)
    age_then = pop.age_years - 1 / 12  # ages advance at the end of the month
    assert (age_then[no_duty] >= 60 - 1e-4).all()
    on = pop.on_benefit()
    older_on = on[age_then[on] >= 60 + 1e-4]
    assert (~pop.job_search_duty[older_on]).all()
    # those waived this month: still tracked (people who left the model at the year-end compaction are not)
    exempted = monthly(arm)["older_exemption_exempted"].iloc[-1]
    assert 0.97 * exempted <= len(no_duty) <= exempted and exempted > 100
    assert monthly(arm)["measure_cost_eur"].eq(0).all()  # no cost in the model


def test_age_above_pension_age_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, "older_exemption", {"min_age_years": 75.0})
