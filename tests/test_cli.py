"""The command line as a user runs it: outputs written, bad input refused with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from labour_abm.core import presets


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
