"""``labour-abm report DIR``: one self-contained HTML file for a run, an experiment or a sweep.

The report holds the question, the setup, the key numbers, every plot of the plot set (PNG,
embedded) with a one-line caption, the effects table and the provenance. It needs no network
and no JavaScript, so it can be mailed or attached to a memo. Next to it the command writes
the plots as PNG and SVG (``plots/``) and the tidy tables they were drawn from
(``summaries/``).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

import pandas as pd

from ..analysis import plots, summaries
from ..analysis.costs import cost_accounting
from ..analysis.effects import DERIVED_OUTCOMES, estimate, interval_words
from ..analysis.outcomes import DURABLE_MONTHS, OUTCOMES
from ..analysis.targets import read_at, target_verdicts
from ..errors import UserError
from ..io import store
from ..io.files import atomic_write
from ..io.store import read_manifest

DURABLE = f"durable_outcomes_{DURABLE_MONTHS}"  # the headline: people durably in work, off benefit
KEY_OUTCOMES = (DURABLE, "exits_to_work", "stock", "measure_gross_cost_eur", "public_cost_eur",
                "cost_per_extra_durable_outcome_net_eur")
# the market's lines: gross jobs for the caseload, the other job seekers' lost ones, net, displacement
MARKET = ("caseload_hires", "other_job_seekers_hires", "hires_out_of_work", "displacement_share")
HIGHLIGHTED_ARMS = 5  # arms drawn together in one panel; the small multiples show all
# the cost accounting's lines in the key numbers: (line or outcome, heading, scale, unit)
ACCOUNTING = (
    ("extra_durable_outcomes", "extra people durably in work", 1, ""),
    ("exits_to_work", "extra exits to work", 1, ""),
    ("stock", "change in people on benefit", 1, ""),
    ("caseload_hires", "extra jobs for the caseload (gross)", 1, ""),
    ("other_job_seekers_hires", "change in jobs for other job seekers", 1, ""),
    ("hires_out_of_work", "net extra jobs for people out of work", 1, ""),
    ("displacement_share", "displacement", 1, "share"),
    ("measure_gross_cost_eur", "gross cost of the measures", 1e-6, "EUR million"),
    ("benefit_spending_change_eur", "change in benefit paid", 1e-6, "EUR million"),
    ("public_cost_change_eur", "change in public cost", 1e-6, "EUR million"),
    ("budget_balance_change_eur", "change in the BUIG balance", 1e-6, "EUR million"),
    ("cost_per_extra_durable_outcome_gross_eur", "gross cost per extra durable outcome", 1e-3, "EUR thousand"),
    ("cost_per_extra_durable_outcome_net_eur", "net cost per extra durable outcome", 1e-3, "EUR thousand"),
)


def write_report(directory: str | Path, out: str | Path | None = None) -> Path:
    """Write ``report.html`` (and ``plots/``, ``summaries/``) for a run or experiment directory."""
    directory = Path(directory)
    if out is not None and Path(out).is_dir():
        raise UserError(f"--out {out}: is a directory; give the path of the HTML file to write, e.g. "
                        f"{Path(out) / 'report.html'}.")
    if out is not None and not Path(out).parent.is_dir():
        raise UserError(f"--out {out}: its directory {Path(out).parent} does not exist.")
    manifest = read_manifest(directory, "`labour-abm run`, `experiment` or `sweep`")
    if manifest.get("kind") == "trial":
        page = _trial_page(directory, manifest)
    elif "experiment" in manifest and store.has_runs(directory):
        page = _experiment_page(directory, manifest)
    elif "sweep" in manifest:
        page = _sweep_page(directory, manifest)
    elif store.table_path(directory, "monthly").is_file():
        page = _run_page(directory, manifest)
    else:
        raise UserError(f"{directory}: neither a run (monthly.parquet) nor an experiment (runs/) directory.")
    out = Path(out) if out is not None else directory / "report.html"
    atomic_write(out, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    return out


# --------------------------------------------------------------------------- experiment
def _experiment_page(directory: Path, manifest: dict) -> str:
    from ..experiments.experiment import ExperimentSpec

    spec = ExperimentSpec(**manifest["spec"])
    effects_path = store.table_path(directory, "effects")
    if not effects_path.is_file():
        raise UserError(f"{directory}: no effects.parquet yet; run the experiment to the end first.")
    effects = store.read_table(effects_path)
    outcomes = store.read_table(store.table_path(directory, store.OUTCOMES))
    tables = summaries.experiment_summaries(directory, list(spec.arms), range(len(spec.seed_list())))
    if not tables:
        raise UserError(f"{directory}: no replication finished in every arm; nothing to report.")
    _write_tables(directory, tables)
    bands = tables["bands"]
    n = int(bands["n_replications"].max())
    top = _highlighted(effects)
    arms_note = "" if top is None else f" (the {HIGHLIGHTED_ARMS} arms with the most extra durable outcomes)"
    shown = None if top is None else ["baseline", *top]
    last_h = int(effects["horizon_months"].max()) if len(effects) else spec.months
    pairs = (f"mean of {n} paired differences with their middle 95% (parameter sets from the ensemble and chance)"
             if "range_low" in effects else f"mean of {n} paired differences with 95% confidence intervals "
             "(chance only)")
    figures = []
    if len(effects) and last_h > DURABLE_MONTHS:  # an experiment with only a baseline has nothing to compare
        figures.append(
            ("effects_durable", plots.plot_effects(effects, DURABLE, "all"),
             "Extra people durably in work: exits to work and claimants placed in work at the gate who stayed "
             f"off benefit {DURABLE_MONTHS} months, seen at each horizon (so from the months up to "
             f"{DURABLE_MONTHS} months before it); {pairs}."))
    elif len(effects):  # a durable outcome needs 12 months without return to be seen
        figures.append(
            ("effects_exits_to_work", plots.plot_effects(effects, "exits_to_work", "all"),
             f"Effect of each arm on exits to work ({pairs}). Durable outcomes (no return within "
             f"{DURABLE_MONTHS} months) are not defined for a run of {last_h} months: run longer than "
             f"{DURABLE_MONTHS} months to see them."))
    if len(effects):
        if spec.target is not None:
            figures.append(("target", plots.plot_target(effects, spec.target, top),
                            _target_caption(spec.target, n)))
        figures += [
            ("effects_stock", plots.plot_effect_by_month(tables["paired"], "stock"),
             f"Change in the number of people on benefit, arm minus baseline, month by month (mean of {n} paired "
             "differences with the 95% confidence interval of the mean); "
             "a panel per arm, in the order of the change at the end."),
            ("effects_public_cost", plots.plot_effects(effects, "public_cost_eur", last_h),
             f"Change in public cost (benefit paid plus the measures' spending) over {last_h} months: negative "
             f"means the arm costs less than the baseline ({pairs})."),
        ]
    figures += [
        ("stock_and_flows", plots.plot_stock_and_flows(bands, shown),
         f"People on benefit per arm{arms_note}, and the baseline's inflow and exits by reason; "
         "lines are means, bands the middle 95% of replications."),
        ("survival", plots.plot_survival(tables["survival"], shown),
         f"Kaplan-Meier curves of time on benefit for spells that start during the run{arms_note}, "
         "and in the baseline by barrier at the start."),
        ("composition", plots.plot_composition(bands, shown),
         "Share of the stock with each barrier: who remains when the job-ready leave (the long-term core)."),
        ("budget", plots.plot_budget(bands, effects, shown),
         "Municipal budget per month, cost of the measures, and the net cost per extra durable outcome "
         "(bootstrap 95% CI; negative: each comes with a saving)."),
        ("ladder", plots.plot_ladder(bands, shown),
         "Participation ladder (1 isolated ... 5 paid work with benefit) in the baseline, and by arm at the end."),
        ("ladder_transitions", plots.plot_ladder_transitions(bands, shown),
         "Moves between participation-ladder steps per month (after the first 12 months): from step to step in "
         "the baseline, and each arm's moves up and down minus the baseline's. A move to step 6 is an exit to "
         "work; entries and other exits are not moves."),
        ("waiting_lists", plots.plot_waiting_lists(bands),
         "Waiting lists of services: growing lists mean the capacity is short of the demand."),
    ]
    body = [
        f"<h1>{_e(spec.name.replace('_', ' '))}</h1>",
        _section("Question", f"<p>{_e(spec.description) or 'No description in the experiment file.'}</p>"),
        _section("Setup", _experiment_setup(spec, manifest, n)),
        _section("Key numbers", _key_numbers(effects, outcomes, spec, n)),
        _section("Limits", _limits(spec, n, effects)),
        _section("Plots", _figures(directory, figures)),
        _section("Effects", _effects_tables(effects)),
        _section("Provenance", _provenance(manifest, directory)),
    ]
    return _page(f"labour_abm: {spec.name}", body)


def _highlighted(effects: pd.DataFrame) -> list[str] | None:
    """The arms with the most extra durable outcomes, if there are too many to draw together."""
    arms = list(dict.fromkeys(effects["arm"]))
    if len(arms) <= HIGHLIGHTED_ARMS:
        return None
    e = effects[(effects["outcome"] == DURABLE) & (effects["group"] == "all")]
    e = e[e["horizon_months"] == e["horizon_months"].max()]
    return list(e.sort_values("effect_mean", ascending=False)["arm"][:HIGHLIGHTED_ARMS])


def _experiment_setup(spec, manifest: dict, n: int) -> str:
    rows = []
    for arm, a in spec.arms.items():
        parts = []
        if a.programme:
            parts.append(f"programme <code>{_e(a.programme)}</code>")
        for m in a.measures:
            parts.append(f"<code>{_e(m.name)}</code>: {_e(_settings(m.name, m.parameters))}")
        if a.parameters:
            parts.append("parameters: " + _e(", ".join(f"{k}={v}" for k, v in a.parameters.items())))
        rows.append(f"<tr><td>{_e(arm)}</td><td>{'<br>'.join(parts) or 'no measures (status quo)'}</td></tr>")
    seeds = manifest.get("seeds", [])
    facts = {
        "preset": spec.preset, "months": spec.months, "labour market": _scenario(spec.labour_market),
        "replications": f"{n} finished in every arm (of {spec.replications}); replication r of every arm uses "
                        "the same seed (paired comparison, common random numbers)",
        "seeds": f"{seeds[0]} ... {seeds[-1]}" if len(seeds) > 3 else ", ".join(map(str, seeds)),
        "parameters": ", ".join(f"{k}={v}" for k, v in spec.parameters.items()) or "preset defaults",
    }
    if spec.ensemble:
        facts["parameter ensemble"] = (f"{spec.ensemble}: replication r draws its parameters from member r mod the "
                                       "members; what the file sets wins")
    return _facts(facts) + "<table><tr><th>arm</th><th>what changes</th></tr>" + "".join(rows) + "</table>"


def _scenario(name: str) -> str:
    """The scenario's name and, for one that moves, the calendar month its month 0 stands for."""
    from ..core.labour_market import Scenario

    start = Scenario(name).start
    return f"{name} (month 0 is {start}: new vacancies and job losses follow CBS and UWV from then)" if start else name


