"""Running many runs (an experiment's arms and replications, a sweep's points): each once, in
parallel, resumable.

Each run is one :class:`Task`: plain data saying what to build (preset, measures, parameter
overrides, seed) and where its directory goes (``runs/<key>/``). A worker builds the model,
runs it, and writes the directory atomically (a temporary directory renamed into place): the
tables of ``labour-abm run`` (or, for a sweep, only the manifest), and ``outcomes.parquet``. A
run is finished exactly when its directory exists, so running the same command again after
an interruption executes only the missing runs. The driver appends one line per finished or
failed run to ``status.jsonl``.

Executors: local processes (``spawn``, so it works from scripts and notebooks) or a Dask
cluster (``--scheduler ADDRESS``; workers must see the output directory). Results do not
depend on the executor or the number of workers: each run depends only on its task.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from ..analysis.outcomes import run_outcomes
from ..io import store
from ..io.files import write_json

FAIL_ENV = "LABOUR_ABM_INJECT_FAILURE"  # "arm/r3": make that run raise (tests of failure handling)


@dataclass(frozen=True)
class Task:
    """One run, as plain data a worker can rebuild it from."""

    key: str  # its directory under runs/, e.g. "baseline/r3" or "p00042/r1"
    seed: int
    preset: str
    measures: list[dict[str, Any]] = field(default_factory=list)  # [{"name": ..., "parameters": {...}}]
    overrides: dict[str, Any] = field(default_factory=dict)  # model parameters on top of the preset
    labels: dict[str, Any] = field(default_factory=dict)  # recorded in the run's manifest
    tables: bool = True  # write monthly/spells/events (a sweep keeps only the outcomes)
    groups: bool = True  # outcomes by barrier group too

    @property
    def arm(self) -> str:
        return self.labels.get("arm", self.key.rsplit("/", 1)[0])

    @property
    def replication(self) -> int:
        return int(self.labels.get("replication", self.key.rsplit("/r", 1)[1]))

    def digest(self) -> str:
        """A short hash of everything that determines the run (for Dask task keys)."""
        text = json.dumps([self.key, self.seed, self.preset, self.measures, self.overrides, self.tables,
                           self.groups], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def _exit_with_parent(driver: int) -> None:
    """Worker initialiser: end this process when the driver dies (even by kill -9), so no orphan
    keeps writing runs that a resumed experiment is about to run again. ``driver`` is the
    driver's pid, passed in: a worker that starts slowly may only get here after the driver
    died, and its parent then is already another process. Ctrl-C is the driver's to handle (it
    stops the workers), so a worker ignores it rather than dying mid-protocol."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if os.getppid() != driver:
        os._exit(1)

    def watch():
        while True:
            time.sleep(0.5)
            if os.getppid() != driver:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def run_task(task: Task, out_dir: str) -> dict:
    """Run one task and write its directory; never raises (errors are returned)."""
    t0 = time.perf_counter()
    try:
        if os.environ.get(FAIL_ENV) == task.key:
            raise RuntimeError(f"injected failure for {task.key} ({FAIL_ENV})")
        from ..measures import make_measure
        from .run import simulate

        final = store.run_dir(out_dir, task.key)
        if final.is_dir():  # Dask re-runs a task whose result it lost with a killed worker
            return _done(task, t0)
        measures = [make_measure(m["name"], m["parameters"]) for m in task.measures]
        result = simulate(task.preset, seed=task.seed, measures=measures, **task.overrides)
        result.manifest.update(task.labels)
        tmp = store.temporary_run_dir(out_dir, task.key)
        shutil.rmtree(tmp, ignore_errors=True)
        if task.tables:
            result.write(tmp)
        else:
            tmp.mkdir(parents=True)
            write_json(tmp / store.MANIFEST, result.manifest)
        outcomes = run_outcomes(result.monthly, result.spells, groups=task.groups)
        outcomes.to_parquet(store.table_path(tmp, store.OUTCOMES), index=False)
        try:
            os.replace(tmp, final)  # the run is finished once its directory is in place
        except OSError:
            if not final.is_dir():
                raise
            # Another execution of the same task finished first; runs are deterministic, keep that one.
            shutil.rmtree(tmp, ignore_errors=True)
        return _done(task, t0)
    except Exception:  # noqa: BLE001 - a failed run is recorded and the others go on
        return {"run": task.key, "seed": task.seed, "status": "failed",
                "seconds": round(time.perf_counter() - t0, 3), "traceback": traceback.format_exc()}


def _done(task: Task, t0: float) -> dict:
    return {"run": task.key, "seed": task.seed, "status": "done", "seconds": round(time.perf_counter() - t0, 3)}


@dataclass
class RunReport:
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def run_all(tasks: list[Task], out: Path, workers: int | None = None, scheduler: str | None = None,
            progress: bool | None = None) -> RunReport:
    """Run the tasks whose directory is missing in ``out``; return what was done, skipped, failed."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in store.stale_temporaries(out):  # left by an interrupted run
        shutil.rmtree(stale, ignore_errors=True)
    todo = [t for t in tasks if not store.is_finished(out, t.key)]
    for parent in {store.run_dir(out, t.key).parent for t in todo}:
        parent.mkdir(parents=True, exist_ok=True)
    report = RunReport(skipped=[t.key for t in tasks if t not in todo])
    t0 = time.perf_counter()
    bar = _progress(len(todo), progress)
    with open(out / store.STATUS, "a", encoding="utf-8") as log:
        for status in _execute(todo, str(out), workers, scheduler):
            log.write(json.dumps(status) + "\n")
            log.flush()
            if status["status"] == "done":
                report.done.append(status["run"])
            else:
                report.failed[status["run"]] = status["traceback"]
            bar.update(1)
    bar.close()
    report.seconds = time.perf_counter() - t0
    return report


def _execute(tasks, out, workers, scheduler):
    """Yield each task's status as it finishes, on local processes or a Dask cluster."""
    if not tasks:
        return
    if scheduler:
        from dask.distributed import Client, as_completed

        with Client(scheduler) as client:
            futures = [client.submit(run_task, t, out, key=f"labour-abm-{t.key}-{t.digest()}", pure=False,
                                     retries=2) for t in tasks]
            for future in as_completed(futures):
                yield future.result()
        return
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        for t in tasks:
            yield run_task(t, out)
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_exit_with_parent,
                               initargs=(os.getpid(),))
    try:
        pending = {pool.submit(run_task, t, out) for t in tasks}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
    except BaseException:  # Ctrl-C (or the caller stopped): stop the workers now; finished runs are kept
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _progress(total: int, show: bool | None):
    from tqdm import tqdm

    if show is None:
        show = sys.stderr.isatty() and not os.environ.get("CI")
    return tqdm(total=total, unit="run", desc="runs", disable=not show, smoothing=0.1)
