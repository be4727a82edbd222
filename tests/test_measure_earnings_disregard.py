"""earnings_disregard: part-timers keep more, take part-time work more often; age limit and statutory rule."""

from __future__ import annotations

import numpy as np

from labour_abm.core.population import ON_BENEFIT
from labour_abm.core.processes.benefit_payment import household_norm
from labour_abm.measures.earnings_disregard import STATUTORY
from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure

NAME = "earnings_disregard"
GENEROUS = {"share": 0.5, "cap_eur_per_month": 400.0, "max_months": 24, "min_age_years": 27.0}


def part_timers(model) -> dict[str, np.ndarray]:
    """uid, age, net income (benefit + earnings) minus the norm, of part-timers on benefit not under a
    sanction, as of the last month."""
    pop = model.pop
    rows = np.flatnonzero(
        (pop.status == ON_BENEFIT) & (pop.parttime_earnings_eur > 0) & (pop.sanction_months_left == 0)
        & (pop.months_since_sanction > 3) & (pop.partner_earnings_eur == 0)
    )
    norm = household_norm(model, rows)
    net = pop.benefit_paid_eur[rows] + pop.parttime_earnings_eur[rows]
    return {"uid": pop.uid[rows], "age": pop.age_years[rows], "kept": net - norm, "net": net}


def test_generous_disregard_raises_net_income_of_part_timers():
    arm, base = part_timers(with_measure(NAME, GENEROUS, months=3)), part_timers(baseline(months=3))
    common, ia, ib = np.intersect1d(arm["uid"], base["uid"], return_indices=True)
    assert len(common) > 50
    gain = arm["net"][ia] - base["net"][ib]
    assert (gain > -0.01).all()  # nobody who works in both arms keeps less
    assert (gain > 1).sum() > 10  # the newly working keep more, up to the higher cap
    assert arm["net"][ia].mean() > base["net"][ib].mean()
    assert arm["kept"].max() > STATUTORY["cap_eur_per_month"] + 1  # above the statutory cap


def test_part_time_starts_rise():
    arm, base = monthly(with_measure(NAME, GENEROUS)), monthly(baseline())
    assert arm["parttime_starts"].iloc[0] > base["parttime_starts"].iloc[0]  # the same offers, more taken
    assert arm["parttime_starts"].sum() > 1.05 * base["parttime_starts"].sum()
    assert arm["recipients_with_earnings"].iloc[-1] > base["recipients_with_earnings"].iloc[-1]
    assert arm[f"{NAME}_kept_eur"].sum() > 0


def test_under_27s_keep_earnings_only_when_the_age_limit_is_lowered():
    young_arm = part_timers(with_measure(NAME, {**STATUTORY, "min_age_years": 18.0, "max_months": 120}))
    young_base = part_timers(baseline())
    assert (young_base["kept"][young_base["age"] < 27] < 0.5).all()
    assert (young_arm["kept"][young_arm["age"] < 27] > 0.5).sum() >= 3


def test_monthly_columns_count_who_keeps_what():
    model = with_measure(NAME, GENEROUS, months=3)
    m, pt = monthly(model), part_timers(model)
    assert m[f"{NAME}_recipients_keeping"].iloc[-1] >= (pt["kept"] > 0.5).sum()
    assert m[f"{NAME}_kept_eur"].iloc[-1] >= pt["kept"][pt["kept"] > 0.5].sum() - 1


def test_statutory_rule_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, NAME, STATUTORY)
