"""The model: one municipality's bijstand caseload, one ``step()`` per month.

:class:`LabourModel` sets up the tables and agents, and its ``step()`` is the table of contents
of the month: each line calls one process (``core/processes``, one module each), in the order
docs/ODD.md describes them. What a month learns on the way (its counts, who was seen, who was
referred) lives in ``model.now`` (:class:`~.month.Month`); the state changes processes share are
in :mod:`.transitions`; the measures in force act at the hooks of :mod:`.hooks`.

Recipients are columns (population.Recipients); consultants and employers are Mesa agents
viewing their own tables (agents.py).
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from . import presets
from .agents import Consultants, Employer, add_consultants
from .hooks import MeasureHooks, hooked_by, measure_overrides, overrides
from .initial import create_initial_stock, create_recent_leavers, initial_benefit_eur_per_month
from .labour_market import LocalMarket, Scenario, WwPool, create_employers
from .month import Month
from .params import Parameters, resolve_parameters
from .population import ON_BENEFIT, EventLog, Recipients, Spells
from .processes.barrier_dynamics import barrier_dynamics
from .processes.benefit_payment import earnings_and_benefit
from .processes.budget import budget
from .processes.contacts import allocate_contacts
from .processes.enforcement import impose_sanctions
from .processes.inflow import inflow
from .processes.job_loss import job_loss_and_return
from .processes.job_search import search_and_obligations
from .processes.matching import matching
from .processes.other_exits import other_exits
from .processes.records import record
from .processes.services import services
from .rng import Streams
from .statistics import CORE_COLUMNS, MonthlyColumn


class MonthlyCollector(mesa.DataCollector):
    """Mesa's DataCollector for the monthly statistics, without its deep copy of every value:
    they are fresh Python numbers each month, and copying ~200 of them was a tenth of a run."""

    def collect(self, model: LabourModel) -> None:
        last = model.last
        for var, values in self.model_vars.items():
            values.append(last[var])


class LabourModel(mesa.Model):
    """A Dutch municipality's social-assistance caseload, month by month.

    Args:
        preset: City preset (``labour-abm presets``); its parameters override the defaults.
        measures: Policy measures in force (``labour_abm.measures``), e.g. ``[DebtHelp()]``.
        seed: Integer seed. Same seed and parameters give identical outputs. Drawn at
            random (and recorded in ``model.seed``) when omitted.
        rng: Not supported; pass ``seed`` (the model keys its own streams on it).
        parameters: A complete, validated :class:`Parameters`; overrides then apply on top.
        **overrides: Any parameter by name (``labour-abm params``), e.g. ``months=60``.
    """

    def __init__(
        self,
        *,
        preset: str | None = "nijmegen",
        measures: list[MeasureHooks] | tuple = (),
        seed: int | None = None,
        rng=None,
        parameters: Parameters | None = None,
        **overrides,
    ):
        if rng is not None:
            raise ValueError("LabourModel takes an integer seed, not rng (its random streams are keyed on the seed)")
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % 2**63)
        self.seed = int(seed)
        super().__init__(seed=self.seed)
        base = parameters.model_dump() if parameters is not None else presets.preset_parameters(preset)
        self.preset = preset if parameters is None else None
        self.measures = list(measures)
        self.hooked = hooked_by(self.measures)  # for each hook, the measures that act at it
        self.p: Parameters = resolve_parameters(base, overrides, measure_overrides(self.measures))
        self.streams = Streams(self.seed)
        self.scenario = Scenario(self.p.labour_market)
        self.month = 0  # the month being (or last) simulated, 0-based
        self.now: Month | None = None  # what the month being simulated knows (created by step)
        self.next_uid = 0

        self.pop = Recipients(capacity=int(self.p.initial_stock * 1.5) + 64)
        self.spells = Spells(capacity=int(self.p.initial_stock * 2) + 64)
        self.events = EventLog()
        self.employers = create_employers(self.p, self.streams.generator("employers", -1))
        Employer.create_agents(self, len(self.employers), list(range(len(self.employers))))
        self.labour_market = LocalMarket(self.p, self.employers, self.streams.generator("vacancies", -1))
        self.ww_pool = WwPool(self.p)
        n_consultants = max(1, math.ceil(self.p.initial_stock / self.p.caseload_per_consultant))
        self.consultants = Consultants(n_consultants)
        add_consultants(self, n_consultants)
        create_initial_stock(self)
        create_recent_leavers(self)
        self.allocation_eur_per_month = self.p.state_allocation_share * initial_benefit_eur_per_month(self)

        self.columns = monthly_columns(self.measures)  # every column of the monthly table, in order
        self.last: dict[str, float] = {}  # the last month's statistics, by column
        self.datacollector = MonthlyCollector(
            model_reporters={c.name: (lambda m, k=c.name: m.last[k]) for c in self.columns})
        for measure in self.measures:
            measure.setup(self)
        # Mesa 3.3 keeps a class-level counter per model (Agent._ids) that holds the model for good,
        # so no finished model was ever freed (mesa#3179, fixed in 3.4). All agents exist by now.
        mesa.Agent._ids.pop(self, None)

    # ================================================================================== month
    def step(self) -> None:
        """One month, in the order of docs/ODD.md (section 3, process overview)."""
        self.month = self.steps - 1
        now = self.now = Month(self.month, self.scenario.at(self.month))
        self.pop.job_search_duty[:] = True  # measures that waive the duty do so afresh each month
        # fmt: off
        inflow(self, now)                  # new claims (some diverted at the gate), returns
        allocate_contacts(self, now)       # consultants spend their hours on their caseload
        services(self, now)                # debt help and measures' services, with waiting lists
        barrier_dynamics(self, now)        # erosion out of work, recovery in work, debts
        search_and_obligations(self, now)  # applications sent; is the duty met?
        matching(self, now)                # vacancies, applications, screening, hiring
        earnings_and_benefit(self, now)    # part-time earnings, disregard, benefit paid
        impose_sanctions(self, now)        # broken obligations seen at a contact; fraud found
        job_loss_and_return(self, now)     # jobs end; people come back (after WW, if entitled)
        other_exits(self, now)             # pension, partner, moving, other benefit, other
        budget(self, now)                  # allocation, safety net, staff and measure costs
        record(self, now)                  # ladder, monthly statistics; clocks advance
        # fmt: on
        if self.month + 1 >= self.p.months:
            self.running = False

    # ============================================================================ inspection
    @property
    def stock(self) -> int:
        """Recipients on benefit right now."""
        return int(np.count_nonzero(self.pop.status == ON_BENEFIT))

    def recipient(self, uid: int) -> dict:
        """A read-only snapshot of one recipient (all columns) by uid."""
        row = int(self.pop.rows_of(np.array([uid]))[0])
        return {name: getattr(self.pop, name)[row].item() for name in self.pop.schema}


def monthly_columns(measures: list[MeasureHooks]) -> list[MonthlyColumn]:
    """The core's columns, then each measure's as ``<measure>_<column>``, in the order the
    measures were switched on. A measure's column may not take a core column's name."""
    silent = [m.name for m in measures if m.monthly_columns and not overrides(m, "monthly")]
    if silent:  # programming errors in a measure, not user errors
        raise ValueError(f"measure(s) {', '.join(silent)} declare monthly columns but give no monthly() values")
    own = [MonthlyColumn(f"{m.name}_{c.name}", c.unit, c.meaning) for m in measures for c in m.monthly_columns]
    clash = sorted({c.name for c in own} & {c.name for c in CORE_COLUMNS})
    if clash:
        raise ValueError(f"measure columns would overwrite core columns: {', '.join(clash)}")
    return [*CORE_COLUMNS, *own]
