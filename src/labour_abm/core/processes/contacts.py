"""Contacts: consultants spend their client hours on their caseload.

Each consultant's hours go to her clients in proportion to their weight (new clients weigh
more; measures may reweigh: ``contact_weight``); whom she sees is a keyed draw against that
chance (rules/contact.py). A contact raises motivation and self-confidence, more so with a
consultant the client has come to trust (``contact_effect`` may change it). At a contact a
consultant may grant an exemption from the duty to work to someone in poor health (lost again
on recovery) and may refer the client to a vacancy. Some clients get another consultant each
month (turnover), which resets trust. Who was seen and referred is left in ``now`` for the
processes after this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..population import poor_health
from ..rules import contact

if TYPE_CHECKING:
    from ..model import LabourModel
    from ..month import Month


def allocate_contacts(model: LabourModel, now: Month) -> None:
    pop, m, p, cons = model.pop, model.month, model.p, model.consultants
    on = pop.on_benefit()
    uid = pop.uid[on]
    weight = 1.0 + p.new_client_priority * (pop.months_on_benefit[on] < 6)
    for measure in model.hooked["contact_weight"]:
        weight = measure.contact_weight(model, on, weight)
    consultant = pop.consultant[on]
    cons.caseload[:] = np.bincount(consultant, minlength=len(cons))
    chance = contact.contact_probability(consultant, weight, cons.client_hours_per_month, p.hours_per_contact)
    seen_mask = model.streams.uniform("contact", m, uid) < chance
    seen = on[seen_mask]
    effect = (
        contact.trust(pop.months_with_consultant[seen], p.trust_build_months)
        * cons.contact_effect[pop.consultant[seen]]
    )
    for measure in model.hooked["contact_effect"]:
        effect = measure.contact_effect(model, seen, effect)
    pop.motivation[seen] = contact.contact_gain(pop.motivation[seen], p.contact_motivation_gain, effect)
    pop.confidence[seen] = contact.contact_gain(pop.confidence[seen], p.contact_confidence_gain, effect)
    pop.months_since_contact[seen] = 0
    now.seen = seen
    now.seen_mask = np.zeros(len(pop), dtype=bool)  # the same rows as one boolean per row
    now.seen_mask[seen] = True
    # exemption from the duty to work follows health: granted at a contact, lost on recovery
    unwell = poor_health(pop.physical_health, pop.mental_health)
    pop.exempt[:] &= unwell
    grant = (now.seen_mask & unwell & ~pop.exempt).nonzero()[0]  # masks: cheaper than gathers
    pop.exempt[grant[model.streams.uniform("exemption", m, pop.uid[grant]) < p.exemption_on_contact_share]] = True
    now.referred = seen[model.streams.uniform("referral", m, pop.uid[seen]) < p.referral_on_contact_share]

    moves = (  # keyed draws: skipping them when nobody can move changes no other draw
        on[model.streams.uniform("turnover", m, uid) < p.consultant_turnover_per_month]
        if p.consultant_turnover_per_month > 0 else on[:0])
    if len(cons) > 1:  # to one of the other consultants
        shift = 1 + np.floor(model.streams.uniform("turnover:to", m, pop.uid[moves]) * (len(cons) - 1))
        pop.consultant[moves] = (pop.consultant[moves] + shift.astype(np.int32)) % len(cons)
    pop.months_with_consultant[moves] = 0
    now.tally["contacts"] += len(seen)
