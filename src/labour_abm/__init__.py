"""labour_abm: agent-based simulation of a Dutch municipality's bijstand caseload.

Three lines to a run::

    import labour_abm
    result = labour_abm.simulate(preset="nijmegen", months=120, seed=1)
    result.monthly[["month", "stock", "exits_work"]]
"""

__version__ = "0.1.0"  # before the imports: modules below read it

from .errors import UserError  # noqa: E402
from .experiments_api import ExperimentResult, run_experiment  # noqa: E402
from .measures import REGISTRY as MEASURES  # noqa: E402
from .measures import make_measure  # noqa: E402
from .model import LabourModel  # noqa: E402
from .params import Parameters  # noqa: E402
from .run import RunResult, simulate  # noqa: E402

__all__ = [
    "LabourModel", "Parameters", "RunResult", "simulate", "make_measure", "MEASURES", "UserError",
    "run_experiment", "ExperimentResult",
    "__version__",
]
