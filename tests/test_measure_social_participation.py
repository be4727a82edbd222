"""social_participation: participants volunteer (ladder step 4) and gain confidence and mental health."""

from __future__ import annotations

import numpy as np

from labour_abm.core.population import EVENTS
from tests.measure_helpers import (
    assert_zero_effect_is_identical,
    baseline,
    monthly,
    paired_values,
    service_participants,
    with_measure,
)


def test_more_people_on_ladder_step_4():
    arm, base = monthly(with_measure("social_participation")), monthly(baseline())
    assert (arm["ladder_4"].iloc[3:] >= base["ladder_4"].iloc[3:] + 20).all()
    participants = arm["social_participation_participants"].iloc[-1]
    assert arm["ladder_4"].iloc[-1] >= base["ladder_4"].iloc[-1] + 0.8 * participants


def test_volunteering_raises_confidence_and_mental_health_of_participants():
    arm, base = with_measure("social_participation"), baseline()
    uids = service_participants(arm, "social_participation")
    assert len(uids) > 40
    for column in ("confidence", "mental_health"):
        a, b = paired_values(arm, base, column, uids)
        # the same people (same draws): hardly anyone worse; one may lose a vacancy to another
        # recipient and erode a month longer out of work (competition is a second-round effect)
        assert (a >= b - 1e-6).mean() > 0.95, column
        assert a.mean() > b.mean() + 0.03, column


def test_some_go_on_volunteering_after_the_participation():
    def volunteering_after(keep):
        model = with_measure(
            "social_participation",
            {"participation_months": 3, "keep_volunteering_share": keep, "volunteering_stop_per_month": 0.0},
        )
        ev = model.events.columns()
        completed = ev["uid"][(ev["event"] == EVENTS.index("service_end")) & (ev["detail"] == "social_participation")]
        left = ev["uid"][ev["event"] == EVENTS.index("exit")]  # leaving benefit ends volunteering
        ended = np.setdiff1d(np.setdiff1d(completed, left), model.measures[0].service.uid)
        rows = model.pop.rows_of(ended)
        assert len(rows) > 20
        return model.pop.volunteering[rows].mean()

    assert volunteering_after(1.0) == 1.0
    assert volunteering_after(0.0) == 0.0
    assert 0.2 < volunteering_after(0.5) < 0.8


def test_cost_is_per_participant_month():
    m = monthly(with_measure("social_participation", {"cost_per_participant_month_eur": 100.0}))
    assert m["social_participation_participants"].max() > 0
    np.testing.assert_allclose(m["measure_cost_eur"], 100.0 * m["social_participation_participants"])


def test_zero_places_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, "social_participation", {"places_per_1000_recipients": 0.0})
