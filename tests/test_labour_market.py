"""The local labour market (issue 18): other job seekers compete for the city's vacancies, which
come from the city's jobs, not from the caseload; a recipient hired is a vacancy someone else
did not get, more so in a slack market."""

from __future__ import annotations

import numpy as np
import pytest

import labour_abm
from labour_abm.core.labour_market import LocalMarket, Scenario, WwPool, filled_share, market_data
from labour_abm.core.rules.matching import best_rival_rank
from labour_abm.measures import make_measure

# a small city with Nijmegen's jobs per recipient
SMALL = dict(initial_stock=2000, jobs_in_city=26_000)


def run(months: int = 36, seed: int = 3, measures=(), **overrides):
    model = labour_abm.LabourModel(seed=seed, months=months, measures=list(measures), **{**SMALL, **overrides})
    model.run_model()
    return model.datacollector.get_model_vars_dataframe()


def recipients_hires(m):
    return m["exits_work"] + m["parttime_starts"] + m["jobs_found_without_benefit"]


def test_a_recipient_outranks_its_rivals_with_chance_one_over_rivals_plus_one():
    u = np.random.default_rng(0).random((200_000, 2))
    for k in (0, 1, 3, 9):
        rank = best_rival_rank(np.full(len(u), k), u[:, 0])
        wins = np.mean(u[:, 1] < rank)  # a recipient's own uniform priority against the best rival
        assert wins == pytest.approx(1 / (k + 1), abs=0.005)


def test_vacancies_come_from_the_citys_jobs_not_from_the_caseload():
    few, many = run(months=12, initial_stock=1000), run(months=12, initial_stock=4000)
    assert abs(many["vacancies"].mean() / few["vacancies"].mean() - 1) < 0.05
    double = run(months=12, jobs_in_city=52_000)
    assert double["vacancies"].mean() == pytest.approx(2 * few["vacancies"].mean(), rel=0.1)


def test_the_city_starts_where_cbs_measures_the_reference_market():
    """At the reference tension vacancies stay open as long as CBS measures (2.8 months in 2019),
    and the other job seekers find work at the order CBS finds for the unemployed (15% a month)."""
    ref = market_data()["reference"]
    m = run(months=36, labour_market_tension=ref["tension"])
    filled = m["hires_other_job_seekers"] + recipients_hires(m)
    months_open = (m["open_vacancies"] / (filled + m["hires_job_changers_and_outside"])).iloc[6:].mean()
    assert months_open == pytest.approx(ref["vacancy_months_open"], rel=0.2)
    job_finding = (m["hires_other_job_seekers"] / m["other_job_seekers"]).iloc[6:].mean()
    assert 0.08 < job_finding < 0.2
    # and stays there in a stable market: the open vacancies neither pile up nor run out
    early, late = m["open_vacancies"].iloc[6:12].mean(), m["open_vacancies"].iloc[-6:].mean()
    assert abs(late / early - 1) < 0.15


def test_filled_share_gives_the_months_a_vacancy_stays_open():
    for months, lapse in ((2.8, 0.02), (3.6, 0.0), (1.5, 0.1)):
        h = filled_share(months, lapse)
        assert (1 - h) * (1 - lapse) / h == pytest.approx(months)


def test_intensive_support_takes_vacancies_from_other_job_seekers():
    """With the same vacancies, the personal approach raises recipients' hires and lowers the
    hires of other job seekers."""
    base, arm = run(months=48), run(months=48, measures=[make_measure("personal_approach")])
    np.testing.assert_array_equal(base["vacancies"], arm["vacancies"])  # the market posts the same vacancies
    extra = recipients_hires(arm).sum() - recipients_hires(base).sum()
    lost = base["hires_other_job_seekers"].sum() - arm["hires_other_job_seekers"].sum()
    assert extra > 50
    assert lost > 0.15 * extra


def displacement(tension: float, seeds=(3, 4, 5, 6)) -> float:
    extra = lost = 0
    for seed in seeds:
        base = run(months=48, seed=seed, labour_market_tension=tension)
        arm = run(months=48, seed=seed, measures=[make_measure("personal_approach")], labour_market_tension=tension)
        extra += recipients_hires(arm).sum() - recipients_hires(base).sum()
        lost += base["hires_other_job_seekers"].sum() - arm["hires_other_job_seekers"].sum()
    return lost / extra


def test_displacement_is_larger_in_a_slack_market_than_in_a_tight_one():
    """Crépon et al. 2013, Cheung et al. 2025: the gains of job-search help are taken more from
    other job seekers where jobs are scarce; where vacancies go unfilled a recipient's hire takes
    a job nobody else would have had."""
    slack, tight = displacement(0.4), displacement(1.6)
    assert slack > tight + 0.15
    assert 0 <= tight < 1 and 0.3 < slack <= 1.2


def test_more_vacancies_per_job_seeker_give_a_higher_exit_rate_at_the_same_composition():
    # the same people at the start (same seeds and composition), fewer rivals per vacancy
    rate = {tension: np.mean([(m["exits_work"] / m["stock"]).mean()
                              for m in (run(months=36, seed=seed, labour_market_tension=tension) for seed in (3, 4))])
            for tension in (0.5, 1.5)}
    assert rate[1.5] > 1.12 * rate[0.5]


def test_a_scenario_with_fewer_vacancies_lowers_recipients_hires():
    stable = run(months=24, labour_market="stable")
    covid = run(months=24, labour_market="covid")
    months = slice(8, 18)  # March to December 2020
    assert recipients_hires(covid).iloc[months].sum() < recipients_hires(stable).iloc[months].sum()
    assert covid["vacancies"].iloc[months].mean() < 0.85 * stable["vacancies"].iloc[months].mean()


