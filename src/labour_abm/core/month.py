"""What one month knows while it runs: created afresh at the start of every ``step()``.

The processes of the month hand information on through this object, not through attributes
that appear on the model mid-step: the month's labour-market conditions, who their consultant
saw, who was referred to a vacancy, and the month's counts and amounts (the tally), which the
records turn into the monthly statistics. Measures read it as ``model.now``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .labour_market import Conditions

_NOBODY = np.empty(0, np.int64)


@dataclass
class Month:
    """The month being simulated (``index``, 0-based) and what its processes have found so far."""

    index: int
    market: Conditions  # new vacancies and job losses of the labour-market scenario, relative to month 0
    # counts and amounts of the month by name, added as t[key] += n (Counter.update costs ~8k
    # instructions a call); a name not counted yet reads as 0
    tally: Counter = field(default_factory=Counter)
    seen: np.ndarray = field(default_factory=lambda: _NOBODY)  # rows seen by their consultant (contacts)
    seen_mask: np.ndarray = field(default_factory=lambda: _NOBODY.astype(bool))  # the same, one bool per row
    referred: np.ndarray = field(default_factory=lambda: _NOBODY)  # rows a consultant referred to a vacancy

    def quota(self, per_month: float) -> int:
        """A whole number for this month whose running total over the months tracks ``per_month``
        times the months so far (a capacity of 2.4 a month gives 2, 2, 3, 2, 3, ...)."""
        return int(math.floor(per_month * (self.index + 1)) - math.floor(per_month * self.index))
