"""Global sensitivity analysis of a finished sweep: which parameters drive which outcome.

For a ``sobol`` design: first-order (S1) and total (ST) Sobol indices with 95% bootstrap
intervals (SALib, Saltelli/Jansen estimators). For a ``morris`` design: mu* (mean absolute
elementary effect, with its 95% interval), mu and sigma (SALib). Both are computed on the mean
over replications at each point, in design units (each parameter's range scaled to [0, 1]),
so mu* compares parameters over their whole ranges. Every design also gets response heatmaps:
the mean outcome over two parameters (grid values, or quantile bins of a sampled design).

``labour-abm sensitivity DIR`` writes ``DIR/sensitivity/indices.csv`` and the plots.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UserError
from ..io import store
from ..io.files import atomic_write
from . import plots

DEFAULT_OUTCOMES = ("durable_exits_12", "exits_to_work", "stock", "public_cost_eur")
CONFIDENCE_RESAMPLES = 1000


@dataclass(frozen=True)
class SweepDesign:
    """What the indices need to know of a sweep: its design and what it varied.

    Built by :meth:`of` from the sweep's spec, a ``SweepSpec`` or the dict its manifest stores,
    so that the analysis reads what the sweep wrote and never needs the experiment layer."""

    kind: str  # grid, random, lhs, sobol or morris
    names: tuple[str, ...]  # the varied parameters, in the design's column order
    listed: frozenset[str]  # those varied over a list of values (not a range)
    seed: int
    morris_levels: int
    compare_to_baseline: bool
    months: int

    @classmethod
    def of(cls, spec) -> SweepDesign:
        if isinstance(spec, SweepDesign):
            return spec
        d = spec if isinstance(spec, dict) else spec.model_dump()
        vary = d["vary"]
        return cls(d["design"], tuple(vary), frozenset(k for k, v in vary.items() if v.get("values") is not None),
                   int(d.get("design_seed", 0)), int(d.get("morris_levels", 4)), bool(d.get("compare_to_baseline")),
                   int(d["months"]))


def salib_problem(names) -> dict:
    """The SALib problem in design units: every parameter on [0, 1] (the sweep maps units to values)."""
    names = list(names)
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def point_means(table: pd.DataFrame, n_points: int, column: str) -> np.ndarray:
    """Mean of ``column`` over replications at each point, in point order (every point needed)."""
    y = table.groupby("point")[column].mean().reindex(range(n_points))
    missing = int(y.isna().sum())
    if missing:
        raise UserError(f"{missing} of {n_points} points have no finished run; run the sweep again to finish "
                        "them (indices need every point).")
    return y.to_numpy(dtype=float)


def indices(spec, design: pd.DataFrame, y: np.ndarray) -> pd.DataFrame:
    """Sobol or Morris indices of one outcome (one row per parameter); empty for other designs.
    ``spec``: the sweep's spec (see :meth:`SweepDesign.of`)."""
    spec = SweepDesign.of(spec)
    problem = salib_problem(spec.names)
    if spec.kind == "sobol":
        from SALib.analyze import sobol

        if not np.ptp(y) > 0:  # a constant outcome: no variance to share out
            zero = dict.fromkeys(("S1", "S1_conf", "ST", "ST_conf"), 0.0)
            return pd.DataFrame({"parameter": problem["names"], **zero})
        r = sobol.analyze(problem, y, calc_second_order=False, num_resamples=CONFIDENCE_RESAMPLES,
                          conf_level=0.95, seed=spec.seed)
        return pd.DataFrame({"parameter": problem["names"], "S1": r["S1"], "S1_conf": r["S1_conf"],
                             "ST": r["ST"], "ST_conf": r["ST_conf"]})
    if spec.kind == "morris":
        from SALib.analyze import morris

        x = design[[f"unit:{n}" for n in problem["names"]]].to_numpy()
        r = morris.analyze(problem, x, y, num_resamples=CONFIDENCE_RESAMPLES, conf_level=0.95,
                           num_levels=spec.morris_levels, seed=spec.seed)
        return pd.DataFrame({"parameter": problem["names"], "mu": r["mu"], "mu_star": r["mu_star"],
                             "mu_star_conf": r["mu_star_conf"], "sigma": r["sigma"]})
    return pd.DataFrame()


