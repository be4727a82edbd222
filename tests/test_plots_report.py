"""The plot set and the HTML report, on small real results (one tiny experiment with a target
and one single run), plus the summaries the plots are drawn from."""

from __future__ import annotations

import base64
import re
import subprocess
import sys

import matplotlib
import numpy as np
import pandas as pd
import pytest

from labour_abm.analysis import plots, summaries
from labour_abm.analysis.effects import estimate
from labour_abm.experiments.experiment import load
from labour_abm.measures import REGISTRY
from labour_abm.ui.report import write_report

matplotlib.use("Agg")

from .conftest import REPORT_SPEC as SPEC


@pytest.fixture(scope="module")
def experiment(report_experiment):
    return report_experiment


@pytest.fixture(scope="module")
def tables(experiment):
    spec, _ = load(SPEC)
    return summaries.experiment_summaries(experiment.out, list(spec.arms), range(len(spec.seed_list())))


@pytest.fixture(scope="module")
def single_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "run"
    proc = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "run", "--months", "18", "--set",
                           "initial_stock=700", "--measure", "debt_help", "--out", str(out), "--quiet"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out


# ------------------------------------------------------------------------------ summaries
def test_kaplan_meier_matches_a_hand_computation():
    # durations 0,1,1,2,3 (months); the second 1 and the 3 are censored
    surv, at_risk = summaries.kaplan_meier(np.array([0, 1, 1, 2, 3]), np.array([1, 1, 0, 1, 0], bool), 4)
    # S(t) = share still on benefit t months after the start = prod over u < t of (1 - d_u / n_u)
    s1 = 1 - 1 / 5
    s2 = s1 * (1 - 1 / 4)
    s3 = s2 * (1 - 1 / 2)
    np.testing.assert_allclose(surv, [1, s1, s2, s3, s3])
    np.testing.assert_array_equal(at_risk, [5, 4, 2, 1, 0])


def test_kaplan_meier_without_censoring_is_the_empirical_share():
    rng = np.random.default_rng(3)
    d = rng.integers(0, 20, 500)
    surv, _ = summaries.kaplan_meier(d, np.ones(500, bool), 19)
    np.testing.assert_allclose(surv, [(d >= t).mean() for t in range(20)])


def test_bands_are_mean_and_percentiles_of_replications(experiment, tables):
    runs = [pd.read_parquet(experiment.out / "runs" / "baseline" / f"r{r}" / "monthly.parquet") for r in range(3)]
    stock = np.stack([m["stock"].to_numpy() for m in runs])
    b = tables["bands"]
    b = b[(b["arm"] == "baseline") & (b["series"] == "stock")].sort_values("month")
    np.testing.assert_allclose(b["mean"], stock.mean(axis=0))
    np.testing.assert_allclose(b["low"], np.percentile(stock, 2.5, axis=0))
    assert (b["low"] <= b["mean"]).all() and (b["mean"] <= b["high"]).all()


def test_horizon_series_agree_with_the_outcomes_table(experiment):
    run = experiment.out / "runs" / "language_centre" / "r1"
    # the default keep ("summary") stores spell counts instead of spells: the series come from
    # them, the outcomes the run stored came from its full spells
    series = summaries.horizon_series(pd.read_parquet(run / "monthly.parquet"),
                                         pd.read_parquet(run / "spell_counts.parquet"))
    table = pd.read_parquet(run / "outcomes.parquet")
    table = table[table["group"] == "all"].set_index(["outcome", "horizon_months"])["value"]
    for outcome in ("stock", "exits_to_work", "durable_exits_6", "durable_exits_12"):
        for h in (12, 24, 30):
            assert series[outcome][h - 1] == pytest.approx(table[(outcome, h)]), (outcome, h)


def test_paired_effects_agree_with_the_effects_table(experiment, tables):
    c = tables["paired"].set_index(["arm", "outcome", "horizon_months"])
    e = experiment.effects
    e = e[e["group"] == "all"].set_index(["arm", "outcome", "horizon_months"])
    checked = 0
    for arm in ("language_centre", "social_participation"):
        for outcome in ("stock", "exits_to_work", "durable_exits_12"):
            for h in (24, 30):
                for col in ("effect_mean", "ci_low", "ci_high"):
                    assert c.loc[(arm, outcome, h), col] == pytest.approx(e.loc[(arm, outcome, h), col]), (arm, col)
                checked += 1
    assert checked == 12


