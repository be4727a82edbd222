"""``run_experiment``: validate, run (resumably, in parallel), and compute the paired effects."""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .effects import paired_effects
from .errors import UserError, output_directory
from .experiment import ExperimentSpec, file_hash, load
from .run import _atomic, git_state
from .runner import RunReport, collect_outcomes, run_all, tasks_of


@dataclass
class ExperimentResult:
    """What an experiment produced: ``effects`` (paired, with CIs), ``runs`` (every run's outcomes)."""

    spec: ExperimentSpec
    out: Path
    effects: pd.DataFrame
    runs: pd.DataFrame
    report: RunReport

    @property
    def failed(self) -> dict[str, str]:
        return self.report.failed

    def plot(self, outcome: str = "durable_exits_12", horizon: int | None = None, path=None):
        """Forest plot: each arm's effect on ``outcome`` with its 95% CI (horizon: the last by default)."""
        from .plots import plot_effects

        return plot_effects(self.effects, outcome, horizon, path=path, target=self.spec.target)


def run_experiment(
    source: str | os.PathLike | dict,
    out: str | os.PathLike | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    replications: int | None = None,
    progress: bool | None = None,
) -> ExperimentResult:
    """Run an experiment file (or a dict with the same keys) and write its results to ``out``.

    Runs already finished in ``out`` are not run again (resume). Raises :class:`UserError` for a
    bad file, or an ``out`` that holds another experiment.
    """
    spec, text = load(source, replications=replications)
    out = Path(out) if out is not None else Path("results") / spec.name
    tasks = tasks_of(spec)
    manifest = start_output(out, "experiment", spec.name, spec.model_dump(), text, workers, scheduler,
                            may_change=("replications",), seeds=spec.seed_list(), runs=len(tasks))
    t0 = time.perf_counter()
    report = run_all(tasks, out, workers=workers, scheduler=scheduler, progress=progress)
    outcomes = collect_outcomes(spec, out)
    effects = paired_effects(outcomes)
    _atomic(out / "effects.csv", lambda tmp: effects.to_csv(tmp, index=False))
    _atomic(out / "effects.parquet", lambda tmp: effects.to_parquet(tmp, index=False))
    _atomic(out / "outcomes.parquet", lambda tmp: outcomes.to_parquet(tmp, index=False))
    manifest.update(status="failed runs" if report.failed else "complete", runs_done_now=len(report.done),
                    runs_done_before=len(report.skipped), runs_failed=sorted(report.failed),
                    timings_s={"runs": round(report.seconds, 2), "total": round(time.perf_counter() - t0, 2)})
    write_json(out / "manifest.json", manifest)
    return ExperimentResult(spec, out, effects, outcomes, report)


SESSION_KEYS = ("version", "git_commit", "git_dirty", "python", "executor", "status", "runs_done_now", "timings_s")


def start_output(out: Path, kind: str, name: str, spec: dict, text: str, workers: int | None,
                 scheduler: str | None, may_change: tuple[str, ...] = (), **extra) -> dict[str, Any]:
    """Check that ``out`` is new or holds this same experiment or sweep (then it resumes), and
    write its manifest with status "running". Returns the manifest to complete at the end.

    Settings named in ``may_change`` may differ from the earlier session's (e.g. an experiment's
    replications: run r keeps its seed, so more replications add runs and fewer use a subset)."""
    spec_hash = file_hash(json.dumps(spec, sort_keys=True, default=str))
    manifest_path = out / "manifest.json"
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
    manifest: dict[str, Any] = {
        kind: name, "package": "labour_abm", "version": __version__, **git_state(),
        "python": platform.python_version(), "spec_hash": spec_hash, "file_sha256": file_hash(text),
        f"{kind}_file": text, "spec": spec, **extra, "executor": executor,
    }
    if earlier:
        manifest["earlier_sessions"] = earlier
    output_directory(out)
    write_json(manifest_path, {**manifest, "status": "running"})
    return manifest


def write_json(path: Path, data: dict) -> None:
    text = json.dumps(data, indent=2, default=str) + "\n"
    _atomic(path, lambda tmp: Path(tmp).write_text(text))
