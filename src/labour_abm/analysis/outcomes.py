"""Outcomes of one run at several horizons, overall and by barrier group (tidy rows).

Computed from the run's own tables (monthly, spells, and the events of claimants placed in work
at the gate), so they can be recomputed from any stored run. Horizon h means "after months
0 .. h-1": cumulative outcomes add those months, stock-type outcomes are taken at the end of
month h-1. A durable outcome seen at h is an exit to work (or a claimant placed in work at the
gate) in months 0 .. h-1-k that was not followed by a benefit spell within k months: the
window of the events it counts ends k months before h.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HORIZONS = (12, 24, 36)  # months at which every outcome is reported (besides the end of the run)
DURABLE_MONTHS = 12  # the k of the headline durable outcomes: months off benefit after leaving

# (outcome, what it is) -- the columns experiments report; docs/experiments.md lists them too
OUTCOMES = {
    "exits_to_work": "people leaving benefit for work (incl. self-employment), cumulative",
    "durable_exits_6": "exits to work not followed by a return to benefit within 6 months",
    "durable_exits_12": "exits to work not followed by a return to benefit within 12 months",
    "diverted_to_work": "claimants mediated into work before a benefit started (prevention), cumulative",
    "durable_diversions_12": "claimants mediated into work at the gate who did not claim within 12 months",
    "durable_outcomes_12": "durably in work, off benefit: durable exits plus durable diversions (12 months)",
    "caseload_hires": "jobs taken by people of the caseload (full-time and part-time, leavers without income, "
                      "claimants placed at the gate), cumulative: the gross count",
    "other_job_seekers_hires": "vacancies filled by other job seekers out of work, cumulative",
    "hires_out_of_work": "jobs taken by people out of work in the city, the caseload's and the other job seekers', "
                         "cumulative: an arm's effect on it is the net effect on jobs, after displacement",
    "stock": "recipients on benefit at the horizon",
    "recipients_with_earnings": "recipients with part-time earnings at the horizon",
    "benefit_months": "person-months on benefit, cumulative",
    "benefit_spending_eur": "benefit paid, cumulative",
    "measure_cost_eur": "the measures' own spending (services, staff), cumulative",
    "measure_gross_cost_eur": "the measures' own spending plus the benefit paid above the statutory earnings "
                              "disregard, cumulative",
    "public_cost_eur": "benefit paid plus the measures' own spending, cumulative",
    "budget_balance_eur": "municipal BUIG balance after the safety net and the measures, cumulative",
    "mean_months_on_benefit": "mean months in the current spell of the stock at the horizon",
    "mean_ladder_step": "mean participation-ladder step of the stock at the horizon",
}
# durable outcome -> its k: seen at horizon h, it counts the exits or diversions of the first h - k months
DURABLE = {"durable_exits_6": 6, "durable_exits_12": 12, "durable_diversions_12": 12, "durable_outcomes_12": 12}
GROUP_OUTCOMES = ("exits_to_work", "durable_exits_12", "stock", "benefit_months")


def horizons(months: int) -> list[int]:
    """12, 24, 36 months (where the run is that long), the end, and 12 months before the end:
    so the costs of the months whose exits the durable outcomes at the end count are there."""
    before_end = months - DURABLE_MONTHS
    return sorted({h for h in HORIZONS if h <= months} | {months} | ({before_end} if before_end >= 12 else set()))


def run_outcomes(monthly: pd.DataFrame, spells: pd.DataFrame, events: pd.DataFrame,
                 groups: bool = True) -> pd.DataFrame:
    """Tidy outcomes of one run: columns outcome, horizon_months, group, value (group "all", and
    the barrier groups unless ``groups`` is False). Of ``events`` only the claimants placed in
    work at the gate are used (``claim_diverted`` / ``to_work``)."""
    months = len(monthly)
    rows: list[tuple[str, int, str, float]] = []
    cum = monthly[["exits_work", "claims_diverted_to_work", "benefit_spending_eur", "benefit_above_statutory_eur",
                   "measure_cost_eur", "budget_balance_eur", "stock"]].cumsum()
    caseload_hires = monthly[["exits_work", "parttime_starts", "jobs_found_without_benefit",
                              "claims_diverted_to_work"]].sum(axis=1).cumsum()
    others_hires = monthly["hires_other_job_seekers"].cumsum()
    steps = monthly[[f"ladder_{k}" for k in range(1, 6)]].to_numpy(dtype=float)
    ladder = steps @ np.arange(1, 6) / np.maximum(steps.sum(axis=1), 1)
    durable = {k: durable_exit_months(spells, k) for k in (6, 12)}
    diversions = durable_diversion_months(events, spells, DURABLE_MONTHS)
    for h in horizons(months):
        i = h - 1
        exits_12, diversions_12 = np.count_nonzero(durable[12] <= i - 12), np.count_nonzero(diversions <= i - 12)
        values = {
            "exits_to_work": cum["exits_work"].iloc[i],
            "durable_exits_6": np.count_nonzero(durable[6] <= i - 6),
            "durable_exits_12": exits_12,
            "diverted_to_work": cum["claims_diverted_to_work"].iloc[i],
            "durable_diversions_12": diversions_12,
            "durable_outcomes_12": exits_12 + diversions_12,
            "caseload_hires": caseload_hires.iloc[i],
            "other_job_seekers_hires": others_hires.iloc[i],
            "hires_out_of_work": caseload_hires.iloc[i] + others_hires.iloc[i],
            "stock": monthly["stock"].iloc[i],
            "recipients_with_earnings": monthly["recipients_with_earnings"].iloc[i],
            "benefit_months": cum["stock"].iloc[i],
            "benefit_spending_eur": cum["benefit_spending_eur"].iloc[i],
            "measure_cost_eur": cum["measure_cost_eur"].iloc[i],
            "measure_gross_cost_eur": cum["measure_cost_eur"].iloc[i] + cum["benefit_above_statutory_eur"].iloc[i],
            "public_cost_eur": cum["benefit_spending_eur"].iloc[i] + cum["measure_cost_eur"].iloc[i],
            "budget_balance_eur": cum["budget_balance_eur"].iloc[i],
            "mean_months_on_benefit": monthly["mean_months_on_benefit"].iloc[i],
            "mean_ladder_step": ladder[i],
        }
        rows += [(k, h, "all", float(v)) for k, v in values.items()]
        if groups:
            rows += _group_rows(spells, durable[12], h)
    return pd.DataFrame(rows, columns=["outcome", "horizon_months", "group", "value"])


def durable_exit_months(spells: pd.DataFrame, k: int) -> np.ndarray:
    """Exit months of exits to work not followed by a new spell of the same person within k months.

    Returned per spell (inf where the spell did not end in work or the person came back), so a
    horizon h counts those with exit month <= h - 1 - k (observed long enough)."""
    out = np.full(len(spells), np.inf)
    work = (spells["exit_reason"] == "work").to_numpy()
    if not work.any():
        return out
    end = spells["end_month"].to_numpy(dtype=float, na_value=np.nan)
    nxt = next_start(spells)
    back = nxt <= end + k
    out[work & ~back] = end[work & ~back]
    return out


def durable_diversion_months(events: pd.DataFrame, spells: pd.DataFrame, k: int) -> np.ndarray:
    """Months of the claimants placed in work at the gate who did not start a benefit spell
    within k months (inf for those who did). A diverted claimant is new, so any spell of theirs
    comes later."""
    to_work = events[(events["event"] == "claim_diverted") & (events["detail"] == "to_work")]
    month = to_work["month"].to_numpy(dtype=float)
    first_spell = spells.groupby("uid")["start_month"].min()
    came = to_work["uid"].map(first_spell).to_numpy(dtype=float, na_value=np.inf)
    return np.where(came <= month + k, np.inf, month)


def next_start(spells: pd.DataFrame) -> np.ndarray:
    """Start month of the same person's next spell (inf if none)."""
    order = np.lexsort((spells["start_month"].to_numpy(), spells["uid"].to_numpy()))
    uid = spells["uid"].to_numpy()[order]
    start = spells["start_month"].to_numpy()[order].astype(float)
    nxt_sorted = np.full(len(order), np.inf)
    same = uid[1:] == uid[:-1]
    nxt_sorted[:-1][same] = start[1:][same]
    out = np.empty(len(order))
    out[order] = nxt_sorted
    return out


