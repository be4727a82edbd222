"""The interactive dashboard (``labour-abm dashboard``): a Solara app on Mesa's visualization stack.

Mesa's ``ModelController`` (the step / play / pause / reset controls of ``SolaraViz``) drives a
:class:`~labour_abm.experiments.paired.PairedRun`: the chosen measures and, alongside, the same city and seed
without them, so each plot shows the measures' effect as it unfolds. Figures are redrawn whenever
Mesa's ``update_counter`` moves (after every step). Changing a setting starts both runs afresh at
month 0. Needs the ``[dashboard]`` extra; docs/dashboard.md.
"""

from __future__ import annotations

import json
import os
import typing
import warnings

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure

# Mesa 3.3's tab view breaks a Solara hook rule in a component this app does not use
warnings.filterwarnings("ignore", message=".*found despite early return", category=UserWarning)
from mesa.visualization.solara_viz import ModelController  # noqa: E402
from mesa.visualization.utils import update_counter  # noqa: E402

from ..analysis import plots  # noqa: E402
from ..analysis.summaries import monthly_bands  # noqa: E402
from ..core import presets  # noqa: E402
from ..core.params import Parameters  # noqa: E402
from ..experiments.paired import ARM, PairedRun, main_parameter  # noqa: E402
from ..measures import REGISTRY  # noqa: E402

SETTINGS_ENV = "LABOUR_ABM_DASHBOARD"  # the CLI passes its start settings (JSON) to the server this way
STYLES = plots.arm_styles(["baseline", ARM])
MARKETS = list(typing.get_args(Parameters.model_fields["labour_market"].annotation))


def start_settings() -> dict:
    settings = {"preset": presets.DEFAULT_PRESET, "labour_market": "stable", "seed": 1, "months": 120, "measures": {}}
    return {**settings, **json.loads(os.environ.get(SETTINGS_ENV, "{}"))}


# ----------------------------------------------------------------------------- figures
def _figure(title: str, ylabel: str, legend_outside: bool = False):
    """A small figure in the house style. Fixed margins, not constrained layout: the figures are
    redrawn after every month, and the layout engine would double the drawing time."""
    with plots.plt.rc_context(plots.STYLE):
        fig = Figure(figsize=(7.6, 3.5) if legend_outside else (6.4, 3.5))
        ax = fig.subplots()
    fig.subplots_adjust(left=0.12, right=0.72 if legend_outside else 0.97, bottom=0.14, top=0.9)
    ax.set(title=title, xlabel="month", ylabel=ylabel)
    return fig, ax


def _line(ax, bands, arm, series, label=None, scale=1.0, **style):
    d = plots.arm_series(bands, arm, series)
    ax.plot(d["month"], scale * d["mean"], label=label, **{"lw": 1.6, **STYLES[arm], **style})


def stock_figure(bands):
    fig, ax = _figure("Recipients on benefit", "people on benefit")
    plots.draw_stock(ax, bands, [ARM, "baseline"], STYLES)
    return fig


def flows_figure(bands):
    fig, ax = _figure("Inflow and exits by what people leave to (with measures)", "people per month",
                      legend_outside=True)
    plots.draw_flows(ax, bands, ARM)
    _line(ax, bands, "baseline", "exits_reason_work", label="exit to work, baseline", ls=":", color="0.2")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7.5)
    return fig


def composition_figure(bands):
    fig, ax = _figure("Barriers in the stock (dashed: baseline)", "% of recipients", legend_outside=True)
    for i, (series, label) in enumerate(plots.BARRIER_SHARES.items()):
        colour = plots.PALETTE[i % len(plots.PALETTE)]
        _line(ax, bands, ARM, series, label=label, scale=100, color=colour, ls="-")
        _line(ax, bands, "baseline", series, scale=100, color=colour, ls="--", lw=0.9)
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7.5)
    return fig


def ladder_figure(bands):
    fig, ax = _figure("Participation ladder this month", "", legend_outside=True)
    month = bands["month"].max()
    now = bands[bands["month"] == month].set_index(["arm", "series"])["mean"]
    colours = [plots.PALETTE[3], plots.PALETTE[1], plots.PALETTE[6], plots.PALETTE[2], plots.PALETTE[0]]
    arms = [ARM, "baseline"]
    counts = np.array([[now.get((arm, f"ladder_{k}"), 0.0) for arm in arms] for k in plots.LADDER])
    shares = 100 * counts / np.maximum(counts.sum(axis=0), 1)
    left = np.zeros(len(arms))
    for k, share, colour in zip(plots.LADDER, shares, colours, strict=True):
        ax.barh(arms, share, left=left, color=colour, label=plots.LADDER[k])
        left += share
    ax.set(xlabel="% of recipients", xlim=(0, 100), title=f"Participation ladder in month {int(month)}")
    ax.invert_yaxis()
    ax.grid(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7.5)
    return fig


