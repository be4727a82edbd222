"""Accounting invariants of a run: stock-flow, uids, spells vs events, budget identity.

The checks live in tests/run_checks.py (also used at random parameters: test_invariants_random_params.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import labour_abm
from labour_abm.core.statistics import MonthlyColumn
from labour_abm.measures.base import Measure
from tests.run_checks import (
    check_budget,
    check_counts_and_shares,
    check_events_match_monthly,
    check_events_match_spells,
    check_flow_identities,
    check_spells,
    check_stock_flow,
)


def test_stock_flow_conservation_each_month(short_run):
    check_stock_flow(short_run.monthly, short_run.manifest["parameters"]["initial_stock"])


def test_exits_add_up_by_reason(short_run):
    check_flow_identities(short_run.monthly)


def test_events_match_monthly_counts(short_run):
    check_events_match_monthly(short_run.monthly, short_run.events)


def test_no_uid_counted_twice_and_spells_do_not_overlap_every_exit_has_a_reason(short_run):
    check_spells(short_run.spells, int(short_run.monthly["stock"].iloc[-1]))


def test_events_are_consistent_with_spells(short_run):
    check_events_match_spells(short_run.spells, short_run.events)


def test_budget_identity_and_non_negative_amounts(short_run):
    m = short_run.monthly
    check_budget(m)
    # spending is about stock x average norm: a sanity check of the benefit calculation (default norms)
    per_person = m["benefit_spending_eur"] / m["stock"]
    assert per_person.between(1200, 1600).all()


def test_counts_non_negative_and_shares_within_unit_interval(short_run):
    check_counts_and_shares(short_run.monthly)


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


# ---- columns: declared once, produced exactly -------------------------------------------------------------------
class _Undeclared(Measure):
    """Gives a monthly value it never declared."""

    def monthly(self, model):
        return {"surprise": 1}


class _Silent(Measure):
    """Declares a column and never gives its value."""

    monthly_columns = (MonthlyColumn("promised", "people", "never produced"),)


def test_a_column_produced_but_not_declared_stops_the_run():
    model = labour_abm.LabourModel(seed=1, initial_stock=300, months=2, measures=[_Undeclared()])
    with pytest.raises(RuntimeError, match=r"undeclared columns \['surprise'\]"):
        model.step()


def test_a_column_declared_but_never_produced_is_refused_at_build():
    with pytest.raises(ValueError, match="declare monthly columns but give no monthly"):
        labour_abm.LabourModel(seed=1, initial_stock=300, months=2, measures=[_Silent()])


def test_every_column_of_a_run_is_declared_with_unit_and_meaning():
    from labour_abm.core.model import monthly_columns

    measures = [labour_abm.make_measure(name) for name in sorted(labour_abm.MEASURES)]
    model = labour_abm.LabourModel(seed=2, initial_stock=500, months=2, measures=measures)
    model.run_model()
    declared = monthly_columns(measures)
    assert list(model.datacollector.get_model_vars_dataframe().columns) == [c.name for c in declared]
    assert all(c.unit and len(c.meaning) > 5 for c in declared)


def test_ladder_transitions_are_the_moves_of_the_same_people_from_month_to_month():
    """Counted by uid, independently of the rows the model keeps: a move is a person on the ladder
    (on benefit, or off it in work) at the end of two months in a row, on another step."""
    from labour_abm.core.population import OFF_BENEFIT, ON_BENEFIT
    from labour_abm.core.rules.ladder import TRANSITIONS

    model = labour_abm.LabourModel(months=26, initial_stock=800, seed=4)

    def on_ladder_steps():
        pop = model.pop
        on = (pop.status == ON_BENEFIT) | (pop.employed & (pop.status == OFF_BENEFIT))
        return dict(zip(pop.uid[on].tolist(), pop.ladder[on].tolist(), strict=True))

    model.step()
    before, moves_seen = on_ladder_steps(), 0
    for _ in range(25):  # across month 23, when the table drops the rows of people who are gone
        model.step()
        after = on_ladder_steps()
        expected = {pair: 0 for pair in TRANSITIONS}
        for uid, step in after.items():
            if uid in before and before[uid] != step:
                expected[(before[uid], step)] += 1
        got = {(a, b): model.last[f"ladder_{a}_to_{b}"] for a, b in TRANSITIONS}
        assert got == expected, model.month
        moves_seen += sum(got.values())
        before = after
    assert moves_seen > 100
