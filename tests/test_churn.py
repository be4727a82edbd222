"""Churn from mechanisms: who comes back, and how soon, follows from why people left and who
they are, not from a return rate per exit reason.

Leavers without an income (a benefit ended for obligations, other exits, a partner's income
that ended) claim again with one monthly chance for all, and search for work meanwhile like
recipients; leavers in work come back only when the job ends; bridging claimants leave when
the income they wait for starts.
"""

from __future__ import annotations

import numpy as np

from labour_abm.analysis.patterns import BELOW_PENSION_AGE, return_rate
from labour_abm.core.model import LabourModel
from labour_abm.core.population import EVENTS, ON_BENEFIT, OTHER_INCOME, barrier_count
from tests.conftest import cached_run


def test_a_benefit_ended_for_obligations_returns_faster_than_a_job_exit(baseline_runs):
    months = len(baseline_runs[0].monthly)
    obligations = np.mean([return_rate(r.spells, months, 6, reason="obligations") for r in baseline_runs])
    work = np.mean([return_rate(r.spells, months, 6, reason="work") for r in baseline_runs])
    assert obligations > 1.8 * work, (obligations, work)


def _cohort_without_income(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Leavers without income at month 24, followed a year: their barriers then, whether they
    found a job off benefit, and whether they came back."""
    model = LabourModel(preset="nijmegen", seed=seed, months=36)
    for _ in range(24):
        model.step()
    pop = model.pop
    rows = pop.without_income()
    uids, n_barriers = pop.uid[rows].copy(), barrier_count(pop)[rows]
    for _ in range(12):
        model.step()
    events = model.events.columns()
    in_year = events["month"] >= 24
    started = events["uid"][in_year & (events["event"] == EVENTS.index("job_start"))]
    entered = events["uid"][in_year & (events["event"] == EVENTS.index("entry"))]
    came_back = np.isin(uids, entered)
    return n_barriers, np.isin(uids, started) & ~came_back, came_back


def test_leavers_without_income_find_work_by_the_barriers_employers_screen_on():
    """They search like recipients, so who finds work follows the barriers employers screen
    on. Claims come fast (claim_without_income_per_month: about 7% a month), so this moves
    their returns by a point or two only, within the noise of this cohort: not asserted."""
    n_barriers, found_work, came_back = map(np.concatenate, zip(*(_cohort_without_income(s) for s in (5, 6, 7)),
                                                                 strict=True))
    few, many = n_barriers <= 1, n_barriers >= 4
    assert few.sum() > 150 and many.sum() > 150
    rate_few, rate_many = found_work[few].mean(), found_work[many].mean()
    assert rate_few > 2 * rate_many and rate_few > rate_many + 0.02, (rate_few, rate_many)
    assert 0.3 < came_back.mean() < 0.9  # most come back within the year: one claim chance for all


def test_the_longer_on_benefit_before_leaving_the_more_come_back(baseline_runs):
    """Published qualitatively (Divosa via NRC 2019-11-26); in the model it follows from why
    long-term recipients leave (fewer to work) and their job prospects, not from a rate."""
    months = len(baseline_runs[0].monthly)
    short = [return_rate(r.spells, months, 12, reason=BELOW_PENSION_AGE, durations=(0, 12)) for r in baseline_runs]
    long = [return_rate(r.spells, months, 12, reason=BELOW_PENSION_AGE, durations=(24, 10_000)) for r in baseline_runs]
    assert min(long) > max(short) + 0.03, (short, long)


def test_leavers_without_income_find_jobs_through_the_same_vacancies(short_run):
    m = short_run.monthly
    assert m["jobs_found_without_benefit"].iloc[6:].sum() > 0
    assert m["leavers_without_income"].iloc[-1] > 0
    # they never count as exits: those are recipients leaving benefit
    assert (m["exits_work"] == m["exits_reason_work"]).all()


def test_a_partner_exit_returns_only_once_the_partners_income_ends():
    kept = cached_run(months=36, seed=4, partner_income_ends_per_month=0.0)
    ends = cached_run(months=36, seed=4, partner_income_ends_per_month=1.0, claim_without_income_per_month=1.0)
    assert return_rate(kept.spells, 36, 12, reason="partner") == 0.0
    # income ends the month after leaving, and they claim at once unless a job came first
    assert return_rate(ends.spells, 36, 1, reason="partner") > 0.9


def test_bridging_claimants_leave_when_their_income_starts():
    model = LabourModel(preset="nijmegen", seed=3, months=24, initial_stock=4000, inflow_share_bridging=0.5)
    model.step()
    pop = model.pop
    bridging = (pop.awaited_income_month >= 0).nonzero()[0]
    assert len(bridging) > 20
    uids, due = pop.uid[bridging].copy(), pop.awaited_income_month[bridging].copy()
    assert due.min() >= 1  # at least a month after the claim (month 0)
    spell = pop.spell_id[bridging].copy()
    while model.running:
        model.step()
    end, reason = model.spells.end_month[spell], model.spells.exit_reason[spell]
    # each left in the month the income started, or before it for another reason (a job found in that
    # month's matching comes before the income)
    on_time = (end == due) & (reason == OTHER_INCOME)
    earlier = (end >= 0) & (end <= due) & (reason != OTHER_INCOME)
    assert np.all(on_time | earlier), uids[~(on_time | earlier)]
    assert on_time.mean() > 0.8
    # nobody off benefit still waits for an income
    assert np.all(model.pop.awaited_income_month[model.pop.status != ON_BENEFIT] == -1)
