"""Command line: ``labour-abm run | experiment | sweep | report | ...`` (``labour-abm --help``).

User mistakes (unknown preset, bad ``--set``, unknown measure) print one line and exit with
code 2, before anything is written.

Each command imports what it needs when it runs: the model (Mesa, pandas, scipy), plotting and
the statistics cost most of a second or more to import, and ``--help``, ``params`` or a run
without plots should not wait for what they do not use (benchmarks/bench_startup.py).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import signal
import sys
from pathlib import Path

from ..errors import UserError
from ..io import store
from ..version import __version__

EXIT_USER_ERROR = 2
MAX_SEED = 2**63 - 1  # numpy's seed sequences take non-negative integers; larger ones do not fit a manifest's int64
MAX_WORKERS = 1024  # local processes; more than the machine has cores only costs memory


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with _terminate_as_interrupt():
        try:
            return args.func(args)
        except UserError as exc:
            print(f"labour-abm: error: {exc}", file=sys.stderr)
            return EXIT_USER_ERROR
        except KeyboardInterrupt:
            print("labour-abm: interrupted; finished runs are kept (run the same command again to go on)",
                  file=sys.stderr)
            return 130
        except BrokenPipeError:  # output piped into e.g. `head`
            sys.stderr.close()
            return 0
        except OSError as exc:
            if exc.errno not in WRITE_FAILURES:
                raise
            where = exc.filename or "a file"
            print(f"labour-abm: error: cannot write {where}: {exc.strerror}; what was complete is kept (run the same "
                  "command again once there is room)", file=sys.stderr)
            return 1


WRITE_FAILURES = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}


@contextlib.contextmanager
def _terminate_as_interrupt():
    """SIGTERM (a scheduler or `kill` stopping the command) ends it as Ctrl-C does: workers
    stopped, finished runs kept, one line, exit 130."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (e.g. called from a worker thread): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _runner_options(parser: argparse.ArgumentParser, kind: str) -> None:
    """Where and how many runs of an experiment or sweep run, and what is printed."""
    parser.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster (e.g. tcp://host:8786)")
    parser.add_argument("--out", help=f"output directory (default results/<{kind} name>)")
    _fresh_option(parser)
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors (without it, progress goes to "
                        "stderr: a bar on a terminal, else a line now and then with an estimate of the time left)")


def _fresh_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fresh", action="store_true", help="start afresh: replace the results --out holds "
                        "(without it, a command resumes the same work and refuses other work)")