def _settings(name: str, given: dict) -> str:
    """A measure's settings: what the file sets, then the defaults it keeps."""
    from ..measures import REGISTRY

    defaults = {k: f.default for k, f in REGISTRY[name].Params.model_fields.items() if k not in given}
    set_ = ", ".join(f"{k}={v}" for k, v in given.items())
    kept = ", ".join(f"{k}={v}" for k, v in defaults.items())
    return "; ".join(p for p in (set_, f"defaults {kept}" if kept else "") if p)


def _key_numbers(effects: pd.DataFrame, outcomes: pd.DataFrame, spec, n: int) -> str:
    if effects.empty:
        return "<p>Only a baseline: nothing to compare.</p>"
    text = _accounting(effects, n)
    if spec.target is not None:
        text += _target(effects, outcomes, spec.target, bool(spec.ensemble))
    return text


def _accounting(effects: pd.DataFrame, n: int) -> str:
    """Per arm, one window: durable outcomes, exits, stock and the cost accounting, all over the
    same months (analysis.costs); arms by extra durable outcomes."""
    costs = cost_accounting(effects)
    if costs.empty:  # a run too short to see durable outcomes of a 12-month window
        h = int(effects["horizon_months"].max())
        shown = ("exits_to_work", "stock", *MARKET, "measure_gross_cost_eur")
        lines = [line for line in ACCOUNTING if line[0] in shown]
        values = effects[(effects["group"] == "all") & (effects["horizon_months"] == h)].rename(
            columns={"outcome": "line"})
        intro = (f"<p>Over the first {h} months, arm minus baseline: mean [{interval_words(effects, n)}]. "
                 f"Durable outcomes need a run of at least {2 * DURABLE_MONTHS} months.</p>")
    else:
        h = int(costs["window_months"].max())
        lines = ACCOUNTING
        values = pd.concat([costs[costs["window_months"] == h], effects[
            (effects["group"] == "all") & (effects["horizon_months"] == h)
            & effects["outcome"].isin(["exits_to_work", "stock", *MARKET])].rename(columns={"outcome": "line"})])
        intro = (f"<p>Over the first {h} months, arm minus baseline: mean [{interval_words(effects, n)}]. "
                 f"Extra people durably in work: exits to work and claimants placed in work at the gate in those "
                 f"months who stayed off benefit for {DURABLE_MONTHS} months (seen at month {h + DURABLE_MONTHS}). "
                 "Gross cost: the measures' own spending plus benefit paid above the statutory earnings disregard. "
                 "Public cost: benefit paid plus the measures' spending; net cost per extra durable outcome "
                 "divides its change by them (negative: each comes with a saving). Jobs: the caseload's extra "
                 "jobs (gross), the change in the jobs other job seekers out of work found (a vacancy a recipient "
                 "takes is one they did not get), their sum (net), and the displacement: their lost jobs per extra "
                 "job of the caseload. The BUIG balance is the "
                 "municipality's, after the safety net. Costs per outcome are shown only where the arm has extra "
                 "durable outcomes.</p>")
    table = values.set_index(["arm", "line"])
    arms = list(dict.fromkeys(effects["arm"]))
    first = lines[0][0]
    arms.sort(key=lambda a: -table["effect_mean"].get((a, first), float("-inf")))
    head = "".join(f"<th>{_e(label)}{f'<br><small>{unit}</small>' if unit else ''}</th>"
                   for _, label, _, unit in lines)
    rows = "".join(f"<tr><th>{_e(arm)}</th>" + "".join(
        f"<td>{_cell(table.loc[(arm, line)], scale) if (arm, line) in table.index else '-'}</td>"
        for line, _, scale, _ in lines) + "</tr>" for arm in arms)
    return f"{intro}<div class='wide'><table class='effects'><tr><th>arm</th>{head}</tr>{rows}</table></div>"


