"""Summaries of stored runs that the plots and the report draw: tidy tables, one row per point.

- :func:`monthly_bands`: each monthly series per arm, its mean and the range of the middle
  95% of replications, month by month;
- :func:`survival`: Kaplan-Meier curves of time on benefit for spells that start during the
  run, by arm and by barrier at the start of the spell;
- :func:`cumulative_effects`: the paired effect of each arm on cumulative exits to work and
  durable exits at every horizon (not only 12/24/36 months), with 95% intervals;
- :func:`experiment_summaries`: all three for an experiment directory, reading one arm's runs
  at a time so that memory stays bounded by one arm.

They read only the stored tables (``monthly.parquet``, ``spells.parquet``), like
:mod:`labour_abm.analysis.outcomes`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..io import store
from .outcomes import durable_exit_months

BAND = (2.5, 97.5)  # percentiles of replications drawn as the band
# barrier at the start of a spell -> group label in the survival curves
SURVIVAL_GROUPS = {
    "all": None,
    "debt": "problematic_debt",
    "insufficient Dutch": "insufficient_dutch",
    "poor mental health": "poor_mental_health",
    "no start qualification": "no_start_qualification",
    "low motivation": "low_motivation",
}


def monthly_bands(monthly_by_replication: list[pd.DataFrame], arm: str) -> pd.DataFrame:
    """Mean and 95% range across replications of every numeric monthly column.

    Returns columns arm, month, series, mean, low, high, n_replications (tidy)."""
    columns = [c for c in monthly_by_replication[0].columns if c != "month"]
    stack = np.stack([m[columns].to_numpy(dtype=float) for m in monthly_by_replication])  # rep x month x col
    months = monthly_by_replication[0]["month"].to_numpy()
    mean = stack.mean(axis=0)
    low, high = np.percentile(stack, BAND, axis=0)
    n_month, n_col = mean.shape
    return pd.DataFrame({
        "arm": arm,
        "month": np.repeat(months, n_col),
        "series": np.tile(columns, n_month),
        "mean": mean.ravel(), "low": low.ravel(), "high": high.ravel(),
        "n_replications": len(monthly_by_replication),
    })


def kaplan_meier(duration: np.ndarray, ended: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier survival S(t) for t = 0..horizon months and the number at risk at each t.

    ``duration``: months from the start of the spell to its end (or to censoring, where
    ``ended`` is False). S(t) is the share still on benefit t months after the start."""
    duration = np.asarray(duration, dtype=np.int64)
    ended = np.asarray(ended, dtype=bool)
    t = np.arange(horizon + 1)
    events = np.bincount(duration[ended], minlength=horizon + 2)[: horizon + 1]
    leaving = np.bincount(duration, minlength=horizon + 2)  # events and censorings at each duration
    at_risk = len(duration) - np.concatenate(([0], np.cumsum(leaving)[:-1]))[: horizon + 1]
    hazard = np.divide(events, at_risk, out=np.zeros(horizon + 1), where=at_risk > 0)
    surv = np.cumprod(1.0 - hazard)
    # S(t) = share still on benefit *after* t months: an exit at duration d ends the spell in month d
    return np.concatenate(([1.0], surv[:-1])), at_risk[t]


def survival(spells_by_replication: list[pd.DataFrame], months: int, arm: str) -> pd.DataFrame:
    """Kaplan-Meier curves of time on benefit, pooled over replications, for spells starting
    during the run, overall and by barrier at the start (columns arm, group, month, survival,
    at_risk)."""
    frames = []
    spells = pd.concat(spells_by_replication, ignore_index=True)
    spells = spells[spells["start_month"] >= 0]
    start = spells["start_month"].to_numpy(dtype=np.int64)
    ended = spells["end_month"].notna().to_numpy()
    end = spells["end_month"].to_numpy(dtype=float, na_value=np.nan)
    # an open spell was observed through the last month: censored at that duration
    duration = np.where(ended, end - start, months - 1 - start).astype(np.int64)
    horizon = months - 1
    for label, flag in SURVIVAL_GROUPS.items():
        mask = np.ones(len(spells), bool) if flag is None else spells[flag].to_numpy(dtype=bool)
        if not mask.any():
            continue
        surv, at_risk = kaplan_meier(duration[mask], ended[mask], horizon)
        frames.append(pd.DataFrame({"arm": arm, "group": label, "month": np.arange(horizon + 1),
                                    "survival": surv, "at_risk": at_risk}))
    if not frames:  # no spell started during the run (one month, or no inflow): no curve to draw
        return pd.DataFrame(columns=["arm", "group", "month", "survival", "at_risk"])
    return pd.concat(frames, ignore_index=True)


