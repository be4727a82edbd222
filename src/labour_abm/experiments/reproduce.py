"""Reproduce a recorded run from its manifest (``labour-abm reproduce DIR``).

A run's ``manifest.json`` records the seed, every parameter with the value used, the measures
with all their parameters, and the package, git commit and library versions. This module
rebuilds the run from it, runs it again and compares the fresh tables with the recorded ones,
exactly: those the run kept of ``monthly``, ``spells``, ``events``, ``spell_counts`` and
``outcomes`` (an experiment's runs keep no spells and events unless its ``keep`` is "all"). It
names the first table, column and row that differ, and warns when the recorded versions differ
from the ones installed now (which may explain a difference).

It works on a directory written by ``labour-abm run``, on one run of an experiment or a sweep
(``runs/<arm>/rN/``: its manifest is a run manifest), and on an experiment's or sweep's top
directory (one run, ``run="arm/rN"``, by default the first; or all of them).
"""

from __future__ import annotations

import filecmp
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import UserError
from ..io import store
from ..io.provenance import versions
from ..io.store import read_manifest

TABLES = (*store.RUN_TABLES, store.SPELL_COUNTS, store.OUTCOMES)
VERSION_KEYS = ("version", "python", "numpy", "pandas", "mesa")


@dataclass
class TableCheck:
    """One table compared: ``same`` exactly, else ``detail`` says where it first differs."""

    table: str
    same: bool
    detail: str = ""
    bytes_identical: bool = False


