"""Running many runs (an experiment's arms and replications, a sweep's points): each once, in
parallel, resumable.

Each run is one :class:`Task`: plain data saying what to build (preset, measures, parameter
overrides, seed) and where its directory goes (``runs/<key>/``). A worker builds the model,
runs it, and writes the directory atomically (a temporary directory renamed into place): the
tables the task keeps (an experiment's: io.store.KEEP; a sweep's: none, or those of
``labour-abm run``), the manifest, and ``outcomes.parquet``.
Its manifest records a hash of everything that decides it (:meth:`Task.settings`: seed,
preset data, measures, parameters, the code). Running the same command again after an
interruption executes only the missing runs; a run left broken is run again, and a run made
with other settings stops the command (io.store.run_problem). The driver appends one line per
finished or failed run to ``status.jsonl``, and shows the progress: a bar on a terminal, else a
plain line now and then (:class:`ProgressLines`).

Executors: local processes (``spawn``, so it works from scripts and notebooks; a worker the
OS kills costs only the runs it held, which are retried) or a Dask cluster (``--scheduler
ADDRESS``; workers must see the output directory at the same path). Results do not depend on
the executor or the number of workers: each run depends only on its task.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from ..analysis.outcomes import run_outcomes
from ..core import presets
from ..errors import UserError, short
from ..io import store
from ..io.provenance import code_fingerprint

# faults for tests of failure handling: "arm/r3" makes that run raise; "arm/r3" or "arm/r3@FILE" as DEATH_ENV
# makes the worker process running it die as if the OS killed it (always, or once: while FILE is absent)
FAIL_ENV = "LABOUR_ABM_INJECT_FAILURE"
DEATH_ENV = "LABOUR_ABM_INJECT_DEATH"


@dataclass(frozen=True)
class Task:
    """One run, as plain data a worker can rebuild it from."""

    key: str  # its directory under runs/, e.g. "baseline/r3" or "p00042/r1"
    seed: int
    preset: str
    measures: list[dict[str, Any]] = field(default_factory=list)  # [{"name": ..., "parameters": {...}}]
    overrides: dict[str, Any] = field(default_factory=dict)  # model parameters on top of the preset
    labels: dict[str, Any] = field(default_factory=dict)  # recorded in the run's manifest
    tables: tuple[str, ...] = store.RUN_TABLES  # tables the run keeps besides its outcomes (RunResult.table)
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

    def settings(self) -> dict[str, Any]:
        """What decides this run's results: the seed, the preset's data (not only its name), the
        measures and parameters, what is written, and the code (io.provenance.code_fingerprint)."""
        return {"seed": self.seed, "preset": self.preset, "preset_parameters": presets.preset_parameters(self.preset),
                "measures": self.measures, "overrides": self.overrides, "tables": self.tables, "groups": self.groups,
                "code": code_fingerprint()}

    def settings_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.settings(), sort_keys=True, default=str).encode()).hexdigest()[:16]


def _exit_with_parent(driver: int) -> None:
    """Worker initialiser: end this process when the driver dies (even by kill -9), so no orphan
    keeps writing runs that a resumed experiment is about to run again. ``driver`` is the
    driver's pid, passed in: a worker that starts slowly may only get here after the driver
    died, and its parent then is already another process. Ctrl-C is the driver's to handle (it
    stops the workers), so a worker ignores it rather than dying mid-protocol."""
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
        _inject_faults(task)
        from ..measures import make_measure
        from .run import simulate

        final = store.run_dir(out_dir, task.key)
        if final.is_dir():  # Dask re-runs a task whose result it lost with a killed worker
            return _done(task, t0)
        measures = [make_measure(m["name"], m["parameters"]) for m in task.measures]
        result = simulate(task.preset, seed=task.seed, measures=measures, **task.overrides)
        result.manifest.update(task.labels, settings_hash=task.settings_hash())
        tmp = store.temporary_run_dir(out_dir, task.key)
        try:
            result.write(tmp, task.tables)
            outcomes = run_outcomes(result.monthly, result.spells, result.events, groups=task.groups)
            store.write_table(outcomes, store.table_path(tmp, store.OUTCOMES))
            try:
                os.replace(tmp, final)  # the run is finished once its directory is in place
            except OSError:
                if not final.is_dir():
                    raise
                # Another execution of the same task finished first; runs are deterministic, keep that one.
        finally:
            shutil.rmtree(tmp, ignore_errors=True)  # nothing half-written stays (a full disk, a bug)
        return _done(task, t0)
    except Exception:  # noqa: BLE001 - a failed run is recorded and the others go on
        return _failed(task, t0, traceback.format_exc())


def _inject_faults(task: Task) -> None:
    if os.environ.get(FAIL_ENV) == task.key:
        raise RuntimeError(f"injected failure for {task.key} ({FAIL_ENV})")
    key, _, once = os.environ.get(DEATH_ENV, "").partition("@")
    if key == task.key and multiprocessing.parent_process() is not None and not (once and Path(once).exists()):
        if once:
            Path(once).touch()
        os.kill(os.getpid(), signal.SIGKILL)


def _done(task: Task, t0: float) -> dict:
    return {"run": task.key, "seed": task.seed, "status": "done", "seconds": round(time.perf_counter() - t0, 3)}


def _failed(task: Task, t0: float, why: str) -> dict:
    return {"run": task.key, "seed": task.seed, "status": "failed", "seconds": round(time.perf_counter() - t0, 3),
            "traceback": why}


@dataclass
class RunReport:
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    repaired: dict[str, str] = field(default_factory=dict)  # finished runs found broken, run again: why
    seconds: float = 0.0

    def manifest_entries(self, started: float) -> dict[str, Any]:
        """What a study's manifest records of this session's runs (``started``: perf_counter at its start)."""
        return {"status": "failed runs" if self.failed else "complete", "runs_done_now": len(self.done),
                "runs_done_before": len(self.skipped), "runs_failed": sorted(self.failed),
                "runs_repaired": sorted(self.repaired),
                "timings_s": {"runs": round(self.seconds, 2), "total": round(time.perf_counter() - started, 2)}}


def check_scheduler(address: str, timeout_s: float = 10.0) -> None:
    """A UserError unless a Dask scheduler answers at ``address`` within ``timeout_s`` seconds
    (checked before anything is written, so a typo costs seconds, not a half-started study)."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise UserError("--scheduler needs Dask: pip install 'labour_abm[dask]'.") from None
    try:
        with Client(address, timeout=timeout_s):
            pass
    except Exception as exc:  # noqa: BLE001 - a bad address or an unreachable host: the user's to fix
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(f"--scheduler {short(address)}: no Dask scheduler answered within {timeout_s:g} s "
                        f"({short(why)}); give its address as tcp://HOST:PORT.") from None


