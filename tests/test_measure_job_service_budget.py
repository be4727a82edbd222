"""job_service_budget: contacts follow the consultants' hours; restoring costs money, a cut saves it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.measure_helpers import assert_zero_effect_is_identical, baseline, monthly, with_measure


@pytest.mark.parametrize("factor", [0.8, 1.2, 1.5])
def test_contacts_scale_with_the_capacity(factor):
    arm, base = monthly(with_measure("job_service_budget", {"capacity_factor": factor})), monthly(baseline())
    ratio = arm["contacts"].iloc[:3].sum() / base["contacts"].iloc[:3].sum()
    # proportional, except that new clients are already seen every month (a chance cannot exceed 1)
    low, high = sorted((1.0 + 0.6 * (factor - 1.0), factor))
    assert low - 0.02 < ratio < high + 0.02
    np.testing.assert_allclose(arm["job_service_budget_client_hours"], math.ceil(2000 / 150) * 90.0 * factor)


def test_more_contacts_raise_motivation_of_the_same_people():
    arm, base = with_measure("job_service_budget", {"capacity_factor": 1.5}, months=1), baseline(months=1)
    assert len(arm.now.seen) > len(base.now.seen)
    on = base.pop.on_benefit()
    assert arm.pop.motivation[on].mean() > base.pop.motivation[on].mean()


@pytest.mark.parametrize("factor", [0.8, 1.2])
def test_cost_follows_the_staff_cost(factor):
    m = monthly(with_measure("job_service_budget", {"capacity_factor": factor}))
    staff = math.ceil(2000 / 150) * 75000 / 12
    np.testing.assert_allclose(m["measure_cost_eur"], (factor - 1) * staff)
    assert (np.sign(m["measure_cost_eur"]) == np.sign(factor - 1)).all()  # a cut is a saving


def test_factor_one_is_identical_to_baseline(tmp_path):
    assert_zero_effect_is_identical(tmp_path, "job_service_budget", {"capacity_factor": 1.0})
