"""Validation and calibration: the baseline against its targets, and the free parameters fitted to them.

:func:`validate` runs the preset's baseline with several seeds and writes the scorecard of
:mod:`labour_abm.analysis.econometrics.validation` (``labour-abm validate``). :func:`calibrate` searches the
free behavioural parameters so the baseline fits the same targets (``labour-abm calibrate``).

The free parameters and their ranges are declared in a TOML file (the shipped one is
``data/calibration/free.toml``); the targets are the validation targets of the preset
(:mod:`labour_abm.analysis.econometrics.validation`). A trial sets the free parameters, runs the baseline with
``replications`` seeds and scores the mean statistics by

    loss = mean over targets of ((simulated - target) / tolerance) ** 2

so a loss below 1 means every target is met on average. Optuna's TPE sampler (seeded) proposes
the trials; the study is stored in SQLite (``study.db``), so stopping and running the same
command again continues it. The result: ``calibrated.toml`` (the best parameters with their
fit, usable as ``--set`` values or preset overrides), ``fit.csv``/``fit.png`` (targets against
simulated values at the best trial) and ``trials.csv``.

``labour-abm calibrate --preset NAME [--targets FILE] [--free FILE] [--trials N]``.
"""

from __future__ import annotations

import json
import os
import time
import tomllib
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..analysis.plots import plot_scorecard, save
from ..analysis.validation import (
    STATISTICS,
    Target,
    check_months,
    load_targets,
    scorecard,
    statistics,
    summary_line,
)
from ..core import presets
from ..core.params import Parameters, resolve_parameters
from ..errors import UserError, shorter, validated
from ..io import store
from ..io.files import atomic_write, read_toml, write_json
from ..io.provenance import code_fingerprint
from .runner import Task, check_scheduler, run_all

INSTALL_HINT = "pip install 'labour_abm[calibrate]'"
MAX_REPLICATIONS = 10_000  # seeds per validation or calibration trial (more only costs memory and time)
MAX_TRIALS = 100_000
MAX_SEED = 2**63 - 1  # the largest seed a run takes


