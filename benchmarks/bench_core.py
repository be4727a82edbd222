"""Speed and memory of the core model, on one core.

Prints, for the ``nijmegen`` and ``netherlands`` presets over 120 months, without and with
every measure switched on at its defaults: build and
simulation wall time, recipient-months on benefit per second (the stock summed over months,
divided by simulation time), tracked person-months per second (everyone the model updates:
recipients and leavers followed for returns), and peak resident memory. Compares with
``benchmarks/baseline.json`` when present; ``--save`` stores the new figures there.

Targets (issue 2): >= 3 million agent-months/s with 8,000 x 120 months in under 0.5 s of
simulation; netherlands x 120 months under 60 s and 2 GiB.

    python benchmarks/bench_core.py [--quick] [--save]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

BASELINE = Path(__file__).with_name("baseline.json")


def measure(preset: str, months: int, repeats: int, all_measures: bool = False) -> dict:
    """Run in this process (pinned to one core); best of ``repeats``."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import numpy as np

    import labour_abm

    best = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        measures = [cls() for cls in labour_abm.MEASURES.values()] if all_measures else []
        model = labour_abm.LabourModel(preset=preset, seed=1, months=months, measures=measures)
        t1 = time.perf_counter()
        tracked = 0
        while model.running:
            model.step()
            tracked += len(model.pop)
        t2 = time.perf_counter()
        stock = model.datacollector.get_model_vars_dataframe()["stock"].to_numpy()
        run = {"build_s": t1 - t0, "simulate_s": t2 - t1, "recipient_months": int(np.sum(stock)),
               "tracked_person_months": tracked}
        if best is None or run["simulate_s"] < best["simulate_s"]:
            best = run
    best["peak_memory_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best["recipient_months_per_s"] = best["recipient_months"] / best["simulate_s"]
    best["tracked_person_months_per_s"] = best["tracked_person_months"] / best["simulate_s"]
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip the national preset")
    ap.add_argument("--save", action="store_true", help="store the figures as the new baseline")
    ap.add_argument("--child", nargs=4, metavar=("PRESET", "MONTHS", "REPEATS", "ALL"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]), int(args.child[2]), args.child[3] == "all")))
        return 0

    cases = [("nijmegen", 120, 5, "none"), ("nijmegen", 120, 5, "all")]
    cases += [] if args.quick else [("netherlands", 120, 1, "none"), ("netherlands", 120, 1, "all")]
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    results = {}
    print(f"{'case':<35}{'build s':>9}{'sim s':>9}{'recip-mo/s':>13}{'tracked-mo/s':>14}{'peak MiB':>10}  vs baseline")
    for preset, months, repeats, which in cases:
        # a fresh process per case, so peak memory is that case's own
        out = subprocess.run([sys.executable, __file__, "--child", preset, str(months), str(repeats), which],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        name = f"{preset} x {months}" + (" all measures" if which == "all" else "")
        results[name] = r
        ref = baseline.get(name)
        vs = f"{ref['simulate_s'] / r['simulate_s']:.2f}x speed" if ref else "-"
        print(f"{name:<35}{r['build_s']:>9.2f}{r['simulate_s']:>9.2f}{r['recipient_months_per_s']:>13,.0f}"
              f"{r['tracked_person_months_per_s']:>14,.0f}{r['peak_memory_mib']:>10.0f}  {vs}")
    if args.save:
        BASELINE.write_text(json.dumps(results, indent=2) + "\n")
        print(f"saved {BASELINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