@dataclass
class Reproduction:
    """The outcome of rerunning one recorded run."""

    run_dir: Path
    key: str | None  # the run's key in an experiment or sweep (``arm/rN``), else None
    tables: list[TableCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def matches(self) -> bool:
        return bool(self.tables) and all(t.same for t in self.tables)

    def lines(self) -> list[str]:
        """What the command prints: a verdict, then one line per differing table."""
        which = str(self.run_dir)
        if self.key:  # runs/<key> of the experiment or sweep
            which = f"run {self.key} of {self.run_dir.parents[len(Path(self.key).parts)]}"
        names = ", ".join(t.table for t in self.tables)
        if self.matches:
            return [f"labour-abm: {which}: reproduced: {names} identical ({self.seconds:.2f} s)"]
        out = [f"labour-abm: {which}: DIFFERS from the recorded run ({self.seconds:.2f} s)"]
        for t in self.tables:
            out.append(f"  {t.table}: {'identical' if t.same else 'differs: ' + t.detail}")
        return out


def version_warnings(manifest: dict[str, Any], now: dict[str, Any] | None = None) -> list[str]:
    """Where the recorded package version, git commit or library versions differ from now's."""
    now = now or versions()
    out = []
    for key in VERSION_KEYS:
        if key in manifest and manifest[key] != now.get(key):
            name = "labour_abm" if key == "version" else key
            out.append(f"recorded with {name} {manifest[key]}, now {now.get(key)}")
    if manifest.get("git_commit") and manifest["git_commit"] != now.get("git_commit"):
        commit = now.get("git_commit") or "none (not a git checkout)"
        out.append(f"recorded at git commit {manifest['git_commit'][:12]}, now {commit[:12]}")
    if manifest.get("git_dirty"):
        out.append("recorded from a source tree with uncommitted changes: its commit does not pin the code")
    if now.get("git_dirty"):
        out.append("the source tree has uncommitted changes now")
    return out


def load_manifest(run_dir: Path) -> dict[str, Any]:
    manifest = read_manifest(run_dir, "`labour-abm run` (or an experiment's or sweep's run)")
    path = run_dir / store.MANIFEST
    missing = [k for k in ("seed", "parameters", "measures") if k not in manifest]
    if missing:
        kind = next((k for k in ("experiment", "sweep") if k in manifest and "spec" in manifest), None)
        hint = f" (it is the manifest of a whole {kind}; its runs are under runs/)" if kind else ""
        raise UserError(f"{path}: not a run manifest: no {', '.join(missing)}{hint}.")
    return manifest


def rebuild(manifest: dict[str, Any]):
    """The recorded run's measures and parameters, and which recorded parameters are unknown now."""
    from ..core.params import Parameters, resolve_parameters
    from ..measures import make_measure

    recorded = manifest["parameters"]
    if not isinstance(recorded, dict) or not isinstance(manifest["measures"], list):
        raise UserError("manifest.json: 'parameters' must be an object and 'measures' a list.")
    where = "manifest.json: "
    params = resolve_parameters(recorded, where=where)
    measures = []
    for m in manifest["measures"]:
        if not isinstance(m, dict) or "name" not in m:
            raise UserError(f"{where}each measure must be an object with a 'name'.")
        measures.append(make_measure(m["name"], m.get("parameters") or {}, where=where))
    not_recorded = [k for k in Parameters.model_fields if k not in recorded]
    return params, measures, not_recorded


def rerun(manifest: dict[str, Any]):
    """Run the recorded run again (a :class:`RunResult`)."""
    from .run import simulate

    params, measures, _ = rebuild(manifest)
    try:
        seed = int(manifest["seed"])
    except (TypeError, ValueError):
        raise UserError(f"manifest.json: seed must be an integer, got {manifest['seed']!r}.") from None
    # the full parameter set as recorded (preset, overrides and the measures' settings applied): the
    # preset is not needed, so a run reproduces even if its preset file changed since
    return simulate(None, seed=seed, measures=measures, parameters=params)


def _first_unequal(a: pd.Series, b: pd.Series) -> int | None:
    av, bv = a.to_numpy(dtype=object), b.to_numpy(dtype=object)
    na_a, na_b = pd.isna(av), pd.isna(bv)
    eq = na_a & na_b
    both = ~na_a & ~na_b
    eq[both] = (av[both] == bv[both]).astype(bool)
    bad = np.flatnonzero(~eq)
    return int(bad[0]) if len(bad) else None


def _show(value) -> str:
    return repr(value.item() if isinstance(value, np.generic) else value)


def first_difference(recorded: pd.DataFrame, rerun: pd.DataFrame) -> str:
    """Where two tables first differ: columns, then the first row (and its first column), then
    length and dtypes. An empty string when they are equal."""
    if recorded.equals(rerun):
        return ""
    rec, new = list(recorded.columns), list(rerun.columns)
    if rec != new:
        only_rec = [c for c in rec if c not in new]
        only_new = [c for c in new if c not in rec]
        if only_rec or only_new:
            return (f"columns differ: only in the recorded table: {only_rec[:5] or 'none'}; "
                    f"only in the rerun: {only_new[:5] or 'none'}")
        return "same columns in another order"
    n = min(len(recorded), len(rerun))
    best: tuple[int, str] | None = None
    for col in rec:
        row = _first_unequal(recorded[col].iloc[:n], rerun[col].iloc[:n])
        if row is not None and (best is None or row < best[0]):
            best = (row, col)
    if best is not None:
        row, col = best
        month = f" (month {_show(recorded['month'].iloc[row])})" if "month" in recorded and col != "month" else ""
        return (f"column '{col}' first differs at row {row}{month}: recorded {_show(recorded[col].iloc[row])}, "
                f"rerun {_show(rerun[col].iloc[row])}")
    if len(recorded) != len(rerun):
        return f"{len(recorded)} rows recorded, {len(rerun)} in the rerun (the first {n} agree)"
    for col in rec:
        if recorded[col].dtype != rerun[col].dtype:
            return f"column '{col}': dtype {recorded[col].dtype} recorded, {rerun[col].dtype} in the rerun"
    return "the tables differ (index or metadata)"


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except Exception as err:  # noqa: BLE001 - a truncated or foreign file is the user's input
        raise UserError(f"{path}: unreadable ({type(err).__name__}: {err}).") from None


def compare_tables(run_dir: Path, fresh: dict[str, pd.DataFrame]) -> list[TableCheck]:
    """Each recorded table against the rerun's: the freshly written parquet bytes first, else the
    contents (read back, so both went through the same parquet round trip)."""
    checks = []
    with tempfile.TemporaryDirectory(prefix="labour-abm-reproduce-") as tmp:
        for name, frame in fresh.items():
            recorded_path, fresh_path = store.table_path(run_dir, name), store.table_path(tmp, name)
            store.write_table(frame, fresh_path)
            if filecmp.cmp(recorded_path, fresh_path, shallow=False):
                checks.append(TableCheck(name, True, bytes_identical=True))
                continue
            detail = first_difference(_read(recorded_path), pd.read_parquet(fresh_path))
            checks.append(TableCheck(name, not detail, detail))
    return checks


def reproduce_run(run_dir: str | Path, key: str | None = None) -> Reproduction:
    """Rerun the run recorded in ``run_dir`` and compare every table it stored."""
    from ..analysis.outcomes import run_outcomes

    run_dir = Path(run_dir)
    manifest = load_manifest(run_dir)
    stored = [t for t in TABLES if store.table_path(run_dir, t).is_file()]
    if not stored:
        raise UserError(f"{run_dir}: no monthly, spells, events, spell_counts or outcomes parquet here to compare "
                        "with.")
    for t in stored:  # unreadable input is bad input, before anything runs
        _read(store.table_path(run_dir, t)).head(0)
    _, _, not_recorded = rebuild(manifest)
    t0 = time.perf_counter()
    result = rerun(manifest)
    fresh = {t: result.table(t) for t in stored if t != store.OUTCOMES}
    if "outcomes" in stored:  # experiments store outcomes with barrier groups, sweeps without
        fresh["outcomes"] = run_outcomes(result.monthly, result.spells, result.events,
                                         groups="sweep" not in manifest)
    rep = Reproduction(run_dir, key, compare_tables(run_dir, {t: fresh[t] for t in stored}))
    rep.seconds = time.perf_counter() - t0
    rep.warnings = version_warnings(manifest)
    if not_recorded:
        rep.warnings.append(f"parameters not in the manifest (a newer version has them; their current defaults "
                            f"were used): {', '.join(not_recorded)}")
    if rep.warnings and not rep.matches:
        rep.warnings.append("a version difference may explain the difference")
    return rep


def _natural(key: str) -> list:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key)]


