"""Parameter ensembles: plausible ranges, history matching, and experiments whose replications
draw their parameters from an ensemble (effects with the parameters' share of the spread)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from labour_abm.analysis import uncertainty
from labour_abm.analysis.effects import paired_effects
from labour_abm.analysis.validation import Target
from labour_abm.errors import UserError
from labour_abm.experiments.ensemble import implausibility, load_ensemble, refocus
from labour_abm.experiments.experiment import load, run_experiment, tasks_of


def target(name, value, tolerance):
    return Target(statistic=name, value=value, tolerance=tolerance, source="test")


def test_implausibility_is_the_distance_in_tolerance_and_noise_and_a_missing_value_is_implausible():
    stats = pd.DataFrame({"a": [1.0, 1.3, np.nan], "b": [0.0, 0.0, 0.0]})
    i = implausibility(stats, [target("a", 1.0, 0.1), target("b", 0.0, 1.0)], {"a": 0.0})
    assert i["a"].tolist()[:2] == pytest.approx([0.0, 3.0])
    assert i["max"].tolist() == pytest.approx([0.0, 3.0, np.inf])
    with_noise = implausibility(stats, [target("a", 1.0, 0.1)], {"a": np.sqrt(0.03)})  # sqrt(0.01 + 0.03) = 0.2
    assert with_noise["a"][1] == pytest.approx(1.5)


def test_refocused_points_stay_in_the_cube_and_near_the_kept_ones():
    rng = np.random.default_rng(1)
    kept = np.array([[0.02, 0.5], [0.05, 0.55], [0.98, 0.45]])
    new = refocus(kept, 2000, rng)
    assert new.min() >= 0 and new.max() <= 1
    assert np.abs(new[:, 1] - 0.5).max() < 0.25  # the second dimension was narrow


def test_ranges_are_drawn_on_their_scale_and_back():
    priors = {"a": uncertainty.Prior("a", 1.0, 100.0, "log", "s"), "b": uncertainty.Prior("b", 0.0, 2.0, "linear", "s")}
    values = uncertainty.from_unit(priors, np.array([[0.5, 0.25], [0.0, 1.0]]))
    assert values[0] == pytest.approx({"a": 10.0, "b": 0.5}) and values[1] == pytest.approx({"a": 1.0, "b": 2.0})
    assert uncertainty.to_unit(priors, {"a": 10.0, "b": 5.0}) == pytest.approx([0.5, 1.0])  # clipped to the range
    with pytest.raises(ValueError, match="low < high"):
        uncertainty.Prior("c", 1.0, 1.0, "linear", "s")


def test_every_shipped_range_holds_its_parameter_s_default_or_says_why_not():
    from labour_abm.core.params import Parameters
    from labour_abm.measures import REGISTRY

    for p in uncertainty.load().values():
        assert p.source
        if p.measure is None:
            assert p.name in Parameters.model_fields
        else:
            assert p.name.split(".")[1] in REGISTRY[p.measure].Params.model_fields


def synthetic(members: int, per_member: int, between: float, within: float, seed: int = 0) -> pd.DataFrame:
    """Outcomes of a baseline and an arm whose paired difference is a member's effect plus noise."""
    rng = np.random.default_rng(seed)
    effect = rng.normal(1.0, between, members)
    rows = []
    for r in range(members * per_member):
        m = r % members
        d = effect[m] + rng.normal(0.0, within)
        for arm, value in (("baseline", 10.0), ("arm", 10.0 + d)):
            rows.append({"arm": arm, "replication": r, "member": m, "outcome": "x", "horizon_months": 12,
                         "group": "all", "value": value})
    return pd.DataFrame(rows)


def test_the_share_of_the_spread_from_the_parameters_is_recovered():
    e = paired_effects(synthetic(200, 3, between=2.0, within=1.0)).iloc[0]
    assert e["parameter_share"] == pytest.approx(4.0 / 5.0, abs=0.06)
    assert e["range_low"] < e["ci_low"] < e["effect_mean"] < e["ci_high"] < e["range_high"]
    none = paired_effects(synthetic(200, 3, between=0.0, within=1.0)).iloc[0]
    assert none["parameter_share"] < 0.06
    once = paired_effects(synthetic(20, 1, between=1.0, within=1.0)).iloc[0]
    assert np.isnan(once["parameter_share"])  # one replication per member cannot tell them apart


