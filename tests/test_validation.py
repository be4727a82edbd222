"""Validation: statistics from a run's tables, targets files, the scorecard and its command."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from labour_abm.analysis.patterns import (
    BELOW_PENSION_AGE,
    exits_by_duration,
    inflow_back_within,
    left_within,
    on_benefit_after,
    return_rate,
    summary,
)
from labour_abm.analysis.validation import (
    STATISTICS,
    Target,
    check_months,
    load_targets,
    months_needed,
    scorecard,
    statistics,
    summary_line,
)
from labour_abm.errors import UserError


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
    assert s["return_6m_below_pension_age"] <= s["return_12m_below_pension_age"] <= s["return_24m_below_pension_age"]


def test_scorecard_passes_and_fails_by_the_tolerance():
    per_run = pd.DataFrame({k: [np.nan] * 3 for k in STATISTICS})
    per_run["monthly_exit_hazard"] = [0.020, 0.022, 0.024]  # mean 0.022
    per_run["share_single"] = [0.60, 0.61, 0.62]  # mean 0.61
    targets = [Target(statistic="monthly_exit_hazard", value=0.020, tolerance=0.003, source="a"),
               Target(statistic="share_single", value=0.70, tolerance=0.05, source="b")]
    card = scorecard(per_run, targets).set_index("statistic")
    assert list(card.columns) == ["meaning", "target", "tolerance", "source", "role", "simulated_mean", "sim_low",
                                  "sim_high", "n_runs", "passed"]
    assert card.loc["monthly_exit_hazard", "passed"] is True
    assert card.loc["share_single", "passed"] is False
    assert card.loc["monthly_exit_hazard", "sim_low"] == pytest.approx(np.percentile([0.020, 0.022, 0.024], 2.5))
    assert card.loc["share_exempt", "passed"] is None and card.loc["share_exempt", "n_runs"] == 0
    assert summary_line(card.reset_index()).startswith("1 of 2 targets met; missed: share_single")


# A hand-worked spells table for the flow statistics (months 0..79):
#   person 1: a spell of 3 months from month 12, left for work, back 5 months later (month 20), still on;
#   person 2: 27 months from month 13, left for another reason, back 20 months later (month 60);
#   person 3: on benefit since before the run, reached pension age in month 14;
#   person 4: came on in month 14 and is still on.
FLOWS = pd.DataFrame({
    "uid": [1, 1, 2, 2, 3, 4], "spell_id": [0, 1, 2, 3, 4, 5],
    "start_month": [12, 20, 13, 60, -30, 14],
    "end_month": pd.array([15, None, 40, None, 14, None], dtype="Int64"),
    "exit_reason": ["work", None, "other", None, "pension", None],
})


def test_flow_statistics_on_a_hand_worked_case():
    # new spells from month 12 seen for 12 months (starting by month 67): five; only person 1's first left in time
    assert left_within(FLOWS, 80, 12) == pytest.approx(1 / 5)
    assert left_within(FLOWS, 80, 12, skip_months=61) != left_within(FLOWS, 80, 12, skip_months=61)  # none: nan
    # of the five entries from month 12, one had left benefit in the 12 months before (person 1, 5 months)
    assert inflow_back_within(FLOWS, 12) == pytest.approx(1 / 5)
    assert inflow_back_within(FLOWS, 24) == pytest.approx(2 / 5)  # person 2 came back after 20 months
    # returns below pension age: the pension exit is not in the denominator
    assert return_rate(FLOWS, 80, 12, reason=BELOW_PENSION_AGE) == pytest.approx(1 / 2)
    assert return_rate(FLOWS, 80, 24) == pytest.approx(2 / 3)  # every exit, pension included
    assert return_rate(FLOWS, 80, 24, reason=BELOW_PENSION_AGE) == pytest.approx(1.0)
    # by the length of the spell that ended: 3 months (returned), 27 months (not within 12)
    assert return_rate(FLOWS, 80, 12, reason=BELOW_PENSION_AGE, durations=(0, 12)) == 1.0
    assert return_rate(FLOWS, 80, 12, reason=BELOW_PENSION_AGE, durations=(24, 10**5)) == 0.0
    # on benefit 18 months after an exit to work, a point in time: person 1 came back in month 20 and stays
    assert on_benefit_after(FLOWS, 80, 18) == 1.0
    back_and_gone = pd.DataFrame({"uid": [7, 7, 8, 8], "spell_id": [10, 11, 12, 13], "start_month": [0, 12, 0, 25],
                                  "end_month": pd.array([10, 20, 10, None], dtype="Int64"),
                                  "exit_reason": ["work", "other", "work", None]})
    assert on_benefit_after(back_and_gone, 80, 18) == 0.5  # person 7 came back but left again before month 28
    assert return_rate(back_and_gone, 80, 18, reason="work") == 1.0  # both came back within 18 months
    # exits by the length of the spell that ended (pension apart): 3 months and 27 months
    shares = exits_by_duration(FLOWS)
    assert shares.to_dict() == {"0-5": 0.5, "6-11": 0.0, "12-23": 0.0, "24-59": 0.5, "60+": 0.0}
    assert exits_by_duration(FLOWS, skip_months=16).to_dict()["24-59"] == 1.0  # person 1 left before month 16


def test_outflow_below_pension_age_leaves_pension_exits_apart(run):
    s = statistics(run.monthly, run.spells)
    assert s["monthly_exit_hazard_below_pension_age"] + s["monthly_pension_exit_share"] == pytest.approx(
        s["monthly_exit_hazard"])
    assert 0 < s["monthly_pension_exit_share"] and s["share_exits_to_work_below_pension_age"] > s["share_exits_to_work"]
    tail = run.monthly.iloc[12:]
    assert s["share_exits_to_work_below_pension_age"] == pytest.approx(
        tail["exits_work"].sum() / (tail["exits"] - tail["exits_reason_pension"]).sum())


def test_out_of_sample_checks_are_reported_apart_and_left_out_of_the_fit(tmp_path):
    per_run = pd.DataFrame({k: [0.1, 0.1] for k in STATISTICS})
    targets = [Target(statistic="share_exempt", value=0.1, tolerance=0.03, source="a"),
               Target(statistic="share_single", value=0.5, tolerance=0.03, source="b", role="check")]
    card = scorecard(per_run, targets)
    assert card.set_index("statistic").loc["share_single", "role"] == "check"
    assert summary_line(card).startswith("1 of 2 targets met (calibration 1 of 1, out-of-sample checks 0 of 1); "
                                         "missed: share_single")
    from labour_abm.experiments.calibration import calibrate
    only_checks = tmp_path / "checks.toml"
    only_checks.write_text('[[target]]\nstatistic = "share_single"\nvalue = 0.7\ntolerance = 0.05\nsource = "x"\n'
                           'role = "check"\n')
    with pytest.raises(UserError, match="no role = \"calibration\" target"):
        calibrate("nijmegen", targets=only_checks, out=tmp_path / "c")
    assert not (tmp_path / "c").exists()


def test_a_target_without_a_value_is_missed_not_dropped():
    per_run = pd.DataFrame({k: [0.1, 0.1] for k in STATISTICS})
    per_run["return_12m_after_work"] = np.nan  # a run too short for the horizon
    targets = [Target(statistic="return_12m_after_work", value=0.16, tolerance=0.03, source="a"),
               Target(statistic="share_exempt", value=0.1, tolerance=0.03, source="b")]
    card = scorecard(per_run, targets)
    assert card.set_index("statistic").loc["return_12m_after_work", "passed"] is False
    assert summary_line(card).startswith("1 of 2 targets met; missed: return_12m_after_work (no value")


def test_months_needed_follows_the_return_horizon(run):
    assert months_needed("return_24m_below_pension_age") == 25 and months_needed("return_12m_after_work") == 13
    assert months_needed("monthly_exit_hazard") == 1
    # new spells are followed from month 12 for h months; the inflow looks back 12 months
    assert months_needed("on_benefit_18m_after_work") == 19
    assert months_needed("share_new_spells_left_12m") == 25 and months_needed("share_inflow_left_past_12m") == 13
    # the rule holds on a run: 36 months give the 24-month return a value, 24 months do not
    assert not np.isnan(statistics(run.monthly, run.spells)["return_24m_below_pension_age"])
    short = run.spells[run.spells["start_month"] < 24]
    assert np.isnan(statistics(run.monthly.iloc[:24], short.assign(end_month=short["end_month"].where(
        short["end_month"] < 24)))["return_24m_below_pension_age"])
    targets = [Target(statistic="return_12m_after_work", value=0.16, tolerance=0.03, source="a")]
    check_months(13, targets, where="x: ")
    with pytest.raises(UserError, match="--months 12 is too short for the target return_12m_after_work"):
        check_months(12, targets, where="x: ")


def test_city_targets_are_the_national_ones_with_their_own_in_place():
    national = {t.statistic: t for t in load_targets("national")}
    assert {t.statistic: t for t in load_targets("nijmegen")} == national
    arnhem = {t.statistic: t for t in load_targets("arnhem")}
    assert set(arnhem) == set(national) - {"stock_change_share"} | {"stock_change_per_year"}
    assert arnhem["stock_change_per_year"].value == -0.05 and arnhem["share_single"] == national["share_single"]


@pytest.mark.parametrize("text, message", [
    ('based_on = "nowhere"\n', "based_on 'nowhere': not a shipped targets file; shipped: arnhem,"),
    ('based_on = "arnhem"\n', "based_on 'arnhem' is itself based on 'national'"),
    ('based_on = "national"\nwithout = ["share_age_15_plus"]\n', "without: 'share_age_15_plus' is not a target of"),
    ('without = ["share_single"]\n', "without needs based_on"),
    ('based_on = "national"\n[[target]]\nstatistic = "share_single"\nvalue = 0.6\ntolerance = 0.05\nsource = "x"\n',
     "'share_single' is a target of 'national' too; leave it out of the base with without = [\"share_single\"]"),
    ('description = "nothing"\n', "no targets: give [[target]] tables or based_on a shipped file"),
])
def test_a_targets_file_based_on_another_is_checked(tmp_path, text, message):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(UserError, match=re.escape(message)) as caught:
        load_targets(path=path)
    assert str(path) in str(caught.value)


def test_a_targets_file_based_on_another_replaces_what_it_leaves_out(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('based_on = "national"\nwithout = ["share_single"]\n[[target]]\nstatistic = "share_single"\n'
                    'value = 0.6\ntolerance = 0.05\nsource = "my city"\nrole = "check"\n')
    mine = {t.statistic: t for t in load_targets(path=path)}
    assert len(mine) == len(load_targets("national")) and mine["share_single"].source == "my city"
    assert mine["share_single"].role == "check"


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


@pytest.mark.slow
def test_validate_command_prints_and_writes_the_scorecard(tmp_path):
    out = tmp_path / "v"
    proc = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "validate", "--replications", "2", "--months",
                           "30", "--workers", "1", "--out", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "targets met" in proc.stdout and "monthly_exit_hazard" in proc.stdout
    card = pd.read_csv(out / "scorecard.csv")
    assert len(card) == len(STATISTICS) and card["n_runs"].max() == 2
    assert len(pd.read_csv(out / "statistics.csv")) == 2
    assert (out / "scorecard.png").stat().st_size > 20_000
    assert "Target (" not in proc.stdout  # definitions and sources only when asked
    # --explain: every statistic's definition, and for a target its role and source, after the table
    proc = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "validate", "--replications", "2", "--months",
                           "30", "--workers", "1", "--out", str(out), "--explain"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    said = [line for line in proc.stdout.splitlines() if line.startswith("return_6m_after_enforcement: ")]
    assert len(said) == 1 and STATISTICS["return_6m_after_enforcement"] in said[0]
    assert "Target (calibration): Divosa Monitor" in said[0]
    assert sum(": share of" in line for line in proc.stdout.splitlines()) > 20
    bad = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "validate", "--preset", "atlantis"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "atlantis" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_the_scorecard_in_the_docs_is_what_validate_prints(tmp_path):
    """docs/calibration.md shows the shipped defaults' scorecard (5 runs x 120 months): every line
    it shows must be a line the command prints now, so a model change cannot leave it stale."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "calibration.md").read_text(encoding="utf-8")
    block = re.search(r"The shipped defaults on `nijmegen` \(5 runs x 120 months\):\n\n```\n(.*?)```", doc, re.S)
    shown = [line for line in block.group(1).splitlines()[1:] if line != "..." and not line.startswith("labour-abm")]
    assert len(shown) >= 10
    proc = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "validate", "--replications", "5",
                           "--workers", "2", "--out", str(tmp_path / "v")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    printed = {line.rstrip() for line in proc.stdout.splitlines()}
    for line in shown:
        assert line.rstrip() in printed, f"docs/calibration.md shows a line validate no longer prints: {line}"