def select_runs(directory: str | Path, run: str | None = None, all_runs: bool = False) -> list[tuple[str | None, Path]]:
    """The runs to reproduce: the directory itself (a run), or in an experiment's or sweep's directory
    the run ``run`` (``arm/rN``), all runs, or by default the first (``baseline/r0`` if there is one)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise UserError(f"{directory}: {'not a directory' if directory.exists() else 'no such directory'}.")
    if not store.has_runs(directory):
        if run is not None or all_runs:
            raise UserError(f"{directory}: --run and --all are for an experiment's or sweep's directory (with "
                            "runs/); this has none.")
        return [(None, directory)]
    if run is not None and all_runs:
        raise UserError("give --run or --all, not both.")
    keys = sorted(store.finished_run_keys(directory), key=_natural)
    if not keys:
        raise UserError(f"{directory}: no finished runs under runs/.")
    if run is not None:
        if run not in keys:
            raise UserError(f"{directory}: has no run {run} under runs/ (runs are e.g. {', '.join(keys[:3])}).")
        keys = [run]
    elif not all_runs:
        keys = ["baseline/r0" if "baseline/r0" in keys else keys[0]]
    return [(k, store.run_dir(directory, k)) for k in keys]


def reproduce(directory: str | Path, run: str | None = None, all_runs: bool = False, echo=None) -> list[Reproduction]:
    """Reproduce the selected runs (see :func:`select_runs`); ``echo(rep)`` is called after each."""
    reps = []
    for key, run_dir in select_runs(directory, run, all_runs):
        rep = reproduce_run(run_dir, key)
        reps.append(rep)
        if echo is not None:
            echo(rep)
    return reps