def _target(effects: pd.DataFrame, outcomes: pd.DataFrame, t, ensemble: bool = False) -> str:
    h = read_at(t.outcome, t.by_month)
    verdicts = target_verdicts(effects, outcomes, t.outcome, t.by_month, t.value, [t.arm] if t.arm else None)
    what = plots.OUTCOME_LABELS.get(t.outcome, t.outcome)
    seen = f" A durable outcome of those months is seen at month {h}." if h != t.by_month else ""
    text = (f"<p class='target'>Target: {t.value:g} extra {_e(what)} from the first {t.by_month} months"
            f"{f' ({_e(t.source)})' if t.source else ''}.{seen}</p><p>Verdict: <b>reached</b> when the whole "
            "95% interval is at or above the target, <b>not reached</b> when it is wholly below, <b>uncertain</b> "
            "otherwise. Chance: in how many paired replications the arm's own difference reached the target, "
            + ("that is the probability of meeting it over the ensemble's parameter sets and chance.</p>" if ensemble
               else "that is how often the model's possible histories meet it at these parameters.</p>"))
    rows = "".join(
        f"<tr><th>{_e(r.arm)}</th><td>{_cell(r._asdict())}</td><td><b>{r.verdict}</b></td>"
        f"<td>{r.reached} of {r.replications} ({r.reached / r.replications:.0%})</td></tr>"
        for r in verdicts.itertuples(index=False) if r.replications)
    return (text + "<table class='effects'><tr><th>arm</th><th>extra, mean [95% CI]</th><th>verdict</th>"
            f"<th>chance</th></tr>{rows}</table>")