@pytest.mark.slow
def test_validate_judges_a_parameter_file_on_other_seeds(tmp_path):
    # a calibrated set is judged out of sample: --parameters FILE (calibrated.toml's format), --set, --seed
    (tmp_path / "p.toml").write_text("[parameters]\nother_exit_per_month = 0.02\n")

    def validate(out, *args):
        proc = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "validate", "--replications", "2", "--months",
                               "24", "--workers", "1", "--set", "initial_stock=600", "--out", str(tmp_path / out),
                               *args], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return pd.read_csv(tmp_path / out / "statistics.csv")

    base = validate("base")
    more = validate("more", "--parameters", str(tmp_path / "p.toml"), "--seed", "101")
    assert base["seed"].tolist() == [1, 2] and more["seed"].tolist() == [101, 102]
    # ten times the other exits: a higher exit hazard, a smaller share of exits to work
    assert more["monthly_exit_hazard"].min() > base["monthly_exit_hazard"].max()
    assert more["share_exits_to_work"].max() < base["share_exits_to_work"].min()


@pytest.mark.parametrize("text, message", [
    ("[parameters]\nhire_probablity = 0.1\n", "[parameters]: unknown parameter 'hire_probablity'. Did you mean"),
    ("[parameters]\nhire_probability_per_application = 3\n", "hire_probability_per_application"),
    ("hire_probability_per_application = 0.1\n", "unknown key 'hire_probability_per_application'"),
    ("", "no [parameters] table"),
])
@pytest.mark.slow
def test_validate_refuses_a_bad_parameter_file(tmp_path, text, message):
    (tmp_path / "p.toml").write_text(text)
    proc = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "validate", "--parameters",
                           str(tmp_path / "p.toml"), "--out", str(tmp_path / "v")], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr and "p.toml" in proc.stderr
    assert not (tmp_path / "v").exists()


