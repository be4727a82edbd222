"""language_centre: the course raises participants' Dutch; places are short, so people wait."""

from __future__ import annotations

import numpy as np

from tests.measure_helpers import (
    assert_zero_effect_is_identical,
    baseline,
    monthly,
    service_participants,
    values_by_uid,
    with_measure,
)


def test_course_raises_dutch_of_participants():
    arm = with_measure("language_centre")
    base = baseline()
    uids = service_participants(arm, "language_centre")
    assert len(uids) > 20
    uids, dutch_arm = values_by_uid(arm, "dutch", uids)
    uids_b, dutch_base = values_by_uid(base, "dutch", uids)
    common = np.intersect1d(uids, uids_b)
    a = dutch_arm[np.isin(uids, common)]
    b = dutch_base[np.isin(uids_b, common)]
    assert (a >= b - 1e-6).all()  # the same people (same draws), never worse
    assert a.mean() > b.mean() + 0.1
    assert monthly(arm)["share_insufficient_dutch"].iloc[-1] < monthly(base)["share_insufficient_dutch"].iloc[-1]


def test_waiting_list_grows_when_places_are_short():
    # consultants refer while the wait is below service_max_wait_months: allow two years here
    short = monthly(with_measure("language_centre", {"places_per_1000_recipients": 2.0}, service_max_wait_months=24))
    ample = monthly(with_measure("language_centre", {"places_per_1000_recipients": 300.0}, service_max_wait_months=24))
    assert short["language_centre_waiting"].iloc[12] > 3 * max(1, ample["language_centre_waiting"].iloc[12])
    assert short["language_centre_participants"].max() <= round(2.0 * 2000 / 1000)


def test_cost_is_per_participant_month():
    m = monthly(with_measure("language_centre", {"cost_per_participant_month_eur": 500.0}))
    np.testing.assert_allclose(m["measure_cost_eur"], 500.0 * m["language_centre_participants"])


def test_zero_places_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, "language_centre", {"places_per_1000_recipients": 0.0})
