"""ww_prevention: people reached before their WW ends are placed in work; inflow from WW falls."""

from __future__ import annotations

import numpy as np

from labour_abm.core.population import EVENTS, ROUTE_CODE
from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure
from tests.test_measure_gate_mediation import claims_of

NAME = "ww_prevention"


def entries(model, route: str) -> int:
    ev = model.events.columns()
    return int(((ev["event"] == EVENTS.index("entry")) & (ev["detail"] == route)).sum())


def test_only_claims_from_ww_are_diverted():
    model = with_measure(NAME, {"reach_share": 1.0, "success_share": 1.0})
    diverted = claims_of(model, "claim_diverted", lambda d: d == "to_work")
    assert len(diverted["entry_route"]) > 10
    assert (diverted["entry_route"] == ROUTE_CODE["ww"]).all()
    m = monthly(model)
    np.testing.assert_array_equal(m[f"{NAME}_placed"], m["claims_diverted_to_work"])
    assert (m[f"{NAME}_placed"] <= m[f"{NAME}_reached"]).all()


def test_inflow_from_ww_falls_and_other_routes_do_not():
    arm, base = with_measure(NAME, {"reach_share": 1.0, "success_share": 1.0}), baseline()
    assert entries(arm, "ww") < 0.9 * entries(base, "ww")
    assert entries(arm, "school") == entries(base, "school")  # the same claims, none of them touched
    assert entries(arm, "other") == entries(base, "other")
    assert entries(arm, "job") == entries(base, "job")


def test_reaching_earlier_places_more():
    late = monthly(with_measure(NAME, {"lead_months": 0}))
    early = monthly(with_measure(NAME, {"lead_months": 12}))
    assert early[f"{NAME}_placed"].sum() > late[f"{NAME}_placed"].sum()


def test_cost_is_per_person_reached_in_the_ww_pool():
    m = monthly(with_measure(NAME, {"cost_per_person_reached_eur": 500.0, "reach_share": 0.5}))
    # the people reached are WW recipients entering their last months, most of whom would never
    # have claimed bijstand: many more than the claims from WW
    assert m[f"{NAME}_reached"].sum() > 3 * m["new_claims"].sum() * 0.18 * 0.5
    np.testing.assert_allclose(m["measure_cost_eur"], 500.0 * m[f"{NAME}_reached"], atol=500 * 0.005)


def test_more_job_losses_mean_more_people_to_reach_later():
    stable = monthly(with_measure(NAME, {}))
    covid = monthly(with_measure(NAME, {}, labour_market="covid"))
    before, after = slice(0, 8), slice(12, 20)  # before March 2020; from its job losers' last months on
    np.testing.assert_allclose(covid[f"{NAME}_reached"][before], stable[f"{NAME}_reached"][before], rtol=0.05)
    assert covid[f"{NAME}_reached"][after].mean() > 1.15 * stable[f"{NAME}_reached"][after].mean()


def test_nobody_reached_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, NAME, {"reach_share": 0.0})