def _check_workers(workers: int | None) -> None:
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise UserError(f"--workers must be 1-{MAX_WORKERS}, got {workers}.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labour-abm",
        description="Agent-based simulation of a Dutch municipality's bijstand caseload.",
    )
    parser.add_argument("--version", action="version", version=f"labour_abm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run one simulation and write its outputs")
    run.add_argument("--preset", help="city preset (see `labour-abm presets`; default nijmegen, or the programme's)")
    run.add_argument("--months", type=int, help="months to simulate (default: the parameter 'months', 120)")
    run.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    run.add_argument("--out", default="results/run", help="output directory (default results/run)")
    run.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter (repeatable; see `labour-abm params`)",
    )
    run.add_argument(
        "--measure",
        dest="measures",
        action="append",
        default=[],
        metavar="NAME[:KEY=VALUE,...]",
        help="switch a measure on (repeatable; see `labour-abm measures`)",
    )
    run.add_argument(
        "--programme", metavar="NAME", help="switch on a city programme's measures (see `labour-abm programmes`)"
    )
    run.add_argument("--no-plot", action="store_true", help="do not write overview.png, plots/ and report.html")
    run.add_argument("--quiet", action="store_true", help="print nothing but errors")
    run.set_defaults(func=cmd_run)

    ex = sub.add_parser("experiment", help="run an experiment file: arms vs baseline, replicated, with paired CIs")
    ex.add_argument("file", help="experiment file (TOML; see docs/experiments.md and experiments/)")
    _runner_options(ex, "experiment")
    ex.add_argument("--replications", type=int, help="override the number of replications")
    ex.add_argument("--keep", choices=("summary", "all"), help="what each run keeps besides its outcomes, replacing "
                    "the file's keep: 'summary' (the default) its monthly table and spell counts, enough for the "
                    "report; 'all' also its spells and events (for `labour-abm analyse --run`), about 10 times more")
    ex.add_argument("--no-plot", action="store_true", help="do not write plots/ and report.html")
    ex.set_defaults(func=cmd_experiment)

    tr = sub.add_parser("trial", help="emulate a randomised trial in the simulated caseload: what a study of this "
                        "design would find, next to the model's true effect and the published estimate")
    tr.add_argument("file", help="trial file (TOML; see docs/trials.md and the shipped ones in experiments/trials/)")
    tr.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    tr.add_argument("--out", help="output directory (default results/<trial name>; a trial there is replaced)")
    tr.add_argument("--replications", type=int, help="override the number of replications (worlds per arm)")
    tr.add_argument("--no-plot", action="store_true", help="do not write plots/ and report.html")
    tr.add_argument("--quiet", action="store_true", help="print nothing but errors")
    tr.set_defaults(func=cmd_trial)

    sw = sub.add_parser("sweep", help="run a sweep file: a design over parameters (grid, random, lhs, sobol, morris)")
    sw.add_argument("file", help="sweep file (TOML; see docs/sweeps.md and experiments/)")
    _runner_options(sw, "sweep")
    sw.add_argument("--no-plot", action="store_true", help="do not write report.html and the sensitivity analysis")
    sw.set_defaults(func=cmd_sweep)

    se = sub.add_parser("sensitivity", help="Sobol or Morris indices and response heatmaps of a finished sweep")
    se.add_argument("directory", help="a directory written by `labour-abm sweep`")
    se.add_argument("--outcome", dest="outcomes", action="append", metavar="NAME",
                    help="outcome to analyse (repeatable; default durable_exits_12, exits_to_work, stock, "
                    "public_cost_eur)")
    se.add_argument("--horizon", type=int, help="horizon in months (default: the sweep's months)")
    se.set_defaults(func=cmd_sensitivity)

    va = sub.add_parser("validate", help="run the baseline with several seeds and score it against targets")
    va.add_argument("--preset", help="city preset (default nijmegen)")
    va.add_argument("--replications", type=int, default=5, help="runs, with seeds --seed and on (default 5)")
    va.add_argument("--months", type=int, help="months per run (default: the preset's, 120)")
    va.add_argument("--targets", metavar="FILE", help="targets TOML (default: the preset's shipped targets)")
    va.add_argument("--seed", type=int, default=1, help="seed of the first run (default 1; fresh seeds, e.g. 101, "
                    "judge a calibrated set out of sample)")
    va.add_argument("--parameters", metavar="FILE", help="parameters on top of the preset: a TOML file with a "
                    "[parameters] table, e.g. the calibrated.toml of `labour-abm calibrate`")
    va.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                    help="override a parameter (repeatable; after --parameters)")
    va.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    va.add_argument("--out", help="output directory (default results/validate_<preset>)")
    va.add_argument("--explain", action="store_true", help="after the table, say what each statistic measures and, "
                    "for a target, its role and source (scorecard.csv has them too)")
    _fresh_option(va)
    va.set_defaults(func=cmd_validate)

    ca = sub.add_parser("calibrate", help="fit the free behavioural parameters to the targets (Optuna, resumable)")
    ca.add_argument("--preset", help="city preset (default nijmegen)")
    ca.add_argument("--targets", metavar="FILE", help="targets TOML (default: the preset's shipped targets)")
    ca.add_argument("--free", metavar="FILE", help="free parameters TOML (default: data/calibration/free.toml)")
    ca.add_argument("--trials", type=int, default=100, help="trials in the study in all (default 100)")
    ca.add_argument("--replications", type=int, default=3, help="seeds per trial (default 3)")
    ca.add_argument("--months", type=int, default=60, help="months per run (default 60)")
    ca.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                    help="hold a parameter at a value during the search (repeatable)")
    ca.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    ca.add_argument("--out", help="output directory (default results/calibrate_<preset>)")
    _fresh_option(ca)
    ca.set_defaults(func=cmd_calibrate)

    en = sub.add_parser("ensemble", help="the parameter sets consistent with the targets (history matching): an "
                        "ensemble that experiments can draw each replication's parameters from")
    en.add_argument("--preset", help="city preset (default nijmegen)")
    en.add_argument("--points", type=int, default=300, help="parameter sets evaluated per wave (default 300)")
    en.add_argument("--waves", type=int, default=2, help="waves; each after the first draws near the sets kept so far "
                    "(default 2)")
    en.add_argument("--members", type=int, default=30, help="parameter sets in the ensemble (default 30)")
    en.add_argument("--months", type=int, default=60, help="months per run (default 60)")
    en.add_argument("--cutoff", type=float, default=2.0, help="largest implausibility kept: tolerances (with the "
                    "noise) a set may be off any calibration target (default 2)")
    en.add_argument("--seed", type=int, default=1, help="seed of the search (default 1)")
    en.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    en.add_argument("--out", help="output directory (default results/ensemble_<preset>)")
    en.add_argument("--quiet", action="store_true", help="print nothing but errors")
    _fresh_option(en)
    en.set_defaults(func=cmd_ensemble)

    rp = sub.add_parser("report", help="write report.html (plots, key numbers, effects, provenance) for a result")
    rp.add_argument("directory", help="a directory written by `labour-abm run`, `experiment` or `sweep`")
    rp.add_argument("--out", help="where to write the HTML file (default DIRECTORY/report.html)")
    rp.set_defaults(func=cmd_report)

    an = sub.add_parser("analyse", help="econometrics on a run's spells and events: survival, hazards, a duration "
                        "model of exit to work, returns (-> DIRECTORY/analysis/)")
    an.add_argument("directory", help="a directory written by `labour-abm run` (or `experiment`: see --run)")
    an.add_argument("--run", metavar="ARM/rN", help="in an experiment directory, the run to analyse (default "
                    "baseline/r0)")
    an.add_argument("--no-plot", action="store_true", help="write the tables only")
    an.set_defaults(func=cmd_analyse)

    rr = sub.add_parser("reproduce", help="rerun a recorded run from its manifest and report whether it matches "
                        "(exit 0 if it does, 1 if not)")
    rr.add_argument("directory", help="a directory written by `labour-abm run`, or an experiment's or sweep's")
    rr.add_argument("--run", metavar="ARM/rN", help="in an experiment or sweep directory, the run to reproduce "
                    "(default baseline/r0, else the first)")
    rr.add_argument("--all", dest="all_runs", action="store_true", help="reproduce every run of an experiment or sweep")
    rr.set_defaults(func=cmd_reproduce)

    da = sub.add_parser("dashboard", help="serve the interactive dashboard on 127.0.0.1 (needs the [dashboard] extra)")
    da.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")
    da.add_argument("--preset", help="city preset to start with (default nijmegen)")
    da.add_argument("--labour-market", default="stable", help="labour-market scenario to start with (default stable)")
    da.add_argument("--seed", type=int, default=1, help="seed to start with (default 1)")
    da.add_argument("--months", type=int, default=120, help="months to simulate (12-240, default 120)")
    da.set_defaults(func=cmd_dashboard)

    pr = sub.add_parser("presets", help="list the city presets with sizes and sources")
    pr.set_defaults(func=cmd_presets)

    pa = sub.add_parser("params", help="list every parameter: default, unit, allowed range, source")
    pa.add_argument("--markdown", action="store_true", help="print the table as Markdown (docs/parameters.md)")
    pa.set_defaults(func=cmd_params)

    pg = sub.add_parser("programmes", help="list the city programmes: measures, targets, sources")
    pg.set_defaults(func=cmd_programmes)

    co = sub.add_parser("columns", help="list the columns of monthly.parquet: the core's and each measure's, with unit "
                        "and meaning")
    co.add_argument("--markdown", action="store_true", help="print them as the Markdown tables of docs/outputs.md")
    co.set_defaults(func=cmd_columns)

    me = sub.add_parser("measures", help="list the policy measures with their parameters")
    me.add_argument("--markdown", action="store_true", help="print docs/measures.md")
    me.set_defaults(func=cmd_measures)
    return parser


