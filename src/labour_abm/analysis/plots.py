"""The plot set: functions that take tidy result tables and return a matplotlib Figure.

Every function draws from the tables in :mod:`labour_abm.analysis.summaries` (``bands``, ``survival``,
``paired``) or :mod:`labour_abm.analysis.effects` (``effects``), so it works the same on one run
(a single "replication") as on an experiment, and from Python as from the CLI. ``path``
writes the figure (``save`` writes PNG and SVG). Each arm keeps its colour in every figure
(:func:`arm_styles`); colours are the Okabe-Ito palette, safe for colour-blind readers.
"""

from __future__ import annotations

import functools
import math
import os
from pathlib import Path

import matplotlib
import matplotlib.lines
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..io.files import atomic_write  # noqa: E402
from .effects import DERIVED_OUTCOMES, bounds, estimate  # noqa: E402
from .outcomes import DURABLE  # noqa: E402

# Okabe-Ito colour-blind-safe palette (black is kept for the baseline)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
BASELINE = "#000000"
LINESTYLES = ("-", "--", ":", "-.")
STYLE = {
    "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "legend.fontsize": 8.5,
    "xtick.labelsize": 9, "ytick.labelsize": 9, "axes.spines.top": False, "axes.spines.right": False,
    "axes.grid": True, "grid.alpha": 0.3, "figure.dpi": 100, "savefig.dpi": 150, "svg.fonttype": "none",
}
BARRIER_SHARES = {
    "share_problematic_debt": "problematic debt", "share_insufficient_dutch": "insufficient Dutch",
    "share_low_literacy": "low literacy", "share_poor_physical_health": "poor physical health",
    "share_poor_mental_health": "poor mental health", "share_no_start_qualification": "no start qualification",
    "share_low_motivation": "low motivation", "share_on_benefit_5y_plus": "on benefit 5+ years",
}
LADDER = {1: "1 isolated", 2: "2 social contacts", 3: "3 organised activity", 4: "4 unpaid work",
          5: "5 paid work with benefit"}
# exits by what people leave to (every reason of population.EXIT_REASONS once): nine lines of a
# few people a month each could not be told apart
EXIT_GROUPS = {
    "to work": ("work",),
    "without income": ("obligations", "other"),
    "to another income": ("partner", "unjustified", "other_income", "other_benefit"),
    "moved away or pension": ("moved", "pension"),
}
EXIT_GROUP_COLOURS = (PALETTE[2], PALETTE[3], PALETTE[4], "0.45")
OUTCOME_LABELS = {
    "exits_to_work": "exits to work", "durable_exits_6": "durable exits to work (6 months)",
    "durable_exits_12": "durable exits to work (12 months)", "diverted_to_work": "claimants diverted to work",
    "durable_diversions_12": "claimants kept off benefit in work (12 months)",
    "durable_outcomes_12": "people durably in work (12 months)",
    "stock": "people on benefit", "recipients_with_earnings": "recipients with part-time earnings",
    "benefit_months": "person-months on benefit", "benefit_spending_eur": "benefit spending, EUR",
    "measure_cost_eur": "measures' own spending, EUR", "measure_gross_cost_eur": "gross cost of the measures, EUR",
    "public_cost_eur": "public cost (benefit plus measures), EUR",
    "budget_balance_eur": "municipal budget balance, EUR", "mean_months_on_benefit": "mean months on benefit",
    "mean_ladder_step": "mean participation-ladder step",
    "caseload_hires": "jobs of the caseload (gross)", "other_job_seekers_hires": "jobs of other job seekers",
    "hires_out_of_work": "jobs of people out of work (net)", "displacement_share": "displacement (share)",
    "cost_per_extra_durable_outcome_gross_eur": "gross cost per extra durable outcome, EUR",
    "cost_per_extra_durable_outcome_net_eur": "net cost per extra durable outcome, EUR",
}

COMPARISONS = tuple(DERIVED_OUTCOMES)  # ratios of effects: comparisons with the baseline, not differences
# what an interval says about the sign of an effect: the colours of the forest plots
SIGN_COLOURS = {"interval above 0": PALETTE[0], "interval includes 0": "0.55", "interval below 0": PALETTE[3]}


def styled(fn):
    """Draw inside the house style; write to ``path`` if given."""

    @functools.wraps(fn)
    def wrapper(*args, path: str | os.PathLike | None = None, **kwargs):
        with plt.rc_context(STYLE):
            fig = fn(*args, **kwargs)
            if path is not None:
                atomic_write(Path(path), lambda tmp: fig.savefig(tmp, format=Path(path).suffix[1:] or None))
        return fig

    return wrapper


