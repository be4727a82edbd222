"""How long `make run` takes on a fresh clone, and how much it writes, measured from outside.

Clones this checkout's HEAD into a temporary directory, then times, as a new user meets them:

- set-up: ``make .venv/.installed`` (a new virtual environment and the package);
- the main job: ``make run`` (the baseline run and the experiments/seed_measures.toml
  experiment, each with its plots and report), its output written to a log file as in CI;

and prints both against the goals of issue 16: the whole under 5 minutes on 2 cores, the
results under 100 MB, and progress lines in the log while it runs.

    python benchmarks/bench_main_job.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_S = 300.0  # set-up and main job together
GOAL_MB = 100.0  # what results/ holds afterwards
ROOT = Path(__file__).resolve().parents[1]


def timed(args: list[str], cwd: Path, log: Path) -> float:
    with open(log, "ab") as out:
        t0 = time.perf_counter()
        subprocess.run(args, cwd=cwd, check=True, stdout=out, stderr=subprocess.STDOUT)
        return time.perf_counter() - t0


def size_mb(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file()) / 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep", type=Path, help="clone into DIR and leave it there (default: a temporary directory)")
    args = ap.parse_args()
    clone = args.keep or Path(tempfile.mkdtemp(prefix="labour-abm-bench-main-")) / "labour_abm"
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        log = clone / "make-run.log"
        setup = timed(["make", ".venv/.installed"], clone, log)
        job = timed(["make", "run"], clone, log)
        progress = [line for line in log.read_text().splitlines() if "labour-abm: runs " in line]
        results = size_mb(clone / "results")
        runs = size_mb(clone / "results" / "seed_measures" / "runs")
        total = setup + job
        print(f"{'make run on a fresh clone':<34}{'seconds':>9}")
        print(f"{'  set-up (.venv, install)':<34}{setup:>9.0f}")
        print(f"{'  baseline run and experiment':<34}{job:>9.0f}")
        print(f"{'  whole':<34}{total:>9.0f}  goal under {GOAL_S:.0f} s: {'met' if total < GOAL_S else 'NOT met'}")
        print(f"results/ {results:.0f} MB (per-run tables {runs:.0f} MB)  goal under {GOAL_MB:.0f} MB: "
              f"{'met' if results < GOAL_MB else 'NOT met'}")
        print(f"progress lines in the log: {len(progress)}" + (f" (last: {progress[-1].strip()})" if progress else ""))
    finally:
        if args.keep is None:
            shutil.rmtree(clone.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
