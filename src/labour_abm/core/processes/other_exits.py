"""Other exits: leaving benefit for reasons other than work.

At the state pension age the benefit ends. Otherwise competing monthly hazards
(rules/exits.py): singles and single parents under 55 leave with a partner who has income;
anyone may move away; people in poor physical health move to another benefit; and other exits
(study, detention, unknown), more for under-27s without a start qualification, who are sent
(back) to school (art. 13(2)(c) Pw). Movers, pensioners and those on another benefit leave the
model; the others are followed and may come back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..population import MOVED, ON_BENEFIT, OTHER, OTHER_BENEFIT, PARTNER, PENSION, lacks
from ..rules import exits
from ..transitions import end_benefit

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month


def other_exits(model: LabourModel, now: Month) -> None:
    pop, m, p = model.pop, model.month, model.p
    is_on = pop.status == ON_BENEFIT
    retire = pop.age_years >= p.pension_age_years
    rows = (is_on & ~retire).nonzero()[0]
    end_benefit(model, (is_on & retire).nonzero()[0], PENSION)
    u = model.streams.uniform("exit", m, pop.uid[rows])
    most = p.partner_exit_per_month + p.moved_exit_per_month + p.other_benefit_exit_per_month
    most += p.other_exit_per_month + p.youth_education_exit_per_month
    rows, u = rows[u < most], u[u < most]  # nobody else can leave this month: skip their hazards
    hazards = exits.other_exit_hazards(
        pop.age_years[rows],
        pop.household[rows],
        lacks(pop.physical_health[rows]),
        ~pop.start_qualification[rows],
        partner=p.partner_exit_per_month,
        moved=p.moved_exit_per_month,
        other_benefit=p.other_benefit_exit_per_month,
        other=p.other_exit_per_month,
        youth_education=p.youth_education_exit_per_month,
    )
    which = exits.pick_competing(hazards, u)
    for col, reason in enumerate((PARTNER, MOVED, OTHER_BENEFIT, OTHER)):
        end_benefit(model, rows[which == col], reason)
