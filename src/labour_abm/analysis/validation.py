"""Validation: the baseline's statistics against targets with sources, as a scorecard.

:func:`statistics` computes, from one run's stored tables, every statistic the baseline is
judged on: the flows and shares of CALIBRATION.md and the empirical patterns beyond them
(the exit hazard by months on benefit, the age gradient of job finding, returns of all
leavers). A targets file (``data/targets/<preset>.toml``, or any TOML with ``[[target]]``
tables) gives for some of them a value, a tolerance and a source. :func:`scorecard` runs the
baseline with several seeds and reports, for every statistic, the simulated mean and 95%
interval across seeds, and where there is a target, whether the mean lies within tolerance.

``labour-abm validate`` (:func:`labour_abm.experiments.calibration.validate`) runs the baseline
and writes the scorecard.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from ..errors import UserError, shorter, validated
from ..io.files import read_toml
from .patterns import (
    BELOW_PENSION_AGE,
    DURATION_BANDS,
    exit_hazard_by_duration,
    exit_to_work_by_age,
    exits_by_duration,
    inflow_back_within,
    left_within,
    on_benefit_after,
    return_rate,
    stock_left_within_year,
    summary,
)


def _band_statistic(lo: int, hi: int) -> str:
    return f"exit_work_hazard_{lo}_{hi - 1}m" if hi < 10_000 else f"exit_work_hazard_{lo}m_plus"


def _exit_band_statistic(lo: int, hi: int) -> str:
    return f"exits_after_{lo}_{hi - 1}m" if hi < 10_000 else f"exits_after_{lo}m_plus"


# returns by exit reason besides work: exit reason -> how the scorecard says it
RETURN_REASONS = {"partner": "with a partner who has income", "other": "for other reasons (detention, unknown)",
                  "obligations": "because the benefit was ended for not meeting obligations (a sanctioned person "
                  "who dropped out, information not given in time)",
                  "unjustified": "because the benefit was found unjustified"}
# exits through enforcement, as Divosa counts them (handhaving): ended for obligations or found unjustified
ENFORCEMENT = ("obligations", "unjustified")
# returns by the length of the spell that ended: name -> (how the scorecard says it, months (at least, less than))
PRIOR_SPELLS = {"under_12m": ("less than 12 months", (0, 12)), "24m_plus": ("24 months or more", (24, 100_000))}

# statistic -> what it is (the scorecard's rows, in this order)
STATISTICS = {
    "monthly_exit_hazard": "share of the stock leaving benefit per month, every reason (pension age included)",
    "monthly_exit_hazard_below_pension_age": "share of the stock leaving benefit per month for a reason other than "
                                             "reaching pension age (outflow as CBS counts it: below AOW age)",
    "monthly_pension_exit_share": "share of the stock leaving benefit per month because they reach pension age",
    "share_exits_to_work": "share of exits that are to work, every reason (pension age included)",
    "share_exits_to_work_below_pension_age": "share of exits other than at pension age that are to work",
    "share_with_earnings": "share of recipients with part-time earnings",
    "mean_parttime_earnings_eur": "mean part-time earnings of those with earnings, EUR per month",
    "monthly_inflow_share": "inflow per month as a share of the stock",
    "stock_change_share": "change of the stock over the run (end / start - 1)",
    "stock_change_per_year": "yearly rate of change of the stock over the run",
    "share_on_benefit_5y_plus": "share of the stock on benefit five years or more",
    "return_12m_after_work": "share of exits to work followed by a new spell within 12 months",
    "return_6m_after_work": "share of exits to work followed by a new spell within 6 months",
    "return_6m_after_enforcement": "share of exits through enforcement (a benefit ended for not meeting obligations "
                                   "or found unjustified) followed by a new spell within 6 months",
    "on_benefit_18m_after_work": "share of exits to work after which the person is on benefit 18 months later (a "
                                 "point in time, as CBS follows a cohort of exits to work)",
    **{f"return_12m_after_{r}": f"share of exits {why} followed by a new spell within 12 months"
       for r, why in RETURN_REASONS.items()},
    **{f"return_{h}m_below_pension_age": f"share of exits other than at pension age followed by a new spell within "
       f"{h} months" for h in (6, 12, 24)},
    **{f"return_12m_after_spell_{name}": f"share of exits other than at pension age after a spell of {what} followed "
       "by a new spell within 12 months" for name, (what, _) in PRIOR_SPELLS.items()},
    **{f"share_new_spells_left_{h}m": f"share of new spells (starting after the first 12 months) that end within "
       f"{h} months" for h in (6, 12)},
    "share_of_stock_left_within_year": "share of the people on benefit at the start of a year whose benefit ended "
                                       "within the year, for a reason other than reaching pension age",
    "share_of_stock_to_work_within_year": "share of the people on benefit at the start of a year whose benefit ended "
                                          "within the year for work",
    "share_inflow_left_past_12m": "share of the inflow (after the first 12 months) who left benefit in the 12 months "
                                  "before",
    **{_exit_band_statistic(lo, hi): f"share of the exits other than at pension age (after the first 12 months) that "
       f"ended a spell of {lo}{'-' + str(hi - 1) if hi < 10_000 else '+'} months"
       for lo, hi in zip(DURATION_BANDS[:-1], DURATION_BANDS[1:], strict=True)},
    **{_band_statistic(lo, hi): f"monthly exit-to-work hazard at {lo}{'-' + str(hi - 1) if hi < 10_000 else '+'} "
       "months on benefit" for lo, hi in zip(DURATION_BANDS[:-1], DURATION_BANDS[1:], strict=True)},
    "duration_dependence_ratio": "exit-to-work hazard at 24+ months relative to 0-5 months",
    "exit_work_hazard_age_45_plus_vs_27_34": "exit-to-work hazard at 45+ relative to ages 27-34",
    "share_age_45_plus": "share of the stock aged 45 or more",
    "share_age_under_27": "share of the stock under 27",
    "share_migrant": "share of the stock with a migration background",
    "share_no_start_qualification": "share of the stock without a start qualification",
    "share_poor_mental_health": "share of the stock in poor mental health",
    "share_insufficient_dutch": "share of the stock with insufficient Dutch",
    "share_problematic_debt": "share of the stock with problematic debts",
    "share_single": "share of the stock living alone",
    "share_exempt": "share of the stock exempt from the duty to work",
}


def statistics(monthly: pd.DataFrame, spells: pd.DataFrame, skip_months: int = 12) -> dict[str, float]:
    """Every statistic of :data:`STATISTICS` for one run (flows averaged after ``skip_months``)."""
    months = len(monthly)
    out = dict(summary(monthly, skip_months))
    out["stock_change_per_year"] = (1.0 + out["stock_change_share"]) ** (12.0 / months) - 1.0
    out["return_12m_after_work"] = return_rate(spells, months, 12, reason="work")
    out["return_6m_after_work"] = return_rate(spells, months, 6, reason="work")
    out["return_6m_after_enforcement"] = return_rate(spells, months, 6, reason=ENFORCEMENT)
    out["on_benefit_18m_after_work"] = on_benefit_after(spells, months, 18, reason="work")
    for reason in RETURN_REASONS:
        out[f"return_12m_after_{reason}"] = return_rate(spells, months, 12, reason=reason)
    for h in (6, 12, 24):
        out[f"return_{h}m_below_pension_age"] = return_rate(spells, months, h, reason=BELOW_PENSION_AGE)
    for name, (_, durations) in PRIOR_SPELLS.items():
        out[f"return_12m_after_spell_{name}"] = return_rate(spells, months, 12, reason=BELOW_PENSION_AGE,
                                                            durations=durations)
    for h in (6, 12):
        out[f"share_new_spells_left_{h}m"] = left_within(spells, months, h, skip_months)
    out["share_of_stock_left_within_year"] = stock_left_within_year(spells, months, BELOW_PENSION_AGE, skip_months)
    out["share_of_stock_to_work_within_year"] = stock_left_within_year(spells, months, "work", skip_months)
    out["share_inflow_left_past_12m"] = inflow_back_within(spells, 12, max(skip_months, 12))
    shares = exits_by_duration(spells, skip_months)
    for i, (lo, hi) in enumerate(zip(DURATION_BANDS[:-1], DURATION_BANDS[1:], strict=True)):
        out[_exit_band_statistic(lo, hi)] = float(shares.iloc[i])
    by_duration = exit_hazard_by_duration(spells, months)
    for i, (lo, hi) in enumerate(zip(DURATION_BANDS[:-1], DURATION_BANDS[1:], strict=True)):
        out[_band_statistic(lo, hi)] = float(by_duration["exit_to_work_hazard"].iloc[i])
    # ratios of person-month-weighted hazards: 24+ vs 0-5 months on benefit; 45+ vs 27-34 years old
    out["duration_dependence_ratio"] = _ratio(by_duration, by_duration["band"].isin(["24-59", "60+"]),
                                              by_duration["band"] == "0-5")
    by_age = exit_to_work_by_age(spells, months)
    out["exit_work_hazard_age_45_plus_vs_27_34"] = _ratio(by_age, by_age["band"].isin(["45-54", "55-66"]),
                                                          by_age["band"] == "27-34")
    tail = monthly.iloc[skip_months:] if months > skip_months else monthly
    for col in ("share_age_45_plus", "share_age_under_27", "share_migrant", "share_no_start_qualification",
                "share_poor_mental_health", "share_insufficient_dutch", "share_problematic_debt", "share_single",
                "share_exempt"):
        out[col] = float(tail[col].mean())
    return {k: float(out[k]) for k in STATISTICS}


def _ratio(table: pd.DataFrame, group: pd.Series, reference: pd.Series) -> float:
    """Exit-to-work hazard of ``group`` rows over that of ``reference`` rows (person-month weighted)."""
    def hazard(rows):
        t = table[rows]
        weight = t["person_months"].sum()
        return float((t["exit_to_work_hazard"] * t["person_months"]).sum() / weight) if weight > 0 else np.nan

    ref = hazard(reference)
    return hazard(group) / ref if ref > 0 else np.nan


# -------------------------------------------------------------------------------- targets
class Target(BaseModel):
    """One target: a statistic, its value, how far off still passes, and where it comes from."""

    model_config = ConfigDict(extra="forbid", strict=True)
    statistic: str
    value: float
    tolerance: float = Field(gt=0, description="passes if |simulated mean - value| <= tolerance")
    source: str = Field(min_length=1)
    role: Literal["calibration", "check"] = Field(
        "calibration", description="'calibration': the free parameters are fitted to it (labour-abm calibrate); "
        "'check': kept out of the fit, so meeting it says something the fit did not force")


class Targets(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    description: str = ""
    based_on: str | None = Field(None, description="a shipped targets file (e.g. 'national') whose targets come "
                                 "first; this file's own targets are added to them")
    without: list[str] = Field([], description="statistics of the base's targets to leave out (e.g. one that this "
                               "file replaces with its own)")
    target: list[Target] = []


def _shipped_targets(name: str, where: str = "", key: str = "no targets file") -> tuple[dict, str]:
    """The data of a shipped targets file (``data/targets/<name>.toml``) and where it is, for
    errors; an unknown name is a UserError that starts with ``where`` and ``key``."""
    files = resources.files("labour_abm") / "data" / "targets"
    if not name or not (files / f"{name}.toml").is_file():
        shipped = sorted(p.name.removesuffix(".toml") for p in files.iterdir() if p.name.endswith(".toml"))
        raise UserError(f"{where}{key} '{shorter(name)}': not a shipped targets file; shipped: {', '.join(shipped)}"
                        f"{'' if where else ' (or give --targets FILE)'}.")
    return tomllib.loads((files / f"{name}.toml").read_text(encoding="utf-8")), f"targets '{name}': "


def load_targets(preset: str | None = None, path: str | Path | None = None) -> list[Target]:
    """Targets from ``path``, or the preset's shipped file (``data/targets/<preset>.toml``): a
    file ``based_on`` another shipped file has that file's targets (but those it leaves out
    ``without``), then its own."""
    if path is None:
        data, where = _shipped_targets(str(preset))
    else:
        data, _, where = read_toml(path, "targets")
    hint = " A targets file has description, based_on, without and [[target]] tables; a target has statistic, " \
           "value, tolerance, source and role."
    spec = validated(Targets, data, where, lambda key: hint)
    targets = []
    if spec.based_on is not None:
        base_data, base_where = _shipped_targets(spec.based_on, where, "based_on")
        base = validated(Targets, base_data, base_where, lambda key: hint)
        if base.based_on is not None:
            raise UserError(f"{where}based_on '{spec.based_on}' is itself based on '{base.based_on}'; base a file on "
                            "one without based_on.")
        missing = sorted(set(spec.without) - {t.statistic for t in base.target})
        if missing:
            raise UserError(f"{where}without: '{shorter(missing[0])}' is not a target of '{spec.based_on}'.")
        targets = [t for t in base.target if t.statistic not in spec.without]
    elif spec.without:
        raise UserError(f"{where}without needs based_on: there are no base targets to leave out.")
    twice = sorted({t.statistic for t in targets} & {t.statistic for t in spec.target})
    if twice:
        raise UserError(f"{where}'{shorter(twice[0])}' is a target of '{spec.based_on}' too; leave it out of the base "
                        f"with without = [\"{shorter(twice[0])}\"] to give your own.")
    targets += spec.target
    if not targets:
        raise UserError(f"{where}no targets: give [[target]] tables or based_on a shipped file.")
    unknown = [t.statistic for t in targets if t.statistic not in STATISTICS]
    if unknown:
        raise UserError(f"{where}unknown statistic '{shorter(unknown[0])}'. Statistics: {', '.join(STATISTICS)}.")
    return targets


def months_needed(statistic: str, skip_months: int = 12) -> int:
    """The shortest run that gives ``statistic`` a value: a return within h months needs an exit
    observed for h months after it (:func:`labour_abm.analysis.patterns.return_rate`), so h + 1
    months; new spells are followed from ``skip_months`` on, for h months; the inflow is looked
    at from month 12 on; the stock at the start of a year is followed for the year from
    ``skip_months`` on."""
    if horizon := re.match(r"(?:return|on_benefit)_(\d+)m_", statistic):
        return int(horizon.group(1)) + 1
    if horizon := re.match(r"share_new_spells_left_(\d+)m", statistic):
        return skip_months + int(horizon.group(1)) + 1
    if statistic == "share_inflow_left_past_12m":
        return max(skip_months, 12) + 1
    if statistic.startswith("share_of_stock_") and statistic.endswith("_within_year"):
        return skip_months + 12
    return 1


def check_months(months: int, targets: list[Target], where: str) -> None:
    """Refuse a run length too short to give every target a value."""
    short = [t.statistic for t in targets if months < months_needed(t.statistic)]
    if short:
        need = max(months_needed(s) for s in short)
        raise UserError(f"{where}--months {months} is too short for the target {short[0]} (needs at least {need} "
                        "months); give more months or targets without it.")


# ------------------------------------------------------------------------------ scorecard
def scorecard(per_run: pd.DataFrame, targets: list[Target]) -> pd.DataFrame:
    """One row per statistic: target, tolerance, source, simulated mean and 95% interval across
    runs, and pass/fail (empty where there is no target). ``per_run``: one row per run, one
    column per statistic."""
    by_name = {t.statistic: t for t in targets}
    rows = []
    for name, meaning in STATISTICS.items():
        values = per_run[name].dropna().to_numpy(dtype=float)
        mean = float(values.mean()) if len(values) else np.nan
        low, high = (np.percentile(values, [2.5, 97.5]) if len(values) > 1 else (mean, mean))
        t = by_name.get(name)
        # a target the runs give no value for (too short for a return horizon) is not met
        passed = None if t is None else bool(abs(mean - t.value) <= t.tolerance)
        rows.append({"statistic": name, "meaning": meaning, "target": t.value if t else np.nan,
                     "tolerance": t.tolerance if t else np.nan, "source": t.source if t else "",
                     "role": t.role if t else "",
                     "simulated_mean": mean, "sim_low": float(low), "sim_high": float(high),
                     "n_runs": len(values), "passed": passed})
    return pd.DataFrame(rows)


def summary_line(card: pd.DataFrame) -> str:
    judged = card[card["passed"].notna()]
    failed = judged[judged["passed"] == False]  # noqa: E712 - an object column of True/False/None
    line = f"{int((judged['passed'] == True).sum())} of {len(judged)} targets met"  # noqa: E712
    if (judged["role"] == "check").any():
        line += " (" + ", ".join(f"{what} {int((d['passed'] == True).sum())} of {len(d)}"  # noqa: E712
                                 for what, d in (("calibration", judged[judged["role"] == "calibration"]),
                                                 ("out-of-sample checks", judged[judged["role"] == "check"]))) + ")"
    if len(failed):
        names = [f"{n} (no value: run too short?)" if np.isnan(m) else n
                 for n, m in zip(failed["statistic"], failed["simulated_mean"], strict=True)]
        line += f"; missed: {', '.join(names)}"
    return line + f"; {len(card) - len(judged)} statistics reported without a target."
