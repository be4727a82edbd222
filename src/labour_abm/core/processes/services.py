"""Services: debt help, and the services of the measures in force, with their waiting lists.

Debt arrangements in progress count down; one that ends clears the debt. Debtors seen by their
consultant this month may accept a referral to debt help (``debt_help_uptake_per_contact``)
and join its waiting list; the month's capacity (a quota tracking the intake share of the
initial stock; measures may add to it: ``debt_help_capacity``) lets the longest waiting start
an arrangement. Then each measure runs its own service (``services``; measures/service.py has
the shared waiting-list machinery). Sources: seed 003 (Arnhem's debt help); params.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..population import GONE

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month


def services(model: LabourModel, now: Month) -> None:
    pop, m, p = model.pop, model.month, model.p
    in_arrangement = (pop.debt_arrangement_months_left > 0) & (pop.status != GONE)
    pop.debt_arrangement_months_left[in_arrangement] -= 1
    done = (in_arrangement & (pop.debt_arrangement_months_left == 0)).nonzero()[0]
    pop.debt[done], pop.debt_eur[done] = False, 0.0
    model.events.add(m, pop.uid[done], "debt_help_end")

    joins = (  # the seen (whole-column masks: cheaper than gathering their rows)
        now.seen_mask & pop.debt & (pop.debt_arrangement_months_left == 0) & (pop.debt_help_waiting_since < 0)
    ).nonzero()[0]
    joins = joins[model.streams.uniform("debt_help:uptake", m, pop.uid[joins]) < p.debt_help_uptake_per_contact]
    pop.debt_help_waiting_since[joins] = m
    capacity = now.quota(p.debt_help_intake_per_month_share * p.initial_stock)
    for measure in model.hooked["debt_help_capacity"]:
        capacity = measure.debt_help_capacity(model, capacity)
    waiting = pop.waiting_for_debt_help().nonzero()[0]
    first = waiting[np.lexsort((pop.uid[waiting], pop.debt_help_waiting_since[waiting]))][:capacity]
    pop.debt_arrangement_months_left[first] = p.debt_arrangement_months
    pop.debt_help_waiting_since[first] = -1
    model.events.add(m, pop.uid[first], "debt_help_start")
    now.tally["debt_help_starts"] += len(first)
    for measure in model.hooked["services"]:
        measure.services(model)
