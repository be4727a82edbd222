"""Invariant checks on a run's tables, shared by the invariant tests (one fixed run, and runs at
random parameters) and the probability checks (every chance a rule or a measure computes).

Each ``check_*`` function raises ``AssertionError`` with a message naming the invariant; the
tables are those of :class:`labour_abm.experiments.run.RunResult` (docs/outputs.md states each identity).
"""

from __future__ import annotations

import contextlib
import functools
import types

import numpy as np
import pandas as pd

from labour_abm.core.population import EXIT_REASONS
from labour_abm.core.rules import contact, jobs, screening

PROBABILITY_RULES = [
    (contact, "contact_probability"),
    (screening, "offer_probability"),
    (screening, "parttime_acceptance"),
    (screening, "duration_stigma"),
    (screening, "skill_depreciation"),
    (screening, "age_factor"),
    (jobs, "job_loss_hazard"),
]
# measure hooks that return a chance per person (docs of labour_abm.measures.base)
PROBABILITY_HOOKS = ("offer_probability", "job_loss_hazard")

# event -> the monthly column that counts it (docs/outputs.md, events.parquet)
EVENT_COUNTS = {
    "entry": "inflow",
    "exit": "exits",
    "sanction": "sanctions_imposed",
    "job_end": "job_ends",
    "parttime_start": "parttime_starts",
    "parttime_end": "parttime_ends",
    "debt_help_start": "debt_help_starts",
    "claim_diverted": "claims_diverted",
    "fraud_found": "fraud_found",
}
AMOUNTS = ("benefit_spending_eur", "state_allocation_eur", "safety_net_eur", "staff_cost_eur")


def _equal(actual, expected, what: str) -> None:
    actual, expected = np.asarray(actual), np.asarray(expected)
    if actual.shape != expected.shape or not np.array_equal(actual, expected):
        bad = np.flatnonzero(actual != expected) if actual.shape == expected.shape else []
        at = f" first at index {bad[0]}: {actual[bad[0]]} != {expected[bad[0]]}" if len(bad) else ""
        raise AssertionError(f"{what}{at} (shapes {actual.shape}, {expected.shape})")


def check_stock_flow(monthly: pd.DataFrame, initial_stock: int) -> None:
    """stock[t] = stock[t-1] + inflow[t] - exits[t], with stock[-1] = initial_stock."""
    previous = np.concatenate(([initial_stock], monthly["stock"].to_numpy()[:-1]))
    _equal(monthly["stock"], previous + monthly["inflow"] - monthly["exits"], "stock-flow identity broken")


def check_flow_identities(monthly: pd.DataFrame) -> None:
    """exits = exits_work + exits_other = sum by reason; inflow = new_claims - claims_diverted + reentries."""
    m = monthly
    _equal(m["exits"], sum(m[f"exits_reason_{r}"] for r in EXIT_REASONS), "exits != sum of exits by reason")
    _equal(m["exits_work"] + m["exits_other"], m["exits"], "exits_work + exits_other != exits")
    _equal(m["exits_work"], m["exits_reason_work"], "exits_work != exits_reason_work")
    _equal(m["inflow"], m["new_claims"] - m["claims_diverted"] + m["reentries"],
           "inflow != new_claims - claims_diverted + reentries")
    assert (m["claims_diverted_to_work"] <= m["claims_diverted"]).all(), "claims_diverted_to_work > claims_diverted"
    assert (m["claims_diverted"] <= m["new_claims"]).all(), "claims_diverted > new_claims"


def check_events_match_monthly(monthly: pd.DataFrame, events: pd.DataFrame) -> None:
    """Each counted event's number per month equals its monthly column."""
    m = monthly.set_index("month")
    counts = events.groupby(["month", "event"], observed=False).size().unstack(fill_value=0)
    per_month = {e: counts[e].reindex(m.index, fill_value=0) if e in counts else pd.Series(0, index=m.index)
                 for e in (*EVENT_COUNTS, "job_start")}
    for event, column in EVENT_COUNTS.items():
        _equal(per_month[event], m[column], f"'{event}' events per month != monthly '{column}'")
    _equal(per_month["job_start"], m["exits_work"] + m["claims_diverted_to_work"] + m["jobs_found_without_benefit"],
           "'job_start' events per month != exits_work + claims_diverted_to_work + jobs_found_without_benefit")
    assert events["month"].between(0, len(monthly) - 1).all(), "an event outside the simulated months"


def check_spells(spells: pd.DataFrame, final_stock: int) -> None:
    """Spells: unique ids, ends after starts, every ended spell with a reason (and only those), no
    overlap for one person, open spells = the final stock."""
    s = spells
    assert s["spell_id"].is_unique, "spell_id not unique"
    ended = s[s["end_month"].notna()]
    assert ended["exit_reason"].notna().all(), "an ended spell without an exit reason"
    early = ended[ended["end_month"] < ended["start_month"]]
    assert early.empty, f"spell(s) ending before they start: {early.head(3).to_dict('records')}"
    assert s.loc[s["end_month"].isna(), "exit_reason"].isna().all(), "an ongoing spell with an exit reason"
    open_spells = s[s["end_month"].isna()]
    assert open_spells["uid"].is_unique, "a person with two ongoing spells"
    assert len(open_spells) == final_stock, f"{len(open_spells)} ongoing spells != final stock {final_stock}"
    s = s.sort_values(["uid", "start_month", "spell_id"])
    same = s["uid"].to_numpy()[1:] == s["uid"].to_numpy()[:-1]
    prev_end = s["end_month"].to_numpy(dtype=float, na_value=np.inf)[:-1]
    next_start = s["start_month"].to_numpy()[1:]
    assert np.all(next_start[same] > prev_end[same]), "spells of one person overlap"


