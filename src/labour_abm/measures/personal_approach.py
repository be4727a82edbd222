"""Personal approach: smaller caseloads, more intensive contacts, a fixed consultant in the own neighbourhood."""

from __future__ import annotations

import math

import numpy as np
from pydantic import Field

from ..core.agents import WAYS_OF_WORKING, add_consultants
from ..core.population import ON_BENEFIT
from ..core.statistics import MonthlyColumn
from .base import Measure, MeasureParams
from .service import row_mask

INTENSIVE = WAYS_OF_WORKING.index("intensive")


class PersonalApproachParams(MeasureParams):
    caseload_per_consultant: float = Field(
        75.0, ge=10, le=1000,
        description="Recipients per consultant FTE under the approach; consultants are added until the initial "
        "stock is served at this caseload (baseline 150). Seed 001 point 2 (personal, intensive approach); "
        "Hainmueller et al. 2016 (Scand J Econ: lower caseloads shorten unemployment); 75 is an assumption.",
    )
    contact_effect_multiplier: float = Field(
        2.0, ge=0.1, le=10,
        description="Effect of one personal, intensive contact relative to a standard one (multiplies every "
        "consultant's contact_effect). Seed 001 point 2: standard letters and CV work have low effect, a personal "
        "intensive approach works; size is an assumption.",
    )
    fixed_consultant: bool = Field(
        True,
        description="A fixed consultant: no turnover of consultants (consultant_turnover_per_month = 0). "
        "Seed 003 (Arnhem since 1 June 2020: a fixed, trusted contact person).",
    )
    neighbourhood_teams: bool = Field(
        True,
        description="Consultants work in neighbourhood teams; every client (existing and new) gets a consultant of "
        "the own neighbourhood. Seed 003 (Arnhem: helped in the own neighbourhood).",
    )
    neighbourhood_trust_build_months: float = Field(
        6.0, ge=0.1, le=120,
        description="Months to full trust with a consultant of the own neighbourhood team (baseline "
        "trust_build_months 12); used only with neighbourhood_teams. Seed 003 ('vast en vertrouwd'); "
        "size is an assumption.",
    )


