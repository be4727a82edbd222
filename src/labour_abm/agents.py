"""Consultants and employers: ``mesa.Agent`` subclasses that are views on table rows.

The monthly rules work on whole columns (fast); the agents give Mesa's ``AgentSet`` API
(``model.agents_by_type[Employer].select(...)``, ``.agg``, inspection in a notebook or in
SolaraViz) onto the same data, so there is one truth and no copying.
"""

from __future__ import annotations

import mesa
import numpy as np

from .population import Columns


class column:  # noqa: N801 - a descriptor, used like a field
    """Descriptor: agent attribute ``name`` is row ``agent.index`` of table column ``name``."""

    def __init__(self, table: str):
        self.table = table

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, agent, owner=None):
        if agent is None:
            return self
        return getattr(getattr(agent.model, self.table), self.name)[agent.index].item()

    def __set__(self, agent, value):
        getattr(getattr(agent.model, self.table), self.name)[agent.index] = value


WAYS_OF_WORKING = ("standard", "intensive", "digital")

CONSULTANT_SCHEMA: dict[str, tuple[type, object]] = {
    "neighbourhood": (np.int16, 0),
    "client_hours_per_month": (np.float32, 0.0),
    "way_of_working": (np.int8, 0),
    "contact_effect": (np.float32, 1.0),  # multiplies the gain of a contact (intensive > standard)
    "cost_eur_per_year": (np.float32, 0.0),
    "caseload": (np.int32, 0),
}


class Consultants(Columns):
    schema = CONSULTANT_SCHEMA


class Consultant(mesa.Agent):
    """A klantmanager / werkcoach: caseload, client hours, way of working, neighbourhood, cost."""

    neighbourhood = column("consultants")
    client_hours_per_month = column("consultants")
    way_of_working = column("consultants")
    contact_effect = column("consultants")
    cost_eur_per_year = column("consultants")
    caseload = column("consultants")

    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = index


class Employer(mesa.Agent):
    """A local employer: sector, size, vacancies, what it screens on, openness, wage."""

    sector = column("employers")
    size = column("employers")
    vacancy_rate_per_month = column("employers")
    parttime_share = column("employers")
    requires_language = column("employers")
    requires_health = column("employers")
    requires_qualification = column("employers")
    screens_debt = column("employers")
    openness = column("employers")
    known = column("employers")
    wage_eur = column("employers")
    hires_from_bijstand = column("employers")
    vacancies = column("employers")

    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = index
