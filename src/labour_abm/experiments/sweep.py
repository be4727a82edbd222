"""Parameter sweeps: a design over model and measure parameters, run like an experiment.

A sweep file (TOML, see docs/sweeps.md) names the parameters to vary (ranges, with a log
scale where it fits, or lists of values) and a design: ``grid``, ``random``, ``lhs`` (scipy's
Latin hypercube), ``sobol`` (Saltelli's scheme, SALib) or ``morris`` (SALib). Every point of
the design runs ``replications`` times; replication r uses seed + r at every point (common
random numbers across points, so differences between points are not luck). With
``compare_to_baseline`` each point also runs without the measures at the same parameters and
seeds, and the outcomes become paired effects.

The runs go through the experiment runner (:mod:`labour_abm.experiments.runner`): the same executors,
resume, failure capture, progress bar and manifest. The result is one tidy table,
``points.parquet`` (and ``points.csv``): point, replication, seed, the varied parameters,
outcome, horizon_months, value (and baseline, effect), written point by point so the sweep
never has to fit in memory.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..analysis.sensitivity import salib_problem
from ..core import presets
from ..core.params import Parameters, resolve_parameters
from ..errors import UserError, first_problem, short
from ..io import store
from ..io.files import atomic_write, read_toml, write_json
from ..measures import REGISTRY, MeasureSpec, make_measure, measure_overrides, programmes
from .experiment import directory_name, without_top_level_keys
from .runner import RunReport, Task, check_scheduler, run_all

DESIGNS = ("grid", "random", "lhs", "sobol", "morris")


class VarySpec(BaseModel):
    """One varied parameter: a range (continuous, optionally log or integer) or a list of values."""

    model_config = ConfigDict(extra="forbid", strict=True)
    range: list[float] | None = Field(None, min_length=2, max_length=2, description="[low, high]")
    values: list[float | int | str | bool] | None = Field(None, min_length=1)
    scale: Literal["linear", "log"] = "linear"
    integer: bool = False
    levels: int | None = Field(None, ge=2, le=10_000, description="grid points of a range (grid design)")

    @model_validator(mode="after")
    def _one_kind(self):
        if (self.range is None) == (self.values is None):
            raise ValueError("give either range = [low, high] or values = [...]")
        if self.range is not None:
            low, high = self.range
            if not np.isfinite(self.range).all():
                raise ValueError(f"range must be finite numbers, got {self.range}")
            if not low < high:
                raise ValueError(f"range must be [low, high] with low < high, got {self.range}")
            if self.scale == "log" and low <= 0:
                raise ValueError(f"a log scale needs a positive range, got {self.range}")
        elif self.scale == "log" or self.integer or self.levels is not None:
            raise ValueError("scale, integer and levels apply to a range, not to values")
        return self

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Map design coordinates in [0, 1] to parameter values."""
        if self.values is not None:
            idx = np.minimum((u * len(self.values)).astype(np.int64), len(self.values) - 1)
            return np.asarray(self.values, dtype=object)[idx]
        low, high = self.range
        x = np.exp(np.log(low) + u * (np.log(high) - np.log(low))) if self.scale == "log" else low + u * (high - low)
        x = np.clip(x, low, high)  # exp(log(high)) may land a rounding error above high
        return np.rint(x).astype(np.int64) if self.integer else x

    def grid(self) -> list:
        if self.values is not None:
            return list(self.values)
        if self.levels is None:
            raise ValueError("a grid needs levels = N for a range (or values = [...])")
        values = self.from_unit(np.linspace(0.0, 1.0, self.levels))
        return list(dict.fromkeys(values.tolist()))  # integer rounding may repeat a value


