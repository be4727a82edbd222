"""The cost accounting on hand-worked cases (issue 16): a measure whose only effect is extra
benefit paid, a prevention measure, a measure with savings; one sign convention (arm minus
baseline); prevention counted as a durable outcome; the disregard's extra benefit as its cost."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labour_abm.analysis.costs import LINES, cost_accounting
from labour_abm.analysis.effects import paired_effects
from labour_abm.analysis.outcomes import durable_diversion_months, run_outcomes
from labour_abm.experiments.run import simulate
from labour_abm.measures import make_measure
from labour_abm.measures.earnings_disregard import STATUTORY


def outcomes(runs: dict[str, dict[tuple[str, int], list[float]]]) -> pd.DataFrame:
    """Tidy outcomes from {arm: {(outcome, horizon): one value per replication}}."""
    rows = [{"arm": arm, "replication": r, "seed": r, "outcome": outcome, "horizon_months": h, "group": "all",
             "value": float(v)}
            for arm, table in runs.items() for (outcome, h), values in table.items() for r, v in enumerate(values)]
    return pd.DataFrame(rows)


def a_run(gross, benefit, own, durable_24, balance=None) -> dict[tuple[str, int], list[float]]:
    """One arm's outcomes: costs over the first 12 months, durable outcomes seen at 24 (those of
    the first 12 months). With no safety net the balance moves with benefit and measures."""
    benefit, own = np.asarray(benefit, float), np.asarray(own, float)
    balance = -(benefit + own) if balance is None else balance
    return {("measure_gross_cost_eur", 12): gross, ("benefit_spending_eur", 12): benefit,
            ("public_cost_eur", 12): benefit + own, ("budget_balance_eur", 12): balance,
            ("durable_outcomes_12", 24): durable_24}


BASE = a_run(gross=[0, 0, 0], benefit=[100_000, 110_000, 90_000], own=[0, 0, 0], durable_24=[20, 22, 18])


def accounting(arm_run) -> pd.Series:
    table = cost_accounting(paired_effects(outcomes({"baseline": BASE, "a": arm_run})))
    assert list(table["line"]) == list(LINES) and set(table["window_months"]) == {12}
    return table.set_index("line")["effect_mean"]


def test_a_measure_whose_only_effect_is_extra_benefit_paid_costs_that_benefit():
    # a disregard: EUR 600 more benefit a replication, nothing else; its gross cost is that benefit
    arm = a_run(gross=[600, 600, 600], benefit=[100_600, 110_600, 90_600], own=[0, 0, 0], durable_24=[20, 22, 18])
    a = accounting(arm)
    assert a["measure_gross_cost_eur"] == 600
    assert a["benefit_spending_change_eur"] == 600 and a["public_cost_change_eur"] == 600
    assert a["budget_balance_change_eur"] == -600  # arm minus baseline: the municipality is worse off
    assert a["extra_durable_outcomes"] == 0
    assert np.isnan(a["cost_per_extra_durable_outcome_gross_eur"])  # no extra outcomes: no cost per outcome
    assert np.isnan(a["cost_per_extra_durable_outcome_net_eur"])


def test_a_prevention_measure_counts_the_people_it_keeps_off_benefit():
    # 8 more people durably in work (placed at the gate), EUR 800 of mediation, EUR 4,000 less benefit
    arm = a_run(gross=[800, 800, 800], benefit=[96_000, 105_600, 86_400], own=[800, 800, 800], durable_24=[28, 30, 26])
    a = accounting(arm)
    assert a["extra_durable_outcomes"] == 8
    assert a["benefit_spending_change_eur"] == pytest.approx(-4000)
    assert a["public_cost_change_eur"] == pytest.approx(-3200)
    assert a["budget_balance_change_eur"] == pytest.approx(3200)
    assert a["cost_per_extra_durable_outcome_gross_eur"] == pytest.approx(100)  # 800 / 8
    assert a["cost_per_extra_durable_outcome_net_eur"] == pytest.approx(-400)  # -3,200 / 8: a saving with each


def test_a_measure_with_savings_has_a_negative_net_cost_and_a_bootstrap_interval():
    arm = a_run(gross=[500, 520, 480], benefit=[98_500, 108_300, 88_700], own=[500, 520, 480],
                durable_24=[25, 28, 22])
    effects = paired_effects(outcomes({"baseline": BASE, "a": arm}))
    table = cost_accounting(effects).set_index("line")
    extra = np.array([5, 6, 4], float)
    assert table.loc["extra_durable_outcomes", "effect_mean"] == 5
    gross = table.loc["cost_per_extra_durable_outcome_gross_eur"]
    assert gross["effect_mean"] == pytest.approx(500 / 5)
    net = table.loc["cost_per_extra_durable_outcome_net_eur"]
    public = np.array([-1000, -1180, -820], float)
    assert net["effect_mean"] == pytest.approx(public.mean() / extra.mean())  # -200
    assert net["ci_low"] <= net["effect_mean"] <= net["ci_high"] < 0
    # the window's costs and the outcomes seen 12 months later: the ratio sits at the seen horizon
    rows = effects[effects["outcome"] == "cost_per_extra_durable_outcome_net_eur"]
    assert list(rows["horizon_months"]) == [24]


def test_every_effect_is_arm_minus_baseline():
    base = {("stock", 12): [100, 100], ("budget_balance_eur", 12): [-50, -40], ("public_cost_eur", 12): [10, 10]}
    arm = {("stock", 12): [90, 95], ("budget_balance_eur", 12): [-30, -30], ("public_cost_eur", 12): [8, 9]}
    e = paired_effects(outcomes({"baseline": base, "a": arm})).set_index("outcome")["effect_mean"]
    assert e["stock"] == -7.5 and e["budget_balance_eur"] == 15 and e["public_cost_eur"] == -1.5


def test_a_claimant_placed_in_work_is_durable_until_they_claim_within_12_months():
    events = pd.DataFrame({"uid": [1, 2, 3, 4], "month": [2, 3, 4, 5],
                           "event": ["claim_diverted"] * 3 + ["job_start"],
                           "detail": ["to_work", "to_work", "to_work", ""]})
    spells = pd.DataFrame({"uid": [2, 3, 9], "start_month": [10, 20, 0]})
    # uid 1 never claims; uid 2 claims 7 months later (not durable); uid 3 after 16 months; uid 4 is no diversion
    assert list(durable_diversion_months(events, spells, 12)) == [2, np.inf, 4]


def test_a_run_counts_prevention_in_its_durable_outcomes():
    run = simulate("nijmegen", seed=3, months=30, initial_stock=1000, measures=[make_measure("gate_mediation", {})])
    table = run_outcomes(run.monthly, run.spells, run.events, groups=False).set_index(["outcome", "horizon_months"])
    v = table["value"]
    assert v[("durable_diversions_12", 30)] > 0
    assert v[("durable_outcomes_12", 30)] == v[("durable_exits_12", 30)] + v[("durable_diversions_12", 30)]
    assert v[("durable_diversions_12", 30)] <= run.monthly["claims_diverted_to_work"].iloc[:18].sum()


@pytest.mark.parametrize("rule, extra", [(STATUTORY, False), ({**STATUTORY, "share": 0.5, "max_months": 24}, True)])
def test_benefit_above_the_statutory_disregard_is_the_disregard_measures_gross_cost(rule, extra):
    run = simulate("nijmegen", seed=2, months=13, initial_stock=1500,
                   measures=[make_measure("earnings_disregard", rule)])
    above = run.monthly["benefit_above_statutory_eur"]
    if not extra:
        assert (above == 0).all()  # the statutory rule costs the measure nothing
        return
    assert (above >= 0).all() and above.sum() > 0  # a more generous rule only ever pays more
    table = run_outcomes(run.monthly, run.spells, run.events, groups=False).set_index(["outcome", "horizon_months"])
    assert table.loc[("measure_gross_cost_eur", 12), "value"] == pytest.approx(above.iloc[:12].sum())
    assert table.loc[("measure_cost_eur", 12), "value"] == 0  # no spending of its own
