"""self_employment: participants start businesses, which fail more often than jobs."""

from __future__ import annotations

import numpy as np

from labour_abm.core.population import EVENTS, OFF_BENEFIT
from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure


def _self_employed_starts(model):
    ev = model.events.columns()
    pick = (ev["event"] == EVENTS.index("job_start")) & (ev["detail"] == "self_employed")
    return ev["uid"][pick]


def test_participants_leave_benefit_as_self_employed():
    arm = with_measure("self_employment", {"places_per_1000_recipients": 20.0})
    starters = _self_employed_starts(arm)
    assert len(starters) > 10
    assert len(_self_employed_starts(baseline())) == 0
    ev = arm.events.columns()
    prepared = ev["uid"][(ev["event"] == EVENTS.index("service_end")) & (ev["detail"] == "self_employment")]
    assert np.isin(starters, prepared).all()  # only after the preparation
    assert 0.1 < len(np.unique(starters)) / len(np.unique(prepared)) < 0.6  # about the start share (0.3)
    exits = (ev["event"] == EVENTS.index("exit")) & (ev["detail"] == "work") & np.isin(ev["uid"], starters)
    assert exits.sum() >= len(starters)


def test_businesses_have_a_higher_job_loss_hazard():
    model = with_measure("self_employment", {"places_per_1000_recipients": 20.0, "failure_multiplier": 2.0})
    measure, pop = model.measures[0], model.pop
    working = np.flatnonzero(pop.employed & (pop.status == OFF_BENEFIT))
    own = np.isin(pop.uid[working], measure.self_employed_uid) & (pop.job_employer[working] < 0)
    assert own.sum() > 5 and (~own).sum() > 50
    hazard = measure.job_loss_hazard(model, working, np.full(len(working), 0.02))
    np.testing.assert_allclose(hazard[own], 0.04)
    np.testing.assert_allclose(hazard[~own], 0.02)
    assert monthly(model)["self_employment_self_employed"].iloc[-1] == own.sum()


def test_cost_is_coaching_plus_start_up_support():
    params = {"places_per_1000_recipients": 20.0, "cost_per_participant_month_eur": 200.0,
              "support_per_starter_eur": 5000.0}
    m = monthly(with_measure("self_employment", params))
    assert m["self_employment_starters"].sum() > 0
    expected = 200.0 * m["self_employment_participants"] + 5000.0 * m["self_employment_starters"]
    np.testing.assert_allclose(m["measure_cost_eur"], expected)


def test_zero_places_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, "self_employment", {"places_per_1000_recipients": 0.0})