def cmd_run(args: argparse.Namespace) -> int:
    from ..core import presets
    from ..core.params import parse_assignment, resolve_parameters
    from ..experiments.run import simulate
    from ..measures import measure_overrides, parse_measure

    # validate everything before anything runs or is written
    _check_seed(args.seed)
    overrides = dict(parse_assignment(s) for s in args.sets)
    if args.preset is None:
        from ..measures import programmes

        args.preset = programmes.info(args.programme)["preset"] if args.programme else presets.DEFAULT_PRESET
    base = presets.preset_parameters(args.preset)
    resolve_parameters(base, overrides, where="--set: ")
    if args.months is not None:
        resolve_parameters(base, {"months": args.months}, where="--months: ")
        overrides["months"] = args.months
    measures = [parse_measure(text) for text in args.measures]
    if args.programme:
        from ..measures import programmes

        measures = programmes.measures(args.programme) + measures
    params = resolve_parameters(base, overrides, measure_overrides(measures, where="--measure: "), where="--set: ")

    # the directory is made, checked writable and locked before the run: a bad --out must not cost a run
    with store.held(args.out, "run") as out:
        progress = _progress_bar(params.months) if (sys.stderr.isatty() and not args.quiet) else None
        result = simulate(args.preset, seed=args.seed, measures=measures, progress=progress, **overrides)
        if progress is not None:
            print(file=sys.stderr)
        if args.programme:
            result.manifest["programme"] = args.programme
        result.write(out)
        store.clear(out, store.DERIVED)  # figures and analyses of a run this one replaces
        if not args.no_plot:
            import shutil

            from ..io.files import atomic_write
            from .report import write_report

            write_report(out)
            # the report's first figure, at the top too: what to open first (drawn once, not twice)
            atomic_write(out / "overview.png", lambda tmp: shutil.copyfile(out / "plots" / "overview.png", tmp))
    if not args.quiet:
        _print_summary(result, out)
    return 0