class SweepSpec(BaseModel):
    """A whole sweep: the fixed setting, the measures on, the varied parameters and the design."""

    model_config = ConfigDict(extra="forbid", strict=True)
    name: str
    description: str = ""
    preset: str = presets.DEFAULT_PRESET
    months: int = Field(120, ge=1, le=600)
    replications: int = Field(1, ge=1, le=10_000)
    seed: int = Field(1, ge=0)
    labour_market: str = "stable"
    parameters: dict[str, Any] = Field(default_factory=dict)
    measures: list[MeasureSpec] = Field(default_factory=list)
    programme: str | None = None
    compare_to_baseline: bool = False
    design: Literal["grid", "random", "lhs", "sobol", "morris"]
    samples: int | None = Field(None, ge=1, le=1_000_000, description="points (random, lhs), base sample "
                                "N (sobol: N x (D + 2) points) or trajectories (morris: r x (D + 1) points)")
    design_seed: int = Field(0, ge=0)
    morris_levels: int = Field(4, ge=2, le=100)
    keep_tables: bool = False
    vary: dict[str, VarySpec] = Field(min_length=1)

    _plain_name = field_validator("name")(lambda name: directory_name(name))

    @field_validator("parameters")
    @classmethod
    def _not_the_top_level_keys(cls, parameters):
        return without_top_level_keys(parameters)

    @model_validator(mode="after")
    def _design_needs(self):
        """Whole-file rules; each message starts with the key it is about (the error line names it)."""
        if self.design != "grid" and self.samples is None:
            raise ValueError(f"samples: design '{self.design}' needs samples = N")
        if self.design == "grid" and self.samples is not None:
            raise ValueError("samples: a grid takes no samples: its size is the product of the levels")
        if self.design == "morris" and self.samples < 2:
            raise ValueError("samples: a morris design needs at least 2 trajectories (sigma is their spread)")
        if self.design == "sobol" and self.samples & (self.samples - 1):
            below, above = 1 << (self.samples.bit_length() - 1), 1 << self.samples.bit_length()
            raise ValueError(f"samples: a sobol design needs a power of 2 (Saltelli's estimates converge as designed "
                             f"only then), e.g. {below} or {above}")
        discrete = [k for k, v in self.vary.items() if v.values is not None]
        if self.design == "sobol" and discrete:
            raise ValueError(f"vary.{discrete[0]}: sobol indices need continuous ranges, not a list of values")
        return self

    @model_validator(mode="after")
    def _not_fixed_and_varied(self):
        """A varied parameter must not also be fixed: the point's value would replace the fixed one
        without a word (as months and labour_market in an experiment's parameters)."""
        fixed = {k: "parameters" for k in self.parameters}
        if "labour_market" in self.model_fields_set:
            fixed["labour_market"] = "the top-level labour_market"
        for m in self.measures:
            fixed.update({f"{m.name}.{k}": "measures" for k in m.parameters})
        for key in self.vary:
            if key in fixed:
                raise ValueError(f"vary.{key}: also fixed in {fixed[key]}; keep it fixed or vary it, not both")
        return self

    # ------------------------------------------------------------------- measures and params
    def base_measures(self) -> list[dict[str, Any]]:
        out = [{"name": m.name, "parameters": m.p.model_dump()} for m in programmes.measures(self.programme)] \
            if self.programme else []
        return out + [{"name": m.name, "parameters": dict(m.parameters)} for m in self.measures]

    def point_setting(self, values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Model overrides and measures of one design point."""
        overrides = {**self.parameters, "months": self.months, "labour_market": self.labour_market}
        measures = [{"name": m["name"], "parameters": dict(m["parameters"])} for m in self.base_measures()]
        for key, value in values.items():
            value = value.item() if isinstance(value, np.generic) else value
            if "." in key:
                name, param = key.split(".", 1)
                next(m for m in measures if m["name"] == name)["parameters"][param] = value
            else:
                overrides[key] = value
        return overrides, measures


# -------------------------------------------------------------------------------- designs
def design_units(spec: SweepSpec) -> np.ndarray:
    """The design in unit coordinates, one row per point (grid: indices scaled to [0, 1])."""
    d = len(spec.vary)
    if spec.design == "random":
        return np.random.default_rng(spec.design_seed).random((spec.samples, d))
    if spec.design == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=d, seed=spec.design_seed).random(spec.samples)
    if spec.design == "sobol":
        from SALib.sample import sobol

        return sobol.sample(salib_problem(spec.vary), spec.samples, calc_second_order=False, scramble=True,
                            seed=spec.design_seed)
    if spec.design == "morris":
        from SALib.sample import morris

        return morris.sample(salib_problem(spec.vary), spec.samples, num_levels=spec.morris_levels,
                             seed=spec.design_seed)
    raise ValueError(spec.design)


def design_points(spec: SweepSpec) -> pd.DataFrame:
    """The design: one row per point, columns ``point`` and the varied parameters (their values),
    plus ``unit:<name>`` (the design coordinate in [0, 1], what the indices are computed on)."""
    names = list(spec.vary)
    if spec.design == "grid":
        rows = list(itertools.product(*(spec.vary[n].grid() for n in names)))
        frame = pd.DataFrame(rows, columns=names)
    else:
        units = design_units(spec)
        # a list such as [0, 0.25] gives a float column (not objects that are int in some rows: the
        # table, written in chunks, must have one type per column)
        frame = pd.DataFrame({n: spec.vary[n].from_unit(units[:, i]) for i, n in enumerate(names)}).infer_objects()
        for i, n in enumerate(names):
            frame[f"unit:{n}"] = units[:, i]
    frame.insert(0, "point", np.arange(len(frame)))
    return frame


def tasks_of(spec: SweepSpec, points: pd.DataFrame) -> list[Task]:
    """Runs of every point and replication (and the paired baselines, shared where the model
    parameters of points coincide). Replication r uses seed + r everywhere."""
    tasks, baselines = [], {}
    kept = store.RUN_TABLES if spec.keep_tables else ()
    names = list(spec.vary)
    for row in points[["point", *names]].itertuples(index=False):
        values = dict(zip(names, row[1:], strict=True))
        overrides, measures = spec.point_setting(values)
        for r in range(spec.replications):
            labels = {"sweep": spec.name, "point": int(row[0]), "replication": r}
            tasks.append(Task(f"p{row[0]:06d}/r{r}", spec.seed + r, spec.preset, measures, overrides, labels,
                              tables=kept, groups=False))
        if spec.compare_to_baseline:
            key = baseline_key(overrides)
            if key not in baselines:
                baselines[key] = [Task(f"{key}/r{r}", spec.seed + r, spec.preset, [], overrides,
                                       {"sweep": spec.name, "baseline": key, "replication": r},
                                       tables=kept, groups=False) for r in range(spec.replications)]
    return tasks + [t for group in baselines.values() for t in group]


def baseline_key(overrides: dict[str, Any]) -> str:
    """The directory of the baseline runs for these model parameters (points that vary only
    measure parameters share one baseline)."""
    return "b" + hashlib.sha256(json.dumps(overrides, sort_keys=True, default=str).encode()).hexdigest()[:12]


# ----------------------------------------------------------------------------- validation
def load(source: str | Path | dict) -> tuple[SweepSpec, str, pd.DataFrame]:
    """Read and validate a sweep (TOML path or dict) and its design; every point's parameters
    are checked before anything runs. Returns the spec, the file text and the design."""
    data, text, where = read_toml(source, "sweep")
    try:
        spec = SweepSpec(**data)
    except ValidationError as exc:
        key, msg, got = first_problem(exc)
        if not key:  # a whole-file rule (SweepSpec's model validators): its message names the key
            raise UserError(f"{where}{msg}.") from None
        if exc.errors()[0]["type"] == "missing":  # its input is the whole table: not worth repeating
            raise UserError(f"{where}{key}: required.{_allowed(key)}") from None
        raise UserError(f"{where}{key}: {msg} (got {got}).{_allowed(key)}") from None
    try:
        points = _validated_points(spec)
    except UserError as exc:
        raise UserError(f"{where}{exc}") from None
    return spec, text, points


def _validated_points(spec: SweepSpec) -> pd.DataFrame:
    try:
        presets.preset_parameters(spec.preset)
        if spec.programme:
            programmes.info(spec.programme)
        on = [m["name"] for m in spec.base_measures()]
        measure_overrides([make_measure(m["name"], m["parameters"], where="measures: ")
                           for m in spec.base_measures()], where="measures: ")
        for key in spec.vary:
            if "." in key:
                name, param = key.split(".", 1)
                if name not in on:
                    raise UserError(f"vary.{key}: measure '{name}' is not switched on in this sweep "
                                    f"(measures: {', '.join(on) or 'none'}).")
                valid = REGISTRY[name].Params.model_fields
                if param not in valid:
                    raise UserError(f"vary.{key}: measure '{name}' has no parameter '{param}'. "
                                    f"Valid: {', '.join(valid)}.")
            elif key not in Parameters.model_fields:
                resolve_parameters({key: None}, where=f"vary.{key}: ")  # raises the unknown-key message
            elif key in ("months",):
                raise UserError(f"vary.{key}: set months for the whole sweep, not per point.")
            if spec.vary[key].range is not None and not spec.vary[key].integer and _is_integer(key):
                raise UserError(f"vary.{key}: an integer parameter; add integer = true to the range "
                                "(or give values = [...]).")
            _check_ends(spec, key)
        points = design_points(spec)
    except ValueError as exc:  # a design that cannot be built (e.g. a grid range without levels)
        raise UserError(str(exc)) from None
    base = presets.preset_parameters(spec.preset)
    checked: set[str] = set()
    names = list(spec.vary)
    for point, *row in points[["point", *names]].itertuples(index=False):  # each column keeps its dtype
        values = dict(zip(names, row, strict=True))
        overrides, measures = spec.point_setting(values)
        fingerprint = json.dumps([overrides, measures], sort_keys=True, default=str)
        if fingerprint in checked:
            continue
        checked.add(fingerprint)
        where = f"point {point} ({', '.join(f'{k}={short(v)}' for k, v in values.items())}): "
        built = [make_measure(m["name"], m["parameters"], where=where) for m in measures]
        resolve_parameters(base, overrides, measure_overrides(built), where=where)
    return points


def _is_integer(key: str) -> bool:
    """Whether a (known) model or measure parameter is declared as an integer."""
    if "." in key:
        name, param = key.split(".", 1)
        return REGISTRY[name].Params.model_fields[param].annotation is int
    return Parameters.model_fields[key].annotation is int


def _check_ends(spec: SweepSpec, key: str) -> None:
    """Both ends of a range (and every listed value) must be allowed for the parameter, whatever
    points the design happens to draw."""
    vary = spec.vary[key]
    for value in vary.range or vary.values:
        value = int(value) if vary.integer else value
        where = f"vary.{key}: {value!r}: "
        if "." in key:
            name, param = key.split(".", 1)
            make_measure(name, {param: value}, where=where)
        else:
            resolve_parameters({key: value}, where=where)


def _allowed(key: str) -> str:
    first = key.split(".")[0]
    if first not in SweepSpec.model_fields:
        return f" Allowed keys: {', '.join(SweepSpec.model_fields)}."
    if first == "vary" and len(key.split(".")) >= 3:
        return f" Allowed for a varied parameter: {', '.join(VarySpec.model_fields)}."
    if first == "design":
        return f" Designs: {', '.join(DESIGNS)}."
    return ""


# ---------------------------------------------------------------------------- the table
def write_points_table(spec: SweepSpec, points: pd.DataFrame, out: Path, chunk: int = 500) -> Path:
    """Stream every finished run's outcomes into ``points.parquet`` and ``points.csv`` (one tidy
    table), ``chunk`` points at a time. Runs that did not finish are left out."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = list(spec.vary)
    parquet_tmp, csv_tmp = out / ".points.parquet.tmp", out / ".points.csv.tmp"
    writer, schema = None, None
    try:
        with open(csv_tmp, "w", encoding="utf-8", newline="") as csv:
            for start in range(0, len(points), chunk):
                frame = _chunk_rows(spec, points.iloc[start:start + chunk], names, out)
                if frame.empty:
                    continue
                table = pa.Table.from_pandas(frame, preserve_index=False)
                if writer is None:
                    schema = table.schema
                    writer = pq.ParquetWriter(parquet_tmp, schema)
                writer.write_table(table.cast(schema))
                frame.to_csv(csv, index=False, header=csv.tell() == 0)
        if writer is not None:
            writer.close()
            parquet_tmp.replace(store.table_path(out, "points"))
            csv_tmp.replace(out / "points.csv")
    finally:  # a failed write (a full disk) leaves the old tables, not half-written temporaries
        for tmp in (parquet_tmp, csv_tmp):
            tmp.unlink(missing_ok=True)
    return store.table_path(out, "points")


