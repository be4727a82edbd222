"""The model: one municipality's bijstand caseload, one ``step()`` per month.

Recipients are columns (population.Recipients); consultants and employers are Mesa agents
viewing their own tables (agents.py). The rules are pure functions in ``rules/``; this module
gathers their inputs, applies their outputs and records what happened. docs/ODD.md follows
the order of :meth:`LabourModel.step`.
"""

from __future__ import annotations

import math
from collections import Counter

import mesa
import numpy as np

from ..measures import Measure, measure_overrides
from . import presets
from .agents import Consultant, Consultants, Employer
from .labour_market import Scenario, create_employers, sector_names
from .params import Parameters, resolve_parameters
from .population import (
    BARRIERS,
    EXIT_REASONS,
    GONE,
    MOVED,
    NEVER,
    OFF_BENEFIT,
    ON_BENEFIT,
    OTHER,
    OTHER_BENEFIT,
    PARTNER,
    PENSION,
    ROUTE_CODE,
    ROUTES,
    WORK,
    EventLog,
    Recipients,
    Spells,
    barrier_flags,
)
from .rng import Streams, poisson_from_uniform
from .rules import barriers, benefit, contact, exits, jobs, ladder, matching, sanctions, screening, search
from .synth import draw_initial_stock, draw_new_claimants

WEEKS_PER_MONTH = 52 / 12
GONE_AT_EXIT = (MOVED, PENSION, OTHER_BENEFIT)  # these leavers cannot come back in the model
REFERRAL_SLOT = 63  # application number used for a consultant's referral (own ones are 0..62)


class MonthlyCollector(mesa.DataCollector):
    """Mesa's DataCollector for the monthly statistics, without its deep copy of every value:
    they are fresh Python numbers each month, and copying ~200 of them was a tenth of a run."""

    def collect(self, model: LabourModel) -> None:
        last = model.last
        for var, values in self.model_vars.items():
            values.append(last[var])