def test_the_market_starts_in_its_steady_state_at_any_tension():
    for tension in (0.3, 0.9, 3.0):
        p = labour_abm.Parameters(**{**SMALL, "labour_market_tension": tension})
        model = labour_abm.LabourModel(parameters=p, seed=1, months=1)
        market: LocalMarket = model.labour_market
        # CBS's tension: every open vacancy (for job changers too) per unemployed person
        open_all = len(market) / 1.0
        assert open_all / market.seekers == pytest.approx(tension, rel=0.15)


def entries_by_route(m, months: int, seed: int = 3, **overrides):
    model = labour_abm.LabourModel(seed=seed, months=months, **{**SMALL, **overrides})
    model.run_model()
    ev = model.events.columns()
    from labour_abm.core.population import EVENTS

    entry = ev["event"] == EVENTS.index("entry")
    return {route: np.bincount(ev["month"][entry & (ev["detail"] == route)], minlength=months)
            for route in ("ww", "job", "other", "school")}


def test_the_ww_pool_stays_where_it_starts_in_a_stable_market():
    pool = WwPool(labour_abm.Parameters(**SMALL))
    start, ended = pool.recipients, pool.exhausted_at_start
    for _ in range(40):
        pool.advance(1.0, 1.0)
    assert pool.recipients == pytest.approx(start)
    assert pool.exhausted == pytest.approx(ended)
    assert pool.claim_multiplier() == pytest.approx(1.0)
    # people leave WW for work or at the end of their entitlement, as many as come in
    assert pool.found_work + pool.exhausted == pytest.approx(pool.inflow_per_month)


def test_more_vacancies_let_fewer_ww_recipients_reach_the_end_of_their_entitlement():
    runs = {}
    for vacancies in (0.5, 1.0, 2.0):
        pool = WwPool(labour_abm.Parameters(**SMALL))
        for _ in range(30):
            pool.advance(1.0, vacancies)
        runs[vacancies] = pool.claim_multiplier()
    assert runs[1.0] == pytest.approx(1.0)
    assert runs[0.5] > 1.2 and runs[2.0] < 0.8


def test_job_losses_reach_bijstand_at_once_from_a_job_and_later_through_ww():
    months = 24
    stable = entries_by_route(None, months, labour_market="stable")
    covid = entries_by_route(None, months, labour_market="covid")
    shock, later = slice(8, 11), slice(13, 24)  # March-May 2020; August 2020 on (WW of 3+ months has ended)
    # straight from a job: at once, with the job losses (about twice as many over March-May)
    assert covid["job"][shock].sum() > 1.5 * stable["job"][shock].sum()
    # through WW: the job losers of March-May 2020 reach bijstand when their WW ends, months later
    assert covid["ww"][shock].sum() < 1.25 * stable["ww"][shock].sum()
    assert covid["ww"][later].sum() > 1.2 * stable["ww"][later].sum()


def test_the_cycle_leaves_claims_from_inactivity_and_school_as_they_are():
    from labour_abm.core.processes.inflow import claim_routes

    model = labour_abm.LabourModel(seed=1, months=30, labour_market="covid", **SMALL)
    p, seen = model.p, []
    for _ in range(30):
        model.step()
        shares = claim_routes(model, model.now)
        total = shares["total"]
        seen.append(total)
        assert shares["school"] * total == pytest.approx(p.inflow_share_from_school)
        other = 1 - shares["ww"] - shares["job"] - shares["school"]
        inactive = 1 - p.inflow_share_from_ww - p.inflow_share_from_job - p.inflow_share_from_school
        assert other * total == pytest.approx(inactive)
    assert max(seen) > 1.2 and min(seen) < 1.0  # COVID's job losses, then the tight market of 2021-2022


def test_the_covid_scenario_posts_vacancies_along_cbs_series():
    stable, covid = run(months=16, labour_market="stable"), run(months=16, labour_market="covid")
    scenario = Scenario("covid")
    ratio = covid["vacancies"].iloc[9:12].sum() / stable["vacancies"].iloc[9:12].sum()
    expected = np.mean([scenario.at(m).vacancy_multiplier for m in range(9, 12)])
    assert ratio == pytest.approx(expected, rel=0.08)
    assert expected < 0.75  # CBS: 2020Q2 new vacancies about 30% below 2019Q3


def test_a_stable_market_draws_claims_by_the_route_shares():
    p = labour_abm.Parameters(**SMALL)
    routes = entries_by_route(None, 60, labour_market="stable")
    new = sum(routes[r].sum() for r in ("ww", "job", "other", "school"))
    assert routes["ww"].sum() / new == pytest.approx(p.inflow_share_from_ww, abs=0.02)
    assert routes["job"].sum() / new == pytest.approx(p.inflow_share_from_job, abs=0.02)


def test_a_city_sector_mix_tilts_employers_and_past_jobs_toward_its_strong_sectors():
    from labour_abm.core.labour_market import sector_names, sector_shares

    care = sector_names().index("care")
    assert sector_shares("nijmegen")[care] > 1.5 * sector_shares("national")[care]  # PWE 2019: 30% of jobs
    assert sector_shares("national").sum() == pytest.approx(1.0)
    models = {mix: labour_abm.LabourModel(seed=2, months=1, sector_mix=mix, **{**SMALL, "jobs_in_city": 200_000})
              for mix in ("national", "nijmegen")}
    share = {mix: (np.mean(m.employers.sector == care), np.mean(m.pop.sector[m.pop.sector >= 0] == care))
             for mix, m in models.items()}
    assert share["nijmegen"][0] > 1.4 * share["national"][0]  # employers
    assert share["nijmegen"][1] > 1.4 * share["national"][1]  # recipients' past jobs are local
