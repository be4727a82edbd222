"""The optional EMA Workbench adapter (labour_abm.adapters.ema): paired points, a seeded ReplicatorModel, clear errors.

The tests that drive ema_workbench skip when it is not installed (``pip install 'labour_abm[ema]'``);
run_point and the error messages need only labour_abm.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest

import labour_abm
from labour_abm import UserError
from labour_abm.adapters.ema import ema_model, outcome_names, run_point
from labour_abm.analysis.outcomes import run_outcomes

HAVE_EMA = importlib.util.find_spec("ema_workbench") is not None
needs_ema = pytest.mark.skipif(not HAVE_EMA, reason="ema_workbench is not installed: pip install 'labour_abm[ema]'")

pytestmark = pytest.mark.filterwarnings("ignore:ipyparallel not installed")  # an optional EMA back-end

TINY = {"initial_stock": 400}
OUTS = ["durable_exits_12", "stock", "exits_to_work", "public_cost_eur"]
ON_75 = {"personal_approach": True, "personal_approach.caseload_per_consultant": 75.0}


# ------------------------------------------------------------------------------- run_point
def test_a_lever_that_switches_nothing_on_gives_zero_effects():
    levers = {"personal_approach": False, "personal_approach.caseload_per_consultant": 50.0}
    r = run_point("nijmegen", 24, 3, {"hire_probability_per_application": 0.08}, levers, OUTS, None, TINY)
    assert list(r) == outcome_names(OUTS)
    assert all(r[f"{o}_effect"] == 0.0 for o in OUTS)
    assert r["public_cost_change_eur"] == 0.0 and r["extra_durable_outcomes_12"] == 0.0
    assert r["stock"] > 0 and r["public_cost_eur"] > 0


def test_run_point_pairs_arm_and_baseline_at_one_seed_and_reads_the_horizon():
    r = run_point("nijmegen", 30, 2, {"contact_motivation_gain": 0.03}, ON_75, OUTS, 24, TINY)

    def at_24(measures):
        res = labour_abm.simulate("nijmegen", seed=2, measures=measures, months=30, contact_motivation_gain=0.03,
                                  **TINY)
        o = run_outcomes(res.monthly, res.spells, res.events)
        o = o[(o["group"] == "all") & (o["horizon_months"] == 24)]
        return dict(zip(o["outcome"], o["value"], strict=True))

    base = at_24([])
    arm = at_24([labour_abm.make_measure("personal_approach", {"caseload_per_consultant": 75.0})])
    for o in OUTS:
        assert r[o] == arm[o]
        assert r[f"{o}_effect"] == arm[o] - base[o]
    assert r["public_cost_change_eur"] == arm["public_cost_eur"] - base["public_cost_eur"]
    assert r["extra_durable_outcomes_12"] == arm["durable_outcomes_12"] - base["durable_outcomes_12"]
    assert r["public_cost_change_eur"] != 0  # the extra consultants cost money


def test_run_point_errors_name_the_key():
    with pytest.raises(UserError, match="unknown parameter 'hire_probabilty"):
        run_point(months=12, uncertain={"hire_probabilty_per_application": 0.05}, fixed=TINY)
    with pytest.raises(UserError, match="unknown measure 'personal_aproach'"):
        run_point(months=12, levers={"personal_aproach": True}, fixed=TINY)
    with pytest.raises(UserError, match="nothing switches them on"):
        run_point(months=12, levers={"personal_approach.caseload_per_consultant": 75.0}, fixed=TINY)
    with pytest.raises(UserError, match="caseload_per_consultant"):
        run_point(months=12, levers={"personal_approach": True, "personal_approach.caseload_per_consultant": 5.0},
                  fixed=TINY)
    with pytest.raises(UserError, match="horizon"):
        run_point(months=12, horizon=13, fixed=TINY)


def test_without_ema_workbench_the_error_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ema_workbench", None)  # import fails as if not installed
    with pytest.raises(UserError, match=r"pip install 'labour_abm\[ema\]'"):
        ema_model("tiny", months=12)


# ------------------------------------------------------------------------------- EMA model
def tiny_model():
    return ema_model(
        "tiny", months=12, replications=2, seed=5,
        uncertainties={"hire_probability_per_application": (0.05, 0.09), "labour_market": ["stable", "covid"]},
        levers={"personal_approach": [False, True]}, outcomes=["stock", "exits_to_work"], fixed=TINY,
    )


def perform():
    from ema_workbench import perform_experiments

    np.random.seed(0)  # noqa: NPY002 -- EMA 2.5's LHS draws from numpy's global random state
    return perform_experiments(tiny_model(), scenarios=4, policies=2)


@pytest.fixture(scope="module")
def performed():
    return perform()


@pytest.mark.slow
@needs_ema
def test_an_ema_model_runs_through_perform_experiments(performed):
    experiments, outcomes = performed
    assert len(experiments) == 8  # 4 scenarios x 2 policies
    assert set(outcomes) == set(outcome_names(["stock", "exits_to_work"]))
    assert all(len(v) == 8 for v in outcomes.values())
    off = ~experiments["personal_approach"].to_numpy(dtype=bool)
    assert off.sum() == 4
    assert np.all(outcomes["stock_effect"][off] == 0) and np.all(outcomes["public_cost_change_eur"][off] == 0)
    assert np.all(outcomes["public_cost_change_eur"][~off] > 0)  # extra consultants, 12 months: not yet paid back

    # each outcome is the mean over the replications, seeds 5 and 6
    row = experiments.iloc[int(np.flatnonzero(~off)[0])]
    uncertain = {"hire_probability_per_application": row["hire_probability_per_application"],
                 "labour_market": row["labour_market"]}
    points = [run_point("nijmegen", 12, s, uncertain, {"personal_approach": True}, ["stock", "exits_to_work"],
                        None, TINY) for s in (5, 6)]
    i = int(np.flatnonzero(~off)[0])
    for name in outcomes:
        assert outcomes[name][i] == pytest.approx(np.mean([p[name] for p in points]), rel=1e-12)


@pytest.mark.slow
@needs_ema
def test_the_same_call_twice_gives_identical_outcomes(performed):
    experiments, outcomes = performed
    experiments2, outcomes2 = perform()
    assert experiments.drop(columns=["scenario", "policy"]).equals(experiments2.drop(columns=["scenario", "policy"]))
    for name in outcomes:
        np.testing.assert_array_equal(outcomes[name], outcomes2[name])
    assert tiny_model().replications == [{"seed": 5}, {"seed": 6}]


@needs_ema
def test_bad_specs_give_clear_errors():
    with pytest.raises(UserError, match=r"'hire_probability_per_application': range \(0.5, 1.5\) is outside the "
                                        r"parameter's declared bounds \[0, 1\]"):
        ema_model("x", uncertainties={"hire_probability_per_application": (0.5, 1.5)})
    with pytest.raises(UserError, match=r"'personal_approach.caseload_per_consultant': range \(5.0, 100.0\) is "
                                        r"outside .* \[10, 1000\]"):
        ema_model("x", levers={"personal_approach": True, "personal_approach.caseload_per_consultant": (5.0, 100.0)})
    with pytest.raises(UserError, match="unknown parameter 'hire_probabilty_per_application'. Did you mean"):
        ema_model("x", uncertainties={"hire_probabilty_per_application": (0.05, 0.1)})
    with pytest.raises(UserError, match="unknown measure 'personal_aproach'. Valid measures"):
        ema_model("x", levers={"personal_aproach": [False, True]})
    with pytest.raises(UserError, match="measure 'personal_approach' has no parameter 'caseload'"):
        ema_model("x", levers={"personal_approach": True, "personal_approach.caseload": (50.0, 100.0)})
    with pytest.raises(UserError, match="'caseload_per_consultant' is a model parameter, not a measure"):
        ema_model("x", levers={"caseload_per_consultant": (50.0, 100.0)})
    with pytest.raises(UserError, match="'labour_market' is categorical"):
        ema_model("x", uncertainties={"labour_market": ("stable", "covid")})
    with pytest.raises(UserError, match="sanction_first_months must not exceed sanction_max_months"):
        ema_model("x", uncertainties={"sanction_first_months": (0, 5)})
    with pytest.raises(UserError, match="unknown outcome"):
        ema_model("x", outcomes=["stok"])


@pytest.mark.slow
@needs_ema
def test_the_example_script_runs_small(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONWARNINGS", os.environ.get("PYTHONWARNINGS", ""))  # main() sets it: undo afterwards
    path = Path(__file__).resolve().parents[1] / "experiments" / "ema_personal_approach_prim.py"
    spec = importlib.util.spec_from_file_location("ema_example", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    assert example.main(["--scenarios", "4", "--replications", "1", "--months", "12", "--initial-stock", "400",
                         "--caseloads", "75,125", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "results.csv").exists() and (tmp_path / "results.parquet").exists()
