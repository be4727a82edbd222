"""sanctions: stricter monitoring sanctions more, cuts the benefit, and raises search by threat."""

from __future__ import annotations

import numpy as np

from labour_abm.core.population import EVENTS
from labour_abm.core.processes.benefit_payment import household_norm
from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure


def test_stricter_regime_imposes_more_sanctions():
    strict = monthly(with_measure("sanctions", {"detection_share": 0.3}))
    base = monthly(baseline())
    assert strict["sanctions_imposed"].sum() > 3 * base["sanctions_imposed"].sum()


def test_threat_raises_search_before_any_sanction():
    """Month 0: the same people, no sanction yet, more applications under a strict regime."""
    strict = monthly(with_measure("sanctions", {"detection_share": 0.5}))
    base = monthly(baseline())
    assert strict["applications"].iloc[0] > 1.05 * base["applications"].iloc[0]


def test_a_sanction_cuts_the_benefit_paid():
    model = with_measure("sanctions", {"detection_share": 0.5, "cut_share": 0.5}, months=6)
    pop = model.pop
    on = pop.on_benefit()
    # under a sanction imposed before this month (clocks have advanced: 1 = imposed this month)
    cut = on[(pop.sanction_months_left[on] > 0) & (pop.months_since_sanction[on] >= 2)]
    assert len(cut) > 0
    norm = household_norm(model, cut)
    no_earnings = (pop.parttime_earnings_eur[cut] == 0) & (pop.partner_earnings_eur[cut] == 0)
    np.testing.assert_allclose(pop.benefit_paid_eur[cut][no_earnings], 0.5 * norm[no_earnings], rtol=1e-5)


def test_escalation_lengthens_repeat_sanctions():
    model = with_measure("sanctions", {"detection_share": 1.0, "first_months": 1, "max_months": 3}, months=36)
    ev = model.events.columns()
    code = list(EVENTS).index("sanction")
    lengths = ev["detail"][ev["event"] == code].astype(int)
    assert set(lengths) == {1, 2, 3}


def test_cost_is_the_enforcement_staff():
    m = monthly(with_measure("sanctions", {"enforcement_fte_per_1000_recipients": 2.0}))
    assert (m["measure_cost_eur"] > 0).all()
    stock_before = np.concatenate(([2000], m["stock"].to_numpy()[:-1]))
    expected = 2.0 * (stock_before + m["inflow"] - 0) / 1000 * 75000 / 12  # staff for the month's caseload
    assert np.allclose(m["measure_cost_eur"], expected, rtol=0.05)


def test_baseline_regime_is_identical_to_baseline(tmp_path):
    zero = {
        "detection_share": 0.03,
        "cut_share": 1.0,
        "first_months": 1,
        "max_months": 3,
        "enforcement_fte_per_1000_recipients": 0.0,
    }
    assert_zero_effect_is_identical(tmp_path, "sanctions", zero)
