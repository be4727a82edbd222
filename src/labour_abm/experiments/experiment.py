"""Experiments: a baseline and named arms, replicated with common random numbers, and their paired effects.

An experiment file (TOML, see docs/experiments.md) is validated strictly before anything
runs: an unknown key, measure or parameter, a wrong type or an out-of-range value raises a
:class:`UserError` naming the file, the key and what is allowed.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from ..analysis.costs import cost_accounting
from ..analysis.effects import paired_effects
from ..analysis.outcomes import horizons
from ..analysis.targets import TARGET_OUTCOMES, read_at
from ..core import presets
from ..core.params import Parameters, resolve_parameters
from ..errors import UserError, shorter, validated
from ..io import store
from ..io.files import atomic_write, read_toml, write_json
from ..measures import Measure, MeasureSpec, make_measure, measure_overrides, programmes
from .ensemble import core_values, load_ensemble, measure_values
from .runner import RunReport, Task, check_scheduler, run_all

MAX_SEED = 2**63 - 1  # the largest seed a run takes

def directory_name(name: str) -> str:
    """An experiment's or sweep's name is its default output directory, ``results/<name>``."""
    if name in ("", ".", "..") or any(c in "/\\" or ord(c) < 32 or ord(c) == 127 for c in name) \
            or len(name.encode()) > 200:
        raise ValueError("must be a plain directory name (the default output is results/<name>): not empty, "
                         "'.' or '..', no '/', '\\' or control characters, at most 200 bytes")
    return name


def without_top_level_keys(parameters: dict[str, Any]) -> dict[str, Any]:
    """Refuse months and labour_market in a file's ``parameters``: the top-level keys (or their
    defaults) would replace them without a word."""
    twice = sorted({"months", "labour_market"} & set(parameters))
    if twice:
        raise ValueError(f"set {' and '.join(twice)} at the top of the file, not in parameters")
    return parameters


class ArmSpec(BaseModel):
    """One arm: a list of measures and/or a city programme, and/or parameter overrides."""

    model_config = ConfigDict(extra="forbid", strict=True)
    measures: list[MeasureSpec] = Field(default_factory=list)
    programme: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)

    @field_validator("parameters")
    @classmethod
    def _same_months(cls, parameters):
        if "months" in parameters:
            raise ValueError("months is the experiment's, set at the top of the file: arms are compared month by "
                             "month over the same months (paired effects at a horizon one arm does not reach are not "
                             "defined)")
        return parameters


class TargetSpec(BaseModel):
    """A policy target: ``value`` extra ``outcome`` from the first ``by_month`` months, for one
    arm or each (e.g. Nijmegen's 385 extra durable exits in 3 years). See analysis.targets."""

    model_config = ConfigDict(extra="forbid", strict=True)
    value: float = Field(allow_inf_nan=False)
    by_month: int = Field(ge=1)
    outcome: str = TARGET_OUTCOMES[0]
    arm: str | None = None
    source: str = ""

    @model_validator(mode="before")
    @classmethod
    def _renamed(cls, data):
        if isinstance(data, dict) and "horizon_months" in data:
            raise ValueError("horizon_months is now by_month: the months within which the extra outcomes happen "
                             "(a durable outcome of those months is read 12 months later)")
        return data

    @field_validator("outcome")
    @classmethod
    def _known(cls, outcome):
        if outcome not in TARGET_OUTCOMES:
            raise ValueError(f"unknown outcome; targets can be set for {', '.join(TARGET_OUTCOMES)}")
        return outcome


class ExperimentSpec(BaseModel):
    """A whole experiment: where, how long, how many replications, which arms."""

    model_config = ConfigDict(extra="forbid", strict=True)  # no silent conversions (e.g. true -> 1)
    name: str
    description: str = ""
    preset: str = presets.DEFAULT_PRESET
    months: int = Field(48, ge=1, le=600)
    replications: int = Field(10, ge=1, le=100_000)
    seeds: list[Annotated[int, Field(ge=0, le=MAX_SEED)]] | None = Field(
        None, min_length=1, description="Explicit seeds, one per replication.")
    seed: int = Field(1, ge=0, le=MAX_SEED - 100_000, description="Replication r uses seed + r (unless seeds are "
                      "listed).")
    labour_market: str = "stable"
    parameters: dict[str, Any] = Field(default_factory=dict)
    arms: dict[Annotated[str, AfterValidator(lambda arm: store.safe_name(arm, "arm name"))], ArmSpec]
    target: TargetSpec | None = None
    ensemble: str | None = Field(None, description="A parameter ensemble (shipped name or ensemble.csv): "
                                 "replication r draws its parameters from member r mod the members.")
    keep: Literal["summary", "all"] = Field("summary", description="What each run keeps besides its outcomes: "
                                            "'summary' its monthly table and spell counts (what the report needs), "
                                            "'all' also its spells and events (io.store.KEEP).")

    _plain_name = field_validator("name")(lambda name: directory_name(name))

    @field_validator("parameters")
    @classmethod
    def _not_the_top_level_keys(cls, parameters):
        return without_top_level_keys(parameters)

    @field_validator("arms")
    @classmethod
    def _has_baseline(cls, arms):
        if "baseline" not in arms:
            raise ValueError("needs an arm named 'baseline' (the comparison for every other arm)")
        folded = {}
        for arm in arms:  # macOS and Windows file systems would put both arms in one directory
            if arm.casefold() in folded:
                raise ValueError(f"arms '{folded[arm.casefold()]}' and '{arm}' differ only in case; give them "
                                 "names that differ in letters")
            folded[arm.casefold()] = arm
        return arms

    @model_validator(mode="after")
    def _target_within_the_run(self):
        """A target whose outcomes the run sees: a durable outcome of the first m months needs
        a run of m + 12 months, at one of the horizons the effects report."""
        t = self.target
        if t is not None and read_at(t.outcome, t.by_month) not in horizons(self.months):
            fits = [h - read_at(t.outcome, 0) for h in horizons(self.months) if h > read_at(t.outcome, 0)]
            raise ValueError(f"target.by_month: {t.outcome} from the first {t.by_month} months is seen at month "
                             f"{read_at(t.outcome, t.by_month)}, not a horizon of this {self.months}-month experiment; "
                             f"by_month can be {', '.join(map(str, fits)) or 'nothing: the run is too short'}")
        return self

    @field_validator("seeds")
    @classmethod
    def _distinct(cls, seeds):
        if seeds is not None and len(set(seeds)) != len(seeds):
            raise ValueError("seeds must be distinct (a repeated seed repeats a replication)")
        return seeds

    def seed_list(self) -> list[int]:
        return list(self.seeds) if self.seeds else [self.seed + r for r in range(self.replications)]

    def arm_measures(self, arm: str, drawn: dict[str, dict] | None = None) -> list[Measure]:
        """The arm's measures; ``drawn`` (an ensemble member's measure parameters) fills in the
        parameters the file does not set."""
        drawn = drawn or {}
        where = f"arms.{arm}.measures: "
        return [make_measure(name, {**drawn.get(name, {}), **given}, where=where) for name, given in self._specs(arm)]

    def _specs(self, arm: str) -> list[tuple[str, dict]]:
        """The arm's measures as written: its programme's, then its own (name, parameters set)."""
        spec = self.arms[arm]
        out = programmes.measure_specs(spec.programme) if spec.programme else []
        return out + [(m.name, m.parameters) for m in spec.measures]

    def arm_overrides(self, arm: str) -> dict[str, Any]:
        """Parameter overrides of one arm on top of the preset: experiment-wide, then the arm's."""
        return {**self.parameters, "months": self.months, "labour_market": self.labour_market,
                **self.arms[arm].parameters}

    def arm_parameters(self, arm: str) -> Parameters:
        """The complete, validated parameters of one arm (measures' own overrides included)."""
        return resolve_parameters(presets.preset_parameters(self.preset), self.arm_overrides(arm),
                                  measure_overrides(self.arm_measures(arm), where=f"arms.{arm}.measures: "),
                                  where=f"arms.{arm}: ")


def load(source: str | Path | dict, replications: int | None = None,
         keep: str | None = None) -> tuple[ExperimentSpec, str]:
    """Read and validate an experiment (a TOML path or a dict). Returns the spec and the file text.
    ``replications`` and ``keep``, if given, replace the file's.

    Every arm is fully resolved here (measures built, parameters validated), so a mistake
    anywhere stops the experiment before anything is written.
    """
    data, text, where = read_toml(source, "experiment")
    if replications is not None:
        data["replications"] = replications
        data.pop("seeds", None)
    if keep is not None:
        data["keep"] = keep
    spec = validated(ExperimentSpec, data, where, _allowed)
    try:
        resolve_parameters(presets.preset_parameters(spec.preset), spec.parameters, where="parameters: ")
        for arm in spec.arms:
            if spec.arms[arm].programme:
                try:
                    programmes.info(spec.arms[arm].programme)
                except UserError as exc:
                    raise UserError(f"arms.{arm}.programme: {exc}") from None
            spec.arm_parameters(arm)
        if spec.ensemble:
            try:
                ensemble = load_ensemble(spec.ensemble)
            except UserError as exc:
                raise UserError(f"ensemble: {exc}") from None
            for arm in spec.arms:  # each member's values with each arm's settings
                for member in range(min(len(ensemble), spec.replications)):
                    spec.arm_measures(arm, measure_values(ensemble, member))
                    resolve_parameters(presets.preset_parameters(spec.preset),
                                       {**core_values(ensemble, member), **spec.arm_overrides(arm)},
                                       where=f"arms.{arm} with ensemble member {member}: ")
        if spec.target and spec.target.arm and (spec.target.arm not in spec.arms or spec.target.arm == "baseline"):
            raise UserError(f"target.arm: '{shorter(spec.target.arm)}' is not an arm compared with the baseline. "
                            f"Arms: {', '.join(a for a in spec.arms if a != 'baseline') or 'none'}.")
    except UserError as exc:
        raise UserError(f"{where}{exc}") from None
    return spec, text


def _allowed(key: str) -> str:
    if key.count(".") == 1 and key.startswith("arms."):  # the arm's name itself
        return ""
    top = set(ExperimentSpec.model_fields)
    first = key.split(".")[0]
    if first not in top:
        return f" Allowed keys: {', '.join(sorted(top))}."
    parts = key.split(".")
    if first == "arms" and len(parts) >= 5 and parts[2] == "measures":
        return f" Allowed in a measure entry: {', '.join(MeasureSpec.model_fields)}."
    if first == "arms" and len(parts) >= 3:
        return f" Allowed in an arm: {', '.join(ArmSpec.model_fields)}."
    if first == "target" and len(parts) >= 2:
        return f" Allowed in the target: {', '.join(TargetSpec.model_fields)}."
    return ""


# ------------------------------------------------------------------------------ running
def tasks_of(spec: ExperimentSpec) -> list[Task]:
    """Replication r of every arm uses the same seed, and with an ensemble the same member:
    arm-minus-baseline differences are paired. A member's values fill in what the file leaves
    open; what the file sets (parameters, measures' parameters) wins."""
    ensemble = load_ensemble(spec.ensemble) if spec.ensemble else None
    tasks = []
    for r, seed in enumerate(spec.seed_list()):
        member = None if ensemble is None else r % len(ensemble)
        core = {} if member is None else core_values(ensemble, member)
        drawn = {} if member is None else measure_values(ensemble, member)
        labels = {"experiment": spec.name, "replication": r} | ({} if member is None else {"member": member})
        for arm in spec.arms:
            measures = [{"name": m.name, "parameters": m.p.model_dump()} for m in spec.arm_measures(arm, drawn)]
            tasks.append(Task(f"{arm}/r{r}", seed, spec.preset, measures, {**core, **spec.arm_overrides(arm)},
                              {**labels, "arm": arm}, tables=store.KEEP[spec.keep]))
    return tasks


def collect_outcomes(spec: ExperimentSpec, out: Path) -> pd.DataFrame:
    """All finished runs' outcomes, with arm, replication and seed columns, in a fixed order."""
    frames = []
    for task in tasks_of(spec):
        path = store.table_path(store.run_dir(out, task.key), store.OUTCOMES)
        if path.exists():
            df = store.read_table(path)
            df.insert(0, "arm", task.arm)
            df.insert(1, "replication", task.replication)
            df.insert(2, "seed", task.seed)
            if "member" in task.labels:
                df.insert(3, "member", task.labels["member"])
            frames.append(df)
    if not frames:
        return pd.DataFrame(columns=["arm", "replication", "seed", "outcome", "horizon_months", "group", "value"])
    return pd.concat(frames, ignore_index=True)


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

    def plot(self, outcome: str = "durable_outcomes_12", horizon: int | None = None, path=None):
        """Forest plot: each arm's effect on ``outcome`` with its 95% CI (horizon: the last by default)."""
        from ..analysis.plots import plot_effects

        return plot_effects(self.effects, outcome, horizon, path=path, target=self.spec.target)


def run_experiment(
    source: str | os.PathLike | dict,
    out: str | os.PathLike | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    replications: int | None = None,
    progress: bool | None = None,
    fresh: bool = False,
    keep: str | None = None,
) -> ExperimentResult:
    """Run an experiment file (or a dict with the same keys) and write its results to ``out``.

    Runs already finished in ``out`` are not run again (resume). Raises :class:`UserError` for a
    bad file, an ``out`` that holds other results or is in use, or finished runs made with other
    settings; ``fresh`` replaces what ``out`` holds instead. ``progress``: None shows it (a bar on
    a terminal, else a line now and then on stderr), False shows nothing. ``keep`` ("summary" or
    "all") replaces the file's: what each run keeps besides its outcomes. A run that fails does
    not raise: check ``result.failed`` (run -> traceback, also in ``status.jsonl``); the effects
    use the replications that finished in both arms.
    """
    spec, text = load(source, replications=replications, keep=keep)
    out = Path(out) if out is not None else Path("results") / spec.name
    tasks = tasks_of(spec)
    if scheduler:
        check_scheduler(scheduler)
    with store.held(out, "experiment", fresh):
        manifest = store.start_output(out, "experiment", spec.name, spec.model_dump(), text, workers, scheduler,
                                      may_change=("replications",), seeds=spec.seed_list(), runs=len(tasks))
        t0 = time.perf_counter()
        report = run_all(tasks, out, workers=workers, scheduler=scheduler, progress=progress)
        outcomes = collect_outcomes(spec, out)
        effects = paired_effects(outcomes)
        costs = cost_accounting(effects)
        atomic_write(out / "effects.csv", lambda tmp: effects.to_csv(tmp, index=False))
        atomic_write(out / "costs.csv", lambda tmp: costs.to_csv(tmp, index=False))
        atomic_write(store.table_path(out, "effects"), lambda tmp: effects.to_parquet(tmp, index=False))
        atomic_write(store.table_path(out, store.OUTCOMES), lambda tmp: outcomes.to_parquet(tmp, index=False))
        write_json(out / store.MANIFEST, {**manifest, **report.manifest_entries(t0)})
    return ExperimentResult(spec, out, effects, outcomes, report)
