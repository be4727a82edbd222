"""Debt help: more capacity for debt arrangements, so the waiting list moves faster."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams


class DebtHelpParams(MeasureParams):
    extra_arrangements_per_month_share: float = Field(
        0.002, ge=0, le=0.2,
        description="Extra debt arrangements started per month, as a share of the initial stock (the default "
        "adds half to the baseline capacity of 0.004; seed 003: Arnhem went from 382 people in 2019 to 562 in "
        "half of 2020, about 3x).",
    )
    cost_per_arrangement_eur: float = Field(
        2500.0, ge=0, le=100000,
        description="Cost of one debt-help trajectory (assumption: order of NVVK/Divosa figures).",
    )


class DebtHelp(Measure):
    """Expands municipal debt help (seed 003 Arnhem; Den Haag in seed 002).

    Mechanism: debtors seen by a consultant join the waiting list with the baseline uptake chance
    (``debt_help_uptake_per_contact``: many never seek help); capacity sets how
    many start a ~3-year arrangement each month, the longest waiting first. In an arrangement
    the debt stress on search halves and employers' debt screening bites half as hard, while the
    earnings disregard gives nothing (earnings go to creditors); at its end the debt is gone
    (issue 3). The core applies this to every arrangement, so the measure only adds capacity.
    Cost: one trajectory per extra arrangement actually started (extra capacity left unused
    because nobody is waiting costs nothing). Monthly columns: the extra arrangements started
    and the mean months waited by those still on the waiting list.
    """

    name = "debt_help"
    Params = DebtHelpParams
    sources = "seed 003; seed 002 (Den Haag)"
    monthly_columns = (
        MonthlyColumn("extra_started", "people/month", "Flow: extra debt arrangements used this month (the ones the "
                      "measure pays for)."),
        MonthlyColumn("mean_wait_months", "months", "Mean months waited so far by the recipients on benefit on the "
                      "debt-help list at the end of the month (0 if nobody waits)."),
    )

    def setup(self, model):
        self._extra_started = 0

    def debt_help_capacity(self, model, capacity):
        extra = model.now.quota(self.p.extra_arrangements_per_month_share * model.p.initial_stock)
        waiting = int(np.count_nonzero(model.pop.waiting_for_debt_help()))
        self._extra_started = min(max(waiting - capacity, 0), extra)
        return capacity + extra

    def cost_eur(self, model):
        return self._extra_started * self.p.cost_per_arrangement_eur

    def monthly(self, model):
        pop = model.pop
        waiting = pop.waiting_for_debt_help()
        wait = model.month - pop.debt_help_waiting_since[waiting]
        return {"extra_started": self._extra_started, "mean_wait_months": float(wait.mean()) if len(wait) else 0.0}