def waiting_figure(bands):
    fig, ax = _figure("Waiting lists of services", "people waiting", legend_outside=True)
    waiting = sorted(s for s in bands.loc[bands["arm"] == ARM, "series"].unique() if s.endswith("_waiting"))
    for i, series in enumerate(waiting):
        label = "debt help (core)" if series == "debt_help_waiting" else series.removesuffix("_waiting")
        _line(ax, bands, ARM, series, label=label.replace("_", " "), color=plots.PALETTE[i % len(plots.PALETTE)])
    _line(ax, bands, "baseline", "debt_help_waiting", label="debt help, baseline", ls="--")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7.5)
    return fig


def budget_figure(monthly: dict[str, pd.DataFrame]):
    fig, ax = _figure("Public money so far (with measures minus baseline)", "EUR thousand, cumulative")
    arm, base = monthly[ARM], monthly["baseline"]
    cost = arm["measure_cost_eur"].cumsum()
    saving = (base["benefit_spending_eur"] - arm["benefit_spending_eur"]).cumsum()
    ax.plot(arm["month"], cost / 1e3, color=plots.PALETTE[3], label="measure cost")
    ax.plot(arm["month"], saving / 1e3, color=plots.PALETTE[2], label="benefit saved")
    ax.plot(arm["month"], (cost - saving) / 1e3, color="0.2", ls="--", label="net public cost")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.legend(loc="upper left", fontsize=7.5)
    return fig


FIGURES = (stock_figure, flows_figure, composition_figure, ladder_figure, waiting_figure)


# -------------------------------------------------------------------------- components
def _eur(value: float) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}EUR {value / 1e6:,.2f} million" if value >= 1e6 else f"{sign}EUR {value:,.0f}"


def key_numbers_html(numbers: dict) -> str:
    """The key-numbers table; each value cell carries ``data-key`` so tests can read it."""
    if numbers["month"] == 0:
        return "<p>Month 0: press Step or Play.</p>"
    per_exit = numbers["cost_per_extra_exit_eur"]
    rows = [
        ("month", "Months simulated", f"{numbers['month']}"),
        ("stock", "On benefit now (with measures / baseline)",
         f"{numbers['stock_measures']:,.0f} / {numbers['stock_baseline']:,.0f}"),
        ("extra_exits_to_work", "Extra exits to work so far", f"{numbers['extra_exits_to_work']:+,.0f}"),
        ("extra_durable_outcomes_12", "Extra people durably in work (exits and claims prevented, no return "
         "within 12 months)", f"{numbers['extra_durable_outcomes_12']:+,.0f}"),
        ("measure_gross_cost_eur", "Gross cost of the measures so far (with benefit above the statutory disregard)",
         _eur(numbers["measure_gross_cost_eur"])),
        ("public_cost_change_eur", "Change in public cost (benefits plus measures)",
         _eur(numbers["public_cost_change_eur"])),
        ("cost_per_extra_exit_eur", "Gross cost per extra exit to work",
         _eur(per_exit) if per_exit is not None else "no extra exit yet"),
    ]
    cells = "".join(f"<tr><td>{label}</td><td data-key='{key}' style='text-align:right;padding-left:1.5em'>"
                    f"<b>{value}</b></td></tr>" for key, label, value in rows)
    return f"<table>{cells}</table>"


def running_text(settings: dict) -> str:
    """One line saying what runs: the measures with their settings, against the baseline."""
    def words(text: str) -> str:
        return text.replace("_", " ")

    measures = [words(name) + "".join(f" ({words(k)} = {v:g})" if isinstance(v, float) else f" ({words(k)} = {v})"
                                      for k, v in params.items())
                for name, params in settings["measures"].items()]
    return (f"{', '.join(measures) or 'No measure'} against the baseline: {settings['preset']}, "
            f"{settings['labour_market']} labour market, seed {settings['seed']}, {settings['months']} months.")


