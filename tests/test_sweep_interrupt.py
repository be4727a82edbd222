"""A sweep survives its driver being killed (kill -9) at several points and a Dask worker being
killed mid-run: the final table equals that of an uninterrupted sweep, and no finished run is
executed twice."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from labour_abm.experiments.sweep import run_sweep
from tests.kill_points import kill_points, report, start, wait_for

SPEC = {
    "name": "interrupted", "months": 24, "replications": 2, "seed": 5,
    "parameters": {"initial_stock": 700},
    "measures": [{"name": "sanctions"}],
    "compare_to_baseline": True,
    "design": "grid",
    "vary": {
        "sanctions.detection_share": {"values": [0.0, 0.1]},
        "hire_probability_per_application": {"values": [0.05, 0.06, 0.07, 0.08]},
    },
}
RUNS = 8 * 2 + 4 * 2  # points x replications + one baseline per hire probability x replications

pytestmark = pytest.mark.slow  # kills processes and starts Dask clusters


def toml_text(spec: dict) -> str:
    lines = [f'name = "{spec["name"]}"', f'months = {spec["months"]}', f'replications = {spec["replications"]}',
             f'seed = {spec["seed"]}', "parameters = { initial_stock = 700 }", 'measures = [{ name = "sanctions" }]',
             "compare_to_baseline = true", 'design = "grid"']
    for key, v in spec["vary"].items():
        lines += [f'[vary."{key}"]', f"values = {v['values']}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return run_sweep(SPEC, out=tmp_path_factory.mktemp("ref") / "out", workers=1, progress=False)


def finished(out: Path) -> set[str]:
    runs = out / "runs"
    return {f"{d.parent.name}/{d.name}" for d in runs.glob("*/r*") if d.is_dir()} if runs.exists() else set()


def status_lines(out: Path) -> list[dict]:
    path = out / "status.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups")
def test_a_sweep_killed_at_several_points_resumes_to_the_same_table(reference, tmp_path, capsys):
    spec_file, out = tmp_path / "s.toml", tmp_path / "out"
    spec_file.write_text(toml_text(SPEC))
    command = [sys.executable, "-m", "labour_abm.ui.cli", "sweep", str(spec_file), "--out", str(out), "--workers", "2",
               "--quiet", "--no-plot"]
    env = {k: v for k, v in os.environ.items() if k != "LABOUR_ABM_INJECT_FAILURE"}
    kills, ended = [], False
    for at_least, then in kill_points(RUNS, (2, 9, 16)):
        proc = start(command, env)
        if wait_for(proc, lambda: finished(out), at_least, then):
            os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers, as kill -9 of the whole job would
            kills.append(len(finished(out)))
        else:
            ended = True  # it finished before this kill point (a late random point)
        proc.wait()
    assert kills and kills[0] < RUNS, f"no kill came before the sweep had finished ({kills})"
    assert ended or kills[-1] == RUNS or not (out / "points.parquet").exists(), "a killed sweep wrote its table"
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert finished(out) == finished(reference.out)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "points.parquet"),
                                  pd.read_parquet(reference.out / "points.parquet"))
    # a run that finished just before the kill may lack its status line, but none ran twice
    runs_done = [s["run"] for s in status_lines(out) if s["status"] == "done"]
    assert len(runs_done) == len(set(runs_done)), "a finished run was executed twice"
    assert not list(out.glob("runs/*/.r*")), "temporary run directories left behind"
    with capsys.disabled():
        report("sweep", kills, RUNS)


def test_a_dask_worker_killed_mid_sweep_is_replaced_and_the_table_is_the_same(reference, tmp_path):
    from dask.distributed import LocalCluster

    out = tmp_path / "dask"
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0",
                      silence_logs=logging.CRITICAL) as cluster:
        result = {}
        thread = threading.Thread(target=lambda: result.setdefault(
            "r", run_sweep(SPEC, out=out, scheduler=cluster.scheduler_address, progress=False)))
        thread.start()
        deadline = time.monotonic() + 120
        while len(finished(out)) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        nanny = next(iter(cluster.workers.values()))
        os.kill(nanny.process.process.pid, signal.SIGKILL)  # the worker process, mid-run
        killed_at = len(finished(out))
        thread.join(timeout=300)
    assert killed_at < RUNS, "the worker was killed after the sweep had finished"
    assert "r" in result and not result["r"].failed, result
    pd.testing.assert_frame_equal(pd.read_parquet(out / "points.parquet"),
                                  pd.read_parquet(reference.out / "points.parquet"))
    runs_done = [s["run"] for s in status_lines(out) if s["status"] == "done"]
    assert len(runs_done) == len(set(runs_done)) == RUNS


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups and /proc")
def test_ctrl_c_stops_the_workers_and_the_sweep_resumes(reference, tmp_path):
    spec_file, out = tmp_path / "s.toml", tmp_path / "out"
    spec_file.write_text(toml_text(SPEC))
    command = [sys.executable, "-m", "labour_abm.ui.cli", "sweep", str(spec_file), "--out", str(out), "--workers", "2",
               "--quiet", "--no-plot"]
    # a shell's background job (as CI may be) starts with SIGINT ignored; a terminal's command does not
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while len(finished(out)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGINT)  # the driver alone, as Ctrl-C in a terminal reaches it first
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the sweep did not stop within 20 s of Ctrl-C")
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    time.sleep(1.0)
    stopped_at = finished(out)
    time.sleep(1.0)
    assert finished(out) == stopped_at, "workers went on running after Ctrl-C"
    assert len(stopped_at) < RUNS
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(out / "points.parquet"),
                                  pd.read_parquet(reference.out / "points.parquet"))


def test_a_task_run_again_after_its_run_finished_keeps_the_finished_run(tmp_path, monkeypatch):
    """Dask re-runs a task whose result died with a worker, though the run's directory may already
    be in place; the second execution must report done, not fail on the existing directory."""
    import labour_abm.experiments.run
    from labour_abm.experiments.runner import Task, run_task

    task = Task("arm/r0", 3, "nijmegen", [], {"months": 3, "initial_stock": 200}, {})
    final = tmp_path / "runs" / "arm" / "r0"
    real_simulate = labour_abm.experiments.run.simulate

    def finished_elsewhere_meanwhile(*args, **kwargs):
        result = real_simulate(*args, **kwargs)
        final.mkdir(parents=True)
        (final / "from-the-first-execution").touch()
        return result

    monkeypatch.setattr(labour_abm.experiments.run, "simulate", finished_elsewhere_meanwhile)
    status = run_task(task, str(tmp_path))
    assert status["status"] == "done", status.get("traceback")
    assert (final / "from-the-first-execution").exists()
    assert not list(final.parent.glob(".r0.tmp-*")), "temporary run directory left behind"
    monkeypatch.setattr(labour_abm.experiments.run, "simulate", lambda *a, **k: pytest.fail("a finished run ran again"))
    assert run_task(task, str(tmp_path))["status"] == "done"