def _target_caption(t, n: int) -> str:
    what = plots.OUTCOME_LABELS.get(t.outcome, t.outcome)
    seen = (f", each seen {read_at(t.outcome, 0)} months later" if read_at(t.outcome, 0) else "")
    return (f"Extra {what} from the first months of the run{seen}, of "
            f"{'arm ' + repr(t.arm) if t.arm else 'each arm shown'}, against the target of {t.value:g} from the "
            f"first {t.by_month} months ({t.source or 'experiment file'}); mean of {n} paired differences with "
            "95% confidence intervals, the same numbers as the verdict.")


def _limits(spec, n: int, effects: pd.DataFrame) -> str:
    """What the numbers rest on: what the intervals cover (chance only, or with an ensemble the
    parameters too, and how much of the spread each gives); which measure parameters are
    assumptions (Measure.assumed_parameters, as docs/measures.md lists them)."""
    from ..measures import REGISTRY

    names = sorted({m.name for arm in spec.arms for m in spec.arm_measures(arm)})
    rows = []
    for name in names:
        assumed = REGISTRY[name].assumed_parameters()
        sourced = [k for k in REGISTRY[name].Params.model_fields if k not in assumed]
        rows.append(f"<tr><th>{_e(name)}</th><td>{_e(', '.join(assumed) or 'none')}</td>"
                    f"<td>{_e(', '.join(sourced) or 'none')}</td></tr>")
    table = ("<table><tr><th>measure</th><th>rests on an assumption</th><th>from a source</th></tr>"
             f"{''.join(rows)}</table>") if rows else ""
    if spec.ensemble:
        covers = _ensemble_limits(spec, n, effects)
    else:
        covers = (f"<p><b>The intervals cover chance only.</b> Each is the 95% interval of the mean of {n} paired "
                  "differences: replications of the same model at one set of parameters, the arms paired by seed. "
                  "They do not include what is not known about the parameters themselves, which is usually the "
                  "larger part: an effect that rests on an assumed parameter can be much larger or smaller than "
                  "shown, however narrow its interval. Set <code>ensemble</code> in the experiment file to draw "
                  "each replication's parameters from a parameter ensemble (docs/experiments.md).</p>")
    return (f"{covers}<p><b>Which effects rest on assumptions.</b> The parameters of the measures "
            "in this experiment whose values are assumptions (their descriptions say so; "
            "<code>labour-abm measures</code> and docs/measures.md give the reasoning and the ranges) and those "
            f"taken from a source:</p>{table}<p><b>The jobs of other job seekers</b> (gross, net and the "
            "displacement) rest on assumed parameters of the local labour market: "
            "<code>acceptable_candidates_per_vacancy</code>, <code>vacancy_share_to_unemployed</code>, "
            "<code>other_job_seekers_exit_per_month</code>, and the matching elasticity from the literature "
            "(docs/parameters.md, docs/calibration.md). Their direction (more displacement in a slack market) "
            "follows the evaluation literature; their size is not fitted to it.</p>"
            "<p>Every effect is arm minus baseline.</p>")


