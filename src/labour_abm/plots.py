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
