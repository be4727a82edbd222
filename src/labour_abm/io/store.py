"""Results directories: their layout, their manifest, and how a command starts or resumes in one.

A run directory (``labour-abm run``, and every run of an experiment, sweep or validation)::

    manifest.json                       what ran: seed, every parameter, measures, versions
    monthly.parquet spells.parquet events.parquet    the run's tables (RUN_TABLES)
    outcomes.parquet                    its outcomes (runs of experiments and sweeps)
    spell_counts.parquet                what an experiment's summaries need of its spells (runs of
                                        experiments; with keep = "summary", the default, instead
                                        of spells and events: KEEP)

A study directory (``experiment``, ``sweep``, ``validate``)::

    manifest.json                       the study: its file, spec, seeds, status, sessions
    status.jsonl                        one line per finished or failed run
    runs/<key>/                         a run directory per run (key: ``arm/rN``, ``p000042/rN``)
    effects.* outcomes.parquet          (experiment) paired effects, every run's outcomes
    design.parquet points.*             (sweep) the design and the tidy table of outcomes
    report.html plots/ summaries/ sensitivity/    what ``labour-abm report`` draws

A calibration directory holds ``settings.json`` (its identity), ``study.db`` and its results.

What the store guarantees (docs/reliability.md, "The results store"):

- **Names.** Every name that becomes part of a path (an arm, a run key, a sweep point) is a
  plain name (:func:`safe_name`), and every path the store hands out lies inside the directory.
- **One writer.** A command holds an OS lock on the directory while it writes
  (:func:`held`); a second command on the same directory is refused in one line.
- **One kind.** A directory holds one kind of result (:data:`KINDS`); a command refuses a
  directory of another kind, or one with results but no manifest, unless told to start afresh.
- **Checked resume.** A run counts as finished only when its directory is complete (its
  manifest and tables readable) and was made with the same settings, code and data
  (:func:`run_problem`); a run made with other settings stops the command, a broken one is
  run again.

Workers write a run under a temporary name (:func:`temporary_run_dir`) and rename it into
place, so a run directory is there complete or not at all.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import UserError, short
from .files import atomic_write, output_directory, text_hash, write_json
from .provenance import git_state, versions

MANIFEST = "manifest.json"
STATUS = "status.jsonl"
RUNS = "runs"
RUN_TABLES = ("monthly", "spells", "events")
OUTCOMES = "outcomes"  # a run's outcomes table (experiments and sweeps), and an experiment's of all runs
SPELL_COUNTS = "spell_counts"  # counts of a run's spells that an experiment's summaries need
# the tables each run of an experiment keeps (besides its outcomes), by the experiment's `keep`
KEEP = {"summary": ("monthly", SPELL_COUNTS), "all": (*RUN_TABLES, SPELL_COUNTS)}
SCRIPT_GUARD = ("labour_abm: a worker process, while starting, ran the script that starts this work: put the call "
                "under `if __name__ == \"__main__\":` (local workers are spawned processes that import the script).")
TEMPORARY_MARK = ".tmp-"  # in the name of a run directory being written
KINDS = ("run", "experiment", "sweep", "validation", "calibration", "trial", "ensemble")
# what the commands write at the top of a results directory: recognised as results, and what
# starting afresh removes (nothing else in the directory is touched)
RESULT_ENTRIES = (
    MANIFEST, STATUS, RUNS, *(f"{t}.parquet" for t in (*RUN_TABLES, OUTCOMES, "effects", "design", "points")),
    "effects.csv", "costs.csv", "points.csv", "report.html", "overview.png", "plots", "summaries", "sensitivity",
    "analysis", "scorecard.csv", "scorecard.png", "scorecard.svg", "statistics.csv", "settings.json", "study.db",
    "calibrated.toml", "fit.csv", "fit.png", "fit.svg", "trials.csv", "trial_estimates.parquet", "trial_truth.parquet",
    "trial_summary.csv", "trial.toml", "ensemble.csv", "coverage.csv",
)
# what is drawn or computed from a directory's results (a run's, when a new run replaces them)
DERIVED = ("report.html", "overview.png", "plots", "summaries", "analysis", "sensitivity")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,98}[A-Za-z0-9_-]|[A-Za-z0-9]")  # Windows drops a final '.'
# names Windows keeps for devices (with any extension): results are often copied to a shared drive
_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"{port}{i}" for port in ("COM", "LPT") for i in range(1, 10))}


def safe_name(name: str, what: str) -> str:
    """``name`` if it can be one part of a path in a results directory: letters, digits, ``_``,
    ``-`` and ``.``, starting with a letter or digit, not ending in ``.``, at most 100 characters,
    not a Windows device name. Anything else (an empty name, ``..``, a ``/``, an absolute path)
    raises ValueError naming ``what``."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"{what} {short(name)} is not a plain name: use letters, digits, '_', '-' and '.', "
                         "starting with a letter or digit and not ending in '.', at most 100 characters (it "
                         "becomes a directory name)")
    if name.split(".")[0].upper() in _DEVICES:
        raise ValueError(f"{what} {short(name)} is a device name on Windows, where results are often copied; "
                         "choose another")
    return name


