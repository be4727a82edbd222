"""practical_learning: certificates for eligible workers lower qualification screening; scans help a little."""

from __future__ import annotations

import numpy as np

import labour_abm
from labour_abm.core.population import ON_BENEFIT
from labour_abm.measures import make_measure
from tests.measure_helpers import SMALL, assert_zero_effect_is_identical, monthly, with_measure


def test_certificate_and_scan_raise_offer_probability():
    model = with_measure("practical_learning", {"certificate_places_per_1000_recipients": 40.0}, months=12)
    measure, pop, emp, p = model.measures[0], model.pop, model.employers, model.p
    certified = measure.certified_uid[np.isin(measure.certified_uid, pop.uid)]
    rows = pop.rows_of(certified)
    assert len(rows) > 10
    strict = np.flatnonzero(emp.requires_qualification)[0]
    lenient = np.flatnonzero(~emp.requires_qualification)[0]
    scanned = np.isin(certified, measure.scanned_uid)
    scan = np.where(scanned, 1.1, 1.0)
    p0 = np.full(len(rows), 0.1)
    waived = (1 - 0.5 * p.screening_penalty_qualification) / (1 - p.screening_penalty_qualification)
    np.testing.assert_allclose(measure.offer_probability(model, rows, np.full(len(rows), strict), p0),
                               0.1 * waived * scan, rtol=1e-6)
    np.testing.assert_allclose(measure.offer_probability(model, rows, np.full(len(rows), lenient), p0),
                               0.1 * scan, rtol=1e-6)
    # nobody else gains, except through the scan
    others = np.setdiff1d(np.arange(len(pop)), rows)
    gained = measure.offer_probability(model, others, np.full(len(others), strict), np.full(len(others), 0.1)) > 0.1
    np.testing.assert_array_equal(gained, np.isin(pop.uid[others], measure.scanned_uid))
    assert gained.sum() > 10


def test_only_eligible_people_are_certified():
    measure = make_measure("practical_learning", {"certificate_places_per_1000_recipients": 40.0})
    model = labour_abm.LabourModel(seed=5, measures=[measure], **SMALL)
    starters = []

    def spy(m, eligible):
        before = measure.certificates.uid.copy()
        rows = original(m, eligible)
        new = m.pop.rows_of(np.setdiff1d(measure.certificates.uid, before))
        pop = m.pop
        assert not pop.start_qualification[new].any()
        assert ((pop.parttime_hours[new] > 0) | pop.volunteering[new]).all()
        assert (pop.status[new] == ON_BENEFIT).all()
        starters.append(len(new))
        return rows

    original = measure.certificates.step  # the service exists once the model is built
    measure.certificates.step = spy
    for _ in range(SMALL["months"]):
        model.step()
    assert sum(starters) > 20
    # the check can fail: most people on benefit are not eligible
    on = model.pop.on_benefit()
    assert (model.pop.start_qualification[on] | (model.pop.parttime_hours[on] == 0)).mean() > 0.5


def test_cost_is_per_certificate_and_per_scan():
    m = monthly(with_measure("practical_learning", {"cost_per_certificate_eur": 1000.0, "cost_per_scan_eur": 100.0}))
    assert m["practical_learning_certificates_started"].sum() > 0 and m["practical_learning_scans"].sum() > 0
    expected = 1000.0 * m["practical_learning_certificates_started"] + 100.0 * m["practical_learning_scans"]
    np.testing.assert_allclose(m["measure_cost_eur"], expected)


def test_zero_effect_is_identical_to_baseline(tmp_path):
    zero = {"certificate_places_per_1000_recipients": 0.0, "scans_per_month_per_1000_recipients": 0.0}
    assert_zero_effect_is_identical(tmp_path, "practical_learning", zero)
