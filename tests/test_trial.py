"""The trial emulator: outcomes as studies define them, assignment, the estimator, and
`labour-abm trial` as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from labour_abm.analysis import evidence, trials
from labour_abm.experiments.trial import CONTROL, OUTPUTS, load, run_trial, run_world
from labour_abm.measures import REGISTRY

SMALL = {"initial_stock": 1500}


def synthetic_worlds(n: int, base: float, gain: float, seed: int = 0) -> tuple[dict, dict]:
    """Two worlds of n people: each outcome is 1 with chance ``base`` without the measure; the
    measure adds people with chance ``gain`` (so the true effect is known)."""
    rng = np.random.default_rng(seed)
    y0 = rng.random(n) < base
    y1 = y0 | (rng.random(n) < gain)
    return {o: y0 for o in trials.OUTCOMES}, {o: y1 for o in trials.OUTCOMES}


def test_outcomes_are_defined_as_the_studies_define_them():
    on = np.array([True, True, True, False, False, False])
    employed = np.array([False, False, False, True, False, False])
    hours = np.array([0.0, 8.0, 16.0, 0.0, 0.0, 0.0], np.float32)
    left = np.array([False, False, False, True, True, False])
    o = trials.person_outcomes(on, employed, hours, left)
    assert o["off_benefit"].tolist() == [False, False, False, True, True, True]
    assert o["work"].tolist() == [False, True, True, True, False, False]
    assert o["work_12h"].tolist() == [False, False, True, True, False, False]
    assert o["work_off_benefit"].tolist() == [False, False, False, True, False, False]
    assert o["left_for_work"].tolist() == left.tolist()


def test_the_emulator_recovers_a_known_effect_and_its_standard_error_is_honest():
    control, treated = synthetic_worlds(20_000, base=0.2, gain=0.1)
    truth = trials.true_effects(control, treated)["work"]
    assert truth == pytest.approx(0.08, abs=0.01)  # 0.1 of the 80% not already in work
    picks = trials.assign(20_000, [500, 500], np.random.default_rng(1), draws=400)
    found = trials.emulate(control, treated, picks[:, :500], picks[:, 500:])
    work = found[found["outcome"] == "work"]
    # unbiased: the mean of 400 trials is within 3 of its standard errors of the truth
    assert abs(work["estimate"].mean() - truth) < 3 * work["estimate"].std() / np.sqrt(len(work))
    # the standard error each trial reports is the spread of the estimates over trials
    assert work["se"].mean() == pytest.approx(work["estimate"].std(), rel=0.15)
    assert work["true_effect_participants"].mean() == pytest.approx(truth, abs=0.005)


def test_the_standard_error_shrinks_with_the_square_root_of_the_participants():
    control, treated = synthetic_worlds(50_000, base=0.3, gain=0.05)
    se = {}
    for n in (250, 1000, 4000):
        picks = trials.assign(50_000, [n, n], np.random.default_rng(2), draws=50)
        se[n] = trials.emulate(control, treated, picks[:, :n], picks[:, n:]).query("outcome == 'work'")["se"].mean()
    assert se[250] / se[1000] == pytest.approx(2.0, rel=0.1)
    assert se[1000] / se[4000] == pytest.approx(2.0, rel=0.1)


def test_assignment_draws_distinct_people_and_refuses_too_many():
    picks = trials.assign(100, [30, 20], np.random.default_rng(3), draws=5)
    assert picks.shape == (5, 50) and all(len(set(row)) == 50 for row in picks)
    with pytest.raises(ValueError, match="51 participants but 50 eligible"):
        trials.assign(50, [30, 21], np.random.default_rng(3), draws=1)


def test_summary_says_how_often_a_trial_finds_the_effect_and_where_the_published_one_falls():
    control, treated = synthetic_worlds(20_000, base=0.2, gain=0.1)
    found = []
    for r in range(2):
        picks = trials.assign(20_000, [300, 300], np.random.default_rng(r), draws=100)
        found.append(trials.emulate(control, treated, picks[:, :300], picks[:, 300:]).assign(replication=r, arm="a",
                                                                                               horizon=12))
    estimates = pd.concat(found, ignore_index=True)
    truth = pd.DataFrame([{"replication": r, "arm": "a", "horizon": 12, "outcome": o, "true_effect_eligible": v}
                          for r in range(2) for o, v in trials.true_effects(control, treated).items()])
    published = pd.DataFrame([
        {"arm": "a", "outcome": "work", "horizon": 12, "published_finding": "significant negative",
         "published_estimate": -0.05, "published_se": 0.02, "source": "made up"},
        {"arm": "a", "outcome": "off_benefit", "horizon": 12, "published_finding": "not significant",
         "published_estimate": None, "published_se": None, "source": "made up, no number"}])
    s = trials.summarise(estimates, truth, published).set_index("outcome").loc["work"]
    assert s["trial_lo"] < s["true_effect"] < s["trial_hi"]
    assert 0.9 <= s["coverage"] <= 1.0
    assert s["mde"] == pytest.approx(trials.MDE_FACTOR * s["trial_se"])
    # power as the normal approximation gives it (about 0.65 for 8 points with 300 per arm)
    assert s["power"] == pytest.approx(norm.cdf(s["true_effect"] / s["trial_se"] - norm.ppf(0.975)), abs=0.1)
    assert not s["published_within_trials"]  # -5 points is not what such trials find here
    assert s["same_finding_share"] < 0.01  # nor do they find a significant loss
    no_number = trials.summarise(estimates, truth, published).set_index("outcome").loc["off_benefit"]
    assert np.isnan(no_number["published_percentile"])
    assert no_number["same_finding_share"] == pytest.approx(1 - no_number["power"])  # not significant: the rest


def spec(**changes) -> dict:
    base = {"name": "t", "preset": "nijmegen", "parameters": dict(SMALL), "replications": 1, "assignments": 20,
            "horizons": [6, 12], "eligible": {"age_min": 27.0},
            "arms": {CONTROL: {"participants": 150},
                     "intensive": {"participants": 150, "measures": [{"name": "personal_approach"}]}}}
    base.update(changes)
    return base


def test_every_world_of_a_replication_has_the_same_eligible_people_and_worlds_repeat():
    s, _ = load(spec())
    job = (s.preset, s.seed, [], s.overrides(), s.eligible.model_dump(), s.horizons)
    uids, control = run_world(*job)
    uids_arm, _ = run_world(s.preset, s.seed, s.arm_measures("intensive"), *job[3:])
    assert np.array_equal(uids, uids_arm) and len(uids) > 300
    again_uids, again = run_world(*job)
    assert np.array_equal(uids, again_uids)
    assert all(np.array_equal(control[h][o], again[h][o]) for h in s.horizons for o in trials.OUTCOMES)


def test_a_measure_that_changes_nothing_has_no_true_effect(tmp_path):
    # the earnings disregard at the statutory rule is the baseline itself
    same = {"share": 0.25, "cap_eur_per_month": 269.0, "max_months": 6, "min_age_years": 27.0}
    out = run_trial(spec(arms={CONTROL: {"participants": 150},
                               "statutory": {"participants": 150,
                                             "measures": [{"name": "earnings_disregard", "parameters": same}]}}),
                    out=tmp_path / "t", workers=1, progress=False)
    summary = pd.read_csv(out / OUTPUTS[2])
    assert (summary["true_effect"] == 0).all()
    estimates = pd.read_parquet(out / OUTPUTS[0])
    assert (estimates["true_effect_participants"] == 0).all() and estimates["estimate"].abs().max() > 0  # sampling


def test_results_do_not_depend_on_the_number_of_workers(tmp_path):
    one = run_trial(spec(replications=2), out=tmp_path / "one", workers=1, progress=False)
    two = run_trial(spec(replications=2), out=tmp_path / "two", workers=2, progress=False)
    for name in OUTPUTS[:2]:
        pd.testing.assert_frame_equal(pd.read_parquet(one / name), pd.read_parquet(two / name))


def to_toml(data: dict) -> str:
    """A trial dict as TOML: every table inline under its top-level key (enough for these files)."""
    def value(v):
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, str):
            return '"' + v + '"'
        if isinstance(v, dict):
            return "{" + ", ".join(f'"{k}" = {value(x)}' for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return repr(v)
    return "".join(f"{k} = {value(v)}\n" for k, v in data.items())


def cli(*args):
    return subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", *args], capture_output=True, text=True)


@pytest.mark.parametrize("change, message", [
    ({"arms": {"treated": {"participants": 10}}}, "arms: needs an arm named 'control'"),
    ({"horizons": []}, "horizons: List should have at least 1 item"),
    ({"outcomes": ["jobs"]}, "outcomes.0: Input should be"),
    ({"eligible": {"age_min": 50.0, "age_max": 40.0}}, "eligible.age_max must be above eligible.age_min"),
    ({"arms": {CONTROL: {"participants": 10}, "x": {"participants": 10, "measures": [{"name": "magic"}]}}},
     "arms.x.measures: unknown measure 'magic'"),
    ({"arms": {CONTROL: {"participants": 10}, "x": {"participants": 10, "evidence": "nowhere.arm"}}},
     "arms.x.evidence: unknown study 'nowhere'"),
    ({"colour": "red"}, "colour: Extra inputs are not permitted"),
])
def test_a_bad_trial_file_is_refused_with_the_key_and_nothing_written(tmp_path, change, message):
    path = tmp_path / "trial.toml"
    path.write_text(to_toml(spec(**change)))
    res = cli("trial", str(path), "--out", str(tmp_path / "out"))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert message in res.stderr and str(path) in res.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_trial_command_writes_tables_report_and_a_readable_summary(tmp_path):
    path = tmp_path / "trial.toml"
    path.write_text(to_toml(spec(outcomes=["work_12h"], replications=2)))
    res = cli("trial", str(path), "--out", str(tmp_path / "out"), "--workers", "2")
    assert res.returncode == 0, res.stderr
    assert "intensive" in res.stdout and "work_12h" in res.stdout and "MDE" in res.stdout
    for name in (*OUTPUTS, "report.html", "plots/trial.png"):
        assert (tmp_path / "out" / name).is_file()
    summary = pd.read_csv(tmp_path / "out" / OUTPUTS[2])
    assert set(summary["outcome"]) == {"work_12h"} and set(summary["horizon"]) == {6, 12}
    assert "Limits" in (tmp_path / "out" / "report.html").read_text()
    too_many = tmp_path / "big.toml"
    too_many.write_text(to_toml(spec(arms={CONTROL: {"participants": 5000}, "x": {"participants": 5000}})))
    res = cli("trial", str(too_many), "--out", str(tmp_path / "big"))
    assert res.returncode == 2 and "the trial needs 10000 participants but nijmegen has" in res.stderr


SHIPPED = sorted((Path(__file__).parents[1] / "experiments" / "trials").glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_trial_file_loads_and_points_at_published_results(path):
    spec, _ = load(path)
    keys = [a.evidence for a in spec.arms.values() if a.evidence]
    assert keys, "a shipped trial compares with a study"
    published = evidence.published({a: s.evidence for a, s in spec.arms.items() if s.evidence}, spec.outcomes,
                                   spec.horizons)
    assert len(published) >= 1 and published["published_finding"].notna().all()


def test_the_evidence_file_covers_every_measure_and_its_results_name_model_outcomes():
    e = evidence.load()
    assert set(e.measures) == set(REGISTRY)
    for name, m in e.measures.items():
        assert m.note, name
        assert m.directness == "none" or m.studies, f"{name}: evidence but no study"
    for study in e.studies.values():
        for r in study.results:
            assert r.outcome in trials.OUTCOMES and r.arm in study.arms
            assert r.estimate is not None or r.se is None  # no standard error without an estimate


@pytest.mark.slow
def test_the_groningen_trial_in_the_docs_is_what_the_command_prints(tmp_path):
    doc = (Path(__file__).parents[1] / "docs" / "trials.md").read_text()
    block = doc.split("```text\n", 1)[1].split("```", 1)[0]
    res = cli("trial", str(Path(__file__).parents[1] / "experiments" / "trials" / "groningen_bijstand_op_maat.toml"),
              "--out", str(tmp_path / "g"), "--workers", "2", "--no-plot")
    assert res.returncode == 0, res.stderr
    printed = [line for line in res.stdout.splitlines() if line and not line.startswith("  ")]
    assert printed == block.strip().splitlines()