def test_every_preset_has_a_targets_file():
    from labour_abm.core import presets

    for name in presets.available():
        assert load_targets(name)


def _presets_with_a_trend():
    from labour_abm.core import presets

    return [p for p in presets.available() if any(t.statistic == "stock_change_per_year" for t in load_targets(p))]


@pytest.mark.slow
@pytest.mark.parametrize("name", _presets_with_a_trend())
def test_city_presets_meet_their_own_stock_trend(name):
    # the presets whose sources give a stock trend are calibrated to it (preset file, docs/calibration.md);
    # judged here on seeds the calibration did not use
    from labour_abm.experiments.run import simulate

    target = next(t for t in load_targets(name) if t.statistic == "stock_change_per_year")
    runs = [simulate(name, seed=seed, months=36) for seed in (11, 12)]
    trend = np.mean([statistics(r.monthly, r.spells)["stock_change_per_year"] for r in runs])
    assert abs(trend - target.value) <= target.tolerance, f"{name}: {trend:.4f} a year, target {target.value}"


def test_stock_left_within_year_follows_the_stock_at_the_start_of_each_year():
    """Hand-worked: years start at months 12 and 24 of a 40-month run (the year from 36 does
    not end within it)."""
    from labour_abm.analysis.patterns import stock_left_within_year

    spells = pd.DataFrame({
        "uid": [1, 2, 3, 4, 5, 6],
        "start_month": [-10, 5, 11, 12, 20, 0],
        "end_month": pd.array([15, None, 11, 30, 35, 23], dtype="Int32"),
        "exit_reason": pd.Categorical(["work", None, "work", "work", "partner", "pension"]),
    })
    # year 12-23: on benefit at its start are 1, 2, 6 (3 left in month 11; 4 starts in month 12);
    # 1 leaves for work in it, 6 at pension age. Year 24-35: 2, 4, 5; 4 leaves for work, 5 with a partner.
    assert stock_left_within_year(spells, 40, "work") == pytest.approx(2 / 6)
    assert stock_left_within_year(spells, 40, ("work", "partner")) == pytest.approx(3 / 6)
    assert stock_left_within_year(spells, 40, ("work", "partner", "pension")) == pytest.approx(4 / 6)
    assert np.isnan(stock_left_within_year(spells, 23, "work"))  # no year ends within the run
