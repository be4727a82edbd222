"""Experiments: pairing, executors, resume after a kill, failed runs, strict files, outcomes, effects, API.

Every experiment here is tiny (1,000 recipients, 24 months, 3 replications) so the file runs in
seconds. One uninterrupted reference run (1 worker, in-process) is shared: the other executors,
the resumed run and the retried run must reproduce its Parquet files byte for byte.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from labour_abm.analysis.effects import COLUMNS, paired_effects
from labour_abm.analysis.outcomes import GROUPS, horizons, run_outcomes
from labour_abm.errors import UserError
from labour_abm.experiments.experiment import ExperimentResult, load, run_experiment, tasks_of
from labour_abm.experiments.runner import FAIL_ENV
from labour_abm.ui import cli
from tests.kill_points import kill_points, live_members, report, start, wait_for

matplotlib.use("Agg")

SPEC_TOML = """\
name = "tiny_check"
description = "Identical arms, a zero-effect measure and one real measure, tiny."
preset = "nijmegen"
months = 24
replications = 3
seed = 11
parameters = { initial_stock = 1000 }
keep = "all"  # the tests look inside the runs (the default keeps a summary: tests/test_run_tables.py)

[arms.baseline]

[arms.same]

[arms.zero_sanctions]
measures = [{ name = "sanctions", parameters = { detection_share = 0.03, enforcement_fte_per_1000_recipients = 0.0 } }]

[arms.personal_approach]
measures = [{ name = "personal_approach" }]
"""
SPEC = tomllib.loads(SPEC_TOML)
IDENTICAL_ARMS = ("same", "zero_sanctions")
TABLES = ("monthly.parquet", "spells.parquet", "events.parquet", "spell_counts.parquet")
RUN_KEYS = [f"{arm}/r{r}" for r in range(SPEC["replications"]) for arm in SPEC["arms"]]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> ExperimentResult:
    """The uninterrupted run every other way of running must reproduce (1 worker, no subprocesses)."""
    return run_experiment(SPEC, out=tmp_path_factory.mktemp("reference") / "out", workers=1, progress=False)


@pytest.fixture
def spec_file(tmp_path) -> Path:
    path = tmp_path / "tiny_check.toml"
    path.write_text(SPEC_TOML)
    return path


def experiment_cli(*args, env=None, **kwargs):
    return subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "experiment", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=180, **kwargs)


def clean_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop(FAIL_ENV, None)
    return env


def read_status(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "status.jsonl").read_text().splitlines() if line.strip()]


def finished_runs(out: Path) -> set[str]:
    return {f"{d.parent.name}/{d.name}" for d in out.glob("runs/*/r*") if d.is_dir()}


def assert_same_results(out: Path, ref: Path) -> None:
    """effects.parquet and every run's tables (TABLES) byte-identical to the reference."""
    assert finished_runs(out) == finished_runs(ref) == set(RUN_KEYS)
    assert (out / "effects.parquet").read_bytes() == (ref / "effects.parquet").read_bytes(), "effects.parquet differs"
    for key in RUN_KEYS:
        for table in TABLES:
            assert (out / "runs" / key / table).read_bytes() == (ref / "runs" / key / table).read_bytes(), \
                f"{key}/{table} differs"


# ---- pairing ---------------------------------------------------------------------------------------------------


