"""Shared runs: simulations are cached per session so many tests can read the same outputs."""

from __future__ import annotations

import functools

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
    "target": {"outcome": "durable_exits_12", "horizon_months": 12, "value": 5, "arm": "language_centre",
               "source": "a made-up target for the test"},
}


@pytest.fixture(scope="session")
def report_experiment(tmp_path_factory):
    """A tiny finished experiment with a target (for plots and the report)."""
    from labour_abm.experiments_api import run_experiment

    return run_experiment(REPORT_SPEC, out=tmp_path_factory.mktemp("exp") / "report_check", workers=1,
                          progress=False)
