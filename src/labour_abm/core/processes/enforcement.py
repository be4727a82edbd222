"""Enforcement: sanctions for broken obligations, and unjustified benefits found.

A recipient seen by the consultant this month, on benefit, non-compliant and not under a
sanction already is sanctioned with the strictness ``sanction_detection_share``: the benefit
is cut from next month for 1 month, one more for each repeat, up to 3 (art. 18 Pw;
rules/sanctions.py); motivation drops, search rises for six months, and some drop out of
benefit (exit reason ``obligations``: they leave without an income). Enforcement finds an
unjustified benefit (undeclared income or partner) with a monthly chance, and it ends (exit
reason ``unjustified``: they live on that income until it ends; seed 001 point 7; params.py
for sources).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..population import OBLIGATIONS, ON_BENEFIT, UNJUSTIFIED
from ..rules import sanctions
from ..transitions import end_benefit, leave_without_income

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month


def impose_sanctions(model: LabourModel, now: Month) -> None:
    pop, m, p = model.pop, model.month, model.p
    # seen this month and still on benefit (whole-column masks: cheaper than gathering the seen)
    is_on = pop.status == ON_BENEFIT
    candidates = (now.seen_mask & is_on & pop.noncompliant & (pop.sanction_months_left == 0)).nonzero()[0]
    hit = candidates[model.streams.uniform("sanction", m, pop.uid[candidates]) < p.sanction_detection_share]
    months = sanctions.sanction_months(pop.sanction_count[hit], p.sanction_first_months, p.sanction_max_months)
    pop.sanction_months_left[hit] = months
    pop.sanction_count[hit] = np.minimum(pop.sanction_count[hit].astype(np.int16) + 1, 127)
    pop.months_since_sanction[hit] = 0
    pop.motivation[hit] = np.maximum(0.0, pop.motivation[hit] - p.sanction_motivation_loss)
    model.events.add(m, pop.uid[hit], "sanction", months.astype(str))
    now.tally["sanctions_imposed"] += len(hit)
    drop = hit[model.streams.uniform("sanction:dropout", m, pop.uid[hit]) < p.sanction_dropout_share]
    leave_without_income(model, drop, OBLIGATIONS)  # ended for not meeting obligations

    # enforcement: an unjustified benefit that is found ends (seed 001 point 7)
    suspect = ((pop.status == ON_BENEFIT) & pop.unjustified).nonzero()[0]
    found = suspect[model.streams.uniform("fraud", m, pop.uid[suspect]) < p.fraud_detection_per_month]
    pop.unjustified[found] = False
    model.events.add(m, pop.uid[found], "fraud_found")
    now.tally["fraud_found"] += len(found)
    end_benefit(model, found, UNJUSTIFIED)  # they keep the undeclared income or partner
