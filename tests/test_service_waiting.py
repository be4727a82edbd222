"""Service waiting lists: consultants stop referring once the wait would pass service_max_wait_months."""

from __future__ import annotations

import numpy as np
import pytest

from tests.measure_helpers import SMALL, monthly, with_measure

PLACES = round(4.0 * SMALL["initial_stock"] / 1000)  # 8 course places
MONTHS = 9  # course length: 8 / 9 starts a month once the course is full


def _course(max_wait: float):
    model = with_measure("language_centre", {"places_per_1000_recipients": 4.0, "course_months": MONTHS},
                         service_max_wait_months=max_wait)
    return model, monthly(model)


@pytest.mark.parametrize("max_wait", [0.0, 6.0, 24.0])
def test_the_list_never_holds_more_than_the_longest_wait_in_starts(max_wait):
    _, m = _course(max_wait)
    cap = int(max_wait * PLACES / MONTHS)
    assert m["language_centre_waiting"].max() <= cap
    assert m["language_centre_participants"].iloc[MONTHS:].min() == PLACES  # places stay filled
    if cap:
        assert m["language_centre_waiting"].iloc[6:].min() >= cap // 2  # far more are eligible: it fills up


def test_a_longer_allowed_wait_makes_a_longer_list_but_no_more_starts():
    short, long = _course(3.0)[1], _course(24.0)[1]
    assert long["language_centre_waiting"].iloc[-1] > 3 * short["language_centre_waiting"].iloc[-1] > 0
    # places, not the list, limit who starts: about the same number in both (people leave the list for work)
    assert abs(long["language_centre_started"].iloc[-1] - short["language_centre_started"].iloc[-1]) <= 3


def test_who_joins_a_full_list_is_not_picked_by_uid():
    """When more are referred than there is room for, a block from a random point joins: the
    joiners are spread over the referred, not the lowest uids (the longest known) first."""
    model, _ = _course(6.0)
    service = model.measures[0].service
    service._follow_rows(model.pop)  # the table was compacted after the last month's step
    joined = model.pop.uid[service.waiting_rows]
    assert len(joined) > 3
    on_benefit = model.pop.uid[model.pop.on_benefit()]
    # the lowest uids on benefit are the initial stock; a uid-order pick would take only them
    assert joined.max() > np.quantile(on_benefit, 0.5)


def test_zero_wait_still_fills_the_places():
    model = with_measure("care_first", {"places_per_1000_recipients": 4.0}, service_max_wait_months=0.0)
    m = monthly(model)
    assert (m["care_first_waiting"] == 0).all()
    assert m["care_first_participants"].iloc[-1] == PLACES


def test_the_setting_is_checked():
    from labour_abm.core.params import Parameters

    with pytest.raises(ValueError):
        Parameters(service_max_wait_months=-1)
