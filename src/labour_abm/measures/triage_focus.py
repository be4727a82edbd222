"""Triage: intensive help for the motivated and job-ready; people far from work get care first."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.population import ON_BENEFIT, barrier_count, lacks
from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams
from .service import row_mask


class TriageFocusParams(MeasureParams):
    ready_weight: float = Field(
        2.0, ge=0, le=20,
        description="Multiplier of the contact weight (share of a consultant's hours) of job-ready, motivated "
        "clients. Seed 001 point 3 (focus on the motivated, most employable); seed 004 ('focus on those who "
        "want'); size is an assumption.",
    )
    far_weight: float = Field(
        0.5, ge=0, le=20,
        description="Multiplier of the contact weight of clients far from work (they get care first, not job "
        "coaching). Seed 002 (Eindhoven: care first); size is an assumption.",
    )
    care_first_duty_waiver: bool = Field(
        False,
        description="Clients far from work have their job-application duty waived while in the care-first "
        "track (no sanctions; restored when they are no longer far from work). Seed 002 (Eindhoven). Off by "
        "default: without care (switch care_first on too) the waiver only lowers their search.",
    )
    ready_min_motivation: float = Field(
        0.5, ge=0, le=1,
        description="Motivation score from which a client counts as motivated (scores below 0.5 are the "
        "model's barrier threshold; core.population.BARRIER_BELOW). Seed 001 point 3.",
    )
    ready_max_barriers: int = Field(
        1, ge=0, le=8,
        description="Most barriers (of the eight in population.BARRIERS) a job-ready client has (assumption).",
    )
    far_min_barriers: int = Field(
        4, ge=1, le=8,
        description="Barriers from which a client counts as far from work; poor mental health alone also counts "
        "(about 43% of the stock; with 3, 53%, as lacking a start qualification is common). Seed 002 (Eindhoven: "
        "far from work with many personal problems); seed 004 (health, literacy, debts, confidence); threshold "
        "is an assumption.",
    )
    cost_per_assessment_eur: float = Field(
        100.0, ge=0, le=10000,
        description="Cost of triaging one client: the initial stock in month 0, then each client entering benefit "
        "(assumption: about two consultant hours at EUR 75,000 / ~1,560 hours a year).",
    )


class TriageFocus(Measure):
    """Triage: concentrate intensive help on motivated, job-ready clients; people far from work get care first
    (seed 001 point 3; Eindhoven in seed 002; seed 004: focus on those who want).

    Mechanism: every month clients are sorted by their state. Job-ready (motivated, at most
    ``ready_max_barriers`` barriers) get ``ready_weight`` times the consultant's attention; those far from
    work (``far_min_barriers`` or more barriers, or poor mental health) get ``far_weight`` times. The
    consultants' hours are unchanged, so attention moves between groups: the job-ready are seen more often
    (motivation, confidence, referrals to vacancies, debt help), the far from work less. Far-from-work clients
    are in the care-first track; with ``care_first_duty_waiver`` (off by default) their job-application duty
    is waived while they are far from work (they search less, as under older_exemption, and cannot be sanctioned). The
    care itself is not part of this measure (combine with care_first or debt_help).

    Cost: one triage assessment per client: the whole initial stock in month 0, then each client entering
    benefit (new claims and returners).
    """

    name = "triage_focus"
    Params = TriageFocusParams
    sources = "seed 001 point 3; seed 002 (Eindhoven); seed 004"
    monthly_columns = (
        MonthlyColumn("ready", "people", "Stock at this month's contacts: job-ready clients."),
        MonthlyColumn("far", "people", "Stock at this month's contacts: clients far from work."),
        MonthlyColumn("contacts_ready", "people/month", "Flow: this month's contacts with job-ready clients."),
        MonthlyColumn("contacts_far", "people/month", "Flow: this month's contacts with clients far from work."),
        MonthlyColumn("care_first", "people", "Stock: clients far from work whose duty the measure waived (0 unless "
                      "`care_first_duty_waiver` is on)."),
        MonthlyColumn("assessed", "people/month", "Flow: triage assessments this month (everyone on benefit in month "
                      "0, then everyone who entered benefit)."),
    )

    def setup(self, model):
        self.ready = self.far = np.zeros(0, bool)  # by population row, at this month's contacts
        self._assessed = 0
        self._stats = {c.name: 0 for c in self.monthly_columns}

    def groups(self, model, rows=None):
        """Job-ready and far-from-work masks for population rows (all rows when None)."""
        pop, p = model.pop, self.p
        n_barriers = barrier_count(pop)  # on whole columns (cheaper), then indexed
        far = (n_barriers >= p.far_min_barriers) | lacks(pop.mental_health)
        ready = (pop.motivation >= p.ready_min_motivation) & (n_barriers <= p.ready_max_barriers) & ~far
        return (ready, far) if rows is None else (ready[rows], far[rows])

    def contact_weight(self, model, rows, weight):
        ready, far = self.groups(model)
        in_rows = row_mask(model, rows)
        self.ready, self.far = ready & in_rows, far & in_rows
        if self.p.ready_weight == 1.0 and self.p.far_weight == 1.0:
            return weight
        # the groups are disjoint: each row's factor looked up by group (0 neither, 1 ready, 2 far)
        factor = np.array([1.0, self.p.ready_weight, self.p.far_weight])
        return weight * factor.take((ready + 2 * far.view(np.int8))[rows])

    def services(self, model):
        pop = model.pop
        is_on = pop.status == ON_BENEFIT
        self._assessed = model.stock if model.month == 0 else np.count_nonzero((pop.months_on_benefit == 0) & is_on)
        seen = model.now.seen_mask
        self._stats.update(
            ready=np.count_nonzero(self.ready), far=np.count_nonzero(self.far),
            contacts_ready=np.count_nonzero(self.ready & seen), contacts_far=np.count_nonzero(self.far & seen),
        )
        if self.p.care_first_duty_waiver:
            on = is_on.nonzero()[0]
            _, far = self.groups(model, on)
            pop.job_search_duty[on[far]] = False  # the core restores every duty at the start of the month
            self._stats["care_first"] = int(far.sum())
        else:
            self._stats["care_first"] = 0

    def cost_eur(self, model):
        return self._assessed * self.p.cost_per_assessment_eur

    def monthly(self, model):
        return {**self._stats, "assessed": self._assessed}