def cumulative_series(monthly: pd.DataFrame, spells: pd.DataFrame) -> dict[str, np.ndarray]:
    """One run's cumulative outcomes at every horizon h = 1..months (index h - 1), defined as in
    :mod:`labour_abm.analysis.outcomes`: durable exits at horizon h are exits to work up to month
    h - 1 - k that were not followed by a return within k months."""
    months = len(monthly)
    out = {"exits_to_work": monthly["exits_work"].cumsum().to_numpy(dtype=float)}
    for k in (6, 12):
        exit_month = durable_exit_months(spells, k)
        exit_month = exit_month[np.isfinite(exit_month)].astype(np.int64)
        counts = np.bincount(exit_month, minlength=months)[:months].cumsum()
        h = np.arange(1, months + 1)
        out[f"durable_exits_{k}"] = np.where(h - 1 - k >= 0, counts[np.maximum(h - 1 - k, 0)], 0.0)  # none yet
    return out


def cumulative_effects(base: list[dict[str, np.ndarray]], arm_runs: list[dict[str, np.ndarray]],
                       arm: str) -> pd.DataFrame:
    """Paired effect of ``arm`` on each cumulative series at every horizon, with a 95% t interval
    (columns arm, outcome, horizon_months, effect_mean, ci_low, ci_high, n_replications)."""
    frames = []
    n = len(arm_runs)
    for outcome in base[0]:
        d = np.stack([a[outcome] - b[outcome] for a, b in zip(arm_runs, base, strict=True)])
        mean = d.mean(axis=0)
        sd = d.std(axis=0, ddof=1) if n > 1 else np.full(d.shape[1], np.nan)
        half = stats.t.ppf(0.975, max(n - 1, 1)) * sd / np.sqrt(n)
        half = np.where(sd == 0, 0.0, half)
        frames.append(pd.DataFrame({
            "arm": arm, "outcome": outcome, "horizon_months": np.arange(1, d.shape[1] + 1),
            "effect_mean": mean, "ci_low": mean - half, "ci_high": mean + half, "n_replications": n,
        }))
    return pd.concat(frames, ignore_index=True)


def experiment_summaries(out: Path, arms: list[str], replications: range | list[int],
                         max_survival_replications: int = 20) -> dict[str, pd.DataFrame]:
    """Bands, survival curves and cumulative effects for an experiment directory ``out`` with
    these ``arms`` (the first is the baseline's comparison: "baseline") and replications.

    Only replications that finished in every arm are used (pairs). Survival curves pool the
    first ``max_survival_replications`` of them (enough for smooth curves)."""
    def run(arm: str, r: int) -> Path:
        return store.run_dir(out, f"{arm}/r{r}")

    reps = [r for r in replications if all(store.table_path(run(a, r), "monthly").exists() for a in arms)]
    if not reps:
        return {}
    bands, curves, series_of = [], [], {}
    for arm in arms:
        monthly, spells, series = [], [], []
        for i, r in enumerate(reps):
            m = store.read_table(store.table_path(run(arm, r), "monthly"))
            s = store.read_table(store.table_path(run(arm, r), "spells"))
            monthly.append(m)
            series.append(cumulative_series(m, s))
            if i < max_survival_replications:
                spells.append(s)
        bands.append(monthly_bands(monthly, arm))
        curves.append(survival(spells, len(monthly[0]), arm))
        series_of[arm] = series
    cumulative = [cumulative_effects(series_of["baseline"], series_of[arm], arm) for arm in arms
                  if arm != "baseline"]
    return {
        "bands": pd.concat(bands, ignore_index=True),
        "survival": pd.concat(curves, ignore_index=True),
        "cumulative": pd.concat(cumulative, ignore_index=True) if cumulative else pd.DataFrame(),
    }
