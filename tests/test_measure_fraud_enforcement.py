"""fraud_enforcement: more unjustified benefits found and ended, fewer unjustified claims filed."""

from __future__ import annotations

import numpy as np

from labour_abm.core.population import ON_BENEFIT
from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure
from tests.test_measure_gate_mediation import claims_of

NAME = "fraud_enforcement"


def unjustified_share(model) -> float:
    on = model.pop.status == ON_BENEFIT
    return float(model.pop.unjustified[on].mean())


def test_more_fraud_is_found():
    arm, base = monthly(with_measure(NAME, {"detection_per_month": 0.05})), monthly(baseline())
    assert arm["fraud_found"].iloc[0] >= base["fraud_found"].iloc[0]  # the same draws, a higher chance
    assert arm["fraud_found"].sum() > 2 * base["fraud_found"].sum() > 0  # (the pool of unjustified ones empties)
    assert arm["exits_reason_unjustified"].sum() > base["exits_reason_unjustified"].sum()


def test_unjustified_share_of_the_stock_falls():
    arm, base = with_measure(NAME), baseline()
    assert unjustified_share(base) > 0.01
    assert unjustified_share(arm) < 0.8 * unjustified_share(base)


def test_unjustified_claims_are_deterred_and_only_those():
    model = with_measure(NAME, {"deterrence_share": 0.5})
    deterred = claims_of(model, "claim_diverted", lambda d: d == "deterred")
    assert len(deterred["unjustified"]) > 5
    assert deterred["unjustified"].all()
    m = monthly(model)
    assert m[f"{NAME}_deterred"].sum() == len(deterred["unjustified"])
    np.testing.assert_array_equal(m["claims_diverted"], m[f"{NAME}_deterred"])
    admitted = claims_of(model, "entry", lambda d: d != "reentry")
    assert admitted["unjustified"].mean() < claims_of(baseline(), "entry", lambda d: d != "reentry")[
        "unjustified"
    ].mean()


def test_cost_is_the_investigators():
    m = monthly(with_measure(NAME, {"investigators_per_1000_recipients": 2.0}))
    np.testing.assert_allclose(m["measure_cost_eur"], 2.0 * 2 * 75000 / 12)


def test_baseline_enforcement_is_identical_to_baseline(tmp_path):
    zero = {"detection_per_month": 0.01, "deterrence_share": 0.0, "investigators_per_1000_recipients": 0.0}
    assert_zero_effect_is_identical(tmp_path, NAME, zero)
