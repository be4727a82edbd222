"""Helpers for measure tests: paired runs at the same seed (common random numbers)."""

from __future__ import annotations

import filecmp
import functools

import labour_abm
from labour_abm.measures import make_measure

SMALL = dict(initial_stock=2000, jobs_in_city=26_000, months=24)  # Nijmegen's jobs per recipient


@functools.cache
def baseline(seed: int = 5, **overrides):
    """A baseline model run to the end (cached): the comparison for every measure."""
    model = labour_abm.LabourModel(seed=seed, **{**SMALL, **overrides})
    model.run_model()
    return model


def with_measure(name: str, params: dict | None = None, seed: int = 5, **overrides):
    """A model with one measure on, run to the end, at the same seed as :func:`baseline`."""
    model = labour_abm.LabourModel(seed=seed, measures=[make_measure(name, params)], **{**SMALL, **overrides})
    model.run_model()
    return model


def monthly(model):
    return model.datacollector.get_model_vars_dataframe()


def assert_zero_effect_is_identical(tmp_path, name: str, zero_params: dict, **overrides) -> None:
    """The measure at its zero-effect setting changes nothing: spells and events byte-identical,
    and every baseline column of the monthly table equal (the measure only adds its own columns)."""
    import pandas as pd

    kwargs = {**SMALL, "seed": 9, **overrides}
    base = labour_abm.simulate("nijmegen", **kwargs).write(tmp_path / "base")
    arm = labour_abm.simulate("nijmegen", measures=[make_measure(name, zero_params)], **kwargs).write(tmp_path / "arm")
    for f in ("spells.parquet", "events.parquet"):
        assert filecmp.cmp(base / f, arm / f, shallow=False), f"{name}: {f} differs from the baseline"
    b, a = pd.read_parquet(base / "monthly.parquet"), pd.read_parquet(arm / "monthly.parquet")
    extra = [c for c in a.columns if c not in b.columns]
    assert all(c.startswith(f"{name}_") for c in extra), extra
    pd.testing.assert_frame_equal(a[b.columns], b)


def values_by_uid(model, column: str, uids):
    """A population column for the given uids (only those still tracked)."""
    import numpy as np

    pop = model.pop
    rows = np.searchsorted(pop.uid, uids)
    ok = (rows < len(pop)) & (pop.uid[np.minimum(rows, len(pop) - 1)] == uids)
    return uids[ok], getattr(pop, column)[rows[ok]]


def service_participants(model, service: str):
    """uids of everyone who started the named service (its ``service_start`` events)."""
    import numpy as np

    from labour_abm.core.population import EVENTS

    ev = model.events.columns()
    pick = (ev["event"] == EVENTS.index("service_start")) & (ev["detail"] == service)
    return np.unique(ev["uid"][pick])


def paired_values(arm, base, column: str, uids):
    """A column's values for the same people (uids tracked in both runs), arm then baseline."""
    import numpy as np

    uids_a, a = values_by_uid(arm, column, uids)
    uids_b, b = values_by_uid(base, column, uids)
    common = np.intersect1d(uids_a, uids_b)
    return a[np.isin(uids_a, common)], b[np.isin(uids_b, common)]