def test_effects_by_month_show_each_arms_paired_effect_in_order_of_the_end():
    months = np.arange(1, 7)
    rows = []
    for arm, slope, half in (("up", 10.0, 5.0), ("flat", 0.0, 5.0), ("down", -10.0, 5.0)):
        mean = slope * months
        rows.append(pd.DataFrame({"arm": arm, "outcome": "stock", "horizon_months": months, "effect_mean": mean,
                                  "ci_low": mean - half, "ci_high": mean + half, "n_replications": 8}))
    fig = plots.plot_effect_by_month(pd.concat(rows, ignore_index=True), "stock")
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.has_data()]
    assert [ax.get_title() for ax in panels] == ["down", "flat", "up"]  # by the effect at the end
    colours = [matplotlib.colors.to_hex(ax.lines[-1].get_color()) for ax in panels]
    assert colours == [matplotlib.colors.to_hex(plots.SIGN_COLOURS[s]) for s in
                       ("interval below 0", "interval includes 0", "interval above 0")]
    np.testing.assert_allclose(panels[2].lines[-1].get_ydata(), 10.0 * months)  # the effect, not the arm's level
    assert "arm minus baseline" in fig._suptitle.get_text()
    plots.close([fig])


def test_survival_curves_start_at_one_and_fall(tables):
    s = tables["survival"]
    for (arm, group), d in s.groupby(["arm", "group"]):
        d = d.sort_values("month")
        assert d["survival"].iloc[0] == 1.0
        assert (np.diff(d["survival"]) <= 1e-12).all(), (arm, group)
        assert d["survival"].iloc[-1] < 1.0
    assert {"all", "debt", "insufficient Dutch"} <= set(s["group"])


# ---------------------------------------------------------------------------------- plots
def _plot_calls(experiment, tables):
    spec, _ = load(SPEC)
    b, e = tables["bands"], experiment.effects
    return {
        "stock_and_flows": lambda: plots.plot_stock_and_flows(b),
        "effect_by_month": lambda: plots.plot_effect_by_month(tables["paired"], "stock"),
        "effects": lambda: plots.plot_effects(e, "durable_outcomes_12", "all", target=spec.target),
        "effects_last": lambda: plots.plot_effects(e, "stock"),
        "target": lambda: plots.plot_target(e, spec.target),
        "survival": lambda: plots.plot_survival(tables["survival"]),
        "composition": lambda: plots.plot_composition(b),
        "budget": lambda: plots.plot_budget(b, e),
        "ladder": lambda: plots.plot_ladder(b),
        "ladder_transitions": lambda: plots.plot_ladder_transitions(b),
        "waiting_lists": lambda: plots.plot_waiting_lists(b),
        "run": lambda: plots.plot_run(pd.read_parquet(experiment.out / "runs/baseline/r0/monthly.parquet")),
    }


@pytest.mark.parametrize("name", ["stock_and_flows", "effect_by_month", "effects", "effects_last", "target",
                                  "survival", "composition", "budget", "ladder", "ladder_transitions",
                                  "waiting_lists", "run"])
def test_every_plot_writes_a_png_and_an_svg(experiment, tables, tmp_path, name):
    fig = _plot_calls(experiment, tables)[name]()
    assert all(ax.get_title() or ax.get_xlabel() for ax in fig.axes if ax.get_visible() and ax.has_data())
    png, svg = plots.save(fig, tmp_path / name)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert b"<svg" in svg.read_bytes()[:500] and svg.stat().st_size > 5_000


def test_each_arm_keeps_its_colour_across_figures(experiment, tables):
    styles = plots.arm_styles(["baseline", "language_centre", "social_participation"])
    assert styles["baseline"]["color"] == plots.BASELINE
    assert len({s["color"] for s in styles.values()}) == 3
    stock = plots.plot_stock_and_flows(tables["bands"])
    colours = {line.get_label(): matplotlib.colors.to_hex(line.get_color()) for line in stock.axes[0].get_lines()}
    surv = plots.plot_survival(tables["survival"])
    colours_km = {line.get_label(): matplotlib.colors.to_hex(line.get_color()) for line in surv.axes[0].get_lines()}
    for arm in styles:
        assert colours[arm.replace("_", " ")] == colours_km[arm.replace("_", " ")] == styles[arm]["color"].lower()