def _chunk_rows(spec: SweepSpec, points: pd.DataFrame, names: list[str], out: Path) -> pd.DataFrame:
    frames = []
    for row in points[["point", *names]].itertuples(index=False):
        values = dict(zip(names, row[1:], strict=True))
        overrides, _ = spec.point_setting(values)
        for r in range(spec.replications):
            path = store.table_path(store.run_dir(out, f"p{row[0]:06d}/r{r}"), store.OUTCOMES)
            if not path.exists():
                continue
            o = store.read_table(path, columns=["outcome", "horizon_months", "value"])
            if spec.compare_to_baseline:
                b_path = store.table_path(store.run_dir(out, f"{baseline_key(overrides)}/r{r}"), store.OUTCOMES)
                if not b_path.exists():
                    continue
                b = store.read_table(b_path, columns=["value"])["value"].to_numpy()
                o["baseline"] = b
                o["effect"] = o["value"].to_numpy() - b
            o.insert(0, "point", row[0])
            o.insert(1, "replication", r)
            o.insert(2, "seed", spec.seed + r)
            for i, n in enumerate(names):
                o.insert(3 + i, n, values[n])
            frames.append(o)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# ------------------------------------------------------------------------------- running
@dataclass
class SweepResult:
    """What a sweep produced: its ``points`` design and the run report; the table is on disk
    (``out / "points.parquet"``), read it with :meth:`table` (optionally a subset of columns)."""

    spec: SweepSpec
    out: Path
    points: pd.DataFrame
    report: RunReport

    @property
    def failed(self) -> dict[str, str]:
        return self.report.failed

    def table(self, **filters) -> pd.DataFrame:
        """The tidy results, e.g. ``table(outcome="stock", horizon_months=120)``."""
        path = store.table_path(self.out, "points")
        if not path.exists():
            return pd.DataFrame()
        return store.read_table(path, filters=[(k, "==", v) for k, v in filters.items()] or None)


