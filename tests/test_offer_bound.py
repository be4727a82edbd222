"""Matching first compares each application's screening draw with the highest chance it could
have, and works out the offer chance only below that bound. The shortcut must be exact: the
same run without it gives identical results, with every measure that raises offer chances on
at strong settings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import labour_abm
from labour_abm.core.processes import matching
from labour_abm.measures import make_measure
from labour_abm.measures.base import Measure

STRONG = {
    "employer_account_management": {"matching_multiplier": 3.0},
    "practical_learning": {
        "scan_offer_multiplier": 2.5, "qualification_penalty_waived_share": 1.0,
        "certificate_places_per_1000_recipients": 100.0, "scans_per_month_per_1000_recipients": 50.0,
    },
    "sector_training": {"qualification_penalty_waived_share": 1.0, "target_sector": "logistics"},
    "targeted_groups": {"ips_offer_multiplier": 4.0},
}


def _run(monkeypatch=None, measures=(), **kw):
    model = labour_abm.LabourModel(seed=4, initial_stock=1500, months=30, measures=list(measures), **kw)
    if monkeypatch is not None:  # no shortcut: every application is worked out
        monkeypatch.setattr(matching, "offer_probability_bound", lambda model, person, referral: np.ones(len(person)))
    model.run_model()
    return model


def _offers(model) -> int:
    return int(model.datacollector.get_model_vars_dataframe()["offers"].sum())


def _same_run(a, b):
    monthly = [m.datacollector.get_model_vars_dataframe() for m in (a, b)]
    pd.testing.assert_frame_equal(*monthly)
    ea, eb = a.events.columns(), b.events.columns()
    assert ea.keys() == eb.keys() and all(np.array_equal(ea[k], eb[k]) for k in ea)


def _all_strong():
    return [make_measure(name, STRONG.get(name)) for name in labour_abm.MEASURES]


@pytest.mark.parametrize("overrides", [{}, {"sector_experience_bonus": 2.5, "referral_hire_multiplier": 6.0}])
def test_the_shortcut_is_exact(monkeypatch, overrides):
    fast = _run(measures=_all_strong(), **overrides)
    full = _run(monkeypatch, measures=_all_strong(), **overrides)
    assert _offers(fast) > 100  # the comparison covers real matching
    _same_run(fast, full)


def test_the_bound_is_often_far_below_one():
    """The point of the shortcut: with the default barrier-free chance the bound is low."""
    model = labour_abm.LabourModel(seed=1, initial_stock=500, months=2)
    person = np.arange(4)
    bound = matching.offer_probability_bound(model, person, np.array([False, True, False, True]))
    assert 0 < bound[0] < 0.3 and bound[1] == pytest.approx(bound[0] * model.p.referral_hire_multiplier)


class _Undeclared(Measure):
    """A test-only measure that raises offer chances without saying by how much."""

    name = ""  # not registered

    def offer_probability(self, model, person, employer, p):
        return np.minimum(1.0, p * 50)


class _TooLow(_Undeclared):
    """The same, with a bound that is too low."""

    def max_offer_multiplier(self, model, person):
        return 2.0


def test_a_measure_that_does_not_bound_its_chances_gets_every_application_worked_out(monkeypatch):
    """No contract to keep: without max_offer_multiplier the shortcut is off for the measure's runs."""
    plain = _run(measures=[_Undeclared()])
    full = _run(monkeypatch, measures=[_Undeclared()])
    assert _offers(plain) > 3 * _offers(_run())
    _same_run(plain, full)


def test_a_measure_raising_chances_beyond_its_declared_bound_is_caught():
    with pytest.raises(RuntimeError, match="max_offer_multiplier"):
        _run(measures=[_TooLow()])
