"""Plots of one run (the full plot set for experiments comes with the report)."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

# Okabe-Ito colour-blind-safe palette
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


def plot_run(monthly: pd.DataFrame, path: str | os.PathLike | None = None):
    """Stock; inflow and exits by reason; composition of the stock, month by month."""
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2), constrained_layout=True)
    month = monthly["month"]
    ax = axes[0]
    ax.plot(month, monthly["stock"], color=PALETTE[0])
    ax.set(title="Recipients on benefit", xlabel="month", ylabel="people")
    ax.set_ylim(0, monthly["stock"].max() * 1.1)

    ax = axes[1]
    ax.plot(month, monthly["inflow"], color=PALETTE[0], label="inflow", lw=2)
    ax.plot(month, monthly["exits_work"], color=PALETTE[2], label="exits to work", lw=2)
    reasons = [c for c in monthly.columns if c.startswith("exits_reason_") and c != "exits_reason_work"]
    for i, col in enumerate(reasons):
        ax.plot(
            month,
            monthly[col],
            color=PALETTE[3 + i % 5],
            lw=1,
            label=col.removeprefix("exits_reason_").replace("_", " "),
        )
    ax.set(title="Flows per month", xlabel="month", ylabel="people per month")
    ax.legend(fontsize=8, ncols=2)

    ax = axes[2]
    shares = [c for c in monthly.columns if c.startswith("share_") and c not in ("share_on_benefit_5y_plus",)]
    for i, col in enumerate(["share_on_benefit_5y_plus", *shares[:7]]):
        ax.plot(
            month,
            100 * monthly[col],
            color=PALETTE[i % len(PALETTE)],
            label=col.removeprefix("share_").replace("_", " "),
        )
    ax.set(title="Composition of the stock", xlabel="month", ylabel="% of recipients", ylim=(0, 100))
    ax.legend(fontsize=7, ncols=2)
    for ax in axes:
        ax.grid(alpha=0.3)
    if path is not None:
        fig.savefig(path, dpi=130)
    return fig


def plot_effects(effects: pd.DataFrame, outcome: str = "durable_exits_12", horizon: int | None = None,
                 path: str | os.PathLike | None = None, target=None):
    """Forest plot: each arm's paired effect on ``outcome`` at ``horizon`` with its 95% CI."""
    e = effects[(effects["outcome"] == outcome) & (effects["group"] == "all")]
    if e.empty:
        raise ValueError(f"no effects for outcome '{outcome}'")
    horizon = int(e["horizon_months"].max()) if horizon is None else horizon
    e = e[e["horizon_months"] == horizon].sort_values("effect_mean")
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(e) + 1.6), constrained_layout=True)
    y = range(len(e))
    err = [e["effect_mean"] - e["ci_low"], e["ci_high"] - e["effect_mean"]]
    ax.errorbar(e["effect_mean"], list(y), xerr=err, fmt="o", color=PALETTE[0], ecolor=PALETTE[0], capsize=3)
    ax.axvline(0, color="0.4", lw=1)
    if target is not None and target.outcome == outcome and target.horizon_months == horizon:
        ax.axvline(target.value, color=PALETTE[3], ls="--", lw=1.5, label=f"target {target.value:g}")
        ax.legend(loc="lower right")
    ax.set_yticks(list(y), [a.replace("_", " ") for a in e["arm"]])
    from .outcomes import OUTCOMES

    n = int(e["n_replications"].max())
    label = {**OUTCOMES, "net_budget_effect_eur": "saving on benefits and measures, EUR",
             "cost_per_extra_durable_exit_eur": "cost per extra durable exit, EUR"}.get(outcome, outcome)
    ax.set(title=f"Effect after {horizon} months (95% CI, {n} paired replications)",
           xlabel=f"{label}: arm minus baseline")
    ax.grid(axis="x", alpha=0.3)
    if path is not None:
        fig.savefig(path, dpi=130)
    return fig
