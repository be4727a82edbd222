"""The command line as a user runs it: outputs written, bad input refused with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from labour_abm.core import presets
from labour_abm.ui.cli import main


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.slow
def test_run_refuses_an_out_it_cannot_make_before_running(tmp_path):
    (tmp_path / "file").write_text("x")
    res = cli("run", "--months", "600", "--out", str(tmp_path / "file" / "run"))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.strip().splitlines() == [f"labour-abm: error: --out {tmp_path / 'file' / 'run'}: cannot be made "
                                               "(Not a directory)."]


@pytest.mark.slow
def test_run_writes_tables_manifest_and_plot(tmp_path):
    out = tmp_path / "run"
    res = cli("run", "--months", "12", "--seed", "4", "--set", "initial_stock=1500", "--out", str(out))
    assert res.returncode == 0, res.stderr
    monthly = pd.read_parquet(out / "monthly.parquet")
    assert len(monthly) == 12
    required = {
        "month",
        "stock",
        "inflow",
        "reentries",
        "exits_work",
        "exits_other",
        "recipients_with_earnings",
        "sanctions_imposed",
        "benefit_spending_eur",
        "measure_cost_eur",
        "budget_balance_eur",
    }
    assert required <= set(monthly.columns)
    spells = pd.read_parquet(out / "spells.parquet")
    assert {"uid", "spell_id", "start_month", "end_month", "exit_reason", "age_at_start", "entry_route"} <= set(
        spells.columns
    )
    events = pd.read_parquet(out / "events.parquet")
    assert {"entry", "exit", "job_start"} <= set(events["event"].astype(str))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 4 and manifest["parameters"]["initial_stock"] == 1500
    assert {"version", "git_commit", "git_dirty", "timings_s", "preset"} <= set(manifest)
    assert (out / "overview.png").stat().st_size > 10_000
    assert "exit hazard" in res.stdout


@pytest.mark.slow
def test_run_with_a_measure_records_it(tmp_path):
    out = tmp_path / "m"
    res = cli(
        "run",
        "--months",
        "6",
        "--set",
        "initial_stock=800",
        "--measure",
        "debt_help:extra_arrangements_per_month_share=0.01",
        "--out",
        str(out),
        "--no-plot",
        "--quiet",
    )
    assert res.returncode == 0, res.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["measures"][0]["name"] == "debt_help"
    assert manifest["measures"][0]["parameters"]["extra_arrangements_per_month_share"] == 0.01
    assert res.stdout == ""


@pytest.mark.parametrize(
    "args, must_say",
    [
        (["--set", "caseload_per_consultan=100"], "caseload_per_consultant"),  # suggests the right name
        (["--set", "months=abc"], "months"),
        (["--set", "months=0"], "1 .. 600"),
        (["--set", "disregard_share=1.5"], "disregard_share"),
        (["--set", "labour_market=boom"], "stable, upswing, covid"),
        (["--set", "novalue"], "key=value"),
        (["--set", "stock_share_single=0.9", "--set", "stock_share_single_parent=0.2"], "at most 1"),
        (["--preset", "atlantis"], "nijmegen"),
        (["--measure", "drone_course"], "debt_help"),
        (["--measure", "debt_help:speed=3"], "extra_arrangements_per_month_share"),
        (["--measure", "debt_help:cost_per_arrangement_eur=-1"], "cost_per_arrangement_eur"),
    ],
)
@pytest.mark.slow
def test_bad_input_gives_one_clear_line_and_exit_code_2(tmp_path, args, must_say):
    out = tmp_path / "never"
    res = cli("run", "--out", str(out), *args)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("labour-abm: error:"), res.stderr
    assert must_say in lines[0]
    assert not out.exists()  # nothing written


@pytest.mark.slow
def test_presets_lists_every_preset_with_size_and_source():
    res = cli("presets")
    assert res.returncode == 0
    for name in ("nijmegen", "eindhoven", "arnhem", "groningen", "den_haag", "netherlands"):
        assert name in res.stdout
    assert "415,000" in res.stdout and "source:" in res.stdout
    assert set(presets.available()) >= {"nijmegen", "netherlands"}


@pytest.mark.slow
def test_params_and_measures_list_everything():
    res = cli("params")
    assert res.returncode == 0 and "caseload_per_consultant = 150.0" in res.stdout and "Source:" in res.stdout
    res = cli("measures")
    assert res.returncode == 0 and "debt_help" in res.stdout



HEAVY = ("numpy", "pandas", "mesa", "pydantic", "matplotlib", "scipy.stats", "statsmodels", "SALib")
IMPORTED = f"""
import json, sys
from labour_abm.ui import cli
before = [m for m in {HEAVY!r} if m in sys.modules]
code = cli.main(sys.argv[1:])
print(json.dumps({{"before": before, "after": [m for m in {HEAVY!r} if m in sys.modules]}}))
sys.exit(code)
"""


def imported(*args) -> dict[str, list[str]]:
    """Heavy libraries loaded in a fresh process by importing the command line ("before") and
    after running ``labour-abm ARGS`` ("after")."""
    res = subprocess.run([sys.executable, "-c", IMPORTED, *args], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_the_command_line_imports_what_a_command_needs_when_it_runs(tmp_path):
    """Start-up time (benchmarks/bench_startup.py) without timing: importing the command line loads
    none of numpy, pandas, Mesa or pydantic; a run without plots loads no plotting and no statistics."""
    listing = imported("presets")
    assert listing["before"] == [] and "mesa" not in listing["after"]
    run = imported("run", "--months", "3", "--set", "initial_stock=200", "--no-plot", "--quiet", "--out",
                   str(tmp_path / "run"))
    assert run["before"] == [] and {"mesa", "pandas"} <= set(run["after"])
    assert not {"matplotlib", "scipy.stats", "statsmodels", "SALib"} & set(run["after"])


WROTE_EXPERIMENT = """name = "wrote_check"
months = 24
replications = 2
parameters = { initial_stock = 800 }
keep = "all"
[arms.baseline]
[arms.debt_help]
measures = [{ name = "debt_help" }]
"""
WROTE_SWEEP = """name = "wrote_sweep"
months = 13
replications = 1
parameters = { initial_stock = 300 }
design = "morris"
samples = 2
[vary.hire_probability_per_application]
range = [0.05, 0.08]
"""


@pytest.fixture(scope="module")
def studies(tmp_path_factory):
    """A tiny experiment and a tiny sweep, their files and where they were written."""
    folder = tmp_path_factory.mktemp("wrote")
    (folder / "e.toml").write_text(WROTE_EXPERIMENT)
    (folder / "s.toml").write_text(WROTE_SWEEP)
    return folder


COMMANDS = {  # command -> (its arguments, the file or directory its "wrote" line must name)
    "run": (["run", "--months", "3", "--set", "initial_stock=200", "--no-plot", "--out", "{d}/run"],
            "{d}/run/monthly.parquet"),
    "experiment": (["experiment", "{d}/e.toml", "--out", "{d}/e", "--workers", "1", "--no-plot"],
                   "{d}/e/effects.csv"),
    "report": (["report", "{d}/e"], "{d}/e/report.html"),
    "analyse": (["analyse", "{d}/e", "--no-plot"], "{d}/e/analysis/baseline/r0/km.csv"),
    "sweep": (["sweep", "{d}/s.toml", "--out", "{d}/s", "--workers", "1", "--no-plot"], "{d}/s/points.parquet"),
    "sensitivity": (["sensitivity", "{d}/s", "--outcome", "stock"], "{d}/s/sensitivity/"),
    "validate": (["validate", "--replications", "1", "--months", "13", "--set", "initial_stock=300", "--workers", "1",
                  "--out", "{d}/v"], "{d}/v/scorecard.csv"),
    "calibrate": (["calibrate", "--trials", "1", "--replications", "1", "--months", "13", "--set",
                   "initial_stock=300", "--workers", "1", "--out", "{d}/c"], "{d}/c/calibrated.toml"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(COMMANDS))  # in this order: report, analyse, sensitivity read what came before
def test_every_command_that_writes_says_what_and_where_in_one_line(studies, capsys, name):
    args, named = COMMANDS[name]
    assert main([a.format(d=studies) for a in args]) == 0
    named = named.format(d=studies)
    wrote = [line for line in capsys.readouterr().out.splitlines() if "wrote " in line.lower()]
    assert len(wrote) == 1 and named.rsplit("/", 1)[0] in wrote[0], wrote
    assert Path(named).exists()


def test_the_experiment_summary_shows_displacement_only_for_a_clear_gain():
    import pandas as pd

    from labour_abm.ui.cli import _cell

    table = pd.DataFrame({"line": ["displacement_share"] * 2, "arm": ["clear", "unclear"],
                          "effect_mean": [0.35, 1.8], "ci_low": [0.32, -1.0], "ci_high": [0.38, float("inf")]}
                         ).set_index(["line", "arm"])
    assert _cell(table, "displacement_share", "clear") == "0.350 [0.320, 0.380]"  # two digits of the half-width
    assert _cell(table, "displacement_share", "unclear") == "- (no clear extra jobs)"
    assert _cell(table, "stock", "clear") == "-"
