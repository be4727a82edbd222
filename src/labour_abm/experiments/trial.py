"""`labour-abm trial FILE`: a randomised trial emulated inside the simulated caseload.

A trial file (TOML, see docs/trials.md) describes a study the way it was run: the city, who was
eligible at randomisation, how many took part in each arm, what each arm got (measures), the
outcome definitions and horizons. For each replication the model runs one world per arm (the
control arm is the baseline) from the same seed: with common random numbers every eligible
person is in every world, so the model knows each person's outcome with and without each
measure. The trial then draws its participants from the eligible, assigns them at random
(many times over: ``assignments``) and estimates each arm's effect by the difference in means,
as the study did. Its findings sit next to the model's true effect on the same people and, when
the arm names a study in data/evidence.toml, next to the published estimate.

Each arm's world gives the measure to everyone it reaches, not only to the participants: the
participants' outcomes are those of the measure rolled out, so what other recipients who got it
too take from them (or give them) in the labour market is in them. A real trial of a few hundred
people has almost none of that; docs/trials.md says what it means for reading the results.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from ..analysis import evidence, trials
from ..core import presets
from ..core.model import LabourModel
from ..core.params import resolve_parameters
from ..core.population import HOUSEHOLDS, ON_BENEFIT, WORK
from ..errors import UserError, validated
from ..io import store
from ..io.files import atomic_write, read_toml, write_json
from ..io.provenance import versions
from ..measures import MeasureSpec, make_measure, measure_overrides
from .experiment import MAX_SEED, directory_name, without_top_level_keys
from .runner import run_jobs

CONTROL = "control"
OUTPUTS = ("trial_estimates.parquet", "trial_truth.parquet", "trial_summary.csv")


class EligibleSpec(BaseModel):
    """Who could take part, by what a municipality knows of a recipient at randomisation."""

    model_config = ConfigDict(extra="forbid", strict=True)
    age_min: float = Field(18.0, ge=18, le=67)
    age_max: float = Field(67.0, ge=18, le=67, description="Younger than this.")
    months_on_benefit_min: int = Field(0, ge=0, le=600)
    months_on_benefit_max: int | None = Field(None, ge=0, le=600)
    households: list[Literal[HOUSEHOLDS]] | None = None  # type: ignore[valid-type]
    exclude_exempt: bool = Field(True, description="Leave out those exempted from the duty to work (health, care).")
    exclude_working: bool = Field(False, description="Leave out those in part-time work at randomisation.")
    statushouder: bool | None = None

    @model_validator(mode="after")
    def _ranges(self):
        if self.age_max <= self.age_min:
            raise ValueError("eligible.age_max must be above eligible.age_min")
        if self.months_on_benefit_max is not None and self.months_on_benefit_max < self.months_on_benefit_min:
            raise ValueError("eligible.months_on_benefit_max must be at least eligible.months_on_benefit_min")
        return self

    def rows(self, pop) -> np.ndarray:
        """Population rows of the eligible (on benefit) people, in uid order."""
        mask = (pop.status == ON_BENEFIT) & (pop.age_years >= self.age_min) & (pop.age_years < self.age_max)
        mask &= pop.months_on_benefit >= self.months_on_benefit_min
        if self.months_on_benefit_max is not None:
            mask &= pop.months_on_benefit <= self.months_on_benefit_max
        if self.households is not None:
            mask &= np.isin(pop.household, [HOUSEHOLDS.index(h) for h in self.households])
        if self.exclude_exempt:
            mask &= ~pop.exempt & ~pop.care_exempt
        if self.exclude_working:
            mask &= pop.parttime_hours == 0
        if self.statushouder is not None:
            mask &= pop.statushouder == self.statushouder
        return mask.nonzero()[0]


class TrialArmSpec(BaseModel):
    """One arm: its participants and the measures they get (the control arm gets none)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    participants: int = Field(ge=2, le=1_000_000)
    measures: list[MeasureSpec] = Field(default_factory=list)
    evidence: str | None = Field(None, description="The study arm in data/evidence.toml ('study.arm') whose "
                                 "published results this arm is compared with.")


