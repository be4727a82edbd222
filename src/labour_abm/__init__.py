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
from .core.model import LabourModel
from .core.params import Parameters
from .errors import UserError
from .experiments.experiment import ExperimentResult, run_experiment
from .experiments.run import RunResult, simulate
from .measures import REGISTRY as MEASURES
from .measures import make_measure
from .version import __version__

_install_moved_modules()

__all__ = [
    "LabourModel", "Parameters", "RunResult", "simulate", "make_measure", "MEASURES", "UserError",
    "run_experiment", "ExperimentResult",
    "__version__",
]
