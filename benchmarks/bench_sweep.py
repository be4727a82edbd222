"""Throughput and memory of sweeps on this machine.

1. A ``--runs`` (default 1,000) run sweep of ``nijmegen`` over 120 months (a random design over
   three behavioural parameters, one replication per point): wall time and runs per minute.
   Target (issue 6): under 10 minutes on 2 cores.
2. A ``--memory-runs`` (default 10,000) run sweep of ``nijmegen`` over ``--memory-months``
   (default 6) months: peak memory of the whole process tree (driver and workers), sampled every
   0.2 s. Memory of the driver grows with the number of runs, not with their length, so short
   runs show what a 10,000-run sweep needs. Target: under 2 GiB.

    python benchmarks/bench_sweep.py [--runs N] [--memory-runs N] [--memory-months M] [--workers W] [--quick]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path


def tree_rss_bytes(root: int) -> int:
    """Resident memory of ``root`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/status") as f:
                rss = next(line for line in f if line.startswith("VmRSS:"))
            total += int(rss.split()[1]) * 1024
        except (OSError, StopIteration):
            continue
    return total


class PeakMemory:
    """Samples the process tree's memory in a thread while the block runs."""

    def __enter__(self):
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_bytes(os.getpid()))
            self._stop.wait(0.2)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def sweep_spec(runs: int, months: int) -> dict:
    return {
        "name": "bench_sweep", "preset": "nijmegen", "months": months, "replications": 1, "seed": 1,
        "design": "random", "samples": runs, "design_seed": 1,
        "vary": {
            "hire_probability_per_application": {"range": [0.05, 0.09]},
            "motivation_erosion_per_month": {"range": [0.004, 0.016], "scale": "log"},
            "contact_motivation_gain": {"range": [0.01, 0.04], "scale": "log"},
        },
    }


def measure(runs: int, months: int, workers: int | None) -> dict:
    from labour_abm.experiments.sweep import run_sweep

    with tempfile.TemporaryDirectory() as tmp, PeakMemory() as mem:
        t0 = time.perf_counter()
        result = run_sweep(sweep_spec(runs, months), out=Path(tmp) / "out", workers=workers, progress=False)
        wall = time.perf_counter() - t0
        table_mib = (Path(tmp) / "out" / "points.parquet").stat().st_size / 2**20
    assert not result.failed, result.failed
    return {"runs": runs, "months": months, "wall_s": wall, "runs_per_min": 60 * runs / wall,
            "peak_mib": mem.peak / 2**20, "table_mib": table_mib}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--memory-runs", type=int, default=10_000)
    ap.add_argument("--memory-months", type=int, default=6)
    ap.add_argument("--workers", type=int, default=None, help="default: all cores")
    ap.add_argument("--quick", action="store_true", help="100 runs and 1,000 for memory (a smoke test)")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.memory_runs = 100, 1000
    print(f"{'case':<42}{'wall s':>9}{'runs/min':>10}{'peak MiB':>10}{'table MiB':>11}")
    for runs, months, target in ((args.runs, 120, "target: 1,000 runs < 10 min"),
                                 (args.memory_runs, args.memory_months, "target: < 2,048 MiB")):
        r = measure(runs, months, args.workers)
        name = f"nijmegen x {months} months, {runs:,} runs"
        print(f"{name:<42}{r['wall_s']:>9.1f}{r['runs_per_min']:>10.0f}{r['peak_mib']:>10.0f}"
              f"{r['table_mib']:>11.2f}  ({target})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