def test_an_unbounded_cost_per_exit_is_an_arrow_to_the_edge(experiment, tables):
    e = experiment.effects.copy()
    ratio = (e["outcome"] == "cost_per_extra_durable_outcome_net_eur") & (e["group"] == "all")
    last = ratio & (e["horizon_months"] == e["horizon_months"].max())
    e.loc[last & (e["arm"] == "social_participation"), ["effect_mean", "ci_low", "ci_high"]] = [4e5, 2e5, np.inf]
    e.loc[last & (e["arm"] == "language_centre"), ["effect_mean", "ci_low", "ci_high"]] = [5e4, 4e4, 6e4]
    ax = plots.plot_budget(tables["bands"], e).axes[2]
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == 1  # only the arm without an upper bound
    assert ax.get_xscale() == "symlog"
    low, high = ax.get_xlim()
    assert low <= 0 and high >= 400  # every finite end (EUR thousand) is inside the panel


def test_waiting_lists_get_a_panel_each_named_after_arm_and_service(tables):
    # more arms than colours, and an arm with two lists: each list its own panel and title
    b = tables["bands"]
    course = b[(b["arm"] == "language_centre") & (b["series"] == "language_centre_waiting")]
    arms = [course.assign(arm=f"arm{i}", series=f"arm{i}_waiting") for i in range(8)]
    arms.append(course.assign(arm="arm0", series="arm0_second_waiting"))
    bands = pd.concat([b[b["arm"] == "baseline"], *arms], ignore_index=True)
    fig = plots.plot_waiting_lists(bands)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    titles = [ax.get_title() for ax in shown]
    assert len(shown) == 10 and titles[0] == "debt help (core)" and {"arm0", "arm0: second", "arm7"} <= set(titles)
    # each panel draws its own list: the mean line of arm3's panel is arm3's series
    mean = bands[(bands["arm"] == "arm3") & (bands["series"] == "arm3_waiting")].sort_values("month")["mean"]
    line = shown[titles.index("arm3")].get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), mean)


def test_one_run_gets_one_survival_panel(tables):
    s = tables["survival"]
    fig = plots.plot_survival(s[s["arm"] == "baseline"])
    assert len(fig.axes) == 1 and {t.get_text() for t in fig.axes[0].get_legend().get_texts()} >= {"all", "debt"}
    assert len(plots.plot_survival(s).axes) == 2


def test_many_arms_get_distinct_styles():
    styles = plots.arm_styles(["baseline", *[f"arm{i}" for i in range(20)]])
    assert len({(s["color"], s["ls"]) for s in styles.values()}) == 21


def test_forest_plot_without_the_outcome_says_so(experiment):
    with pytest.raises(ValueError, match="no effects for outcome 'nonsense'"):
        plots.plot_effects(experiment.effects, "nonsense")


def test_sweep_plots_draw_what_they_are_given(tmp_path):
    grid = pd.DataFrame([(a, b, r, a * 10 + b + r * 0.1) for a in (0.1, 0.2, 0.3) for b in (1, 2) for r in range(2)],
                        columns=["share", "cap", "replication", "exits"])
    fig = plots.plot_response_heatmap(grid, "share", "cap", "exits")
    shown = fig.axes[0].images[0].get_array()
    expected = grid.pivot_table(index="cap", columns="share", values="exits").sort_index(ascending=False)
    np.testing.assert_allclose(shown, expected.to_numpy())
    sobol = pd.DataFrame({"parameter": ["a", "b", "c"], "S1": [0.3, 0.4, 0.0], "S1_conf": [0.05] * 3,
                          "ST": [0.55, 0.45, 0.25], "ST_conf": [0.05] * 3})
    morris = pd.DataFrame({"parameter": ["a", "b"], "mu_star": [2.0, 0.5], "mu_star_conf": [0.2, 0.1],
                           "sigma": [1.0, 0.1]})
    for name, f in {"heat": fig, "sobol": plots.plot_sobol(sobol, "exits"),
                    "morris": plots.plot_morris(morris, "exits")}.items():
        png, _ = plots.save(f, tmp_path / name)
        assert png.stat().st_size > 10_000


# --------------------------------------------------------------------------------- report
SECTIONS = ("question", "setup", "key-numbers", "limits", "plots", "effects", "provenance")