def _check_seed(seed: int) -> None:
    if not 0 <= seed <= MAX_SEED:
        raise UserError(f"--seed must be 0-{MAX_SEED}, got {seed}.")


def _progress_bar(total: int):
    def show(done: int, total: int = total) -> None:
        width = 30
        filled = int(width * done / total)
        print(
            f"\r  month {done:>4}/{total} [{'#' * filled}{'.' * (width - filled)}]", end="", file=sys.stderr, flush=True
        )

    return show


def _print_summary(result, out: Path) -> None:
    from ..analysis.patterns import summary

    s = summary(result.monthly)
    m = result.monthly
    print(
        f"labour-abm: {result.manifest['preset']}, seed {result.manifest['seed']}, "
        f"{len(m)} months in {result.manifest['timings_s']['simulate']:.2f} s"
    )
    print(
        f"  stock {int(m['stock'].iloc[0])} -> {int(m['stock'].iloc[-1])}; "
        f"monthly exit hazard {100 * s['monthly_exit_hazard']:.2f}%; "
        f"{100 * s['share_exits_to_work']:.0f}% of exits to work; "
        f"{100 * s['share_with_earnings']:.1f}% with part-time earnings"
    )
    extra = ", overview.png, report.html, plots/, summaries/" if (out / "report.html").exists() else ""
    print(f"  wrote {out}/monthly.parquet, spells.parquet, events.parquet, manifest.json{extra}")


def cmd_experiment(args: argparse.Namespace) -> int:
    from ..experiments.experiment import run_experiment

    _check_workers(args.workers)
    if args.replications is not None and args.replications < 1:
        raise UserError(f"--replications must be at least 1, got {args.replications}.")
    result = run_experiment(args.file, out=args.out, workers=args.workers, scheduler=args.scheduler,
                            replications=args.replications, progress=None if not args.quiet else False,
                            fresh=args.fresh, keep=args.keep)
    if not args.no_plot and len(result.runs):
        from .report import write_report

        with store.locked(result.out):
            write_report(result.out)
    if not args.quiet:
        _print_experiment(result)
    if result.failed:
        print(f"labour-abm: {len(result.failed)} run(s) failed: {', '.join(sorted(result.failed))} "
              f"(tracebacks in {result.out}/status.jsonl; run the same command again to retry them)", file=sys.stderr)
        return 1
    return 0


def _print_experiment(result) -> None:
    r, spec = result.report, result.spec
    print(f"labour-abm: experiment '{spec.name}': {_runs(len(r.done))} done now, {len(r.skipped)} done before, "
          f"{len(r.failed)} failed ({r.seconds:.1f} s)")
    e = result.effects
    if e.empty:
        print("  only a baseline (or no pair of runs finished): no effects to show")
    else:
        _print_effects(e)
    print(f"  wrote {result.out}/effects.csv, costs.csv, effects.parquet, outcomes.parquet, manifest.json, runs/"
          + ("" if not (result.out / "report.html").exists() else ", report.html, plots/, summaries/"))


def _print_effects(e) -> None:
    """Per arm, most extra durable outcomes first: those outcomes, the share of the caseload's extra
    jobs taken from other job seekers, the stock and the net cost per extra durable outcome over
    the cost accounting's longest window (or exits and the stock at the
    end when the run is too short for durable outcomes); each rounded to what its interval tells."""
    import pandas as pd

    from ..analysis.costs import cost_accounting

    costs = cost_accounting(e)
    if costs.empty:
        h = int(e["horizon_months"].max())
        lines, heading = ("exits_to_work", "stock"), f"after {h} months"
        table = e[(e["group"] == "all") & (e["horizon_months"] == h)].rename(columns={"outcome": "line"})
    else:
        h = int(costs["window_months"].max())
        lines, heading = ("extra_durable_outcomes", "displacement_share", "stock",
                          "cost_per_extra_durable_outcome_net_eur"), f"over the first {h} months"
        table = pd.concat([costs[costs["window_months"] == h], e[(e["group"] == "all") & (e["horizon_months"] == h)
                                                                   & e["outcome"].isin(["stock", "displacement_share"])
                                                                   ].rename(columns={"outcome": "line"})])
    table = table.set_index(["line", "arm"])
    names = {"extra_durable_outcomes": "extra durably in work", "exits_to_work": "extra exits to work",
             "displacement_share": "share of jobs displaced", "stock": "people on benefit",
             "cost_per_extra_durable_outcome_net_eur": "net EUR per durable outcome"}
    ensemble = "range_low" in table
    if ensemble:
        print(f"  {heading}, arm minus baseline, mean [middle 95% over parameter sets and chance; for the displaced "
              "share and the EUR per outcome, ratios of means: 95% CI]; last column: the share of the spread in extra "
              "durable outcomes that comes from the parameters")
    else:
        print(f"  {heading}, arm minus baseline, mean [95% CI, chance only]:")
    print(f"  {'':<30} " + " | ".join(f"{names[line]:<26}" for line in lines)
          + (" | from parameters" if ensemble else ""))
    arms = table.loc[lines[0]].sort_values("effect_mean", ascending=False).index
    for arm in arms:
        cells = [_cell(table, line, arm, "range" if ensemble else "ci") for line in lines]
        share = table.loc[(lines[0], arm)].get("parameter_share") if ensemble else None
        print(f"  {arm:<30} " + " | ".join(f"{c:<26}" for c in cells)
              + ("" if not ensemble else " | -" if pd.isna(share) else f" | {100 * share:.0f}%"))


