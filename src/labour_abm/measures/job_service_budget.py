"""Job service budget: restore (or cut) the capacity of the job service, its consultants' client hours."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams


class JobServiceBudgetParams(MeasureParams):
    capacity_factor: float = Field(
        1.2, ge=0.1, le=3,
        description="Consultant client hours relative to now: above 1 restores or expands the job service, below "
        "1 cuts it. Seed 001 point 10 (reverse the budget cut on the job service); the size of the cut is not "
        "given there, 20% is an assumption.",
    )


class JobServiceBudget(Measure):
    """The job service's budget: reverse the cut on the werkbedrijf, or cut it (seed 001 point 10: 'reverse the
    budget cut on the job service'; seed 001 intro: the college cut support for finding work).

    Mechanism: at set-up every consultant's client hours are multiplied by ``capacity_factor`` (the budget buys
    more or fewer consultant hours; the way of working does not change). Contacts per client, and with them
    motivation, confidence, referrals to vacancies, detection of non-compliance and referrals to debt help,
    move with the hours. Set-up runs in the order the measures are listed, so consultants added by a measure
    listed later (personal_approach) are not scaled.

    Cost: (factor - 1) x the consultants' staff cost at set-up, per month. A cut (factor < 1) gives a negative
    cost: the saving on staff.
    """

    name = "job_service_budget"
    Params = JobServiceBudgetParams
    sources = "seed 001 points 10 and intro"
    monthly_columns = (
        MonthlyColumn("client_hours", "hours/month", "Consultants' client hours per month in total, after the change "
                      "(constant)."),
    )

    def setup(self, model):
        cons = model.consultants
        self._staff_eur_per_month = float(cons.cost_eur_per_year.sum()) / 12
        if self.p.capacity_factor != 1.0:
            cons.client_hours_per_month[:] = cons.client_hours_per_month * np.float32(self.p.capacity_factor)

    def cost_eur(self, model):
        return (self.p.capacity_factor - 1.0) * self._staff_eur_per_month

    def monthly(self, model):
        return {"client_hours": float(model.consultants.client_hours_per_month.sum())}
