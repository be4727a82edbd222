"""Killing a running ``labour-abm experiment`` or ``sweep`` with SIGKILL at chosen points, for the
resume tests (tests/test_experiments.py, tests/test_sweep_interrupt.py).

``make test`` kills at fixed points (after at least so many runs are finished). The long mode
(``LABOUR_ABM_LONG_TESTS=1``) kills at more points, drawn at random on every test run and each
a random fraction of a second after its run count is reached (so mid-run, not only just after a
run was written), and prints the kill points survived.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

LONG = os.environ.get("LABOUR_ABM_LONG_TESTS") == "1"
LONG_KILLS = 8


def kill_points(runs: int, fixed: tuple[int, ...]) -> list[tuple[int, float]]:
    """(finished runs to wait for, then seconds more) for each kill: ``fixed`` (no delay) in ``make test``;
    distinct random counts below ``runs`` and random delays of up to 0.3 s in the long mode."""
    if not LONG:
        return [(n, 0.0) for n in fixed]
    rng = random.Random()
    counts = sorted(rng.sample(range(1, runs), min(LONG_KILLS, runs - 1)))  # distinct: each kill after progress
    return [(n, round(rng.uniform(0.0, 0.3), 3)) for n in counts]


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    """The command in its own process group (so the test can kill the driver and its workers)."""
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)


def wait_for(proc: subprocess.Popen, finished: Callable[[], set], at_least: int, then: float) -> bool:
    """Wait until ``at_least`` runs are finished and ``then`` seconds more; False if the command ended first."""
    deadline = time.monotonic() + 120
    while len(finished()) < at_least and proc.poll() is None:
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError(f"fewer than {at_least} runs finished within 120 s")
        time.sleep(0.005)
    time.sleep(then)
    return proc.poll() is None


def live_members(pgid: int) -> list[int]:
    """Processes (not zombies) in a process group, from /proc."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()  # state, ppid, pgrp, ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


def report(what: str, kills: list[int], runs: int) -> None:
    """Print the kills a test survived (long mode; call it with pytest's output capture disabled)."""
    if LONG:
        print(f"\nkill -9 points survived ({what}, {runs} runs): {len(kills)}, after "
              f"{', '.join(map(str, kills))} finished runs; results identical to an uninterrupted run")