def _cell(table, line: str, arm: str, interval: str = "ci") -> str:
    import math

    from ..analysis.effects import estimate

    if (line, arm) not in table.index:
        return "-"
    r = table.loc[(line, arm)]
    if line == "displacement_share" and not (math.isfinite(r["ci_low"]) and math.isfinite(r["ci_high"])):
        return "- (no clear extra jobs)"  # a share of a gain that may be 0 says nothing
    return estimate(r, interval=interval)


def cmd_trial(args: argparse.Namespace) -> int:
    import os

    from ..experiments.trial import OUTPUTS, run_trial

    _check_workers(args.workers)
    if args.replications is not None and args.replications < 1:
        raise UserError(f"--replications must be at least 1, got {args.replications}.")
    out = run_trial(args.file, out=args.out, workers=args.workers or os.cpu_count(), replications=args.replications,
                    progress=None if not args.quiet else False)
    if not args.no_plot:
        from .report import write_report

        with store.locked(out):
            write_report(out)
    if not args.quiet:
        _print_trial(out / OUTPUTS[2])
        print(f"  wrote {out}/{', '.join(OUTPUTS)}{'' if args.no_plot else ', report.html'}")
    return 0


SHORT_FINDING = {"significant positive": "sig. +", "not significant": "n.s.", "significant negative": "sig. -"}


def _print_trial(path: Path) -> None:
    """The trial's findings (its summary table at ``path``) in percentage points, one line per
    arm, outcome and horizon."""
    import pandas as pd

    summary = pd.read_csv(path)
    published = "published_finding" in summary
    print(f"{'arm':<22} {'outcome':<17} {'months':>6} {'model':>7} {'trials find (95%)':>19} {'MDE':>6} "
          f"{'power':>6}" + (f"  {'published':<22} {'same':>5}" if published else ""))
    for _, r in summary.iterrows():
        line = (f"{r['arm']:<22} {r['outcome']:<17} {int(r['horizon']):>6} {100 * r['true_effect']:>+7.1f} "
                f"{f'{100 * r.trial_lo:+.1f} to {100 * r.trial_hi:+.1f}':>19} {100 * r['mde']:>6.1f} "
                f"{100 * r['power']:>5.0f}%")
        if published and isinstance(r["published_finding"], str):
            text = SHORT_FINDING[r["published_finding"]]
            if pd.notna(r["published_estimate"]):
                text += f" {100 * r['published_estimate']:+.1f}"
                text += f" (SE {100 * r['published_se']:.1f})" if pd.notna(r["published_se"]) else ""
            line += f"  {text:<22} {100 * r['same_finding_share']:>4.0f}%"
        print(line)
    print("  effects in percentage points; model: its true effect on everyone eligible; trials find: the middle 95% "
          "of the emulated trials' estimates; MDE: the smallest effect such a trial detects with 80% power"
          + ("; same: how often an emulated trial concludes what the study published" if published else ""))


