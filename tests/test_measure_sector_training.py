"""sector_training: graduates get jobs in the target sector; a course for a sector without jobs fails."""

from __future__ import annotations

import numpy as np
import pytest

from labour_abm.core.population import EVENTS
from labour_abm.errors import UserError
from labour_abm.measures import make_measure
from tests.measure_helpers import (
    assert_zero_effect_is_identical,
    baseline,
    monthly,
    service_participants,
    with_measure,
)

STARTS = [EVENTS.index("job_start"), EVENTS.index("parttime_start")]


def _starts(model, uids, detail=None):
    ev = model.events.columns()
    pick = np.isin(ev["uid"], uids) & np.isin(ev["event"], STARTS)
    if detail is not None:
        pick &= ev["detail"] == detail
    return int(pick.sum())


def _exits_to_work(model, uids):
    ev = model.events.columns()
    return int((np.isin(ev["uid"], uids) & (ev["event"] == EVENTS.index("exit")) & (ev["detail"] == "work")).sum())


def test_graduates_get_jobs_in_the_target_sector():
    arm = with_measure("sector_training", {"target_sector": "technology", "places_per_1000_recipients": 20.0})
    base = baseline()
    trained = arm.measures[0].trained_uid
    assert len(trained) > 50
    rows = arm.pop.rows_of(trained[np.isin(trained, arm.pop.uid)])
    assert (arm.pop.sector[rows] == arm.measures[0].sector).all()
    assert (arm.pop.experience_years[rows] >= 1.0).all()
    assert _starts(arm, trained, "technology") >= _starts(base, trained, "technology") + 5


def test_drone_course_fails():
    arm = with_measure("sector_training", {"target_sector": "drone_piloting", "places_per_1000_recipients": 20.0})
    base = baseline()
    ev = arm.events.columns()
    assert len(arm.measures[0].trained_uid) > 50
    assert not (np.isin(ev["event"], STARTS) & (ev["detail"] == "drone_piloting")).any()
    people = service_participants(arm, "sector_training")
    assert _exits_to_work(arm, people) <= _exits_to_work(base, people)
    assert monthly(arm)["measure_cost_eur"].sum() > 0


def test_offer_hook_waives_the_qualification_penalty_in_the_target_sector_only():
    # two years with many school leavers: trained people both with and without work experience of their own
    model = with_measure(
        "sector_training", {"target_sector": "technology", "places_per_1000_recipients": 20.0}, months=24,
        inflow_share_from_school=0.3,
    )
    measure, pop, emp, p = model.measures[0], model.pop, model.employers, model.p
    trained = measure.trained_uid[np.isin(measure.trained_uid, pop.uid)]
    rows = pop.rows_of(trained)
    rows = rows[~pop.start_qualification[rows]]
    course_only = measure.course_only_experience[np.isin(measure.trained_uid, pop.uid[rows])]
    assert len(rows) > 5 and course_only.any()
    strict = np.flatnonzero((emp.sector == measure.sector) & emp.requires_qualification)
    other = np.flatnonzero(emp.sector != measure.sector)
    p0 = np.full(max(len(rows), 50), 0.1)
    p_target = measure.offer_probability(model, rows, np.full(len(rows), strict[0]), p0[: len(rows)])
    np.testing.assert_allclose(p_target, 0.1 / (1 - p.screening_penalty_qualification))
    p_other = measure.offer_probability(model, rows, np.full(len(rows), other[0]), p0[: len(rows)])
    np.testing.assert_allclose(p_other, np.where(course_only, 0.1 * (1 - p.screening_penalty_no_experience), 0.1))
    untrained = np.setdiff1d(pop.on_benefit(), pop.rows_of(trained))[:50]
    p_untrained = measure.offer_probability(model, untrained, np.full(len(untrained), strict[0]), p0[: len(untrained)])
    np.testing.assert_array_equal(p_untrained, 0.1)


def test_lock_in_while_training():
    model = with_measure("sector_training", {"places_per_1000_recipients": 20.0}, months=3)
    measure = model.measures[0]
    on = model.pop.on_benefit()
    effort = measure.search_effort(model, on, np.ones(len(on)))
    assert len(measure.rows) > 10
    np.testing.assert_allclose(effort[np.isin(on, measure.rows)], 0.5)
    np.testing.assert_allclose(effort[~np.isin(on, measure.rows)], 1.0)


def test_unknown_sector_is_refused():
    with pytest.raises(UserError, match="target_sector"):
        make_measure("sector_training", {"target_sector": "astronaut"})


def test_cost_is_per_participant_month():
    m = monthly(with_measure("sector_training", {"cost_per_participant_month_eur": 700.0}))
    assert m["sector_training_participants"].max() > 0
    np.testing.assert_allclose(m["measure_cost_eur"], 700.0 * m["sector_training_participants"])


def test_zero_places_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, "sector_training", {"places_per_1000_recipients": 0.0})
