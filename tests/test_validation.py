"""Validation: statistics from a run's tables, targets files, the scorecard and its command."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from labour_abm.errors import UserError
from labour_abm.patterns import return_rate, summary
from labour_abm.validation import STATISTICS, Target, load_targets, scorecard, statistics, summary_line


@pytest.fixture(scope="module")
def run(short_run):
    return short_run  # nijmegen, 36 months, seed 1 (conftest)


def test_statistics_cover_every_row_and_agree_with_the_pattern_functions(run):
    s = statistics(run.monthly, run.spells)
    assert list(s) == list(STATISTICS)
    assert s["monthly_exit_hazard"] == pytest.approx(summary(run.monthly)["monthly_exit_hazard"])
    assert s["return_12m_after_work"] == pytest.approx(return_rate(run.spells, 36, 12, reason="work"))
    # duration dependence: the hazard of exit to work falls with months on benefit
    bands = [s[k] for k in STATISTICS if k.startswith("exit_work_hazard_") and k.endswith(("m", "plus"))]
    assert bands[0] > bands[-1] and 0 < s["duration_dependence_ratio"] < 1
    assert 0 < s["exit_work_hazard_age_45_plus_vs_27_34"] < 1  # older people find work less often
    assert s["return_6m_all_exits"] <= s["return_12m_all_exits"] <= s["return_24m_all_exits"]


def test_scorecard_passes_and_fails_by_the_tolerance():
    per_run = pd.DataFrame({k: [np.nan] * 3 for k in STATISTICS})
    per_run["monthly_exit_hazard"] = [0.020, 0.022, 0.024]  # mean 0.022
    per_run["share_single"] = [0.60, 0.61, 0.62]  # mean 0.61
    targets = [Target(statistic="monthly_exit_hazard", value=0.020, tolerance=0.003, source="a"),
               Target(statistic="share_single", value=0.70, tolerance=0.05, source="b")]
    card = scorecard(per_run, targets).set_index("statistic")
    assert list(card.columns) == ["meaning", "target", "tolerance", "source", "simulated_mean", "sim_low",
                                  "sim_high", "n_runs", "passed"]
    assert card.loc["monthly_exit_hazard", "passed"] is True
    assert card.loc["share_single", "passed"] is False
    assert card.loc["monthly_exit_hazard", "sim_low"] == pytest.approx(np.percentile([0.020, 0.022, 0.024], 2.5))
    assert card.loc["share_exempt", "passed"] is None and card.loc["share_exempt", "n_runs"] == 0
    assert summary_line(card.reset_index()).startswith("1 of 2 targets met; missed: share_single")


def test_shipped_targets_load_with_sources():
    targets = load_targets("nijmegen")
    assert len(targets) >= 15 and all(t.source for t in targets)
    assert {t.statistic for t in targets} <= set(STATISTICS)


@pytest.mark.parametrize("text, message", [
    ('[[target]]\nstatistic = "nope"\nvalue = 1.0\ntolerance = 0.1\nsource = "x"\n', "unknown statistic 'nope'"),
    ('[[target]]\nstatistic = "share_single"\nvalue = 1.0\nsource = "x"\n', "target.0.tolerance"),
    ('[[target]]\nstatistic = "share_single"\nvalue = 1.0\ntolerance = 0\nsource = "x"\n', "greater than 0"),
    ("target = [", "not valid TOML"),
])
def test_bad_targets_files_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "t.toml"
    path.write_text(text)
    with pytest.raises(UserError, match=message):
        load_targets(path=path)


def test_validate_command_prints_and_writes_the_scorecard(tmp_path):
    out = tmp_path / "v"
    proc = subprocess.run([sys.executable, "-m", "labour_abm.cli", "validate", "--replications", "2", "--months",
                           "30", "--workers", "1", "--out", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "targets met" in proc.stdout and "monthly_exit_hazard" in proc.stdout
    card = pd.read_csv(out / "scorecard.csv")
    assert len(card) == len(STATISTICS) and card["n_runs"].max() == 2
    assert len(pd.read_csv(out / "statistics.csv")) == 2
    assert (out / "scorecard.png").stat().st_size > 20_000
    bad = subprocess.run([sys.executable, "-m", "labour_abm.cli", "validate", "--preset", "atlantis"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "atlantis" in bad.stderr and "Traceback" not in bad.stderr


def test_every_preset_has_a_targets_file():
    from labour_abm import presets

    for name in presets.available():
        assert load_targets(name)
