"""State changes that several processes (and measures) share: going on benefit, leaving it,
starting and losing work, and the clocks of the month.

Each takes population rows and updates every column, table and count the change touches
(the recipient's columns, the spells table, the events log and the month's tally), so a
process says *what* happens to whom and this module says what that means for the state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .labour_market import sector_names
from .population import (
    EXIT_REASONS,
    GONE,
    MOVED,
    NEVER,
    OFF_BENEFIT,
    ON_BENEFIT,
    ON_PARTNER_INCOME,
    OTHER_BENEFIT,
    OTHER_INCOME,
    PENSION,
    ROUTES,
    WORK,
    barrier_flags,
)
from .rules import benefit, search

if TYPE_CHECKING:
    from .model import LabourModel

# these leavers cannot come back in the model: they left the city, reached pension age, or live on
# another benefit or an income they waited for (WW, student finance, maintenance)
GONE_AT_EXIT = (MOVED, PENSION, OTHER_BENEFIT, OTHER_INCOME)

# what going on benefit resets (a new spell: the clocks and states of the last one end)
_ENTRY_RESETS = (
    ("months_on_benefit", 0),
    ("exit_month", -1),
    ("exit_reason", -1),
    ("employed", False),
    ("job_employer", -1),
    ("job_start_month", -1),
    ("job_low_quality", False),
    ("return_month", -1),
    ("other_income", False),
    ("disregard_months_used", 0),
    ("sanction_months_left", 0),
    ("months_since_contact", NEVER),
    ("months_with_consultant", 0),
    ("debt_help_waiting_since", -1),
)


def enter(model: LabourModel, rows: np.ndarray) -> None:
    """Put people on benefit (their entry_route set): a new spell, a consultant, clocks reset."""
    if len(rows) == 0:
        return
    pop, m = model.pop, model.month
    # caseloads before these people arrive (new claims are appended with status on benefit)
    already = pop.status == ON_BENEFIT
    already[rows] = False
    # counted as weights: a whole-column pass, cheaper than selecting the rows by the mask
    caseload = np.bincount(pop.consultant, weights=already, minlength=len(model.consultants)).astype(np.int64)
    pop.status[rows] = ON_BENEFIT
    for col, value in _ENTRY_RESETS:
        getattr(pop, col)[rows] = value
    # new clients go to the consultants with the smallest caseloads (unless a measure decides)
    consultant = np.argsort(caseload, kind="stable")[np.arange(len(rows)) % len(caseload)]
    for measure in model.hooked["assign_consultants"]:
        consultant = measure.assign_consultants(model, rows, consultant)
    pop.consultant[rows] = consultant
    open_spells(model, rows, start_month=np.full(len(rows), m))
    model.events.add(m, pop.uid[rows], "entry", np.asarray(ROUTES, dtype=object)[pop.entry_route[rows]])
    model.now.tally["entries"] += len(rows)


def open_spells(model: LabourModel, rows: np.ndarray, start_month: np.ndarray) -> None:
    """A new row in the spells table for each of ``rows``, with their attributes at its start."""
    pop = model.pop
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
    pop.spell_id[rows] = model.spells.append(len(rows), values)


def end_benefit(model: LabourModel, rows: np.ndarray, reason: int) -> None:
    """Take people off benefit for ``reason``; those who cannot come back leave the model."""
    if len(rows) == 0:
        return
    pop, m = model.pop, model.month
    end_parttime(model, rows[pop.parttime_hours[rows] > 0], "left_benefit")
    pop.status[rows] = GONE if reason in GONE_AT_EXIT else OFF_BENEFIT
    pop.exit_month[rows] = m
    pop.exit_reason[rows] = reason
    pop.other_income[rows] = reason in ON_PARTNER_INCOME
    pop.awaited_income_month[rows] = -1
    pop.sanction_months_left[rows] = 0
    pop.debt_help_waiting_since[rows] = -1
    model.spells.end_month[pop.spell_id[rows]] = m
    model.spells.exit_reason[pop.spell_id[rows]] = reason
    model.events.add(m, pop.uid[rows], "exit", EXIT_REASONS[reason])
    model.now.tally[f"exits_reason_{EXIT_REASONS[reason]}"] += len(rows)


def leave_without_income(model: LabourModel, rows: np.ndarray, reason: int) -> None:
    """Take people off benefit for ``reason`` with no work or income to go to. A share
    ``claim_again_share`` will need bijstand again (processes/inflow.py); the rest get by on
    other means (family, informal work, leaving the country) and do not come back."""
    end_benefit(model, rows, reason)
    p = model.p
    other_means = model.streams.uniform("other_means", model.month, model.pop.uid[rows]) >= p.claim_again_share
    model.pop.other_income[rows[other_means]] = True


def start_jobs(model: LabourModel, rows: np.ndarray, employer: np.ndarray) -> None:
    """People on benefit leave it for a job at ``employer`` (-1: self-employed)."""
    end_benefit(model, rows, WORK)
    employ(model, rows, employer)


def employ(model: LabourModel, rows: np.ndarray, employer: np.ndarray) -> None:
    """A full-time job at ``employer`` (-1: self-employed) starts for ``rows``."""
    pop, m = model.pop, model.month
    employer = np.asarray(employer, dtype=np.int64)
    own = employer < 0
    safe = np.where(own, 0, employer)
    pop.employed[rows] = True
    pop.job_employer[rows] = employer
    pop.job_start_month[rows] = m
    pop.job_low_quality[rows] = pop.months_since_sanction[rows] <= search.POST_SANCTION_MONTHS  # taken under pressure
    pop.job_wage_eur[rows] = np.where(own, model.p.fulltime_net_wage_eur_per_month, model.employers.wage_eur[safe])
    pop.months_since_work[rows] = 0
    names = np.asarray(sector_names(), dtype=object)
    detail = np.where(own, "self_employed", names[model.employers.sector[safe]])
    model.events.add(m, pop.uid[rows], "job_start", detail)


def divert_to_work(model: LabourModel, rows: np.ndarray) -> None:
    """Claimants mediated into work at the gate: never on benefit, but followed like leavers
    for work, so a job that ends brings them (back) to the gate. Each job is an open vacancy of
    the local market, which nobody else gets (a random employer's if none is open)."""
    if len(rows) == 0:
        return
    pop, m = model.pop, model.month
    uids = pop.uid[rows]
    pop.status[rows] = OFF_BENEFIT
    pop.exit_month[rows] = m
    pop.exit_reason[rows] = WORK
    pop.awaited_income_month[rows] = -1  # never on benefit: nothing to bridge
    market = model.labour_market
    employer = np.floor(model.streams.uniform("diverted:employer", m, uids) * len(model.employers)).astype(np.int64)
    filled = market.take(len(rows), model.streams.uniform("diverted:vacancy", m, market.uid))
    employer[: len(filled)] = filled
    employ(model, rows, employer)
    model.events.add(m, uids, "claim_diverted", "to_work")
    model.now.tally["claims_diverted_to_work"] += len(uids)


def end_parttime(model: LabourModel, rows: np.ndarray, detail: str) -> None:
    """The part-time jobs of ``rows`` (on benefit) end; ``detail``: why (event detail)."""
    pop = model.pop
    pop.parttime_hours[rows] = 0.0
    pop.parttime_earnings_eur[rows] = 0.0
    pop.parttime_employer[rows] = -1
    model.events.add(model.month, pop.uid[rows], "parttime_end", detail)
    model.now.tally["parttime_ends"] += len(rows)


def advance_clocks(model: LabourModel) -> None:
    """A month passes: ages (children's too), months on benefit and with the consultant, of a
    single parent's exemption, and the months since work, a contact, a sanction and an activity."""
    pop = model.pop
    alive = pop.status != GONE
    on = pop.status == ON_BENEFIT
    pop.age_years[:] += alive * np.float32(1 / 12)
    pop.partner_age_years[:] += (alive & (pop.household == 2)) * np.float32(1 / 12)
    pop.youngest_child_age_years[:] += (alive & (pop.children > 0)) * np.float32(1 / 12)
    grown = (pop.youngest_child_age_years >= 18).nonzero()[0]  # the youngest is an adult: no children under 18
    pop.children[grown], pop.youngest_child_age_years[grown] = 0, -1.0
    # a single parent's exemption runs out when the youngest turns 5 or after five years (art. 9a Pw)
    pop.care_exempt_months[:] += pop.care_exempt & on
    pop.care_exempt[:] &= benefit.single_parent_exemption_allowed(
        pop.household == 1, pop.youngest_child_age_years, pop.care_exempt_months)
    pop.months_on_benefit[:] += on
    pop.months_on_benefit_total[:] += on
    pop.months_with_consultant[:] += on
    # clocks stop at NEVER, and none is ever set above it: the same as min(clock + 1, NEVER), cheaper
    not_working = alive & ~pop.employed & (pop.parttime_hours == 0)
    pop.months_since_work[:] += not_working & (pop.months_since_work < NEVER)
    for clock in (pop.months_since_contact, pop.months_since_sanction, pop.months_since_activity):
        clock += clock < NEVER
