"""youth_transition: school leavers placed in work instead of claiming; coaching keeps them in work."""

from __future__ import annotations

import numpy as np

from labour_abm.core.population import EVENTS, ROUTE_CODE
from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure
from tests.test_measure_gate_mediation import claims_of
from tests.test_measure_ww_prevention import entries

NAME = "youth_transition"


def test_inflow_from_school_falls_and_only_school_leavers_are_placed():
    arm, base = with_measure(NAME), baseline()
    assert entries(arm, "school") < 0.85 * entries(base, "school")
    assert entries(arm, "ww") == entries(base, "ww")
    placed = claims_of(arm, "claim_diverted", lambda d: d == "to_work")
    assert len(placed["entry_route"]) > 5
    assert (placed["entry_route"] == ROUTE_CODE["school"]).all()
    m = monthly(arm)
    np.testing.assert_array_equal(m[f"{NAME}_placed"], m["claims_diverted_to_work"])


def test_everyone_handed_over_and_placed_empties_the_school_route():
    arm = with_measure(NAME, {"handover_share": 1.0, "placement_share": 1.0})
    assert entries(arm, "school") == 0 < entries(baseline(), "school")


def test_coaching_lowers_the_job_loss_hazard_of_placed_youths():
    model = with_measure(NAME, {"handover_share": 1.0, "placement_share": 1.0, "job_loss_reduction": 0.5})
    measure, pop = model.measures[0], model.pop
    working = np.flatnonzero(pop.employed & (pop.status == 1) & (pop.job_start_month < model.month))
    hazard = np.full(len(working), 0.02)
    coached = measure.coached(model, working)
    assert coached.sum() > 3
    out = measure.job_loss_hazard(model, working, hazard)
    np.testing.assert_allclose(out[coached], 0.01)
    np.testing.assert_allclose(out[~coached], 0.02)


def test_coached_youths_lose_fewer_jobs_in_their_first_months():
    def early_job_ends(reduction):
        model = with_measure(NAME, {"handover_share": 1.0, "placement_share": 1.0, "job_loss_reduction": reduction})
        measure = model.measures[0]
        ev = model.events.columns()
        end = (ev["event"] == EVENTS.index("job_end")) & np.isin(ev["uid"], measure.placed_uid)
        start = measure.placed_month[np.searchsorted(measure.placed_uid, ev["uid"][end])]
        return int((ev["month"][end] - start < measure.p.coaching_months).sum())

    assert early_job_ends(0.0) > 3
    assert early_job_ends(1.0) == 0  # the same draws: with full protection no early job end at all


def test_cost_is_per_young_person_handed_over():
    m = monthly(with_measure(NAME, {"cost_per_young_person_eur": 1000.0, "handed_over_per_claim": 1.5}))
    assert m[f"{NAME}_handed_over"].sum() > 0
    np.testing.assert_allclose(m["measure_cost_eur"], 1500.0 * m[f"{NAME}_handed_over"])


def test_nobody_handed_over_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, NAME, {"handover_share": 0.0})