GROUPS = {
    "debt": lambda s: np.where(s["problematic_debt"], "yes", "no"),
    "language": lambda s: np.where(s["insufficient_dutch"], "yes", "no"),
    "health": lambda s: np.where(s["poor_physical_health"] | s["poor_mental_health"], "poor", "good"),
    "age": lambda s: np.select([s["age_at_start"] < 27, s["age_at_start"] < 45], ["under_27", "27_44"], "45_plus"),
    "migration": lambda s: np.where(s["migrant"], "yes", "no"),
}


def _group_rows(spells: pd.DataFrame, durable12: np.ndarray, h: int) -> list[tuple[str, int, str, float]]:
    """Group outcomes by the barriers at the start of each spell (who is helped, who is left behind)."""
    i = h - 1
    start = spells["start_month"].to_numpy()
    end = spells["end_month"].to_numpy(dtype=float, na_value=np.inf)
    work = (spells["exit_reason"] == "work").to_numpy()
    exited = work & (end <= i)
    in_stock = (start <= i) & (end > i)
    first = np.maximum(start, 0)
    # months ending on benefit within 0..i (as the stock counts them: not the month of leaving)
    months_on = np.clip(np.minimum(end - 1, i) - first + 1, 0, None)
    rows = []
    for name, label_of in GROUPS.items():
        labels = label_of(spells)
        for label in np.unique(labels):
            g = labels == label
            group = f"{name}:{label}"
            rows += [
                ("exits_to_work", h, group, float(np.count_nonzero(g & exited))),
                ("durable_exits_12", h, group, float(np.count_nonzero(g & (durable12 <= i - 12)))),
                ("stock", h, group, float(np.count_nonzero(g & in_stock))),
                ("benefit_months", h, group, float(months_on[g].sum())),
            ]
    return rows
