"""Paired effects of every arm against the baseline, with 95% confidence intervals.

Replication r of every arm ran with the same seed as replication r of the baseline (common
random numbers), so the effect is estimated from the paired differences d_r = arm_r - base_r:
mean(d) +- t(0.975, n-1) * sd(d) / sqrt(n) (Student t over replications). Identical arms give
d_r = 0 exactly, so an effect of 0 with a zero-width interval. Every effect is arm minus
baseline: a saving is a negative change in cost, a better municipal balance a positive one.

The costs per extra durable outcome are ratios of mean effects: the change in cost over the
months whose exits and diversions the durable outcomes count (the first h - 12 months, for
durable outcomes seen at horizon h) divided by the extra durable outcomes. Gross: the measures'
own spending plus benefit paid above the statutory disregard. Net: the change in public cost
(benefit paid plus the measures' spending), so benefit savings count; negative means each
extra durable outcome comes with a saving. The displacement share is a ratio too: the vacancies
other job seekers out of work did not get (minus the change in their hires) over the caseload's
extra jobs. Their intervals are paired percentile bootstraps over replications (2,000 resamples
with a fixed seed, so the numbers are reproducible).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .outcomes import DURABLE_MONTHS

COLUMNS = ["arm", "outcome", "horizon_months", "group", "baseline_mean", "arm_mean", "effect_mean", "ci_low",
           "ci_high", "n_replications"]
# with an ensemble: the middle 95% of the effects over parameter sets and seeds, and the share of
# their variance from the parameters
ENSEMBLE_COLUMNS = ["range_low", "range_high", "parameter_share"]
BOOTSTRAP_RESAMPLES = 2000
# outcomes the effects table derives from the runs' outcomes (besides each outcome's own effect)
DERIVED_OUTCOMES = {
    "cost_per_extra_durable_outcome_gross_eur": "change in the measures' gross cost per extra durable outcome "
                                                "(12 months), both over the same months",
    "cost_per_extra_durable_outcome_net_eur": "change in public cost (benefit paid plus measures) per extra "
                                              "durable outcome (12 months), both over the same months; negative: "
                                              "a saving with each",
    "displacement_share": "vacancies other job seekers out of work did not get per extra job of the caseload "
                          "(their lost hires over the caseload's extra hires, both cumulative)",
}
# derived outcome -> the cost outcome it divides by the extra durable outcomes
RATIO_COSTS = {"cost_per_extra_durable_outcome_gross_eur": "measure_gross_cost_eur",
               "cost_per_extra_durable_outcome_net_eur": "public_cost_eur"}
DURABLE_OUTCOME = f"durable_outcomes_{DURABLE_MONTHS}"


def paired_effects(outcomes: pd.DataFrame, baseline: str = "baseline") -> pd.DataFrame:
    """Effects table from the runs' outcomes (columns arm, replication, outcome, horizon_months, group, value;
    with a ``member`` column when the replications drew their parameters from an ensemble, the
    :data:`ENSEMBLE_COLUMNS` too)."""
    if outcomes.empty:
        return pd.DataFrame(columns=COLUMNS)
    members = outcomes.groupby("replication")["member"].first() if "member" in outcomes else None
    keys = ["outcome", "horizon_months", "group", "replication"]
    wide = outcomes.pivot_table(index=keys, columns="arm", values="value", aggfunc="first")
    frames = []
    for arm in [a for a in wide.columns if a != baseline]:
        pair = wide[[baseline, arm]].dropna()  # replications where both ran
        d = (pair[arm] - pair[baseline]).groupby(level=[0, 1, 2])
        base = pair[baseline].groupby(level=[0, 1, 2])
        armv = pair[arm].groupby(level=[0, 1, 2])
        n, mean, sd = d.count(), d.mean(), d.std(ddof=1)
        half = _t975(np.maximum(n - 1, 1)) * sd / np.sqrt(n)
        half = half.where(n > 1)  # no interval from one replication
        half = half.where(sd > 0, 0.0).where(n > 1)  # identical pairs: zero width
        frame = pd.DataFrame({
            "arm": arm, "baseline_mean": base.mean(), "arm_mean": armv.mean(), "effect_mean": mean,
            "ci_low": mean - half, "ci_high": mean + half, "n_replications": n,
            **({} if members is None else _spread(pair[arm] - pair[baseline], members)),
        }).reset_index()
        frames.append(frame)
        frames.append(_derived(pair, arm, baseline))
    if not frames:  # only a baseline: nothing to compare
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    columns = COLUMNS + ([] if members is None else ENSEMBLE_COLUMNS)
    return out[columns].sort_values(["arm", "group", "outcome", "horizon_months"], kind="stable").reset_index(drop=True)


def _spread(d: pd.Series, members: pd.Series) -> dict[str, pd.Series]:
    """With an ensemble: the middle 95% of the paired differences over replications (each a
    parameter set and a seed), and the share of their variance that comes from the parameters
    (one-way random effects over members: between-member variance less what chance puts
    there, over the total; NaN unless at least two members have two replications or more)."""
    keys = list(d.index.names[:-1])
    frame = d.rename("d").reset_index()
    frame["member"] = frame["replication"].map(members)
    g = d.groupby(level=keys)
    per = frame.groupby(keys + ["member"])["d"].agg(["count", "mean", "var"])
    repeated = per[per["count"] >= 2]
    dof = (repeated["count"] - 1).groupby(level=keys)
    within = (repeated["var"] * (repeated["count"] - 1)).groupby(level=keys).sum() / dof.sum()
    between = (per["mean"].groupby(level=keys).var(ddof=1)
               - within * (1.0 / per["count"]).groupby(level=keys).mean()).clip(lower=0.0)
    total = between + within
    share = (between / total).where(total > 0, 0.0).where(repeated.groupby(level=keys).size() >= 2)
    return {"range_low": g.quantile(0.025), "range_high": g.quantile(0.975), "parameter_share": share}


def _derived(pair: pd.DataFrame, arm: str, baseline: str) -> pd.DataFrame:
    """Cost per extra durable outcome, gross and net, at each horizon h whose durable outcomes
    are there, with the costs of their window (horizon h - 12); and the displacement share at
    every horizon (NaN where the arm adds no jobs for the caseload)."""
    rows = []
    overall = pair.xs("all", level="group")

    def diff(outcome, h):
        at = overall.xs((outcome, h), level=("outcome", "horizon_months"))
        return (at[arm] - at[baseline]).to_numpy()

    have = set(overall.index.droplevel("replication"))
    for h in sorted({h for o, h in have if o == DURABLE_OUTCOME}):
        window = h - DURABLE_MONTHS
        for derived, cost in RATIO_COSTS.items():
            if (cost, window) not in have:
                continue
            d_exit = diff(DURABLE_OUTCOME, h)
            ratio, low, high = _ratio_ci(diff(cost, window), d_exit)
            rows.append((arm, derived, h, "all", np.nan, np.nan, ratio, low, high, len(d_exit)))
    for h in sorted({h for o, h in have if o == "caseload_hires" and ("other_job_seekers_hires", h) in have}):
        d_hires = diff("caseload_hires", h)
        ratio, low, high = _ratio_ci(-diff("other_job_seekers_hires", h), d_hires)
        rows.append((arm, "displacement_share", h, "all", np.nan, np.nan, ratio, low, high, len(d_hires)))
    return pd.DataFrame(rows, columns=COLUMNS)


def _t975(df):
    """The 97.5% quantile of Student's t (scipy is imported here: it is slow to import)."""
    from scipy import stats

    return stats.t.ppf(0.975, df)


