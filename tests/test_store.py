"""The results store under attack: names that become paths, two writers, directories of another
kind, resumes after the settings changed, broken runs, faults (issue 15; docs/reliability.md,
"The results store").

Most attacks go through the command line in-process (``cli.main``), so the file stays fast; the
ones that need real processes (two writers at once, SIGTERM, a worker the OS kills) start them.
"""

from __future__ import annotations

import errno
import importlib
import json
import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from labour_abm.errors import UserError
from labour_abm.experiments import runner
from labour_abm.experiments.experiment import run_experiment
from labour_abm.io import store
from labour_abm.ui import cli

TINY_TOML = """\
name = "tiny"
months = 3
replications = 2
seed = 5
parameters = { initial_stock = 100 }
[arms.baseline]
[arms.sanctions]
measures = [{ name = "sanctions" }]
"""
TINY = tomllib.loads(TINY_TOML)
KEYS = {f"{arm}/r{r}" for arm in TINY["arms"] for r in range(TINY["replications"])}


def command(capsys, *args) -> tuple[int, str, str]:
    """Run ``labour-abm ARGS`` in this process: (exit code, stdout, stderr)."""
    code = cli.main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_error_line(err: str, *fragments: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("labour-abm: error:"), err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def listing(directory: Path) -> list[tuple[str, int, int]]:
    return sorted((str(p.relative_to(directory)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in directory.rglob("*"))


@pytest.fixture
def tiny(tmp_path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_TOML)
    return path


def finished(out: Path) -> set[str]:
    return {str(p.parent.relative_to(out / "runs")) for p in out.glob("runs/*/*/manifest.json")}


# ---- names that become paths -----------------------------------------------------------------------------------
@pytest.mark.parametrize("arm, fragment", [
    *[(arm, "not a plain name") for arm in ("", "../../../escape", "/abs/path", "a/r0", "..", ".hidden", "a\\b",
                                            "x" * 101, "end.")],
    ("CON", "device name"), ("nul.txt", "device name"), ("Baseline", "differ only in case")])
def test_an_arm_name_that_is_not_a_plain_name_is_refused_before_anything_is_written(tmp_path, capsys, arm, fragment):
    spec = tmp_path / "bad.toml"
    spec.write_text(TINY_TOML + f"[arms.{json.dumps(arm)}]\n")
    out = tmp_path / "work" / "out"
    code, _, err = command(capsys, "experiment", spec, "--out", out, "--workers", 1, "--no-plot")
    assert code == 2
    one_error_line(err, fragment)
    assert not (tmp_path / "work").exists() and not (tmp_path / "escape").exists()
    assert not Path("/r0").exists() and not Path("/abs").exists()


def test_the_store_never_hands_out_a_path_outside_its_directory(tmp_path):
    for key in ("../x/r0", "a/../../r0", "/etc/r0", "a/r0/../../..", ""):
        with pytest.raises(ValueError):
            store.run_dir(tmp_path, key)
    assert store.run_dir(tmp_path, "arm.1/r0") == tmp_path / "runs" / "arm.1" / "r0"


# ---- one writer, one kind --------------------------------------------------------------------------------------
def test_a_second_command_on_a_directory_in_use_is_refused_in_one_line(tmp_path, tiny, capsys):
    out = tmp_path / "out"
    out.mkdir()
    before = listing(out)
    with store.locked(out):  # another labour-abm command holds it
        code, _, err = command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot")
        assert code == 2
        one_error_line(err, "in use by another labour-abm command")
        code, _, err = command(capsys, "run", "--out", out, "--months", 2, "--set", "initial_stock=100", "--no-plot")
        assert code == 2
    assert listing(out) == before  # the lock leaves no file behind
    code, _, _ = command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot", "--quiet")
    assert code == 0 and finished(out) == KEYS  # free again once the holder is done


@pytest.mark.slow
def test_two_different_experiments_started_together_never_mix(tmp_path, tiny):
    """One wins; the other is refused (in use, or holding the winner's other settings): every run
    in the directory belongs to the experiment its manifest names."""
    other = tmp_path / "other.toml"
    other.write_text(TINY_TOML.replace("seed = 5", "seed = 6").replace("replications = 2", "replications = 6"))
    out = tmp_path / "out"
    procs = [subprocess.Popen([sys.executable, "-m", "labour_abm.ui.cli", "experiment", str(f), "--out", str(out),
                               "--workers", "1", "--no-plot", "--quiet"], stderr=subprocess.PIPE, text=True)
             for f in (tiny, other)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert sorted(code for code, _ in results) == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    assert "in use" in loser or "with other settings" in loser, loser
    manifest = json.loads((out / "manifest.json").read_text())
    seeds = manifest["seeds"]
    for key in finished(out):
        assert json.loads((out / "runs" / key / "manifest.json").read_text())["seed"] in seeds


def test_run_refuses_an_experiment_directory(tmp_path, tiny, capsys):
    out = tmp_path / "exp"
    assert command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot", "--quiet")[0] == 0
    before = listing(out)
    code, _, err = command(capsys, "run", "--out", out, "--months", 2, "--set", "initial_stock=100", "--no-plot")
    assert code == 2
    one_error_line(err, "holds the results of an experiment", "choose another --out")
    assert listing(out) == before


def test_an_experiment_refuses_a_run_directory_naming_it_a_run(tmp_path, tiny, capsys):
    out = tmp_path / "run"
    assert command(capsys, "run", "--out", out, "--months", 2, "--set", "initial_stock=100", "--no-plot",
                   "--quiet")[0] == 0
    code, _, err = command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot")
    assert code == 2
    line = one_error_line(err, "holds the results of a run")
    assert "another run" not in line


def test_results_without_a_manifest_are_refused_and_replaced_only_with_fresh(tmp_path, tiny, capsys):
    out = tmp_path / "out"
    assert command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot", "--quiet")[0] == 0
    (out / "manifest.json").unlink()
    other = tmp_path / "other.toml"
    other.write_text(TINY_TOML.replace("seed = 5", "seed = 9"))
    code, _, err = command(capsys, "experiment", other, "--out", out, "--workers", 1, "--no-plot")
    assert code == 2
    one_error_line(err, "without a manifest.json", "--fresh")
    assert not (out / "manifest.json").exists()
    code, _, _ = command(capsys, "experiment", other, "--out", out, "--workers", 1, "--no-plot", "--quiet", "--fresh")
    assert code == 0
    assert {json.loads((out / "runs" / k / "manifest.json").read_text())["seed"] for k in finished(out)} == {9, 10}


def test_fresh_removes_only_what_the_commands_wrote(tmp_path, tiny, capsys):
    out = tmp_path / "out"
    assert command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot", "--quiet")[0] == 0
    (out / "my_notes.txt").write_text("mine")
    other = tmp_path / "other.toml"
    other.write_text(TINY_TOML.replace("seed = 5", "seed = 9"))
    assert command(capsys, "experiment", other, "--out", out, "--workers", 1, "--no-plot", "--quiet",
                   "--fresh")[0] == 0
    assert (out / "my_notes.txt").read_text() == "mine"


# ---- resume checks what it resumes -----------------------------------------------------------------------------
def test_runs_made_with_other_code_or_preset_data_are_not_resumed(tmp_path, tiny, capsys, monkeypatch):
    out = tmp_path / "out"
    assert command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot", "--quiet")[0] == 0
    before = listing(out / "runs")
    monkeypatch.setattr(runner, "code_fingerprint", lambda: "changed code")  # as after an edit of the model
    code, _, err = command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot")
    assert code == 2
    one_error_line(err, f"{len(KEYS)} of its finished runs cannot be resumed", "other settings, code or data",
                   "--fresh")
    assert listing(out / "runs") == before
    monkeypatch.undo()
    real = runner.presets.preset_parameters  # the preset file changed:
    monkeypatch.setattr(runner.presets, "preset_parameters",
                        lambda name: {**real(name), "hire_probability_per_application": 0.07})
    assert command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot")[0] == 2
    assert command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot", "--quiet",
                   "--fresh")[0] == 0
    assert len(json.loads((out / "manifest.json").read_text()).get("earlier_sessions", [])) == 0


def test_runs_of_a_version_that_recorded_no_settings_are_not_resumed(tmp_path, tiny, capsys):
    out = tmp_path / "out"
    assert command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot", "--quiet")[0] == 0
    path = out / "runs" / "baseline" / "r0" / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["settings_hash"]
    path.write_text(json.dumps(manifest))
    code, _, err = command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot")
    assert code == 2
    one_error_line(err, "did not record its settings")


def test_a_run_with_a_missing_or_corrupt_file_is_run_again_not_dropped(tmp_path, tiny):
    reference = run_experiment(tiny, out=tmp_path / "ref", workers=1, progress=False)
    out = tmp_path / "out"
    run_experiment(tiny, out=out, workers=1, progress=False)
    (out / "runs" / "sanctions" / "r1" / "outcomes.parquet").unlink()
    (out / "runs" / "baseline" / "r0" / "monthly.parquet").write_bytes(b"PAR1 not parquet")
    (out / "runs" / "sanctions" / "r0" / "manifest.json").write_text("{broken")
    again = run_experiment(tiny, out=out, workers=1, progress=False)
    assert sorted(again.report.repaired) == ["baseline/r0", "sanctions/r0", "sanctions/r1"]
    assert sorted(again.report.done) == ["baseline/r0", "sanctions/r0", "sanctions/r1"]
    pd.testing.assert_frame_equal(again.effects, reference.effects)
    assert set(again.effects["n_replications"]) == {2}
    assert json.loads((out / "manifest.json").read_text())["runs_repaired"] == sorted(again.report.repaired)


def test_a_corrupt_table_in_a_results_directory_is_a_clear_error_for_report(tmp_path, tiny, capsys):
    out = tmp_path / "out"
    assert command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot", "--quiet")[0] == 0
    (out / "effects.parquet").write_bytes(b"not parquet at all")
    code, _, err = command(capsys, "report", out)
    assert code == 2
    one_error_line(err, "effects.parquet")
    (out / "effects.parquet").unlink()
    (out / "runs" / "baseline" / "r1" / "spells.parquet").write_bytes(b"PAR1")
    code, _, err = command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--quiet")  # repairs, then reports
    assert code == 0 and (out / "report.html").is_file()


# ---- executors -------------------------------------------------------------------------------------------------
def test_the_runner_hands_workers_an_absolute_path(tmp_path, monkeypatch):
    seen = {}

    def fake_execute(tasks, out, workers, scheduler):  # a generator, as _execute is
        seen["out"] = out
        yield from ()

    monkeypatch.setattr(runner, "_execute", fake_execute)
    monkeypatch.chdir(tmp_path)
    Path("rel").mkdir()
    runner.run_all([], Path("rel"), workers=1)
    assert Path(seen["out"]).is_absolute() and Path(seen["out"]) == tmp_path / "rel"


def test_a_run_reported_done_but_not_in_the_directory_counts_as_failed(tmp_path, tiny, monkeypatch, capsys):
    """As when Dask workers write to a directory this machine does not see."""
    monkeypatch.setattr(runner, "run_task", lambda task, out: runner._done(task, time.perf_counter()))
    out = tmp_path / "out"
    code, _, err = command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot", "--quiet")
    assert code == 1 and "failed" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "failed runs" and len(manifest["runs_failed"]) == len(KEYS)
    assert "as this machine sees it" in (out / "status.jsonl").read_text()


@pytest.mark.parametrize("address, fragment", [
    ("this is :: not an address", "--scheduler"),
    pytest.param("tcp://127.0.0.1:9", "no Dask scheduler answered",
                 marks=pytest.mark.slow),  # a closed port: times out
])
def test_an_unreachable_or_malformed_scheduler_is_one_line_before_anything_is_written(tmp_path, tiny, capsys, address,
                                                                                      fragment):
    out = tmp_path / "out"
    t0 = time.perf_counter()
    code, _, err = command(capsys, "experiment", tiny, "--out", out, "--scheduler", address)
    assert code == 2 and time.perf_counter() - t0 < 20
    one_error_line(err, fragment)
    assert not out.exists()


@pytest.mark.slow
def test_a_worker_killed_by_the_os_costs_only_a_retry(tmp_path, tiny, capsys, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setenv(runner.DEATH_ENV, f"sanctions/r0@{tmp_path / 'died once'}")
    code, _, err = command(capsys, "experiment", tiny, "--out", out, "--workers", 2, "--no-plot", "--quiet")
    assert code == 0, err
    assert (tmp_path / "died once").exists() and finished(out) == KEYS
    out2 = tmp_path / "out2"
    monkeypatch.setenv(runner.DEATH_ENV, "sanctions/r0")  # it dies every time
    code, _, err = command(capsys, "experiment", tiny, "--out", out2, "--workers", 2, "--no-plot", "--quiet")
    assert code == 1 and "sanctions/r0" in err
    assert finished(out2) == KEYS - {"sanctions/r0"}
    status = [json.loads(line) for line in (out2 / "status.jsonl").read_text().splitlines()]
    assert any(s["run"] == "sanctions/r0" and "died" in s["traceback"] for s in status)


@pytest.mark.slow
def test_sigterm_ends_a_command_as_ctrl_c_does(tmp_path, tiny):
    spec = tmp_path / "longer.toml"
    spec.write_text(TINY_TOML.replace("replications = 2", "replications = 40").replace("months = 3", "months = 24"))
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "labour_abm.ui.cli", "experiment", str(spec), "--out", str(out),
                             "--workers", "2", "--no-plot", "--quiet"], stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(out.glob("runs/*/r*/manifest.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=60)
    assert code == 130, proc.stderr.read()
    assert "interrupted" in proc.stderr.read()
    time.sleep(1)
    assert not [p for p in Path("/proc").glob("[0-9]*") if _session(p) == proc.pid], "worker processes left"
    assert not list(out.glob("runs/*/.*tmp-*"))


def _session(proc_dir: Path) -> int | None:
    try:
        return int((proc_dir / "stat").read_text().rsplit(")", 1)[1].split()[4])
    except (OSError, ValueError, IndexError):
        return None


# ---- faults while writing --------------------------------------------------------------------------------------
def test_a_full_disk_is_one_line_keeps_the_finished_runs_and_leaves_no_temporary_files(tmp_path, tiny, capsys,
                                                                                       monkeypatch):
    from labour_abm.experiments import experiment

    def disk_full(path, write):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(experiment, "atomic_write", disk_full)  # the driver's tables, after all runs
    out = tmp_path / "out"
    code, _, err = command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot", "--quiet")
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0] and "effects.csv" in lines[0], err
    assert finished(out) == KEYS
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]
    for line in (out / "status.jsonl").read_text().splitlines():
        json.loads(line)  # whole lines only


SWEEP_TOML = """\
name = "sw"
months = 3
replications = 1
parameters = { initial_stock = 100 }
design = "grid"
[vary.hire_probability_per_application]
values = [0.05, 0.07]
"""


@pytest.mark.parametrize("command_line, writer, where", [
    (["experiment", "{tiny}", "--workers", 1, "--quiet"], "matplotlib.figure.Figure.savefig", "plots"),
    (["experiment", "{tiny}", "--workers", 1, "--quiet"], "pandas.DataFrame.to_parquet", "summaries"),  # report's
    (["sweep", "{sweep}", "--quiet", "--no-plot"], "pandas.DataFrame.to_csv", "points"),  # streamed in chunks
])
def test_a_disk_that_fills_halfway_through_a_file_leaves_no_half_file_or_temporary(tmp_path, tiny, capsys, monkeypatch,
                                                                                  command_line, writer, where):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(SWEEP_TOML)
    module, owner, method = writer.rsplit(".", 2)
    real = getattr(getattr(importlib.import_module(module), owner), method)

    def half_then_full(self, path=None, *args, **kwargs):
        if where not in str(getattr(path, "name", path)):
            return real(self, path, *args, **kwargs)
        if hasattr(path, "write"):
            path.write("half")
        elif path is not None:
            Path(path).write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    out = tmp_path / "out"
    monkeypatch.setattr(writer, half_then_full)
    code, _, err = command(capsys, *[str(a).format(tiny=tiny, sweep=sweep) for a in command_line], "--out", out)
    assert code == 1
    one_error_line(err, "No space left on device")
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]
    assert not [p for p in out.rglob("*") if p.is_file() and p.read_bytes() == b"half"]


def test_a_run_that_cannot_be_written_fails_alone_and_leaves_no_temporary_directory(tmp_path, tiny, monkeypatch):
    real = store.atomic_write  # every table of a run is written through it (store.write_table)

    def full_for_one(path, write):
        if ".r1.tmp-" in str(path) and "sanctions" in str(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, write)

    monkeypatch.setattr(store, "atomic_write", full_for_one)
    result = run_experiment(tiny, out=tmp_path / "out", workers=1, progress=False)
    assert list(result.failed) == ["sanctions/r1"] and "No space left" in result.failed["sanctions/r1"]
    assert not list((tmp_path / "out" / "runs").rglob(".*tmp-*"))


def test_a_read_only_out_is_refused_before_the_run(tmp_path, capsys, monkeypatch):
    import tempfile

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    started = []
    monkeypatch.setattr("labour_abm.experiments.run.LabourModel", lambda *a, **k: started.append(1))
    code, _, err = command(capsys, "run", "--out", tmp_path / "ro", "--months", 2, "--set", "initial_stock=100")
    assert code == 2 and not started
    one_error_line(err, "cannot write there")


# ---- numbers and paths checked before work starts ----------------------------------------------------------------
@pytest.mark.parametrize("args, fragment", [
    (["run", "--seed", "-1"], "--seed must be 0-"),
    (["run", "--seed", str(2**64)], "--seed must be 0-"),
    (["run", "--months", "0"], "--months: parameter 'months'"),
    (["run", "--measure", "sanctions:detection_share=0.1,detection_share=0.2"], "given twice"),
    (["validate", "--replications", "100000000"], "--replications must be 1-"),
    (["calibrate", "--trials", "100000000"], "--trials must be 1-"),
    (["experiment", "{spec}", "--workers", "100000"], "--workers must be 1-"),
])
def test_numbers_out_of_range_are_refused_before_anything_is_written(tmp_path, tiny, capsys, args, fragment):
    out = tmp_path / "out"
    args = [a.replace("{spec}", str(tiny)) for a in args]
    code, _, err = command(capsys, *args, "--out", out)
    assert code == 2
    one_error_line(err, fragment)
    assert not out.exists()


@pytest.mark.parametrize("edit, fragment", [
    ("seed = -1", "seed"),
    ("seeds = [3, -1]", "seeds.1"),
    ("[target]\noutcome = \"no_such_outcome\"\nby_month = 3\nvalue = 1\n", "unknown outcome"),
    ("[target]\noutcome = \"exits_to_work\"\nby_month = 30\nvalue = 1\n", "not a horizon of this 3-month experiment"),
    ("[target]\nby_month = 3\nvalue = 1\n", "is seen at month 15"),  # a durable outcome needs 12 more months
    ("[target]\noutcome = \"exits_to_work\"\nby_month = 3\nvalue = nan\n", "target.value"),
    ("[arms.sanctions.parameters]\nmonths = 5\n", "months is the experiment's"),
])
def test_experiment_files_that_would_fail_later_are_refused_at_once(tmp_path, capsys, edit, fragment):
    text = TINY_TOML.replace("seed = 5", edit) if edit.startswith("seed") else TINY_TOML + edit
    spec = tmp_path / "bad.toml"
    spec.write_text(text)
    code, _, err = command(capsys, "experiment", spec, "--out", tmp_path / "out")
    assert code == 2
    one_error_line(err, fragment)
    assert not (tmp_path / "out").exists()


def test_odd_input_files_get_the_right_message(tmp_path, capsys):
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + TINY_TOML.encode())  # Windows editors write a byte-order mark
    assert command(capsys, "experiment", bom, "--out", tmp_path / "b", "--workers", 1, "--no-plot", "--quiet")[0] == 0
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    code, _, err = command(capsys, "experiment", pipe, "--out", tmp_path / "p")
    assert code == 2
    one_error_line(err, "not a regular file")
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    code, _, err = command(capsys, "experiment", deep, "--out", tmp_path / "d")
    assert code == 2
    one_error_line(err, "nested more than")
    big = tmp_path / "big.toml"
    big.write_text(TINY_TOML + f'"{"k" * 1_000_000}" = 1\n')
    code, _, err = command(capsys, "experiment", big, "--out", tmp_path / "g")
    assert code == 2 and len(one_error_line(err)) < 400
    key = tmp_path / "key.toml"
    key.write_text(TINY_TOML + f'"{"k" * 100_000}" = 1\n')
    code, _, err = command(capsys, "experiment", key, "--out", tmp_path / "k")
    assert code == 2 and len(one_error_line(err, "kkk...")) < 600


def test_report_out_must_be_a_file_in_an_existing_directory(tmp_path, tiny, capsys):
    out = tmp_path / "exp"
    assert command(capsys, "experiment", tiny, "--out", out, "--workers", 1, "--no-plot", "--quiet")[0] == 0
    code, _, err = command(capsys, "report", out, "--out", tmp_path / "missing" / "r.html")
    assert code == 2
    one_error_line(err, "does not exist")
    code, _, err = command(capsys, "report", out, "--out", tmp_path)
    assert code == 2
    one_error_line(err, "is a directory")


def test_calibrate_refuses_a_study_file_it_cannot_open_before_writing(tmp_path, capsys):
    pytest.importorskip("optuna")
    out = tmp_path / "cal"
    out.mkdir()
    (out / "settings.json").write_text("{}")
    (out / "study.db").write_bytes(b"this is not sqlite")
    code, _, err = command(capsys, "calibrate", "--out", out, "--trials", 1, "--replications", 1, "--months", 13)
    assert code == 2
    one_error_line(err)
    (out / "settings.json").unlink()  # a study without its settings: results without an identity
    before = listing(out)
    code, _, err = command(capsys, "calibrate", "--out", out, "--trials", 1, "--replications", 1, "--months", 13)
    assert code == 2
    one_error_line(err, "without a manifest.json")
    assert listing(out) == before


# ---- edge cases are cases --------------------------------------------------------------------------------------
def test_a_baseline_only_experiment_runs_and_reports(tmp_path, capsys):
    spec = tmp_path / "base.toml"
    spec.write_text(TINY_TOML.split("[arms.sanctions]")[0])
    code, out_text, err = command(capsys, "experiment", spec, "--out", tmp_path / "out", "--workers", 1)
    assert code == 0, err
    assert "only a baseline" in out_text and (tmp_path / "out" / "report.html").is_file()


@pytest.mark.parametrize("months", [1, 3, 12])
def test_a_short_experiment_runs_and_reports(tmp_path, capsys, months):
    spec = tmp_path / "short.toml"
    spec.write_text(TINY_TOML.replace("months = 3", f"months = {months}"))
    code, _, err = command(capsys, "experiment", spec, "--out", tmp_path / "out", "--workers", 1)
    assert code == 0, err
    assert (tmp_path / "out" / "report.html").is_file()


@pytest.mark.parametrize("args", [["--months", "1", "--seed", "3"], ["--set", "inflow_new_claims_per_month_share=0",
                                                       "--set", "followup_months=12", "--months", "2"]])
def test_a_one_month_run_or_one_without_inflow_gets_its_report(tmp_path, capsys, args):
    code, _, err = command(capsys, "run", "--out", tmp_path / "run", "--set", "initial_stock=100", *args)
    assert code == 0, err
    assert (tmp_path / "run" / "report.html").is_file()


def test_a_new_run_replaces_the_report_of_the_run_before(tmp_path, capsys):
    out = tmp_path / "run"
    assert command(capsys, "run", "--out", out, "--set", "initial_stock=100", "--months", 2, "--quiet")[0] == 0
    assert (out / "report.html").is_file()
    assert command(capsys, "run", "--out", out, "--set", "initial_stock=100", "--months", 3, "--quiet",
                   "--no-plot")[0] == 0
    assert not (out / "report.html").exists() and not (out / "plots").exists()  # they showed the run before
    assert len(pd.read_parquet(out / "monthly.parquet")) == 3


def test_the_error_helpers_shorten_what_users_wrote():
    with pytest.raises(UserError) as exc:
        from labour_abm.core.params import resolve_parameters

        resolve_parameters({"k" * 10_000: 1})
    assert "kkk..." in str(exc.value) and "k" * 100 not in str(exc.value)


@pytest.mark.slow
def test_a_script_without_a_main_guard_is_told_what_is_wrong(tmp_path):
    """Spawned workers import the script that started the work: without a guard each would start
    it again. Each worker says why it stops, and the runs' failures point to the guard."""
    script = tmp_path / "no_guard.py"
    script.write_text(
        "from labour_abm import run_experiment\n"
        "r = run_experiment({'name': 'g', 'months': 3, 'replications': 2, 'parameters': {'initial_stock': 100},\n"
        "                    'arms': {'baseline': {}}}, out='out', workers=2, progress=False)\n"
        "print(len(r.failed), sorted(r.failed.values())[0])\n")
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert "put the call under `if __name__ == \"__main__\":`" in proc.stderr
    failed, why = proc.stdout.strip().split(" ", 1)
    assert failed == "2" and "no_guard.py: is the call under `if __name__ == \"__main__\":`?" in why