def run_sweep(source: str | os.PathLike | dict, out: str | os.PathLike | None = None, workers: int | None = None,
              scheduler: str | None = None, progress: bool | None = None, fresh: bool = False) -> SweepResult:
    """Run a sweep file (or dict) into ``out`` (default ``results/<name>``); resumes where it
    stopped (``fresh``: replaces what ``out`` holds instead)."""
    spec, text, points = load(source)
    out = Path(out) if out is not None else Path("results") / spec.name
    tasks = tasks_of(spec, points)
    if scheduler:
        check_scheduler(scheduler)
    with store.held(out, "sweep", fresh):
        manifest = store.start_output(out, "sweep", spec.name, spec.model_dump(), text, workers, scheduler,
                                      points=len(points), runs=len(tasks),
                                      seeds=[spec.seed + r for r in range(spec.replications)])
        if not store.table_path(out, "design").exists():
            atomic_write(store.table_path(out, "design"), lambda tmp: points.to_parquet(tmp, index=False))
        t0 = time.perf_counter()
        report = run_all(tasks, out, workers=workers, scheduler=scheduler, progress=progress)
        write_points_table(spec, points, out)
        write_json(out / store.MANIFEST, {**manifest, **report.manifest_entries(t0)})
    return SweepResult(spec, out, points, report)