class PersonalApproach(Measure):
    """A personal, intensive approach: smaller caseloads, more and more intensive contacts, a fixed and trusted
    consultant in the recipient's own neighbourhood (seed 001 point 2; seed 003: Arnhem since 1 June 2020;
    Rotterdam's personal approach in seed 002).

    Mechanism: consultants are added (way of working 'intensive') until the initial stock is served at the
    chosen caseload; the caseload is spread by moving clients from the existing consultants to the new ones
    (a new consultant is a stranger: trust starts again). More consultant hours per client mean more contacts;
    every contact works ``contact_effect_multiplier`` times as well (on motivation and confidence, hence search).
    With a fixed consultant nobody changes consultant, so trust keeps building. With neighbourhood teams the
    consultants are split over the neighbourhoods in proportion to their clients (with fewer consultants than
    neighbourhoods, a team serves a block of neighbourhoods), every client (new ones and returners too) gets the
    least busy consultant of the own team, a client whose consultant leaves gets another one from the same
    team, and trust builds faster. Debts: at every contact a debtor may accept a referral to debt help
    (baseline uptake chance), so more contacts find more debtors sooner; capacity for
    arrangements is a separate measure (debt_help). Intensive contacts are assumed to take the standard hours;
    the extra hours come from the extra consultants.

    Cost: the added consultant FTEs at their yearly cost / 12 per month (they also show in staff_cost_eur).
    """

    name = "personal_approach"
    Params = PersonalApproachParams
    sources = "seed 001 point 2; seed 003 (Arnhem); seed 002 (Rotterdam); Hainmueller et al. 2016"
    monthly_columns = (
        MonthlyColumn("added_consultants", "consultants", "Consultants added at set-up (constant)."),
        MonthlyColumn("mean_caseload", "recipients", "`stock` at the end of the month / number of consultants."),
    )

    def parameter_overrides(self):
        out: dict[str, object] = {}
        if self.p.fixed_consultant:
            out["consultant_turnover_per_month"] = 0.0
        if self.p.neighbourhood_teams:
            out["trust_build_months"] = self.p.neighbourhood_trust_build_months
        return out

    # ------------------------------------------------------------------------------- set-up
    def setup(self, model):
        p, cons, pop = model.p, model.consultants, model.pop
        n_old = len(cons)
        n_new = max(n_old, math.ceil(p.initial_stock / self.p.caseload_per_consultant))
        self.added = np.arange(n_old, n_new)
        if len(self.added):
            add_consultants(model, len(self.added))
        if self.p.contact_effect_multiplier != 1.0 or len(self.added):
            cons.way_of_working[:] = INTENSIVE
            cons.contact_effect[:] = cons.contact_effect * np.float32(self.p.contact_effect_multiplier)

        on = pop.on_benefit()
        if self.p.neighbourhood_teams:
            counts = np.bincount(pop.neighbourhood[on], minlength=p.neighbourhoods)
            self.area = _areas(counts, len(cons))  # the team of each neighbourhood (itself, when possible)
            area_clients = np.bincount(self.area, weights=counts, minlength=len(counts))
            seats = _seats(area_clients, len(cons))
            self.cons_area = np.repeat(np.arange(len(counts)), seats)
            staffed = seats.nonzero()[0]  # an area left without clients (and so staff) joins the next one
            self.area = staffed[np.minimum(np.searchsorted(staffed, self.area), len(staffed) - 1)]
            first = np.zeros(len(counts), np.int64)
            first[self.area[::-1]] = np.arange(len(counts))[::-1]  # an area's first neighbourhood
            cons.neighbourhood[:] = first[self.cons_area]
            client_area = self.area[pop.neighbourhood[on]]
            for a in np.unique(self.cons_area):
                _rebalance(pop, on[client_area == a], (self.cons_area == a).nonzero()[0])
        elif len(self.added):
            _rebalance(pop, on, np.arange(len(cons)))

    # ------------------------------------------------------------------------- the month
    def _to_teams(self, model, rows, load):
        """The least busy consultant of each row's own team, filling up as it goes."""
        area = self.area[model.pop.neighbourhood[rows]]
        picks = _fill_teams(load, self.cons_area, np.bincount(area, minlength=len(self.area)))
        consultant = np.empty(len(rows), np.int64)
        consultant[np.argsort(area, kind="stable")] = picks  # team by team, each in row order
        return consultant

    def assign_consultants(self, model, rows, consultant):
        if not self.p.neighbourhood_teams or len(rows) == 0:
            return consultant
        pop = model.pop
        others = pop.status == ON_BENEFIT
        others[rows] = False
        load = np.bincount(pop.consultant, weights=others, minlength=len(model.consultants))  # weighted: no selection
        return self._to_teams(model, rows, load)

    def services(self, model):
        """Turnover (if any) stays within the neighbourhood team."""
        if not self.p.neighbourhood_teams or self.p.fixed_consultant:
            return
        pop = model.pop
        on = pop.on_benefit()
        away = on[self.cons_area[pop.consultant[on]] != self.area[pop.neighbourhood[on]]]
        if len(away):
            staying = row_mask(model, on)
            staying[away] = False
            load = np.bincount(pop.consultant[staying], minlength=len(model.consultants))
            pop.consultant[away] = self._to_teams(model, away, load)

    def cost_eur(self, model):
        return float(model.consultants.cost_eur_per_year[self.added].sum()) / 12

    def monthly(self, model):
        return {"added_consultants": len(self.added), "mean_caseload": model.stock / len(model.consultants)}


