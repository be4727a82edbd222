"""Practical learning: workplace certificates for workers without a start qualification, and a value scan."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core.rules.screening import waiver_ratio
from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams
from .service import Service, UidSet


class PracticalLearningParams(MeasureParams):
    certificate_places_per_1000_recipients: float = Field(
        10.0, ge=0, le=500,
        description="Places at one time in a certificate trajectory per 1,000 initial recipients (assumption; "
        "seed 004: part of Groningen's EUR 4.5m programme for 500 people).",
    )
    certificate_months: int = Field(
        6, ge=1, le=36,
        description="Months from the start of the trajectory to the certificate (assumption: assessment on the "
        "job at a recognised learning company).",
    )
    qualification_penalty_waived_share: float = Field(
        0.5, ge=0, le=1,
        description="Share of the missing-qualification penalty that employers requiring a start qualification no "
        "longer apply to certificate holders (assumption: a Verklaring Praktijkleren shows what one masters at "
        "work, but it is not an MBO-2 diploma).",
    )
    scans_per_month_per_1000_recipients: float = Field(
        5.0, ge=0, le=500,
        description="Labour-market value scans per month per 1,000 initial recipients (assumption).",
    )
    scan_offer_multiplier: float = Field(
        1.1, ge=1, le=3,
        description="Offer chance of a scanned person's applications relative to before (assumption: modest, "
        "better-aimed applications; seed 004 describes the scan as a fair picture of one's position and options).",
    )
    cost_per_certificate_eur: float = Field(
        1500.0, ge=0, le=20000,
        description="Cost of one certificate trajectory, paid when it starts (assumption: assessment and "
        "guidance at a recognised learning company).",
    )
    cost_per_scan_eur: float = Field(
        250.0, ge=0, le=10000, description="Cost of one value scan (assumption: a test and a few hours of advice)."
    )


class PracticalLearning(Measure):
    """Practical learning ('praktijkleren'): people without a start qualification (MBO-2) who
    work, paid or unpaid, get a Verklaring Praktijkleren that recognises what they master on
    the job; and a labour-market value scan gives a fair picture of one's position and options
    (seed 004, Groningen's work programme).

    Mechanism: recipients without a start qualification who work part-time or volunteer join the
    certificate waiting list when a consultant sees them; after the trajectory they hold a
    certificate, and employers who require a start qualification hold its absence against them
    less (a share of the screening penalty is waived). Recipients with the duty to work get a
    value scan when a consultant sees them, as far as the monthly number of scans allows;
    scanned people's applications succeed a little more often (better matching).
    Cost: per certificate trajectory started and per scan.
    """

    name = "practical_learning"
    Params = PracticalLearningParams
    sources = "seed 004"
    monthly_columns = (
        MonthlyColumn("participants", "people", "Stock: people in a certificate trajectory this month."),
        MonthlyColumn("waiting", "people", "Stock: the certificate waiting list."),
        MonthlyColumn("certificates_started", "people/month", "Flow: certificate trajectories started this month."),
        MonthlyColumn("certified", "people", "Cumulative: people ever certified."),
        MonthlyColumn("scans", "scans/month", "Flow: value scans this month."),
        MonthlyColumn("scanned", "people", "Cumulative: people ever scanned."),
    )

    def setup(self, model):
        per_1000 = model.p.initial_stock / 1000
        self.certificates = Service(self.name, round(self.p.certificate_places_per_1000_recipients * per_1000),
                                    self.p.certificate_months)
        self.scans = Service(f"{self.name}_scan", round(self.p.scans_per_month_per_1000_recipients * per_1000), 1)
        self.certified = UidSet()
        self.scanned = UidSet()  # everyone scanned (each once)
        self._started = self._scanned = 0

    @property
    def certified_uid(self) -> np.ndarray:
        return self.certified.uids

    @property
    def scanned_uid(self) -> np.ndarray:
        return self.scanned.uids

    def services(self, model):
        pop = model.pop
        self.certified.add(pop.uid[self.certificates.finishing_rows(model)])

        works = (pop.parttime_hours > 0) | pop.volunteering
        eligible = ~pop.start_qualification & works & ~self.certified.rows(model)
        started = self.certificates.started
        self.certificates.step(model, eligible)
        self._started = self.certificates.started - started

        eligible = pop.job_search_duty & ~pop.exempt & ~self.scanned.rows(model)
        started = self.scans.started
        self.scans.step(model, eligible)
        self._scanned = self.scans.started - started
        self.scanned.add(self.scans.uid[self.scans.months_left == 0])

    def offer_probability(self, model, person, employer, p):
        if (len(self.certified) == 0 and len(self.scanned) == 0) or len(person) == 0:
            return p
        pop, emp = model.pop, model.employers
        certified, scanned = self._holders(model, person)
        factor = np.ones(len(person))
        lacks = certified & emp.requires_qualification[employer] & ~pop.start_qualification[person]
        factor[lacks] = self._waiver(model)
        factor[scanned] *= self.p.scan_offer_multiplier
        return np.clip(p * factor, 0.0, 1.0)

    def max_offer_multiplier(self, model, person):
        certified, scanned = self._holders(model, person)
        return np.where(certified, self._waiver(model), 1.0) * np.where(scanned, self.p.scan_offer_multiplier, 1.0)

    def _holders(self, model, person):
        """Whether each of ``person`` (population rows) holds a certificate, and has had a scan."""
        return self.certified.rows(model, person), self.scanned.rows(model, person)

    def _waiver(self, model):
        return waiver_ratio(model.p.screening_penalty_qualification, self.p.qualification_penalty_waived_share)

    def cost_eur(self, model):
        return self._started * self.p.cost_per_certificate_eur + self._scanned * self.p.cost_per_scan_eur

    def monthly(self, model):
        return {
            "participants": self.certificates.participants,
            "waiting": self.certificates.waiting,
            "certificates_started": self._started,
            "certified": len(self.certified),
            "scans": self._scanned,
            "scanned": len(self.scanned),
        }
