"""Results directories: their layout, their manifest, and how a command starts or resumes in one.

A run directory (``labour-abm run``, and every run of an experiment, sweep or validation)::

    manifest.json                       what ran: seed, every parameter, measures, versions
    monthly.parquet spells.parquet events.parquet    the run's tables (RUN_TABLES)
    outcomes.parquet                    its outcomes (runs of experiments and sweeps)

A study directory (``experiment``, ``sweep``, ``validate``)::

    manifest.json                       the study: its file, spec, seeds, status, sessions
    status.jsonl                        one line per finished or failed run
    runs/<key>/                         a run directory per run (key: ``arm/rN``, ``p000042/rN``)
    effects.* outcomes.parquet          (experiment) paired effects, every run's outcomes
    design.parquet points.*             (sweep) the design and the tidy table of outcomes
    report.html plots/ summaries/ sensitivity/    what ``labour-abm report`` draws

A run is finished exactly when its directory under ``runs/`` exists: workers write it under a
temporary name (:func:`temporary_run_dir`) and rename it into place.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from ..errors import UserError
from .files import output_directory, text_hash, write_json
from .provenance import git_state, versions

MANIFEST = "manifest.json"
STATUS = "status.jsonl"
RUNS = "runs"
RUN_TABLES = ("monthly", "spells", "events")
OUTCOMES = "outcomes"  # a run's outcomes table (experiments and sweeps), and an experiment's of all runs
TEMPORARY_MARK = ".tmp-"  # in the name of a run directory being written


def table_path(directory: Path, name: str) -> Path:
    """``<directory>/<name>.parquet``: a run's table, or a study's (effects, outcomes, design, points)."""
    return Path(directory) / f"{name}.parquet"


def run_dir(out: Path, key: str) -> Path:
    """The directory of the run ``key`` of a study in ``out``."""
    return Path(out) / RUNS / key


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
    """Check that ``out`` is new or holds this same experiment or sweep (then it resumes), and
    write its manifest with status "running". Returns the manifest to complete at the end.

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
            raise UserError(f"--out {out}: holds the results of the {previous.get(kind) or 'another run'} {kind} "
                            f"with {what}; choose another --out or remove it.")
        # this command adds to (or only re-reads) runs made earlier: keep who made them
        earlier = previous.get("earlier_sessions", []) + [{k: previous.get(k) for k in SESSION_KEYS}]
    executor = f"dask:{scheduler}" if scheduler else f"local processes x {workers or os.cpu_count() or 1}"
    current = versions()
    manifest: dict[str, Any] = {
        kind: name, "package": "labour_abm", "version": current["version"], **git_state(),
        "python": current["python"], "spec_hash": spec_hash, "file_sha256": text_hash(text),
        f"{kind}_file": text, "spec": spec, **extra, "executor": executor,
    }
    if earlier:
        manifest["earlier_sessions"] = earlier
    output_directory(out)
    write_json(manifest_path, {**manifest, "status": "running"})
    return manifest
