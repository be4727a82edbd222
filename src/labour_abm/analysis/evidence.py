"""The evidence file (data/evidence.toml): published effects that bear on the measures.

``studies`` holds each study once: its design, population and, per arm and outcome, the
published estimate with its standard error, the outcome as the study defines it and the
model outcome closest to it (analysis/trials.OUTCOMES). ``measures`` says for each measure
which studies apply and how directly: ``direct`` (the same policy evaluated in Dutch
social assistance), ``near`` (the same policy in another Dutch benefit), ``indirect`` (a like
policy elsewhere, or another population), or ``none`` (no evaluation found: the measure's
effect rests on assumptions). Trial files point
at a study arm ('study.arm'); docs/measures.md lists the evidence per measure.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import UserError, shorter
from .trials import OUTCOMES

Directness = Literal["direct", "near", "indirect", "none"]
Finding = Literal["significant positive", "not significant", "significant negative"]


class Result(BaseModel):
    model_config = ConfigDict(extra="forbid")
    arm: str
    outcome: Literal[tuple(OUTCOMES)]  # type: ignore[valid-type]
    published_outcome: str
    horizon: int = Field(ge=1, le=240, description="Months after randomisation (or the start).")
    finding: Finding = Field(description="What the study concluded at the 5% level (the one thing every report "
                             "gives, with or without numbers).")
    estimate: float | None = Field(None, description="Treatment minus control, as a share (0.03 = 3 percentage "
                                   "points); None where no number was published (or none could be read).")
    se: float | None = Field(None, gt=0)
    se_from: str = Field("", description="How the standard error was read: published, or derived (from what).")
    control_level: float | None = None
    secondhand: bool = Field(False, description="Read in a news report or summary, not in the study itself.")
    during_treatment: bool = Field(True, description="Measured while the treatment ran (False: after it ended).")
    where: str = Field(description="Where in the source the finding is (table, page; or the secondary source).")


class Arm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    treatment: str
    participants: int | None = Field(None, ge=1)


class Study(BaseModel):
    model_config = ConfigDict(extra="forbid")
    citation: str
    url: str = ""
    design: str
    country: str
    population: str
    period: str = ""
    control_participants: int | None = Field(None, ge=1)
    arms: dict[str, Arm] = Field(default_factory=dict)
    results: list[Result] = Field(default_factory=list)
    summary: str = ""

    @model_validator(mode="after")
    def _arms_known(self):
        unknown = sorted({r.arm for r in self.results} - set(self.arms))
        if unknown:
            raise ValueError(f"results for arms not listed under arms: {', '.join(unknown)}")
        return self


class MeasureEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    directness: Directness
    studies: list[str] = Field(default_factory=list)
    note: str


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    studies: dict[str, Study]
    measures: dict[str, MeasureEvidence]

    @model_validator(mode="after")
    def _studies_known(self):
        for name, m in self.measures.items():
            unknown = [s for s in m.studies if s.partition(".")[0] not in self.studies
                       or s.partition(".")[2] not in ("", *self.studies[s.partition(".")[0]].arms)]
            if unknown:
                raise ValueError(f"measures.{name}: unknown studies {', '.join(unknown)}")
        return self


@functools.cache
def load() -> Evidence:
    """The shipped evidence file, validated (a mistake in it is a bug: it raises)."""
    text = resources.files("labour_abm.data").joinpath("evidence.toml").read_text(encoding="utf-8")
    return Evidence(**tomllib.loads(text))


def study_arm(key: str, where: str = "") -> tuple[Study, str]:
    """The study and arm of a 'study.arm' key, or a UserError listing what there is."""
    studies = load().studies
    study, _, arm = key.partition(".")
    if study not in studies:
        raise UserError(f"{where}unknown study '{shorter(study)}'. Studies in data/evidence.toml: "
                        f"{', '.join(sorted(studies))}.")
    if arm not in studies[study].arms:
        raise UserError(f"{where}study {study} has no arm '{shorter(arm)}'. Its arms: "
                        f"{', '.join(studies[study].arms) or 'none'}.")
    return studies[study], arm


def published(arms: dict[str, str], outcomes: list[str], horizons: list[int]) -> pd.DataFrame:
    """The published results of a trial's arms (trial arm -> 'study.arm') at its outcomes and
    horizons (:data:`PUBLISHED` columns)."""
    rows = []
    for arm, key in arms.items():
        study, study_arm_name = study_arm(key)
        for r in study.results:
            # the emulator keeps a measure on: a result from after the treatment ended is not comparable
            if r.arm == study_arm_name and r.during_treatment and r.outcome in outcomes and r.horizon in horizons:
                rows.append({"arm": arm, "outcome": r.outcome, "horizon": r.horizon, "published_finding": r.finding,
                             "published_estimate": r.estimate, "published_se": r.se,
                             "source": f"{study.citation} ({r.where}{'; secondhand' if r.secondhand else ''})"})
    return pd.DataFrame(rows, columns=list(PUBLISHED)).astype({"published_estimate": float, "published_se": float})


PUBLISHED = ("arm", "outcome", "horizon", "published_finding", "published_estimate", "published_se", "source")


def measure_lines() -> dict[str, list[str]]:
    """For docs/measures.md: per measure, the evidence that bears on it and how directly."""
    e = load()
    out = {}
    for name, m in e.measures.items():
        cited = []
        for key in m.studies:
            study, _, arm = key.partition(".")
            s = e.studies[study]
            cited.append(f"{s.citation}{f' (arm: {arm})' if arm else ''} [{s.design}, {s.country}]")
        out[name] = [f"Evidence (data/evidence.toml): **{m.directness}**. {m.note}", "",
                     *([f"Studies: {'; '.join(cited)}.", ""] if cited else [])]
    return out