def run_all(tasks: list[Task], out: Path, workers: int | None = None, scheduler: str | None = None,
            progress: bool | None = None) -> RunReport:
    """Run the tasks of ``out`` (held by this command: io.store.held) that are not finished.

    A finished run is trusted only when it is complete and was made with the task's settings
    (io.store.run_problem): a broken one is removed and run again (``RunReport.repaired``), and
    one made with other settings is a UserError (start afresh to run them all again)."""
    out = Path(out).resolve()  # workers elsewhere (Dask) must not resolve it against their own directory
    _remove_temporaries(out)  # left by an interrupted run
    report = RunReport()
    stale = []
    for t in tasks:
        if store.is_finished(out, t.key):
            problem = store.run_problem(store.run_dir(out, t.key), t.settings_hash(), t.tables)
            if problem is None:
                report.skipped.append(t.key)
            elif problem.startswith("stale"):
                stale.append((t.key, problem))
            else:
                report.repaired[t.key] = problem
    if stale:
        key, why = stale[0]
        raise UserError(f"--out {out}: {len(stale)} of its finished runs cannot be resumed ({key}: "
                        f"{why.removeprefix('stale: ')}); add --fresh to run them all again, or choose another --out.")
    for key in report.repaired:
        shutil.rmtree(store.run_dir(out, key))
    todo = [t for t in tasks if t.key not in set(report.skipped)]
    for parent in {store.run_dir(out, t.key).parent for t in todo}:
        parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    bar = progress_bar(len(todo), progress)
    with open(out / store.STATUS, "ab") as log, closing(_execute(todo, str(out), workers, scheduler)) as statuses:
        for status in statuses:
            if status["status"] == "done" and not store.is_finished(out, status["run"]):
                status = {**status, "status": "failed", "traceback": (
                    f"the run finished, but its directory is not in {out} as this machine sees it: the Dask "
                    "workers must see the output directory at the same path (a shared filesystem)")}
            log.write((json.dumps(status) + "\n").encode())  # one write per line: whole lines or an error
            log.flush()
            if status["status"] == "done":
                report.done.append(status["run"])
            else:
                report.failed[status["run"]] = status["traceback"]
            bar.update(1)
    bar.close()
    _remove_temporaries(out)  # of workers that died writing (all runs are in by now)
    report.seconds = time.perf_counter() - t0
    return report


def _remove_temporaries(out: Path) -> None:
    for leftover in store.stale_temporaries(out):
        shutil.rmtree(leftover, ignore_errors=True)


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
    todo = list(tasks)
    for _ in range(POOL_TRIES):
        if not todo:
            return
        todo = yield from _on_a_pool(todo, out, workers)
    for task in todo:  # lost with a broken pool every time: one at a time, so a death is the run's own
        lost = yield from _on_a_pool([task], out, 1)
        if lost:
            yield _failed(task, time.perf_counter(), "its worker process died, also when it ran alone (killed by the "
                          "operating system, e.g. out of memory?)" + _script_hint())


