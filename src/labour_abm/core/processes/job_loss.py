"""Job loss and return: jobs found from bijstand end, and part-time jobs end or grow.

A full-time job held off benefit ends with a monthly hazard, higher in the first year and for
people in poor health or who took it under sanction pressure (rules/jobs.py; measures may
change it: ``job_loss_hazard``), times the job losses of the labour-market scenario. Most who lose
it will need bijstand again: with enough tenure
they draw WW first, may find work during it, and then claim after a delay; their return month
is set (the inflow brings them back). A part-time job on benefit ends, or grows into enough
hours to leave benefit (then a full-time job starts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..population import GONE, OFF_BENEFIT, ON_BENEFIT, poor_health
from ..rules import jobs
from ..transitions import end_parttime, start_jobs

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month


def job_loss_and_return(model: LabourModel, now: Month) -> None:
    pop, m, p = model.pop, model.month, model.p
    working = (pop.employed & (pop.status == OFF_BENEFIT) & (pop.job_start_month < m)).nonzero()[0]
    tenure = m - pop.job_start_month[working]
    hazard = np.minimum(1.0, jobs.job_loss_hazard(
        tenure,
        poor_health(pop.physical_health[working], pop.mental_health[working]),
        pop.job_low_quality[working],
        base=p.job_loss_per_month,
        first_year_extra=p.job_loss_first_year_extra_per_month,
        poor_health_multiplier=p.job_loss_poor_health_multiplier,
        low_quality_multiplier=p.post_sanction_job_loss_multiplier,
    ) * now.market.job_loss_multiplier)  # the cycle's job losses (UWV's new WW benefits) hit these jobs too
    for measure in model.hooked["job_loss_hazard"]:
        hazard = measure.job_loss_hazard(model, working, hazard)
    lost = model.streams.uniform("job_loss", m, pop.uid[working]) < hazard
    ended, tenure = working[lost], tenure[lost]
    pop.employed[ended] = False
    pop.months_since_work[ended] = 0
    u = model.streams.uniforms("job_loss:return", m, pop.uid[ended], 3)  # needs bijstand, WW, claim delay
    work_years = p.work_history_share * (pop.age_years[ended] - 18.0)
    delay, back = jobs.months_until_return(
        tenure, jobs.ww_months(work_years, p.ww_months_before_return), u[:, 1], u[:, 2],
        ww_min_tenure=p.ww_min_tenure_months, ww_job_finding=p.ww_job_finding_per_month,
        claim_per_month=p.claim_after_job_loss_per_month,
    )
    back &= u[:, 0] < p.return_after_job_loss_share
    pop.return_month[ended[back]] = m + delay[back]
    pop.status[ended[~back]] = GONE  # other work or income: they do not need bijstand again
    model.events.add(m, pop.uid[ended], "job_end", np.where(back, "returns", "other_work_or_income"))
    now.tally["job_ends"] += len(ended)

    pt = ((pop.status == ON_BENEFIT) & (pop.parttime_hours > 0)).nonzero()[0]
    u = model.streams.uniform("parttime", m, pop.uid[pt])
    ends = pt[u < p.parttime_job_end_per_month]
    grows = pt[
        (u >= p.parttime_job_end_per_month) & (u < p.parttime_job_end_per_month + p.parttime_to_fulltime_per_month)
    ]
    end_parttime(model, ends, "ended")
    start_jobs(model, grows, pop.parttime_employer[grows])