def _ensemble_limits(spec, n: int, effects: pd.DataFrame) -> str:
    """With an ensemble: what the ranges cover, and per arm how much of the spread of its extra
    durable outcomes comes from the parameters."""
    last = effects[(effects["outcome"] == DURABLE) & (effects["group"] == "all")]
    last = last[last["horizon_months"] == last["horizon_months"].max()] if len(last) else last
    rows = "".join(f"<tr><th>{_e(r.arm)}</th><td>{'-' if pd.isna(r.parameter_share) else f'{r.parameter_share:.0%}'}"
                   f"</td><td>{_cell(r._asdict())}</td><td>{estimate(r._asdict(), html=True)}</td></tr>"
                   for r in last.sort_values("effect_mean", ascending=False).itertuples(index=False))
    return (f"<p><b>The intervals cover the parameters and chance.</b> Replication r drew its parameters from "
            f"member r mod the members of the ensemble <code>{_e(spec.ensemble)}</code> (docs/calibration.md: "
            "parameter sets consistent with the baseline targets, and the measures' effect sizes drawn from their "
            "plausible ranges), and the arms of a replication share its parameters and its seed. Each interval is "
            f"the middle 95% of the {n} paired differences. The mean's own 95% confidence interval, which shrinks "
            "with more replications, is in effects.csv (ci_low, ci_high). How much of the spread in extra people "
            "durably in work comes from the parameters rather than chance (between-member variance over the "
            "total, from members with two replications or more):</p><table class='effects'><tr><th>arm</th><th>"
            "from parameters</th><th>middle 95%</th><th>mean [95% CI of the mean]</th></tr>" + rows + "</table>"
            "<p>Parameters the ensemble does not vary stay at their values, and the model's structure is one "
            "of several possible: the ranges are wider in truth.</p>")


def _effects_tables(effects: pd.DataFrame) -> str:
    """One table per outcome: arms by horizon, each cell the effect with its 95% CI; the key
    outcomes open, the others and the group breakdown folded away."""
    if effects.empty:
        return "<p>No effects: the experiment has only a baseline.</p>"
    overall = effects[effects["group"] == "all"]
    parts = ["<p>Arm minus baseline, mean [95% CI], by horizon in months (outcomes up to the end of that "
             "month). Every number is also in <code>effects.csv</code>, with the means of both arms.</p>"]
    outcomes = list(dict.fromkeys([*KEY_OUTCOMES, *overall["outcome"]]))
    for outcome in outcomes:
        e = overall[overall["outcome"] == outcome]
        if e.empty:
            continue
        title = f"{plots.OUTCOME_LABELS.get(outcome, outcome)} <small>({_e(outcome)}: {_e(_describe(outcome))})</small>"
        table = _pivot(e)
        parts.append(f"<h3>{title}</h3>{table}" if outcome in KEY_OUTCOMES[:3]
                     else f"<details><summary>{title}</summary>{table}</details>")
    groups = effects[effects["group"] != "all"]
    if len(groups):
        h = int(groups["horizon_months"].max())
        g = groups[groups["horizon_months"] == h]
        rows = []
        for (outcome, group), d in g.groupby(["outcome", "group"], sort=True):
            cells = "".join(f"<td>{_cell(r)}</td>" for _, r in d.set_index("arm").reindex(
                list(dict.fromkeys(effects["arm"]))).iterrows())
            rows.append(f"<tr><th>{_e(outcome)}</th><th>{_e(group)}</th>{cells}</tr>")
        head = "".join(f"<th>{_e(a)}</th>" for a in dict.fromkeys(effects["arm"]))
        parts.append(f"<details><summary>By group after {h} months (barrier at the start of the spell, age, "
                     f"migration background)</summary><div class='wide'><table class='effects'><tr><th>outcome</th>"
                     f"<th>group</th>{head}</tr>{''.join(rows)}</table></div></details>")
    return "".join(parts)


def _describe(outcome: str) -> str:
    return OUTCOMES.get(outcome) or DERIVED_OUTCOMES.get(outcome, "")


def _pivot(e: pd.DataFrame) -> str:
    horizons = sorted(int(h) for h in e["horizon_months"].unique())
    head = "".join(f"<th>{h} months</th>" for h in horizons)
    rows = []
    for arm, d in e.groupby("arm", sort=False):
        by_h = d.set_index("horizon_months")
        cells = "".join(f"<td>{_cell(by_h.loc[h]) if h in by_h.index else '-'}</td>" for h in horizons)
        rows.append(f"<tr><th>{_e(arm)}</th>{cells}</tr>")
    return f"<div class='wide'><table class='effects'><tr><th>arm</th>{head}</tr>{''.join(rows)}</table></div>"


