"""Empirical patterns computed from a run's tidy tables (spells, monthly).

These are the statistics the baseline is judged on (CALIBRATION.md and beyond): exit hazards,
the duration profile of exit to work, returns after leaving, the long-term share. They read
only the output tables, never model internals, so they work on any stored run.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from ..core.population import EXIT_REASONS

DURATION_BANDS = (0, 6, 12, 24, 60, 10_000)  # months on benefit: 0-5, 6-11, 12-23, 24-59, 60+
AGE_BANDS = (18, 27, 35, 45, 55, 67)
# exits of people below pension age, as CBS counts outflow and returns: all but reaching it
BELOW_PENSION_AGE = tuple(r for r in EXIT_REASONS if r != "pension")


def summary(monthly: pd.DataFrame, skip_months: int = 12) -> dict[str, float]:
    """Headline flows and shares, averaged over months after ``skip_months`` of settling in."""
    m = monthly.iloc[skip_months:] if len(monthly) > skip_months else monthly
    stock_before = monthly["stock"].shift(1).fillna(monthly["stock"].iloc[0] + monthly["exits"].iloc[0]
                                                    - monthly["inflow"].iloc[0])
    hazard = (monthly["exits"] / stock_before).iloc[m.index]
    pension = (monthly["exits_reason_pension"] / stock_before).iloc[m.index]
    below_pension_age = m["exits"] - m["exits_reason_pension"]  # as CBS counts outflow: below AOW age
    return {
        "monthly_exit_hazard": float(hazard.mean()),
        "monthly_exit_hazard_below_pension_age": float((hazard - pension).mean()),
        "monthly_pension_exit_share": float(pension.mean()),
        "share_exits_to_work": float(m["exits_work"].sum() / max(m["exits"].sum(), 1)),
        "share_exits_to_work_below_pension_age": float(m["exits_work"].sum() / max(below_pension_age.sum(), 1)),
        "share_with_earnings": float((m["recipients_with_earnings"] / m["stock"]).mean()),
        "mean_parttime_earnings_eur": float(m["mean_parttime_earnings_eur"].mean()),
        "monthly_inflow_share": float((m["inflow"] / stock_before.iloc[m.index]).mean()),
        "sanctions_per_month_share": float((m["sanctions_imposed"] / m["stock"]).mean()),
        "stock_change_share": float(monthly["stock"].iloc[-1] / stock_before.iloc[0] - 1),
        "share_on_benefit_5y_plus": float(m["share_on_benefit_5y_plus"].mean()),
    }


def spell_months(spells: pd.DataFrame, months: int) -> pd.DataFrame:
    """Expand spells to one row per observed month on benefit (months 0..months-1)."""
    start = spells["start_month"].to_numpy()
    end = spells["end_month"].fillna(months).to_numpy(dtype=np.int64)  # exit month, or censoring
    first = np.maximum(start, 0)
    n = np.maximum(0, end - first + 1)  # the exit month itself is observed (exit happens in it)
    n = np.where(spells["end_month"].isna(), end - first, n)
    idx = np.repeat(np.arange(len(spells)), n)
    offset = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    month = first[idx] + offset
    exit_month = spells["end_month"].fillna(-1).to_numpy(dtype=np.int64)[idx]
    reason = spells["exit_reason"].astype(object).to_numpy()[idx]
    return pd.DataFrame({
        "spell": idx,
        "duration": month - start[idx],
        # age_at_start is the age when the spell entered the model (month 0 for the initial stock)
        "age": spells["age_at_start"].to_numpy()[idx] + (month - first[idx]) / 12,
        "exit_work": (exit_month == month) & (reason == "work"),
        "exit_any": exit_month == month,
    })


def exit_hazard_by_duration(spells: pd.DataFrame, months: int, bands=DURATION_BANDS) -> pd.DataFrame:
    """Monthly hazard of exit to work (and of any exit) by months on benefit.

    Duration dependence in the model must emerge from mechanisms (erosion, screening,
    selection), so this profile is a validation pattern, not an input.
    """
    pm = spell_months(spells, months)
    labels = [f"{lo}-{hi - 1}" if hi < 10_000 else f"{lo}+" for lo, hi in zip(bands[:-1], bands[1:], strict=True)]
    pm["band"] = pd.cut(pm["duration"], bins=list(bands), right=False, labels=labels)
    g = pm.groupby("band", observed=False)
    return pd.DataFrame({
        "person_months": g.size(),
        "exit_to_work_hazard": g["exit_work"].mean(),
        "exit_hazard": g["exit_any"].mean(),
    }).reset_index()


def exit_to_work_by_age(spells: pd.DataFrame, months: int, bands=AGE_BANDS) -> pd.DataFrame:
    """Monthly hazard of exit to work by age band (the age gradient of job finding)."""
    pm = spell_months(spells, months)
    labels = [f"{lo}-{hi - 1}" for lo, hi in zip(bands[:-1], bands[1:], strict=True)]
    pm["band"] = pd.cut(pm["age"], bins=list(bands), right=False, labels=labels)
    g = pm.groupby("band", observed=False)
    return pd.DataFrame({"person_months": g.size(), "exit_to_work_hazard": g["exit_work"].mean()}).reset_index()


def return_rate(spells: pd.DataFrame, months: int, horizon: int, reason: str | Collection[str] | None = None,
                durations: tuple[int, int] | None = None) -> float:
    """Share of exits (with ``reason`` or one of several, or all; after a spell of ``durations`` =
    (at least, less than) months, or any) followed by a new spell within ``horizon`` months.

    Only exits at least ``horizon`` months before the end of the run count (no censoring).
    """
    ended = spells[spells["end_month"].notna() & (spells["end_month"] <= months - 1 - horizon)]
    if reason is not None:
        ended = ended[ended["exit_reason"].isin([reason] if isinstance(reason, str) else list(reason))]
    if durations is not None:
        lasted = ended["end_month"] - ended["start_month"]
        ended = ended[(lasted >= durations[0]) & (lasted < durations[1])]
    if ended.empty:
        return float("nan")
    starts = spells[["uid", "start_month"]]
    nxt = ended[["uid", "end_month", "spell_id"]].merge(starts, on="uid")
    nxt = nxt[(nxt["start_month"] > nxt["end_month"]) & (nxt["start_month"] <= nxt["end_month"] + horizon)]
    return float(nxt["spell_id"].nunique() / len(ended))


def on_benefit_after(spells: pd.DataFrame, months: int, horizon: int, reason: str = "work") -> float:
    """Share of exits with ``reason`` after which the person is on benefit again ``horizon``
    months later (a spell that covers the month of the exit plus ``horizon``): a point in time,
    as CBS follows a cohort of exits to work, not whether they came back in between. Only exits
    at least ``horizon`` months before the end of the run count."""
    ended = spells[spells["end_month"].notna() & (spells["end_month"] <= months - 1 - horizon)
                   & (spells["exit_reason"] == reason)]
    if ended.empty:
        return float("nan")
    pairs = ended[["uid", "end_month", "spell_id"]].merge(spells[["uid", "start_month", "end_month"]], on="uid",
                                                          suffixes=("", "_next"))
    then = pairs["end_month"] + horizon
    covered = (pairs["start_month"] > pairs["end_month"]) & (pairs["start_month"] <= then) & (
        pairs["end_month_next"].isna() | (pairs["end_month_next"] > then))
    return float(pairs.loc[covered, "spell_id"].nunique() / len(ended))


def left_within(spells: pd.DataFrame, months: int, horizon: int, skip_months: int = 12) -> float:
    """Share of new spells that end within ``horizon`` months of their start (the exit month
    less than ``horizon`` months after the start month): spells starting in months
    ``skip_months`` .. ``months - 1 - horizon``, so each is seen for ``horizon`` months."""
    new = spells[(spells["start_month"] >= skip_months) & (spells["start_month"] <= months - 1 - horizon)]
    if new.empty:
        return float("nan")
    return float(((new["end_month"] - new["start_month"]) < horizon).sum() / len(new))


def inflow_back_within(spells: pd.DataFrame, horizon: int, skip_months: int = 12) -> float:
    """Share of the inflow (spells starting in month ``skip_months`` or later) whose person left
    benefit within the ``horizon`` months before (a spell that ended at most ``horizon`` months
    before the new one started). ``skip_months`` >= ``horizon`` keeps the look-back inside the run."""
    entries = spells[spells["start_month"] >= skip_months]
    if entries.empty:
        return float("nan")
    ended = spells[spells["end_month"].notna()][["uid", "end_month"]]
    pairs = entries[["uid", "start_month", "spell_id"]].merge(ended, on="uid")
    gap = pairs["start_month"] - pairs["end_month"]
    return float(pairs.loc[(gap > 0) & (gap <= horizon), "spell_id"].nunique() / len(entries))


def stock_left_within_year(spells: pd.DataFrame, months: int, reason: str | Collection[str],
                           skip_months: int = 12) -> float:
    """Of the people on benefit at the start of a year, the share whose benefit ended within the
    year for ``reason`` (one or several), as CBS follows the stock of 31 December: years
    starting in month ``skip_months``, ``skip_months`` + 12, ... that end within the run, pooled."""
    reasons = [reason] if isinstance(reason, str) else list(reason)
    start, end = spells["start_month"].to_numpy(), spells["end_month"].to_numpy(dtype=float, na_value=np.inf)
    left = spells["exit_reason"].isin(reasons).to_numpy()
    on, out = 0, 0
    for year in range(skip_months, months - 11, 12):
        stock = (start < year) & (end >= year)  # on benefit at the end of the month before
        on += int(stock.sum())
        out += int((stock & left & (end < year + 12)).sum())
    return out / on if on else float("nan")


def exits_by_duration(spells: pd.DataFrame, skip_months: int = 12, bands=DURATION_BANDS) -> pd.Series:
    """Shares of the exits below pension age (every reason but reaching it) in months
    ``skip_months`` on, by the length of the spell that ended (as CBS 85617NED counts the exits
    of a year by the duration of the benefit that ended), indexed by band label."""
    ended = spells[spells["end_month"].notna() & (spells["end_month"] >= skip_months)
                   & spells["exit_reason"].isin(BELOW_PENSION_AGE)]
    labels = [f"{lo}-{hi - 1}" if hi < 10_000 else f"{lo}+" for lo, hi in zip(bands[:-1], bands[1:], strict=True)]
    lasted = (ended["end_month"] - ended["start_month"]).to_numpy(dtype=float)
    counts = pd.Series(pd.cut(lasted, bins=list(bands), right=False, labels=labels)).value_counts(sort=False)
    return counts / counts.sum() if counts.sum() else counts.astype(float) * np.nan