def inside(directory: Path, *parts: str) -> Path:
    """``directory/parts...``, refused unless it lies inside ``directory`` (whatever the parts hold)."""
    path = Path(directory).joinpath(*parts)
    if not path.resolve().is_relative_to(Path(directory).resolve()):
        raise ValueError(f"{'/'.join(parts)!r} would lie outside {directory}")
    return path


def table_path(directory: Path, name: str) -> Path:
    """``<directory>/<name>.parquet``: a run's table, or a study's (effects, outcomes, design, points)."""
    return Path(directory) / f"{name}.parquet"


def write_table(frame, path: Path) -> None:
    """Write a results table (a pandas DataFrame) as Parquet at ``path``, atomically: the one
    place that decides how tables are written, so that `labour-abm reproduce` can compare a
    rerun's bytes with the recorded ones.

    A table whose columns are plain numbers and text reads back the same without the Arrow
    schema pyarrow stores beside the data (with pandas' metadata inside it, and again beside it):
    it is left out there, which is much of a small table's file (about half of a run's monthly
    table). Other tables (categories, nullable integers, strings with missing values) keep it."""
    atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False, store_schema=_needs_schema(frame)))


def _needs_schema(frame) -> bool:
    import numpy as np
    import pandas as pd

    text = pd.Series(["x"]).dtype  # what text reads back as: object (pandas 2) or str (pandas 3)
    return not all((isinstance(d, np.dtype) and d.kind in "biuf") or d == text for d in frame.dtypes)


def run_dir(out: Path, key: str) -> Path:
    """The directory of the run ``key`` (``name/rN``, each part a plain name) of a study in ``out``."""
    parts = key.split("/")
    for part in parts:
        safe_name(part, "run key part")
    return inside(Path(out) / RUNS, *parts)


def is_finished(out: Path, key: str) -> bool:
    return run_dir(out, key).is_dir()


def has_runs(directory: Path) -> bool:
    """Whether ``directory`` is a study's (with runs under ``runs/``) rather than one run's."""
    return (Path(directory) / RUNS).is_dir()


def temporary_run_dir(out: Path, key: str) -> Path:
    """A fresh name beside the run's final directory, to write it under before renaming it into place."""
    final = run_dir(out, key)
    return final.parent / f".{final.name}{TEMPORARY_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}"


def stale_temporaries(out: Path) -> list[Path]:
    """Run directories an interrupted worker left half written."""
    return list(Path(out).glob(f"{RUNS}/**/.*{TEMPORARY_MARK}*"))


def finished_run_keys(directory: Path) -> list[str]:
    """Keys of the finished runs of a study (each has its manifest), in no particular order."""
    runs = Path(directory) / RUNS
    return [str(p.parent.relative_to(runs)) for p in runs.glob(f"**/{MANIFEST}")
            if not any(part.startswith(".") for part in p.parent.relative_to(directory).parts)]


