"""personal_approach: more consultants mean more contacts per client, contacts work better, consultants stay."""

from __future__ import annotations

import math

import numpy as np

from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, values_by_uid, with_measure

ONLY_CASELOAD = {"contact_effect_multiplier": 1.0, "fixed_consultant": False, "neighbourhood_teams": False}


def test_smaller_caseload_gives_more_contacts_per_recipient():
    arm = monthly(with_measure("personal_approach", {"caseload_per_consultant": 75.0, **ONLY_CASELOAD}))
    base = monthly(baseline())
    per_recipient_arm = arm["contacts"] / arm["stock"]
    per_recipient_base = base["contacts"] / base["stock"]
    assert (per_recipient_arm > 1.4 * per_recipient_base).all()
    assert arm["personal_approach_added_consultants"].iloc[0] == math.ceil(2000 / 75) - math.ceil(2000 / 150)


def test_motivation_and_confidence_of_recipients_rise():
    """The same people (initial stock still on benefit in both runs) after 6 months."""
    arm = with_measure("personal_approach", months=6)
    base = baseline(months=6)
    uids = np.intersect1d(arm.pop.uid[arm.pop.on_benefit()], base.pop.uid[base.pop.on_benefit()])
    uids = uids[uids < 2000]
    assert len(uids) > 1500
    for column in ("motivation", "confidence"):
        _, a = values_by_uid(arm, column, uids)
        _, b = values_by_uid(base, column, uids)
        assert a.mean() > b.mean() + 0.01, column


def test_contact_effect_multiplier_alone_raises_motivation():
    """Same caseload, so the same people are seen; each contact works twice as well."""
    arm = with_measure("personal_approach", {"caseload_per_consultant": 150.0, **ONLY_CASELOAD,
                                             "contact_effect_multiplier": 2.0}, months=1)
    base = baseline(months=1)
    seen = base.now.seen
    assert np.array_equal(arm.now.seen, seen)
    assert (arm.pop.motivation[seen] >= base.pop.motivation[seen]).all()
    assert arm.pop.motivation[seen].mean() > base.pop.motivation[seen].mean()
    assert (arm.consultants.way_of_working == 1).all()


def test_fixed_consultant_means_no_turnover():
    arm = with_measure("personal_approach", {"caseload_per_consultant": 150.0, **ONLY_CASELOAD,
                                             "fixed_consultant": True})
    base = baseline()
    pop, on = arm.pop, arm.pop.on_benefit()
    # initial-stock clients continuously on benefit keep the consultant they had at the start (uid % n)
    stayers = on[(pop.uid[on] < 2000) & (pop.months_on_benefit[on] >= 24)]
    assert len(stayers) > 1000
    assert (pop.consultant[stayers] == pop.uid[stayers] % len(arm.consultants)).all()
    assert (pop.months_with_consultant[stayers] >= 24).all()
    base_on = base.pop.on_benefit()
    assert pop.months_with_consultant[on].mean() > base.pop.months_with_consultant[base_on].mean() + 3


def test_neighbourhood_teams_serve_their_own_neighbourhood():
    for fixed in (True, False):  # with turnover, a new consultant comes from the same team
        model = with_measure("personal_approach", {"neighbourhood_teams": True, "fixed_consultant": fixed})
        pop, cons = model.pop, model.consultants
        on = pop.on_benefit()
        assert (cons.neighbourhood[pop.consultant[on]] == pop.neighbourhood[on]).all()
        assert (pop.uid[on] >= 2000).sum() > 300  # new clients and returners are included
        caseload = np.bincount(pop.consultant[on], minlength=len(cons))
        assert caseload.max() < 2 * caseload.min()


def test_cost_is_the_added_consultant_ftes():
    m = monthly(with_measure("personal_approach", {"caseload_per_consultant": 100.0}))
    added = math.ceil(2000 / 100) - math.ceil(2000 / 150)
    np.testing.assert_allclose(m["measure_cost_eur"], added * 75000 / 12)
    np.testing.assert_allclose(m["staff_cost_eur"], math.ceil(2000 / 100) * 75000 / 12)


def test_baseline_caseload_and_standard_contacts_are_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(
        tmp_path, "personal_approach", {"caseload_per_consultant": 150.0, **ONLY_CASELOAD}
    )