# ----------------------------------------------------------------------------------- helpers
def _areas(clients: np.ndarray, n: int) -> np.ndarray:
    """The team area of each neighbourhood: the neighbourhood itself when there are enough consultants (one
    without clients joins the nearest one before it that has clients), else ``n`` contiguous blocks of about
    equal numbers of clients."""
    h = np.arange(len(clients))
    with_clients = clients > 0
    if not with_clients.any():
        return h
    if n >= with_clients.sum():
        area = np.maximum.accumulate(np.where(with_clients, h, -1))
        return np.where(area < 0, np.argmax(with_clients), area)
    middle = np.cumsum(clients) - clients / 2
    return np.minimum(np.floor(middle / clients.sum() * n), n - 1).astype(np.int64)


def _seats(clients: np.ndarray, n: int) -> np.ndarray:
    """Consultants per neighbourhood: one for each neighbourhood with clients (the largest first when there are
    too few), then each next one where the caseload per consultant is highest."""
    seats = np.zeros(len(clients), np.int64)
    with_clients = clients.nonzero()[0]
    first = with_clients[np.argsort(-clients[with_clients], kind="stable")][:n]
    seats[first] = 1
    for _ in range(n - len(first)):
        seats[np.argmax(np.where(seats > 0, clients / np.maximum(seats, 1), -1.0))] += 1
    if seats.sum() < n:  # no clients at all: spread evenly
        seats += np.bincount(np.arange(n - seats.sum()) % len(seats), minlength=len(seats))
    return seats


def _fill(load: np.ndarray, n: int) -> np.ndarray:
    """Positions (into ``load``) for ``n`` new clients, each to the least loaded at that moment (ties: first)."""
    return _fill_teams(load, np.zeros(len(load), np.int64), np.array([n]))


def _fill_teams(load: np.ndarray, team: np.ndarray, n: np.ndarray) -> np.ndarray:
    """:func:`_fill` in several teams at once: ``team`` is each position's team (non-decreasing), ``n`` the new
    clients of each team. Returns the positions picked, team after team.

    Every position offers a slot at each level from its load up to its team's cap (enough slots for the team's
    new clients); a team's clients take its slots lowest level first (ties: first position)."""
    if n.sum() == 0:
        return np.empty(0, np.int64)
    load = load.astype(np.int64)
    size = np.bincount(team, minlength=len(n))
    top = np.zeros(len(n), np.int64)
    np.maximum.at(top, team, load)
    cap = top + -(-n // np.maximum(size, 1)) + 1  # the highest load in the team + ceil(n / size) + 1
    free = np.where(n[team] > 0, cap[team] - load, 0)
    who = np.repeat(np.arange(len(load)), free)
    level = np.arange(len(who)) - np.repeat(np.cumsum(free) - free, free) + np.repeat(load, free)
    slot_team = team[who]
    # by team, level, position: one unique key sorted once (lexsort's three keys cost twice as much)
    order = np.argsort((slot_team * (int(cap.max()) + 1) + level) * len(load) + who)
    slots = np.bincount(slot_team, minlength=len(n))
    first = np.repeat(np.cumsum(slots) - slots - (np.cumsum(n) - n), n) + np.arange(n.sum())  # each team's first n
    return who[order[first]]


def _rebalance(pop, clients: np.ndarray, team: np.ndarray) -> None:
    """Spread ``clients`` (population rows) evenly over the consultants ``team``: each keeps up to an even share of
    the clients it already has (the lowest uids), the others move to the least busy (a new consultant: trust resets)."""
    mine = np.isin(pop.consultant[clients], team)
    stay = clients[mine]
    order = np.lexsort((pop.uid[stay], pop.consultant[stay]))
    stay = stay[order]
    cons_of = pop.consultant[stay]
    start = np.searchsorted(cons_of, cons_of, side="left")
    rank = np.arange(len(stay)) - start
    keep = rank < math.ceil(len(clients) / len(team))
    movers = np.concatenate((clients[~mine], stay[~keep]))
    movers = movers[np.argsort(pop.uid[movers], kind="stable")]
    position = np.zeros(int(team.max()) + 1, np.int64)
    position[team] = np.arange(len(team))
    load = np.bincount(position[pop.consultant[stay[keep]]], minlength=len(team))
    pop.consultant[movers] = team[_fill(load, len(movers))]
    pop.months_with_consultant[movers] = 0
