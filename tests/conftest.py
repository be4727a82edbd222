"""Shared runs: simulations are cached per session so many tests can read the same outputs."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

import labour_abm


@functools.cache
def cached_run(preset: str = "nijmegen", seed: int = 1, **overrides):
    return labour_abm.simulate(preset, seed=seed, **overrides)


@pytest.fixture(scope="session")
def short_run():
    """Nijmegen, 36 months, seed 1."""
    return cached_run(months=36)


@pytest.fixture(scope="session")
def baseline_runs():
    """Nijmegen, 120 months, three seeds: what the calibration tolerances are checked on."""
    return [cached_run(months=120, seed=s) for s in (1, 2, 3)]


REPORT_SPEC = {
    "name": "report_check",
    "description": "Language centre and social participation against the baseline, tiny, with a target.",
    "preset": "nijmegen", "months": 30, "replications": 3, "seed": 21,
    "parameters": {"initial_stock": 900},
    "arms": {
        "baseline": {},
        "language_centre": {"measures": [{"name": "language_centre"}]},
        "social_participation": {"measures": [{"name": "social_participation"}]},
    },
    "target": {"outcome": "durable_outcomes_12", "by_month": 12, "value": 5, "arm": "language_centre",
               "source": "a made-up target for the test"},
}


@pytest.fixture(scope="session")
def report_experiment(tmp_path_factory):
    """A tiny finished experiment with a target (for plots and the report)."""
    from labour_abm.experiments.experiment import run_experiment

    return run_experiment(REPORT_SPEC, out=tmp_path_factory.mktemp("exp") / "report_check", workers=1,
                          progress=False)


# ------------------------------------------------------------------ browser tests
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("LABOUR_ABM_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # no calls out of a closed network


@pytest.fixture(scope="module")  # per module: Playwright's event loop must not outlive the browser tests
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install "
                                     "-e '.[dev]')")
    if CHROMIUM is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set CHROMIUM=/path/to/chromium)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
