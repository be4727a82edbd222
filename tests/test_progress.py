"""Progress of many runs where output is not a terminal (a log file, CI, `make run > log`):
plain lines now and then with the runs done, the time so far and an estimate of the time left;
never one line per run, and nothing with --quiet."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from labour_abm.experiments.runner import ProgressLines, duration_text

LINE = re.compile(r"^labour-abm: runs (\d+)/(\d+) \((\d+)%\), (.*)$")


class Clock:
    """A clock the test moves by hand: no test waits for real time."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def progress_lines(err: str) -> list[tuple[int, int, str]]:
    out = []
    for line in err.splitlines():
        m = LINE.match(line)
        assert m, f"not a progress line: {line!r}"
        out.append((int(m[1]), int(m[2]), m[4]))
    return out


def run_at_pace(capsys, total: int, seconds_per_run: float) -> list[tuple[float, int, str]]:
    """Each run's finish at a steady pace; returns (time, runs done, rest of the line) per line printed."""
    clock = Clock()
    bar = ProgressLines(total, clock=clock)
    printed = [(0.0, *progress_lines(capsys.readouterr().err)[0][::2])]
    for _ in range(total):
        clock.now += seconds_per_run
        bar.update(1)
        for done, _, rest in progress_lines(capsys.readouterr().err):
            printed.append((clock.now - 1000.0, done, rest))
    bar.close()
    return printed


def test_a_thousand_runs_print_about_a_line_per_tenth_not_per_run(capsys):
    printed = run_at_pace(capsys, 1000, 0.5)  # 500 s in all
    done = [d for _, d, _ in printed]
    assert done[0] == 0 and printed[0][2] == "starting"
    assert done[-1] == 1000 and printed[-1][2] == "8m20s elapsed"
    assert 10 <= len(printed) <= 12, printed
    assert all(b - a >= 100 for a, b in zip(done, done[1:], strict=False))  # a tenth of the runs apart


def test_each_line_estimates_the_time_left_from_the_pace_so_far(capsys):
    printed = run_at_pace(capsys, 1000, 0.5)
    _, done, rest = printed[5]
    assert done == 500 and rest == "4m10s elapsed, about 4m10s left"
    assert all(re.fullmatch(r"\S+ elapsed, about \S+ left", rest) for _, _, rest in printed[1:-1])


def test_fast_runs_print_at_most_one_line_every_30_seconds(capsys):
    printed = run_at_pace(capsys, 200, 0.1)  # 20 s in all: a start and an end, nothing between
    assert [d for _, d, _ in printed] == [0, 200]


def test_slow_runs_still_print_a_line_every_five_minutes(capsys):
    printed = run_at_pace(capsys, 1000, 10.0)  # a tenth of the runs takes 1,000 s
    times = [t for t, _, _ in printed]
    assert max(b - a for a, b in zip(times, times[1:], strict=False)) <= 300 + 10


@pytest.mark.parametrize("seconds, text", [(0.4, "0s"), (42, "42s"), (245, "4m05s"), (3725, "1h02m")])
def test_durations_read_as_people_read_them(seconds, text):
    assert duration_text(seconds) == text


SPEC = """name = "progress_check"
months = 13
replications = 2
parameters = { initial_stock = 300 }
[arms.baseline]
[arms.debt_help]
measures = [{ name = "debt_help" }]
"""


@pytest.mark.slow
def test_an_experiment_writing_to_a_log_prints_progress_lines_and_quiet_silences_them(tmp_path):
    path = tmp_path / "progress_check.toml"
    path.write_text(SPEC)

    def experiment(*extra):
        return subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "experiment", str(path), "--workers", "1",
                               "--no-plot", *extra], capture_output=True, text=True)  # stderr a pipe, as a log

    res = experiment("--out", str(tmp_path / "a"))
    assert res.returncode == 0, res.stderr
    lines = progress_lines(res.stderr)
    assert lines[0] == (0, 4, "starting") and lines[-1][:2] == (4, 4) and "elapsed" in lines[-1][2]
    res = experiment("--out", str(tmp_path / "b"), "--quiet")
    assert res.returncode == 0 and res.stderr == "" and res.stdout == ""
