"""Keep docs/tutorial.md honest, cheaply: its experiment file loads, its images exist, its commands are real."""

import argparse
import re
from pathlib import Path

import pytest

from labour_abm.experiments.experiment import load
from labour_abm.ui.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.md"
EXPERIMENT = ROOT / "experiments" / "tutorial_two_measures.toml"


def _subcommands() -> set[str]:
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    raise AssertionError("labour-abm has no subcommands")


def test_experiment_file_loads_with_a_baseline_and_the_two_measures():
    spec, _ = load(EXPERIMENT)
    assert set(spec.arms) == {"baseline", "language_centre", "personal_approach"}
    assert spec.arms["baseline"].measures == [] and spec.arms["baseline"].programme is None
    for arm in ("language_centre", "personal_approach"):
        assert [m.name for m in spec.arms[arm].measures] == [arm]
        assert spec.arms[arm].measures[0].parameters == {}  # at the measure's defaults
    assert (spec.preset, spec.months, spec.replications, spec.seed) == ("nijmegen", 48, 20, 1)
    assert spec.description


def test_tutorial_shows_the_experiment_file_as_it_is():
    blocks = re.findall(r"```toml\n(.*?)```", TUTORIAL.read_text(), flags=re.S)
    assert EXPERIMENT.read_text() in blocks


def test_every_linked_image_exists():
    text = TUTORIAL.read_text()
    links = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
    assert len(links) >= 4
    for link in links:
        assert not link.startswith(("http:", "https:", "/")), f"{link}: use a relative link"
        path = (TUTORIAL.parent / link).resolve()
        assert path.is_file(), f"docs/tutorial.md links {link}, which does not exist"
        assert path.stat().st_size < 400_000, f"{link}: keep tutorial images small"


def test_every_labour_abm_subcommand_in_the_tutorial_exists():
    mentioned = set(re.findall(r"\blabour-abm ([a-z][a-z_-]*)", TUTORIAL.read_text()))
    real = _subcommands()
    assert mentioned <= real, f"not subcommands of labour-abm: {sorted(mentioned - real)}"
    assert {"run", "experiment", "presets", "measures", "params"} <= mentioned


@pytest.mark.slow
def test_the_durable_outcomes_table_is_what_the_experiment_gives(tmp_path, capsys):
    """The tutorial's table of people durably in work, and the summary `labour-abm experiment`
    prints, come from running its experiment (60 runs of 48 months, ~20 s on 2 cores): a model
    change that moves them must update the tutorial."""
    from labour_abm.experiments.experiment import run_experiment
    from labour_abm.ui.cli import main

    text = TUTORIAL.read_text()
    rows = re.findall(r"^\| (\w+) \| (\d+) \| ([\d,.]+) \| ([\d,.]+) \| (-?[\d.]+) \| \[(-?[\d.]+), (-?[\d.]+)\] \|$",
                      text, flags=re.M)
    assert len(rows) == 6, "the tutorial's durable-outcomes table (2 arms x 3 horizons) was not found"
    effects = run_experiment(EXPERIMENT, out=tmp_path / "tut", workers=2, progress=False).effects
    mine = effects[(effects.outcome == "durable_outcomes_12") & (effects.group == "all")]
    mine = mine.set_index(["arm", "horizon_months"])
    for arm, horizon, base, mean, effect, low, high in rows:
        got = mine.loc[(arm, int(horizon))]
        shown = [f"{got.baseline_mean:,.2f}", f"{got.arm_mean:,.2f}", f"{got.effect_mean:.2f}",
                 f"{got.ci_low:.2f}", f"{got.ci_high:.2f}"]
        assert shown == [base, mean, effect, low, high], f"docs/tutorial.md: {arm} at {horizon} months"

    # the summary table of the CLI, as section 5 shows it (the runs are done: this only reads them)
    assert main(["experiment", str(EXPERIMENT), "--out", str(tmp_path / "tut"), "--no-plot"]) == 0
    printed = capsys.readouterr().out.splitlines()
    table = [line.rstrip() for line in printed if line.startswith("  ") and not line.startswith("  wrote")]
    assert len(table) == 4, printed  # heading, columns, two arms
    for line in table:
        assert line in text.splitlines(), f"docs/tutorial.md does not show the line {line.strip()!r}"