@solara.component
def MeasureSwitch(name: str, measures: dict[str, dict], on_measures: typing.Callable[[dict], None]):
    """A switch for one measure and, while it is on, a slider (or choice) for its main parameter."""
    key = main_parameter(name)
    field = REGISTRY[name].Params.model_fields[key]

    def switch(on: bool):
        chosen = dict(measures)
        if on:
            chosen[name] = {}
        else:
            chosen.pop(name, None)
        on_measures(chosen)

    def set_value(value):
        on_measures({**measures, name: {key: value}})

    solara.Checkbox(label=name.replace("_", " "), value=name in measures, on_value=switch)
    if name not in measures:
        return
    value = measures[name].get(key, field.default)
    label = key.replace("_", " ")
    choices = typing.get_args(field.annotation)
    if choices:
        solara.Select(label=label, value=value, values=list(choices), on_value=set_value)
        return
    low = next(m.ge for m in field.metadata if hasattr(m, "ge"))
    high = next(m.le for m in field.metadata if hasattr(m, "le"))
    if field.annotation is int:
        solara.SliderInt(label=label, value=value, min=low, max=high, on_value=set_value)
    else:
        solara.SliderFloat(label=label, value=value, min=low, max=high, step=(high - low) / 100,
                           on_value=set_value, thumb_label="always")


@solara.component
def Page():
    settings = solara.use_reactive(solara.use_memo(start_settings, []))
    model = solara.use_reactive(solara.use_memo(lambda: PairedRun(**settings.value), []))
    generation = solara.use_reactive(0)  # a new model remounts Mesa's controller (its play state)
    play_ms, months_per_redraw, threads = solara.use_reactive(50), solara.use_reactive(1), solara.use_reactive(False)

    def apply(new: dict):
        settings.value = new
        model.value = PairedRun(**new)
        generation.value += 1

    def change(key):
        return lambda value: apply({**settings.value, key: value})

    def set_seed(seed: int | None):
        if seed is not None and seed >= 0:
            apply({**settings.value, "seed": seed})

    with solara.AppBar():
        solara.AppBarTitle("labour-abm: measures against the baseline, month by month")
    with solara.Sidebar():
        with solara.Card("Run"):
            ModelController(model, model_parameters=settings, play_interval=play_ms, render_interval=months_per_redraw,
                            use_threads=threads).key(f"controller-{generation.value}")
            solara.SliderInt(label=f"months per step and redraw: {months_per_redraw.value}", value=months_per_redraw,
                             min=1, max=12)
            solara.Text("Changing a setting starts both runs again at month 0.")
        with solara.Card("City"):
            s = settings.value
            solara.Select(label="preset", value=s["preset"], values=presets.available(), on_value=change("preset"))
            solara.Select(label="labour market", value=s["labour_market"], values=MARKETS,
                          on_value=change("labour_market"))
            solara.InputInt(label="seed", value=s["seed"], on_value=set_seed)
            solara.SliderInt(label=f"months: {s['months']}", value=s["months"], min=12, max=240, step=12,
                             on_value=change("months"))
        with solara.Card("Measures"):
            for name in sorted(REGISTRY):
                MeasureSwitch(name, s["measures"], change("measures"))
    Results(model.value, generation.value)


@solara.component
def Results(model: PairedRun, generation: int):
    update_counter.get()  # Mesa's controller moves it after each step: redraw
    months = model.months_done
    solara.Text(running_text(model.settings))
    with solara.Row(style={"flex-wrap": "wrap", "gap": "1em"}):
        with solara.Card("Key numbers", style={"min-width": "28em"}):
            solara.HTML(tag="div", unsafe_innerHTML=key_numbers_html(model.key_numbers()))
        with solara.Card("Experiment file", style={"min-width": "24em"}):
            # plain text: solara.Markdown would fetch KaTeX from a CDN, and the dashboard runs offline
            solara.Text("The settings as an experiment file: labour-abm experiment FILE reproduces these numbers "
                        "with the same seed; raise its replications for confidence intervals.")
            solara.FileDownload(lambda: model.experiment_toml(), filename="dashboard_experiment.toml",
                                label="Export experiment file")
    if months == 0:
        return
    monthly = model.monthly()
    bands = pd.concat([monthly_bands([monthly[ARM]], ARM), monthly_bands([monthly["baseline"]], "baseline")])
    figures = [f(bands) for f in FIGURES] + [budget_figure(monthly)]
    with solara.ColumnsResponsive(default=12, large=6):
        for fig in figures:
            solara.FigureMatplotlib(fig, format="png", dependencies=[generation, months])
