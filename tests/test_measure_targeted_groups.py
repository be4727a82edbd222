"""targeted_groups: placements improve statushouders' Dutch and experience; IPS raises job starts."""

from __future__ import annotations

import numpy as np

from labour_abm.core.population import EVENTS, OFF_BENEFIT
from tests.measure_helpers import (
    assert_zero_effect_is_identical,
    baseline,
    monthly,
    paired_values,
    service_participants,
    with_measure,
)

STARTS = [EVENTS.index("job_start"), EVENTS.index("parttime_start")]
NO_IPS = {"ips_places_per_1000_recipients": 0.0}
NO_PLACEMENTS = {"placement_places_per_1000_recipients": 0.0}
IPS_ONLY = {**NO_PLACEMENTS, "ips_places_per_1000_recipients": 60.0}


def _starts(model, uids, detail=None):
    ev = model.events.columns()
    pick = np.isin(ev["uid"], uids) & np.isin(ev["event"], STARTS)
    if detail is not None:
        pick &= ev["detail"] == detail
    return int(pick.sum())


def test_placements_raise_dutch_and_experience_of_statushouders():
    arm = with_measure("targeted_groups", {**NO_IPS, "placement_places_per_1000_recipients": 15.0})
    base = baseline()
    uids = service_participants(arm, "targeted_groups_placement")
    assert len(uids) > 20
    assert arm.pop.statushouder[arm.pop.rows_of(uids[np.isin(uids, arm.pop.uid)])].all()
    for column, gain in (("dutch", 0.05), ("experience_years", 0.2)):
        a, b = paired_values(arm, base, column, uids)
        assert (a >= b - 1e-6).all(), column
        assert a.mean() > b.mean() + gain, column
    # a share of those who complete it get a job at a public employer
    assert monthly(arm)["targeted_groups_placement_hired"].iloc[-1] > 0
    assert _starts(arm, uids, "public") > _starts(base, uids, "public")


def _first_service_month(model, detail):
    """Each participant's first month in the service."""
    ev = model.events.columns()
    start = (ev["event"] == EVENTS.index("service_start")) & (ev["detail"] == detail)
    return dict(zip(ev["uid"][start][::-1], ev["month"][start][::-1], strict=True))


def _count_after(model, first):
    """Job and part-time starts of participants from the month they first started the service."""
    ev = model.events.columns()
    pick = np.isin(ev["event"], STARTS) & np.isin(ev["uid"], list(first))
    return sum(int(m >= first[u]) for u, m in zip(ev["uid"][pick], ev["month"][pick], strict=True))


def test_ips_raises_job_starts_of_participants():
    arm = with_measure("targeted_groups", IPS_ONLY)
    first = _first_service_month(arm, "targeted_groups_ips")
    assert len(first) > 200
    assert _count_after(arm, first) > 1.3 * _count_after(baseline(), first)
    assert monthly(arm)["offers"].sum() > monthly(baseline())["offers"].sum()


def test_ips_hooks():
    model = with_measure("targeted_groups", IPS_ONLY)
    measure, pop = model.measures[0], model.pop
    on = pop.on_benefit()
    coached = np.isin(pop.uid[on], measure.ips.uid)
    assert coached.sum() > 10
    p = measure.offer_probability(model, on, np.zeros(len(on), np.int64), np.full(len(on), 0.1))
    np.testing.assert_allclose(p, np.where(coached, 0.2, 0.1))
    working = np.flatnonzero(pop.employed & (pop.status == OFF_BENEFIT))
    supported = np.isin(pop.uid[working], measure.ips_worker_uid)
    assert supported.sum() > 10
    hazard = measure.job_loss_hazard(model, working, np.full(len(working), 0.02))
    np.testing.assert_allclose(hazard, np.where(supported, 0.014, 0.02))


def test_cost_is_per_participant_month_of_each_service():
    params = {"placement_cost_per_participant_month_eur": 400.0, "ips_cost_per_participant_month_eur": 300.0}
    m = monthly(with_measure("targeted_groups", params))
    assert m["targeted_groups_placement_participants"].max() > 0 and m["targeted_groups_ips_participants"].max() > 0
    expected = 400.0 * m["targeted_groups_placement_participants"] + 300.0 * m["targeted_groups_ips_participants"]
    np.testing.assert_allclose(m["measure_cost_eur"], expected)


def test_zero_places_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, "targeted_groups", {**NO_IPS, **NO_PLACEMENTS})
