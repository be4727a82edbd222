"""labour_abm: agent-based simulation of a Dutch municipality's bijstand caseload.

Three lines to a run::

    import labour_abm
    result = labour_abm.simulate(preset="nijmegen", months=120, seed=1)
    result.monthly[["month", "stock", "exits_work"]]

The package is built in layers; each imports only from the layers below it (a test checks it,
docs/architecture.md explains it):

==============  ===========================================================================
``ui``          the command line, the report, the dashboard
``experiments`` what runs models: one run, experiments, sweeps, validation and calibration,
                the dashboard's paired run, reproduction of a recorded run
``analysis``    tables in, tables and figures out: outcomes, paired effects, patterns,
                validation statistics, sensitivity indices, econometrics, the plot set
``measures``    the policy measures (plug-ins) and the city programmes that combine them
``core``        the simulation: the model, the processes of the month, the population,
                rules, parameters and presets, random streams
``io``          reading users' files, writing results directories, provenance
==============  ===========================================================================

``adapters`` (EMA Workbench) sits on top. ``errors`` and ``version`` serve every layer.
"""

from ._moved import install as _install_moved_modules
from .version import __version__

# The public names, each loaded on first use (PEP 562): `labour-abm --help` or `labour-abm params`
# need none of them, and importing the model alone costs most of a second (Mesa, pandas, scipy).
_PUBLIC = {
    "LabourModel": ("core.model", "LabourModel"), "Parameters": ("core.params", "Parameters"),
    "RunResult": ("experiments.run", "RunResult"), "simulate": ("experiments.run", "simulate"),
    "make_measure": ("measures", "make_measure"), "MEASURES": ("measures", "REGISTRY"),
    "UserError": ("errors", "UserError"), "run_experiment": ("experiments.experiment", "run_experiment"),
    "ExperimentResult": ("experiments.experiment", "ExperimentResult"),
}

_install_moved_modules()

__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module, attribute = _PUBLIC[name]
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value  # later uses find it without coming here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
