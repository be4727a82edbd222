"""Sweeps: designs, the run path (shared with experiments), resume, failures, the tidy table,
strict files, and the sensitivity indices on a function with known answers (Ishigami)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labour_abm.analysis.sensitivity import indices, point_means
from labour_abm.errors import UserError
from labour_abm.experiments.runner import FAIL_ENV
from labour_abm.experiments.sweep import SweepSpec, design_points, load, run_sweep, tasks_of

TINY = {
    "name": "tiny_sweep", "months": 13, "replications": 2, "seed": 3,
    "parameters": {"initial_stock": 300},
    "measures": [{"name": "sanctions"}],
    "compare_to_baseline": True,
    "design": "grid",
    "vary": {
        "sanctions.detection_share": {"values": [0.03, 0.2]},
        "hire_probability_per_application": {"range": [0.05, 0.08], "levels": 2},
    },
}


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


# -------------------------------------------------------------------------------- designs
def spec_of(design: str, **kw) -> SweepSpec:
    vary = kw.pop("vary", {
        "hire_probability_per_application": {"range": [0.04, 0.1]},
        "contact_motivation_gain": {"range": [0.01, 0.1], "scale": "log"},
        "caseload_per_consultant": {"range": [50, 200], "integer": True},
    })
    return SweepSpec(name="d", design=design, vary=vary, **kw)


@pytest.mark.parametrize("design, samples, size", [("random", 17, 17), ("lhs", 16, 16), ("sobol", 8, 8 * 5),
                                                   ("morris", 4, 4 * 4)])
def test_designs_have_the_expected_size_and_stay_in_bounds(design, samples, size):
    points = design_points(spec_of(design, samples=samples))
    assert len(points) == size and list(points["point"]) == list(range(size))
    assert points["hire_probability_per_application"].between(0.04, 0.1).all()
    assert points["contact_motivation_gain"].between(0.01, 0.1).all()
    assert points["caseload_per_consultant"].between(50, 200).all()
    assert (points["caseload_per_consultant"] == points["caseload_per_consultant"].round()).all()
    units = points.filter(like="unit:")
    assert units.shape[1] == 3 and ((units >= 0) & (units <= 1)).all().all()


def test_designs_are_reproducible_and_depend_on_the_design_seed():
    a = design_points(spec_of("lhs", samples=10, design_seed=4))
    b = design_points(spec_of("lhs", samples=10, design_seed=4))
    c = design_points(spec_of("lhs", samples=10, design_seed=5))
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_latin_hypercube_fills_every_stratum_once():
    points = design_points(spec_of("lhs", samples=20))
    strata = np.floor(points["unit:hire_probability_per_application"] * 20).astype(int)
    assert sorted(strata) == list(range(20))


def test_log_scale_spreads_evenly_in_log_space():
    points = design_points(spec_of("random", samples=4000, design_seed=1))
    logs = np.log10(points["contact_motivation_gain"])
    assert abs(float(np.mean(logs < -1.5)) - 0.5) < 0.03  # the geometric midpoint splits the draws in half


def test_grid_is_the_product_of_levels_and_values():
    vary = {"hire_probability_per_application": {"range": [0.04, 0.1], "levels": 4},
            "labour_market": {"values": ["stable", "covid"]}, "caseload_per_consultant": {"values": [75, 150, 200]}}
    points = design_points(spec_of("grid", vary=vary))
    assert len(points) == 4 * 2 * 3
    np.testing.assert_allclose(sorted(points["hire_probability_per_application"].unique()), [0.04, 0.06, 0.08, 0.1])
    assert set(points["labour_market"]) == {"stable", "covid"}


def test_discrete_values_in_a_sampled_design_are_drawn_evenly():
    vary = {"labour_market": {"values": ["stable", "upswing", "covid"]},
            "hire_probability_per_application": {"range": [0.04, 0.1]}}
    points = design_points(spec_of("lhs", samples=300, vary=vary))
    assert points["labour_market"].value_counts().to_dict() == {"stable": 100, "upswing": 100, "covid": 100}


# ------------------------------------------------------------------- indices (Ishigami)
def ishigami(x1, x2, x3, a=7.0, b=0.1):
    return np.sin(x1) + a * np.sin(x2) ** 2 + b * x3 ** 4 * np.sin(x1)


ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def test_sobol_indices_of_the_ishigami_function_match_the_analytic_values():
    vary = {f"x{i}": {"range": [-math.pi, math.pi]} for i in (1, 2, 3)}
    spec = SweepSpec(name="ishigami", design="sobol", samples=2048, design_seed=2, replications=2, vary=vary)
    design = design_points(spec)
    y = ishigami(design["x1"], design["x2"], design["x3"]).to_numpy()
    # through the same path as a sweep: a tidy table with replications, averaged per point
    table = pd.DataFrame({"point": np.repeat(design["point"], 2), "value": np.repeat(y, 2) + np.tile([-0.5, 0.5],
                                                                                                   len(y))})
    result = indices(spec, design, point_means(table, len(design), "value")).set_index("parameter")
    np.testing.assert_allclose(result["S1"], ISHIGAMI_S1, atol=0.04)
    np.testing.assert_allclose(result["ST"], ISHIGAMI_ST, atol=0.04)
    assert (result["ST_conf"] < 0.1).all()


ISHIGAMI_INPUTS = ("screening_penalty_health", "screening_penalty_literacy", "screening_penalty_debt")


def fake_ishigami_run(task, out_dir):
    """Stands in for a model run: writes the run directory that runner.run_task would, with one
    outcome, the Ishigami function of three parameters in [0, 1] mapped to [-pi, pi]."""
    x = [-math.pi + 2 * math.pi * task.overrides[name] for name in ISHIGAMI_INPUTS]
    final = Path(out_dir) / "runs" / task.key
    final.mkdir(parents=True)
    pd.DataFrame({"outcome": ["ishigami"], "horizon_months": [task.overrides["months"]], "group": ["all"],
                  "value": [ishigami(*x)]}).to_parquet(final / "outcomes.parquet", index=False)
    return {"run": task.key, "seed": task.seed, "status": "done", "seconds": 0.0}


@pytest.mark.slow
def test_ishigami_through_the_sweep_path_matches_the_analytic_indices(tmp_path, monkeypatch):
    """The whole path of a sweep but the model: validation, design, runner, streamed table, analyse."""
    from labour_abm.analysis.sensitivity import analyse
    from labour_abm.experiments import runner

    monkeypatch.setattr(runner, "run_task", fake_ishigami_run)
    spec = {"name": "ishigami", "months": 12, "design": "sobol", "samples": 1024,
            "design_seed": 2, "vary": {name: {"range": [0.0, 1.0]} for name in ISHIGAMI_INPUTS}}
    result = run_sweep(spec, out=tmp_path / "ishigami", workers=1, progress=False)
    assert not result.failed and len(result.report.done) == 1024 * (3 + 2)
    found = analyse(result.out, outcomes=["ishigami"], horizon=12, plot=False).set_index("parameter")
    np.testing.assert_allclose(found.loc[list(ISHIGAMI_INPUTS), "S1"], ISHIGAMI_S1, atol=0.04)
    np.testing.assert_allclose(found.loc[list(ISHIGAMI_INPUTS), "ST"], ISHIGAMI_ST, atol=0.04)
    # the intervals cover the analytic values
    for column, truth in (("S1", ISHIGAMI_S1), ("ST", ISHIGAMI_ST)):
        error = np.abs(found.loc[list(ISHIGAMI_INPUTS), column] - truth)
        assert (error <= found.loc[list(ISHIGAMI_INPUTS), f"{column}_conf"]).all(), (column, error)


def test_morris_finds_the_inert_parameter():
    vary = {f"x{i}": {"range": [-math.pi, math.pi]} for i in (1, 2, 3, 4)}  # x4 does nothing
    spec = SweepSpec(name="ishigami", design="morris", samples=60, morris_levels=6, vary=vary)
    design = design_points(spec)
    y = ishigami(design["x1"], design["x2"], design["x3"]).to_numpy()
    result = indices(spec, design, y).set_index("parameter")
    assert result.loc["x4", "mu_star"] == 0.0 and result.loc["x4", "sigma"] == 0.0
    assert result["mu_star"].idxmax() in ("x1", "x2")
    assert result.loc["x3", "sigma"] > 0  # x3 acts only through its interaction with x1


def test_the_morris_chart_ranks_the_bars_and_numbers_the_plane_alike():
    from labour_abm.analysis.plots import plot_morris

    table = pd.DataFrame({"parameter": ["small", "big", "middle"], "mu": [0.5, -3.0, 1.0],
                          "mu_star": [0.5, 3.0, 1.5], "mu_star_conf": [0.1, 0.3, 0.2], "sigma": [0.1, 2.0, 0.4]})
    bars, plane = plot_morris(table, "stock").axes[:2]
    labels = [t.get_text() for t in bars.get_yticklabels()]
    order = np.argsort([t.get_position()[1] for t in bars.get_yticklabels()])[::-1]  # top to bottom
    assert [labels[i] for i in order] == ["1  big", "2  middle", "3  small"]
    widths = sorted((p.get_y(), p.get_width()) for p in bars.patches)
    assert [w for _, w in widths][::-1] == [3.0, 1.5, 0.5]
    numbered = {a.get_text(): a.xy for a in plane.texts}
    assert numbered == {"1": (3.0, 2.0), "2": (1.5, 0.4), "3": (0.5, 0.1)}


def test_point_means_refuse_an_incomplete_sweep():
    with pytest.raises(UserError, match="1 of 3 points have no finished run"):
        point_means(pd.DataFrame({"point": [0, 2], "value": [1.0, 2.0]}), 3, "value")


# ------------------------------------------------------------------------------- running
@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "tiny"
    return run_sweep(TINY, out=out, workers=1, progress=False)


def test_every_point_and_replication_is_in_one_tidy_table(finished):
    t = pd.read_parquet(finished.out / "points.parquet")
    assert list(t.columns[:5]) == ["point", "replication", "seed", "sanctions.detection_share",
                                   "hire_probability_per_application"]
    assert set(t["point"]) == {0, 1, 2, 3} and set(t["replication"]) == {0, 1}
    assert set(t["seed"]) == {3, 4}
    np.testing.assert_allclose(t["effect"], t["value"] - t["baseline"])
    csv = pd.read_csv(finished.out / "points.csv")
    assert len(csv) == len(t) and list(csv.columns) == list(t.columns)


def test_points_that_differ_only_in_a_measure_parameter_share_their_baseline(finished):
    runs = finished.out / "runs"
    baselines = [d for d in runs.iterdir() if d.name.startswith("b")]
    assert len(baselines) == 2  # one per hire probability, shared by both detection shares
    t = finished.table(outcome="stock", horizon_months=13)
    shared = t.groupby(["hire_probability_per_application", "replication"])["baseline"].nunique()
    assert (shared == 1).all()


def test_the_measure_parameter_reaches_the_runs(finished):
    t = finished.table(outcome="stock", horizon_months=13)
    soft = t[t["sanctions.detection_share"] == 0.03]
    strict = t[t["sanctions.detection_share"] == 0.2]
    assert (strict["value"].to_numpy() != soft["value"].to_numpy()).any()
    manifest = json.loads((finished.out / "runs" / "p000001" / "r0" / "manifest.json").read_text())
    detection = [m for m in manifest["measures"] if m["name"] == "sanctions"][0]["parameters"]["detection_share"]
    assert detection == pytest.approx(float(finished.points.loc[1, "sanctions.detection_share"]))


def test_a_list_of_ints_and_floats_gives_one_column_type_in_every_chunk(tmp_path):
    from labour_abm.experiments.sweep import write_points_table

    spec = {**TINY, "design": "random", "samples": 6, "design_seed": 3, "replications": 1,
            "compare_to_baseline": False, "vary": {"sanctions.detection_share": {"values": [0, 0.2]}}}
    result = run_sweep(spec, out=tmp_path / "mixed", workers=1, progress=False)
    assert result.points["sanctions.detection_share"].tolist()[0] == 0  # the first chunk holds only the int 0
    write_points_table(result.spec, result.points, result.out, chunk=1)  # a chunk per point
    shares = pd.read_parquet(result.out / "points.parquet").groupby("point")["sanctions.detection_share"].first()
    np.testing.assert_array_equal(shares.to_numpy(), result.points["sanctions.detection_share"].to_numpy(float))


def test_a_sweep_keeps_only_outcomes_unless_asked(finished):
    run = finished.out / "runs" / "p000000" / "r0"
    assert sorted(p.name for p in run.iterdir()) == ["manifest.json", "outcomes.parquet"]


@pytest.mark.slow
def test_resume_runs_only_what_is_missing_and_gives_the_same_table(finished, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(finished.out, out)
    for key in ("p000002/r1", "p000003/r0"):
        shutil.rmtree(out / "runs" / key)
    (out / "points.parquet").unlink()
    again = run_sweep(TINY, out=out, workers=2, progress=False)
    assert sorted(again.report.done) == ["p000002/r1", "p000003/r0"]
    pd.testing.assert_frame_equal(pd.read_parquet(out / "points.parquet"),
                                  pd.read_parquet(finished.out / "points.parquet"))


@pytest.mark.slow
def test_a_failed_run_is_recorded_and_retried(tmp_path):
    out = tmp_path / "fail"
    spec_file = tmp_path / "s.toml"
    spec_file.write_text(SPEC_TOML)
    first = cli("sweep", str(spec_file), "--out", str(out), "--workers", "1", "--quiet",
                env={FAIL_ENV: "p000001/r0"})
    assert first.returncode == 1 and "p000001/r0" in first.stderr and "Traceback" not in first.stderr
    status = [json.loads(line) for line in (out / "status.jsonl").read_text().splitlines()]
    assert [s["run"] for s in status if s["status"] == "failed"] == ["p000001/r0"]
    second = cli("sweep", str(spec_file), "--out", str(out), "--workers", "1")
    assert second.returncode == 0, second.stderr
    assert "1 run done now" in second.stdout
    assert (out / "sensitivity" / "indices.csv").exists()
    report = (out / "report.html").read_text()
    for section in ("question", "setup", "key-numbers", "plots", "effects", "provenance"):
        assert f"<section id='{section}'>" in report
    assert report.count("data:image/png;base64,") == len(list((out / "sensitivity").glob("*.png"))) >= 8
    assert "contact_motivation_gain" in report and "Morris mu*" in report


SPEC_TOML = """\
name = "morris_tiny"
months = 12
replications = 1
parameters = { initial_stock = 300 }
design = "morris"
samples = 2

