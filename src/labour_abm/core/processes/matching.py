"""Matching: vacancies open, people apply, employers screen and choose, people take jobs.

Each employer posts a Poisson number of new vacancies around its share of the city's (its
size), times the scenario's vacancy multiplier (measures may add: ``vacancies``), some
part-time; they join the vacancies still open (core/labour_market.py, LocalMarket). Every own
application goes to an open vacancy, half of them in the applicant's own sector; a
consultant's referral goes to an employer the job service knows. An employer finds an
application acceptable with the screening chance of rules/screening.py: a base chance, the
employer's openness, a penalty for each requirement the applicant lacks, duration stigma,
skill loss and age, a bonus for sector experience and for a referral (measures may change it:
``offer_probability``). Other job seekers compete for the same vacancies: each vacancy has a
Poisson number of acceptable other candidates, and goes to the best of all its candidates,
each equally likely, so a recipient's acceptable application wins with chance 1 / (rivals + 1).
Part-time offers are taken more often the more the earnings disregard lets one keep;
full-time offers always. Each vacancy goes to one of the recipients it ranks first and each
person takes one job (rules/matching.py): a full-time job ends the benefit, a part-time job is
kept on benefit. Leavers without income apply to the same vacancies (full-time ones). A
vacancy no recipient takes goes to another job seeker out of work if it has one, else with a
monthly chance to a job changer or someone from outside; of the rest a few are withdrawn
(``vacancy_lapse_per_month``) and the others stay open.

For speed, the screening draw of each application is compared first with the highest chance
the applicant could have (:func:`offer_probability_bound`): the offer chance is worked out only
for the few below it, which gives exactly the same offers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..labour_market import sector_names
from ..params import WEEKS_PER_MONTH
from ..population import ON_BENEFIT, experienced, lacks, poor_health
from ..rng import poisson_from_uniform
from ..rules import screening
from ..rules.matching import best_rival_rank, resolve_offers
from ..transitions import employ, start_jobs
from .benefit_payment import disregard

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month

REFERRAL_SLOT = 63  # the application number of a consultant's referral (a month's own ones come below it)


def matching(model: LabourModel, now: Month) -> None:
    pop, m, p, emp = model.pop, model.month, model.p, model.employers
    market = model.labour_market
    counts = model.streams.generator("vacancies", m).poisson(emp.vacancy_rate_per_month * now.market.vacancy_multiplier)
    for measure in model.hooked["vacancies"]:
        counts = measure.vacancies(model, counts)
    emp.vacancies[:] = counts
    now.tally["vacancies"] += int(counts.sum())
    new_parttime = model.streams.generator("vacancy_hours", m).random(int(counts.sum())) < np.repeat(
        emp.parttime_share, counts)
    market.post(m, counts, new_parttime)
    # the vacancies that end their recruitment this month (positions in the open set), grouped by
    # sector so an application can pick one in its own sector, with their other candidates
    by_sector, from_pool, rivals, rival_rank = recruitments(model)
    vac_emp, vac_parttime = market.employer[by_sector], market.parttime[by_sector]
    n_vac = len(vac_emp)
    if n_vac == 0:
        market.update_seekers(0, now.market.job_loss_multiplier)
        return
    sector_count = np.bincount(emp.sector[vac_emp], minlength=len(sector_names()))
    sector_start = np.concatenate(([0], np.cumsum(sector_count)[:-1]))

    # applications: own ones (slots 0, 1, ...) of recipients and of leavers without income, and
    # a consultant's referrals (REFERRAL_SLOT)
    searching = (pop.applications > 0).nonzero()[0]
    n_apps = pop.applications[searching].astype(np.int64)
    referred = now.referred[pop.status[now.referred] == ON_BENEFIT]
    person = np.concatenate((searching.repeat(n_apps), referred))
    # one stream position per (person, application): uid * 64 + slot, worked out per applicant
    # and then repeated (slots 0, 1, ... of an applicant's own applications follow each other)
    own = (pop.uid[searching] * 64 - (n_apps.cumsum() - n_apps)).repeat(n_apps)
    own += np.arange(len(own))
    key = np.concatenate((own, pop.uid[referred] * 64 + REFERRAL_SLOT))
    # the screening draw comes first: an application whose draw is above the highest chance it
    # could have cannot succeed, so the rest is worked out for the few that may (exact, and
    # most of the month's work otherwise). The bound depends on the person only: it is worked
    # out once per applicant (and per referral), then repeated over their applications.
    u_screen = model.streams.uniform("apply", m, key, draw=2)
    applicants = np.concatenate((searching, referred))
    per_applicant = offer_probability_bound(model, applicants, np.arange(len(applicants)) >= len(searching))
    bound = np.concatenate((per_applicant[: len(searching)].repeat(n_apps), per_applicant[len(searching) :]))
    maybe = (u_screen < bound).nonzero()[0]
    person, key, u_screen, bound = person[maybe], key[maybe], u_screen[maybe], bound[maybe]
    is_referral = maybe >= len(own)  # referrals come after the own applications

    draws = model.streams.uniforms("apply", m, key, 2)  # which vacancy, own sector or not
    u_vac = draws[:, 0]
    own_sector = pop.sector[person].astype(np.int64)
    to_own = (draws[:, 1] < p.own_sector_application_share) & (own_sector >= 0)
    to_own &= sector_count[np.maximum(own_sector, 0)] > 0
    vacancy = np.floor(u_vac * n_vac).astype(np.int64)
    s = own_sector[to_own]
    vacancy[to_own] = sector_start[s] + np.floor(u_vac[to_own] * sector_count[s]).astype(np.int64)
    known_vac = emp.known[vac_emp].nonzero()[0]
    if len(known_vac):  # consultants refer to employers the job service knows
        pick = known_vac[np.floor(u_vac * len(known_vac)).astype(np.int64)]
        vacancy = np.where(is_referral, pick, vacancy)
    e = vac_emp[vacancy]
    parttime = vac_parttime[vacancy]
    # part-timers, and leavers without income (a part-time wage alone is too little), want full-time work
    wants = ~(parttime & ((pop.parttime_hours[person] > 0) | (pop.status[person] != ON_BENEFIT)))

    in_arrangement = pop.debt_arrangement_months_left[person] > 0
    since_work = pop.months_since_work[person]
    offer_p = screening.offer_probability(
        p.hire_probability_per_application,
        np.minimum(1.0, emp.openness[e] + p.known_employer_openness_bonus * emp.known[e]),
        emp.requires_language[e] & lacks(pop.dutch[person]),
        emp.requires_health[e] & poor_health(pop.physical_health[person], pop.mental_health[person]),
        emp.requires_qualification[e] & ~pop.start_qualification[person],
        lacks(pop.literacy[person]),
        emp.screens_debt[e] * pop.debt[person] * np.where(in_arrangement, 0.5, 1.0),
        ~experienced(pop.experience_years[person]),
        pop.sector[person] == emp.sector[e],
        screening.duration_stigma(since_work, p.duration_stigma_max_share, p.duration_stigma_months),
        screening.skill_depreciation(since_work, p.skill_depreciation_per_year),
        screening.age_factor(pop.age_years[person], p.age_penalty_per_year_over_45),
        is_referral,
        **screening.penalties(p),
        sector_bonus=p.sector_experience_bonus,
        referral_multiplier=p.referral_hire_multiplier,
    )
    for measure in model.hooked["offer_probability"]:
        offer_p = measure.offer_probability(model, person, e, offer_p)
    if np.any(offer_p > bound):
        raise RuntimeError("an offer chance exceeds its bound: a measure's max_offer_multiplier is too low")
    offered = ((u_screen < offer_p) & wants).nonzero()[0]
    draws = model.streams.uniforms("offer", m, key[offered], 3)  # hours, acceptance, priority
    # a part-time offer is taken depending on what the disregard lets one keep; full-time always
    hours = (
        p.parttime_hours_per_week_min
        + (p.parttime_hours_per_week_max - p.parttime_hours_per_week_min) * draws[:, 0]
    )
    earnings = hours * WEEKS_PER_MONTH * p.parttime_net_wage_eur_per_hour
    gain = disregard(model, earnings, person[offered])
    accept_p = np.where(
        parttime[offered],
        screening.parttime_acceptance(gain, p.parttime_accept_base_share, p.parttime_accept_gain_per_100_eur),
        1.0,
    )
    # taken, and ranked above every other job seeker the employer would accept for the vacancy
    taken = (draws[:, 1] < accept_p) & (draws[:, 2] < rival_rank[vacancy[offered]])
    idx, hours, earnings = offered[taken], hours[taken], earnings[taken]
    chosen = resolve_offers(person[idx], vacancy[idx], parttime[idx], draws[taken, 2])
    hires, hours, earnings = idx[chosen], hours[chosen], earnings[chosen]

    is_part = parttime[hires]
    on_benefit = pop.status[person[hires]] == ON_BENEFIT
    full, part, leavers = hires[~is_part & on_benefit], hires[is_part], hires[~on_benefit]
    np.add.at(emp.hires_from_bijstand, e[hires[on_benefit]], 1)
    start_jobs(model, person[full], e[full])
    employ(model, person[leavers], e[leavers])
    now.tally["jobs_found_without_benefit"] += len(leavers)
    rows = person[part]
    pop.parttime_hours[rows] = hours[is_part]
    pop.parttime_earnings_eur[rows] = earnings[is_part]
    pop.parttime_employer[rows] = e[part]
    pop.months_since_work[rows] = 0
    model.events.add(m, pop.uid[rows], "parttime_start", np.asarray(sector_names(), dtype=object)[emp.sector[e[part]]])
    now.tally["parttime_starts"] += len(rows)
    now.tally["offers"] += len(offered)

    taken_by_recipient = np.zeros(n_vac, bool)
    taken_by_recipient[vacancy[hires]] = True
    end_recruitments(model, now, by_sector, taken_by_recipient, from_pool, rivals)


def recruitments(model: LabourModel) -> tuple[np.ndarray, ...]:
    """The open vacancies that end their recruitment this month, as positions in the open set in
    sector order, with the number of other candidates each would accept from the pool out of
    work, from the pool and job changers or outsiders together, and the rank of the best of them."""
    market, m, emp = model.labour_market, model.month, model.employers
    deciding = (model.streams.uniform("recruitment", m, market.uid) < market.decides).nonzero()[0]
    deciding = deciding[np.argsort(emp.sector[market.employer[deciding]], kind="stable")]
    u = model.streams.uniforms("recruitment", m, market.uid[deciding], 3, first=1)
    pool, outside = market.candidates()
    from_pool = poisson_from_uniform(np.full(len(deciding), pool), u[:, 0])
    rivals = from_pool + poisson_from_uniform(np.full(len(deciding), outside), u[:, 1])
    return deciding, from_pool, rivals, best_rival_rank(rivals, u[:, 2])


def end_recruitments(model: LabourModel, now: Month, deciding: np.ndarray, taken_by_recipient: np.ndarray,
                     from_pool: np.ndarray, rivals: np.ndarray) -> None:
    """A deciding vacancy no recipient took goes to one of its other candidates, one out of work
    with the pool's share of them; the vacancies filled close, a few others are withdrawn; the
    pool loses its hires."""
    market, m = model.labour_market, model.month
    to_others = ~taken_by_recipient & (rivals > 0)
    to_pool = np.zeros(len(deciding), bool)
    others = to_others.nonzero()[0]
    u = model.streams.uniform("recruitment:pool", m, market.uid[deciding[others]])
    to_pool[others] = u * rivals[others] < from_pool[others]
    closed = np.zeros(len(market), bool)
    closed[deciding[taken_by_recipient | to_others]] = True
    still_open = (~closed).nonzero()[0]
    closed[still_open[model.streams.uniform("vacancy_lapse", m, market.uid[still_open]) < market.lapse]] = True
    market.close(closed)
    hired_from_pool = int(np.count_nonzero(to_pool))
    market.update_seekers(hired_from_pool, now.market.job_loss_multiplier)
    now.tally["hires_other_job_seekers"] += hired_from_pool
    now.tally["hires_job_changers_and_outside"] += int(np.count_nonzero(to_others & ~to_pool))


def offer_probability_bound(model: LabourModel, person: np.ndarray, is_referral: np.ndarray) -> np.ndarray:
    """The highest offer chance each application (of population row ``person``) could have: the
    barrier-free chance with full openness and sector experience, times the referral multiplier
    and the most each measure that raises offer chances says it raises them
    (``max_offer_multiplier``; a measure that does not say leaves the bound at 1)."""
    p = model.p
    top = p.hire_probability_per_application * (1.0 + p.sector_experience_bonus) * (1.0 + 1e-9)  # 1e-9: rounding
    bound = np.where(is_referral, top * p.referral_hire_multiplier, top)
    for measure in model.hooked["offer_probability"]:
        multiplier = measure.max_offer_multiplier(model, person)
        if multiplier is None:  # unknown: every application of these people is worked out
            return np.ones(len(person))
        bound = bound * multiplier
    return np.minimum(1.0, bound)
