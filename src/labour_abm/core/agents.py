"""Consultants and employers: ``mesa.Agent`` subclasses that are views on table rows.

The monthly rules work on whole columns (fast); the agents give Mesa's ``AgentSet`` API
(``model.agents_by_type[Employer].select(...)``, ``.agg``, inspection in a notebook or in
SolaraViz) onto the same data, so there is one truth and no copying.
"""

from __future__ import annotations

from typing import ClassVar

import mesa
import numpy as np

from .labour_market import EMPLOYER_SCHEMA
from .population import Columns


class column:  # noqa: N801 - a descriptor, used like a field
    """Descriptor: agent attribute ``name`` is row ``agent.index`` of the model's table column."""

    def __init__(self, table: str, name: str):
        self.table, self.name = table, name

    def __get__(self, agent, owner=None):
        if agent is None:
            return self
        return getattr(getattr(agent.model, self.table), self.name)[agent.index].item()

    def __set__(self, agent, value):
        getattr(getattr(agent.model, self.table), self.name)[agent.index] = value


class TableAgent(mesa.Agent):
    """A Mesa agent whose attributes are the columns of ``model.<table>`` at row ``index``."""

    table: ClassVar[str]
    schema: ClassVar[dict[str, tuple[type, object]]]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls.schema:
            setattr(cls, name, column(cls.table, name))

    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = index


WAYS_OF_WORKING = ("standard", "intensive", "digital")

CONSULTANT_SCHEMA: dict[str, tuple[type, object]] = {
    "neighbourhood": (np.int16, 0),
    "client_hours_per_month": (np.float32, 0.0),
    "way_of_working": (np.int8, 0),  # index into WAYS_OF_WORKING
    "contact_effect": (np.float32, 1.0),  # multiplies the gain of a contact (intensive > standard)
    "cost_eur_per_year": (np.float32, 0.0),
    "caseload": (np.int32, 0),
}


class Consultants(Columns):
    schema = CONSULTANT_SCHEMA


class Consultant(TableAgent):
    """A klantmanager / werkcoach: caseload, client hours, way of working, neighbourhood, cost."""

    table, schema = "consultants", CONSULTANT_SCHEMA


def add_consultants(model: mesa.Model, n: int) -> np.ndarray:
    """``n`` more consultants with the model's standard hours and cost, spread over the
    neighbourhoods in turn, each with its Mesa agent; returns their table rows."""
    p, cons = model.p, model.consultants
    rows = cons.append(n)
    cons.neighbourhood[rows] = rows % p.neighbourhoods
    cons.client_hours_per_month[rows] = p.consultant_client_hours_per_month
    cons.cost_eur_per_year[rows] = p.consultant_cost_eur_per_year
    Consultant.create_agents(model, n, [int(r) for r in rows])
    return rows


class Employer(TableAgent):
    """A local employer: sector, size, vacancies, what it screens on, openness, wage."""

    table, schema = "employers", EMPLOYER_SCHEMA
