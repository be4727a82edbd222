"""A policy target against the simulated effects: a verdict and a chance for each arm.

A target is a number of extra outcomes (by default durable outcomes: people durably in work,
off benefit) from the first ``by_month`` months. A durable outcome of those months is seen 12
months later, so the target is read at horizon ``by_month + 12``; a count such as exits to
work at ``by_month`` itself. The verdict compares the target with the 95% interval of the mean
effect; the chance is the share of paired replications whose own difference reaches it: how
often one municipality, living one of the model's possible histories, would see the target
met. Both cover chance at the model's parameters only, not the uncertainty in the parameters.
"""

from __future__ import annotations

import pandas as pd

from .outcomes import DURABLE

TARGET_OUTCOMES = ("durable_outcomes_12", "durable_exits_12", "exits_to_work", "diverted_to_work")
COLUMNS = ["arm", "effect_mean", "ci_low", "ci_high", "reached", "replications", "verdict"]


def read_at(outcome: str, by_month: int) -> int:
    """The horizon at which a target of ``outcome`` from the first ``by_month`` months is seen."""
    return by_month + DURABLE.get(outcome, 0)


def verdict(ci_low: float, ci_high: float, value: float) -> str:
    if ci_low >= value:
        return "reached"
    if ci_high < value:
        return "not reached"
    return "uncertain"


def target_verdicts(effects: pd.DataFrame, outcomes: pd.DataFrame, outcome: str, by_month: int, value: float,
                    arms: list[str] | None = None) -> pd.DataFrame:
    """For each arm (all but the baseline unless ``arms``): the effect on ``outcome`` at its
    horizon with the 95% interval, the verdict, and in how many of the paired replications the
    arm's own difference reached ``value`` (COLUMNS)."""
    h = read_at(outcome, by_month)
    e = effects[(effects["outcome"] == outcome) & (effects["group"] == "all") & (effects["horizon_months"] == h)]
    o = outcomes[(outcomes["outcome"] == outcome) & (outcomes["group"] == "all") & (outcomes["horizon_months"] == h)]
    wide = o.pivot_table(index="replication", columns="arm", values="value", aggfunc="first")
    rows = []
    for _, r in e.iterrows():
        if arms is not None and r["arm"] not in arms:
            continue
        pair = wide[["baseline", r["arm"]]].dropna()
        differences = pair[r["arm"]] - pair["baseline"]
        rows.append((r["arm"], r["effect_mean"], r["ci_low"], r["ci_high"], int((differences >= value).sum()),
                     len(differences), verdict(r["ci_low"], r["ci_high"], value)))
    return pd.DataFrame(rows, columns=COLUMNS).sort_values("effect_mean", ascending=False, ignore_index=True)
