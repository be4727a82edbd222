"""Barrier dynamics: what time out of work does to people, what work gives back, and debts.

Only people on benefit or in work change (leavers without work are left as they are). Out of
work, self-confidence erodes, motivation erodes after a month of fruitless search, and mental
health declines; in work (a job off benefit, or part-time on benefit) all three recover.
Physical health declines with age from 50. Problematic debt arises at a monthly hazard
(tripled in a month with a sanction cut) and resolves on its own at another, unless it is in
an arrangement (rules/barriers.py; sources there and in params.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..population import GONE, ON_BENEFIT
from ..rules import barriers

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month


def barrier_dynamics(model: LabourModel, now: Month) -> None:
    pop, m, p = model.pop, model.month, model.p
    on = pop.status == ON_BENEFIT
    # whole columns (all masks False for those who do not change): cheaper than indexing the rows
    parttime = pop.parttime_hours > 0
    working = (~on & pop.employed) | (on & parttime)  # in a job off benefit, or part-time on benefit
    idle = on & ~parttime
    fruitless = on & (pop.applications > 0)  # searched last month, still on benefit
    conf = barriers.erode(pop.confidence, p.confidence_erosion_per_month, idle)
    motiv = barriers.erode(pop.motivation, p.motivation_erosion_per_month, fruitless)
    mental = barriers.decline(pop.mental_health, p.mental_health_decline_per_month, idle)
    pop.confidence[:] = barriers.recover(conf, p.recovery_in_work_per_month, working)
    pop.motivation[:] = barriers.recover(motiv, p.recovery_in_work_per_month, working)
    pop.mental_health[:] = barriers.recover(mental, p.recovery_in_work_per_month, working)
    alive = pop.status != GONE
    pop.physical_health[:] = barriers.decline(
        pop.physical_health, p.physical_health_decline_per_month_over_50, alive & (pop.age_years >= 50)
    )

    rows = on.nonzero()[0]
    u = model.streams.uniform("debt", m, pop.uid[rows])
    free = ~pop.debt[rows]
    onset = rows[
        free & (u < barriers.debt_onset_hazard(p.debt_onset_per_month, pop.sanction_months_left[rows] > 0))
    ]
    resolved = rows[~free & (pop.debt_arrangement_months_left[rows] == 0) & (u < p.debt_resolved_per_month)]
    pop.debt[onset] = True
    pop.debt_eur[onset] = p.debt_mean_eur
    pop.debt[resolved], pop.debt_eur[resolved] = False, 0.0
    pop.debt_help_waiting_since[resolved] = -1