def _sorted_keys(frame: pd.DataFrame, uid: str, month: str, detail: str) -> pd.DataFrame:
    out = pd.DataFrame({"uid": frame[uid].to_numpy(dtype=np.int64),
                        "month": frame[month].to_numpy(dtype=np.int64),
                        "detail": frame[detail].astype(str).to_numpy()})
    return out.sort_values(["uid", "month", "detail"], kind="stable").reset_index(drop=True)


def check_events_match_spells(spells: pd.DataFrame, events: pd.DataFrame) -> None:
    """Every exit event is a spell's end (same person, month and reason) and vice versa; every entry
    event is the start of a spell opened in the run (same person, month and route) and vice versa."""
    exits = _sorted_keys(events[events["event"] == "exit"], "uid", "month", "detail")
    ended = _sorted_keys(spells[spells["end_month"].notna()], "uid", "end_month", "exit_reason")
    assert len(exits) == len(ended), f"{len(exits)} exit events != {len(ended)} ended spells"
    pd.testing.assert_frame_equal(exits, ended, obj="exit events vs spell ends")
    entries = _sorted_keys(events[events["event"] == "entry"], "uid", "month", "detail")
    opened = _sorted_keys(spells[spells["start_month"] >= 0], "uid", "start_month", "entry_route")
    assert len(entries) == len(opened), f"{len(entries)} entry events != {len(opened)} spells opened in the run"
    pd.testing.assert_frame_equal(entries, opened, obj="entry events vs spell starts")


def check_budget(monthly: pd.DataFrame, measure_cost_may_be_negative: bool = False) -> None:
    """budget_balance = allocation + safety net - spending - measure cost; amounts not negative."""
    m = monthly
    balance = m["state_allocation_eur"] + m["safety_net_eur"] - m["benefit_spending_eur"] - m["measure_cost_eur"]
    np.testing.assert_allclose(m["budget_balance_eur"], balance, rtol=1e-12, atol=1e-6,
                               err_msg="budget identity broken")
    amounts = list(AMOUNTS) + ([] if measure_cost_may_be_negative else ["measure_cost_eur"])
    for col in amounts:
        assert (m[col] >= 0).all(), f"negative {col}: min {m[col].min()}"
    assert np.isfinite(m[[c for c in m.columns if c.endswith("_eur")]].to_numpy(dtype=float)).all(), \
        "an amount is not finite"


def check_counts_and_shares(monthly: pd.DataFrame) -> None:
    """Shares in [0, 1]; counts (every other column) not negative; ladder steps 1-5 add up to the stock."""
    m = monthly
    shares = [c for c in m.columns if c.startswith("share_")]
    bad = [c for c in shares if not m[c].between(0, 1).all()]
    assert not bad, f"shares outside [0, 1]: {bad}"
    counts = [c for c in m.columns if not c.endswith("_eur") and not c.startswith("share_")]
    negative = [c for c in counts if (m[c] < 0).any()]
    assert not negative, f"negative counts: {negative}"
    _equal(m[[f"ladder_{k}" for k in range(1, 6)]].sum(axis=1), m["stock"], "ladder steps 1-5 != stock")


def check_run(result, measure_cost_may_be_negative: bool = False) -> None:
    """Every accounting invariant above on one run's tables."""
    m = result.monthly
    check_stock_flow(m, result.manifest["parameters"]["initial_stock"])
    check_flow_identities(m)
    check_counts_and_shares(m)
    check_budget(m, measure_cost_may_be_negative)
    check_events_match_monthly(m, result.events)
    check_spells(result.spells, int(m["stock"].iloc[-1]) if len(m) else 0)
    check_events_match_spells(result.spells, result.events)


def _checked(fn, name: str, seen: dict):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        arr = np.asarray(out)
        if arr.size and not np.all((arr >= 0) & (arr <= 1)):
            raise AssertionError(f"{name} left [0, 1]: {np.nanmin(arr)}..{np.nanmax(arr)}")
        seen[name] = seen.get(name, 0) + arr.size
        return out

    return wrapper


@contextlib.contextmanager
def probabilities_checked():
    """While active, every chance the rules in PROBABILITY_RULES and the measures' probability hooks
    return is checked to lie in [0, 1] (an AssertionError otherwise). Yields a dict: name -> number of
    values checked. Patches and restores module and class attributes, so it works inside hypothesis
    tests (no function-scoped fixture)."""
    from labour_abm.measures import REGISTRY

    seen: dict[str, int] = {}
    patched = []
    for module, name in PROBABILITY_RULES:
        patched.append((module, name, getattr(module, name)))
    for cls in REGISTRY.values():
        for hook in PROBABILITY_HOOKS:
            if hook in vars(cls):
                patched.append((cls, hook, vars(cls)[hook]))
    try:
        for owner, name, original in patched:
            label = name if isinstance(owner, types.ModuleType) else f"{owner.name}.{name}"
            setattr(owner, name, _checked(original, label, seen))
        yield seen
    finally:
        for owner, name, original in patched:
            setattr(owner, name, original)