def _cell(r, scale: float = 1.0) -> str:
    return estimate(r, scale, html=True, interval="range")  # with an ensemble, its range


# -------------------------------------------------------------------------------- sweep
def _sweep_page(directory: Path, manifest: dict) -> str:
    from ..analysis.sensitivity import analyse
    from ..experiments.sweep import SweepSpec

    spec = SweepSpec(**manifest["spec"])
    indices = analyse(directory)  # writes sensitivity/ (indices and plots)
    column = "effect against the baseline at the same point and seed" if spec.compare_to_baseline else "value"
    rows = "".join(
        f"<tr><td><code>{_e(name)}</code></td><td>{_e(v.range if v.range is not None else v.values)}</td>"
        f"<td>{_e(v.scale)}{', integer' if v.integer else ''}</td></tr>" for name, v in spec.vary.items())
    measures = ", ".join(m["name"] for m in spec.base_measures()) or "none (the baseline)"
    facts = {"preset": spec.preset, "months": spec.months, "design": spec.design,
             "points": manifest.get("points"), "replications per point": spec.replications,
             "runs": manifest.get("runs"), "measures on": measures, "outcomes analysed": column}
    setup = (_facts(facts) + "<table><tr><th>varied parameter</th><th>range or values</th><th>scale</th></tr>"
             f"{rows}</table>")
    if len(indices):
        key = "ST" if "ST" in indices else "mu_star"
        lines = []
        for outcome, t in indices.groupby("outcome", sort=False):
            top = t.sort_values(key, ascending=False).head(3)
            lines.append(f"<li><b>{_e(outcome)}</b>: " + ", ".join(
                f"{_e(p)} ({key} {v:.3g})" for p, v in zip(top["parameter"], top[key], strict=True)) + "</li>")
        numbers = (f"<p>The parameters that matter most for each outcome after {spec.months} months "
                   f"({'total Sobol index' if key == 'ST' else 'Morris mu*'}):</p><ul>{''.join(lines)}</ul>")
        table = "<div class='wide'>" + indices.to_html(index=False, float_format=lambda v: f"{v:,.3g}", border=0,
                                                       classes="effects") + "</div>"
    else:
        numbers, table = f"<p>A {spec.design} design has no variance-based indices; see the heatmaps.</p>", ""
    captions = {"sobol": "Sobol first-order (S1) and total (ST) indices with 95% intervals",
                "morris": "Morris screening: mu* (influence, with 95% intervals) and mu* against sigma "
                          "(non-linearity, interactions)",
                "heatmap": ("Mean outcome over the two most influential parameters" if len(indices)
                            else "Mean outcome over the first two varied parameters")}
    figures = []
    for png in sorted((directory / "sensitivity").glob("*.png")):
        outcome, kind = png.stem.rsplit("_", 1)
        figures.append((png, f"{captions.get(kind, kind)}: {plots.OUTCOME_LABELS.get(outcome, outcome)}."))
    body = [
        f"<h1>Sweep: {_e(spec.name.replace('_', ' '))}</h1>",
        _section("Question", f"<p>{_e(spec.description) or 'No description in the sweep file.'}</p>"),
        _section("Setup", setup),
        _section("Key numbers", numbers),
        _section("Plots", _embedded(figures)),
        _section("Effects", table or "<p>No indices.</p>"),
        _section("Provenance", _provenance(manifest, directory)),
    ]
    return _page(f"labour_abm sweep: {spec.name}", body)


