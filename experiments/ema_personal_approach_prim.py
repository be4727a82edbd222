"""Scenario discovery with the EMA Workbench: under which conditions does the personal approach pay for itself?

The personal approach (``personal_approach``: smaller caseloads, intensive contacts, a fixed
consultant in the own neighbourhood) costs extra consultants; it pays for itself when the
benefits saved exceed that cost: ``public_cost_change_eur < 0`` (the arm's public cost minus the
baseline's, cumulative over the run, paired at the same seed). This script

1. builds the model with :func:`labour_abm.adapters.ema.ema_model`: six uncertainties (the hiring
   chance, how much a contact motivates, the duration stigma, the labour market, the cost of a
   consultant, and how much better an intensive contact works), the approach switched on in
   the arm, and its caseload as the lever (one policy per ``--caseloads`` value);
2. runs a Latin hypercube of ``--scenarios`` scenarios x the policies with
   ``perform_experiments`` (``--replications`` paired replications each, seeds 1, 2, ...),
   sequentially or on ``--workers`` processes;
3. writes ``results.csv`` / ``results.parquet`` (one row per experiment: inputs and the mean
   outcomes over replications) to ``--out``;
4. runs PRIM on "public_cost_change_eur < 0" and prints and writes the chosen box
   (``prim_box.csv``: limits and quasi-p values; ``prim_box.json``: coverage, density, mass,
   the limits), the peeling trajectory (``prim_trajectory.csv``) and the plots
   ``prim_tradeoff.png`` (coverage against density of every box on the trajectory) and
   ``prim_box.png`` (the chosen box's limits against the sampled ranges).

Run (about 1-3 minutes on 2 cores with the defaults)::

    .venv/bin/python experiments/ema_personal_approach_prim.py --workers 2

What the defaults find, with the output of the current model and how to read PRIM's box, is in
docs/ema.md (the facts are kept there, once, and rerun when the model changes).

This is a demonstration of the method on a small sample, not a policy finding: with 120 points
and 2 replications the box limits move when the sample changes (run with more scenarios, and
check a box with ``box.resample`` in EMA). The ranges are assumptions around the model defaults.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

# the uncertainties: ranges around the defaults (labour-abm params); all within the declared bounds
UNCERTAINTIES = {
    "hire_probability_per_application": (0.11, 0.23),     # default 0.143: employers' acceptance
    "contact_motivation_gain": (0.01, 0.04),               # default 0.02: what one contact does
    "duration_stigma_max_share": (0.3, 0.7),               # default 0.5: employers' stigma of long spells
    "labour_market": ["stable", "upswing", "covid"],       # the scenario paths of data/labour_market.toml
    "consultant_cost_eur_per_year": (60_000.0, 90_000.0),  # default 75,000: the price of a consultant
    "personal_approach.contact_effect_multiplier": (1.0, 3.0),  # default 2: does an intensive contact work better?
}
LEVER = "personal_approach.caseload_per_consultant"  # baseline caseload is 150
OUTCOMES = ["durable_exits_12", "stock", "public_cost_eur", "measure_cost_eur"]
CONDITION = "public_cost_change_eur"  # < 0: the approach pays for itself


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=40, help="Latin hypercube scenarios (default 40)")
    ap.add_argument("--replications", type=int, default=2, help="paired replications per experiment (default 2)")
    ap.add_argument("--months", type=int, default=48, help="months simulated; outcomes at the end (default 48)")
    ap.add_argument("--initial-stock", type=int, default=3000, help="recipients at month 0 (default 3000)")
    ap.add_argument("--caseloads", default="75,100,125",
                    help="the policies: caseloads per consultant under the approach (default 75,100,125)")
    ap.add_argument("--preset", default="nijmegen", help="city preset (default nijmegen)")
    ap.add_argument("--seed", type=int, default=1, help="replication r uses seed + r (default 1)")
    ap.add_argument("--sample-seed", type=int, default=1, help="seed of the Latin hypercube (default 1)")
    ap.add_argument("--density", type=float, default=0.8,
                    help="PRIM: choose the box of highest coverage with at least this density (default 0.8)")
    ap.add_argument("--workers", type=int, default=1, help="processes; >1 uses EMA's MultiprocessingEvaluator")
    ap.add_argument("--out", default="results/ema_personal_approach", help="output directory")
    return ap.parse_args(argv)


def build_model(args):
    from labour_abm.adapters.ema import ema_model

    return ema_model(
        "personalapproach", preset=args.preset, months=args.months, uncertainties=UNCERTAINTIES,
        levers={"personal_approach": True, LEVER: (10.0, 150.0)}, outcomes=OUTCOMES,
        replications=args.replications, seed=args.seed, fixed={"initial_stock": args.initial_stock},
    )


def run(args) -> tuple:
    from ema_workbench import MultiprocessingEvaluator, Policy, SequentialEvaluator, perform_experiments

    from labour_abm.adapters.ema import ema_name

    model = build_model(args)
    caseloads = [float(c) for c in args.caseloads.split(",") if c.strip()]
    policies = [Policy(f"caseload_{c:03.0f}", **{ema_name(LEVER): c}) for c in caseloads]
    np.random.seed(args.sample_seed)  # noqa: NPY002 -- EMA 2.5's LHS draws from numpy's global random state
    evaluator = (MultiprocessingEvaluator(model, n_processes=args.workers) if args.workers > 1
                 else SequentialEvaluator(model))
    with evaluator:
        experiments, outcomes = perform_experiments(model, scenarios=args.scenarios, policies=policies,
                                                    evaluator=evaluator)
    return experiments, outcomes


def choose_box(box, density: float) -> int:
    """The box on the peeling trajectory with the highest coverage among those with the density asked for;
    the densest box when none reaches it."""
    t = box.peeling_trajectory
    ok = t[t["density"] >= density]
    return int(ok["coverage"].idxmax()) if len(ok) else int(t["density"].idxmax())


def prim(experiments, y: np.ndarray, out: Path, density: float) -> dict | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from ema_workbench.analysis import prim as prim_mod

    x = experiments.drop(columns=["model", "policy", "scenario"])
    x = x.loc[:, [c for c in x.columns if x[c].nunique() > 1]]  # the switch is always on: not a dimension
    if y.all() or not y.any():
        print(f"\nPRIM not run: {int(y.sum())} of {len(y)} experiments pay for themselves (PRIM needs both kinds).")
        return None
    alg = prim_mod.Prim(x, y, threshold=density, peel_alpha=0.1)
    box = alg.find_box()
    i = choose_box(box, density)
    box.select(i)
    stats, limits = box.inspect(i, style="data")[0]
    box.peeling_trajectory.to_csv(out / "prim_trajectory.csv", index=False)
    limits.columns = ["min", "max", "qp_lower", "qp_upper"]
    limits.index.name = "dimension"
    limits.to_csv(out / "prim_box.csv")
    summary = {
        "condition": f"{CONDITION} < 0", "cases_of_interest": int(y.sum()), "experiments": len(y),
        "box": i, "coverage": float(stats["coverage"]), "density": float(stats["density"]),
        "mass": float(stats["mass"]), "restricted_dimensions": int(stats["res_dim"]),
        "limits": {d: [_jsonable(v) for v in limits.loc[d, ["min", "max"]]] for d in limits.index},
    }
    (out / "prim_box.json").write_text(json.dumps(summary, indent=2) + "\n")
    try:
        box.show_tradeoff(annotated=True).savefig(out / "prim_tradeoff.png", dpi=120, bbox_inches="tight")
        box.inspect(i, style="graph")[0].savefig(out / "prim_box.png", dpi=120, bbox_inches="tight")
    except Exception as exc:  # plots are a bonus: the numbers are written above
        print(f"(PRIM plots not written: {type(exc).__name__}: {exc})")
    plt.close("all")
    return summary


def _jsonable(v):
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, set | frozenset | list | tuple):
        return sorted(str(e) for e in v)
    return v


def main(argv=None) -> int:
    warnings.filterwarnings("ignore", message=".*ipyparallel.*")  # an optional EMA back-end, not used here
    os.environ.setdefault("PYTHONWARNINGS", "ignore:ipyparallel not installed")  # ... nor in spawned workers
    args = parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    experiments, outcomes = run(args)
    seconds = time.perf_counter() - t0
    table = experiments.copy()
    for name, values in outcomes.items():
        table[name] = values
    table.to_csv(out / "results.csv", index=False)
    table.to_parquet(out / "results.parquet", index=False)
    y = outcomes[CONDITION] < 0
    print(f"\n{len(table)} experiments ({args.scenarios} scenarios x {args.caseloads} caseloads, "
          f"{args.replications} replications, {args.months} months) in {seconds:.0f} s -> {out}/results.csv")
    print(f"the approach pays for itself ({CONDITION} < 0) in {int(y.sum())} of {len(y)} experiments")
    print(table.groupby("policy", observed=True)[[CONDITION, "extra_durable_outcomes_12", "stock_effect"]]
          .mean().round(1).to_string())
    summary = prim(experiments, np.asarray(y), out, args.density)
    if summary:
        print(f"\nPRIM box {summary['box']}: coverage {summary['coverage']:.2f}, density {summary['density']:.2f}, "
              f"mass {summary['mass']:.2f}, {summary['restricted_dimensions']} restricted dimensions")
        for dim, (lo, hi) in summary["limits"].items():
            print(f"  {dim}: {lo} .. {hi}")
        print(f"written: {out}/prim_box.csv, prim_box.json, prim_trajectory.csv, prim_tradeoff.png, prim_box.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
