"""Summaries of stored runs that the plots and the report draw: tidy tables, one row per point.

- :func:`monthly_bands`: each monthly series per arm, its mean and the range of the middle
  95% of replications, month by month;
- :func:`survival`: Kaplan-Meier curves of time on benefit for spells that start during the
  run, by arm and by barrier at the start of the spell;
- :func:`paired_effects`: the paired effect of each arm on exits to work, durable exits and
  the number of people on benefit at every horizon (not only 12/24/36 months), with 95% intervals;
- :func:`experiment_summaries`: all three for an experiment directory, reading one arm's runs
  at a time so that memory stays bounded by one arm.

They read only the stored tables, like :mod:`labour_abm.analysis.outcomes`. Of a run's spells
they need only counts: :func:`spell_counts` reduces a run's spells to the few hundred numbers
the survival curves and paired effects are made of. An experiment's runs store these
(``spell_counts.parquet``) and may leave their spells out (``keep = "summary"``); the counts of
several replications add up to the counts of their pooled spells, so the curves are the same
either way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

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
    return kaplan_meier_from_counts(np.bincount(duration[ended], minlength=horizon + 1),
                                    np.bincount(duration, minlength=horizon + 1), horizon)


def kaplan_meier_from_counts(ended: np.ndarray, left: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`kaplan_meier` from counts by duration d = 0, 1, ...: ``ended[d]`` spells ended after
    d months, ``left[d]`` ended or were censored then (so ``left.sum()`` spells in all)."""
    ended, left = (np.pad(a, (0, max(0, horizon + 1 - len(a)))) for a in (ended, left))
    events = ended[: horizon + 1]
    at_risk = left.sum() - np.concatenate(([0], np.cumsum(left)[:horizon]))  # less those gone before t
    hazard = np.divide(events, at_risk, out=np.zeros(horizon + 1), where=at_risk > 0)
    surv = np.cumprod(1.0 - hazard)
    # S(t) = share still on benefit *after* t months: an exit at duration d ends the spell in month d
    return np.concatenate(([1.0], surv[:-1])), at_risk


# what spell_counts holds: for the survival curves, spells starting during the run that ended
# (spells_ended) or ended or were censored (spells_left) after ``month`` months, by group; for the
# cumulative effects, durable exits by the month of the exit (group "all")
SPELL_COUNT_SERIES = ("spells_ended", "spells_left", "durable_exits_6", "durable_exits_12")
DURABLE_AFTER = (6, 12)  # months without a return that make an exit to work durable, as in the outcomes


def spell_counts(spells: pd.DataFrame, months: int) -> pd.DataFrame:
    """What the survival curves and cumulative effects need of one run's spells (``months``
    long), as counts: columns series (:data:`SPELL_COUNT_SERIES`), group, month, count; only
    counts above zero are listed."""
    frames = []
    new = spells[spells["start_month"] >= 0]
    start = new["start_month"].to_numpy(dtype=np.int64)
    ended = new["end_month"].notna().to_numpy()
    end = new["end_month"].to_numpy(dtype=float, na_value=np.nan)
    # an open spell was observed through the last month: censored at that duration
    duration = np.where(ended, end - start, months - 1 - start).astype(np.int64)
    for label, flag in SURVIVAL_GROUPS.items():
        mask = np.ones(len(new), bool) if flag is None else new[flag].to_numpy(dtype=bool)
        frames.append(_counts("spells_ended", label, duration[mask & ended]))
        frames.append(_counts("spells_left", label, duration[mask]))
    for k in DURABLE_AFTER:
        exit_month = durable_exit_months(spells, k)
        frames.append(_counts(f"durable_exits_{k}", "all", exit_month[np.isfinite(exit_month)].astype(np.int64)))
    return pd.concat(frames, ignore_index=True)


def _counts(series: str, group: str, months: np.ndarray) -> pd.DataFrame:
    count = np.bincount(months)
    month = np.flatnonzero(count)
    return pd.DataFrame({"series": series, "group": group, "month": month.astype(np.int64),
                         "count": count[month].astype(np.int64)})


def _by_month(counts: pd.DataFrame, series: str, group: str, length: int) -> np.ndarray:
    """One series of (pooled) spell counts as an array indexed by month, at least ``length`` long."""
    rows = counts[(counts["series"] == series) & (counts["group"] == group)]
    month = rows["month"].to_numpy(dtype=np.int64)
    return np.bincount(month, weights=rows["count"].to_numpy(dtype=np.int64), minlength=length).astype(np.int64)