# -------------------------------------------------------------------------------- trial
def _trial_page(directory: Path, manifest: dict) -> str:
    from ..analysis.trials import MDE_FACTOR, OUTCOMES
    from ..experiments.trial import CONTROL, OUTPUTS, TrialSpec

    spec = TrialSpec(**manifest["spec"])
    summary = pd.read_csv(directory / OUTPUTS[2])
    arms = "".join(
        f"<tr><td>{_e(arm)}</td><td>{a.participants}</td><td>"
        f"{_e(', '.join(m.name for m in a.measures) or 'none (the baseline)')}</td><td>{_e(a.evidence or '')}</td></tr>"
        for arm, a in spec.arms.items())
    facts = {"preset": spec.preset, "labour market": spec.labour_market,
             "eligible at randomisation": ", ".join(f"{k} {v}" for k, v in spec.eligible.model_dump().items()
                                                    if v is not None),
             "replications (worlds per arm)": spec.replications, "random assignments per replication": spec.assignments,
             "horizons (months after randomisation)": ", ".join(map(str, spec.horizons))}
    outcomes = "".join(f"<li><b>{_e(o)}</b>: {_e(OUTCOMES[o])}</li>" for o in spec.outcomes)
    setup = (_facts(facts) + "<table><tr><th>arm</th><th>participants</th><th>measures</th><th>published study arm"
             f"</th></tr>{arms}</table><p>Outcomes, per person at the horizon:</p><ul>{outcomes}</ul>")
    lines = []
    for _, r in summary.iterrows():
        pub = ""
        if isinstance(r.get("published_finding"), str):
            number = ""
            if pd.notna(r["published_estimate"]):
                se = f", SE {100 * r['published_se']:.1f}" if pd.notna(r["published_se"]) else ", no SE"
                where = "within" if r["published_within_trials"] else "outside"
                number = (f" ({100 * r['published_estimate']:+.1f}{se}; {where} the middle 95% of the emulated "
                          "trials' estimates)")
            pub = (f"; the study found it {r['published_finding']}{number}, which an emulated trial of this size "
                   f"concludes {100 * r['same_finding_share']:.0f}% of the time")
        lines.append(f"<li><b>{_e(r['arm'])}</b>, {_e(r['outcome'])} after {int(r['horizon'])} months: model "
                     f"{100 * r['true_effect']:+.1f} points (control level {100 * r['control_mean']:.0f}%); a trial of "
                     f"this size finds {100 * r['trial_lo']:+.1f} to {100 * r['trial_hi']:+.1f}, detects "
                     f"{100 * r['mde']:.1f} or more with 80% power, and finds this effect significant "
                     f"{100 * r['power']:.0f}% of the time{pub}.</li>")
    numbers = ("<p>Effects are in percentage points (treated minus control). Each estimate is a difference in "
               "means with a Neyman standard error; the smallest detectable effect is "
               f"{MDE_FACTOR:.2f} standard errors (5% two-sided, 80% power).</p><ul>" + "".join(lines) + "</ul>")
    limits = (f"<p>The model's true effect is the mean over everyone eligible of their outcome with the measure "
              f"minus without it (common random numbers put each person in both worlds); its spread over "
              f"replications is chance at one set of parameters, not what is unknown about the parameters. Each "
              f"arm's world gives the measure to everyone it reaches, not only to the participants, so the "
              f"competition between people who all got it is in the participants' outcomes: a real trial of "
              f"{spec.arms[CONTROL].participants} per arm has almost none, and may find more than the model's "
              f"effect of a roll-out (docs/trials.md).</p>")
    figure = _figures(directory, [("trial", plots.plot_trial(summary),
                                   "What the emulated trials find (grey: middle 95% of the estimates, dot: median), "
                                   "the model's true effect on the eligible (cross), and the published estimate "
                                   "with its 95% interval (diamond), where a study published one.")])
    table = "<div class='wide'>" + summary.to_html(index=False, float_format=lambda v: f"{v:,.4g}", border=0,
                                                   classes="effects") + "</div>"
    body = [
        f"<h1>Trial: {_e(spec.name.replace('_', ' '))}</h1>",
        _section("Question", f"<p>{_e(spec.description) or 'No description in the trial file.'}</p>"),
        _section("Setup", setup),
        _section("Key numbers", numbers),
        _section("Limits", limits),
        _section("Plots", figure),
        _section("Effects", table),
        _section("Provenance", _provenance(manifest, directory)),
    ]
    return _page(f"labour_abm trial: {spec.name}", body)


# ---------------------------------------------------------------------------------- run
def _run_page(directory: Path, manifest: dict) -> str:
    from ..analysis.patterns import summary

    monthly = store.read_table(store.table_path(directory, "monthly"))
    spells = store.read_table(store.table_path(directory, "spells"))
    bands = summaries.monthly_bands([monthly], "run")
    curves = summaries.survival([spells], len(monthly), "run")
    _write_tables(directory, {"bands": bands, "survival": curves})
    figures = [  # one run has no spread to show: stock, flows and composition fit one row
        ("overview", plots.plot_run(monthly), "People on benefit, inflow and exits by reason, and the share of "
         "the stock with each barrier over time."),
        ("survival", plots.plot_survival(curves),
         "Kaplan-Meier curves of time on benefit for spells that start during the run, by barrier at the start."),
        ("budget", plots.plot_budget(bands), "Municipal budget per month and the cost of the measures."),
        ("ladder", plots.plot_ladder(bands), "Participation ladder of the stock over time."),
        ("ladder_transitions", plots.plot_ladder_transitions(bands), "Moves between participation-ladder steps "
         "per month, after the first 12 months (a move to step 6 is an exit to work)."),
        ("waiting_lists", plots.plot_waiting_lists(bands), "Waiting lists of services."),
    ]
    stats = summary(monthly)
    measures = manifest.get("measures") or []
    facts = {
        "preset": manifest.get("preset"), "seed": manifest.get("seed"), "months": len(monthly),
        "measures": ", ".join(m["name"] if isinstance(m, dict) else str(m) for m in measures) or "none (baseline)",
    }
    numbers = {
        "people on benefit at the start / end": f"{monthly['stock'].iloc[0]:,} / {monthly['stock'].iloc[-1]:,}",
        "exits to work (all months)": f"{monthly['exits_work'].sum():,}",
        "monthly exit hazard": f"{100 * stats['monthly_exit_hazard']:.2f}%",
        "share of exits to work": f"{100 * stats['share_exits_to_work']:.0f}%",
        "share with part-time earnings": f"{100 * stats['share_with_earnings']:.1f}%",
        "measure cost (all months)": f"EUR {monthly['measure_cost_eur'].sum():,.0f}",
    }
    body = [
        f"<h1>Run: {_e(str(manifest.get('preset', directory.name)))}, seed {_e(str(manifest.get('seed')))}</h1>",
        _section("Setup", _facts(facts)),
        _section("Key numbers", _facts(numbers) + "<p>Hazards and shares are means over the months after the "
                 "first 12.</p>"),
        _section("Plots", _figures(directory, figures)),
        _section("Provenance", _provenance(manifest, directory)),
    ]
    return _page(f"labour_abm run: {directory.name}", body)