class FreeParameter(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    range: list[float] = Field(min_length=2, max_length=2)
    scale: str = Field("linear", pattern="^(linear|log)$")
    why: str = Field(min_length=1, description="which targets it moves (documentation)")

    @model_validator(mode="after")
    def _ordered(self):
        if not self.range[0] < self.range[1]:
            raise ValueError(f"range must be [low, high] with low < high, got {self.range}")
        if self.scale == "log" and self.range[0] <= 0:
            raise ValueError("a log scale needs a positive range")
        return self


class FreeParameters(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    description: str = ""
    free: dict[str, FreeParameter] = Field(min_length=1)


def load_free(path: str | Path | None = None) -> dict[str, FreeParameter]:
    """The free parameters: ``path``, or the shipped ``data/calibration/free.toml``."""
    if path is None:
        data = tomllib.loads((resources.files("labour_abm") / "data" / "calibration" / "free.toml").read_text())
        where = "free.toml: "
    else:
        data, _, where = read_toml(path, "free-parameters")
    free = validated(FreeParameters, data, where).free
    for name, spec in free.items():
        if name not in Parameters.model_fields:
            resolve_parameters({name: None}, where=f"{where}free.")  # the unknown-parameter message
        for end in spec.range:
            resolve_parameters({name: end}, where=f"{where}free.{name}: ")
    return free


def loss(means: dict[str, float], targets: list[Target]) -> float:
    """Mean squared distance from the targets in units of their tolerance."""
    return float(np.mean([((means[t.statistic] - t.value) / t.tolerance) ** 2 for t in targets]))


def run_statistics(preset: str, overrides: dict, seed: int) -> dict[str, float]:
    """One baseline run's statistics (in a worker process)."""
    from .run import simulate

    result = simulate(preset, seed=seed, **overrides)
    return statistics(result.monthly, result.spells)


def calibrate(preset: str = "nijmegen", trials: int = 50, replications: int = 2, months: int = 60, seed: int = 1,
              targets: str | Path | None = None, free: str | Path | None = None, out: str | Path | None = None,
              workers: int | None = None, sampler_seed: int = 0, fixed: dict | None = None,
              progress: bool = False, fresh: bool = False) -> dict:
    """Run (or continue) the calibration study; returns the best parameters, loss and fit.
    ``fresh``: replace what ``out`` holds instead of continuing its study."""
    try:
        import optuna
    except ImportError:
        raise UserError(f"calibration needs Optuna: {INSTALL_HINT}") from None
    if not 1 <= trials <= MAX_TRIALS or not 1 <= replications <= MAX_REPLICATIONS:
        raise UserError(f"--trials must be 1-{MAX_TRIALS:,} and --replications 1-{MAX_REPLICATIONS:,}, got {trials} "
                        f"and {replications}.")
    if not 0 <= seed <= MAX_SEED - replications:
        raise UserError(f"seed must be 0-{MAX_SEED - replications}, got {seed}.")
    # the checks stay out of the fit, so meeting them says something the fit did not force
    target_list = [t for t in load_targets(preset, targets) if t.role == "calibration"]
    if not target_list:
        raise UserError("calibrate: the targets have no role = \"calibration\" target to fit; every target is a "
                        "check.")
    check_months(months, target_list, where="calibrate: ")
    free_params = load_free(free)
    fixed = dict(fixed or {})
    base = presets.preset_parameters(preset)
    resolve_parameters(base, {**fixed, "months": months}, where="calibrate: ")
    out = Path(out) if out is not None else Path("results") / f"calibrate_{preset}"
    # what the trials depend on: a study made under other settings, preset data or code is not continued
    settings = {"preset": preset, "months": months, "replications": replications, "seed": seed, "fixed": fixed,
                "free": {k: v.model_dump() for k, v in free_params.items()},
                "targets": [t.model_dump() for t in target_list], "preset_parameters": base, "code": code_fingerprint()}
    with store.held(out, "calibration", fresh):
        return _calibrate(optuna, out, settings, target_list, free_params, trials, workers, sampler_seed, progress)


def _calibrate(optuna, out: Path, settings: dict, target_list: list[Target], free_params: dict, trials: int,
               workers: int | None, sampler_seed: int, progress: bool) -> dict:
    preset, months, replications, fixed = (settings[k] for k in ("preset", "months", "replications", "fixed"))
    settings_path = out / "settings.json"
    if settings_path.exists() and _read_settings(settings_path) != json.loads(json.dumps(settings, default=str)):
        raise UserError(f"--out {out}: holds a calibration with other settings (preset, its data, months, "
                        "replications, free parameters, targets or the code); choose another --out, or add --fresh "
                        "to start afresh.")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:  # before settings.json is written: a broken study file leaves the directory as it was
        study = optuna.create_study(study_name=f"calibrate_{preset}", storage=f"sqlite:///{out / 'study.db'}",
                                    load_if_exists=True, direction="minimize",
                                    sampler=optuna.samplers.TPESampler(seed=sampler_seed + len_trials(out)))
    except Exception as exc:  # noqa: BLE001 - a file that is not an Optuna study of this name
        raise UserError(f"{out / 'study.db'}: not a calibration study it can continue ({type(exc).__name__}); "
                        "choose another --out, or add --fresh to start afresh.") from None
    atomic_write(settings_path, lambda tmp: Path(tmp).write_text(json.dumps(settings, indent=2, default=str) + "\n"))
    base = settings["preset_parameters"]
    seed = settings["seed"]
    todo = max(0, trials - len(study.trials))
    if not study.trials:  # start from where the model stands: its current values are the first trial
        current = resolve_parameters(base, fixed)
        study.enqueue_trial({name: float(np.clip(getattr(current, name), *spec.range))
                             for name, spec in free_params.items()})
    seeds = [seed + r for r in range(replications)]
    workers = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=min(workers, replications), mp_context=get_context("spawn")) as pool:
        for _ in range(todo):
            trial = study.ask()
            values = {name: trial.suggest_float(name, *spec.range, log=spec.scale == "log")
                      for name, spec in free_params.items()}
            overrides = {**fixed, **values, "months": months}
            runs = list(pool.map(run_statistics, [preset] * len(seeds), [overrides] * len(seeds), seeds))
            means = pd.DataFrame(runs).mean().to_dict()
            for name in STATISTICS:
                trial.set_user_attr(name, float(means[name]))
            study.tell(trial, loss(means, target_list))
            if progress:
                print(f"  trial {len(study.trials)}/{trials}: loss {study.trials[-1].value:.3f} "
                      f"(best {study.best_value:.3f})", flush=True)
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if not done:  # every loss was NaN: some target had no value in the runs
        empty = sorted({k for t in study.trials for k, v in t.user_attrs.items() if v != v}
                       & {t.statistic for t in target_list})
        raise UserError(f"calibrate: no trial gave every target a value (none for {', '.join(empty) or 'some'}); "
                        f"use more months or a larger initial_stock. The trials are in {out / 'study.db'}.")
    best = study.best_trial
    per_run = pd.DataFrame([run_statistics(preset, {**fixed, **best.params, "months": months}, s) for s in seeds]) \
        if replications else pd.DataFrame()
    card = scorecard(per_run, target_list)
    trials = study.trials_dataframe()
    atomic_write(out / "fit.csv", lambda tmp: card.to_csv(tmp, index=False))
    atomic_write(out / "trials.csv", lambda tmp: trials.to_csv(tmp, index=False))
    save(plot_scorecard(card, title=f"{preset}: calibrated fit (best of {len(study.trials)} trials, "
                                    f"{replications} seeds x {months} months)"), out / "fit")
    lines = [f"# Calibrated free parameters for the {preset} preset (labour-abm calibrate).",
             f"# {len(study.trials)} trials, {replications} seeds x {months} months; loss {best.value:.4f} "
             "(mean squared distance from the targets in tolerances).", f"# {summary_line(card)}",
             f"# Judge it on fresh seeds: labour-abm validate --preset {preset} --parameters "
             f"{out / 'calibrated.toml'} --months 120 --seed 101 --replications 8", "[parameters]"]
    lines += [f"{name} = {value!r}" for name, value in best.params.items()]
    lines += [f"{name} = {value!r}  # held fixed during the search" for name, value in fixed.items()]
    atomic_write(out / "calibrated.toml", lambda tmp: Path(tmp).write_text("\n".join(lines) + "\n"))
    return {"parameters": best.params, "loss": best.value, "trials": len(study.trials), "fit": card, "out": out}


def read_parameters(path: str | Path) -> dict:
    """The ``[parameters]`` table of a parameter file such as ``calibrated.toml``, checked."""
    data, _, where = read_toml(path, "parameters")
    extra = sorted(set(data) - {"parameters"})
    if not isinstance(data.get("parameters"), dict) or extra:
        what = f"unknown key '{shorter(extra[0])}'" if extra else "no [parameters] table"
        raise UserError(f"{where}{what}; a parameter file has one [parameters] table, as calibrated.toml does.")
    resolve_parameters(data["parameters"], where=f"{where}[parameters]: ")
    return dict(data["parameters"])


def _read_settings(path: Path) -> dict:
    """The settings of the calibration already in an --out directory."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        raise UserError(f"--out {path.parent}: its settings.json is not a calibration's (unreadable); choose "
                        "another --out or remove it.") from None


def len_trials(out: Path) -> int:
    """Trials already in the study (so a continued study draws new proposals, not the same ones)."""
    db = out / "study.db"
    if not db.exists():
        return 0
    import sqlite3

    with sqlite3.connect(db) as con:
        try:
            return int(con.execute("select count(*) from trials").fetchone()[0])
        except sqlite3.Error:
            return 0


# ------------------------------------------------------------------------------ validation
def validate(preset: str = "nijmegen", replications: int = 5, months: int | None = None, seed: int = 1,
             targets: str | Path | None = None, out: str | Path | None = None, workers: int | None = None,
             scheduler: str | None = None, progress: bool | None = None,
             overrides: dict | None = None, fresh: bool = False) -> pd.DataFrame:
    """Run the preset's baseline ``replications`` times (seeds seed, seed + 1, ...), resumably,
    and write ``scorecard.csv``, ``statistics.csv`` (one row per run) and ``scorecard.png``.
    ``overrides``: parameters on top of the preset (e.g. a calibrated set, to judge it on fresh
    seeds); ``fresh``: replace what ``out`` holds instead of resuming."""
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise UserError(f"--replications must be 1-{MAX_REPLICATIONS:,}, got {replications}.")
    if not 0 <= seed <= MAX_SEED - replications:
        raise UserError(f"--seed must be 0-{MAX_SEED - replications} (each run's seed is --seed plus its number), "
                        f"got {seed}.")
    target_list = load_targets(preset, targets)
    base = presets.preset_parameters(preset)
    overrides = dict(overrides or {})
    months = int(resolve_parameters(base, overrides, {} if months is None else {"months": months}).months)
    out = Path(out) if out is not None else Path("results") / f"validate_{preset}"
    spec = {"preset": preset, "months": months, "replications": replications, "seed": seed,
            **({"parameters": overrides} if overrides else {})}  # no key without: earlier outputs resume
    tasks = [Task(f"baseline/r{r}", seed + r, preset, [], {**overrides, "months": months},
                  {"validation": preset, "replication": r}, groups=False) for r in range(replications)]
    if scheduler:
        check_scheduler(scheduler)
    with store.held(out, "validation", fresh):
        manifest = store.start_output(out, "validation", preset, spec, repr(spec), workers, scheduler,
                                      runs=len(tasks), targets=[t.model_dump() for t in target_list])
        t0 = time.perf_counter()
        report = run_all(tasks, out, workers=workers, scheduler=scheduler, progress=progress)
        if report.failed:
            write_json(out / store.MANIFEST, {**manifest, **report.manifest_entries(t0)})
            raise UserError(f"{len(report.failed)} validation run(s) failed (tracebacks in {out}/status.jsonl); run "
                            "the same command again to retry them.")
        per_run = pd.DataFrame([
            {"replication": r, "seed": seed + r,
             **statistics(store.read_table(store.table_path(store.run_dir(out, f"baseline/r{r}"), "monthly")),
                          store.read_table(store.table_path(store.run_dir(out, f"baseline/r{r}"), "spells")))}
            for r in range(replications)])
        card = scorecard(per_run, target_list)
        atomic_write(out / "statistics.csv", lambda tmp: per_run.to_csv(tmp, index=False))
        atomic_write(out / "scorecard.csv", lambda tmp: card.to_csv(tmp, index=False))
        runs = f"{replications} runs x {months} months" + (f", seeds {seed}-{seed + replications - 1}"
                                                           if seed != 1 else "")
        changed = f"; {len(overrides)} parameter{'s' if len(overrides) > 1 else ''} set" if overrides else ""
        save(plot_scorecard(card, title=f"{preset}: simulated against targets ({runs}{changed})"), out / "scorecard")
        write_json(out / store.MANIFEST, {**manifest, **report.manifest_entries(t0), "summary": summary_line(card)})
    return card