def save(fig, stem: str | os.PathLike) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` (each whole or not at all); close the figure; return both
    paths."""
    stem = Path(stem)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    try:
        with plt.rc_context(STYLE):
            for p in paths:
                atomic_write(p, lambda tmp, fmt=p.suffix[1:]: fig.savefig(tmp, format=fmt))
                # the layout found for the first format holds for the next: not working it out
                # again halves the time a figure takes to save
                fig.set_layout_engine("none")
    finally:
        plt.close(fig)
    return paths


def close(figures) -> None:
    """Release figures that will not be saved (pyplot keeps every figure until it is closed)."""
    for fig in figures:
        plt.close(fig)


ARM_COLOURS = PALETTE[:6]  # yellow is too pale for lines on white; black is the baseline's
HORIZON_COLOURS = (PALETTE[5], PALETTE[0], PALETTE[1], PALETTE[3])
WAITING_MARKERS = ("o", "s", "^", "D")


def arm_styles(arms) -> dict[str, dict]:
    """Colour and line style of each arm, in order: the baseline black, the others through the
    palette (then again with another line style), so an arm looks the same in every figure."""
    styles, i = {}, 0
    n = len(ARM_COLOURS)
    for arm in dict.fromkeys(arms):
        if arm == "baseline":
            styles[arm] = {"color": BASELINE, "ls": "-"}
        else:
            styles[arm] = {"color": ARM_COLOURS[i % n], "ls": LINESTYLES[(i // n) % len(LINESTYLES)]}
            i += 1
    return styles


def _label(arm: str) -> str:
    return arm.replace("_", " ")


def arm_series(bands: pd.DataFrame, arm: str, series: str) -> pd.DataFrame:
    return bands[(bands["arm"] == arm) & (bands["series"] == series)].sort_values("month")


def _band(ax, bands, arm, series, style, label=None, scale=1.0, band=True, **line):
    d = arm_series(bands, arm, series)
    if d.empty:
        return
    ax.plot(d["month"], scale * d["mean"], color=style["color"], ls=style["ls"], lw=1.8, label=label, **line)
    if band and d["n_replications"].iloc[0] > 1:
        ax.fill_between(d["month"], scale * d["low"], scale * d["high"], color=style["color"], alpha=0.15, lw=0)


def _band_note(bands: pd.DataFrame) -> str:
    n = int(bands["n_replications"].max())
    return f"lines: mean of {n} replications; bands: middle 95% of replications" if n > 1 else "one run"


# ----------------------------------------------------------------------------- one run
@styled
def plot_run(monthly: pd.DataFrame):
    """One run at a glance: stock; inflow and exits by reason; composition of the stock."""
    from .summaries import monthly_bands

    bands = monthly_bands([monthly], "run")
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2), constrained_layout=True)
    draw_stock(axes[0], bands, ["run"], {"run": {"color": PALETTE[0], "ls": "-"}})
    draw_flows(axes[1], bands, "run")
    _draw_composition(axes[2], bands, "run")
    return fig


# -------------------------------------------------------------------- stock and flows
def draw_stock(ax, bands, arms, styles):
    for arm in [a for a in arms if a != "baseline"] + [a for a in arms if a == "baseline"]:  # baseline on top
        _band(ax, bands, arm, "stock", styles[arm], label=_label(arm), band=len(arms) <= 2 or arm == "baseline")
    ax.set(title="Recipients on benefit", xlabel="month", ylabel="people on benefit")
    if len(arms) > 1:  # below the panel: inside, it would cover the lines and bands
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=min(3, len(arms)))


def draw_flows(ax, bands, arm):
    """Inflow, and exits by what people leave to (EXIT_GROUPS); a band for the inflow and exits
    to work only (a band of a sum of series is not the sum of their bands)."""
    _band(ax, bands, arm, "inflow", {"ls": "-", "color": PALETTE[0]}, label="inflow")
    for (group, reasons), colour in zip(EXIT_GROUPS.items(), EXIT_GROUP_COLOURS, strict=True):
        if reasons == ("work",):
            _band(ax, bands, arm, "exits_reason_work", {"ls": "-", "color": colour}, label=f"exit {group}")
            continue
        parts = [arm_series(bands, arm, f"exits_reason_{r}") for r in reasons]
        parts = [d for d in parts if not d.empty]
        if parts:
            ax.plot(parts[0]["month"], sum(d["mean"].to_numpy() for d in parts), color=colour, ls="--", lw=1.8,
                    label=f"exit {group}")
    ax.set(title=f"Flows per month ({_label(arm)})", xlabel="month", ylabel="people per month")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2)  # below: inside, it covers the lines


def _draw_composition(ax, bands, arm):
    for i, (series, label) in enumerate(BARRIER_SHARES.items()):
        _band(ax, bands, arm, series, {"color": PALETTE[i % 8], "ls": LINESTYLES[i // 8]}, label=label, scale=100)
    ax.set(title="Composition of the stock", xlabel="month", ylabel="% of recipients", ylim=(0, 100))
    ax.legend(ncols=2)


@styled
def plot_stock_and_flows(bands: pd.DataFrame, arms: list[str] | None = None):
    """People on benefit per arm (with bands), and the baseline's inflow and exits by reason."""
    styles = arm_styles(bands["arm"])
    arms = list(styles) if arms is None else arms
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.3), constrained_layout=True)
    draw_stock(axes[0], bands, arms, styles)
    draw_flows(axes[1], bands, "baseline" if "baseline" in styles else arms[0])
    fig.suptitle(_band_note(bands), fontsize=9, color="0.35")
    return fig


def _month_axis_below(axes, panels: int) -> None:
    """Month ticks and label under the lowest panel of each column of small multiples (``panels``
    of them, filled row by row; the others hidden)."""
    cols = axes.shape[1]
    for col in range(min(cols, panels)):
        ax = axes[(panels - 1 - col) // cols, col]
        ax.xaxis.set_tick_params(labelbottom=True)
        ax.set_xlabel("month")


@styled
def plot_effect_by_month(paired: pd.DataFrame, outcome: str = "stock"):
    """One small panel per arm: its paired effect on ``outcome`` (arm minus baseline) month by
    month with the 95% interval, on shared axes; panels in the order of the effect at the end,
    each coloured by what its interval at the end says of the sign."""
    e = paired[paired["outcome"] == outcome]
    if e.empty:
        raise ValueError(f"no paired effects for outcome '{outcome}'")
    last = int(e["horizon_months"].max())
    end = e[e["horizon_months"] == last].sort_values("effect_mean")
    arms = list(end["arm"])
    sign = {row.arm: _sign(row.ci_low, row.ci_high) for row in end.itertuples()}
    cols = min(4, len(arms))
    rows = -(-len(arms) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.1 * rows + 1.0), sharex=True, sharey=True,
                             constrained_layout=True, squeeze=False)
    for ax, arm in zip(axes.flat, arms, strict=False):
        d = e[e["arm"] == arm].sort_values("horizon_months")
        colour = SIGN_COLOURS[sign[arm]]
        ax.axhline(0, color="0.4", lw=0.8)
        ax.fill_between(d["horizon_months"], d["ci_low"], d["ci_high"], color=colour, alpha=0.25, lw=0)
        ax.plot(d["horizon_months"], d["effect_mean"], color=colour, lw=1.6)
        ax.set_title(_label(arm), fontsize=9)
        # the value at the end in words: a small effect is a flat line on axes shared with large ones
        ax.text(0.03, 0.05, f"after {last} months: {estimate(end.set_index('arm').loc[arm])}", transform=ax.transAxes,
                fontsize=7.5, color="0.25")
    for ax in axes.flat[len(arms):]:
        ax.set_visible(False)
    _month_axis_below(axes, len(arms))
    what = OUTCOME_LABELS.get(outcome, outcome)
    for ax in axes[:, 0]:
        ax.set_ylabel(f"extra {what}" if outcome != "stock" else "change in people\non benefit")
    handles = [matplotlib.lines.Line2D([], [], color=SIGN_COLOURS[s], lw=4, alpha=0.6, label=f"{s} at the end")
               for s in SIGN_COLOURS if s in sign.values()]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False)
    n = int(e["n_replications"].max())
    fig.suptitle(f"{what.capitalize()}: arm minus baseline, month by month\n"
                 f"(mean of {n} paired replications; band: 95% confidence interval of the mean)", fontsize=10)
    return fig


@styled
def plot_composition(bands: pd.DataFrame, arms: list[str] | None = None):
    """Barrier prevalence in the stock over time, one panel per barrier, arms as lines."""
    styles = arm_styles(bands["arm"])
    arms = list(styles) if arms is None else arms
    fig, axes = plt.subplots(2, 4, figsize=(14, 6), sharex=True, constrained_layout=True)
    for ax, (series, label) in zip(axes.flat, BARRIER_SHARES.items(), strict=True):
        for arm in arms:
            _band(ax, bands, arm, series, styles[arm], label=_label(arm), scale=100, band=arm == "baseline")
        ax.set_title(label)
        ax.set_ylim(bottom=0)
    for ax in axes[:, 0]:
        ax.set_ylabel("% of recipients")
    for ax in axes[-1]:
        ax.set_xlabel("month")
    if len(arms) > 1:
        fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="outside lower center", ncols=min(len(arms), 6))
    fig.suptitle("Composition of the stock: the long-term core (band: baseline, middle 95% of replications)")
    return fig


@styled
def plot_ladder(bands: pd.DataFrame, arms: list[str] | None = None):
    """Participation ladder: the baseline's distribution over time (stacked), and each arm's
    distribution in the last month."""
    styles = arm_styles(bands["arm"])
    arms = list(styles) if arms is None else arms
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), constrained_layout=True,
                             gridspec_kw={"width_ratios": [1, 1.2]})
    colours = [PALETTE[3], PALETTE[1], PALETTE[6], PALETTE[2], PALETTE[0]]
    first = arms[0]
    steps = np.array([arm_series(bands, first, f"ladder_{k}")["mean"].to_numpy() for k in LADDER])
    month = arm_series(bands, first, "ladder_1")["month"]
    total = np.maximum(steps.sum(axis=0), 1)
    axes[0].stackplot(month, 100 * steps / total, colors=colours, labels=list(LADDER.values()), alpha=0.9)
    axes[0].set(title=f"Participation ladder over time ({_label(first)})", xlabel="month",
                ylabel="% of recipients", ylim=(0, 100))
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=5)
    last = bands[bands["month"] == bands["month"].max()]
    left = np.zeros(len(arms))
    shares = []
    for k in LADDER:
        shares.append(np.array([last[(last["arm"] == a) & (last["series"] == f"ladder_{k}")]["mean"].sum()
                                for a in arms]))
    total = np.maximum(np.sum(shares, axis=0), 1)
    y = np.arange(len(arms))
    for k, share in zip(LADDER, shares, strict=True):
        axes[1].barh(y, 100 * share / total, left=left, color=colours[k - 1], label=LADDER[k])
        left += 100 * share / total
    axes[1].set_yticks(y, [_label(a) for a in arms])
    axes[1].invert_yaxis()
    axes[1].set(title=f"Ladder in month {int(last['month'].max())}, by arm", xlabel="% of recipients", xlim=(0, 100))
    axes[1].grid(False)
    return fig


@styled
def plot_ladder_transitions(bands: pd.DataFrame, arms: list[str] | None = None, settle_months: int = 12):
    """Moves between participation-ladder steps per month (means after ``settle_months``, when
    the start's first contacts are over): from step to step in the baseline, and each arm's
    moves up and down minus the baseline's."""
    styles = arm_styles(bands["arm"])
    arms = list(styles) if arms is None else arms
    base = "baseline" if "baseline" in styles else arms[0]
    settled = bands[bands["month"] >= min(settle_months, int(bands["month"].max()))]

    def per_month(arm: str, a: int, b: int) -> float:
        d = settled[(settled["arm"] == arm) & (settled["series"] == f"ladder_{a}_to_{b}")]
        return float(d["mean"].mean()) if len(d) else 0.0

    steps = range(1, 7)
    others = [a for a in arms if a != base]
    fig, axes = plt.subplots(1, 2 if others else 1, figsize=(13 if others else 6.5, 5), constrained_layout=True,
                             squeeze=False, gridspec_kw={"width_ratios": [1, 1.1]} if others else None)
    matrix = np.array([[per_month(base, a, b) if a != b else np.nan for b in steps] for a in steps])
    ax = axes[0, 0]
    ax.imshow(matrix, cmap="Blues")
    for (i, j), v in np.ndenumerate(matrix):
        if np.isfinite(v) and v >= 0.05:  # an empty cell: (next to) nobody moves that way
            ax.text(j, i, f"{v:.0f}" if v >= 10 else f"{v:.1f}", ha="center", va="center", fontsize=8,
                    color="white" if v > np.nanmax(matrix) / 2 else "0.2")
    names = [LADDER.get(k, "6 paid work") for k in steps]
    ax.set_xticks(range(6), [n.split(" ", 1)[0] for n in names])
    ax.set_yticks(range(6), names)
    ax.grid(False)
    ax.set(title=f"Moves per month, from step (row) to step (column)\n({_label(base)}, mean of months "
           f"{int(settled['month'].min())}+)", xlabel="to step")
    if others:
        def change(arm: str, upwards: bool) -> float:
            return sum(per_month(arm, a, b) - per_month(base, a, b) for a in steps for b in steps
                       if a != b and (b > a) == upwards)

        up, down = [change(arm, True) for arm in others], [change(arm, False) for arm in others]
        y = np.arange(len(others))
        axes[0, 1].barh(y - 0.2, up, height=0.4, color=PALETTE[0], label="moves up")
        axes[0, 1].barh(y + 0.2, down, height=0.4, color=PALETTE[3], label="moves down")
        axes[0, 1].axvline(0, color="0.4", lw=1)
        axes[0, 1].set_yticks(y, [_label(a) for a in others])
        axes[0, 1].invert_yaxis()
        axes[0, 1].grid(axis="y", visible=False)
        axes[0, 1].set(title="Moves per month, arm minus baseline", xlabel="people per month")
        axes[0, 1].legend(loc="lower right")
    n = int(bands["n_replications"].max())
    fig.suptitle(f"means of {n} replications" if n > 1 else "one run", fontsize=9, color="0.35")
    return fig


@styled
def plot_waiting_lists(bands: pd.DataFrame):
    """Waiting lists of the services (debt help and each measure's own), one small panel each
    with its own scale, in the arm that runs them (mean and the middle 95% of replications)."""
    styles = arm_styles(bands["arm"])
    reference = "baseline" if "baseline" in styles else next(iter(styles))  # shows the core's debt-help list
    lists = [(reference, "debt_help_waiting")] if "debt_help_waiting" in set(bands["series"]) else []
    for arm in styles:
        lists += [(arm, s) for s in sorted(bands.loc[bands["arm"] == arm, "series"].unique())
                  if s.endswith("_waiting") and s != "debt_help_waiting"]
    cols = min(4, max(1, len(lists)))
    rows = max(1, -(-len(lists) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.4 * rows + 0.6), sharex=True,
                             constrained_layout=True, squeeze=False)
    for ax, (arm, series) in zip(axes.flat, lists, strict=False):
        _band(ax, bands, arm, series, {"color": styles[arm]["color"], "ls": "-"})  # the title names the arm
        label = "debt help (core)" if series == "debt_help_waiting" else series.removesuffix("_waiting")
        if arm not in ("baseline", label):
            label = f"{arm}: {label.removeprefix(arm + '_')}"
        ax.set_title(label.replace("_", " "), fontsize=9.5, color=styles[arm]["color"])
        ax.set_ylim(bottom=0)
    for ax in axes.flat[len(lists):]:
        ax.set_visible(False)
    _month_axis_below(axes, len(lists))
    for ax in axes[:, 0]:
        ax.set_ylabel("people waiting")
    if not lists:
        axes[0, 0].set(title="No waiting lists in these arms")
    fig.suptitle("Waiting lists of services, each on its own scale:\na list that keeps growing means the capacity "
                 f"is short of the demand\n{_band_note(bands)}", fontsize=10)
    return fig


@styled
def plot_budget(bands: pd.DataFrame, effects: pd.DataFrame | None = None, arms: list[str] | None = None):
    """Municipal budget per month (baseline): state allocation, benefit spending, safety net,
    staff; measure costs per arm; and the net cost per extra durable outcome with its 95% interval."""
    styles = arm_styles(bands["arm"])
    arms = list(styles) if arms is None else arms
    ratio = "cost_per_extra_durable_outcome_net_eur"
    with_cost = effects is not None and bool((effects["outcome"] == ratio).any())  # runs of 24 months or more
    panels = 3 if with_cost else 2
    fig, axes = plt.subplots(1, panels, figsize=(16 if with_cost else 11, 4.5), constrained_layout=True,
                             gridspec_kw={"width_ratios": [1, 1, 0.8][:panels]})
    base = "baseline" if "baseline" in styles else arms[0]
    parts = {"state_allocation_eur": "state allocation (BUIG)", "benefit_spending_eur": "benefit spending",
             "safety_net_eur": "safety net", "staff_cost_eur": "job-service staff"}
    for i, (series, label) in enumerate(parts.items()):
        _band(axes[0], bands, base, series, {"color": PALETTE[i], "ls": "-"}, label=label, scale=1e-6)
    axes[0].set(title=f"Budget per month ({_label(base)})", xlabel="month", ylabel="EUR million per month")
    axes[0].set_ylim(bottom=0)
    axes[0].legend()
    for arm in arms:
        if arm != "baseline":
            _band(axes[1], bands, arm, "measure_cost_eur", styles[arm], label=_label(arm), scale=1e-3, band=False)
    axes[1].set(title="The measures' own spending per month", xlabel="month", ylabel="EUR thousand per month")
    axes[1].set_ylim(bottom=0)
    if 1 < len(arms) <= 8:
        axes[1].legend()
    if with_cost:
        last = _draw_forest(axes[2], effects, ratio, None, styles, scale=1e-3)
        # ratios span orders of magnitude (EUR 10 thousand to millions): a log axis, linear below EUR 1
        # thousand so that a measure without cost (0) and one that saves money (< 0) still show
        axes[2].set_xscale("symlog", linthresh=1.0, linscale=0.5)
        axes[2].xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        if len(last):
            ends = 1e-3 * pd.concat([last["effect_mean"], last["ci_low"], last["ci_high"]])
            ends = ends[np.isfinite(ends)]
            # up to the next power of ten, so that a labelled tick lies beyond the largest value
            top = 10.0 ** math.ceil(math.log10(max(1.0, float(ends.max()) * 1.2)))
            axes[2].set_xlim(min(0.0, float(ends.min()) * 1.5), top)
        axes[2].set_xlabel("EUR thousand, log scale\n(95% CI; arrow: no upper bound)")
        window = int(last["horizon_months"].iloc[0]) - DURABLE["durable_outcomes_12"] if len(last) else None
        axes[2].set_title(f"Net cost per extra durable outcome,\nfirst {window} months" if window
                          else "Net cost per extra durable outcome")
    return fig


# ------------------------------------------------------------------------------ effects
def _draw_forest(ax, effects, outcome, horizon, styles, scale=1.0, horizons=None):
    e = effects[(effects["outcome"] == outcome) & (effects["group"] == "all")]
    if e.empty:
        raise ValueError(f"no effects for outcome '{outcome}'")
    all_h = sorted(e["horizon_months"].unique())
    horizons = horizons or [int(all_h[-1]) if horizon is None else horizon]
    last = e[e["horizon_months"] == horizons[-1]].dropna(subset=["effect_mean"]).sort_values("effect_mean")
    order = list(last["arm"])
    y = {arm: i for i, arm in enumerate(order)}
    markers = ("o", "s", "^", "D")
    for j, h in enumerate(horizons):
        d = e[e["horizon_months"] == h].set_index("arm").reindex(order).dropna(subset=["effect_mean"])
        shift = (j - (len(horizons) - 1) / 2) * 0.18
        for arm, row in d.iterrows():
            # one horizon: what the interval says of the sign; several: a colour per horizon (the row names the arm)
            mean, (lo, hi) = row["effect_mean"], bounds(row)  # with an ensemble, its range
            colour = (SIGN_COLOURS[_sign(lo, hi)] if len(horizons) == 1
                      else HORIZON_COLOURS[j % len(HORIZON_COLOURS)])
            unbounded = np.isinf(hi)  # a ratio's bootstrap bound where resamples have no extra exits
            upper = 0.0 if unbounded else scale * (hi - mean)
            ax.errorbar(scale * mean, y[arm] + shift, xerr=None if pd.isna(lo) else [[scale * (mean - lo)], [upper]],
                        fmt=markers[j % 4], color=colour, ecolor=colour, capsize=2.5, ms=5,
                        label=f"after {h} months" if len(horizons) > 1 and arm == order[0] else None)
            if unbounded:  # an arrow to the right edge, wherever the limits end up
                ax.annotate("", xy=(1.0, y[arm] + shift), xycoords=("axes fraction", "data"),
                            xytext=(scale * mean, y[arm] + shift), textcoords="data",
                            arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.2})
    ax.axvline(0, color="0.4", lw=1)
    ax.set_ylim(-0.6, len(order) - 0.4)  # room for the shifted markers of the outer rows
    ax.set_yticks(range(len(order)), [_label(a) for a in order])
    ax.grid(axis="y", visible=False)
    if len(horizons) == 1:
        signs = {_sign(lo, hi) for lo, hi in zip(last["ci_low"], last["ci_high"], strict=True)}
        for sign, colour in SIGN_COLOURS.items():
            if sign in signs:
                ax.plot([], [], "o", color=colour, label=sign)
    if ax.get_legend_handles_labels()[0]:  # none when no arm has an estimate
        ax.legend(loc="lower right")
    return last


def _sign(low: float, high: float) -> str:
    """What a 95% interval says of an effect's sign (no interval: it includes 0 as far as we know)."""
    if low > 0:
        return "interval above 0"
    if high < 0:
        return "interval below 0"
    return "interval includes 0"


@styled
def plot_effects(effects: pd.DataFrame, outcome: str = "durable_outcomes_12", horizon: int | str | None = None,
                 target=None):
    """Forest plot: each arm's paired effect on ``outcome`` with its 95% CI, at ``horizon``
    (default: the last; ``"all"``: every horizon, one marker each)."""
    styles = arm_styles(["baseline", *effects["arm"]])
    e = effects[(effects["outcome"] == outcome) & (effects["group"] == "all")]
    if e.empty:
        raise ValueError(f"no effects for outcome '{outcome}'")
    if outcome in DURABLE:  # 0 by definition until k months have passed
        e = e[e["horizon_months"] > DURABLE[outcome]]
    money = outcome.endswith("_eur")
    n_arms = e["arm"].nunique()
    fig, ax = plt.subplots(figsize=(8.5, 0.36 * n_arms + 1.8), constrained_layout=True)
    horizons = sorted(int(h) for h in e["horizon_months"].unique()) if horizon == "all" else None
    h = None if horizon == "all" else horizon
    last = _draw_forest(ax, e, outcome, h, styles, horizons=horizons, scale=1e-6 if money else 1.0)
    shown_h = int(last["horizon_months"].iloc[0]) if len(last) else h
    if target is not None and target.outcome == outcome and (horizon == "all" or _seen_at(target) == shown_h):
        ax.axvline(target.value * (1e-6 if money else 1.0), color=PALETTE[3], ls="--", lw=1.5,
                   label=f"target {target.value:g} from the first {target.by_month} months")
        ax.legend(loc="lower right")
    n = int(e["n_replications"].max())
    when = "at each horizon" if horizon == "all" else f"after {shown_h} months"
    what = OUTCOME_LABELS.get(outcome, outcome)
    if money:
        what = what.removesuffix(", EUR")
    # a saving and a cost per extra exit are comparisons with the baseline already, not differences
    versus = "against the baseline" if outcome in COMPARISONS else "arm minus baseline"
    spread = "middle 95% over parameter sets and chance" if "range_low" in e else "95% CI"
    ax.set(title=f"{what.capitalize()} {when}: {versus}\n({spread}, {n} paired replications)",
           xlabel=f"{what}{', EUR million' if money else ''}: {versus}")
    return fig


def _seen_at(target) -> int:
    """The horizon at which a target's outcomes are seen (analysis.targets.read_at)."""
    return target.by_month + DURABLE.get(target.outcome, 0)


@styled
def plot_target(effects: pd.DataFrame, target, arms: list[str] | None = None):
    """Extra outcomes of the first months against a target, with 95% intervals: the effects at
    every horizon, each drawn at the end of the window of exits it counts (a durable outcome seen
    at h counts those of the first h - 12 months), so the target sits at its own month. The
    arms: the target's, else ``arms`` (default all)."""
    lag = DURABLE.get(target.outcome, 0)
    e = effects[(effects["outcome"] == target.outcome) & (effects["group"] == "all")
                & (effects["horizon_months"] >= lag)]
    styles = arm_styles(["baseline", *effects["arm"]])
    arms = [target.arm] if target.arm else (arms or list(dict.fromkeys(e["arm"])))
    fig, ax = plt.subplots(figsize=(8.5, 4.8), constrained_layout=True)
    for arm in arms:
        d = e[e["arm"] == arm].sort_values("horizon_months")
        window = d["horizon_months"] - lag
        ax.errorbar(window, d["effect_mean"], yerr=[d["effect_mean"] - d["ci_low"], d["ci_high"] - d["effect_mean"]],
                    color=styles[arm]["color"], ls=styles[arm]["ls"], lw=1.8, marker="o", ms=4, capsize=3,
                    label=_label(arm))
    ax.plot([0, target.by_month], [0, target.value], color=PALETTE[3], ls="--", lw=1.2,
            label="target, reached at an even pace")
    ax.plot([target.by_month], [target.value], marker="*", ms=14, color=PALETTE[3], ls="none",
            label=f"target: {target.value:g} from the first {target.by_month} months")
    ax.axhline(0, color="0.4", lw=1)
    n = int(e["n_replications"].max()) if len(e) else 0
    what = OUTCOME_LABELS.get(target.outcome, target.outcome)
    seen = f", each seen {lag} months later" if lag else ""
    ax.set(title=f"Extra {what} against the target (95% CI, {n} pairs)",
           xlabel=f"from the first ... months{seen}", ylabel=f"extra {what}", xlim=(0, None))
    ax.legend(loc="upper left")
    return fig


@styled
def plot_survival(survival: pd.DataFrame, arms: list[str] | None = None):
    """Kaplan-Meier curves of time on benefit: by arm, and by barrier at the start (baseline);
    with one arm (a single run) by barrier only."""
    if survival.empty:
        fig, ax = plt.subplots(figsize=(7.5, 2.2), constrained_layout=True)
        ax.axis("off")
        ax.text(0.5, 0.5, "No benefit spell started during the run (too short, or no inflow): no survival curves.",
                ha="center", va="center", wrap=True)
        return fig
    styles = arm_styles(survival["arm"])
    arms = list(styles) if arms is None else arms
    if len(arms) == 1:  # one run: the by-arm panel would repeat the curve of the whole caseload
        fig, ax = plt.subplots(figsize=(7.5, 4.6), constrained_layout=True)
        _draw_survival_groups(ax, survival, arms[0])
        ax.set_ylabel("% still on benefit")
        return fig
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.6), sharey=True, constrained_layout=True)
    for arm in arms:
        d = survival[(survival["arm"] == arm) & (survival["group"] == "all")]
        axes[0].step(d["month"], 100 * d["survival"], where="post", color=styles[arm]["color"],
                     ls=styles[arm]["ls"], lw=1.6, label=_label(arm))
    axes[0].set(title="Time on benefit by arm (spells starting in the run)", xlabel="months since the spell started",
                ylabel="% still on benefit", ylim=(0, 101))
    if len(arms) <= 10:
        axes[0].legend()
    _draw_survival_groups(axes[1], survival, "baseline" if "baseline" in styles else arms[0])
    return fig


def _draw_survival_groups(ax, survival: pd.DataFrame, arm: str) -> None:
    for i, group in enumerate(dict.fromkeys(survival["group"])):
        d = survival[(survival["arm"] == arm) & (survival["group"] == group)]
        ax.step(d["month"], 100 * d["survival"], where="post", lw=2.2 if group == "all" else 1.5,
                color=BASELINE if group == "all" else PALETTE[(i - 1) % 7], label=group)
    ax.set(title=f"Time on benefit by barrier at the start ({_label(arm)})", xlabel="months since the spell started",
           ylim=(0, 101))
    ax.legend()


# -------------------------------------------------------------------------- validation
@styled
def plot_scorecard(card: pd.DataFrame, title: str = "Simulated against targets"):
    """Each targeted statistic's simulated mean and 95% interval across runs, in units of its
    tolerance from the target: inside the shaded band the target is met. Out-of-sample checks
    (role "check") say so in their label."""
    d = card[card["target"].notna()].iloc[::-1]
    scale = d["tolerance"].to_numpy()
    mean = (d["simulated_mean"].to_numpy() - d["target"].to_numpy()) / scale
    low = (d["sim_low"].to_numpy() - d["target"].to_numpy()) / scale
    high = (d["sim_high"].to_numpy() - d["target"].to_numpy()) / scale
    fig, ax = plt.subplots(figsize=(9, 0.38 * len(d) + 1.8), constrained_layout=True)
    y = np.arange(len(d))
    ax.axvspan(-1, 1, color=PALETTE[2], alpha=0.12, lw=0, label="within tolerance")
    colours = [PALETTE[0] if ok else PALETTE[3] for ok in d["passed"]]
    ax.errorbar(mean, y, xerr=[mean - low, high - mean], fmt="none", ecolor="0.5", capsize=2.5)
    ax.scatter(mean, y, color=colours, zorder=3, s=30)
    ax.axvline(0, color="0.3", lw=1)
    labels = [f"{s}  ({t:g} ± {tol:g}){', check' if role == 'check' else ''}"
              for s, t, tol, role in zip(d["statistic"], d["target"], d["tolerance"], d["role"], strict=True)]
    ax.set_yticks(y, labels)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(min(-1.5, float(np.nanmin(low)) - 0.2), max(1.5, float(np.nanmax(high)) + 0.2))
    ax.set(title=title, xlabel="(simulated - target) / tolerance; bars: 95% of runs")
    ax.legend(loc="lower right")
    return fig


# ------------------------------------------------------------------------------ sweeps
def _tick(value) -> str:
    """A parameter value or a cell for a label: strings as they are, numbers with 3 significant digits."""
    if isinstance(value, str | bool):
        return str(value)
    v = float(value)
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


@styled
def plot_response_heatmap(table: pd.DataFrame, x: str, y: str, value: str, title: str | None = None):
    """Mean of ``value`` over a grid of two parameters (a sweep's response surface)."""
    grid = table.pivot_table(index=y, columns=x, values=value, aggfunc="mean").sort_index(ascending=False)
    fig, ax = plt.subplots(figsize=(1.1 * grid.shape[1] + 3, 0.6 * grid.shape[0] + 2), constrained_layout=True)
    image = ax.imshow(grid.to_numpy(), cmap="viridis", aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [_tick(v) for v in grid.columns])
    ax.set_yticks(range(grid.shape[0]), [_tick(v) for v in grid.index])
    ax.grid(False)
    for (i, j), v in np.ndenumerate(grid.to_numpy()):
        if np.isfinite(v):
            ax.text(j, i, _tick(v), ha="center", va="center", fontsize=8,
                    color="white" if v < np.nanmean(grid.to_numpy()) else "black")
    fig.colorbar(image, ax=ax, label=(title or value).replace("_", " "),
                 format=matplotlib.ticker.FuncFormatter(lambda v, _: _tick(v)))
    what = (title or value).replace("_", " ")
    ax.set(title=f"{what[:1].upper()}{what[1:]}: mean", xlabel=x.replace("_", " "), ylabel=y.replace("_", " "))
    return fig


@styled
def plot_sobol(indices: pd.DataFrame, outcome: str = ""):
    """Sobol first-order (S1) and total (ST) indices per parameter with 95% intervals.

    ``indices``: columns parameter, S1, S1_conf, ST, ST_conf (``*_conf``: half-widths)."""
    d = indices.sort_values("ST")
    y = np.arange(len(d))
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(d) + 1.8), constrained_layout=True)
    ax.barh(y - 0.2, d["S1"], height=0.38, xerr=d["S1_conf"], color=PALETTE[0], label="first order (S1)", capsize=2)
    ax.barh(y + 0.2, d["ST"], height=0.38, xerr=d["ST_conf"], color=PALETTE[1], label="total (ST)", capsize=2)
    ax.set_yticks(y, [p.replace("_", " ") for p in d["parameter"]])
    ax.grid(axis="y", visible=False)
    ax.axvline(0, color="0.4", lw=1)
    ax.set(xlabel="share of output variance (bars: 95% CI)")
    fig.suptitle(f"Sobol indices{': ' + outcome.replace('_', ' ') if outcome else ''}")  # a long one fits
    ax.legend(loc="lower right")
    return fig


@styled
def plot_morris(indices: pd.DataFrame, outcome: str = ""):
    """Morris screening: mu* per parameter as bars with 95% intervals (left), and the mu*-sigma
    plane (right: overall influence against non-linearity and interactions), its points numbered
    by their rank in the bars (names of nearby points would overlap).

    ``indices``: columns parameter, mu_star, mu_star_conf, sigma, and optionally mu (its sign
    colours the bars: the direction in which the parameter moves the outcome)."""
    d = indices.sort_values("mu_star", ascending=False).reset_index(drop=True)
    rank = np.arange(1, len(d) + 1)
    fig, (bars, plane) = plt.subplots(1, 2, figsize=(13, max(4.5, 0.38 * len(d) + 2)), constrained_layout=True,
                                      gridspec_kw={"width_ratios": [1.1, 1]})
    y = np.arange(len(d))[::-1]
    signed = "mu" in d
    colours = [PALETTE[0] if not signed or mu >= 0 else PALETTE[3] for mu in (d["mu"] if signed else rank)]
    bars.barh(y, d["mu_star"], xerr=d["mu_star_conf"], color=colours, height=0.7, capsize=2, ecolor="0.3")
    bars.set_yticks(y, [f"{r}  {p.replace('_', ' ')}" for r, p in zip(rank, d["parameter"], strict=True)])
    bars.grid(axis="y", visible=False)
    bars.set(xlabel="mu* (mean |elementary effect|, 95% CI)", title="Influence over the whole range")
    if signed:
        from matplotlib.patches import Patch

        bars.legend(handles=[Patch(color=PALETTE[0], label="mu > 0: raises the outcome on average"),
                             Patch(color=PALETTE[3], label="mu < 0: lowers it on average")], loc="lower right")
    plane.errorbar(d["mu_star"], d["sigma"], xerr=d["mu_star_conf"], fmt="o", color=PALETTE[0], ecolor="0.6",
                   capsize=2)
    for r, row in zip(rank, d.itertuples(), strict=True):
        plane.annotate(str(r), (row.mu_star, row.sigma), fontsize=9, xytext=(4, 3), textcoords="offset points")
    top = float(max(d["mu_star"].max(), d["sigma"].max(), 1e-12)) * 1.1
    plane.plot([0, top], [0, top], color="0.6", ls="--", lw=1, label="sigma = mu*")
    plane.set(xlabel="mu*", ylabel="sigma (sd of elementary effects)", xlim=(0, top), ylim=(0, top),
              title="Non-linear or interacting above the line")
    plane.legend(loc="upper left")
    fig.suptitle(f"Morris screening{': ' + outcome.replace('_', ' ') if outcome else ''}")
    return fig


@styled
def plot_trial(summary: pd.DataFrame):
    """What the emulated trials found, per arm and outcome (a panel per horizon): the middle 95%
    of their estimates (bar) and the median (dot), the model's true effect on the eligible (cross)
    and, where a study published a result, its conclusion (text) and estimate with a 95% interval
    where known (diamond)."""
    horizons = sorted(summary["horizon"].unique())
    rows = summary[["arm", "outcome"]].drop_duplicates()
    fig, axes = plt.subplots(1, len(horizons), figsize=(4.2 * len(horizons) + 2.5, 0.42 * len(rows) + 1.6),
                             sharey=True, constrained_layout=True, squeeze=False)
    pairs = list(zip(rows["arm"], rows["outcome"], strict=True))
    labels = [f"{a.replace('_', ' ')}: {o.replace('_', ' ')}" for a, o in pairs]
    y = {pair: i for i, pair in enumerate(pairs)}
    for ax, h in zip(axes[0], horizons, strict=True):
        d = summary[summary["horizon"] == h]
        pos = np.array([y[a, o] for a, o in zip(d["arm"], d["outcome"], strict=True)])
        ax.hlines(pos, 100 * d["trial_lo"], 100 * d["trial_hi"], color="0.6", lw=5, label="trials: middle 95%")
        ax.plot(100 * d["trial_median"], pos, "o", color="0.25", ms=4, label="trials: median")
        ax.plot(100 * d["true_effect"], pos, "x", color=PALETTE[0], ms=8, mew=2, label="model: true effect")
        if "published_finding" in d:
            known = d["published_estimate"].notna().to_numpy()
            if known.any():
                p = d[known]
                ax.errorbar(100 * p["published_estimate"], pos[known] + 0.25,
                            xerr=100 * 1.96 * p["published_se"].fillna(0.0), fmt="D", color=PALETTE[3], ms=5,
                            capsize=2.5, label="published (95% CI where known)")
            for at, said in zip(pos, d["published_finding"], strict=True):
                if isinstance(said, str):  # the study's conclusion, with or without a number
                    ax.annotate(f"study: {said}", xy=(1.0, at), xycoords=("axes fraction", "data"), ha="right",
                                va="bottom", fontsize=7, color=PALETTE[3])
        ax.axvline(0, color="0.4", lw=1)
        ax.set(title=f"after {h} months", xlabel="effect, percentage points")
        ax.grid(axis="y", visible=False)
    axes[0][0].set_yticks(range(len(labels)), labels)
    axes[0][0].invert_yaxis()
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=len(names))
    return fig