def cmd_sweep(args: argparse.Namespace) -> int:
    from ..experiments.sweep import run_sweep

    _check_workers(args.workers)
    result = run_sweep(args.file, out=args.out, workers=args.workers, scheduler=args.scheduler,
                       progress=None if not args.quiet else False, fresh=args.fresh)
    r = result.report
    if not args.quiet:
        print(f"labour-abm: sweep '{result.spec.name}' ({result.spec.design}, {len(result.points)} points x "
              f"{result.spec.replications} replications): {_runs(len(r.done))} done now, {len(r.skipped)} done before, "
              f"{len(r.failed)} failed ({r.seconds:.1f} s)")
        print(f"  wrote {result.out}/points.parquet, points.csv, design.parquet, manifest.json, runs/")
    if result.failed:
        print(f"labour-abm: {len(result.failed)} run(s) failed: {', '.join(sorted(result.failed)[:10])}"
              f"{' ...' if len(result.failed) > 10 else ''} (tracebacks in {result.out}/status.jsonl; run the "
              "same command again to retry them)", file=sys.stderr)
        return 1
    if not args.no_plot:
        import pandas as pd

        from .report import write_report

        with store.locked(result.out):
            write_report(result.out)  # runs the sensitivity analysis too
        indices = result.out / "sensitivity" / "indices.csv"
        if not args.quiet:
            _print_indices(pd.read_csv(indices) if indices.exists() else pd.DataFrame())
            what = "indices and plots" if indices.exists() else "plots"
            print(f"  wrote {result.out}/report.html and sensitivity/ ({what})")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from ..analysis.sensitivity import analyse

    with _locked_if_there(args.directory):
        table = analyse(args.directory, outcomes=args.outcomes, horizon=args.horizon)
    _print_indices(table)
    print(f"labour-abm: wrote {Path(args.directory) / 'sensitivity'}/")
    return 0


def _runs(n: int) -> str:
    return f"{n} run" if n == 1 else f"{n} runs"


def _print_indices(table) -> None:
    if table.empty:
        print("  no indices for this design (only sobol and morris designs have them); heatmaps written")
        return
    key = "ST" if "ST" in table else "mu_star"
    for outcome, t in table.groupby("outcome", sort=False):
        ranked = t.sort_values(key, ascending=False)
        cells = ", ".join(f"{p} {v:.3g}" for p, v in zip(ranked["parameter"], ranked[key], strict=True))
        print(f"  {outcome} ({t['of'].iloc[0]}, {int(t['horizon_months'].iloc[0])} months), {key}: {cells}")


def cmd_validate(args: argparse.Namespace) -> int:
    from ..analysis.validation import summary_line
    from ..core.params import parse_assignment
    from ..experiments.calibration import read_parameters, validate

    _check_workers(args.workers)
    args.preset = _preset(args.preset)  # a clear error for an unknown preset
    overrides = read_parameters(args.parameters) if args.parameters else {}
    overrides.update(parse_assignment(s) for s in args.sets)
    card = validate(args.preset, args.replications, args.months, seed=args.seed, targets=args.targets,
                    out=args.out, workers=args.workers, overrides=overrides, fresh=args.fresh)
    print(f"{'statistic':<40}{'target':>10}{'± tol':>8}{'simulated [95% of runs]':>36}  result")
    for row in card.itertuples():
        target = "" if row.passed is None else f"{row.target:>10.4g}{row.tolerance:>8.3g}"
        sim = f"{row.simulated_mean:.4g} [{row.sim_low:.4g}, {row.sim_high:.4g}]"
        result = "" if row.passed is None else ("pass" if row.passed else "FAIL")
        print(f"{row.statistic:<40}{target:>18}{sim:>36}  {result}")
    if args.explain:
        print()
        for row in card.itertuples():
            target = f" Target ({row.role}): {row.source}." if row.passed is not None else ""
            print(f"{row.statistic}: {row.meaning}.{target}")
    out = args.out or f"results/validate_{args.preset}"
    print(f"labour-abm: {summary_line(card)} Wrote {out}/scorecard.csv, statistics.csv, scorecard.png.")
    return 0  # a scorecard, not a gate: the exit code does not depend on it


def _preset(name: str | None) -> str:
    """The preset a command uses (the default if none is given), refused with the valid names if unknown."""
    from ..core import presets

    name = name or presets.DEFAULT_PRESET
    presets.preset_parameters(name)
    return name


def cmd_calibrate(args: argparse.Namespace) -> int:
    from ..core import presets
    from ..core.params import parse_assignment, resolve_parameters
    from ..experiments.calibration import calibrate

    _check_workers(args.workers)
    args.preset = _preset(args.preset)
    resolve_parameters(presets.preset_parameters(args.preset), {"months": args.months}, where="--months: ")
    fixed = dict(parse_assignment(s) for s in args.sets)
    result = calibrate(args.preset, trials=args.trials, replications=args.replications, months=args.months,
                       targets=args.targets, free=args.free, out=args.out, workers=args.workers, fixed=fixed,
                       progress=sys.stdout.isatty(), fresh=args.fresh)
    print(f"labour-abm: best of {result['trials']} trials, loss {result['loss']:.4f} (mean squared distance from "
          "the targets in tolerances; below 1: targets met on average)")
    for name, value in result["parameters"].items():
        print(f"  {name} = {value:.6g}")
    print(f"  wrote {result['out']}/calibrated.toml, fit.csv, fit.png, trials.csv, study.db")
    return 0