def kind_of(directory: Path) -> str | None:
    """What a directory holds: one of :data:`KINDS`, ``"unknown"`` (results without a readable
    manifest, or a manifest of no known kind), or None (nothing of ours: empty, or other files)."""
    directory = Path(directory)
    manifest_path = directory / MANIFEST
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "unknown"
        if not isinstance(manifest, dict):
            return "unknown"
        if manifest.get("kind") in KINDS:
            return manifest["kind"]
        for kind in ("experiment", "sweep", "validation"):  # manifests written before "kind" was recorded
            if kind in manifest and "spec" in manifest:
                return kind
        return "run" if {"seed", "parameters"} <= set(manifest) else "unknown"
    if (directory / "settings.json").is_file():
        return "calibration"
    if any((directory / entry).exists() for entry in RESULT_ENTRIES):
        return "unknown"
    return None


def _describe(kind: str) -> str:
    if kind == "unknown":
        return "results without a manifest.json it can read"
    return f"the results of {'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def claim(out: Path, kind: str, fresh: bool = False) -> None:
    """Refuse ``out`` unless it is empty of results or holds a ``kind``; with ``fresh``, remove
    what an earlier command of the same kind (or a half-written one) left, to start again."""
    found = kind_of(out)
    if found is None or (found == kind and not fresh):
        return
    if found not in (kind, "unknown"):
        raise UserError(f"--out {out}: holds {_describe(found)}; choose another --out (a directory holds one kind of "
                        "result).")
    if not fresh:
        raise UserError(f"--out {out}: holds {_describe(found)}; choose another --out, or add --fresh to replace "
                        "them.")
    clear(out, RESULT_ENTRIES)


@contextlib.contextmanager
def held(out: Path, kind: str, fresh: bool = False) -> Iterator[Path]:
    """``out`` made (if need be), checked to be writable, locked for this command and claimed
    for a ``kind`` (:func:`claim`); the lock is released on leaving, and by the OS if the process
    dies. Yields the directory."""
    # A local worker is a spawned process that first imports the script that started the work:
    # without a __main__ guard, the script would start the same work again in every worker (the
    # flag is the one multiprocessing itself checks for this mistake).
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise RuntimeError(SCRIPT_GUARD)
    out = output_directory(out)
    with locked(out):
        claim(out, kind, fresh)
        yield out


