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
