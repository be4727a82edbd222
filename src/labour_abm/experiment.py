"""Experiment files: a baseline and named arms, replicated with common random numbers.

An experiment file (TOML, see docs/experiments.md) is validated strictly before anything
runs: an unknown key, measure or parameter, a wrong type or an out-of-range value raises a
:class:`UserError` naming the file, the key and what is allowed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import presets, programmes
from .errors import UserError, read_toml, validated
from .measures import Measure, MeasureSpec, make_measure, measure_overrides
from .params import Parameters, resolve_parameters

HORIZONS = (12, 24, 36)


def directory_name(name: str) -> str:
    """An experiment's or sweep's name is its default output directory, ``results/<name>``."""
    if name in ("", ".", "..") or any(c in "/\\" or ord(c) < 32 or ord(c) == 127 for c in name) \
            or len(name.encode()) > 200:
        raise ValueError("must be a plain directory name (the default output is results/<name>): not empty, "
                         "'.' or '..', no '/', '\\' or control characters, at most 200 bytes")
    return name


def without_top_level_keys(parameters: dict[str, Any]) -> dict[str, Any]:
    """Refuse months and labour_market in a file's ``parameters``: the top-level keys (or their
    defaults) would replace them without a word."""
    twice = sorted({"months", "labour_market"} & set(parameters))
    if twice:
        raise ValueError(f"set {' and '.join(twice)} at the top of the file, not in parameters")
    return parameters


class ArmSpec(BaseModel):
    """One arm: a list of measures and/or a city programme, and/or parameter overrides."""

    model_config = ConfigDict(extra="forbid", strict=True)
    measures: list[MeasureSpec] = Field(default_factory=list)
    programme: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)


class TargetSpec(BaseModel):
    """A target to show the result against, e.g. Nijmegen's 385 extra durable exits in 3 years."""

    model_config = ConfigDict(extra="forbid", strict=True)
    outcome: str
    horizon_months: int = Field(ge=1)
    value: float
    arm: str | None = None
    source: str = ""


class ExperimentSpec(BaseModel):
    """A whole experiment: where, how long, how many replications, which arms."""

    model_config = ConfigDict(extra="forbid", strict=True)  # no silent conversions (e.g. true -> 1)
    name: str
    description: str = ""
    preset: str = presets.DEFAULT_PRESET
    months: int = Field(48, ge=1, le=600)
    replications: int = Field(10, ge=1, le=100_000)
    seeds: list[int] | None = Field(None, min_length=1, description="Explicit seeds, one per replication.")
    seed: int = Field(1, ge=0, description="Replication r uses seed + r (unless seeds are listed).")
    labour_market: str = "stable"
    parameters: dict[str, Any] = Field(default_factory=dict)
    arms: dict[str, ArmSpec]
    target: TargetSpec | None = None

    _plain_name = field_validator("name")(lambda name: directory_name(name))

    @field_validator("parameters")
    @classmethod
    def _not_the_top_level_keys(cls, parameters):
        return without_top_level_keys(parameters)

    @field_validator("arms")
    @classmethod
    def _has_baseline(cls, arms):
        if "baseline" not in arms:
            raise ValueError("needs an arm named 'baseline' (the comparison for every other arm)")
        return arms

    @field_validator("seeds")
    @classmethod
    def _distinct(cls, seeds):
        if seeds is not None and len(set(seeds)) != len(seeds):
            raise ValueError("seeds must be distinct (a repeated seed repeats a replication)")
        return seeds

    def seed_list(self) -> list[int]:
        return list(self.seeds) if self.seeds else [self.seed + r for r in range(self.replications)]

    def arm_measures(self, arm: str) -> list[Measure]:
        spec = self.arms[arm]
        out = programmes.measures(spec.programme) if spec.programme else []
        where = f"arms.{arm}.measures: "
        return out + [make_measure(m.name, m.parameters, where=where) for m in spec.measures]

    def arm_overrides(self, arm: str) -> dict[str, Any]:
        """Parameter overrides of one arm on top of the preset: experiment-wide, then the arm's."""
        return {**self.parameters, "months": self.months, "labour_market": self.labour_market,
                **self.arms[arm].parameters}

    def arm_parameters(self, arm: str) -> Parameters:
        """The complete, validated parameters of one arm (measures' own overrides included)."""
        return resolve_parameters(presets.preset_parameters(self.preset), self.arm_overrides(arm),
                                  measure_overrides(self.arm_measures(arm), where=f"arms.{arm}.measures: "),
                                  where=f"arms.{arm}: ")


def load(source: str | Path | dict, replications: int | None = None) -> tuple[ExperimentSpec, str]:
    """Read and validate an experiment (a TOML path or a dict). Returns the spec and the file text.

    Every arm is fully resolved here (measures built, parameters validated), so a mistake
    anywhere stops the experiment before anything is written.
    """
    data, text, where = read_toml(source, "experiment")
    if replications is not None:
        data["replications"] = replications
        data.pop("seeds", None)
    spec = validated(ExperimentSpec, data, where, _allowed)
    try:
        resolve_parameters(presets.preset_parameters(spec.preset), spec.parameters, where="parameters: ")
        for arm in spec.arms:
            if spec.arms[arm].programme:
                try:
                    programmes.info(spec.arms[arm].programme)
                except UserError as exc:
                    raise UserError(f"arms.{arm}.programme: {exc}") from None
            spec.arm_parameters(arm)
        if spec.target and spec.target.arm and spec.target.arm not in spec.arms:
            raise UserError(f"target.arm: unknown arm '{spec.target.arm}'. Arms: {', '.join(spec.arms)}.")
    except UserError as exc:
        raise UserError(f"{where}{exc}") from None
    return spec, text


def file_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _allowed(key: str) -> str:
    top = set(ExperimentSpec.model_fields)
    first = key.split(".")[0]
    if first not in top:
        return f" Allowed keys: {', '.join(sorted(top))}."
    parts = key.split(".")
    if first == "arms" and len(parts) >= 5 and parts[2] == "measures":
        return f" Allowed in a measure entry: {', '.join(MeasureSpec.model_fields)}."
    if first == "arms" and len(parts) >= 3:
        return f" Allowed in an arm: {', '.join(ArmSpec.model_fields)}."
    if first == "target" and len(parts) >= 2:
        return f" Allowed in the target: {', '.join(TargetSpec.model_fields)}."
    return ""