def response_table(spec, design: pd.DataFrame, y: np.ndarray, x: str, z: str,
                   bins: int = 5) -> pd.DataFrame:
    """Points with two parameters as heatmap axes: grid values as they are, sampled values in
    quantile bins labelled by their mean."""
    spec = SweepDesign.of(spec)
    frame = pd.DataFrame({"value": y})
    for name in (x, z):
        col = design[name]
        if spec.kind == "grid" or name in spec.listed or col.nunique() <= bins:
            frame[name] = col.to_numpy()
        else:
            binned = pd.qcut(col.astype(float), bins, duplicates="drop")
            frame[name] = col.groupby(binned, observed=True).transform("mean").round(4).to_numpy()
    return frame


def analyse(directory: str | Path, outcomes: list[str] | None = None, horizon: int | None = None,
            plot: bool = True) -> pd.DataFrame:
    """Indices for each outcome of a finished sweep in ``directory``; writes ``sensitivity/``."""
    directory = Path(directory)
    manifest = store.read_manifest(directory, "`labour-abm sweep`") if (directory / store.MANIFEST).is_file() else {}
    if "sweep" not in manifest or "spec" not in manifest:
        raise UserError(f"{directory}: not a sweep directory (no sweep manifest.json); "
                        "run `labour-abm sweep` first.")
    points = store.table_path(directory, "points")
    if not points.is_file():
        raise UserError(f"{directory}: no points.parquet yet; run the sweep to the end first.")
    spec = SweepDesign.of(manifest["spec"])
    design = store.read_table(store.table_path(directory, "design"))
    column = "effect" if spec.compare_to_baseline else "value"
    horizon = spec.months if horizon is None else horizon
    available = store.read_table(points, columns=["outcome", "horizon_months"])
    available = available.drop_duplicates()
    if horizon not in set(available["horizon_months"]):
        raise UserError(f"--horizon {horizon}: the sweep has horizons {sorted(set(available['horizon_months']))}.")
    outcomes = list(outcomes or DEFAULT_OUTCOMES)
    unknown = sorted(set(outcomes) - set(available["outcome"]))
    if unknown:
        known = ", ".join(sorted(set(available["outcome"])))
        raise UserError(f"--outcome {', '.join(unknown)}: unknown. Outcomes: {known}.")
    folder = directory / "sensitivity"
    folder.mkdir(exist_ok=True)
    frames = []
    for outcome in outcomes:
        table = store.read_table(points, columns=["point", column],
                                filters=[("outcome", "==", outcome), ("horizon_months", "==", horizon)])
        y = point_means(table, len(design), column)
        result = indices(spec, design, y)
        if len(result):
            result.insert(0, "outcome", outcome)
            result.insert(1, "horizon_months", horizon)
            result.insert(2, "of", column)
            frames.append(result)
        if plot:
            _plot(spec, design, y, result, outcome, column, folder)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(out):
        _merge_into(folder / "indices.csv", out)
    return out


def _merge_into(path: Path, new: pd.DataFrame) -> None:
    """Write ``new`` into the indices table, replacing only the outcomes and horizon it covers, so
    analysing another outcome later adds to the table rather than replacing it."""
    if path.exists():
        old = pd.read_csv(path)
        covered = old.set_index(["outcome", "horizon_months"]).index.isin(
            new.set_index(["outcome", "horizon_months"]).index)
        new = pd.concat([old[~covered], new], ignore_index=True)
    atomic_write(path, lambda tmp: new.to_csv(tmp, index=False))


def _plot(spec, design, y, result, outcome, column, folder: Path) -> None:
    what = plots.OUTCOME_LABELS.get(outcome, outcome)  # names with units, as in the experiment report
    label = f"{what} ({'effect vs baseline' if column == 'effect' else 'value'})"
    if spec.kind == "sobol" and len(result):
        plots.save(plots.plot_sobol(result, label), folder / f"{outcome}_sobol")
        ranked = list(result.sort_values("ST", ascending=False)["parameter"])
    elif spec.kind == "morris" and len(result):
        plots.save(plots.plot_morris(result, label), folder / f"{outcome}_morris")
        ranked = list(result.sort_values("mu_star", ascending=False)["parameter"])
    else:
        ranked = list(spec.names)
    if len(ranked) >= 2:  # the two that matter most (or, without indices, the first two)
        x, z = ranked[0], ranked[1]
        frame = response_table(spec, design, y, x, z)
        plots.save(plots.plot_response_heatmap(frame, x, z, "value", title=label), folder / f"{outcome}_heatmap")
