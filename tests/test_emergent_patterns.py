"""Patterns that must emerge from mechanisms, not from a table of rates.

Duration dependence, the age gradient and returns after work are not inputs of the model:
they follow from erosion out of work, employer screening (barriers, duration stigma, skills,
age) and unstable first-year jobs. Switching the mechanisms off must weaken them.
"""

from __future__ import annotations

import numpy as np

from labour_abm import patterns
from tests.conftest import cached_run

NO_DURATION_MECHANISMS = dict(
    duration_stigma_max_share=0.0,
    skill_depreciation_per_year=0.0,
    confidence_erosion_per_month=0.0,
    motivation_erosion_per_month=0.0,
    mental_health_decline_per_month=0.0,
)


def _profile(run):
    return patterns.exit_hazard_by_duration(run.spells, len(run.monthly))["exit_to_work_hazard"].to_numpy()


def test_exit_to_work_falls_with_time_on_benefit(baseline_runs):
    profile = np.mean([_profile(r) for r in baseline_runs], axis=0)
    assert np.all(np.diff(profile) < 0), profile  # every duration band lower than the one before
    assert profile[0] > 2.5 * profile[-1], profile  # 0-5 months vs 5+ years


def test_duration_dependence_weakens_without_its_mechanisms(baseline_runs):
    base = np.mean([_profile(r) for r in baseline_runs], axis=0)
    off = np.mean([_profile(cached_run(months=120, seed=s, **NO_DURATION_MECHANISMS)) for s in (1, 2, 3)], axis=0)
    # what remains is selection on barriers (heterogeneity), which is weaker than the full effect
    assert base[0] / base[-1] > 1.3 * (off[0] / off[-1]), (base, off)


def test_older_people_find_work_less_often(baseline_runs):
    by_age = np.mean(
        [patterns.exit_to_work_by_age(r.spells, 120)["exit_to_work_hazard"] for r in baseline_runs], axis=0
    )
    assert by_age[-1] < 0.6 * by_age[2], by_age  # 55-66 vs 35-44


def test_long_term_stock_holds_the_hard_cases(baseline_runs):
    """Barriers are more common among those on benefit 5+ years than among new spells."""
    r = baseline_runs[0]
    s = r.spells
    new = s[s["start_month"] >= 0]
    long_term = s[(s["start_month"] <= -60) & s["end_month"].isna()]
    barriers = ["poor_mental_health", "low_confidence", "no_start_qualification", "insufficient_dutch"]
    assert (long_term[barriers].mean() > new[barriers].mean()).all()


def test_returns_grow_with_the_horizon(baseline_runs):
    r = baseline_runs[0]
    rates = [patterns.return_rate(r.spells, 120, h) for h in (6, 12, 24)]
    assert rates[0] < rates[1] < rates[2]


def test_labour_market_scenarios_move_the_stock():
    stable = cached_run(months=24, seed=1)
    covid = cached_run(months=24, seed=1, labour_market="covid")
    upswing = cached_run(months=36, seed=1, labour_market="upswing")
    stable36 = cached_run(months=36, seed=1)
    # seed 003: Arnhem's stock rose from 7,499 to 7,691 (+2.6%) in the first months of COVID
    assert covid.monthly["stock"].iloc[12] > stable.monthly["stock"].iloc[12] * 1.015
    assert covid.monthly["vacancies"].iloc[4] < 0.8 * stable.monthly["vacancies"].iloc[4]
    # a clear fall (national stock fell ~6% over 2017-2019, CAL); the size is for calibration (issue 7)
    assert upswing.monthly["stock"].iloc[-1] < stable36.monthly["stock"].iloc[-1] * 0.97
