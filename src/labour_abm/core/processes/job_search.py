"""Job search and obligations: how many applications each recipient sends, and whether the
duty to apply is met.

Search effort (rules/search.py) rises with motivation and self-confidence and with the threat
of sanctions, rises for six months after a sanction, and falls under debt stress, with an
exemption (health, care; also a waived duty of someone in poor health), less with a duty a
policy waives for someone in good health (only the duty's push goes), and with a part-time job; measures may change it
(``search_effort``). Applications are a Poisson count of the effort times the most a fully
motivated searcher sends, drawn by inverting a keyed uniform (rng.poisson_from_uniform). A
month with fewer applications than a share of the duty is non-compliant, unless the person
has no duty or works part-time. Leavers without income search by the same rule, without a
duty or the threat of a sanction (measures that change search effort do not reach them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..population import poor_health
from ..rng import poisson_from_uniform
from ..rules import search
from .matching import REFERRAL_SLOT

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month

def search_and_obligations(model: LabourModel, now: Month) -> None:
    pop, m, p = model.pop, model.month, model.p
    pop.applications[:] = 0
    on = pop.on_benefit()
    # the rule on whole columns, then the stock's rows: cheaper than gathering its inputs
    # exempt on health or care grounds, or unwell with the duty waived: they search little; the
    # others whose duty a policy waived lose only the duty's push
    exempt = pop.exempt | pop.care_exempt | (~pop.job_search_duty & poor_health(pop.physical_health, pop.mental_health))
    waived = ~pop.job_search_duty & ~exempt
    no_duty = exempt | waived
    parttime = pop.parttime_hours > 0
    debt_stress = np.where(pop.debt_arrangement_months_left > 0, 0.5, 1.0) * pop.debt
    effort = search.search_effort(
        pop.motivation,
        pop.confidence,
        debt_stress,
        exempt,
        waived,
        parttime,
        pop.months_since_sanction,
        sanction_strictness=p.sanction_detection_share,
        threat_effect=p.sanction_threat_search_effect,
        post_sanction_boost=p.post_sanction_search_boost,
        debt_stress_penalty=p.debt_stress_search_penalty,
        exempt_share=p.exempt_search_share,
        waived_share=p.waived_duty_search_share,
        parttime_worker_share=p.parttime_worker_search_share,
    )[on]
    for measure in model.hooked["search_effort"]:
        effort = measure.search_effort(model, on, effort)
    apps = poisson_from_uniform(
        p.max_applications_per_month * effort, model.streams.uniform("search", m, pop.uid[on])
    )
    pop.applications[on] = np.minimum(apps, REFERRAL_SLOT - 1)  # own applications below the referral's slot
    pop.noncompliant[:] = False
    pop.noncompliant[on] = search.is_noncompliant(
        apps, no_duty[on], parttime[on], p.applications_required_per_month,
        p.noncompliance_threshold_share
    )
    now.tally["applications"] += int(apps.sum())

    # leavers without income search too, for full-time work, with no duty and no sanction threat
    seekers = pop.without_income()
    none = np.zeros(len(seekers), bool)
    effort = search.search_effort(
        pop.motivation[seekers], pop.confidence[seekers], debt_stress[seekers], none, none, none,
        pop.months_since_sanction[seekers],
        sanction_strictness=0.0,
        threat_effect=p.sanction_threat_search_effect,
        post_sanction_boost=p.post_sanction_search_boost,
        debt_stress_penalty=p.debt_stress_search_penalty,
        exempt_share=p.exempt_search_share,
        waived_share=p.waived_duty_search_share,
        parttime_worker_share=p.parttime_worker_search_share,
    )
    apps = poisson_from_uniform(
        p.max_applications_per_month * effort, model.streams.uniform("search:off_benefit", m, pop.uid[seekers])
    )
    pop.applications[seekers] = np.minimum(apps, REFERRAL_SLOT - 1)