def test_without_an_ensemble_the_effects_table_keeps_its_columns():
    outcomes = synthetic(5, 2, 1.0, 1.0).drop(columns="member")
    assert "range_low" not in paired_effects(outcomes)


def ensemble_csv(tmp_path, **columns) -> str:
    frame = pd.DataFrame({"member": [0, 1], "hire_probability_per_application": [0.1, 0.2],
                          "personal_approach.contact_effect_multiplier": [1.0, 3.0], **columns})
    path = tmp_path / "ensemble.csv"
    frame.to_csv(path, index=False)
    return str(path)


def experiment(ensemble: str, **changes) -> dict:
    spec = {"name": "e", "months": 24, "replications": 4, "ensemble": ensemble,
            "parameters": {"initial_stock": 1500},
            "arms": {"baseline": {}, "pa": {"measures": [{"name": "personal_approach"}]},
                     "pa_set": {"measures": [{"name": "personal_approach",
                                              "parameters": {"contact_effect_multiplier": 2.0}}],
                                "parameters": {"hire_probability_per_application": 0.15}}}}
    spec.update(changes)
    return spec


def test_replications_draw_members_in_turn_and_what_the_file_sets_wins(tmp_path):
    spec, _ = load(experiment(ensemble_csv(tmp_path)))
    tasks = {t.key: t for t in tasks_of(spec)}
    assert [tasks[f"baseline/r{r}"].labels["member"] for r in range(4)] == [0, 1, 0, 1]
    assert tasks["baseline/r1"].overrides["hire_probability_per_application"] == 0.2
    assert tasks["pa_set/r1"].overrides["hire_probability_per_application"] == 0.15  # the arm's own value
    multiplier = {k: t.measures[0]["parameters"]["contact_effect_multiplier"] for k, t in tasks.items() if t.measures}
    assert multiplier["pa/r0"] == 1.0 and multiplier["pa/r1"] == 3.0
    assert multiplier["pa_set/r1"] == 2.0  # the file's setting


@pytest.mark.parametrize("column, value, message", [
    ("magic", 1.0, "column magic"),
    ("personal_approach.wings", 1.0, "column personal_approach.wings: not a parameter of a measure"),
    ("hire_probability_per_application", 7.0, "column hire_probability_per_application"),
])
def test_a_bad_ensemble_is_refused_with_the_column(tmp_path, column, value, message):
    path = ensemble_csv(tmp_path, **{column: [value, value]})
    with pytest.raises(UserError, match=message):
        load_ensemble(path)
    with pytest.raises(UserError, match="ensemble: "):
        load(experiment(path))
    with pytest.raises(UserError, match="neither a shipped ensemble"):
        load_ensemble(str(tmp_path / "nothing.csv"))


@pytest.mark.slow
def test_an_experiment_over_an_ensemble_reports_the_range_and_the_parameters_share(tmp_path):
    result = run_experiment(experiment(ensemble_csv(tmp_path)), out=tmp_path / "out", workers=2, progress=False)
    e = result.effects
    assert {"range_low", "range_high", "parameter_share"} <= set(e.columns)
    row = e[(e["arm"] == "pa") & (e["outcome"] == "exits_to_work") & (e["group"] == "all")].iloc[-1]
    assert row["range_low"] <= row["effect_mean"] <= row["range_high"]
    assert "member" in result.runs and set(result.runs["member"]) == {0, 1}
    res = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "report", str(tmp_path / "out")],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "The intervals cover the parameters and chance" in (tmp_path / "out" / "report.html").read_text()


def test_the_shipped_ensemble_loads_and_holds_every_uncertain_parameter():
    ensemble = load_ensemble("nijmegen")
    assert len(ensemble) == 30
    assert set(uncertainty.load()) == set(ensemble.columns) - {"member"}


@pytest.mark.slow
def test_the_shipped_ensemble_covers_the_calibration_targets_on_fresh_seeds():
    from labour_abm.experiments.ensemble import check_coverage

    coverage = check_coverage("nijmegen", load_ensemble("nijmegen"), 60, first_seed=500_000, workers=2,
                              progress=False)
    calibration = coverage[coverage["role"] == "calibration"]
    assert calibration["covered"].all(), calibration.loc[~calibration["covered"], "statistic"].tolist()
    # and the ensemble's mean stays near each calibration target (within two tolerances)
    assert ((calibration["ensemble_mean"] - calibration["target"]).abs() <= 2 * calibration["tolerance"]).all()
