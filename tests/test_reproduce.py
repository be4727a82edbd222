"""labour-abm reproduce DIR: rerun a recorded run from its manifest and report whether it matches."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import labour_abm
from labour_abm.analysis.outcomes import run_outcomes
from labour_abm.experiments.reproduce import first_difference, reproduce_run
from labour_abm.measures import make_measure
from labour_abm.ui.cli import main

SPEC = {
    "name": "reproduce_check", "preset": "nijmegen", "months": 10, "replications": 2, "seed": 4,
    "parameters": {"initial_stock": 300},
    "arms": {"baseline": {}, "debt_help": {"measures": [{"name": "debt_help",
                                                         "parameters": {"extra_arrangements_per_month_share": 0.01}}]}},
}


@pytest.fixture
def run_dir(tmp_path):
    """A small recorded run with a measure at a non-default setting and a non-default parameter."""
    result = labour_abm.simulate("groningen", seed=9, months=10, initial_stock=300, labour_market="covid",
                                 measures=[make_measure("debt_help", {"extra_arrangements_per_month_share": 0.01})])
    return result.write(tmp_path / "run")


@pytest.fixture(scope="module")
def experiment(tmp_path_factory):
    from labour_abm.experiments.experiment import run_experiment

    return run_experiment(SPEC, out=tmp_path_factory.mktemp("exp") / "reproduce_check", workers=1,
                          progress=False).out


def test_a_run_reproduces(run_dir, capsys):
    assert main(["reproduce", str(run_dir)]) == 0
    out = capsys.readouterr().out
    assert "reproduced: monthly, spells, events identical" in out


def test_an_altered_table_is_reported_with_table_column_and_row(run_dir, capsys):
    monthly = pd.read_parquet(run_dir / "monthly.parquet")
    monthly.loc[3, "exits_work"] += 1
    monthly.to_parquet(run_dir / "monthly.parquet", index=False)
    assert main(["reproduce", str(run_dir)]) == 1
    out = capsys.readouterr().out
    assert "DIFFERS" in out
    assert "monthly: differs: column 'exits_work' first differs at row 3 (month 3)" in out
    assert "spells: identical" in out and "events: identical" in out


def test_a_changed_seed_makes_every_table_differ(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text())
    manifest["seed"] += 1
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    rep = reproduce_run(run_dir)
    assert not rep.matches
    assert [t.table for t in rep.tables if not t.same] == ["monthly", "spells", "events"]


def test_other_recorded_versions_are_warned_about(run_dir, capsys):
    manifest = json.loads((run_dir / "manifest.json").read_text())
    manifest.update(numpy="1.0.0", git_commit="0" * 40)
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    assert main(["reproduce", str(run_dir)]) == 0  # same tables: still a match
    err = capsys.readouterr().err
    assert "warning: recorded with numpy 1.0.0" in err
    assert "warning: recorded at git commit 000000000000" in err


def test_an_experiment_run_reproduces(experiment, capsys):
    assert main(["reproduce", str(experiment)]) == 0  # default: baseline/r0
    assert "run baseline/r0 of" in capsys.readouterr().out
    assert main(["reproduce", str(experiment), "--run", "debt_help/r1"]) == 0
    out = capsys.readouterr().out
    # an experiment's runs keep a summary by default (keep = "summary"): no spells or events to compare
    assert "run debt_help/r1 of" in out and "monthly, spell_counts, outcomes identical" in out
    assert main(["reproduce", str(experiment / "runs" / "debt_help" / "r0")]) == 0  # the run directory itself
    rep = reproduce_run(experiment / "runs" / "debt_help" / "r0")
    assert all(t.bytes_identical for t in rep.tables)  # rerun tables are written as the recorded ones were


def test_all_runs_of_an_experiment(experiment, capsys):
    assert main(["reproduce", str(experiment), "--all"]) == 0
    assert "4 of 4 runs reproduced" in capsys.readouterr().out


def test_a_sweep_run_without_tables_compares_its_outcomes(tmp_path):
    result = labour_abm.simulate("nijmegen", seed=2, months=8, initial_stock=200)
    run = tmp_path / "sweep" / "runs" / "p000000" / "r0"
    run.mkdir(parents=True)
    (run / "manifest.json").write_text(json.dumps({**result.manifest, "sweep": "s", "point": 0, "replication": 0}))
    outcomes = run_outcomes(result.monthly, result.spells, result.events, groups=False)
    outcomes.to_parquet(run / "outcomes.parquet", index=False)
    rep = reproduce_run(run, "p000000/r0")
    assert rep.matches and [t.table for t in rep.tables] == ["outcomes"]
    outcomes.loc[0, "value"] += 1
    outcomes.to_parquet(run / "outcomes.parquet", index=False)
    assert main(["reproduce", str(tmp_path / "sweep")]) == 1


@pytest.mark.parametrize("case", ["missing", "no_manifest", "bad_json", "truncated_table", "unknown_run", "not_a_run"])
def test_bad_input_exits_2_with_one_line(run_dir, tmp_path, capsys, case, experiment):
    target, extra = run_dir, []
    if case == "missing":
        target = tmp_path / "nowhere"
    elif case == "no_manifest":
        (run_dir / "manifest.json").unlink()
    elif case == "bad_json":
        (run_dir / "manifest.json").write_text("{not json")
    elif case == "truncated_table":
        data = (run_dir / "events.parquet").read_bytes()
        (run_dir / "events.parquet").write_bytes(data[: len(data) // 2])
    elif case == "unknown_run":
        target, extra = experiment, ["--run", "baseline/r9"]
    elif case == "not_a_run":
        (run_dir / "manifest.json").write_text(json.dumps({"experiment": "x", "spec": {}}))
    assert main(["reproduce", str(target), *extra]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("labour-abm: error: "), captured.err
    assert captured.out == ""


def test_first_difference_names_missing_columns_and_lengths():
    a = pd.DataFrame({"month": [0, 1, 2], "x": [1.0, float("nan"), 3.0]})
    assert first_difference(a, a.copy()) == ""
    assert "only in the recorded table: ['x']" in first_difference(a, a[["month"]])
    assert first_difference(a, a.iloc[:2]) == "3 rows recorded, 2 in the rerun (the first 2 agree)"
    b = a.copy()
    b.loc[2, "x"] = 4.0
    assert first_difference(a, b) == "column 'x' first differs at row 2 (month 2): recorded 3.0, rerun 4.0"