def test_reference_run_is_complete(reference):
    assert not reference.failed
    assert sorted(reference.report.done) == sorted(RUN_KEYS)
    manifest = json.loads((reference.out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs"] == len(RUN_KEYS)
    assert manifest["seeds"] == [11, 12, 13]


@pytest.mark.parametrize("arm", IDENTICAL_ARMS)
def test_identical_arms_give_exactly_zero_with_zero_width_ci(reference, arm):
    e = reference.effects
    real = e[e["arm"] == "personal_approach"]
    rows = e[e["arm"] == arm]
    # every outcome / horizon / group of a real arm is there for the identical arm too
    key = ["outcome", "horizon_months", "group"]
    assert sorted(map(tuple, rows[key].to_numpy())) == sorted(map(tuple, real[key].to_numpy()))
    assert set(rows["horizon_months"]) == {12, 24}
    assert len(set(rows["group"])) > 5
    assert (rows["n_replications"] == 3).all()
    ratio = rows["outcome"].str.startswith("cost_per_extra_durable_outcome_")
    assert ratio.sum() == 2  # gross and net, at 24 months (the costs of the first 12)
    displacement = rows["outcome"] == "displacement_share"
    assert displacement.sum() == 2  # at 12 and 24 months
    # no extra durable outcomes and no extra jobs, so no cost per extra durable outcome and no displacement
    ratio |= displacement
    assert rows.loc[ratio, ["effect_mean", "ci_low", "ci_high"]].isna().all().all()
    rest = rows[~ratio]
    for col in ("effect_mean", "ci_low", "ci_high"):
        assert (rest[col] == 0.0).all(), rest.loc[rest[col] != 0.0, key + [col]]
    assert (rest["arm_mean"] == rest["baseline_mean"]).all()
    # the comparison is not vacuous: the real measure does change something
    assert (real["effect_mean"].fillna(0) != 0).any()


@pytest.mark.parametrize("arm", IDENTICAL_ARMS)
def test_identical_arms_run_the_same_people_with_the_same_seed(reference, arm):
    """Common random numbers: replication r of every arm uses the same seed, so identical arms
    write the same spells and events as the baseline (and the same monthly table without a measure)."""
    for r in range(3):
        base, run = reference.out / "runs" / "baseline" / f"r{r}", reference.out / "runs" / arm / f"r{r}"
        assert json.loads((run / "manifest.json").read_text())["seed"] == 11 + r
        assert json.loads((base / "manifest.json").read_text())["seed"] == 11 + r
        tables = TABLES if arm == "same" else TABLES[1:]
        for table in tables:
            assert (run / table).read_bytes() == (base / table).read_bytes(), f"{arm}/r{r}/{table}"
        assert (run / "outcomes.parquet").read_bytes() == (base / "outcomes.parquet").read_bytes()


def test_tasks_pair_replications_across_arms():
    spec, _ = load(SPEC)
    tasks = tasks_of(spec)
    assert len(tasks) == 12
    for r, seed in enumerate((11, 12, 13)):
        assert {t.arm for t in tasks if t.replication == r and t.seed == seed} == set(SPEC["arms"])
    listed, _ = load({**SPEC, "seeds": [5, 9]})
    assert sorted({(t.replication, t.seed) for t in tasks_of(listed)}) == [(0, 5), (1, 9)]


# ---- executors -------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_local_workers_reproduce_one_worker(reference, tmp_path):
    result = run_experiment(SPEC, out=tmp_path / "out", workers=2, progress=False)
    assert not result.failed
    assert_same_results(result.out, reference.out)
    pd.testing.assert_frame_equal(result.effects, reference.effects)


@pytest.mark.slow
def test_dask_local_cluster_reproduces_one_worker(reference, tmp_path):
    import logging

    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster:
        result = run_experiment(SPEC, out=tmp_path / "out", scheduler=cluster.scheduler_address, progress=False)
    assert not result.failed
    assert_same_results(result.out, reference.out)
    manifest = json.loads((result.out / "manifest.json").read_text())
    assert manifest["executor"].startswith("dask:")


# ---- interruption and resume -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def killed_experiment(tmp_path_factory) -> dict:
    """An experiment whose driver alone was killed (kill -9) at several points (random ones in the
    long mode), and what was seen at each kill: the runs finished by then, and worker processes
    still running 5 s later (and the runs they finished meanwhile). Shared by the two tests below,
    which each work from it alone (the kills are the slow part)."""
    folder = tmp_path_factory.mktemp("killed")
    spec_file = folder / "tiny_check.toml"
    spec_file.write_text(SPEC_TOML)
    out = folder / "out"
    command = [sys.executable, "-m", "labour_abm.ui.cli", "experiment", str(spec_file), "--out", str(out),
               "--workers", "2", "--quiet"]
    seen = {"spec_file": spec_file, "out": out, "kills": [], "live": [], "finished_after": []}
    for at_least, then in kill_points(len(RUN_KEYS), (2, 6, 9)):
        proc = start(command, clean_env())
        if not wait_for(proc, lambda: finished_runs(out), at_least, then):
            continue  # it finished before this kill point (a late random point)
        at_kill = finished_runs(out)
        os.kill(proc.pid, signal.SIGKILL)  # the driver, as `kill -9 PID` would
        proc.wait()
        # a worker still importing under load has no watchdog yet; it starts one when ready
        deadline = time.monotonic() + 5
        while live_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        live = live_members(proc.pid)
        if live:  # see test_worker_processes_do_not_outlive_a_killed_driver
            seen["live"] += live
            time.sleep(0.5)
            seen["finished_after"] += sorted(finished_runs(out) - at_kill)
            os.killpg(proc.pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while live_members(proc.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
        seen["kills"].append(len(at_kill))
    seen["before"] = finished_runs(out)
    return seen


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups and /proc")
def test_killed_experiment_resumes_to_identical_results(reference, killed_experiment, capsys):
    """After the kills, the same command with another worker count: every table identical to an
    uninterrupted run, no run executed twice."""
    out, kills, before = killed_experiment["out"], killed_experiment["kills"], killed_experiment["before"]
    assert kills and kills[0] < len(RUN_KEYS), f"no kill came before the experiment had finished ({kills})"
    lines_before = len(read_status(out))

    res = experiment_cli(killed_experiment["spec_file"], "--out", out, "--workers", "1", env=clean_env())
    assert res.returncode == 0, res.stderr
    assert f"{cli._runs(len(RUN_KEYS) - len(before))} done now, {len(before)} done before" in res.stdout
    assert_same_results(out, reference.out)
    assert not list(out.glob("runs/*/.r*")), "temporary run directories left behind"

    status = read_status(out)
    done = [s["run"] for s in status if s["status"] == "done"]
    assert len(done) == len(set(done)), f"a run was executed twice: {sorted(done)}"
    assert {s["run"] for s in status[lines_before:] if s["status"] == "done"} == set(RUN_KEYS) - before
    assert not {s["run"] for s in status[:lines_before]} & (set(RUN_KEYS) - before)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_done_before"] == len(before)
    with capsys.disabled():
        report("experiment", kills, len(RUN_KEYS))


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups and /proc")
def test_worker_processes_do_not_outlive_a_killed_driver(killed_experiment):
    assert killed_experiment["kills"], "no kill came before the experiment had finished"
    assert not killed_experiment["live"], (
        f"worker processes {killed_experiment['live']} still running 5 s after the driver was killed; "
        f"runs they finished meanwhile: {killed_experiment['finished_after']}")


# ---- failed runs -----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_failed_run_is_reported_and_retried_alone(reference, spec_file, tmp_path):
    out = tmp_path / "out"
    failing = "personal_approach/r1"
    res = experiment_cli(spec_file, "--out", out, "--workers", "2", "--quiet", env={**clean_env(), FAIL_ENV: failing})
    assert res.returncode == 1, res.stderr
    assert failing in res.stderr and "failed" in res.stderr
    assert "Traceback" not in res.stderr
    status = read_status(out)
    by_run = {s["run"]: s for s in status}
    assert set(by_run) == set(RUN_KEYS) and len(status) == len(RUN_KEYS)
    assert by_run[failing]["status"] == "failed"
    assert "Traceback" in by_run[failing]["traceback"] and "injected failure" in by_run[failing]["traceback"]
    assert all(s["status"] == "done" for k, s in by_run.items() if k != failing)
    assert finished_runs(out) == set(RUN_KEYS) - {failing}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "failed runs" and manifest["runs_failed"] == [failing]
    effects = pd.read_parquet(out / "effects.parquet")
    assert set(effects.loc[effects["arm"] == "personal_approach", "n_replications"]) == {2}  # paired where both ran
    assert set(effects.loc[effects["arm"] == "same", "n_replications"]) == {3}

    again = experiment_cli(spec_file, "--out", out, "--workers", "1", env=clean_env())
    assert again.returncode == 0, again.stderr
    assert f"1 run done now, {len(RUN_KEYS) - 1} done before, 0 failed" in again.stdout
    new = read_status(out)[len(status):]
    assert [(s["run"], s["status"]) for s in new] == [(failing, "done")]
    assert_same_results(out, reference.out)


# ---- strict validation -----------------------------------------------------------------------------------------

HEAD = 'name = "v"\nmonths = 12\nreplications = 2\nparameters = { initial_stock = 600 }\n'
ARMS = '[arms.baseline]\n[arms.a]\nmeasures = [{ name = "sanctions" }]\n'


def _sanctions(params: str) -> str:
    return HEAD + f'[arms.baseline]\n[arms.a]\nmeasures = [{{ name = "sanctions", parameters = {{ {params} }} }}]\n'


BAD_FILES = {
    "unknown top-level key": (HEAD + 'colour = "red"\n' + ARMS, ["colour"]),
    "unknown arm key": (HEAD + '[arms.baseline]\n[arms.a]\nmeasure = [{ name = "sanctions" }]\n', ["arms.a.measure"]),
    "unknown measure": (HEAD + '[arms.baseline]\n[arms.a]\nmeasures = [{ name = "sanctionz" }]\n',
                        ["arms.a", "sanctionz"]),
    "unknown measure parameter": (_sanctions("detection_shar = 0.2"), ["arms.a", "detection_shar"]),
    "measure parameter above its bound": (_sanctions("detection_share = 1.5"), ["arms.a", "detection_share"]),
    "measure parameter of the wrong type": (_sanctions('detection_share = "high"'), ["arms.a", "detection_share"]),
    "wrong type": (HEAD.replace("months = 12", 'months = "twelve"') + ARMS, ["months"]),
    "months = 0": (HEAD.replace("months = 12", "months = 0") + ARMS, ["months"]),
    "replications = 0": (HEAD.replace("replications = 2", "replications = 0") + ARMS, ["replications"]),
    "arm parameter out of range": (HEAD + "[arms.baseline]\n[arms.a]\nparameters = { disregard_share = 1.5 }\n",
                                   ["arms.a", "disregard_share"]),
    "unknown arm parameter": (HEAD + "[arms.baseline]\n[arms.a]\nparameters = { caseload_per_consultan = 9 }\n",
                              ["arms.a", "caseload_per_consultan"]),
    "missing baseline arm": (HEAD + "[arms.a]\n", ["arms", "baseline"]),
    "no arms": (HEAD, ["arms"]),
    "broken TOML": (HEAD + "[arms.baseline\n", ["TOML", "line 5"]),
    "unknown preset": (HEAD + 'preset = "atlantis"\n' + ARMS, ["preset", "atlantis"]),
    "unknown programme": (HEAD + '[arms.baseline]\n[arms.a]\nprogramme = "atlantis_plan"\n',
                          ["programme", "atlantis_plan"]),
    "target for an unknown arm": (HEAD + ARMS + '[target]\noutcome = "exits_to_work"\nby_month = 12\nvalue = 1\n'
                                  'arm = "nope"\n', ["target.arm", "nope"]),
    "target for the baseline": (HEAD + ARMS + '[target]\noutcome = "exits_to_work"\nby_month = 12\nvalue = 1\n'
                                'arm = "baseline"\n',
                                ["target.arm", "not an arm compared with the baseline"]),
    "target in the old form": (HEAD + ARMS + '[target]\noutcome = "exits_to_work"\nhorizon_months = 12\nvalue = 1\n',
                               ["target", "horizon_months is now by_month"]),
}


def _check_refused(path: Path, out: Path, stderr: str, must_name: list[str]) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("labour-abm: error:"), stderr
    assert str(path) in lines[0], f"does not name the file: {lines[0]}"
    for word in must_name:
        assert word in lines[0], f"does not name {word!r}: {lines[0]}"
    assert "Traceback" not in stderr
    assert not out.exists(), "--out was created for a refused file"


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_experiment_file_is_refused_with_one_line(case, tmp_path, capsys):
    text, must_name = BAD_FILES[case]
    path, out = tmp_path / "bad.toml", tmp_path / "out"
    path.write_text(text)
    code = cli.main(["experiment", str(path), "--out", str(out), "--quiet"])  # an exception here is a traceback
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert captured.out == ""
    _check_refused(path, out, captured.err, must_name)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["unknown top-level key", "measure parameter above its bound"])
def test_bad_experiment_file_exit_code_from_the_command(case, tmp_path):
    text, must_name = BAD_FILES[case]
    path, out = tmp_path / "bad.toml", tmp_path / "out"
    path.write_text(text)
    res = experiment_cli(path, "--out", out)
    assert res.returncode == 2, res.stderr
    _check_refused(path, out, res.stderr, must_name)


def test_missing_file_and_bad_workers_are_refused(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["experiment", str(tmp_path / "nope.toml"), "--out", str(out)]) == 2
    assert cli.main(["experiment", str(tmp_path / "nope.toml"), "--out", str(out), "--workers", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("labour-abm: error:") for line in err)
    assert "nope.toml" in err[0] and "--workers" in err[1]
    assert not out.exists()


def test_api_refuses_a_bad_spec_before_writing(tmp_path):
    bad = {**SPEC, "arms": {**SPEC["arms"], "a": {"measures": [{"name": "sanctions", "parameters": {"x": 1}}]}}}
    with pytest.raises(UserError, match="arms.a.*'x'"):
        run_experiment(bad, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_unknown_programme_names_its_arm(tmp_path, capsys):
    text, _ = BAD_FILES["unknown programme"]
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert cli.main(["experiment", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "arms.a" in capsys.readouterr().err


def test_boolean_for_an_integer_is_refused(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(HEAD.replace("months = 12", "months = true") + ARMS)
    with pytest.raises(UserError, match="months"):
        load(path)


def test_bad_key_in_a_measure_entry_gets_the_right_hint(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(HEAD + '[arms.baseline]\n[arms.a]\nmeasures = [{ name = "sanctions", params = {} }]\n')
    with pytest.raises(UserError) as info:
        load(path)
    message = str(info.value)
    assert "arms.a.measures.0.params" in message
    assert "Allowed in an arm" not in message and "name, parameters" in message


@pytest.mark.slow
def test_baseline_only_experiment_does_not_crash(tmp_path, capsys):
    path, out = tmp_path / "base.toml", tmp_path / "out"
    path.write_text(HEAD.replace("replications = 2", "replications = 1") + "[arms.baseline]\n")
    try:
        code = cli.main(["experiment", str(path), "--out", str(out), "--quiet", "--workers", "1"])
    except Exception as exc:  # noqa: BLE001 - a traceback for the user
        pytest.fail(f"traceback: {exc!r}")
    err = capsys.readouterr().err
    assert code == 0 or (code == 2 and err.startswith("labour-abm: error:") and not out.exists())


# ---- outcomes --------------------------------------------------------------------------------------------------


def _run_tables(reference, key: str):
    d = reference.out / "runs" / key
    return (pd.read_parquet(d / "monthly.parquet"), pd.read_parquet(d / "spells.parquet"),
            pd.read_parquet(d / "events.parquet"), pd.read_parquet(d / "outcomes.parquet"))


def test_horizons():
    assert horizons(24) == [12, 24]
    assert horizons(18) == [12, 18]
    assert horizons(48) == [12, 24, 36, 48]
    assert horizons(30) == [12, 18, 24, 30]  # 18: the costs of the months whose exits the durable outcomes at 30 count
    assert horizons(60) == [12, 24, 36, 48, 60]
    assert horizons(6) == [6]


@pytest.mark.parametrize("key", ["baseline/r0", "personal_approach/r2"])
def test_outcomes_follow_from_the_runs_own_tables(reference, key):
    monthly, spells, events, outcomes = _run_tables(reference, key)
    pd.testing.assert_frame_equal(run_outcomes(monthly, spells, events), outcomes)  # recomputable from the stored run
    assert set(outcomes["horizon_months"]) == {12, 24}
    end = spells["end_month"].to_numpy(dtype=float, na_value=np.inf)
    start = spells["start_month"].to_numpy()
    work = (spells["exit_reason"] == "work").to_numpy()
    for h in (12, 24):
        v = outcomes[(outcomes["horizon_months"] == h) & (outcomes["group"] == "all")].set_index("outcome")["value"]
        assert v["exits_to_work"] == monthly["exits_work"].iloc[:h].sum()
        assert v["exits_to_work"] == np.count_nonzero(work & (end <= h - 1))
        assert v["stock"] == monthly["stock"].iloc[h - 1]
        assert v["stock"] == np.count_nonzero((start <= h - 1) & (end > h - 1))
        assert v["benefit_months"] == monthly["stock"].iloc[:h].sum()
        assert v["recipients_with_earnings"] == monthly["recipients_with_earnings"].iloc[h - 1]
        assert v["benefit_spending_eur"] == pytest.approx(monthly["benefit_spending_eur"].iloc[:h].sum())
        assert v["measure_cost_eur"] == pytest.approx(monthly["measure_cost_eur"].iloc[:h].sum())
        assert v["public_cost_eur"] == pytest.approx(v["benefit_spending_eur"] + v["measure_cost_eur"])
        assert 0 <= v["durable_exits_12"] <= v["durable_exits_6"] <= v["exits_to_work"]
        for k in (6, 12):
            assert v[f"durable_exits_{k}"] == _durable_by_hand(spells, k, h)
    later = outcomes[(outcomes["horizon_months"] == 24) & (outcomes["group"] == "all")].set_index("outcome")["value"]
    assert later["durable_exits_12"] > 0  # a 24-month run observes exits of its first year for 12 months
    if key.startswith("baseline"):
        assert (outcomes.loc[outcomes["outcome"] == "measure_cost_eur", "value"] == 0).all()


def _durable_by_hand(spells: pd.DataFrame, k: int, h: int) -> int:
    """Exits to work by month h-1-k whose person starts no new spell within k months (observed by month h-1)."""
    starts: dict[int, list[int]] = {}
    for uid, s in zip(spells["uid"], spells["start_month"], strict=True):
        starts.setdefault(int(uid), []).append(int(s))
    n = 0
    for uid, end, reason in zip(spells["uid"], spells["end_month"], spells["exit_reason"], strict=True):
        if reason != "work" or pd.isna(end) or end > h - 1 - k:
            continue
        if not any(end < s <= end + k for s in starts[int(uid)]):
            n += 1
    return n


@pytest.mark.parametrize("outcome", ["exits_to_work", "stock", "durable_exits_12"])
def test_group_outcomes_add_up_to_all(reference, outcome):
    for key in ("baseline/r0", "personal_approach/r1"):
        *_, outcomes = _run_tables(reference, key)
        o = outcomes[outcomes["outcome"] == outcome]
        for h in (12, 24):
            at = o[o["horizon_months"] == h]
            total = at.loc[at["group"] == "all", "value"].item()
            for split in GROUPS:
                parts = at[at["group"].str.startswith(f"{split}:")]
                assert len(parts) >= 2, (split, parts)
                assert parts["value"].sum() == total, (key, outcome, h, split)


def test_group_benefit_months_add_up_to_all(reference):
    *_, outcomes = _run_tables(reference, "baseline/r0")
    o = outcomes[(outcomes["outcome"] == "benefit_months") & (outcomes["horizon_months"] == 24)]
    total = o.loc[o["group"] == "all", "value"].item()
    assert o[o["group"].str.startswith("debt:")]["value"].sum() == total


# ---- effects ---------------------------------------------------------------------------------------------------


def _synthetic(base: dict[str, list[float]], arm: dict[str, list[float]], group: str = "all") -> pd.DataFrame:
    rows = []
    for name, values in (("baseline", base), ("a", arm)):
        for outcome, vals in values.items():
            for r, v in enumerate(vals):
                rows.append({"arm": name, "replication": r, "seed": 100 + r, "outcome": outcome,
                             "horizon_months": 12, "group": group, "value": float(v)})
    return pd.DataFrame(rows)


def _t_interval(d: np.ndarray) -> tuple[float, float, float]:
    n = len(d)
    half = stats.t.ppf(0.975, n - 1) * np.std(d, ddof=1) / np.sqrt(n)
    return d.mean(), d.mean() - half, d.mean() + half


def test_paired_effects_mean_difference_and_t_interval():
    base = {"exits_to_work": [10, 12, 9, 15], "stock": [100, 104, 98, 101]}
    arm = {"exits_to_work": [13, 14, 12, 21], "stock": [97, 101, 99, 96]}
    out = paired_effects(_synthetic(base, arm))
    assert list(out.columns) == COLUMNS
    for outcome in base:
        row = out[(out["outcome"] == outcome) & (out["group"] == "all")].iloc[0]
        d = np.array(arm[outcome], float) - np.array(base[outcome], float)
        mean, low, high = _t_interval(d)
        assert row["arm"] == "a" and row["horizon_months"] == 12 and row["n_replications"] == 4
        assert row["effect_mean"] == pytest.approx(mean, abs=1e-12)
        assert row["baseline_mean"] == pytest.approx(np.mean(base[outcome]))
        assert row["arm_mean"] == pytest.approx(np.mean(arm[outcome]))
        assert row["ci_low"] == pytest.approx(low, rel=1e-12)
        assert row["ci_high"] == pytest.approx(high, rel=1e-12)
    exits = out[out["outcome"] == "exits_to_work"].iloc[0]
    assert exits["effect_mean"] == 3.5  # (3 + 2 + 3 + 6) / 4
    assert exits["ci_high"] - exits["ci_low"] == pytest.approx(2 * stats.t.ppf(0.975, 3) * np.std([3, 2, 3, 6], ddof=1)
                                                               / 2)


def test_one_replication_gives_no_interval():
    base = {"exits_to_work": [10], "public_cost_eur": [1000], "measure_cost_eur": [0]}
    arm = {"exits_to_work": [14], "public_cost_eur": [990], "measure_cost_eur": [20]}
    out = paired_effects(_synthetic(base, arm)).set_index("outcome")
    assert out.loc["exits_to_work", "effect_mean"] == 4.0
    assert out.loc["public_cost_eur", "effect_mean"] == -10.0  # arm minus baseline: a saving is negative
    assert (out["n_replications"] == 1).all()
    assert out[["ci_low", "ci_high"]].isna().all().all()


def test_identical_pairs_give_a_zero_width_interval():
    same = {"exits_to_work": [10, 12, 9], "stock": [7, 7, 7]}
    out = paired_effects(_synthetic(same, same))
    assert (out[["effect_mean", "ci_low", "ci_high"]] == 0).all().all()


def test_paired_effects_pairs_by_replication_and_group():
    base = _synthetic({"stock": [10, 20, 30]}, {"stock": [11, 22, 33]})
    grp = _synthetic({"stock": [1, 2, 3]}, {"stock": [1, 1, 1]}, group="debt:yes")
    shuffled = pd.concat([base, grp]).sample(frac=1, random_state=3)
    out = paired_effects(shuffled).set_index("group")
    assert out.loc["all", "effect_mean"] == pytest.approx(2.0)
    assert out.loc["debt:yes", "effect_mean"] == pytest.approx(-1.0)
    # a replication the arm lacks (a failed run) is left out of the pairs
    missing = base[~((base["arm"] == "a") & (base["replication"] == 2))]
    row = paired_effects(missing).iloc[0]
    assert row["n_replications"] == 2 and row["effect_mean"] == pytest.approx(1.5)
    assert row["baseline_mean"] == pytest.approx(15.0)


# ---- Python API ------------------------------------------------------------------------------------------------


def test_run_experiment_returns_effects_runs_and_a_plot(reference, tmp_path):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    assert isinstance(reference, ExperimentResult)
    assert list(reference.effects.columns) == COLUMNS
    assert set(reference.effects["arm"]) == {"same", "zero_sanctions", "personal_approach"}
    runs = reference.runs
    assert {"arm", "replication", "seed", "outcome", "horizon_months", "group", "value"} <= set(runs.columns)
    sizes = runs.groupby(["arm", "replication"]).size()
    assert len(sizes) == len(RUN_KEYS) and sizes.nunique() == 1  # one row set per run
    assert (runs["seed"] == 11 + runs["replication"]).all()
    for name in ("effects.csv", "effects.parquet", "outcomes.parquet", "manifest.json", "status.jsonl"):
        assert (reference.out / name).exists(), name
    pd.testing.assert_frame_equal(pd.read_parquet(reference.out / "effects.parquet"), reference.effects,
                                  check_dtype=False)

    fig = reference.plot()
    assert isinstance(fig, Figure)
    png = tmp_path / "effects.png"
    fig.savefig(png)
    plt.close(fig)
    assert png.stat().st_size > 5_000
    fig = reference.plot("exits_to_work", horizon=12, path=tmp_path / "exits.png")
    plt.close(fig)
    assert (tmp_path / "exits.png").stat().st_size > 5_000


def test_run_experiment_again_runs_nothing_and_refuses_another_experiment(reference):
    again = run_experiment(SPEC, out=reference.out, workers=1, progress=False)
    assert again.report.done == [] and sorted(again.report.skipped) == sorted(RUN_KEYS)
    pd.testing.assert_frame_equal(again.effects, reference.effects)
    manifest = json.loads((reference.out / "manifest.json").read_text())
    assert manifest["runs_done_now"] == 0 and manifest["earlier_sessions"][-1]["runs_done_now"] > 0
    with pytest.raises(UserError, match="the experiment 'tiny_check' with other settings of seed;"):
        run_experiment({**SPEC, "seed": 12}, out=reference.out, workers=1, progress=False)


def test_more_replications_extend_an_output_and_fewer_use_a_subset(reference, tmp_path):
    out = tmp_path / "grown"
    run_experiment({**SPEC, "replications": 2}, out=out, workers=1, progress=False)
    grown = run_experiment(SPEC, out=out, workers=1, progress=False)  # 3 replications: only r2 runs now
    assert sorted(grown.report.done) == sorted(k for k in RUN_KEYS if k.endswith("/r2"))
    pd.testing.assert_frame_equal(grown.effects, reference.effects)  # as if run with 3 from the start
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["spec"]["replications"] == 3 and len(manifest["earlier_sessions"]) == 1
    fewer = run_experiment({**SPEC, "replications": 1}, out=out, workers=1, progress=False)
    assert fewer.report.done == [] and set(fewer.effects["n_replications"]) == {1}
    assert set(fewer.runs["replication"]) == {0}