class TrialSpec(BaseModel):
    """A whole trial: where, who, how many, what, measured how and when."""

    model_config = ConfigDict(extra="forbid", strict=True)
    name: str
    description: str = ""
    preset: str = presets.DEFAULT_PRESET
    labour_market: str = "stable"
    parameters: dict[str, Any] = Field(default_factory=dict)
    seed: int = Field(1, ge=0, le=MAX_SEED - 100_000, description="Replication r uses seed + r.")
    replications: int = Field(10, ge=1, le=10_000)
    assignments: int = Field(100, ge=1, le=10_000, description="Random assignments per replication.")
    horizons: list[Annotated[int, Field(ge=1, le=240)]] = Field(min_length=1)
    outcomes: list[Literal[tuple(trials.OUTCOMES)]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(trials.OUTCOMES), min_length=1)
    eligible: EligibleSpec = Field(default_factory=EligibleSpec)
    arms: dict[Annotated[str, AfterValidator(lambda arm: store.safe_name(arm, "arm name"))], TrialArmSpec]

    _plain_name = field_validator("name")(lambda name: directory_name(name))
    _parameters = field_validator("parameters")(lambda parameters: without_top_level_keys(parameters))

    @field_validator("horizons")
    @classmethod
    def _sorted(cls, horizons):
        return sorted(set(horizons))

    @field_validator("arms")
    @classmethod
    def _control(cls, arms):
        if CONTROL not in arms:
            raise ValueError("needs an arm named 'control' (the comparison for every other arm)")
        if arms[CONTROL].measures:
            raise ValueError("the control arm gets no measures (it is the baseline)")
        if len(arms) < 2:
            raise ValueError("needs at least one arm besides 'control'")
        return arms

    @property
    def treated(self) -> list[str]:
        return [a for a in self.arms if a != CONTROL]

    def arm_measures(self, arm: str) -> list[dict]:
        built = [make_measure(m.name, m.parameters, where=f"arms.{arm}.measures: ") for m in self.arms[arm].measures]
        return [{"name": m.name, "parameters": m.p.model_dump()} for m in built]

    def overrides(self) -> dict[str, Any]:
        return {**self.parameters, "labour_market": self.labour_market, "months": max(self.horizons)}


def load(source: str | Path | dict, replications: int | None = None) -> tuple[TrialSpec, str]:
    """Read and validate a trial file; every arm is resolved, so a mistake stops it before it runs."""
    data, text, where = read_toml(source, "trial")
    if replications is not None:
        data["replications"] = replications
    spec = validated(TrialSpec, data, where, _allowed)
    try:
        base = presets.preset_parameters(spec.preset)
        for arm in spec.arms:
            measures = [make_measure(m.name, m.parameters, where=f"arms.{arm}.measures: ")
                        for m in spec.arms[arm].measures]
            resolve_parameters(base, spec.overrides(), measure_overrides(measures, where=f"arms.{arm}.measures: "),
                               where="parameters: ")
            if spec.arms[arm].evidence is not None:
                evidence.study_arm(spec.arms[arm].evidence, where=f"arms.{arm}.evidence: ")
    except UserError as exc:
        raise UserError(f"{where}{exc}") from None
    return spec, text


def _allowed(key: str) -> str:
    parts = key.split(".")
    if parts[0] not in TrialSpec.model_fields:
        return f" Allowed keys: {', '.join(TrialSpec.model_fields)}."
    if parts[0] == "eligible" and len(parts) == 2:
        return f" Allowed in eligible: {', '.join(EligibleSpec.model_fields)}."
    if parts[0] == "arms" and len(parts) == 3:
        return f" Allowed in an arm: {', '.join(TrialArmSpec.model_fields)}."
    if parts[0] == "outcomes":
        return f" Outcomes: {', '.join(trials.OUTCOMES)}."
    return ""


# ------------------------------------------------------------------------------ one world
def run_world(preset: str, seed: int, measures: list[dict], overrides: dict, eligible: dict,
              horizons: list[int]) -> tuple[np.ndarray, dict[int, dict[str, np.ndarray]]]:
    """One arm's world of one replication: the eligible people's uids at randomisation (month 0)
    and their trial outcomes at each horizon. A person the model stops following (moved away,
    followed long enough) keeps the state last seen."""
    model = LabourModel(preset=preset, seed=seed, measures=[make_measure(m["name"], m["parameters"]) for m in measures],
                        **overrides)
    pop = model.pop
    uids = pop.uid[EligibleSpec(**eligible).rows(pop)].copy()
    on_benefit, employed = np.ones(len(uids), bool), np.zeros(len(uids), bool)
    hours, left = np.zeros(len(uids), np.float32), np.zeros(len(uids), bool)
    found: dict[int, dict[str, np.ndarray]] = {}
    for month in range(1, max(horizons) + 1):
        model.step()
        rows = np.minimum(np.searchsorted(pop.uid, uids), len(pop) - 1)
        seen = pop.uid[rows] == uids
        r = rows[seen]
        on_benefit[seen], employed[seen] = pop.status[r] == ON_BENEFIT, pop.employed[r]
        hours[seen] = pop.parttime_hours[r]
        left[seen] |= (pop.status[r] != ON_BENEFIT) & (pop.exit_reason[r] == WORK)
        if month in horizons:
            found[month] = trials.person_outcomes(on_benefit, employed, hours, left)
    return uids, found


