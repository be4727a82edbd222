"""Parameter ensembles: the parameter sets consistent with what is known, not one best point.

``labour-abm ensemble`` finds them by history matching (Vernon, Goldstein & Bower 2010; used
for agent-based models by Andrianakis et al. 2015). The uncertain parameters have plausible
ranges with sources (:mod:`labour_abm.analysis.uncertainty`). A parameter set is
*implausible* when a baseline run with it lies too far from a calibration target:

    I_k = |simulated_k - target_k| / sqrt(tolerance_k ** 2 + noise_k ** 2)

The tolerance stands for what the target's source and the model's structure leave open. The
noise is the spread of the statistic over seeds at the default parameters, since each set is
run with one seed. A set is kept when every calibration target has I_k <= ``cutoff``. The
usual rule is 3 (three sigma: Pukelsheim 1994) for a distance in standard deviations; the
targets' tolerance is already what their sources call a pass (docs/calibration.md), so the
default is 2: a member is at most two tolerances off any calibration target. Wave 1 draws a
Latin hypercube over the plausible ranges (the preset's own values first). Each later wave
draws near the sets kept so far, so the search narrows down. The ensemble is ``members`` of the
kept sets, drawn at random. The parameters of measures do not move the baseline, so the
targets cannot narrow them: each member draws them from their plausible ranges (the ensemble
then carries what is not known about them). A check runs every member once more on fresh
seeds and asks, for every target, calibration and check alike, whether it lies within the
members' spread.
"""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis import uncertainty
from ..analysis.validation import STATISTICS, check_months, load_targets
from ..core import presets
from ..core.params import resolve_parameters
from ..errors import UserError
from ..io import store
from ..io.files import atomic_write, write_json
from ..io.provenance import versions
from ..measures import REGISTRY, make_measure
from .calibration import run_statistics
from .runner import run_jobs

NOISE_SEEDS = 8  # runs at the default parameters that measure each statistic's spread over seeds
MEMBER = "member"


def implausibility(stats: pd.DataFrame, targets: list, noise_sd: dict[str, float]) -> pd.DataFrame:
    """I_k per run (row) and target (column), and ``max`` over the targets (NaN counts as
    implausible: the run gives the target no value)."""
    out = pd.DataFrame({t.statistic: (stats[t.statistic] - t.value).abs()
                        / np.sqrt(t.tolerance ** 2 + noise_sd.get(t.statistic, 0.0) ** 2) for t in targets})
    out["max"] = out.max(axis=1, skipna=False).fillna(np.inf)
    return out


