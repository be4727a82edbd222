"""Sanctions regime: stricter (or milder) monitoring of obligations, cuts and escalation."""

from __future__ import annotations

from pydantic import Field

from .base import Measure, MeasureParams


class SanctionsParams(MeasureParams):
    detection_share: float = Field(
        0.10, ge=0, le=1,
        description="Chance that non-compliance seen at a contact is sanctioned (baseline 0.03; "
        "seed 002 Eindhoven: no longer 'without obligation').",
    )
    cut_share: float = Field(1.0, ge=0, le=1, description="Share of the benefit cut (art. 18 Pw: 100%).")
    first_months: int = Field(1, ge=0, le=12, description="Months of a first sanction (CALIBRATION.md).")
    max_months: int = Field(3, ge=0, le=12, description="Longest sanction after repeats (CALIBRATION.md).")
    enforcement_fte_per_1000_recipients: float = Field(
        0.5, ge=0, le=20,
        description="Extra staff for monitoring and sanction decisions per 1,000 recipients (assumption).",
    )


class Sanctions(Measure):
    """A sanctions regime: reciprocity, a benefit cut for no-shows (seed 001 point 8;
    Eindhoven in seed 002; CALIBRATION.md rules).

    Mechanism: sets the strictness (the chance non-compliance seen at a contact is sanctioned),
    the cut and its escalation. Strictness also raises everyone's search through the threat
    effect before any sanction (Arni, Lalive & van Ours 2013). A sanction cuts the benefit paid,
    triples the chance of new problematic debt that month, costs motivation, boosts search for
    six months (van den Berg, van der Klaauw & van Ours 2004), makes jobs taken then less stable,
    and makes some leave benefit without a job. Cost: the extra enforcement staff.
    """

    name = "sanctions"
    Params = SanctionsParams
    sources = "seed 001 point 8; seed 002 (Eindhoven); CALIBRATION.md"

    def parameter_overrides(self):
        return {
            "sanction_detection_share": self.p.detection_share,
            "sanction_cut_share": self.p.cut_share,
            "sanction_first_months": self.p.first_months,
            "sanction_max_months": self.p.max_months,
        }

    def cost_eur(self, model):
        fte = self.p.enforcement_fte_per_1000_recipients * model.stock / 1000
        return fte * model.p.consultant_cost_eur_per_year / 12
