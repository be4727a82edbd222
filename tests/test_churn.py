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
from labour_abm.core.population import ON_BENEFIT, OTHER_INCOME, barrier_count
from tests.conftest import cached_run


def test_a_benefit_ended_for_obligations_returns_faster_than_a_job_exit(baseline_runs):
    months = len(baseline_runs[0].monthly)
    obligations = np.mean([return_rate(r.spells, months, 6, reason="obligations") for r in baseline_runs])
    work = np.mean([return_rate(r.spells, months, 6, reason="work") for r in baseline_runs])
    assert obligations > 1.8 * work, (obligations, work)


def _cohort_without_income(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Leavers without income at month 24, followed a year: their barriers then, whether they
    are in work without having come back, and whether they came back."""
    model = LabourModel(preset="nijmegen", seed=seed, months=36)
    for _ in range(24):
        model.step()
    pop = model.pop
    rows = pop.without_income()
    uids, n_barriers = pop.uid[rows].copy(), barrier_count(pop)[rows]
    for _ in range(12):
        model.step()
    pop = model.pop
    # rows of people who can no longer come back (gone, or followed for followup_months) are dropped
    rows = np.minimum(np.searchsorted(pop.uid, uids), len(pop) - 1)
    tracked = pop.uid[rows] == uids
    assert tracked.mean() > 0.8
    rows, n_barriers = rows[tracked], n_barriers[tracked]
    came_back = (pop.exit_month[rows] > 24) | (pop.status[rows] == ON_BENEFIT)  # back (and maybe left again)
    return n_barriers, pop.employed[rows] & ~came_back, came_back


def test_leavers_without_income_who_can_find_work_do_so_and_come_back_less():
    """One claim chance for everyone without income: what differs is job finding, so the
    barriers employers screen on. Claims come fast (claim_without_income_per_month), so job
    finding moves returns by a few points only."""
    n_barriers, in_work, came_back = map(np.concatenate, zip(*(_cohort_without_income(s) for s in (5, 6, 7)),
                                                               strict=True))
    few, many = n_barriers <= 1, n_barriers >= 4
    assert few.sum() > 150 and many.sum() > 150
    assert in_work[few].mean() > in_work[many].mean() + 0.05, (in_work[few].mean(), in_work[many].mean())
    assert came_back[many].mean() > came_back[few].mean(), (came_back[few].mean(), came_back[many].mean())


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
    # each left in the month the income started, or before it for another reason
    on_time = (end == due) & (reason == OTHER_INCOME)
    earlier = (end >= 0) & (end < due) & (reason != OTHER_INCOME)
    assert np.all(on_time | earlier), uids[~(on_time | earlier)]
    assert on_time.mean() > 0.8
    # nobody off benefit still waits for an income
    assert np.all(model.pop.awaited_income_month[model.pop.status != ON_BENEFIT] == -1)