class LabourModel(mesa.Model):
    """A Dutch municipality's social-assistance caseload, month by month.

    Args:
        preset: City preset (``labour-abm presets``); its parameters override the defaults.
        measures: Policy measures in force (``labour_abm.measures``), e.g. ``[DebtHelp()]``.
        seed: Integer seed. Same seed and parameters give identical outputs. Drawn at
            random (and recorded in ``model.seed``) when omitted.
        rng: Not supported; pass ``seed`` (the model keys its own streams on it).
        parameters: A complete, validated :class:`Parameters`; overrides then apply on top.
        **overrides: Any parameter by name (``labour-abm params``), e.g. ``months=60``.
    """

    def __init__(
        self,
        *,
        preset: str | None = "nijmegen",
        measures: list[Measure] | tuple = (),
        seed: int | None = None,
        rng=None,
        parameters: Parameters | None = None,
        **overrides,
    ):
        if rng is not None:
            raise ValueError("LabourModel takes an integer seed, not rng (its random streams are keyed on the seed)")
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % 2**63)
        self.seed = int(seed)
        super().__init__(seed=self.seed)
        base = parameters.model_dump() if parameters is not None else presets.preset_parameters(preset)
        self.preset = preset if parameters is None else None
        self.measures = list(measures)
        # for each hook, the measures that override it: calling the base class's no-op of every
        # other measure, several times a month, was a few percent of a run with all measures on
        self.hooked = {hook: [m for m in self.measures if _overrides(m, hook)] for hook in HOOKS}
        self.p: Parameters = resolve_parameters(base, overrides, measure_overrides(self.measures))
        self.streams = Streams(self.seed)
        self.scenario = Scenario(self.p.labour_market)
        self.month = 0  # the month being (or last) simulated, 0-based
        self.next_uid = 0

        self.pop = Recipients(capacity=int(self.p.initial_stock * 1.5) + 64)
        self.spells = Spells(capacity=int(self.p.initial_stock * 2) + 64)
        self.events = EventLog()
        self.employers = create_employers(self.p, self.streams.generator("employers", -1))
        self.consultants = self._create_consultants()
        Employer.create_agents(self, len(self.employers), list(range(len(self.employers))))
        Consultant.create_agents(self, len(self.consultants), list(range(len(self.consultants))))
        self._create_initial_stock()
        self._create_recent_leavers()

        self.allocation_eur_per_month = self.p.state_allocation_share * self._initial_spending()
        self.last: dict[str, float] = {}
        own = tuple(f"{x.name}_{k}" for x in self.measures for k in x.monthly_keys())
        clash = sorted(set(own) & set(MONTHLY_COLUMNS))
        if clash:  # a programming error in a measure, not a user error
            raise ValueError(f"measure columns would overwrite core columns: {', '.join(clash)}")
        columns = MONTHLY_COLUMNS + own
        self.datacollector = MonthlyCollector(model_reporters={k: (lambda m, k=k: m.last[k]) for k in columns})
        for measure in self.measures:
            measure.setup(self)
        # Mesa 3.3 keeps a class-level counter per model (Agent._ids) that holds the model for good,
        # so no finished model was ever freed (mesa#3179, fixed in 3.4). All agents exist by now.
        mesa.Agent._ids.pop(self, None)

    # ================================================================================== month
    def step(self) -> None:
        """One month, in the order of docs/ODD.md (section 3, process overview)."""
        self.month = self.steps - 1
        self.market = self.scenario.at(self.month)
        self.tally = Counter()  # counts of the month (t[key] += n: Counter.update costs ~8k instructions a call)
        self.pop.job_search_duty[:] = True  # measures that waive the duty do so afresh each month
        # fmt: off
        self.inflow()                  # new claims (some diverted at the gate), returns
        self.allocate_contacts()       # consultants spend their hours on their caseload
        self.services()                # debt help and measures' services, with waiting lists
        self.barrier_dynamics()        # erosion out of work, recovery in work, debts
        self.search_and_obligations()  # applications sent; is the duty met?
        self.matching()                # vacancies, applications, screening, hiring
        self.earnings_and_benefit()    # part-time earnings, disregard, benefit paid
        self.impose_sanctions()        # broken obligations seen at a contact; fraud found
        self.job_loss_and_return()     # jobs end; people come back (after WW, if entitled)
        self.other_exits()             # pension, partner, moving, other benefit, other
        self.budget()                  # allocation, safety net, staff and measure costs
        self.record()                  # monthly statistics; clocks advance
        # fmt: on
        if self.month + 1 >= self.p.months:
            self.running = False

    # =============================================================================== processes
    def inflow(self) -> None:
        pop, m, p = self.pop, self.month, self.p
        off = pop.status == OFF_BENEFIT
        after_job = (off & (pop.return_month == m)).nonzero()[0]
        waiting = (off & (pop.return_month < 0) & ~pop.employed).nonzero()[0]
        reason = pop.exit_reason[waiting]
        hazard = np.where(
            reason == PARTNER, p.partner_return_per_month, np.where(reason == OTHER, p.other_return_per_month, 0.0)
        )
        others = waiting[self.streams.uniform("return", m, pop.uid[waiting]) < hazard]
        returners = np.union1d(after_job, others)
        pop.entry_route[returners] = ROUTE_CODE["reentry"]

        expected = p.inflow_new_claims_per_month_share * p.initial_stock * self.market.inflow_multiplier
        n = int(self.streams.generator("claims", m).poisson(expected))
        uids = np.arange(self.next_uid, self.next_uid + n, dtype=np.int64)
        self.next_uid += n
        claims = draw_new_claimants(self.streams, m, uids, p)
        filed = np.ones(n, dtype=bool)  # deterred claims are never filed
        to_work = np.zeros(n, dtype=bool)  # mediated into a job before the benefit starts
        for measure in self.hooked["admit_claims"]:
            filed &= measure.admit_claims(self, uids, claims)
        filed_idx = filed.nonzero()[0]
        filed_claims = {k: v[filed_idx] for k, v in claims.items()}
        for measure in self.hooked["divert_to_work"]:  # mediation sees only the claims that are filed
            to_work[filed_idx] |= measure.divert_to_work(self, uids[filed_idx], filed_claims)
        # all filed claims join the table in uid order (rows stay sorted by uid)
        rows = pop.append(len(filed_idx), {"uid": uids[filed_idx], **filed_claims})
        diverted = to_work[filed_idx]
        self._divert_to_work(rows[diverted])  # first: off benefit before caseloads are counted
        self._enter(np.concatenate((returners, rows[~diverted])))
        self.events.add(m, uids[~filed], "claim_diverted", "deterred")
        self.tally["new_claims"] += n
        self.tally["claims_diverted"] += n - int(np.count_nonzero(~diverted))
        self.tally["reentries"] += len(returners)

        off = pop.status == OFF_BENEFIT
        followed_long_enough = off & (pop.return_month < 0) & (m - pop.exit_month >= p.followup_months)
        pop.status[followed_long_enough] = GONE

    def allocate_contacts(self) -> None:
        pop, m, p, cons = self.pop, self.month, self.p, self.consultants
        on = pop.on_benefit()
        uid = pop.uid[on]
        weight = 1.0 + p.new_client_priority * (pop.months_on_benefit[on] < 6)
        for measure in self.hooked["contact_weight"]:
            weight = measure.contact_weight(self, on, weight)
        consultant = pop.consultant[on]
        cons.caseload[:] = np.bincount(consultant, minlength=len(cons))
        chance = contact.contact_probability(consultant, weight, cons.client_hours_per_month, p.hours_per_contact)
        seen_mask = self.streams.uniform("contact", m, uid) < chance
        seen = on[seen_mask]
        effect = (
            contact.trust(pop.months_with_consultant[seen], p.trust_build_months)
            * cons.contact_effect[pop.consultant[seen]]
        )
        for measure in self.hooked["contact_effect"]:
            effect = measure.contact_effect(self, seen, effect)
        pop.motivation[seen] = contact.contact_gain(pop.motivation[seen], p.contact_motivation_gain, effect)
        pop.confidence[seen] = contact.contact_gain(pop.confidence[seen], p.contact_confidence_gain, effect)
        pop.months_since_contact[seen] = 0
        self.seen = seen
        self.seen_mask = np.zeros(len(pop), dtype=bool)  # the same rows as one boolean per row
        self.seen_mask[seen] = True
        # exemption from the duty to work follows health: granted at a contact, lost on recovery
        poor_health = (pop.physical_health < 0.5) | (pop.mental_health < 0.5)
        pop.exempt[:] &= poor_health
        grant = (self.seen_mask & poor_health & ~pop.exempt).nonzero()[0]  # masks: cheaper than gathers
        pop.exempt[grant[self.streams.uniform("exemption", m, pop.uid[grant]) < p.exemption_on_contact_share]] = True
        self.referred = seen[self.streams.uniform("referral", m, pop.uid[seen]) < p.referral_on_contact_share]

        moves = (  # keyed draws: skipping them when nobody can move changes no other draw
            on[self.streams.uniform("turnover", m, uid) < p.consultant_turnover_per_month]
            if p.consultant_turnover_per_month > 0 else on[:0])
        if len(cons) > 1:  # to one of the other consultants
            shift = 1 + np.floor(self.streams.uniform("turnover:to", m, pop.uid[moves]) * (len(cons) - 1))
            pop.consultant[moves] = (pop.consultant[moves] + shift.astype(np.int32)) % len(cons)
        pop.months_with_consultant[moves] = 0
        self.tally["contacts"] += len(seen)

    def services(self) -> None:
        pop, m, p = self.pop, self.month, self.p
        in_arrangement = (pop.debt_arrangement_months_left > 0) & (pop.status != GONE)
        pop.debt_arrangement_months_left[in_arrangement] -= 1
        done = (in_arrangement & (pop.debt_arrangement_months_left == 0)).nonzero()[0]
        pop.debt[done], pop.debt_eur[done] = False, 0.0
        self.events.add(m, pop.uid[done], "debt_help_end")

        joins = (  # the seen (whole-column masks: cheaper than gathering their rows)
            self.seen_mask & pop.debt & (pop.debt_arrangement_months_left == 0) & (pop.debt_help_waiting_since < 0)
        ).nonzero()[0]
        joins = joins[self.streams.uniform("debt_help:uptake", m, pop.uid[joins]) < p.debt_help_uptake_per_contact]
        pop.debt_help_waiting_since[joins] = m
        capacity = self.per_month_quota("debt_help", p.debt_help_intake_per_month_share)
        for measure in self.hooked["debt_help_capacity"]:
            capacity = measure.debt_help_capacity(self, capacity)
        waiting = self._debt_help_waiting_rows()
        first = waiting[np.lexsort((pop.uid[waiting], pop.debt_help_waiting_since[waiting]))][:capacity]
        pop.debt_arrangement_months_left[first] = p.debt_arrangement_months
        pop.debt_help_waiting_since[first] = -1
        self.events.add(m, pop.uid[first], "debt_help_start")
        self.tally["debt_help_starts"] += len(first)
        for measure in self.hooked["services"]:
            measure.services(self)

    def barrier_dynamics(self) -> None:
        pop, m, p = self.pop, self.month, self.p
        on = pop.status == ON_BENEFIT
        # only people on benefit or in work change; leavers without work are left as they are (all
        # masks False for them). Whole columns: cheaper than indexing the rows that change.
        parttime = pop.parttime_hours > 0
        working = (~on & pop.employed) | (on & parttime)  # in a job off benefit, or part-time on benefit
        idle = on & ~parttime
        fruitless = on & (pop.applications > 0)  # searched last month, still on benefit
        conf = barriers.erode(pop.confidence, p.confidence_erosion_per_month, idle)
        motiv = barriers.erode(pop.motivation, p.motivation_erosion_per_month, fruitless)
        mental = barriers.decline(pop.mental_health, p.mental_health_decline_per_month, idle)
        pop.confidence[:] = barriers.recover(conf, p.recovery_in_work_per_month, working)
        pop.motivation[:] = barriers.recover(motiv, p.recovery_in_work_per_month, working)
        pop.mental_health[:] = barriers.recover(mental, p.recovery_in_work_per_month, working)
        alive = pop.status != GONE
        pop.physical_health[:] = barriers.decline(
            pop.physical_health, p.physical_health_decline_per_month_over_50, alive & (pop.age_years >= 50)
        )

        rows = on.nonzero()[0]
        u = self.streams.uniform("debt", m, pop.uid[rows])
        free = ~pop.debt[rows]
        onset = rows[
            free & (u < barriers.debt_onset_hazard(p.debt_onset_per_month, pop.sanction_months_left[rows] > 0))
        ]
        resolved = rows[~free & (pop.debt_arrangement_months_left[rows] == 0) & (u < p.debt_resolved_per_month)]
        pop.debt[onset] = True
        pop.debt_eur[onset] = p.debt_mean_eur
        pop.debt[resolved], pop.debt_eur[resolved] = False, 0.0
        pop.debt_help_waiting_since[resolved] = -1

    def search_and_obligations(self) -> None:
        pop, m, p = self.pop, self.month, self.p
        pop.applications[:] = 0
        on = pop.on_benefit()
        # the rule on whole columns, then the stock's rows: cheaper than gathering its inputs
        no_duty = pop.exempt | ~pop.job_search_duty
        parttime = pop.parttime_hours > 0
        effort = search.search_effort(
            pop.motivation,
            pop.confidence,
            np.where(pop.debt_arrangement_months_left > 0, 0.5, 1.0) * pop.debt,
            no_duty,
            parttime,
            pop.months_since_sanction,
            sanction_strictness=p.sanction_detection_share,
            threat_effect=p.sanction_threat_search_effect,
            post_sanction_boost=p.post_sanction_search_boost,
            debt_stress_penalty=p.debt_stress_search_penalty,
            exempt_share=p.exempt_search_share,
            parttime_worker_share=p.parttime_worker_search_share,
        )[on]
        for measure in self.hooked["search_effort"]:
            effort = measure.search_effort(self, on, effort)
        apps = poisson_from_uniform(
            p.max_applications_per_month * effort, self.streams.uniform("search", m, pop.uid[on])
        )
        pop.applications[on] = np.minimum(apps, REFERRAL_SLOT - 1)
        pop.noncompliant[:] = False
        pop.noncompliant[on] = search.is_noncompliant(
            apps, no_duty[on], parttime[on], p.applications_required_per_month,
            p.noncompliance_threshold_share
        )
        self.tally["applications"] += int(apps.sum())

    def matching(self) -> None:
        pop, m, p, emp = self.pop, self.month, self.p, self.employers
        counts = self.streams.generator("vacancies", m).poisson(
            emp.vacancy_rate_per_month * self.market.vacancy_multiplier
        )
        for measure in self.hooked["vacancies"]:
            counts = measure.vacancies(self, counts)
        emp.vacancies[:] = counts
        n_vac = int(counts.sum())
        self.tally["vacancies"] += n_vac
        if n_vac == 0:
            return
        # vacancies, grouped by sector so an application can pick one in its own sector
        vac_emp = np.repeat(np.arange(len(emp)), counts)
        vac_emp = vac_emp[np.argsort(emp.sector[vac_emp], kind="stable")]
        vac_parttime = self.streams.generator("vacancy_hours", m).random(n_vac) < emp.parttime_share[vac_emp]
        sector_count = np.bincount(emp.sector[vac_emp], minlength=len(sector_names()))
        sector_start = np.concatenate(([0], np.cumsum(sector_count)[:-1]))

        # applications: own ones (slots 0..62) and a consultant's referrals (slot 63)
        on = ((pop.status == ON_BENEFIT) & (pop.applications > 0)).nonzero()[0]
        n_apps = pop.applications[on].astype(np.int64)
        referred = self.referred[pop.status[self.referred] == ON_BENEFIT]
        person = np.concatenate((on.repeat(n_apps), referred))
        # one stream position per (person, application): uid * 64 + slot, worked out per applicant
        # and then repeated (slots 0, 1, ... of an applicant's own applications follow each other)
        own = (pop.uid[on] * 64 - (n_apps.cumsum() - n_apps)).repeat(n_apps)
        own += np.arange(len(own))
        key = np.concatenate((own, pop.uid[referred] * 64 + REFERRAL_SLOT))
        # the screening draw comes first: an application whose draw is above the highest chance it
        # could have cannot succeed, so the rest is worked out for the few that may (exact, and
        # most of the month's work otherwise). The bound depends on the person only: it is worked
        # out once per applicant (and per referral), then repeated over their applications.
        u_screen = self.streams.uniform("apply", m, key, draw=2)
        applicants = np.concatenate((on, referred))
        per_applicant = self.offer_probability_bound(applicants, np.arange(len(applicants)) >= len(on))
        bound = np.concatenate((per_applicant[: len(on)].repeat(n_apps), per_applicant[len(on) :]))
        maybe = (u_screen < bound).nonzero()[0]
        person, key, u_screen, bound = person[maybe], key[maybe], u_screen[maybe], bound[maybe]
        is_referral = maybe >= len(own)  # referrals come after the own applications

        draws = self.streams.uniforms("apply", m, key, 2)  # which vacancy, own sector or not
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
        wants = ~(parttime & (pop.parttime_hours[person] > 0))  # part-timers look for full-time work

        poor_health = (pop.physical_health[person] < 0.5) | (pop.mental_health[person] < 0.5)
        in_arrangement = pop.debt_arrangement_months_left[person] > 0
        since_work = pop.months_since_work[person]
        offer_p = screening.offer_probability(
            p.hire_probability_per_application,
            np.minimum(1.0, emp.openness[e] + p.known_employer_openness_bonus * emp.known[e]),
            emp.requires_language[e] & (pop.dutch[person] < 0.5),
            emp.requires_health[e] & poor_health,
            emp.requires_qualification[e] & ~pop.start_qualification[person],
            pop.literacy[person] < 0.5,
            emp.screens_debt[e] * pop.debt[person] * np.where(in_arrangement, 0.5, 1.0),
            pop.experience_years[person] < 0.5,
            pop.sector[person] == emp.sector[e],
            screening.duration_stigma(since_work, p.duration_stigma_max_share, p.duration_stigma_months),
            screening.skill_depreciation(since_work, p.skill_depreciation_per_year),
            screening.age_factor(pop.age_years[person], p.age_penalty_per_year_over_45),
            is_referral,
            penalty_language=p.screening_penalty_language,
            penalty_health=p.screening_penalty_health,
            penalty_qualification=p.screening_penalty_qualification,
            penalty_literacy=p.screening_penalty_literacy,
            penalty_debt=p.screening_penalty_debt,
            penalty_no_experience=p.screening_penalty_no_experience,
            sector_bonus=p.sector_experience_bonus,
            referral_multiplier=p.referral_hire_multiplier,
        )
        for measure in self.hooked["offer_probability"]:
            offer_p = measure.offer_probability(self, person, e, offer_p)
        if np.any(offer_p > bound):
            raise RuntimeError("an offer chance exceeds its bound: a measure's max_offer_multiplier is too low")
        offered = ((u_screen < offer_p) & wants).nonzero()[0]
        draws = self.streams.uniforms("offer", m, key[offered], 3)  # hours, acceptance, priority
        # a part-time offer is taken depending on what the disregard lets one keep; full-time always
        hours = (
            p.parttime_hours_per_week_min
            + (p.parttime_hours_per_week_max - p.parttime_hours_per_week_min) * draws[:, 0]
        )
        earnings = hours * WEEKS_PER_MONTH * p.parttime_net_wage_eur_per_hour
        gain = self._disregard(earnings, person[offered])
        accept_p = np.where(
            parttime[offered],
            screening.parttime_acceptance(gain, p.parttime_accept_base_share, p.parttime_accept_gain_per_100_eur),
            1.0,
        )
        taken = draws[:, 1] < accept_p
        idx, hours, earnings = offered[taken], hours[taken], earnings[taken]
        chosen = matching.resolve_offers(person[idx], vacancy[idx], parttime[idx], draws[taken, 2])
        hires, hours, earnings = idx[chosen], hours[chosen], earnings[chosen]

        is_part = parttime[hires]
        full, part = hires[~is_part], hires[is_part]
        np.add.at(emp.hires_from_bijstand, e[hires], 1)
        self.start_jobs(person[full], e[full])
        rows = person[part]
        pop.parttime_hours[rows] = hours[is_part]
        pop.parttime_earnings_eur[rows] = earnings[is_part]
        pop.parttime_employer[rows] = e[part]
        pop.months_since_work[rows] = 0
        self.events.add(
            m, pop.uid[rows], "parttime_start", np.asarray(sector_names(), dtype=object)[emp.sector[e[part]]]
        )
        self.tally["parttime_starts"] += len(rows)
        self.tally["offers"] += len(offered)

    def offer_probability_bound(self, person: np.ndarray, is_referral: np.ndarray) -> np.ndarray:
        """The highest offer chance each application (of population row ``person``) could have:
        the barrier-free chance with full openness and sector experience, times the referral
        multiplier and every measure's :meth:`~labour_abm.measures.base.Measure.max_offer_multiplier`."""
        p = self.p
        top = p.hire_probability_per_application * (1.0 + p.sector_experience_bonus) * (1.0 + 1e-9)  # 1e-9: rounding
        bound = np.where(is_referral, top * p.referral_hire_multiplier, top)
        for measure in self.hooked["max_offer_multiplier"]:
            bound = bound * measure.max_offer_multiplier(self, person)
        return np.minimum(1.0, bound)

    def earnings_and_benefit(self) -> None:
        # on whole columns, kept for the stock's rows only: cheaper than gathering their rows first
        pop, p = self.pop, self.p
        is_on = pop.status == ON_BENEFIT
        on = is_on.nonzero()[0]
        earnings = pop.parttime_earnings_eur
        disregard = self._disregard(earnings, slice(None))
        pop.disregard_months_used[:] += (disregard > 0) & is_on
        sanctioned = is_on & (pop.sanction_months_left > 0)
        cut = np.where(sanctioned, p.sanction_cut_share, 0.0)
        norm = benefit.benefit_norm(
            pop.household, p.benefit_norm_single_eur_per_month, p.benefit_norm_couple_eur_per_month
        )
        paid = benefit.benefit_paid(norm, earnings, disregard, cut)[on]
        pop.benefit_paid_eur[on] = paid
        sanctioned = sanctioned.nonzero()[0]
        pop.sanction_months_left[sanctioned] -= 1
        self.tally["benefit_spending_eur"] += float(paid.sum())
        self.tally["sanctioned_recipients"] += len(sanctioned)

    def impose_sanctions(self) -> None:
        pop, m, p = self.pop, self.month, self.p
        # seen this month and still on benefit (whole-column masks: cheaper than gathering the seen)
        is_on = pop.status == ON_BENEFIT
        candidates = (self.seen_mask & is_on & pop.noncompliant & (pop.sanction_months_left == 0)).nonzero()[0]
        hit = candidates[self.streams.uniform("sanction", m, pop.uid[candidates]) < p.sanction_detection_share]
        months = sanctions.sanction_months(pop.sanction_count[hit], p.sanction_first_months, p.sanction_max_months)
        pop.sanction_months_left[hit] = months
        pop.sanction_count[hit] = np.minimum(pop.sanction_count[hit].astype(np.int16) + 1, 127)
        pop.months_since_sanction[hit] = 0
        pop.motivation[hit] = np.maximum(0.0, pop.motivation[hit] - p.sanction_motivation_loss)
        self.events.add(m, pop.uid[hit], "sanction", months.astype(str))
        self.tally["sanctions_imposed"] += len(hit)
        drop = hit[self.streams.uniform("sanction:dropout", m, pop.uid[hit]) < p.sanction_dropout_share]
        self.end_benefit(drop, OTHER)

        # enforcement: an unjustified benefit that is found ends (seed 001 point 7)
        suspect = ((pop.status == ON_BENEFIT) & pop.unjustified).nonzero()[0]
        found = suspect[self.streams.uniform("fraud", m, pop.uid[suspect]) < p.fraud_detection_per_month]
        pop.unjustified[found] = False
        self.events.add(m, pop.uid[found], "fraud_found")
        self.tally["fraud_found"] += len(found)
        self.end_benefit(found, OTHER)

    def job_loss_and_return(self) -> None:
        pop, m, p = self.pop, self.month, self.p
        working = (pop.employed & (pop.status == OFF_BENEFIT) & (pop.job_start_month < m)).nonzero()[0]
        tenure = m - pop.job_start_month[working]
        hazard = jobs.job_loss_hazard(
            tenure,
            (pop.physical_health[working] < 0.5) | (pop.mental_health[working] < 0.5),
            pop.job_low_quality[working],
            base=p.job_loss_per_month,
            first_year_extra=p.job_loss_first_year_extra_per_month,
            poor_health_multiplier=p.job_loss_poor_health_multiplier,
            low_quality_multiplier=p.post_sanction_job_loss_multiplier,
        )
        for measure in self.hooked["job_loss_hazard"]:
            hazard = measure.job_loss_hazard(self, working, hazard)
        lost = self.streams.uniform("job_loss", m, pop.uid[working]) < hazard
        ended, tenure = working[lost], tenure[lost]
        pop.employed[ended] = False
        pop.months_since_work[ended] = 0
        u = self.streams.uniforms("job_loss:return", m, pop.uid[ended], 3)  # needs bijstand, WW, claim delay
        work_years = p.work_history_share * (pop.age_years[ended] - 18.0)
        delay, back = jobs.months_until_return(
            tenure, jobs.ww_months(work_years, p.ww_months_before_return), u[:, 1], u[:, 2],
            ww_min_tenure=p.ww_min_tenure_months, ww_job_finding=p.ww_job_finding_per_month,
            claim_per_month=p.claim_after_job_loss_per_month,
        )
        back &= u[:, 0] < p.return_after_job_loss_share
        pop.return_month[ended[back]] = m + delay[back]
        self.events.add(m, pop.uid[ended], "job_end", np.where(back, "returns", "other_work_or_income"))
        self.tally["job_ends"] += len(ended)

        pt = ((pop.status == ON_BENEFIT) & (pop.parttime_hours > 0)).nonzero()[0]
        u = self.streams.uniform("parttime", m, pop.uid[pt])
        ends = pt[u < p.parttime_job_end_per_month]
        grows = pt[
            (u >= p.parttime_job_end_per_month) & (u < p.parttime_job_end_per_month + p.parttime_to_fulltime_per_month)
        ]
        self._end_parttime(ends, "ended")
        self.start_jobs(grows, pop.parttime_employer[grows])

    def other_exits(self) -> None:
        pop, m, p = self.pop, self.month, self.p
        is_on = pop.status == ON_BENEFIT
        retire = pop.age_years >= p.pension_age_years
        rows = (is_on & ~retire).nonzero()[0]
        self.end_benefit((is_on & retire).nonzero()[0], PENSION)
        u = self.streams.uniform("exit", m, pop.uid[rows])
        most = p.partner_exit_per_month + p.moved_exit_per_month + p.other_benefit_exit_per_month
        most += p.other_exit_per_month + p.youth_education_exit_per_month
        rows, u = rows[u < most], u[u < most]  # nobody else can leave this month: skip their hazards
        hazards = exits.other_exit_hazards(
            pop.age_years[rows],
            pop.household[rows],
            pop.physical_health[rows] < 0.5,
            ~pop.start_qualification[rows],
            partner=p.partner_exit_per_month,
            moved=p.moved_exit_per_month,
            other_benefit=p.other_benefit_exit_per_month,
            other=p.other_exit_per_month,
            youth_education=p.youth_education_exit_per_month,
        )
        which = exits.pick_competing(hazards, u)
        for col, reason in enumerate((PARTNER, MOVED, OTHER_BENEFIT, OTHER)):
            self.end_benefit(rows[which == col], reason)

    def budget(self) -> None:
        p, t = self.p, self.tally
        spending = t["benefit_spending_eur"]
        allocation = self.allocation_eur_per_month
        t["state_allocation_eur"] = allocation
        t["safety_net_eur"] = benefit.safety_net(
            spending, allocation, p.safety_net_own_risk_share, p.safety_net_full_share
        )
        t["staff_cost_eur"] = float(self.consultants.cost_eur_per_year.sum()) / 12
        t["measure_cost_eur"] = float(sum(measure.cost_eur(self) for measure in self.hooked["cost_eur"]))
        t["budget_balance_eur"] = allocation + t["safety_net_eur"] - spending - t["measure_cost_eur"]

    def record(self) -> None:
        self.last = self._monthly_statistics()
        for measure in self.hooked["monthly"]:
            self.last.update({f"{measure.name}_{k}": v for k, v in measure.monthly(self).items()})
        self.datacollector.collect(self)
        self._advance_clocks()
        if self.month % 12 == 11:
            self.pop.keep(self.pop.status != GONE)

    # =============================================================================== helpers
    @property
    def stock(self) -> int:
        """Recipients on benefit right now."""
        return int(np.count_nonzero(self.pop.status == ON_BENEFIT))

    def per_month_quota(self, name: str, share_of_initial_stock: float) -> int:
        """An integer monthly capacity whose running total tracks share * initial stock * months."""
        rate = share_of_initial_stock * self.p.initial_stock
        return int(math.floor(rate * (self.month + 1)) - math.floor(rate * self.month))

    def _debt_help_waiting_rows(self) -> np.ndarray:
        pop = self.pop
        return ((pop.debt_help_waiting_since >= 0) & (pop.status == ON_BENEFIT)).nonzero()[0]

    def debt_help_waiting_count(self) -> int:
        pop = self.pop
        return int(np.count_nonzero((pop.debt_help_waiting_since >= 0) & (pop.status == ON_BENEFIT)))

    def _disregard(self, earnings: np.ndarray, rows: np.ndarray) -> np.ndarray:
        p, pop = self.p, self.pop
        return benefit.earnings_disregard(
            earnings,
            pop.age_years[rows],
            pop.disregard_months_used[rows],
            pop.debt_arrangement_months_left[rows] > 0,
            share=p.disregard_share,
            cap_eur=p.disregard_cap_eur_per_month,
            max_months=p.disregard_max_months,
            min_age=p.disregard_min_age_years,
        )

    def _enter(self, rows: np.ndarray) -> None:
        """Put people on benefit (their entry_route set): a new spell, a consultant, clocks reset."""
        if len(rows) == 0:
            return
        pop, m = self.pop, self.month
        # caseloads before these people arrive (new claims are appended with status on benefit)
        already = pop.status == ON_BENEFIT
        already[rows] = False
        # counted as weights: a whole-column pass, cheaper than selecting the rows by the mask
        caseload = np.bincount(pop.consultant, weights=already, minlength=len(self.consultants)).astype(np.int64)
        pop.status[rows] = ON_BENEFIT
        for col, value in (
            ("months_on_benefit", 0),
            ("exit_month", -1),
            ("exit_reason", -1),
            ("employed", False),
            ("job_employer", -1),
            ("job_start_month", -1),
            ("job_low_quality", False),
            ("return_month", -1),
            ("disregard_months_used", 0),
            ("sanction_months_left", 0),
            ("months_since_contact", NEVER),
            ("months_with_consultant", 0),
            ("debt_help_waiting_since", -1),
        ):
            getattr(pop, col)[rows] = value
        # new clients go to the consultants with the smallest caseloads (unless a measure decides)
        consultant = np.argsort(caseload, kind="stable")[np.arange(len(rows)) % len(caseload)]
        for measure in self.hooked["assign_consultants"]:
            consultant = measure.assign_consultants(self, rows, consultant)
        pop.consultant[rows] = consultant
        self._open_spells(rows, start_month=np.full(len(rows), m))
        self.events.add(m, pop.uid[rows], "entry", np.asarray(ROUTES, dtype=object)[pop.entry_route[rows]])
        self.tally["entries"] += len(rows)

    def _open_spells(self, rows: np.ndarray, start_month: np.ndarray) -> None:
        pop = self.pop
        values = {
            "uid": pop.uid[rows],
            "start_month": start_month,
            "age_at_start": pop.age_years[rows],
            "entry_route": pop.entry_route[rows],
            "household": pop.household[rows],
            "migrant": pop.migrant[rows],
            "statushouder": pop.statushouder[rows],
            "exempt": pop.exempt[rows],
            **barrier_flags(pop, rows),
        }
        pop.spell_id[rows] = self.spells.append(len(rows), values)

    def end_benefit(self, rows: np.ndarray, reason: int) -> None:
        """Take people off benefit for ``reason``; those who cannot come back leave the model."""
        if len(rows) == 0:
            return
        pop, m = self.pop, self.month
        self._end_parttime(rows[pop.parttime_hours[rows] > 0], "left_benefit")
        pop.status[rows] = GONE if reason in GONE_AT_EXIT else OFF_BENEFIT
        pop.exit_month[rows] = m
        pop.exit_reason[rows] = reason
        pop.sanction_months_left[rows] = 0
        pop.debt_help_waiting_since[rows] = -1
        self.spells.end_month[pop.spell_id[rows]] = m
        self.spells.exit_reason[pop.spell_id[rows]] = reason
        self.events.add(m, pop.uid[rows], "exit", EXIT_REASONS[reason])
        self.tally[f"exits_reason_{EXIT_REASONS[reason]}"] += len(rows)

    def start_jobs(self, rows: np.ndarray, employer: np.ndarray) -> None:
        """People on benefit leave it for a job at ``employer`` (-1: self-employed)."""
        pop = self.pop
        self.end_benefit(rows, WORK)
        self._employ(rows, employer)
        pop.job_low_quality[rows] = pop.months_since_sanction[rows] <= search.POST_SANCTION_MONTHS

    def _employ(self, rows: np.ndarray, employer: np.ndarray) -> None:
        pop, m = self.pop, self.month
        employer = np.asarray(employer, dtype=np.int64)
        own = employer < 0
        safe = np.where(own, 0, employer)
        pop.employed[rows] = True
        pop.job_employer[rows] = employer
        pop.job_start_month[rows] = m
        pop.job_wage_eur[rows] = np.where(own, self.p.fulltime_net_wage_eur_per_month, self.employers.wage_eur[safe])
        pop.months_since_work[rows] = 0
        names = np.asarray(sector_names(), dtype=object)
        detail = np.where(own, "self_employed", names[self.employers.sector[safe]])
        self.events.add(m, pop.uid[rows], "job_start", detail)

    def _divert_to_work(self, rows: np.ndarray) -> None:
        """Claimants mediated into work at the gate: never on benefit, but followed like leavers
        for work, so a job that ends brings them (back) to the gate."""
        if len(rows) == 0:
            return
        pop, m = self.pop, self.month
        uids = pop.uid[rows]
        pop.status[rows] = OFF_BENEFIT
        pop.exit_month[rows] = m
        pop.exit_reason[rows] = WORK
        employer = np.floor(self.streams.uniform("diverted:employer", m, uids) * len(self.employers))
        self._employ(rows, employer.astype(np.int64))
        self.events.add(m, uids, "claim_diverted", "to_work")
        self.tally["claims_diverted_to_work"] += len(uids)

    def _end_parttime(self, rows: np.ndarray, detail: str) -> None:
        pop = self.pop
        pop.parttime_hours[rows] = 0.0
        pop.parttime_earnings_eur[rows] = 0.0
        pop.parttime_employer[rows] = -1
        self.events.add(self.month, pop.uid[rows], "parttime_end", detail)
        self.tally["parttime_ends"] += len(rows)

    def _advance_clocks(self) -> None:
        pop = self.pop
        alive = pop.status != GONE
        on = pop.status == ON_BENEFIT
        pop.age_years[:] += alive * np.float32(1 / 12)
        pop.months_on_benefit[:] += on
        pop.months_on_benefit_total[:] += on
        pop.months_with_consultant[:] += on
        # clocks stop at NEVER, and none is ever set above it: the same as min(clock + 1, NEVER), cheaper
        not_working = alive & ~pop.employed & (pop.parttime_hours == 0)
        pop.months_since_work[:] += not_working & (pop.months_since_work < NEVER)
        for clock in (pop.months_since_contact, pop.months_since_sanction, pop.months_since_activity):
            clock += clock < NEVER

    def _update_ladder(self, is_on: np.ndarray) -> np.ndarray:
        """Store each recipient's participation-ladder step (leavers in work are on step 6; other
        leavers keep theirs); return who are leavers in work. On whole columns: cheaper than
        gathering the recipients' rows."""
        pop = self.pop
        in_work = pop.employed & (pop.status == OFF_BENEFIT)
        steps = ladder.participation_ladder(
            is_on, pop.employed, pop.parttime_earnings_eur > 0, pop.volunteering,
            (pop.months_since_contact < 3) | (pop.months_since_activity < 3),
            pop.mental_health, pop.confidence,
        )
        held = pop.ladder  # in place; small integers, so this is np.where's result, cheaper
        held += (steps - held) * (is_on | in_work)
        return in_work

    def _monthly_statistics(self) -> dict[str, float]:
        # counts over whole columns (with is_on) rather than on the stock's rows: cheaper than gathering
        pop, t = self.pop, self.tally
        is_on = pop.status == ON_BENEFIT
        n = np.count_nonzero(is_on)
        with_earnings = is_on & (pop.parttime_earnings_eur > 0)
        in_work = self._update_ladder(is_on)
        on_ladder = np.bincount(pop.ladder * is_on, minlength=7)  # the stock by step (0: not on benefit)

        def share(flag: np.ndarray) -> float:
            """Share of the stock with ``flag``; a count over n is exactly what .mean() gives."""
            return np.count_nonzero(flag & is_on) / n if n else 0.0

        def count(flag: np.ndarray) -> int:
            return int(np.count_nonzero(flag & is_on))

        exits_by = {f"exits_reason_{r}": t[f"exits_reason_{r}"] for r in EXIT_REASONS}
        exits_total = sum(exits_by.values())
        stats = {
            "month": self.month,
            "stock": n,
            "inflow": t["entries"],
            "new_claims": t["new_claims"],
            "claims_diverted": t["claims_diverted"],
            "claims_diverted_to_work": t["claims_diverted_to_work"],
            "reentries": t["reentries"],
            "exits": exits_total,
            "exits_work": t["exits_reason_work"],
            "exits_other": exits_total - t["exits_reason_work"],
            **exits_by,
            "job_ends": t["job_ends"],
            "parttime_starts": t["parttime_starts"],
            "parttime_ends": t["parttime_ends"],
            "recipients_with_earnings": int(np.count_nonzero(with_earnings)),
            "mean_parttime_earnings_eur": (  # the same values in the same order as the stock's: the same mean
                float(pop.parttime_earnings_eur[with_earnings].mean()) if with_earnings.any() else 0.0),
            "vacancies": t["vacancies"],
            "applications": t["applications"],
            "offers": t["offers"],
            "contacts": t["contacts"],
            "sanctions_imposed": t["sanctions_imposed"],
            "sanctioned_recipients": t["sanctioned_recipients"],
            "fraud_found": t["fraud_found"],
            "debt_help_starts": t["debt_help_starts"],
            "debt_help_waiting": self.debt_help_waiting_count(),
            "in_debt_arrangement": count(pop.debt_arrangement_months_left > 0),
            # a sum of integers is exact in any order, so this is what .mean() of the stock's months gives
            "mean_months_on_benefit": int(np.sum(pop.months_on_benefit * is_on)) / n if n else 0.0,
            "share_on_benefit_5y_plus": share(pop.months_on_benefit >= 60),
            **{f"ladder_{k}": int(on_ladder[k]) for k in range(1, 6)},
            "ladder_6": int(np.count_nonzero(in_work)),
            "benefit_spending_eur": t["benefit_spending_eur"],
            "state_allocation_eur": t["state_allocation_eur"],
            "safety_net_eur": t["safety_net_eur"],
            "staff_cost_eur": t["staff_cost_eur"],
            "measure_cost_eur": t["measure_cost_eur"],
            "budget_balance_eur": t["budget_balance_eur"],
        }
        flags = barrier_flags(pop, slice(None))
        stats.update({f"share_{b}": share(flags[b]) for b in BARRIERS})
        stats.update(
            {
                "share_age_under_27": share(pop.age_years < 27),
                "share_age_45_plus": share(pop.age_years >= 45),
                "share_migrant": share(pop.migrant),
                "share_single": share(pop.household == 0),
                "share_exempt": share(pop.exempt),
            }
        )
        return stats

    # ================================================================================= set-up
    def _create_consultants(self) -> Consultants:
        p = self.p
        n = max(1, math.ceil(p.initial_stock / p.caseload_per_consultant))
        cons = Consultants(n)
        rows = cons.append(n)
        cons.neighbourhood[:] = rows % p.neighbourhoods
        cons.client_hours_per_month[:] = p.consultant_client_hours_per_month
        cons.cost_eur_per_year[:] = p.consultant_cost_eur_per_year
        return cons

    def _create_initial_stock(self) -> None:
        p, pop = self.p, self.pop
        uids = np.arange(p.initial_stock, dtype=np.int64)
        self.next_uid = p.initial_stock
        people = draw_initial_stock(self.streams, uids, p)
        rows = pop.append(len(uids), {"uid": uids, **people})
        pop.consultant[rows] = rows % len(self.consultants)
        pop.months_with_consultant[rows] = np.minimum(pop.months_on_benefit[rows], 24)
        u = self.streams.uniform("stock:debt_help", -1, uids)
        arranged = pop.debt[rows] & (u < p.stock_share_debtors_in_arrangement)
        pop.debt_arrangement_months_left[rows[arranged]] = 1 + np.floor(
            self.streams.uniform("stock:debt_help_left", -1, uids[arranged]) * p.debt_arrangement_months
        ).astype(np.int16)
        # part-time work at the start goes to the more employable (few barriers, short duration)
        flags = barrier_flags(pop, rows)
        n_barriers = sum(flags.values())
        weight = np.exp(-0.5 * n_barriers) * np.exp(-pop.months_on_benefit[rows] / 120)
        weight /= weight.mean()
        works = self.streams.uniform("stock:parttime", -1, uids) < p.stock_share_with_earnings * weight
        part = rows[works & ~pop.exempt[rows]]
        hours = p.parttime_hours_per_week_min + (
            p.parttime_hours_per_week_max - p.parttime_hours_per_week_min
        ) * self.streams.uniform("stock:hours", -1, pop.uid[part])
        pop.parttime_hours[part] = hours
        pop.parttime_earnings_eur[part] = hours * WEEKS_PER_MONTH * p.parttime_net_wage_eur_per_hour
        pop.parttime_employer[part] = np.floor(
            self.streams.uniform("stock:employer", -1, pop.uid[part]) * len(self.employers)
        ).astype(np.int32)
        pop.disregard_months_used[part] = p.disregard_max_months  # long-standing jobs: disregard used up
        pop.months_since_work[part] = 0
        self._open_spells(rows, start_month=-pop.months_on_benefit[rows].astype(np.int32))

    def _create_recent_leavers(self) -> None:
        """People who left benefit in the follow-up window before month 0 and are still off it.

        Without them nobody could return in the first months and inflow would start too low.
        Each past month had about one month's inflow of leavers (a stable stock); they leave for
        work, with a partner or for other reasons in the shares of the calibrated baseline
        (RECENT_LEAVER_SHARES; moving, pension and other benefits never return, so they need no
        rows), and survive to month 0 by the model's own job-loss and return hazards.
        """
        p, pop = self.p, self.pop
        k = np.arange(1, p.followup_months + 1)  # months since leaving
        per_month = p.inflow_new_claims_per_month_share * p.initial_stock
        n = int(round(per_month * len(k)))
        uids = np.arange(self.next_uid, self.next_uid + n, dtype=np.int64)
        self.next_uid += n
        people = draw_new_claimants(self.streams, -1, uids, p)
        u = self.streams.uniforms("leaver", -1, uids, 4)  # months ago, reason, survival, employer
        ago = k[np.floor(u[:, 0] * len(k)).astype(np.int64)]
        which = exits.pick_competing(np.tile(list(RECENT_LEAVER_SHARES.values()), (n, 1)), u[:, 1])
        reason = np.where(which >= 0, np.array(list(RECENT_LEAVER_SHARES))[which], -1)
        # chance of still being off benefit at month 0
        tenure_hazard = jobs.job_loss_hazard(
            np.arange(p.followup_months), np.zeros(p.followup_months, bool), np.zeros(p.followup_months, bool),
            base=p.job_loss_per_month, first_year_extra=p.job_loss_first_year_extra_per_month,
            poor_health_multiplier=1.0, low_quality_multiplier=1.0,
        ) * p.return_after_job_loss_share
        # a job cannot end in its start month, and a leaver can come back from the month after leaving
        still_off_work = np.concatenate(([1.0], np.cumprod(1 - tenure_hazard[1:])))[ago - 1]
        return_hazard = np.where(reason == PARTNER, p.partner_return_per_month, p.other_return_per_month)
        still_off = np.where(reason == WORK, still_off_work, (1 - return_hazard) ** (ago - 1))
        keep = (reason >= 0) & (u[:, 2] < still_off)
        rows = pop.append(int(keep.sum()), {"uid": uids[keep], **{c: v[keep] for c, v in people.items()}})
        ago, reason = ago[keep], reason[keep]
        pop.age_years[rows] += (ago / 12).astype(np.float32)
        pop.status[rows] = OFF_BENEFIT
        pop.exit_month[rows] = -ago
        pop.exit_reason[rows] = reason
        work = rows[reason == WORK]
        employer = np.floor(u[keep][reason == WORK, 3] * len(self.employers)).astype(np.int32)
        pop.employed[work] = True
        pop.job_employer[work] = employer
        pop.job_start_month[work] = -ago[reason == WORK]
        pop.job_wage_eur[work] = self.employers.wage_eur[employer]
        pop.months_since_work[work] = 0

    def _initial_spending(self) -> float:
        p, pop = self.p, self.pop
        on = pop.on_benefit()
        norm = benefit.benefit_norm(
            pop.household[on], p.benefit_norm_single_eur_per_month, p.benefit_norm_couple_eur_per_month
        )
        return float(benefit.benefit_paid(norm, pop.parttime_earnings_eur[on], 0.0, 0.0).sum())

    # ============================================================================ inspection
    def recipient(self, uid: int) -> dict:
        """A read-only snapshot of one recipient (all columns) by uid."""
        row = int(self.pop.rows_of(np.array([uid]))[0])
        return {name: getattr(self.pop, name)[row].item() for name in self.pop.schema}


