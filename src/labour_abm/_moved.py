"""Modules that moved when the package was split into layers (issue 14), still importable under
their old names: ``import labour_abm.sweep`` gives ``labour_abm.experiments.sweep`` (the same
module object) with a DeprecationWarning that names the new place. Declared once, here."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

MOVED = {
    "agents": "core.agents", "labour_market": "core.labour_market", "model": "core.model", "params": "core.params",
    "population": "core.population", "presets": "core.presets", "rng": "core.rng", "rules": "core.rules",
    "synth": "core.synth",
    "programmes": "measures.programmes",
    "effects": "analysis.effects", "outcomes": "analysis.outcomes", "patterns": "analysis.patterns",
    "plots": "analysis.plots", "sensitivity": "analysis.sensitivity", "summaries": "analysis.summaries",
    "validation": "analysis.validation",
    "calibration": "experiments.calibration", "experiment": "experiments.experiment",
    "experiments_api": "experiments.experiment", "paired": "experiments.paired", "reproduce": "experiments.reproduce",
    "run": "experiments.run", "runner": "experiments.runner", "sweep": "experiments.sweep",
    "cli": "ui.cli", "dashboard": "ui.dashboard", "report": "ui.report",
    "ema": "adapters.ema",
}


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``labour_abm.<old>`` (and its submodules, e.g. ``labour_abm.rules.screening``) and
    loads it as the module at its new place."""

    @staticmethod
    def _new_name(name: str) -> str | None:
        parts = name.split(".")
        if len(parts) < 2 or parts[0] != __package__ or parts[1] not in MOVED:
            return None
        return ".".join([__package__, MOVED[parts[1]], *parts[2:]])

    def find_spec(self, name, path=None, target=None):
        new = self._new_name(name)
        return importlib.util.spec_from_loader(name, self) if new else None

    def create_module(self, spec):
        new = self._new_name(spec.name)
        warnings.warn(f"{spec.name} moved to {new}; import it from there", DeprecationWarning, stacklevel=2)
        return importlib.import_module(new)

    def exec_module(self, module) -> None:
        """Nothing to run: the module at its new place is loaded already."""


def install() -> None:
    """First in line, so that a submodule of a moved package (``labour_abm.rules.screening``) is the
    module at the new place, never a second copy loaded from the same file."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
