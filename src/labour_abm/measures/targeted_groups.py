"""Targeted groups: work placements for statushouders and individual placement and support (IPS)."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.labour_market import sector_names
from ..core.population import OFF_BENEFIT, lacks
from ..core.rules import barriers
from ..core.statistics import MonthlyColumn
from ..core.transitions import start_jobs
from .base import Measure, MeasureParams
from .service import Service, UidSet, uid_mask


class TargetedGroupsParams(MeasureParams):
    placement_places_per_1000_recipients: float = Field(
        5.0, ge=0, le=500,
        description="Work placements for statushouders in municipal maintenance at one time, per 1,000 initial "
        "recipients (assumption; seed 004: a pilot at Groningen's city maintenance).",
    )
    placement_months: int = Field(12, ge=1, le=36, description="Months of one placement (assumption).")
    placement_dutch_gain_per_month: float = Field(
        0.02, ge=0, le=0.5,
        description="Rise of the Dutch score per month on the job (assumption: half the pace of an intensive "
        "course in language_centre).",
    )
    placement_hire_share: float = Field(
        0.3, ge=0, le=1,
        description="Share of those who complete a placement that get a job at a public employer (assumption).",
    )
    ips_places_per_1000_recipients: float = Field(
        5.0, ge=0, le=500,
        description="IPS places at one time per 1,000 initial recipients (assumption; seed 000: an own approach "
        "for psychologically vulnerable people).",
    )
    ips_months: int = Field(12, ge=1, le=36, description="Months of IPS job coaching (assumption).")
    ips_min_motivation: float = Field(
        0.5, ge=0, le=1, description="Lowest motivation score admitted (IPS: anyone who wants to work)."
    )
    ips_offer_multiplier: float = Field(
        2.0, ge=1, le=5,
        description="Offer chance of an IPS participant's applications relative to without (a job coach who "
        "knows employers: like a consultant's referral, referral_hire_multiplier 2.0; Michon et al. 2014: IPS "
        "raised competitive employment of people with severe mental illness in the Netherlands; Bond, Drake & "
        "Becker 2012: about twice the employment rate of other vocational services).",
    )
    ips_job_loss_multiplier: float = Field(
        0.7, ge=0, le=1,
        description="Job-loss hazard of jobs found through IPS relative to others (follow-along support; "
        "assumption on size; Bond, Drake & Becker 2012: IPS workers keep jobs longer).",
    )
    placement_cost_per_participant_month_eur: float = Field(
        500.0, ge=0, le=10000,
        description="Cost of one placement month: supervision and equipment (assumption; the benefit continues).",
    )
    ips_cost_per_participant_month_eur: float = Field(
        350.0, ge=0, le=10000,
        description="Cost of one IPS month (assumption: an IPS job coach at about EUR 75k a year with 18 clients).",
    )


class TargetedGroups(Measure):
    """Own approaches for special groups: statushouders and people who are psychologically
    vulnerable (seed 000: 'for special groups such as the psychologically vulnerable and
    statushouders an own approach is developed'; seed 004: a pilot placing statushouders in the
    city's maintenance service).

    Mechanism: two services, each with its own places and waiting list. Placements:
    statushouders on benefit who do not work part-time join the waiting list when a consultant
    sees them; a placement at the municipality counts as work: their Dutch improves on the job,
    work experience grows, their sector becomes public, time out of work stops counting,
    confidence, motivation and mental health recover as in work, and the duty to apply is waived
    while placed (so they search little). A share of those who complete it get a job at a
    public employer: an open vacancy of a public employer where there is one (which nobody else
    then gets), else a job the municipality creates for them. The placement itself is a work
    experience place on benefit and takes no vacancy. IPS (individual placement and support):
    recipients in poor mental health who want to work get a job coach, whose contacts raise the
    offer chance of their applications; jobs found while in IPS are kept longer (follow-along
    support).
    Cost: per participant-month of each service.
    """

    name = "targeted_groups"
    Params = TargetedGroupsParams
    sources = "seed 000; seed 004; Michon et al. 2014; Bond, Drake & Becker 2012"
    monthly_columns = (
        MonthlyColumn("placement_participants", "people", "Stock: statushouders on a placement this month."),
        MonthlyColumn("placement_waiting", "people", "Stock: the placement waiting list."),
        MonthlyColumn("placement_hired", "people", "Cumulative: hires at a public employer after a placement."),
        MonthlyColumn("ips_participants", "people", "Stock: people in IPS this month."),
        MonthlyColumn("ips_waiting", "people", "Stock: the IPS waiting list."),
        MonthlyColumn("ips_in_work", "people", "Stock at the `services` step: people in a job found while in IPS, "
                      "still in that job."),
    )

    def setup(self, model):
        per_1000 = model.p.initial_stock / 1000
        p = self.p
        self.placement = Service(f"{self.name}_placement", round(p.placement_places_per_1000_recipients * per_1000),
                                 p.placement_months)
        self.ips = Service(f"{self.name}_ips", round(p.ips_places_per_1000_recipients * per_1000), p.ips_months)
        self.public = sector_names().index("public")
        self.public_employers = (model.employers.sector == self.public).nonzero()[0]
        self.placed = UidSet()  # ever placed (once is enough)
        self.ips_worker_uid = np.empty(0, np.int64)  # in a job found while in IPS
        self.hired = 0

    @property
    def placed_uid(self) -> np.ndarray:
        return self.placed.uids

    def services(self, model):
        self._placements(model)
        self._ips(model)

    # ------------------------------------------------------------------------ placements
    def _placements(self, model):
        pop, m, mp = model.pop, model.month, model.p
        done = self.placement.finishing_rows(model)
        eligible = pop.statushouder & ~pop.exempt & (pop.parttime_hours == 0) & ~self.placed.rows(model)
        rows = self.placement.step(model, eligible)
        self.placed.add(self.placement.uid)
        self._waive_duty(model, rows)

        pop.dutch[rows] = np.minimum(1.0, pop.dutch[rows] + self.p.placement_dutch_gain_per_month)
        pop.experience_years[rows] += np.float32(1 / 12)
        pop.sector[rows] = self.public
        pop.months_since_work[rows] = 0
        for col in (pop.confidence, pop.motivation, pop.mental_health):
            col[rows] = barriers.recover(col[rows], mp.recovery_in_work_per_month, np.ones(len(rows), bool))

        if len(done) and len(self.public_employers):
            u = model.streams.uniforms(f"{self.name}:placement_hire", m, pop.uid[done], 2)
            hire = u[:, 0] < self.p.placement_hire_share
            pick = np.floor(u[hire, 1] * len(self.public_employers)).astype(np.int64)
            employer = self.public_employers[pick]
            # the jobs are open vacancies at public employers where there are any; the others are jobs the
            # municipality creates for them (as for the garantiebanen of the Participatiewet)
            market = model.labour_market
            public = model.employers.sector[market.employer] == self.public
            filled = market.take(len(employer), model.streams.uniform(f"{self.name}:vacancy", m, market.uid), public)
            employer[: len(filled)] = filled
            np.add.at(model.employers.hires_from_bijstand, employer, 1)
            start_jobs(model, done[hire], employer)
            self.hired += int(hire.sum())

    @staticmethod
    def _waive_duty(model, rows):
        """No job-search duty while on a placement (the core restores it each month)."""
        model.pop.job_search_duty[rows] = False

    # ------------------------------------------------------------------------------- IPS
    def _ips(self, model):
        pop = model.pop
        # participants who left benefit for a job last month found it through IPS
        r = np.searchsorted(pop.uid, self.ips.uid)
        r = np.minimum(r, max(len(pop) - 1, 0))
        found = (pop.uid[r] == self.ips.uid) & pop.employed[r] & (pop.status[r] == OFF_BENEFIT)
        self.ips_worker_uid = np.union1d(self.ips_worker_uid, self.ips.uid[found])
        if len(self.ips_worker_uid):  # follow-along support lasts while that job lasts
            r = np.searchsorted(pop.uid, self.ips_worker_uid)
            r = np.minimum(r, max(len(pop) - 1, 0))
            keep = (pop.uid[r] == self.ips_worker_uid) & pop.employed[r] & (pop.status[r] == OFF_BENEFIT)
            self.ips_worker_uid = self.ips_worker_uid[keep]
        eligible = lacks(pop.mental_health) & (pop.motivation >= self.p.ips_min_motivation)
        self.ips.step(model, eligible)

    def offer_probability(self, model, person, employer, p):
        if self.ips.participants == 0 or len(person) == 0:
            return p
        coached = uid_mask(model, self.ips.uid)[person]
        return np.clip(p * np.where(coached, self.p.ips_offer_multiplier, 1.0), 0.0, 1.0)

    def max_offer_multiplier(self, model, person):
        return np.where(uid_mask(model, self.ips.uid)[person], self.p.ips_offer_multiplier, 1.0)

    def job_loss_hazard(self, model, rows, hazard):
        if len(self.ips_worker_uid) == 0:
            return hazard
        supported = uid_mask(model, self.ips_worker_uid)[rows]
        return hazard * np.where(supported, self.p.ips_job_loss_multiplier, 1.0)

    # ---------------------------------------------------------------------------- budget
    def cost_eur(self, model):
        return (self.placement.participants * self.p.placement_cost_per_participant_month_eur
                + self.ips.participants * self.p.ips_cost_per_participant_month_eur)

    def monthly(self, model):
        return {
            "placement_participants": self.placement.participants,
            "placement_waiting": self.placement.waiting,
            "placement_hired": self.hired,
            "ips_participants": self.ips.participants,
            "ips_waiting": self.ips.waiting,
            "ips_in_work": len(self.ips_worker_uid),
        }