def cmd_ensemble(args: argparse.Namespace) -> int:
    import json
    import os

    import pandas as pd

    from ..experiments.ensemble import build_ensemble

    _check_workers(args.workers)
    _check_seed(args.seed)
    out = build_ensemble(_preset(args.preset), points=args.points, waves=args.waves, members=args.members,
                         months=args.months, seed=args.seed, cutoff=args.cutoff, out=args.out,
                         workers=args.workers or os.cpu_count(), progress=None if not args.quiet else False,
                         fresh=args.fresh)
    if not args.quiet:
        manifest = json.loads((out / store.MANIFEST).read_text())
        coverage = pd.read_csv(out / "coverage.csv")
        print(f"labour-abm: ensemble of {manifest['members']} parameter sets, drawn from the {manifest['kept']} of "
              f"{manifest['evaluated']} consistent with the calibration targets (cutoff {manifest['cutoff']:g}), "
              f"{manifest['seconds']:.0f} s")
        for role, group in coverage.groupby("role", sort=False):
            missed = group.loc[~group["covered"], "statistic"].tolist()
            print(f"  on fresh seeds, {role} targets within the members' spread: {int(group['covered'].sum())} of "
                  f"{len(group)}{'' if not missed else ' (not: ' + ', '.join(missed) + ')'}")
        print(f"  wrote {out}/ensemble.csv, coverage.csv, points.parquet, manifest.json")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    with _locked_if_there(args.directory):
        path = write_report(args.directory, args.out)
    directory = Path(args.directory)
    where = "" if path.parent.resolve() == directory.resolve() else f"{directory}/"  # named beside the report
    beside = [f"{where}{d}/" for d in ("plots", "summaries", "sensitivity") if (directory / d).is_dir()]
    print(f"labour-abm: wrote {', '.join([str(path), *beside])}")
    return 0


def _locked_if_there(directory: str):
    """The results directory a command writes into, locked; one that is not there is left to
    the command's own message."""
    import contextlib

    return store.locked(Path(directory)) if Path(directory).is_dir() else contextlib.nullcontext()


def cmd_dashboard(args: argparse.Namespace) -> int:
    import importlib.util
    import json
    import os
    import socket

    if not all(importlib.util.find_spec(m) for m in ("solara", "altair", "networkx")):
        raise UserError("the dashboard needs the [dashboard] extra: pip install -e '.[dashboard]' "
                        "(make test installs it)") from None
    from ..core import presets
    from ..core.params import resolve_parameters

    # an unknown preset or scenario is refused here, with the valid names
    args.preset = _preset(args.preset)
    resolve_parameters(presets.preset_parameters(args.preset), {"labour_market": args.labour_market})
    if not 12 <= args.months <= 240 or args.seed < 0:
        raise UserError(f"--months must be 12-240 and --seed at least 0 (got {args.months} and {args.seed})")
    if not 1 <= args.port <= 65535:
        raise UserError(f"--port must be 1-65535 (got {args.port})")
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: TIME_WAIT is no conflict
        try:
            probe.bind(("127.0.0.1", args.port))
        except OSError:
            raise UserError(f"port {args.port} on 127.0.0.1 is in use; pick another with --port") from None
    start = {"preset": args.preset, "labour_market": args.labour_market, "seed": args.seed, "months": args.months}
    env = {**os.environ, "LABOUR_ABM_DASHBOARD": json.dumps(start),
           "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",  # no network at run time
           "PYTHONWARNINGS": "ignore::UserWarning:solara.server.starlette"}  # "samesite needs https": local use
    print(f"labour-abm: dashboard on http://127.0.0.1:{args.port} (Ctrl-C stops it)", file=sys.stderr, flush=True)
    command = [sys.executable, "-m", "solara", "run", "labour_abm.ui.dashboard", "--host", "127.0.0.1",
               "--port", str(args.port), "--production", "--no-open", "--no-check-version", "--log-level", "warning"]
    # the server takes this process's place: a signal that stops the command stops the server (as a
    # child it outlived a terminated command and held the port)
    os.execve(sys.executable, command, env)


