"""gate_mediation: claimants placed in work at intake; fewer enter benefit; the placed are the employable."""

from __future__ import annotations

import numpy as np

from labour_abm.core.population import EVENTS
from labour_abm.core.synth import draw_new_claimants
from labour_abm.measures.gate_mediation import employability
from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure

NAME = "gate_mediation"


def claims_of(model, event: str, keep) -> dict[str, np.ndarray]:
    """The claim attributes (redrawn: keyed by uid and month) of the people with ``event`` whose
    detail passes ``keep`` (new claims only: entries of returners have the detail "reentry")."""
    ev = model.events.columns()
    sel = (ev["event"] == EVENTS.index(event)) & np.array([keep(d) for d in ev["detail"]], dtype=bool)
    parts = [
        draw_new_claimants(model.streams, int(m), ev["uid"][sel & (ev["month"] == m)], model.p)
        for m in np.unique(ev["month"][sel])
    ]
    return {k: np.concatenate([x[k] for x in parts]) for k in parts[0]}


def test_claims_are_diverted_to_work_and_inflow_falls():
    arm, base = monthly(with_measure(NAME)), monthly(baseline())
    assert arm["claims_diverted_to_work"].sum() > 0.05 * arm["new_claims"].sum()
    np.testing.assert_array_equal(arm[f"{NAME}_placed"], arm["claims_diverted_to_work"])
    # month 0: the same claims, fewer of them admitted
    assert arm["inflow"].iloc[0] == base["inflow"].iloc[0] - arm["claims_diverted_to_work"].iloc[0]
    assert arm["inflow"].sum() < base["inflow"].sum() - 0.5 * arm["claims_diverted_to_work"].sum()


def test_diverted_claimants_are_more_employable():
    model = with_measure(NAME)
    diverted = claims_of(model, "claim_diverted", lambda d: d == "to_work")
    admitted = claims_of(model, "entry", lambda d: d != "reentry")
    assert len(diverted["motivation"]) > 20
    # the more employable are placed: recent work, few barriers, motivation (employability, tested below)
    assert employability(model.p, diverted).mean() > employability(model.p, admitted).mean() + 0.05
    assert diverted["motivation"].mean() > admitted["motivation"].mean() + 0.05
    assert diverted["start_qualification"].mean() > admitted["start_qualification"].mean()


def test_employability_follows_recent_work_barriers_and_motivation():

    p = baseline().p
    one = {
        "months_since_work": np.array([0, 24, 0, 0]), "motivation": np.array([1.0, 1.0, 1.0, 0.4]),
        "physical_health": np.array([0.9, 0.9, 0.2, 0.9]), "mental_health": np.full(4, 0.9),
        "age_years": np.full(4, 30.0), "dutch": np.full(4, 0.9), "start_qualification": np.ones(4, bool),
        "literacy": np.full(4, 0.9), "debt": np.zeros(4, bool), "experience_years": np.full(4, 5.0),
    }
    e = employability(p, one)
    assert e[0] == 1.0
    assert e[1] < 0.6 and e[2] == 1.0 - p.screening_penalty_health and abs(e[3] - 0.4) < 1e-6


def test_cost_is_per_claimant():
    m = monthly(with_measure(NAME, {"cost_per_claimant_eur": 200.0}))
    np.testing.assert_allclose(m["measure_cost_eur"], 200.0 * m["new_claims"])


def test_zero_success_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, NAME, {"success_share": 0.0, "cost_per_claimant_eur": 0.0})
