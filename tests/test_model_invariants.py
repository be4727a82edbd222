"""Accounting invariants of a run: stock-flow, uids, spells vs events, budget identity."""

from __future__ import annotations

import numpy as np
import pandas as pd

import labour_abm
from labour_abm.population import EXIT_REASONS


def test_stock_flow_conservation_each_month(short_run):
    m = short_run.monthly
    initial = short_run.manifest["parameters"]["initial_stock"]
    previous = np.concatenate(([initial], m["stock"].to_numpy()[:-1]))
    np.testing.assert_array_equal(m["stock"], previous + m["inflow"] - m["exits"])


def test_exits_add_up_by_reason(short_run):
    m = short_run.monthly
    by_reason = sum(m[f"exits_reason_{r}"] for r in EXIT_REASONS)
    np.testing.assert_array_equal(m["exits"], by_reason)
    np.testing.assert_array_equal(m["exits_work"] + m["exits_other"], m["exits"])
    np.testing.assert_array_equal(m["inflow"], m["new_claims"] - m["claims_diverted"] + m["reentries"])


def test_events_match_monthly_counts(short_run):
    m, ev = short_run.monthly.set_index("month"), short_run.events
    counts = ev.groupby(["month", "event"], observed=False).size().unstack(fill_value=0)
    np.testing.assert_array_equal(counts["entry"].reindex(m.index, fill_value=0), m["inflow"])
    np.testing.assert_array_equal(counts["exit"].reindex(m.index, fill_value=0), m["exits"])
    np.testing.assert_array_equal(counts["sanction"].reindex(m.index, fill_value=0), m["sanctions_imposed"])
    np.testing.assert_array_equal(counts["job_start"].reindex(m.index, fill_value=0), m["exits_work"])
    np.testing.assert_array_equal(counts["parttime_start"].reindex(m.index, fill_value=0), m["parttime_starts"])


def test_no_uid_counted_twice_and_spells_do_not_overlap(short_run):
    s = short_run.spells
    open_spells = s[s["end_month"].isna()]
    assert open_spells["uid"].is_unique
    assert len(open_spells) == short_run.monthly["stock"].iloc[-1]
    s = s.sort_values(["uid", "start_month"])
    same = s["uid"].to_numpy()[1:] == s["uid"].to_numpy()[:-1]
    prev_end = s["end_month"].to_numpy(dtype=float, na_value=np.inf)[:-1]
    next_start = s["start_month"].to_numpy()[1:]
    assert np.all(next_start[same] > prev_end[same])  # a new spell starts after the last one ended
    assert s["spell_id"].is_unique


def test_every_exit_has_a_reason_and_ends_after_it_starts(short_run):
    s = short_run.spells
    ended = s[s["end_month"].notna()]
    assert ended["exit_reason"].notna().all()
    assert (ended["end_month"] >= ended["start_month"]).all()
    assert s.loc[s["end_month"].isna(), "exit_reason"].isna().all()


def test_events_are_consistent_with_spells(short_run):
    s, ev = short_run.spells, short_run.events
    exits = ev[ev["event"] == "exit"].sort_values(["uid", "month"]).reset_index(drop=True)
    ended = s[s["end_month"].notna()].sort_values(["uid", "end_month"]).reset_index(drop=True)
    np.testing.assert_array_equal(exits["uid"], ended["uid"])
    np.testing.assert_array_equal(exits["month"], ended["end_month"].astype(int))
    np.testing.assert_array_equal(exits["detail"].astype(str), ended["exit_reason"].astype(str))


def test_budget_identity_and_non_negative_amounts(short_run):
    m = short_run.monthly
    balance = m["state_allocation_eur"] + m["safety_net_eur"] - m["benefit_spending_eur"] - m["measure_cost_eur"]
    np.testing.assert_allclose(m["budget_balance_eur"], balance, rtol=0, atol=1e-6)
    for col in ("benefit_spending_eur", "state_allocation_eur", "safety_net_eur", "staff_cost_eur", "measure_cost_eur"):
        assert (m[col] >= 0).all(), col
    # spending is about stock x average norm: a sanity check of the benefit calculation
    per_person = m["benefit_spending_eur"] / m["stock"]
    assert per_person.between(1200, 1600).all()


def test_counts_non_negative_and_shares_within_unit_interval(short_run):
    m = short_run.monthly
    shares = [c for c in m.columns if c.startswith("share_")]
    assert ((m[shares] >= 0) & (m[shares] <= 1)).all().all()
    counts = [c for c in m.columns if not c.endswith("_eur") and not c.startswith("share_")]
    assert (m[counts] >= 0).all().all()
    ladder = m[[f"ladder_{k}" for k in range(1, 6)]].sum(axis=1)
    np.testing.assert_array_equal(ladder, m["stock"])


def test_uids_are_never_reused():
    model = labour_abm.LabourModel(months=30, initial_stock=600, seed=5)
    seen_max = model.pop.uid.max()
    for _ in range(30):
        model.step()
        new = model.pop.uid[model.pop.uid > seen_max]
        assert len(np.unique(new)) == len(new)
        seen_max = max(seen_max, model.pop.uid.max())
    assert np.all(np.diff(model.pop.uid) > 0)  # rows stay ordered by uid after compaction


def test_recipient_view_matches_columns():
    model = labour_abm.LabourModel(months=3, initial_stock=300, seed=2)
    model.step()
    uid = int(model.pop.uid[10])
    view = model.recipient(uid)
    assert view["uid"] == uid
    assert view["motivation"] == float(model.pop.motivation[10])
    assert isinstance(pd.Series(view), pd.Series)


def test_rows_stay_ordered_by_uid_with_diversion_at_the_gate():
    """Claims diverted to work and claims admitted in the same month keep the table sorted by uid."""
    from labour_abm.measures import make_measure

    model = labour_abm.LabourModel(months=14, initial_stock=1500, seed=2, measures=[make_measure("gate_mediation")])
    for _ in range(14):
        model.step()
        assert np.all(np.diff(model.pop.uid) > 0)
    assert model.datacollector.get_model_vars_dataframe()["claims_diverted_to_work"].sum() > 0
