"""Every chance a rule computes during real runs lies in [0, 1], also at the parameter bounds."""

from __future__ import annotations

import pytest

import labour_abm
from labour_abm.core.params import Parameters
from tests.run_checks import PROBABILITY_RULES, probabilities_checked


def _bounds(which: str) -> dict:
    """Every float share/rate parameter at its lower or upper bound (where that stays valid)."""
    out = {}
    for name, field in Parameters.model_fields.items():
        if field.annotation is not float or not name.endswith(("_share", "_per_month", "_multiplier", "_penalty")):
            continue
        if name.startswith(("stock_share", "inflow_share", "inflow_new", "safety_net")):
            continue  # composition and inflow size: checked by the cross-field rules, not here
        lo = next((m.ge for m in field.metadata if hasattr(m, "ge")), None)
        hi = next((m.le for m in field.metadata if hasattr(m, "le")), None)
        out[name] = lo if which == "low" else hi
    return out


@pytest.mark.parametrize("which", ["default", "low", "high"])
def test_all_rule_probabilities_stay_in_unit_interval(which):
    overrides = {} if which == "default" else _bounds(which)
    with probabilities_checked() as seen:
        model = labour_abm.LabourModel(months=14, initial_stock=1500, seed=11, **overrides)
        model.run_model()
    if which != "low":  # at the lower bounds nobody searches and no vacancy opens
        assert set(seen) == {name for _, name in PROBABILITY_RULES}  # every rule was exercised
    monthly = model.datacollector.get_model_vars_dataframe()
    assert (monthly["stock"] >= 0).all()
