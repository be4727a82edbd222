"""The dashboard: its paired model, its exported experiment file, its command, and the real thing in
headless Chromium (Debian's package, driven by Playwright): switch a measure on, set its slider,
run 24 months, see the plots and numbers change, export the settings, and reproduce the numbers
with `labour-abm experiment`. The screenshot goes to ``test-artifacts/``."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request

import pandas as pd
import pytest

from labour_abm.experiments.experiment import run_experiment
from labour_abm.experiments.paired import ARM, PairedRun
from labour_abm.experiments.run import simulate
from labour_abm.measures import make_measure

from .conftest import ARTIFACTS

pytest.importorskip("solara", reason="the dashboard needs the [dashboard] extra (pip install -e '.[dashboard]')")

SMALL = {"preset": "nijmegen", "seed": 4, "months": 120}
MEASURES = {"language_centre": {"places_per_1000_recipients": 60.0}, "sanctions": {}}
COMPARED = ("exits_to_work", "durable_outcomes_12", "measure_gross_cost_eur", "public_cost_eur", "stock",
            "benefit_months")


@pytest.fixture(scope="module")
def paired():
    run = PairedRun(measures=MEASURES, **SMALL)
    for _ in range(24):
        run.step()
    return run


def test_the_two_runs_are_the_measures_and_the_baseline_with_the_same_seed(paired):
    with_measures = simulate("nijmegen", seed=4, months=24,
                             measures=[make_measure(n, p) for n, p in MEASURES.items()])
    baseline = simulate("nijmegen", seed=4, months=24)
    pd.testing.assert_frame_equal(paired.monthly()[ARM], with_measures.monthly, check_exact=True)
    pd.testing.assert_frame_equal(paired.monthly()["baseline"], baseline.monthly, check_exact=True)


def test_the_exported_file_reproduces_the_key_numbers(paired, tmp_path):
    numbers = paired.key_numbers()
    assert numbers["month"] == 24 and numbers["measure_gross_cost_eur"] > 0
    path = tmp_path / "exported.toml"
    path.write_text(paired.experiment_toml())
    result = run_experiment(path, out=tmp_path / "out", workers=1, progress=False)
    effects = result.effects
    at = effects[(effects["arm"] == ARM) & (effects["group"] == "all") & (effects["horizon_months"] == 24)]
    effect = at.set_index("outcome")
    outcomes = paired.outcomes()
    for outcome in COMPARED:
        assert effect.loc[outcome, "effect_mean"] == pytest.approx(outcomes.loc[outcome, "difference"], abs=1e-6)
        assert effect.loc[outcome, "arm_mean"] == pytest.approx(outcomes.loc[outcome, ARM], abs=1e-6)
    assert effect.loc["exits_to_work", "effect_mean"] == numbers["extra_exits_to_work"]


def test_an_export_before_any_step_covers_all_months_and_without_measures_is_valid(tmp_path):
    from labour_abm.experiments.experiment import load

    path = tmp_path / "exported.toml"
    path.write_text(PairedRun(months=36).experiment_toml())
    spec, _ = load(path)
    assert spec.months == 36 and spec.arm_measures(ARM) == [] and spec.seed_list() == [1]


def test_the_main_parameter_slider_reaches_the_measure():
    run = PairedRun(measures={"personal_approach": {"caseload_per_consultant": 40.0}}, months=12)
    assert run.arm.measures[0].p.caseload_per_consultant == 40.0
    assert not run.baseline.measures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "dashboard", *args], capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("args, message", [
    (["--preset", "atlantis"], "unknown preset 'atlantis'"),
    (["--labour-market", "boom"], "'stable', 'upswing' or 'covid'"),
    (["--months", "6"], "--months must be 12-240"),
    (["--port", "70000"], "--port must be 1-65535"),
])
@pytest.mark.slow
def test_bad_dashboard_options_are_refused_in_one_line(args, message):
    done = cli(*args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_port_in_use_is_refused():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = cli("--port", str(taken.getsockname()[1]))
    assert done.returncode == 2 and "is in use" in done.stderr


# -------------------------------------------------------------------------- in Chromium
def start_dashboard(port: int) -> subprocess.Popen:
    """`labour-abm dashboard` on ``port``, once it answers."""
    proc = subprocess.Popen([sys.executable, "-m", "labour_abm.ui.cli", "dashboard", "--port", str(port), "--months",
                             "24", "--seed", "4"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"the dashboard did not start: {proc.stdout.read()}")
            time.sleep(0.3)


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = start_dashboard(port)
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.slow
def test_stopping_the_command_stops_the_server():
    """The server is the command's own process: terminating the command frees the port (a server
    left behind as an orphan kept answering)."""
    port = free_port()
    proc = start_dashboard(port)
    proc.terminate()
    proc.wait(timeout=20)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)


def key_number(page, key: str) -> str:
    return page.locator(f"[data-key={key}]").inner_text().strip()


@pytest.mark.slow
def test_the_dashboard_runs_a_measure_in_chromium_and_its_export_reproduces_it(browser, server, tmp_path):
    from labour_abm.ui.dashboard import _eur

    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(server, timeout=60_000)
    page.get_by_role("button", name="Step").wait_for(timeout=60_000)
    assert page.locator("img").count() == 0, "plots before the first month"

    page.get_by_role("checkbox", name="language centre").check(force=True)  # vuetify's ripple covers the input
    slider = page.get_by_role("slider", name="places per 1000 recipients")  # appears with the measure
    slider.wait_for(state="attached", timeout=30_000)
    before = float(slider.get_attribute("aria-valuenow"))
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"s => Number(s.getAttribute('aria-valuenow')) > {before}", arg=slider.element_handle(),
                           timeout=10_000)
    places = float(slider.get_attribute("aria-valuenow"))
    assert places > before
    # the server has rebuilt the runs with this setting (only then does Step step them)
    page.get_by_text(f"language centre (places per 1000 recipients = {places:g}) against the baseline").wait_for(
        timeout=30_000)

    page.get_by_role("button", name="Step").click()
    page.locator("[data-key=month]", has_text=re.compile(r"^\s*1\s*$")).wait_for(timeout=30_000)
    page.locator("img").first.wait_for(timeout=30_000)
    first_plot = page.locator("img").first.get_attribute("src")
    page.get_by_role("button", name="▶").click()
    page.locator("[data-key=month]", has_text="24").wait_for(timeout=180_000)
    page.wait_for_timeout(1500)  # the last redraw
    assert page.locator("img").count() == 6
    assert page.locator("img").first.get_attribute("src") != first_plot, "the plots did not update"
    assert key_number(page, "month") == "24"
    shown_cost = key_number(page, "measure_gross_cost_eur")
    shown_extra = key_number(page, "extra_exits_to_work")
    assert shown_cost.startswith("EUR") and shown_cost != "EUR 0"

    with page.expect_download() as download:
        page.get_by_text("Export experiment file").click()
    exported = tmp_path / "exported.toml"
    download.value.save_as(exported)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    page.close()
    text = exported.read_text()
    assert "language_centre" in text and "months = 24" in text and "seed = 4" in text
    assert f"places_per_1000_recipients = {places}" in text

    done = subprocess.run([sys.executable, "-m", "labour_abm.ui.cli", "experiment", str(exported), "--out",
                           str(tmp_path / "out"), "--no-plot", "--quiet", "--workers", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    effects = pd.read_csv(tmp_path / "out" / "effects.csv")
    at = effects[(effects["arm"] == ARM) & (effects["group"] == "all") & (effects["horizon_months"] == 24)]
    value = at.set_index("outcome")
    assert _eur(value.loc["measure_gross_cost_eur", "effect_mean"]) == shown_cost
    assert f"{value.loc['exits_to_work', 'effect_mean']:+,.0f}" == shown_extra
    assert not problems, problems
