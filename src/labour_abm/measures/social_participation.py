"""Social participation: volunteering and activation for people with no prospect of paid work."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.population import lacks
from ..core.statistics import MonthlyColumn
from .base import MeasureParams
from .service import SERVICE_COLUMNS, ServiceMeasure, UidSet, sorted_member, tracked_on_benefit


class SocialParticipationParams(MeasureParams):
    places_per_1000_recipients: float = Field(
        20.0, ge=0, le=500,
        description="Places at one time per 1,000 initial recipients (assumption; seed 002: Waalwijk spends "
        "EUR 150k on activities for people without prospect of work).",
    )
    participation_months: int = Field(
        12, ge=1, le=60, description="Months of supported volunteering or activation (assumption)."
    )
    min_months_on_benefit: int = Field(
        24, ge=0, le=600,
        description="Months on benefit that count as far from work (seed 004: many have been on benefit for "
        "years); low confidence, poor mental health or isolation (ladder step 1-2) also qualify.",
    )
    confidence_gain_per_month: float = Field(
        0.03, ge=0, le=1,
        description="Rise of self-confidence per month of volunteering, as a share of the gap to 1 (assumption: "
        "like the model's recovery in work; Jenkinson et al. 2013 BMC Public Health review: volunteering goes "
        "with better well-being and less depression).",
    )
    mental_health_gain_per_month: float = Field(
        0.02, ge=0, le=1,
        description="Rise of mental health per month of volunteering, as a share of the gap to 1 (assumption; "
        "seed 004 names loneliness; Jenkinson et al. 2013).",
    )
    keep_volunteering_share: float = Field(
        0.5, ge=0, le=1,
        description="Chance of going on volunteering without support once the participation ends (assumption).",
    )
    volunteering_stop_per_month: float = Field(
        0.03, ge=0, le=1, description="Monthly chance that someone volunteering on their own stops (assumption)."
    )
    cost_per_participant_month_eur: float = Field(
        150.0, ge=0, le=10000,
        description="Cost of one participant-month: a coordinator finding and supporting the activity, expenses "
        "(assumption; seed 002 Waalwijk: a self-employed coach finds suitable activities).",
    )


class SocialParticipation(ServiceMeasure):
    """Social participation: volunteering and activation for people with no prospect of paid
    work, so that everyone takes part, if not in paid work then in volunteering (seed 001 point 1;
    seed 002: Waalwijk spends EUR 150k to get people who sit at home active again, not
    necessarily in paid work; seed 004 names loneliness and low self-confidence).

    Mechanism: recipients far from work (long on benefit, low self-confidence, poor mental
    health or isolated) who neither work part-time nor volunteer join the waiting list when a
    consultant sees them. Participants volunteer (participation ladder step 4); each month of
    volunteering raises self-confidence and mental health. When the participation ends a share
    go on volunteering on their own (and keep gaining) until they stop or leave benefit; the
    others stop. The duty to work is unchanged, and the measure does not aim at paid work: any
    effect on exits runs through confidence (search effort) and health (screening).
    Cost: per participant-month.
    """

    name = "social_participation"
    Params = SocialParticipationParams
    sources = "seed 001 point 1; seed 002 (Waalwijk); seed 004; Jenkinson et al. 2013"

    months_param = "participation_months"
    monthly_columns = (*SERVICE_COLUMNS, MonthlyColumn(
        "volunteering", "people", "Stock: people volunteering through the measure (in the service or on their own "
        "afterwards), after the `services` step."))

    def setup(self, model):
        super().setup(model)
        self.volunteers = UidSet()  # volunteering because of this measure

    @property
    def volunteer_uid(self) -> np.ndarray:
        return self.volunteers.uids

    def services(self, model):
        pop, m = model.pop, model.month
        # volunteers who left benefit or stopped: no longer volunteering
        uids = self.volunteers.uids
        rows, ok = tracked_on_benefit(model, uids)
        in_service = sorted_member(uids, self.service.uid)
        finishing = sorted_member(uids, self.service.uid[self.service.months_left <= 0])
        own = ok & ~in_service  # on their own after an earlier participation
        stop = np.zeros(len(rows), bool)
        stop[own] = model.streams.uniform(f"{self.name}:stop", m, uids[own]) < self.p.volunteering_stop_per_month
        stop[ok & finishing] = model.streams.uniform(
            f"{self.name}:keep", m, uids[ok & finishing]) >= self.p.keep_volunteering_share
        end = ~ok | stop
        present = pop.uid[rows] == uids if len(pop) else np.zeros(0, bool)
        pop.volunteering[rows[end & present]] = False
        self.volunteers.discard(uids[end])

        super().services(model)  # this month's participants start volunteering
        rows = pop.rows_of(self.volunteers.uids)  # all on benefit now
        pop.confidence[rows] += self.p.confidence_gain_per_month * (1.0 - pop.confidence[rows])
        pop.mental_health[rows] += self.p.mental_health_gain_per_month * (1.0 - pop.mental_health[rows])

    def eligible(self, model):
        pop = model.pop
        far = (
            (pop.months_on_benefit >= self.p.min_months_on_benefit)
            | lacks(pop.confidence)
            | lacks(pop.mental_health)
            | (pop.ladder == 1)  # isolated
        )
        return far & (pop.parttime_hours == 0) & ~pop.volunteering

    def in_service(self, model, rows):
        model.pop.volunteering[rows] = True
        self.volunteers.add(model.pop.uid[rows])

    def monthly(self, model):
        return {**super().monthly(model), "volunteering": len(self.volunteers)}