def _ratio_ci(d_cost: np.ndarray, d_exit: np.ndarray) -> tuple[float, float, float]:
    """mean(d_cost) / mean(d_exit), with a paired bootstrap interval; NaN without extra exits."""
    if len(d_exit) == 0 or d_exit.mean() <= 0:
        return np.nan, np.nan, np.nan
    ratio = d_cost.mean() / d_exit.mean()
    if len(d_exit) < 2:
        return ratio, np.nan, np.nan
    rng = np.random.default_rng(20240701)  # fixed: the same runs always give the same interval
    idx = rng.integers(0, len(d_exit), size=(BOOTSTRAP_RESAMPLES, len(d_exit)))
    num, den = d_cost[idx].mean(axis=1), d_exit[idx].mean(axis=1)
    boot = np.where(den > 0, num / np.where(den > 0, den, 1), np.inf)
    low, high = np.percentile(boot, [2.5, 97.5], method="nearest")  # no interpolation: inf stays inf
    return ratio, low, high


def bounds(r, interval: str = "range") -> tuple[float, float]:
    """An effect's interval: with ``interval="range"`` the middle 95% over the ensemble's parameter
    sets and seeds where the effects have it, else (and with "ci") the confidence interval."""
    if interval == "range" and pd.notna(r.get("range_low", np.nan)):
        return r["range_low"], r["range_high"]
    return r["ci_low"], r["ci_high"]


def interval_words(effects: pd.DataFrame, n: int) -> str:
    """What the intervals of an effects table cover, in words."""
    if "range_low" in effects:
        return (f"middle 95% of {n} paired replications, each with its own parameter set from the ensemble and "
                "its own seed: parameters and chance; for ratios of means (costs per outcome, displacement) "
                "their 95% bootstrap confidence interval")
    return f"95% confidence interval of the mean of {n} paired replications: chance only"


def estimate(r, scale: float = 1.0, html: bool = False, interval: str = "ci") -> str:
    """An effect and its interval, 'mean [low, high]', times ``scale``, rounded to what the
    interval can tell: two significant digits of its half-width. An unbounded end shows as
    '...'; without an interval (one replication, a fixed cost) three significant digits.
    ``interval``: "ci" (the confidence interval of the mean) or "range" (with an ensemble: the
    middle 95% of the effects over parameter sets and seeds; the ci where there is none)."""
    mean = r["effect_mean"] * scale
    low, high = (v * scale for v in bounds(r, interval))
    if pd.isna(mean):
        return "-"
    half = (high - low) / 2 if math.isfinite(high - low) else abs(mean - low) or abs(mean)
    if pd.isna(low) or half <= 1e-9 * max(abs(mean), 1.0):  # no interval, or one of rounding error only
        return _significant(mean, 3)
    ends = ", ".join(_rounded(v, half) if math.isfinite(v) else "..." for v in (low, high))
    return f"{_rounded(mean, half)} <small>[{ends}]</small>" if html else f"{_rounded(mean, half)} [{ends}]"


def _significant(value: float, digits: int) -> str:
    """``value`` to ``digits`` significant digits, without trailing zeros after the point."""
    if value == 0:
        return "0"
    ndigits = digits - 1 - math.floor(math.log10(abs(value)))
    text = f"{round(value, ndigits) + 0.0:,.{max(0, ndigits)}f}"  # + 0.0: no '-0'
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rounded(value: float, half: float) -> str:
    ndigits = 1 - math.floor(math.log10(half)) if half > 0 else 0  # two significant digits of the half-width
    return f"{round(value, ndigits) + 0.0:,.{max(0, ndigits)}f}"  # + 0.0: no '-0'