# ------------------------------------------------------------------------------ shared
def _write_tables(directory: Path, tables: dict[str, pd.DataFrame]) -> None:
    folder = directory / "summaries"
    folder.mkdir(exist_ok=True)
    for name, frame in tables.items():
        atomic_write(folder / f"{name}.parquet", lambda tmp, frame=frame: frame.to_parquet(tmp, index=False))


def _figures(directory: Path, figures) -> str:
    """Save each (name, figure, caption) as PNG and SVG in ``plots/`` and embed the PNGs."""
    folder = directory / "plots"
    folder.mkdir(exist_ok=True)
    try:
        return _embedded([(plots.save(fig, folder / name)[0], caption) for name, fig, caption in figures])
    finally:  # when one cannot be saved (a full disk), the rest are closed too
        plots.close(fig for _, fig, _ in figures)


def _embedded(images) -> str:
    parts = []
    for i, (png, caption) in enumerate(images, start=1):
        data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
        parts.append(f"<figure id='fig-{_e(Path(png).stem)}'><img alt='{_e(caption)}' "
                     f"src='data:image/png;base64,{data}'><figcaption><b>Figure {i}.</b> {_e(caption)}</figcaption>"
                     "</figure>")
    return "".join(parts)


def _provenance(manifest: dict, directory: Path) -> str:
    keys = ("package", "version", "git_commit", "git_dirty", "python", "numpy", "pandas", "mesa", "executor",
            "spec_hash", "file_sha256", "status", "timings_s")
    facts = {k: manifest[k] for k in keys if k in manifest}
    facts["directory"] = str(directory.resolve())
    facts["report written"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = _facts(facts)
    if manifest.get("git_dirty"):
        text += ("<p class='warn'>The code had uncommitted changes when this ran: the commit alone does not "
                 "reproduce it.</p>")
    for i, session in enumerate(manifest.get("earlier_sessions", []), start=1):
        dirty = " (uncommitted changes)" if session.get("git_dirty") else ""
        text += (f"<p>Earlier session {i} (its runs keep their own manifest): version {_e(session.get('version'))}, "
                 f"commit {_e(session.get('git_commit'))}{dirty}, {_e(session.get('runs_done_now'))} runs done, "
                 f"status {_e(session.get('status'))}.</p>")
    if "experiment_file" in manifest:
        text += f"<details><summary>Experiment file</summary><pre>{_e(manifest['experiment_file'])}</pre></details>"
    return text


def _facts(facts: dict) -> str:
    rows = "".join(f"<tr><th>{_e(str(k))}</th><td>{_e(str(v))}</td></tr>" for k, v in facts.items())
    return f"<table class='facts'>{rows}</table>"


def _section(title: str, content: str) -> str:
    anchor = title.lower().replace(" ", "-")
    return f"<section id='{anchor}'><h2>{_e(title)}</h2>{content}</section>"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;max-width:1200px;
margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;border-bottom:2px solid #0072B2;padding-bottom:.3rem}h2{font-size:1.25rem;margin-top:2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}th,td{padding:.25rem .6rem;text-align:left;
border-bottom:1px solid #ddd;vertical-align:top}table.effects td{text-align:right}
table.facts th{font-weight:600;color:#444;white-space:nowrap}figure{margin:1.5rem 0}
img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.9rem;color:#444}
pre{background:#f6f6f6;padding:.8rem;overflow-x:auto;font-size:.8rem}.target{font-size:1.05rem}
.warn{color:#D55E00}small{color:#666}nav a{margin-right:1rem}.wide{overflow-x:auto}h3{font-size:1rem}
"""


def _page(title: str, body: list[str]) -> str:
    nav = "".join(f"<a href='#{s}'>{s.replace('-', ' ').capitalize()}</a>"
                  for s in ("question", "setup", "key-numbers", "limits", "plots", "effects", "provenance")
                  if f"id='{s}'" in "".join(body))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{_e(title)}</title>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><style>{CSS}</style></head>"
            f"<body><nav>{nav}</nav>{''.join(body)}</body></html>\n")