def refocus(kept: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` new points in the unit cube near the kept ones: a kept point at random plus a normal
    step of half the kept points' spread in each dimension, reflected into the cube."""
    spread = np.maximum(kept.std(axis=0), 0.02) if len(kept) > 1 else np.full(kept.shape[1], 0.1)
    points = kept[rng.integers(len(kept), size=n)] + rng.normal(0.0, 0.5 * spread, size=(n, kept.shape[1]))
    points = np.abs(points)  # reflect at 0 ...
    return np.where(points > 1.0, 2.0 - points, points).clip(0.0, 1.0)  # ... and at 1


def build_ensemble(preset: str = "nijmegen", points: int = 300, waves: int = 2, members: int = 30,
                   months: int = 60, seed: int = 1, cutoff: float = 2.0, out: str | Path | None = None,
                   workers: int | None = None, progress: bool | None = None, fresh: bool = False) -> Path:
    """Run the history matching and write the ensemble (``ensemble.csv``), every evaluated set
    (``points.parquet``), the check on fresh seeds (``coverage.csv``) and a manifest."""
    if points < 2 or waves < 1 or members < 2 or cutoff <= 0:
        raise UserError("ensemble: --points must be at least 2, --waves at least 1, --members at least 2 and "
                        "--cutoff above 0.")
    targets = [t for t in load_targets(preset) if t.role == "calibration"]
    check_months(months, targets, where="ensemble: ")
    priors = uncertainty.load()
    core = {k: p for k, p in priors.items() if p.measure is None}
    base = presets.preset_parameters(preset)
    resolve_parameters(base, {"months": months}, where="ensemble: ")
    out = Path(out) if out is not None else Path("results") / f"ensemble_{preset}"
    with store.held(out, "ensemble", fresh) as out_dir:
        store.clear(out_dir, store.RESULT_ENTRIES)
        t0 = time.perf_counter()
        rng = np.random.default_rng([seed, 0xE45E])

        def evaluate(unit: np.ndarray, first_seed: int, wave: int) -> pd.DataFrame:
            values = uncertainty.from_unit(core, unit)
            jobs = {i: (preset, {**row, "months": months}, first_seed + i) for i, row in enumerate(values)}
            stats = run_jobs(run_statistics, jobs, workers, progress)
            frame = pd.concat([pd.DataFrame(values), pd.DataFrame([stats[i] for i in range(len(values))])], axis=1)
            return frame.assign(wave=wave, seed=[first_seed + i for i in range(len(values))])

        noise = run_jobs(run_statistics, {i: (preset, {"months": months}, seed + 900_000 + i)
                                           for i in range(NOISE_SEEDS)}, workers, progress)
        noise_sd = pd.DataFrame(list(noise.values())).std(ddof=1).to_dict()
        evaluated, unit_kept = [], np.empty((0, len(core)))
        for wave in range(1, waves + 1):
            if wave == 1:  # a Latin hypercube, with the preset's own values (clipped to the ranges) first
                unit = uncertainty.latin_hypercube(len(core), points, rng)
                unit[0] = uncertainty.to_unit(core, resolve_parameters(base).model_dump())
            else:
                unit = refocus(unit_kept, points, rng) if len(unit_kept) else uncertainty.latin_hypercube(
                    len(core), points, rng)
            frame = evaluate(unit, seed + 1_000 * wave * points, wave)
            frame["implausibility"] = implausibility(frame, targets, noise_sd)["max"].to_numpy()
            evaluated.append(frame)
            unit_kept = np.vstack([unit_kept, unit[frame["implausibility"].to_numpy() <= cutoff]])
        every = pd.concat(evaluated, ignore_index=True)
        kept = every[every["implausibility"] <= cutoff].reset_index(drop=True)
        if len(kept) < members:
            raise UserError(f"ensemble: only {len(kept)} of {len(every)} parameter sets are consistent with the "
                            f"targets (cutoff {cutoff}); ask for fewer --members, more --points or --waves, or check "
                            "the targets and ranges (points.parquet is not written).")
        chosen = kept.iloc[np.sort(rng.choice(len(kept), size=members, replace=False))].reset_index(drop=True)
        ensemble = chosen[list(core)].copy()
        measure_priors = {k: p for k, p in priors.items() if p.measure is not None}
        if measure_priors:
            drawn = uncertainty.from_unit(measure_priors, uncertainty.latin_hypercube(len(measure_priors), members,
                                                                                      rng))
            ensemble = pd.concat([ensemble, pd.DataFrame(drawn).apply(_as_declared)], axis=1)
        ensemble.insert(0, MEMBER, np.arange(members))
        coverage = check_coverage(preset, ensemble, months, seed + 100_000, workers, progress)
        store.write_table(every, out_dir / "points.parquet")
        atomic_write(out_dir / "ensemble.csv", lambda tmp: ensemble.to_csv(tmp, index=False, float_format="%.6g"))
        atomic_write(out_dir / "coverage.csv", lambda tmp: coverage.to_csv(tmp, index=False, float_format="%.6g"))
        write_json(out_dir / store.MANIFEST, {
            "kind": "ensemble", "preset": preset, "points": points, "waves": waves, "members": members,
            "months": months, "seed": seed, "cutoff": cutoff, "evaluated": len(every), "kept": len(kept),
            "noise_sd": {t.statistic: noise_sd.get(t.statistic) for t in targets}, **versions(),
            "seconds": round(time.perf_counter() - t0, 1)})
    return out_dir


def check_coverage(preset: str, ensemble: pd.DataFrame, months: int, first_seed: int, workers: int | None,
                   progress: bool | None) -> pd.DataFrame:
    """Every member once on a fresh seed: for each target (calibration and check), the members'
    mean, the middle 95% of their values, and whether the target lies within it."""
    jobs = {m: (preset, {**core_values(ensemble, m), "months": months}, first_seed + m) for m in range(len(ensemble))}
    stats = pd.DataFrame(list(run_jobs(run_statistics, jobs, workers, progress).values()))
    rows = []
    for t in load_targets(preset):
        v = stats[t.statistic].dropna()
        lo, hi = (np.percentile(v, [2.5, 97.5]) if len(v) else (np.nan, np.nan))
        rows.append({"statistic": t.statistic, "role": t.role, "target": t.value, "tolerance": t.tolerance,
                     "ensemble_mean": v.mean(), "ensemble_low": lo, "ensemble_high": hi,
                     "covered": bool(lo - t.tolerance <= t.value <= hi + t.tolerance) if len(v) else False,
                     "meaning": STATISTICS.get(t.statistic, "")})
    return pd.DataFrame(rows)


# -------------------------------------------------------------------------- using an ensemble
def load_ensemble(source: str) -> pd.DataFrame:
    """An ensemble by name (shipped: ``data/ensembles/<name>.csv``) or path (an ``ensemble.csv``),
    checked: every column a parameter or a measure's parameter, every value allowed."""
    shipped = resources.files("labour_abm") / "data" / "ensembles" / f"{source}.csv"
    path = Path(source)
    if shipped.is_file():
        frame, where = pd.read_csv(shipped), f"ensemble '{source}': "
    elif path.is_file():
        try:
            frame, where = pd.read_csv(path), f"{path}: "
        except (ValueError, OSError) as exc:
            raise UserError(f"{path}: not an ensemble file ({exc}).") from None
    else:
        names = sorted(p.name.removesuffix(".csv") for p in (resources.files("labour_abm") / "data" / "ensembles")
                       .iterdir() if p.name.endswith(".csv"))
        raise UserError(f"ensemble '{source}': neither a shipped ensemble ({', '.join(names)}) nor a file.")
    if MEMBER not in frame or len(frame) < 2:
        raise UserError(f"{where}needs a '{MEMBER}' column and at least 2 members (an ensemble.csv of labour-abm "
                        "ensemble).")
    for column in frame.columns.drop(MEMBER):
        measure, _, name = column.rpartition(".")
        if frame[column].isna().any():
            raise UserError(f"{where}column {column} has empty values.")
        if measure:
            if measure not in REGISTRY or name not in REGISTRY[measure].Params.model_fields:
                raise UserError(f"{where}column {column}: not a parameter of a measure.")
            for value in frame[column].unique():
                make_measure(measure, {name: _plain(value)}, where=f"{where}column {column}: ")
        else:
            for value in frame[column].unique():
                resolve_parameters({column: _plain(value)}, where=f"{where}column {column}: ")
    return frame


def _as_declared(column: pd.Series) -> pd.Series:
    """A measure parameter's draws, rounded where the parameter is a whole number (months)."""
    measure, _, name = str(column.name).rpartition(".")
    return column.round().astype(int) if REGISTRY[measure].Params.model_fields[name].annotation is int else column


def _plain(value):
    """A CSV value as the type a parameter expects (integers stay integers)."""
    return int(value) if float(value).is_integer() and isinstance(value, (int, np.integer)) else float(value)


def core_values(ensemble: pd.DataFrame, member: int) -> dict:
    """The model parameters of one member."""
    row = ensemble.iloc[member]
    return {c: _plain(row[c]) for c in ensemble.columns if c != MEMBER and "." not in c}


def measure_values(ensemble: pd.DataFrame, member: int) -> dict[str, dict]:
    """The measures' parameters of one member: measure name -> {parameter: value}."""
    row, out = ensemble.iloc[member], {}
    for c in ensemble.columns:
        measure, _, name = c.rpartition(".")
        if measure:
            out.setdefault(measure, {})[name] = _plain(row[c])
    return out