def cmd_analyse(args: argparse.Namespace) -> int:
    from ..analysis.econometrics import PUBLISHED_SANCTION_EFFECTS, analyse_run

    with _locked_if_there(args.directory):
        r = analyse_run(args.directory, run=args.run, plot=not args.no_plot)
    which = f"run {r['run']} of {args.directory}" if r["run"] else str(args.directory)
    print(f"labour-abm: analysed {which} ({r['months']} months; {r['n_spells_in_run']} spells starting in the run: "
          f"{r['n_person_months']} person-months, {r['n_events']} exits to work)")
    model = r["duration_model"]
    s = model[(model["model"] == "main") & (model["covariate"] == "sanctioned")].iloc[0]
    pub = PUBLISHED_SANCTION_EFFECTS[0]
    n = int(s["n_events"])
    print(f"  sanction hazard ratio on exit to work: {s['hazard_ratio']:.2f} [{s['ci_low']:.2f}, {s['ci_high']:.2f}] "
          f"({n} exit{'' if n == 1 else 's'} after a sanction); published {pub['hazard_ratio_low']:.2f}-"
          f"{pub['hazard_ratio_high']:.2f} ({pub['short']}, corrected for selection)")
    h = r["hazards"]
    cells = ", ".join(f"{b} {100 * v:.1f}%" for b, v in zip(h["band"], h["exit_to_work_hazard"], strict=True))
    print(f"  monthly exit-to-work hazard by months on benefit: {cells}")
    ret = r["recidivism"]
    work = ret[ret["exit_reason"] == "work"]
    cells = ", ".join(f"{int(k)} months {100 * v:.0f}%" for k, v in zip(work["horizon_months"], work["return_rate"],
                                                                       strict=True) if v == v)
    print(f"  back on benefit after an exit to work within {cells or 'n/a (run too short)'}")
    print(f"  wrote {r['out']}/km.csv, hazards.csv, duration_model.csv, recidivism.csv, return_curves.csv"
          + ("" if args.no_plot else " and their plots (PNG, SVG)"))
    return 0


def cmd_reproduce(args: argparse.Namespace) -> int:
    from ..experiments.reproduce import reproduce

    def echo(rep) -> None:
        print("\n".join(rep.lines()), flush=True)
        for w in rep.warnings:
            print(f"labour-abm: warning: {w}", file=sys.stderr)

    reps = reproduce(args.directory, run=args.run, all_runs=args.all_runs, echo=echo)
    if len(reps) > 1:
        print(f"labour-abm: {sum(r.matches for r in reps)} of {len(reps)} runs reproduced")
    return 0 if all(r.matches for r in reps) else 1


def cmd_presets(args: argparse.Namespace) -> int:
    from ..core import presets
    from ..core.params import Parameters

    for name in presets.available():
        info = presets.info(name)
        size = presets.preset_parameters(name).get("initial_stock", Parameters().initial_stock)
        print(f"{name:<12} {size:>8,} recipients  {info['description']}")
        for src in info.get("sources", []):
            print(f"{'':<12} source: {src}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from ..core.params import parameter_table

    rows = parameter_table()
    if args.markdown:
        from .docs import parameters_markdown

        print(parameters_markdown(rows), end="")
        return 0
    for r in rows:
        unit = f" {r['unit']}" if r["unit"] else ""
        print(f"{r['name']} = {r['default']!r}{unit}   [{r['allowed']}]")
        print(f"    {r['description']} Source: {r['source']}")
    return 0


def cmd_programmes(args: argparse.Namespace) -> int:
    from ..measures import programmes

    for name in programmes.available():
        info = programmes.info(name)
        names = ", ".join(m.name for m in programmes.measures(name))
        print(f"{name}: {info['description']}")
        print(f"    preset {info['preset']}; target: {info['target']}; measures: {names}")
        for src in info.get("sources", []):
            print(f"    source: {src}")
    return 0


def cmd_columns(args: argparse.Namespace) -> int:
    from ..core.statistics import CORE_COLUMNS
    from ..measures import REGISTRY

    if args.markdown:
        from .docs import GENERATED_IN_OUTPUTS

        print("\n".join(make() for make in GENERATED_IN_OUTPUTS.values()), end="")
        return 0
    for c in CORE_COLUMNS:
        print(f"{c.name}  [{c.unit}]  {c.meaning}")
    for name, cls in sorted(REGISTRY.items()):
        for c in cls.monthly_columns:
            print(f"{name}_{c.name}  [{c.unit}]  {c.meaning}  (measure {name})")
    return 0


def cmd_measures(args: argparse.Namespace) -> int:
    from ..measures import REGISTRY

    if args.markdown:
        from .docs import measures_page

        print(measures_page(), end="")
        return 0
    for name, cls in sorted(REGISTRY.items()):
        doc = " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split())
        print(f"{name}: {doc}  [{cls.sources}]")
        for key, field in cls.Params.model_fields.items():
            print(f"    {key} = {field.default!r}  {field.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
