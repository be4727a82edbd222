"""The model is a proper Mesa model: agents in AgentSets, DataCollector, batch_run."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

import labour_abm
from labour_abm.core.agents import Consultant, Employer


def test_agents_are_views_on_their_tables():
    model = labour_abm.LabourModel(months=2, initial_stock=1000, seed=1)
    employers = model.agents_by_type[Employer]
    assert len(employers) == len(model.employers) > 0
    first = next(iter(employers))
    assert first.wage_eur == float(model.employers.wage_eur[first.index])
    first.openness = 0.99  # writing through the agent writes the table
    assert np.isclose(model.employers.openness[first.index], 0.99)
    assert len(model.agents_by_type[Consultant]) == int(np.ceil(1000 / model.p.caseload_per_consultant))


def test_caseload_is_the_number_of_clients_on_benefit():
    """Consultants count their caseload after the month's inflow, before anyone leaves."""
    model = labour_abm.LabourModel(months=3, initial_stock=1500, seed=4)
    model.step()
    caseloads = model.agents_by_type[Consultant].get("caseload")
    assert sum(caseloads) == 1500 + model.last["inflow"]
    assert max(caseloads) - min(caseloads) <= 0.2 * np.mean(caseloads)  # new clients go to the least busy


def test_datacollector_has_the_monthly_series():
    model = labour_abm.LabourModel(months=4, initial_stock=800, seed=2)
    model.run_model()
    df = model.datacollector.get_model_vars_dataframe()
    assert len(df) == 4 and not model.running
    assert {"stock", "inflow", "exits_work", "budget_balance_eur"} <= set(df.columns)


def test_batch_run_works_with_keyword_parameters():
    rows = mesa.batch_run(
        labour_abm.LabourModel,
        parameters={"months": 6, "initial_stock": 500, "caseload_per_consultant": [100.0, 200.0], "seed": 3},
        iterations=1, max_steps=6, number_processes=1, display_progress=False,
    )
    df = pd.DataFrame(rows)
    assert set(df["caseload_per_consultant"]) == {100.0, 200.0}
    last = df[df["caseload_per_consultant"] == 100.0].iloc[-1]
    direct = labour_abm.LabourModel(months=6, initial_stock=500, caseload_per_consultant=100.0, seed=3)
    direct.run_model()
    assert last["stock"] == direct.last["stock"]  # batch_run gives exactly the direct run


def test_a_finished_model_is_freed():
    """Mesa 3.3 holds every model in a class-level agent-id counter (mesa#3179); a sweep of
    thousands of runs per worker must not keep them all."""
    import gc
    import weakref

    from labour_abm.measures import make_measure

    model = labour_abm.LabourModel(seed=1, initial_stock=300, months=2, measures=[make_measure("personal_approach")])
    model.run_model()
    ids = [a.unique_id for a in model.agents]
    assert len(ids) == len(set(ids))  # unique ids, consultants added by the measure included
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None
