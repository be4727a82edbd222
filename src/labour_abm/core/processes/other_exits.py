"""Other exits: leaving benefit for reasons other than work.

At the state pension age the benefit ends, and so does that of people whose awaited income
starts (a WW decision, student finance, maintenance: claimants who came to bridge the wait,
synth.py). Otherwise competing monthly hazards (rules/exits.py): singles and single parents
under 55 leave with a partner who has income; anyone may move away; people in poor physical
health move to another benefit; other exits (detention, unknown); under-27s without a
start qualification are sent (back) to school and live on student finance (art. 13(2)(c) Pw);
and a benefit is ended because information was not given in time (art. 54 Pw), more often
for people with low literacy, poor mental health or problematic debts (exit reason
``obligations``, like a sanctioned person who drops out: they leave without an income).
Movers, pensioners and those on another benefit or income leave the model; the others are
followed and may come back (processes/inflow.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..population import MOVED, OBLIGATIONS, ON_BENEFIT, OTHER, OTHER_BENEFIT, OTHER_INCOME, PARTNER, PENSION, lacks
from ..rules import exits
from ..transitions import end_benefit, leave_without_income

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month


def other_exits(model: LabourModel, now: Month) -> None:
    pop, m, p = model.pop, model.month, model.p
    is_on = pop.status == ON_BENEFIT
    retire = pop.age_years >= p.pension_age_years
    end_benefit(model, (is_on & retire).nonzero()[0], PENSION)
    end_benefit(model, (is_on & ~retire & (pop.awaited_income_month == m)).nonzero()[0], OTHER_INCOME)
    is_on = pop.status == ON_BENEFIT
    rows = (is_on & ~retire).nonzero()[0]
    u = model.streams.uniform("exit", m, pop.uid[rows])
    most = p.partner_exit_per_month + p.moved_exit_per_month + p.other_benefit_exit_per_month
    most += p.other_exit_per_month + p.youth_education_exit_per_month
    most += p.information_end_per_month * (1 + 3 * p.information_end_barrier_extra)  # three paperwork barriers
    rows, u = rows[u < most], u[u < most]  # nobody else can leave this month: skip their hazards
    hazards = exits.other_exit_hazards(
        pop.age_years[rows],
        pop.household[rows],
        lacks(pop.physical_health[rows]),
        ~pop.start_qualification[rows],
        lacks(pop.literacy[rows]).astype(np.int8) + lacks(pop.mental_health[rows]) + pop.debt[rows],
        information_end=p.information_end_per_month,
        information_end_barrier_extra=p.information_end_barrier_extra,
        partner=p.partner_exit_per_month,
        moved=p.moved_exit_per_month,
        other_benefit=p.other_benefit_exit_per_month,
        other=p.other_exit_per_month,
        youth_education=p.youth_education_exit_per_month,
    )
    which = exits.pick_competing(hazards, u)
    for col, reason in enumerate((PARTNER, MOVED, OTHER_BENEFIT, OTHER, OTHER_INCOME, OBLIGATIONS)):
        leave = leave_without_income if reason in (OTHER, OBLIGATIONS) else end_benefit
        leave(model, rows[which == col], reason)