# ------------------------------------------------------------------------------- the trial
def run_trial(source: str | Path | dict, out: str | Path | None = None, workers: int | None = None,
              replications: int | None = None, progress: bool | None = None, fresh: bool = False) -> Path:
    """Run a trial file; write its tables (and the file and a manifest) to ``out``
    (default results/<name>) and return the directory."""
    spec, text = load(source, replications)
    _check_enough_eligible(spec)
    with store.held(Path(out) if out else Path("results") / spec.name, "trial", fresh) as out_dir:
        store.clear(out_dir, store.RESULT_ENTRIES)
        t0 = time.perf_counter()
        worlds = _worlds(spec, workers, progress)
        estimates, truth = _findings(spec, worlds)
        published = evidence.published({a: s.evidence for a, s in spec.arms.items() if s.evidence},
                                       spec.outcomes, spec.horizons)
        summary = trials.summarise(estimates, truth, published)
        store.write_table(estimates, out_dir / OUTPUTS[0])
        store.write_table(truth, out_dir / OUTPUTS[1])
        atomic_write(out_dir / OUTPUTS[2], lambda tmp: summary.to_csv(tmp, index=False, float_format="%.6g"))
        atomic_write(out_dir / "trial.toml", lambda tmp: Path(tmp).write_text(text))
        write_json(out_dir / store.MANIFEST, {"kind": "trial", "spec": spec.model_dump(), **versions(),
                                              "seconds": round(time.perf_counter() - t0, 1)})
    return out_dir


def _check_enough_eligible(spec: TrialSpec) -> None:
    """Refuse a trial with more participants than some replication has eligible people (the
    caseload at month 0 only: cheap), before anything runs or is written."""
    need = sum(a.participants for a in spec.arms.values())
    for r in range(spec.replications):
        model = LabourModel(preset=spec.preset, seed=spec.seed + r, **spec.overrides())
        n = len(spec.eligible.rows(model.pop))
        if need > n:
            raise UserError(f"the trial needs {need} participants but {spec.preset} has {n} eligible people at "
                            f"randomisation (replication {r}); lower the arms' participants, widen 'eligible', or "
                            "raise parameters.initial_stock.")


def _worlds(spec: TrialSpec, workers: int | None, progress: bool | None) -> dict[tuple[int, str], tuple]:
    """Every (replication, arm) world, on ``workers`` local processes."""
    return run_jobs(run_world, {(r, arm): (spec.preset, spec.seed + r, spec.arm_measures(arm), spec.overrides(),
                                           spec.eligible.model_dump(), spec.horizons)
                                for r in range(spec.replications) for arm in spec.arms}, workers, progress)


def _findings(spec: TrialSpec, worlds: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The emulated trials (per replication, assignment, arm, outcome, horizon) and the true
    effects on the eligible (per replication, arm, outcome, horizon)."""
    sizes = [spec.arms[CONTROL].participants] + [spec.arms[a].participants for a in spec.treated]
    estimates, truth = [], []
    for r in range(spec.replications):
        uids, control = worlds[r, CONTROL]
        for arm in spec.treated:
            if not np.array_equal(worlds[r, arm][0], uids):
                raise RuntimeError(f"replication {r}: arm {arm} has other eligible people than the control world")
        picks = trials.assign(len(uids), sizes, np.random.default_rng([spec.seed, r, 0x7121A1]), spec.assignments)
        bounds = np.cumsum(sizes)  # the control group first, then each arm's participants
        for arm, start, end in zip(spec.treated, bounds[:-1], bounds[1:], strict=True):
            for h in spec.horizons:
                with_measure = worlds[r, arm][1][h]
                found = trials.emulate(control[h], with_measure, picks[:, : sizes[0]], picks[:, start:end])
                estimates.append(found.assign(replication=r, arm=arm, horizon=h))
                true = trials.true_effects(control[h], with_measure)
                truth.append(pd.DataFrame({"replication": r, "arm": arm, "horizon": h, "outcome": list(true),
                                           "true_effect_eligible": list(true.values()), "eligible": len(uids)}))
    keep = ["replication", "assignment", "arm", "outcome", "horizon", "estimate", "se", "control_mean",
            "true_effect_participants"]
    est = pd.concat(estimates, ignore_index=True)[keep]
    tru = pd.concat(truth, ignore_index=True)
    return (est[est["outcome"].isin(spec.outcomes)].reset_index(drop=True),
            tru[tru["outcome"].isin(spec.outcomes)].reset_index(drop=True))
