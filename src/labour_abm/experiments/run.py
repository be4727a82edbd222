"""Run a model to the end and collect its tidy outputs (monthly, spells, events, manifest)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..analysis.summaries import spell_counts
from ..core.model import LabourModel
from ..core.population import EVENTS, EXIT_REASONS, HOUSEHOLDS, ROUTES
from ..io import store
from ..io.files import write_json
from ..io.provenance import git_state, versions
from ..measures import Measure


@dataclass
class RunResult:
    """Outputs of one run: ``monthly``, ``spells`` and ``events`` tables and a ``manifest``."""

    monthly: pd.DataFrame
    spells: pd.DataFrame
    events: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)

    def write(self, out_dir: str | os.PathLike, tables: tuple[str, ...] = store.RUN_TABLES) -> Path:
        """Write ``tables`` (names of :meth:`table`) and the manifest to ``out_dir``, each
        atomically (temporary file, then rename)."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for name in tables:
            store.write_table(self.table(name), store.table_path(out, name))
        write_json(out / store.MANIFEST, self.manifest)
        return out

    def table(self, name: str) -> pd.DataFrame:
        """A table of the run by its file name: monthly, spells, events, or spell_counts (what an
        experiment's summaries need of the spells: analysis.summaries.spell_counts)."""
        if name == store.SPELL_COUNTS:
            return spell_counts(self.spells, len(self.monthly))
        if name not in store.RUN_TABLES:
            raise ValueError(f"a run has no table {name!r}")
        return getattr(self, name)

    def plot(self, path: str | os.PathLike | None = None):
        """Stock; inflow and exits by reason; composition of the stock: returns the matplotlib Figure."""
        from ..analysis.plots import plot_run

        return plot_run(self.monthly, path=path)


def simulate(
    preset: str | None = "nijmegen",
    *,
    seed: int | None = 1,
    measures: list[Measure] | tuple = (),
    progress=None,
    **overrides,
) -> RunResult:
    """Build a :class:`LabourModel`, run all its months and return the tidy outputs.

    ``overrides`` are parameters by name (``months=60``, ``labour_market="covid"``);
    ``progress`` is an optional callable ``progress(month, months)``.
    """
    t0 = time.perf_counter()
    model = LabourModel(preset=preset, measures=measures, seed=seed, **overrides)
    t1 = time.perf_counter()
    while model.running:
        model.step()
        if progress is not None:
            progress(model.month + 1, model.p.months)
    t2 = time.perf_counter()
    result = collect(model)
    result.manifest.update(
        timings_s={"build": round(t1 - t0, 4), "simulate": round(t2 - t1, 4),
                   "collect": round(time.perf_counter() - t2, 4)},
    )
    return result


def collect(model: LabourModel) -> RunResult:
    """Turn a (finished or partly run) model into tidy tables."""
    monthly = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    return RunResult(monthly, spells_table(model), events_table(model), manifest(model))


def spells_table(model: LabourModel) -> pd.DataFrame:
    s = model.spells
    data: dict[str, Any] = {"uid": s.uid.copy(), "spell_id": np.arange(len(s), dtype=np.int64)}
    data["start_month"] = s.start_month.copy()
    end = pd.array(s.end_month.astype(np.int32), dtype="Int32")
    end[s.end_month < 0] = pd.NA  # still on benefit
    data["end_month"] = end
    data["exit_reason"] = _categorical(s.exit_reason, EXIT_REASONS)
    data["age_at_start"] = s.age_at_start.copy()
    data["entry_route"] = _categorical(s.entry_route, ROUTES)
    data["household"] = _categorical(s.household, HOUSEHOLDS)
    for name in s.schema:
        if name not in data:
            data[name] = getattr(s, name).copy()
    return pd.DataFrame(data)


def events_table(model: LabourModel) -> pd.DataFrame:
    cols = model.events.columns()
    frame = pd.DataFrame({
        "uid": cols["uid"],
        "month": cols["month"],
        "event": _categorical(cols["event"], EVENTS),
        "detail": pd.array(cols["detail"], dtype="string"),
    })
    # events of one month come in process order; sort stably so each person's events read in order
    return frame.sort_values(["month", "uid"], kind="stable").reset_index(drop=True)


def _categorical(codes: np.ndarray, names: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=list(names))


def manifest(model: LabourModel) -> dict[str, Any]:
    v = versions()
    return {
        "package": "labour_abm",
        "version": v["version"],
        **git_state(),
        "preset": model.preset,
        "seed": model.seed,
        "months_run": model.steps,
        "parameters": model.p.model_dump(),
        "measures": [{"name": m.name, "parameters": m.p.model_dump()} for m in model.measures],
        **{k: v[k] for k in ("python", "numpy", "pandas", "mesa")},
    }