def survival(spells_by_replication: list[pd.DataFrame], months: int, arm: str) -> pd.DataFrame:
    """Kaplan-Meier curves of time on benefit, pooled over replications, for spells starting
    during the run, overall and by barrier at the start (columns arm, group, month, survival,
    at_risk)."""
    return survival_from_counts([spell_counts(s, months) for s in spells_by_replication], months, arm)


def survival_from_counts(counts_by_replication: list[pd.DataFrame], months: int, arm: str) -> pd.DataFrame:
    """:func:`survival` from each replication's :func:`spell_counts`."""
    frames = []
    counts = pd.concat(counts_by_replication, ignore_index=True)
    horizon = months - 1
    for label in SURVIVAL_GROUPS:
        left = _by_month(counts, "spells_left", label, horizon + 1)
        if not left.any():
            continue
        surv, at_risk = kaplan_meier_from_counts(_by_month(counts, "spells_ended", label, horizon + 1), left,
                                                 horizon)
        frames.append(pd.DataFrame({"arm": arm, "group": label, "month": np.arange(horizon + 1),
                                    "survival": surv, "at_risk": at_risk}))
    if not frames:  # no spell started during the run (one month, or no inflow): no curve to draw
        return pd.DataFrame(columns=["arm", "group", "month", "survival", "at_risk"])
    return pd.concat(frames, ignore_index=True)


def horizon_series(monthly: pd.DataFrame, counts: pd.DataFrame) -> dict[str, np.ndarray]:
    """One run's outcomes at every horizon h = 1..months (index h - 1), from its monthly table
    and :func:`spell_counts`, defined as in :mod:`labour_abm.analysis.outcomes`: the people on
    benefit at the end of month h - 1; exits to work in months 0..h-1; durable exits at horizon
    h are exits to work up to month h - 1 - k that were not followed by a return within k months."""
    months = len(monthly)
    out = {"stock": monthly["stock"].to_numpy(dtype=float),
           "exits_to_work": monthly["exits_work"].cumsum().to_numpy(dtype=float)}
    h = np.arange(1, months + 1)
    for k in DURABLE_AFTER:
        exits = _by_month(counts, f"durable_exits_{k}", "all", months)[:months].cumsum()
        out[f"durable_exits_{k}"] = np.where(h - 1 - k >= 0, exits[np.maximum(h - 1 - k, 0)], 0.0)  # none yet
    return out


def paired_effects(base: list[dict[str, np.ndarray]], arm_runs: list[dict[str, np.ndarray]],
                   arm: str) -> pd.DataFrame:
    """Paired effect of ``arm`` (minus the baseline) on each :func:`horizon_series` at every
    horizon, with a 95% t interval over replications (chance only)
    (columns arm, outcome, horizon_months, effect_mean, ci_low, ci_high, n_replications)."""
    from scipy import stats  # here: the runs of an experiment use this module but not this function

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
    """Bands, survival curves and paired effects by horizon for an experiment directory ``out`` with
    these ``arms`` (the first is the baseline's comparison: "baseline") and replications.

    Only replications that finished in every arm are used (pairs). Survival curves pool the
    first ``max_survival_replications`` of them (enough for smooth curves). A run's spell counts
    are read from its ``spell_counts.parquet``, or counted from its spells where it has none
    (a run written before the counts were)."""
    def run(arm: str, r: int) -> Path:
        return store.run_dir(out, f"{arm}/r{r}")

    reps = [r for r in replications if all(store.table_path(run(a, r), "monthly").exists() for a in arms)]
    if not reps:
        return {}
    bands, curves, series_of = [], [], {}
    for arm in arms:
        monthly, counts, series = [], [], []
        for i, r in enumerate(reps):
            m = store.read_table(store.table_path(run(arm, r), "monthly"))
            c = _stored_spell_counts(run(arm, r), len(m))
            monthly.append(m)
            series.append(horizon_series(m, c))
            if i < max_survival_replications:
                counts.append(c)
        bands.append(monthly_bands(monthly, arm))
        curves.append(survival_from_counts(counts, len(monthly[0]), arm))
        series_of[arm] = series
    paired = [paired_effects(series_of["baseline"], series_of[arm], arm) for arm in arms if arm != "baseline"]
    return {
        "bands": pd.concat(bands, ignore_index=True),
        "survival": pd.concat(curves, ignore_index=True),
        "paired": pd.concat(paired, ignore_index=True) if paired else pd.DataFrame(),
    }


def _stored_spell_counts(run: Path, months: int) -> pd.DataFrame:
    path = store.table_path(run, store.SPELL_COUNTS)
    if path.exists():
        return store.read_table(path)
    return spell_counts(store.read_table(store.table_path(run, "spells")), months)
