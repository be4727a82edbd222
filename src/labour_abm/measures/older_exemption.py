"""Older exemption: no job-application duty for older recipients."""

from __future__ import annotations

from pydantic import Field

from ..core.population import ON_BENEFIT
from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams


class OlderExemptionParams(MeasureParams):
    min_age_years: float = Field(
        60.0, ge=18, le=75,
        description="Age from which recipients have no job-application duty. Seed 002 (Rotterdam scrapped the "
        "duty for older job seekers); NOS 2018-10 ('Rotterdam schrapt sollicitatieplicht voor 60-plusser in de "
        "bijstand', about 5,400 people). Above the pension age nobody is exempted; 27 gives the exemption arm of "
        "the Participatiewet experiments (data/evidence.toml).",
    )


class OlderExemption(Measure):
    """No job-application duty for older recipients (Rotterdam in seed 002: the sollicitatieplicht scrapped for
    older job seekers in bijstand; NOS 2018: for those aged 60 and over).

    Mechanism: each month, before the search, recipients on benefit aged ``min_age_years`` or more lose the duty
    to apply (the core restores every duty at the start of each month). Those in good health lose what the
    duty's push adds to their search (``waived_duty_search_share``, calibrated on the exemption arms of the
    Participatiewet trials), those in poor health search as the exempt do; none can be non-compliant, so
    none is sanctioned. Younger recipients are untouched.
    Other support stays (they are still seen by their consultant).

    Cost: none in the model: the exemption needs no staff or budget of its own (the monitoring time it saves is
    not counted as a saving).
    """

    name = "older_exemption"
    Params = OlderExemptionParams
    sources = "seed 002 (Rotterdam); NOS 2018-10"
    monthly_columns = (
        MonthlyColumn("exempted", "people", "Stock: recipients on benefit whose job-search duty the measure waived "
                      "this month."),
    )

    def setup(self, model):
        self.exempted = 0

    def services(self, model):
        pop = model.pop
        older = ((pop.status == ON_BENEFIT) & (pop.age_years >= self.p.min_age_years)).nonzero()[0]
        pop.job_search_duty[older] = False  # the core restores every duty at the start of the month
        self.exempted = len(older)

    def monthly(self, model):
        return {"exempted": self.exempted}