def clear(directory: Path, entries: tuple[str, ...]) -> None:
    """Remove those of ``entries`` (names in ``directory``) that exist."""
    for entry in entries:
        path = Path(directory) / entry
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """An exclusive OS lock (flock) on the directory ``out`` itself, so nothing is written to take
    it; another holder is a UserError. Local to one machine (a lock on a network filesystem may
    not be seen by other machines); on systems without flock (Windows) nothing is locked."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux or macOS
        yield
        return
    try:
        fd = os.open(out, os.O_RDONLY)
    except OSError as exc:
        raise UserError(f"--out {out}: cannot be locked ({exc.strerror or exc}).") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"--out {out}: in use by another labour-abm command (it holds the directory's lock); wait "
                            "for it to finish or choose another --out.") from None
        yield
    finally:
        os.close(fd)  # releases the lock


def run_problem(directory: Path, settings_hash: str, tables: tuple[str, ...]) -> str | None:
    """Why the finished run in ``directory`` cannot be trusted, or None: ``"stale: ..."`` when it
    was made with other settings (or by a version that recorded none), ``"broken: ..."`` when a
    file is missing or unreadable (its outcomes, or one of the ``tables`` it was to keep)."""
    try:
        manifest = json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "broken: manifest.json missing or unreadable"
    if not isinstance(manifest, dict):
        return "broken: manifest.json is not an object"
    recorded = manifest.get("settings_hash")
    if recorded != settings_hash:
        return ("stale: made by a version of labour-abm that did not record its settings" if recorded is None
                else "stale: made with other settings, code or data")
    import pyarrow.parquet as pq

    for name in (*tables, OUTCOMES):
        try:
            pq.read_metadata(table_path(directory, name))
        except Exception as exc:  # noqa: BLE001 - missing, truncated or not Parquet at all
            return f"broken: {name}.parquet missing or unreadable ({type(exc).__name__})"
    return None


def read_table(path: Path, **options):
    """A Parquet table of a results directory (``options`` as pandas.read_parquet takes them); a
    missing, truncated or foreign file is a UserError naming it, not a traceback."""
    import pandas as pd

    try:
        return pd.read_parquet(path, **options)
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors for a broken file are many
        what = "missing" if not Path(path).exists() else f"unreadable ({type(exc).__name__})"
        raise UserError(f"{path}: {what}; run the command that wrote it again (with --fresh if it refuses).") from None


def read_manifest(directory, wrote_it: str) -> dict:
    """The ``manifest.json`` of a results directory, or a UserError saying what is wrong with it
    (``wrote_it``: the commands that write such a directory)."""
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise UserError(f"{directory}: no manifest.json here; give a directory that {wrote_it} wrote.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UserError(f"{path}: unreadable ({err.strerror or err}).") from None
    except ValueError as err:  # broken JSON or not UTF-8
        raise UserError(f"{path}: not valid JSON ({err}).") from None
    if not isinstance(manifest, dict):
        raise UserError(f"{path}: not a JSON object.")
    return manifest


SESSION_KEYS = ("version", "git_commit", "git_dirty", "python", "executor", "status", "runs_done_now", "timings_s")


def start_output(out: Path, kind: str, name: str, spec: dict, text: str, workers: int | None,
                 scheduler: str | None, may_change: tuple[str, ...] = (), **extra) -> dict[str, Any]:
    """Check that ``out`` (held by this command: :func:`held`) is new or holds this same
    experiment or sweep (then it resumes), and write its manifest with status "running".
    Returns the manifest to complete at the end.

    Settings named in ``may_change`` may differ from the earlier session's (e.g. an experiment's
    replications: run r keeps its seed, so more replications add runs and fewer use a subset)."""
    spec_hash = text_hash(json.dumps(spec, sort_keys=True, default=str))
    manifest_path = Path(out) / MANIFEST
    earlier: list[dict[str, Any]] = []
    if manifest_path.exists():
        try:
            previous = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UserError(f"--out {out}: its manifest.json cannot be read ({exc}); choose another --out or "
                            "remove it.") from None
        if not isinstance(previous, dict):
            raise UserError(f"--out {out}: its manifest.json is not a labour-abm manifest; choose another --out or "
                            "remove it.")
        old_spec = previous.get("spec") or {}
        differ = sorted(k for k in set(spec) | set(old_spec) if spec.get(k) != old_spec.get(k))
        if previous.get("spec_hash") != spec_hash and not (old_spec and set(differ) <= set(may_change)):
            what = f"other settings of {', '.join(differ)}" if differ else "other settings"
            raise UserError(f"--out {out}: holds the results of the {kind} {short(previous.get(kind))} with {what}; "
                            "choose another --out, or add --fresh to replace them.")
        # this command adds to (or only re-reads) runs made earlier: keep who made them
        earlier = previous.get("earlier_sessions", []) + [{k: previous.get(k) for k in SESSION_KEYS}]
    executor = f"dask:{scheduler}" if scheduler else f"local processes x {workers or os.cpu_count() or 1}"
    current = versions()
    manifest: dict[str, Any] = {
        "kind": kind, kind: name, "package": "labour_abm", "version": current["version"], **git_state(),
        "python": current["python"], "spec_hash": spec_hash, "file_sha256": text_hash(text),
        f"{kind}_file": text, "spec": spec, **extra, "executor": executor,
    }
    if earlier:
        manifest["earlier_sessions"] = earlier
    write_json(manifest_path, {**manifest, "status": "running"})
    return manifest
