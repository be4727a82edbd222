"""Own plan: every client writes an own plan for finding work (self-direction)."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.population import ON_BENEFIT
from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams


class OwnPlanParams(MeasureParams):
    motivation_gain: float = Field(
        0.1, ge=0, le=1,
        description="Share of the gap between motivation and 1 that writing an own plan closes, once. Self-"
        "determination theory (Deci & Ryan 2000: autonomy supports motivation); size is an assumption.",
    )
    search_boost: float = Field(
        0.15, ge=0, le=2,
        description="Relative rise in search effort after writing the plan. Abel, Burger, Carranza & Piraino "
        "2019 (AEJ Applied, field experiment): a job-search plan raised applications by 15%.",
    )
    boost_months: int = Field(
        6, ge=0, le=120,
        description="Months the search boost lasts after the plan is written (assumption).",
    )
    consultant_hours_per_plan: float = Field(
        2.0, ge=0, le=40,
        description="Consultant hours to help write and discuss one plan (assumption).",
    )
    hours_per_fte_month: float = Field(
        156.0, ge=1, le=200,
        description="Working hours of one consultant FTE per month (36 h/week x 52/12; assumption as in "
        "params.consultant_client_hours_per_month).",
    )


class OwnPlan(Measure):
    """Self-direction: every client is asked to write an own plan for finding work: what do I want, what do I
    need? (seed 001 point 4).

    Mechanism: when a consultant sees a client who has no plan in the current benefit spell, the client writes
    one (a returner writes a new one). Writing it closes a share ``motivation_gain`` of the gap between the
    client's motivation and 1 (autonomy; self-determination theory), and for ``boost_months`` months the
    client searches ``search_boost`` more (a plan turns intentions into applications; Abel et al. 2019).
    Higher motivation also raises search later on, until it erodes again. The plan's hours are paid on top
    (they do not take contacts from other clients).

    Cost: consultant hours per plan written, at the consultant FTE cost per working hour.

    Read its effect as an upper bound: in the Dutch Participatiewet experiments (2017-2019, six
    municipalities; Sanders et al. 2020, "Experimenten Participatiewet: weten wat werkt voor wie")
    more room for self-direction did not raise the outflow to full-time work significantly. The
    defaults rest on a job-search-plan field experiment abroad and an assumed motivation gain;
    ``motivation_gain = 0`` with a smaller ``search_boost`` gives a conservative reading.
    """

    name = "own_plan"
    Params = OwnPlanParams
    sources = "seed 001 point 4; Abel et al. 2019; Deci & Ryan 2000; Sanders et al. 2020"
    monthly_columns = (
        MonthlyColumn("plans_written", "plans/month", "Flow: plans written this month."),
        MonthlyColumn("with_plan", "people", "Stock: recipients on benefit at the `services` step whose current spell "
                      "has a plan."),
    )

    def setup(self, model):
        self.month_written = np.full(1024, -1, np.int32)  # by spell id (dense): month the plan was written
        self.uid = np.empty(0, np.int64)  # who wrote a plan (once per spell): a record for analysis and tests
        self._written = self._with_plan = 0

    @property
    def spell(self) -> np.ndarray:
        """Spells with a plan."""
        return (self.month_written >= 0).nonzero()[0]

    def _written_in(self, model, rows):
        """Month the plan of each row's current spell was written (-1: no plan yet)."""
        spells = model.pop.spell_id[rows]
        if len(spells):
            self._grow(int(spells.max()) + 1)
        return self.month_written[spells]

    def _grow(self, n_spells: int) -> None:
        if n_spells > len(self.month_written):
            grown = np.full(max(2 * len(self.month_written), n_spells), -1, np.int32)
            grown[: len(self.month_written)] = self.month_written
            self.month_written = grown

    def services(self, model):
        pop, m = model.pop, model.month
        seen = (model.now.seen_mask & (pop.status == ON_BENEFIT)).nonzero()[0]  # not who left earlier this month
        new = seen[self._written_in(model, seen) < 0]
        self._written = len(new)
        if self.p.motivation_gain > 0:
            gain = np.float32(self.p.motivation_gain)
            pop.motivation[new] = pop.motivation[new] + gain * (1 - pop.motivation[new])
        self.month_written[pop.spell_id[new]] = m
        self.uid = np.concatenate((self.uid, pop.uid[new]))
        # recipients with a plan: their open spell has one (every recipient has one open spell)
        spells = model.spells
        self._grow(len(spells))
        self._with_plan = int(np.count_nonzero((self.month_written[: len(spells)] >= 0) & (spells.end_month < 0)))

    def search_effort(self, model, rows, effort):
        if self.p.search_boost == 0:
            return effort
        written = self._written_in(model, rows)
        active = (written >= 0) & (model.month - written < self.p.boost_months)
        return effort * np.where(active, 1.0 + self.p.search_boost, 1.0)

    def cost_eur(self, model):
        per_hour = model.p.consultant_cost_eur_per_year / 12 / self.p.hours_per_fte_month
        return self._written * self.p.consultant_hours_per_plan * per_hour

    def monthly(self, model):
        return {"plans_written": self._written, "with_plan": self._with_plan}