HOOKS = ("admit_claims", "divert_to_work", "assign_consultants", "contact_weight", "contact_effect",
         "debt_help_capacity", "services", "search_effort", "vacancies", "offer_probability", "max_offer_multiplier",
         "job_loss_hazard", "cost_eur", "monthly")  # Measure's hooks of the month


def _overrides(measure: Measure, hook: str) -> bool:
    """Whether ``measure`` does something of its own at ``hook`` (the base class's does nothing)."""
    own = getattr(measure, hook)
    return getattr(own, "__func__", own) is not getattr(Measure, hook)


# Exit shares of the calibrated baseline, for the leavers before month 0 who can come back
RECENT_LEAVER_SHARES = {WORK: 0.49, PARTNER: 0.08, OTHER: 0.22}

MONTHLY_COLUMNS = (
    "month",
    "stock",
    "inflow",
    "new_claims",
    "claims_diverted",
    "claims_diverted_to_work",
    "reentries",
    "exits",
    "exits_work",
    "exits_other",
    *(f"exits_reason_{r}" for r in EXIT_REASONS),
    "job_ends",
    "parttime_starts",
    "parttime_ends",
    "recipients_with_earnings",
    "mean_parttime_earnings_eur",
    "vacancies",
    "applications",
    "offers",
    "contacts",
    "sanctions_imposed",
    "sanctioned_recipients",
    "fraud_found",
    "debt_help_starts",
    "debt_help_waiting",
    "in_debt_arrangement",
    "mean_months_on_benefit",
    "share_on_benefit_5y_plus",
    *(f"ladder_{k}" for k in range(1, 7)),
    "benefit_spending_eur",
    "state_allocation_eur",
    "safety_net_eur",
    "staff_cost_eur",
    "measure_cost_eur",
    "budget_balance_eur",
    *(f"share_{b}" for b in BARRIERS),
    "share_age_under_27",
    "share_age_45_plus",
    "share_migrant",
    "share_single",
    "share_exempt",
)
