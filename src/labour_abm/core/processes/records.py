"""Records: the end of the month.

Each recipient's participation-ladder step is derived from the state (rules/ladder.py; leavers
in work are on step 6, other leavers keep theirs) and the moves between steps are counted; the
monthly statistics of the core and of each measure are computed, checked against their
declarations and collected; the clocks advance (ages, months on benefit, months since work,
contact, sanction and activity). Once a year the population table drops the rows of people who
can no longer come back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..population import GONE, OFF_BENEFIT, ON_BENEFIT
from ..rules import ladder
from ..statistics import CORE_NAMES, monthly_statistics
from ..transitions import advance_clocks

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month

_CORE = frozenset(CORE_NAMES)


def record(model: LabourModel, now: Month) -> None:
    update_ladder(model, now)
    stats = monthly_statistics(model, now)
    _check(stats.keys(), _CORE, "the core's monthly statistics")
    for measure in model.hooked["monthly"]:
        values = measure.monthly(model)
        _check(values.keys(), {c.name for c in measure.monthly_columns}, f"measure {measure.name}'s monthly()")
        stats.update({f"{measure.name}_{k}": v for k, v in values.items()})
    model.last = stats
    model.datacollector.collect(model)
    advance_clocks(model)
    if model.month % 12 == 11:
        model.pop.keep(model.pop.status != GONE)


def update_ladder(model: LabourModel, now: Month) -> None:
    """Store each recipient's participation-ladder step (leavers in work are on step 6; other
    leavers keep theirs) and count the month's moves between steps of the people on the ladder
    at the end of last month and of this one. On whole columns: cheaper than gathering rows."""
    pop = model.pop
    is_on = pop.status == ON_BENEFIT
    on_ladder = is_on | (pop.employed & (pop.status == OFF_BENEFIT))
    steps = ladder.participation_ladder(
        is_on, pop.employed, pop.parttime_earnings_eur > 0, pop.volunteering,
        (pop.months_since_contact < 3) | (pop.months_since_activity < 3),
        pop.mental_health, pop.confidence,
    )
    moved = (pop.on_ladder & on_ladder & (steps != pop.ladder)).nonzero()[0]
    for (before, after), n in ladder.transition_counts(pop.ladder[moved], steps[moved]).items():
        now.tally[f"ladder_{before}_to_{after}"] += n
    held = pop.ladder  # in place; small integers, so this is np.where's result, cheaper
    held += (steps - held) * on_ladder
    pop.on_ladder[:] = on_ladder


def _check(produced, declared, whose: str) -> None:
    """A programming error, caught at once: a column produced but not declared (so not
    documented), or declared but not produced."""
    if produced != declared:
        extra, missing = sorted(set(produced) - set(declared)), sorted(set(declared) - set(produced))
        raise RuntimeError(f"{whose} gave undeclared columns {extra} and lacks declared ones {missing}: declare "
                           "each column once (statistics.MonthlyColumn) and produce exactly those")
