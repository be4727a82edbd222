"""Parameters: every default has a description and a source; docs/parameters.md is current."""

from __future__ import annotations

from pathlib import Path

import pytest

import labour_abm
from labour_abm.core import presets
from labour_abm.core.params import Parameters, parameter_table, resolve_parameters
from labour_abm.ui.docs import parameters_markdown, with_generated_blocks

ROOT = Path(__file__).resolve().parents[1]


def test_every_parameter_has_description_source_and_bounds():
    for row in parameter_table():
        assert row["description"], row["name"]
        assert row["source"], row["name"]
        assert row["allowed"], row["name"]


def test_units_are_in_the_names_of_money_and_rates():
    for name in Parameters.model_fields:
        if "eur" in name:
            assert name.endswith(("_eur", "_eur_per_month", "_eur_per_year", "_eur_per_hour", "_per_100_eur")), name


def test_docs_parameters_md_matches_the_code():
    text = (ROOT / "docs" / "parameters.md").read_text()
    assert text == parameters_markdown(parameter_table()), "run `make docs` to regenerate docs/parameters.md"


def test_unknown_key_is_refused_with_the_valid_ones():
    with pytest.raises(labour_abm.UserError, match="Did you mean caseload_per_consultant") as exc:
        resolve_parameters({"caseload_per_consultants": 10})
    assert "hire_probability_per_application" in str(exc.value)
    with pytest.raises(labour_abm.UserError):
        labour_abm.LabourModel(not_a_parameter=1)


def test_presets_only_use_known_parameters_and_run():
    for name in presets.available():
        params = resolve_parameters(presets.preset_parameters(name))
        assert params.initial_stock >= 1000
        info = presets.info(name)
        assert info["sources"], name


@pytest.mark.parametrize("name", ["eindhoven", "arnhem", "groningen", "den_haag"])
def test_city_presets_run(name):
    result = labour_abm.simulate(name, seed=1, months=3)
    size = resolve_parameters(presets.preset_parameters(name)).initial_stock
    assert abs(result.monthly["stock"].iloc[-1] - size) < 0.05 * size


@pytest.mark.slow
def test_netherlands_preset_builds_and_steps():
    model = labour_abm.LabourModel(preset="netherlands", seed=1, months=1)
    assert model.p.initial_stock == 415_000
    model.step()
    assert 0.95 * 415_000 < model.last["stock"] < 1.05 * 415_000


def test_docs_measures_md_matches_the_code():
    from labour_abm.ui.docs import measures_page

    text = (ROOT / "docs" / "measures.md").read_text()
    assert text == measures_page(), "run `make docs` to regenerate docs/measures.md"


def test_docs_outputs_md_lists_exactly_the_declared_columns():
    text = (ROOT / "docs" / "outputs.md").read_text()
    assert text == with_generated_blocks(text), "run `make docs` to regenerate the column tables of docs/outputs.md"
    for name in ("`claims_diverted_to_work`", "`ladder_6`", "`share_exempt`", "`placement_hired`", "`kept_eur`"):
        assert name in text
