"""How long a single command takes as a whole process, start-up included, timed from outside.

Starts each command several times in a fresh process and prints the median wall time (with
the fastest and slowest) against the goals of issue 16:

- ``labour-abm --help``: no goal; it shows the cost of starting at all;
- ``labour-abm run --preset nijmegen --months 120 --no-plot``: under 1.5 s;
- the same run with its plots and report: within 2 s more than without.

The simulation itself takes about 0.4 s of this (``bench_core.py``); the rest is Python
starting, importing what the command needs and writing the results.

    python benchmarks/bench_startup.py [--repeats N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = ["run", "--preset", "nijmegen", "--months", "120", "--quiet"]
GOAL_RUN_S = 1.5  # the whole process of a run without plots
GOAL_PLOTS_EXTRA_S = 2.0  # plots and report, on top of that


def command() -> list[str]:
    """``labour-abm`` as installed beside this Python (as users start it), else ``python -m``."""
    script = Path(sys.executable).with_name("labour-abm")
    return [str(script)] if script.exists() else [sys.executable, "-m", "labour_abm.ui.cli"]


def wall_times(args: list[str], repeats: int) -> list[float]:
    """Seconds from start to exit of ``labour-abm ARGS``: once unmeasured (to warm the disk
    cache), then ``repeats`` times."""
    times = []
    for i in range(repeats + 1):
        t0 = time.perf_counter()
        subprocess.run([*command(), *args], check=True, stdout=subprocess.DEVNULL)
        if i:
            times.append(time.perf_counter() - t0)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=7, help="timed runs of each command (default 7)")
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp(prefix="labour-abm-bench-startup-"))
    try:
        cases = {
            "labour-abm --help": ["--help"],
            "run nijmegen x 120 --no-plot": [*RUN, "--no-plot", "--out", str(out / "a")],
            "run nijmegen x 120 (plots, report)": [*RUN, "--out", str(out / "b")],
        }
        medians = {}
        print(f"{'whole process':<38}{'median s':>10}{'min s':>8}{'max s':>8}  goal")
        for name, case in cases.items():
            times = wall_times(case, args.repeats)
            medians[name] = statistics.median(times)
            goal = ""
            if "--no-plot" in case:
                goal = f"under {GOAL_RUN_S} s: {'met' if medians[name] < GOAL_RUN_S else 'NOT met'}"
            elif name.startswith("run"):
                extra = medians[name] - medians["run nijmegen x 120 --no-plot"]
                goal = (f"plots and report +{extra:.2f} s, within {GOAL_PLOTS_EXTRA_S} s: "
                        f"{'met' if extra < GOAL_PLOTS_EXTRA_S else 'NOT met'}")
            print(f"{name:<38}{medians[name]:>10.2f}{min(times):>8.2f}{max(times):>8.2f}  {goal}")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