def _script_hint() -> str:
    """Why workers die at once when started from a script (python script.py) without a guard."""
    main = sys.modules.get("__main__")
    if getattr(main, "__spec__", True) is None and getattr(main, "__file__", None):
        return (f"; or, started from {Path(main.__file__).name}: is the call under `if __name__ == \"__main__\":`? "
                "(workers import the script as they start)")
    return ""


POOL_TRIES = 2  # pools that runs share before the runs still lost with a dying worker get one each


def _on_a_pool(tasks: list[Task], out: str, workers: int):
    """Yield the status of each task run on a pool of ``workers`` processes; return the tasks lost
    because a worker died (the OS killed it: out of memory?), which breaks the whole pool."""
    pool, lost = worker_pool(workers), []
    try:
        futures = {pool.submit(run_task, t, out): t for t in tasks}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                try:
                    yield future.result()
                except BrokenProcessPool:
                    lost.append(futures[future])
    except BaseException:  # Ctrl-C (or the caller stopped): stop the workers now; finished runs are kept
        _stop(pool, out)
        raise
    pool.shutdown(wait=not lost)
    return lost


def worker_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_exit_with_parent,
                               initargs=(os.getpid(),))


def _stop(pool: ProcessPoolExecutor, out: str) -> None:
    """Stop the workers and remove what the runs they were writing left half written."""
    processes = list(getattr(pool, "_processes", {}).values())
    for process in processes:
        process.terminate()
    for process in processes:  # gone before their half-written directories are removed
        process.join(timeout=5)
    pool.shutdown(wait=False, cancel_futures=True)
    _remove_temporaries(Path(out))


def progress_bar(total: int, show: bool | None):
    """What shows the runs' progress (``update(n)``, ``close()``): nothing if ``show`` is False;
    else a bar on a terminal, or plain lines (:class:`ProgressLines`) where a bar's redrawn line
    would be lost or garble a log (output redirected to a file, CI)."""
    from tqdm import tqdm

    if show is False:
        return tqdm(total=total, disable=True)
    if sys.stderr.isatty() and not os.environ.get("CI"):
        return tqdm(total=total, unit="run", desc="runs", smoothing=0.1)
    return ProgressLines(total)


class ProgressLines:
    """Progress as plain lines on stderr: one as the runs start, then one each time a tenth of
    the runs more are done, but at most one every ``min_gap_s`` seconds and at least one every
    ``max_gap_s`` seconds while runs finish, and one at the end. A line says the runs done of
    all, the time since the start and an estimate of the time left (the pace so far)."""

    def __init__(self, total: int, min_gap_s: float = 30.0, max_gap_s: float = 300.0, clock=time.monotonic):
        self.total, self.done = total, 0
        self.min_gap_s, self.max_gap_s, self.clock = min_gap_s, max_gap_s, clock
        self.start = self.shown_at = clock()
        self.shown_done = 0
        if total:
            self._show("starting")

    def update(self, n: int = 1) -> None:
        self.done += n
        now = self.clock()
        since = now - self.shown_at
        step_done = self.done - self.shown_done >= self.total / 10
        if self.done >= self.total or (since >= self.min_gap_s and (step_done or since >= self.max_gap_s)):
            elapsed = now - self.start
            left = elapsed / self.done * (self.total - self.done)
            self._show(f"{duration_text(elapsed)} elapsed" + (f", about {duration_text(left)} left"
                                                                if self.done < self.total else ""))
            self.shown_at, self.shown_done = now, self.done

    def close(self) -> None:
        """Nothing to tidy up: every line is complete when printed."""

    def _show(self, what: str) -> None:
        print(f"labour-abm: runs {self.done}/{self.total} ({100 * self.done // self.total}%), {what}",
              file=sys.stderr, flush=True)


def duration_text(seconds: float) -> str:
    """``42s``, ``4m05s`` or ``1h02m``: a duration as people read it in a log."""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def run_jobs(fn, jobs: dict, workers: int | None = None, progress: bool | None = None) -> dict:
    """``{key: fn(*args)}`` for ``jobs`` (key -> args), on ``workers`` local processes, with a
    progress bar: for work whose results are small and need no store (a trial's worlds)."""
    bar = progress_bar(len(jobs), progress)
    done = {}
    try:
        if (workers or 1) == 1:
            for key, args in jobs.items():
                done[key] = fn(*args)
                bar.update(1)
            return done
        pool = worker_pool(workers)
        try:
            futures = {pool.submit(fn, *args): key for key, args in jobs.items()}
            for future in as_completed(futures):
                done[futures[future]] = future.result()
                bar.update(1)
        finally:
            pool.shutdown(cancel_futures=True)
        return done
    finally:
        bar.close()
