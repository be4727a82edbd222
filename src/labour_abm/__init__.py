"""labour_abm: agent-based simulation of a Dutch municipality's bijstand caseload.

Three lines to a run::

    import labour_abm
    result = labour_abm.simulate(preset="nijmegen", months=120, seed=1)
    result.monthly[["month", "stock", "exits_work"]]
"""

from .errors import UserError
from .measures import REGISTRY as MEASURES
from .measures import make_measure
from .model import LabourModel
from .params import Parameters
from .run import RunResult, simulate

__version__ = "0.1.0"

__all__ = [
    "LabourModel", "Parameters", "RunResult", "simulate", "make_measure", "MEASURES", "UserError",
    "__version__",
]
