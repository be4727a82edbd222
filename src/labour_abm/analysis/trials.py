"""What a randomised trial inside the simulated caseload would find: outcomes as studies define
them, random assignment, the difference-in-means estimator, and the summary against the truth.

Pure functions on per-person outcome arrays; experiments/trial.py runs the worlds they come
from. A trial's estimate differs from the model's true effect by chance twice over: which
people the trial happened to draw and assign (sampling), and the model's own noise (the worlds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

# outcome name -> what it counts, per person at the horizon (months after randomisation)
OUTCOMES = {
    "off_benefit": "not on benefit",
    "work": "in paid work: a job off benefit, or part-time work on benefit",
    "work_12h": "in work of 12 hours a week or more: a job off benefit (a job that ends the benefit is taken to "
                "be 12 hours or more: it pays at least the norm) or part-time work of 12+ hours on benefit",
    "work_off_benefit": "in a job and off benefit",
    "left_for_work": "left benefit for work at some time since randomisation (cumulative exit to work)",
}
ALPHA, POWER = 0.05, 0.80
MDE_FACTOR = float(norm.ppf(1 - ALPHA / 2) + norm.ppf(POWER))  # 2.80: the smallest effect found 80% of the time


def person_outcomes(on_benefit: np.ndarray, employed: np.ndarray, parttime_hours: np.ndarray,
                    left_for_work: np.ndarray) -> dict[str, np.ndarray]:
    """Each trial outcome (0/1 per person) from the states at the horizon; ``left_for_work`` is
    whether the person has left benefit for work since randomisation."""
    job = ~on_benefit & employed
    return {
        "off_benefit": ~on_benefit,
        "work": job | (on_benefit & (parttime_hours > 0)),
        "work_12h": job | (on_benefit & (parttime_hours >= 12)),
        "work_off_benefit": job,
        "left_for_work": left_for_work.copy(),
    }


def assign(n_eligible: int, sizes: list[int], rng: np.random.Generator, draws: int) -> np.ndarray:
    """``draws`` random assignments: shape (draws, sum(sizes)) of positions into the eligible,
    the first ``sizes[0]`` of each row to the first arm, and so on (drawn without replacement)."""
    total = sum(sizes)
    if total > n_eligible:
        raise ValueError(f"{total} participants but {n_eligible} eligible")
    return np.stack([rng.choice(n_eligible, size=total, replace=False) for _ in range(draws)])


def difference_in_means(treated: np.ndarray, control: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Estimate and standard error (Neyman: unequal variances) per row: arrays of shape
    (draws, n_treated) and (draws, n_control)."""
    est = treated.mean(axis=1) - control.mean(axis=1)
    se = np.sqrt(treated.var(axis=1, ddof=1) / treated.shape[1] + control.var(axis=1, ddof=1) / control.shape[1])
    return est, se


def emulate(control_world: dict[str, np.ndarray], arm_world: dict[str, np.ndarray], control: np.ndarray,
            treated: np.ndarray) -> pd.DataFrame:
    """The trial's findings for one arm, per assignment and outcome: the estimate, its standard
    error, the control group's mean and the true effect on the people assigned to the arm (their
    outcome with the measure minus without it: each person is in both worlds). ``control`` and
    ``treated`` are positions into the eligible, one row per assignment (see :func:`assign`)."""
    rows = []
    for outcome in OUTCOMES:
        y0, y1 = control_world[outcome].astype(float), arm_world[outcome].astype(float)
        est, se = difference_in_means(y1[treated], y0[control])
        rows.append(pd.DataFrame({
            "assignment": np.arange(len(control)), "outcome": outcome, "estimate": est, "se": se,
            "control_mean": y0[control].mean(axis=1),
            "true_effect_participants": (y1[treated] - y0[treated]).mean(axis=1),
        }))
    return pd.concat(rows, ignore_index=True)


def true_effects(control_world: dict[str, np.ndarray], arm_world: dict[str, np.ndarray]) -> dict[str, float]:
    """The model's effect on everyone eligible, per outcome (mean over them of with minus without)."""
    return {o: float(np.mean(arm_world[o].astype(float) - control_world[o].astype(float))) for o in OUTCOMES}


def finding(estimate: np.ndarray, se: np.ndarray) -> np.ndarray:
    """What a trial concludes at the 5% level, in the words of analysis/evidence.Finding."""
    z = norm.ppf(1 - ALPHA / 2)
    return np.where(estimate - z * se > 0, "significant positive",
                    np.where(estimate + z * se < 0, "significant negative", "not significant"))


def summarise(estimates: pd.DataFrame, truth: pd.DataFrame, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per arm, outcome and horizon: the true effect on the eligible (mean over the
    replications), what the emulated trials found (median and the middle 95% of their estimates,
    mean standard error, smallest detectable effect, power: share significant at 5% in the
    effect's direction, and how often their 95% interval covers the true effect) and, where a
    study published a result, how often an emulated trial concludes what the study concluded and
    where the published estimate falls among the emulated ones."""
    keys = ["arm", "outcome", "horizon"]
    true = truth.groupby(keys, sort=False)["true_effect_eligible"]
    e = estimates.merge(truth[keys + ["replication", "true_effect_eligible"]], on=keys + ["replication"])
    z = norm.ppf(1 - ALPHA / 2)
    direction = np.where(true.mean().reindex(pd.MultiIndex.from_frame(e[keys])).to_numpy() < 0,
                         "significant negative", "significant positive")
    e["finding"] = finding(e["estimate"].to_numpy(), e["se"].to_numpy())
    e["significant"] = e["finding"] == direction
    e["covered"] = (e["estimate"] - z * e["se"] <= e["true_effect_eligible"]) & (
        e["true_effect_eligible"] <= e["estimate"] + z * e["se"])
    g = e.groupby(keys, sort=False)
    out = pd.DataFrame({
        "true_effect": true.mean(),
        "true_effect_lo": true.quantile(0.025),
        "true_effect_hi": true.quantile(0.975),
        "control_mean": g["control_mean"].mean(),
        "trial_median": g["estimate"].median(),
        "trial_lo": g["estimate"].quantile(0.025),
        "trial_hi": g["estimate"].quantile(0.975),
        "trial_se": g["se"].mean(),
        "power": g["significant"].mean(),
        "coverage": g["covered"].mean(),
        "trials": g.size(),
    })
    out["mde"] = MDE_FACTOR * out["trial_se"]
    out = out.reset_index()
    if published is None or not len(published):
        return out
    pub = published[keys + ["published_finding", "published_estimate", "published_se", "source"]]
    compared = e.merge(pub, on=keys)
    compared["same_finding"] = compared["finding"] == compared["published_finding"]
    compared["below"] = (compared["estimate"] <= compared["published_estimate"]).astype(float).where(
        compared["published_estimate"].notna())
    shares = compared.groupby(keys)[["same_finding", "below"]].mean().rename(
        columns={"same_finding": "same_finding_share", "below": "published_percentile"}).reset_index()
    out = out.merge(pub, on=keys, how="left").merge(shares, on=keys, how="left")
    # a published result is one trial's: consistent with the model if it lies among what such trials find
    out["published_within_trials"] = out["published_percentile"].between(ALPHA / 2, 1 - ALPHA / 2).where(
        out["published_percentile"].notna())
    return out