[vary.hire_probability_per_application]
range = [0.04, 0.1]
[vary.contact_motivation_gain]
range = [0.01, 0.1]
scale = "log"
"""


def test_tasks_pair_seeds_across_points():
    spec, _, points = load(TINY)
    tasks = tasks_of(spec, points)
    by_rep = {}
    for t in tasks:
        by_rep.setdefault(t.replication, set()).add(t.seed)
    assert by_rep == {0: {3}, 1: {4}}
    assert len(tasks) == 4 * 2 + 2 * 2


@pytest.mark.slow
def test_sensitivity_command_writes_indices_and_plots(tmp_path):
    out = tmp_path / "m"
    spec_file = tmp_path / "m.toml"
    spec_file.write_text(SPEC_TOML)
    assert cli("sweep", str(spec_file), "--out", str(out), "--workers", "2", "--no-plot").returncode == 0
    proc = cli("sensitivity", str(out), "--outcome", "stock", "--horizon", "12")
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out / "sensitivity" / "indices.csv")
    assert set(table["parameter"]) == {"hire_probability_per_application", "contact_motivation_gain"}
    assert {"mu_star", "mu_star_conf", "sigma"} <= set(table.columns)
    for name in ("stock_morris.png", "stock_morris.svg", "stock_heatmap.png"):
        assert (out / "sensitivity" / name).stat().st_size > 5_000
    # another outcome adds its rows; the first outcome's stay as they were
    assert cli("sensitivity", str(out), "--outcome", "exits_to_work", "--horizon", "12").returncode == 0
    both = pd.read_csv(out / "sensitivity" / "indices.csv")
    assert set(both["outcome"]) == {"stock", "exits_to_work"}
    pd.testing.assert_frame_equal(both[both["outcome"] == "stock"].reset_index(drop=True), table)
    bad = cli("sensitivity", str(out), "--outcome", "nonsense")
    assert bad.returncode == 2 and "unknown. Outcomes:" in bad.stderr
    bad = cli("sensitivity", str(tmp_path))
    assert bad.returncode == 2 and "not a sweep directory" in bad.stderr


# ------------------------------------------------------------------------------ bad files
OK_VARY = "[vary.caseload_per_consultant]\nvalues = [75, 150]\n"
BAD = [  # (top-level lines, vary section, texts the error must contain)
    ("replication = 2\n", OK_VARY, ["replication", "Allowed keys"]),
    ('design = "latin"\n', OK_VARY, ["design", "grid"]),
    ("", "[vary.no_such_parameter]\nrange = [0, 1]\n", ["no_such_parameter"]),
    ("", '[vary."sanctions.nope"]\nrange = [0, 1]\n', ["has no parameter 'nope'", "detection_share"]),
    ("", '[vary."language_centre.places_per_1000_recipients"]\nrange = [1, 2]\n', ["not switched on", "sanctions"]),
    ("", "[vary.hire_probability_per_application]\nrange = [0.1, 0.05]\n", ["low < high"]),
    ("", '[vary.hire_probability_per_application]\nrange = [0.0, 0.1]\nscale = "log"\n', ["positive range"]),
    ("", "[vary.hire_probability_per_application]\nrange = [0.05, 1.5]\n",
     ["vary.hire_probability_per_application: 1.5", "Allowed: 0 .. 1"]),
    ("", "[vary.hire_probability_per_application]\nrange = [0.05, 0.1]\nstep = 2\n", ["step", "Allowed for a"]),
    ("", "[vary.hire_probability_per_application]\n", ["range = [low, high] or values"]),
    ("", "this is not toml = = \n", ["not valid TOML"]),
    ("", "", ["vary"]),
    ("", "[vary.neighbourhoods]\nrange = [4, 12]\n", ["vary.neighbourhoods: an integer parameter", "integer = true"]),
    ("", "[vary.initial_stock]\nvalues = [200, 400]\n", ["vary.initial_stock: also fixed in parameters"]),
    ('labour_market = "covid"\n', '[vary.labour_market]\nvalues = ["stable", "upswing"]\n',
     ["vary.labour_market: also fixed in the top-level labour_market"]),
    ('design = "grid"\n', OK_VARY, ["bad.toml: samples: a grid takes no samples"]),
    ('design = "morris"\n', OK_VARY, ["samples: a morris design needs at least 2 trajectories"]),
    ('design = "sobol"\n', "[vary.hire_probability_per_application]\nrange = [0.05, 0.1]\n",
     ["samples: a sobol design needs a power of 2", "e.g. 2 or 4"]),
]


@pytest.mark.slow
@pytest.mark.parametrize("top, vary, expected", BAD)
def test_bad_sweep_files_are_clear_errors_and_write_nothing(tmp_path, top, vary, expected):
    body = ('name = "bad"\nmonths = 12\nparameters = { initial_stock = 300 }\nmeasures = [{ name = "sanctions" }]\n'
            + ('' if "design" in top else 'design = "random"\n') + ("samples = 1\n" if "morris" in top else
                                                                     "samples = 3\n"))
    path, out = tmp_path / "bad.toml", tmp_path / "out"
    path.write_text(top + body + vary)
    proc = cli("sweep", str(path), "--out", str(out))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert str(path) in proc.stderr and "Traceback" not in proc.stderr
    for text in expected:
        assert text in proc.stderr, proc.stderr
    assert "{'name'" not in proc.stderr, "a whole-file rule must name its key, not repeat the file"
    assert not out.exists()


def test_a_grid_without_levels_and_a_sobol_with_a_list_are_refused():
    with pytest.raises(UserError, match="levels"):
        load({**TINY, "vary": {"hire_probability_per_application": {"range": [0.05, 0.08]}}})
    with pytest.raises(UserError, match="continuous ranges"):
        load({**TINY, "design": "sobol", "samples": 4,
              "vary": {"sanctions.detection_share": {"values": [0.03, 0.2]}}})


def test_a_measure_parameter_fixed_and_varied_is_refused():
    fixed = {**TINY, "measures": [{"name": "sanctions", "parameters": {"detection_share": 0.1, "cut_share": 0.5}}]}
    with pytest.raises(UserError, match=r"vary.sanctions.detection_share: also fixed in measures"):
        load(fixed)
    other = {**fixed, "measures": [{"name": "sanctions", "parameters": {"cut_share": 0.5}}]}
    spec, _, points = load(other)  # another parameter of the same measure may be fixed
    assert len(points) == 4


def test_another_sweep_in_the_same_output_is_refused(finished):
    with pytest.raises(UserError, match="the sweep 'tiny_sweep' with other settings of seed;"):
        run_sweep({**TINY, "seed": 99}, out=finished.out, workers=1, progress=False)


def test_the_design_is_stored_with_the_results(finished):
    stored = pd.read_parquet(Path(finished.out) / "design.parquet")
    pd.testing.assert_frame_equal(stored, finished.points)


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_table(finished, tmp_path):
    import logging

    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster:
        result = run_sweep(TINY, out=tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False)
    assert not result.failed
    pd.testing.assert_frame_equal(pd.read_parquet(result.out / "points.parquet"),
                                  pd.read_parquet(finished.out / "points.parquet"))