@pytest.mark.slow
def test_the_experiment_writes_a_self_contained_report(experiment):
    path = write_report(experiment.out)
    text = path.read_text()
    for section in SECTIONS:
        assert f"<section id='{section}'>" in text, section
    assert SPEC["description"] in text
    # every figure embedded as a PNG, and the same figures written as PNG and SVG
    images = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", text)
    assert len(images) >= 10
    assert all(base64.b64decode(i)[:4] == b"\x89PNG" for i in images)
    assert len(list((experiment.out / "plots").glob("*.png"))) == len(images)
    assert len(list((experiment.out / "plots").glob("*.svg"))) == len(images)
    assert len(re.findall(r"<figcaption>", text)) == len(images)
    # nothing fetched from elsewhere
    assert not re.search(r"(src|href)=['\"]?(https?:)?//", text)
    assert "<script" not in text
    # the effects table carries the numbers of effects.csv
    e = experiment.effects
    row = e[(e["arm"] == "language_centre") & (e["outcome"] == "exits_to_work") & (e["group"] == "all")
            & (e["horizon_months"] == 24)].iloc[0]
    assert estimate(row, html=True) in text
    assert "Target: 5 extra people durably in work (12 months) from the first 12 months" in text
    assert "A durable outcome of those months is seen at month 24." in text
    assert re.search(r"<b>(reached|not reached|uncertain)</b></td><td>\d of 3 \(\d+%\)", text)
    # what the numbers rest on: chance only, and the measures' assumed parameters
    assert "The intervals cover chance only." in text
    for name in ("language_centre", "social_participation"):
        assert ", ".join(REGISTRY[name].assumed_parameters()) in text
    assert experiment.report and "git_commit" in text
    assert (experiment.out / "summaries" / "bands.parquet").is_file()


@pytest.mark.slow
def test_a_single_run_gets_a_report(single_run):
    text = (single_run / "report.html").read_text()  # `labour-abm run` writes it
    for section in ("setup", "key-numbers", "plots", "provenance"):
        assert f"<section id='{section}'>" in text
    assert "debt_help" in text
    # overview, survival, budget, ladder, ladder transitions, waiting lists
    assert len(re.findall(r"data:image/png;base64,", text)) == 6
    assert "People on benefit, inflow and exits by reason" in text


@pytest.mark.slow
def test_the_experiment_cli_writes_the_report_unless_told_not_to(tmp_path):
    spec = tmp_path / "tiny.toml"
    spec.write_text('name = "tiny"\nmonths = 13\nreplications = 2\nparameters = { initial_stock = 400 }\n'
                    '[arms.baseline]\n[arms.own_plan]\nmeasures = [{ name = "own_plan" }]\n')
    run = [sys.executable, "-m", "labour_abm.ui.cli", "experiment", str(spec), "--workers", "1", "--quiet"]
    assert subprocess.run([*run, "--out", str(tmp_path / "a")], capture_output=True).returncode == 0
    assert (tmp_path / "a" / "report.html").stat().st_size > 100_000
    assert subprocess.run([*run, "--out", str(tmp_path / "b"), "--no-plot"], capture_output=True).returncode == 0
    assert not (tmp_path / "b" / "report.html").exists() and not (tmp_path / "b" / "plots").exists()


@pytest.mark.parametrize("setup, message", [
    (lambda d: None, "no manifest.json here"),
    (lambda d: (d / "manifest.json").write_text("{broken"), "not valid JSON"),
    (lambda d: (d / "manifest.json").write_text("{}"), "neither a run"),
])
@pytest.mark.slow
def test_report_on_a_wrong_directory_is_a_clear_error(tmp_path, setup, message):
    d = tmp_path / "somewhere"
    d.mkdir()
    setup(d)
    proc = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "report", str(d)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not (d / "report.html").exists() and not (d / "plots").exists()


def test_the_flows_panel_groups_every_exit_reason_once():
    from labour_abm.analysis.plots import EXIT_GROUP_COLOURS, EXIT_GROUPS
    from labour_abm.core.population import EXIT_REASONS

    grouped = [r for reasons in EXIT_GROUPS.values() for r in reasons]
    assert sorted(grouped) == sorted(EXIT_REASONS)  # a new exit reason must be placed in a group
    assert len(EXIT_GROUP_COLOURS) == len(EXIT_GROUPS)


def test_the_report_says_which_calendar_month_a_moving_scenario_starts_in():
    from labour_abm.ui.report import _scenario

    assert "2019-07" in _scenario("covid") and "2021-01" in _scenario("upswing")
    assert _scenario("stable") == "stable"  # nothing moves, so no calendar
