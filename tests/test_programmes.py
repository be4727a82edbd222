"""City programmes: data files that combine measures, with the city's own target and sources."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import labour_abm
from labour_abm.core import presets
from labour_abm.measures import make_measure, programmes


@pytest.mark.parametrize("name", programmes.available())
def test_programme_names_its_preset_target_sources_and_valid_measures(name):
    info = programmes.info(name)
    assert info["preset"] in presets.available()
    assert info["target"] and info["sources"]
    assert any(src.startswith("seed 00") for src in info["sources"])
    measures = programmes.measures(name)
    assert len(measures) >= 3
    assert len({m.name for m in measures}) == len(measures)


def test_all_five_city_programmes_are_shipped():
    assert set(programmes.available()) >= {
        "nijmegen_masterplan", "arnhem_doorbraak", "groningen_werkprogramma", "eindhoven_aanpak",
        "den_haag_werkoffensief",
    }
    assert programmes.info("nijmegen_masterplan")["target_extra_durable_exits"] == 385  # seed 000


def test_a_programme_lowers_the_stock_against_the_same_seed_baseline():
    base = labour_abm.simulate("nijmegen", seed=2, months=36, initial_stock=3000)
    arm = labour_abm.simulate("nijmegen", seed=2, months=36, initial_stock=3000,
                              measures=programmes.measures("nijmegen_masterplan"))
    assert arm.monthly["stock"].iloc[-1] < base.monthly["stock"].iloc[-1]
    assert arm.monthly["measure_cost_eur"].sum() > 0
    assert (arm.monthly["new_claims"] == base.monthly["new_claims"]).all()  # the same claims arrive


@pytest.mark.slow
def test_cli_runs_a_programme_and_records_its_measures(tmp_path):
    out = tmp_path / "prog"
    res = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "run", "--programme", "arnhem_doorbraak",
                          "--months", "6", "--set", "initial_stock=1000", "--out", str(out), "--quiet", "--no-plot"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert [m["name"] for m in manifest["measures"]] == [m.name for m in programmes.measures("arnhem_doorbraak")]


@pytest.mark.slow
def test_unknown_programme_and_doubled_measure_are_clear_errors(tmp_path):
    res = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "run", "--programme", "rotterdam_plan",
                          "--out", str(tmp_path / "x")], capture_output=True, text=True)
    assert res.returncode == 2 and "nijmegen_masterplan" in res.stderr and not (tmp_path / "x").exists()
    with pytest.raises(labour_abm.UserError, match="more than once"):
        labour_abm.LabourModel(measures=[make_measure("debt_help"), make_measure("debt_help")], initial_stock=500)


def test_two_measures_setting_one_parameter_differently_is_refused():
    from labour_abm.measures.base import Measure

    class OtherDisregard(Measure):  # test-only: not registered (no name at class level)
        def parameter_overrides(self):
            return {"disregard_share": 0.1}

    other = OtherDisregard()
    other.name = "test_other_disregard"
    with pytest.raises(labour_abm.UserError, match="both set parameter 'disregard_share'"):
        labour_abm.LabourModel(measures=[make_measure("earnings_disregard", {"share": 0.5}), other], initial_stock=500)
