"""A service with places, a waiting list and participants: the shared machinery of measures.

Language courses, care, retraining, volunteering placements and the like all work the same
way: eligible people on benefit join a waiting list (when a consultant sees them, or all at
once), a fixed number of places per month lets the longest waiting start, participants take
part for a number of months while the service acts on them each month, and it costs money
per participant-month. The measure that owns a :class:`Service` says who is eligible and what
a month in the service does; the service keeps the lists (by uid, so they survive the
yearly compaction of the population table) and the counts. :class:`ServiceMeasure` is the
base of the measures built on one such service.

Helpers for measures that keep sets of people: :class:`UidSet`, :func:`uid_mask`,
:func:`row_mask`, :func:`sorted_member`, :func:`tracked_on_benefit`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from ..core.population import ON_BENEFIT
from ..core.statistics import MonthlyColumn
from .base import Measure

if TYPE_CHECKING:
    from ..core.model import LabourModel

SERVICE_COLUMNS = (  # what Service.counts reports
    MonthlyColumn("participants", "people", "Stock: people in the service this month (each charged a "
                  "participant-month), after the month's starts and ends."),
    MonthlyColumn("waiting", "people", "Stock: length of its waiting list after the month's starts."),
    MonthlyColumn("started", "people", "Cumulative: starts since month 0 (the cumulative count of its "
                  "`service_start` events)."),
)


class Service:
    """Waiting list and participants of one measure's service.

    Args:
        name: Used for the event detail (``service_start``/``service_end``) and random streams.
        places: Participants at most at one time.
        months: How long one participation lasts.
        referral: "contact" (join the list when a consultant sees you) or "all" (every eligible
            person on benefit is on the list).
    """

    @classmethod
    def for_share(cls, name: str, model: LabourModel, places_per_1000: float, months: int, **kwargs) -> Service:
        """A service with ``places_per_1000`` places per 1,000 initial recipients."""
        return cls(name, round(places_per_1000 * model.p.initial_stock / 1000), months, **kwargs)

    def __init__(self, name: str, places: int, months: int, referral: str = "contact"):
        self.name, self.places, self.months, self.referral = name, int(places), int(months), referral
        self.uid = np.empty(0, np.int64)  # participants
        self.months_left = np.empty(0, np.int32)
        self.rows = np.empty(0, np.int64)  # their population rows
        # the waiting list as population rows, longest waiting first (rows, not uids: the month's
        # filtering is then one lookup; the yearly compaction of the table is followed by new_row)
        self.waiting_rows = np.empty(0, np.int64)
        self._generation = None  # of the population table the rows belong to
        self.started = self.finished = 0
        self.finished_uid = np.empty(0, np.int64)  # who completed the service this month

    def _follow_rows(self, pop) -> None:
        """Bring the rows up to date when the population table was compacted since the last step
        (once a year; people dropped then were gone, so they leave the service and the list)."""
        if self._generation == pop.generation:
            return
        if self._generation is not None:
            if self._generation != pop.generation - 1:
                raise RuntimeError(f"service {self.name} missed a compaction of the table: step it every month")
            self.rows = pop.new_row[self.rows]
            kept = self.rows >= 0
            self.uid, self.months_left, self.rows = self.uid[kept], self.months_left[kept], self.rows[kept]
            waiting = pop.new_row[self.waiting_rows]
            self.waiting_rows = waiting[waiting >= 0]
        self._generation = pop.generation

    def finishing_rows(self, model: LabourModel) -> np.ndarray:
        """Population rows of the participants on benefit whose last month this is (this month's
        :meth:`step` ends their participation)."""
        pop = model.pop
        self._follow_rows(pop)
        rows = self.rows[self.months_left <= 0]
        return rows[pop.status[rows] == ON_BENEFIT]

    def step(self, model: LabourModel, eligible: np.ndarray) -> np.ndarray:
        """Advance one month; ``eligible`` is a boolean over all population rows.

        Returns the population rows of this month's participants (on benefit), for the owner
        to apply the month's effect to.
        """
        pop, m = model.pop, model.month
        self._follow_rows(pop)
        # participants who left benefit drop out; the others use up a month
        rows = self.rows
        ok = pop.status[rows] == ON_BENEFIT
        done = ok & (self.months_left <= 0)
        self.finished_uid = self.uid[done]
        self.finished += len(self.finished_uid)
        model.events.add(m, self.finished_uid, "service_end", self.name)
        keep = ok & ~done
        self.uid, self.months_left, rows = self.uid[keep], self.months_left[keep], rows[keep]

        # the waiting list: drop those no longer on benefit or eligible, add the newly referred
        # (on benefit now: a measure earlier in the month may have taken someone seen into work)
        may_join = eligible & (pop.status == ON_BENEFIT)  # whole columns, then one lookup: cheaper
        waiting = self.waiting_rows[may_join[self.waiting_rows]]
        room = self._room(model, len(waiting))
        if room:
            may_join[rows] = False  # neither in the service nor waiting already
            may_join[waiting] = False
            if self.referral == "contact":
                may_join &= model.now.seen_mask
            waiting = np.concatenate((waiting, self._referred(model, may_join.nonzero()[0], room)))

        # free places go to the longest waiting (uid breaks ties): the list is kept in that order,
        # as newcomers join at the end by month and, within a month, by row (= uid) order
        k = min(max(0, self.places - len(self.uid)), len(waiting))
        starting = pop.uid[waiting[:k]]
        rows = np.concatenate((rows, waiting[:k]))
        self.uid = np.concatenate((self.uid, starting))
        self.months_left = np.concatenate((self.months_left, np.full(k, self.months, np.int32)))
        self.started += k
        model.events.add(m, starting, "service_start", self.name)

        self.months_left -= 1
        self.rows, self.waiting_rows = rows, waiting[k:]
        pop.months_since_activity[rows] = 0  # an organised activity (participation ladder step 3)
        return rows

    def _room(self, model: LabourModel, waiting: int) -> int:
        """How many more consultants refer: they stop once the list holds more than
        ``service_max_wait_months`` of starts (after this month's free places)."""
        per_month = self.places / self.months  # starts per month once the service is full
        free = max(0, self.places - len(self.uid))
        return max(0, free + int(model.p.service_max_wait_months * per_month) - waiting)

    def _referred(self, model: LabourModel, candidates: np.ndarray, room: int) -> np.ndarray:
        """The candidates (rows, in uid order) who join the list: all when there is room, else a
        block of ``room`` of them from a random point, wrapping round (a systematic sample: who
        joins does not depend on who they are)."""
        n = len(candidates)
        if n <= room:
            return candidates
        start = int(model.streams.scalar(f"{self.name}:referral", model.month) * n)
        return np.sort(candidates[(start + np.arange(room)) % n])

    @property
    def waiting(self) -> int:
        return len(self.waiting_rows)

    @property
    def participants(self) -> int:
        return len(self.uid)

    def counts(self) -> dict[str, float]:
        return {"participants": self.participants, "waiting": self.waiting, "started": self.started}

    def rows_on_benefit(self, model: LabourModel, uids: np.ndarray) -> np.ndarray:
        """Population rows of those ``uids`` who are still tracked and on benefit."""
        rows, ok = tracked_on_benefit(model, uids)
        return rows[ok]


class ServiceMeasure(Measure):
    """A measure built on one waiting-list :class:`Service`: places at one time per 1,000
    initial recipients, months per participation, a cost per participant-month (parameters
    named by ``places_param``, ``months_param`` and ``cost_per_participant_month_eur``).

    A subclass says who may join (:meth:`eligible`) and what a month in the service does to its
    participants (:meth:`in_service`); this base sets the service up, steps it each month,
    charges the participants and reports the service's counts (:data:`SERVICE_COLUMNS`).
    """

    places_param: ClassVar[str] = "places_per_1000_recipients"
    months_param: ClassVar[str] = ""
    monthly_columns = SERVICE_COLUMNS

    def setup(self, model: LabourModel) -> None:
        self.service = Service.for_share(self.name, model, getattr(self.p, self.places_param),
                                         getattr(self.p, self.months_param))
        self.rows = np.empty(0, np.int64)  # this month's participants (population rows)

    def eligible(self, model: LabourModel) -> np.ndarray:
        """Who may join the waiting list: a boolean over all population rows."""
        raise NotImplementedError

    def in_service(self, model: LabourModel, rows: np.ndarray) -> None:
        """What a month in the service does to its participants (population ``rows``, on benefit)."""

    def services(self, model: LabourModel) -> None:
        self.rows = self.service.step(model, self.eligible(model))
        self.in_service(model, self.rows)

    def lock_in(self, model: LabourModel, rows: np.ndarray, effort: np.ndarray, reduction: float) -> np.ndarray:
        """Search effort of ``rows`` with the participants' cut by ``reduction`` (lock-in: time in
        a course is time not spent applying; Card, Kluve & Weber 2018)."""
        in_service = row_mask(model, self.rows)[rows]
        return effort * np.where(in_service, 1.0 - reduction, 1.0)

    def cost_eur(self, model: LabourModel) -> float:
        return self.service.participants * self.p.cost_per_participant_month_eur

    def monthly(self, model: LabourModel) -> dict[str, float]:
        return self.service.counts()


def tracked_on_benefit(model: LabourModel, uids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``uids`` in the population and whether each is still there and on benefit."""
    pop = model.pop
    rows = np.searchsorted(pop.uid, uids)
    inside = rows < len(pop)
    rows = np.where(inside, rows, 0)
    ok = inside & (pop.uid[rows] == uids) & (pop.status[rows] == ON_BENEFIT)
    return rows, ok


class UidSet:
    """A set of uids stored as one boolean per uid. Uids are small integers, handed out in order
    and never reused, so asking whether population rows are in the set is a single lookup by
    their uid, wherever the rows are in the table (no search of a growing array).

    The answer for all rows is also kept as a boolean per population row, brought up to date
    when asked: rows appended since are new people (never in the set), uids added or discarded
    since are looked up, and a compaction of the table means one lookup of every row. Measures
    ask it for all rows every month, and a lookup of every row was most of their cost.
    """

    def __init__(self):
        self._in = np.zeros(1024, bool)
        self._row_in = np.zeros(0, bool)  # by population row, as of the last call of rows()
        self._generation = None  # of the population table _row_in belongs to
        self._changed: list[np.ndarray] = []  # uids added or discarded since

    def _grow(self, size: int) -> None:
        if size > len(self._in):
            grown = np.zeros(max(size, 2 * len(self._in)), bool)
            grown[: len(self._in)] = self._in
            self._in = grown

    def add(self, uids: np.ndarray) -> None:
        if len(uids):
            self._grow(int(uids.max()) + 1)
            self._in[uids] = True
            self._changed.append(uids)

    def discard(self, uids: np.ndarray) -> None:
        if len(uids):
            self._in[uids[uids < len(self._in)]] = False
            self._changed.append(uids)

    def contains(self, uids: np.ndarray) -> np.ndarray:
        """Whether each of ``uids`` is in the set."""
        inside = uids < len(self._in)
        if inside.all():
            return self._in[uids]
        return inside & self._in[np.where(inside, uids, 0)]

    def rows(self, model: LabourModel, rows: np.ndarray | None = None) -> np.ndarray:
        """Whether each population row (all rows, or ``rows``) is in the set (read-only)."""
        pop = model.pop
        n = len(pop)
        if model.next_uid > len(self._in):  # every uid handed out so far
            self._grow(model.next_uid)
        if self._generation != pop.generation:  # rows moved: look every row up by its uid
            self._row_in = np.zeros(2 * n, bool)  # spare room: appended rows are False already
            self._row_in[:n] = self._in[pop.uid]
            self._generation, self._changed = pop.generation, []
        else:
            if len(self._row_in) < n:  # appended rows: new uids, not in the set
                self._row_in = np.concatenate((self._row_in, np.zeros(n, bool)))
            if self._changed and n:
                uids = np.concatenate(self._changed) if len(self._changed) > 1 else self._changed[0]
                self._changed = []
                at = np.searchsorted(pop.uid, uids)
                at[at == n] = n - 1
                tracked = pop.uid[at] == uids
                self._row_in[at[tracked]] = self._in[uids[tracked]]
        if rows is not None:
            return self._row_in[rows]
        view = self._row_in[:n]
        view.flags.writeable = False
        return view

    @property
    def uids(self) -> np.ndarray:
        """The uids in the set, in increasing order."""
        return self._in.nonzero()[0]

    def __len__(self) -> int:
        return int(np.count_nonzero(self._in))


def sorted_member(sorted_uids: np.ndarray, uids: np.ndarray) -> np.ndarray:
    """Boolean over ``sorted_uids`` (increasing): True where the uid is one of ``uids``.

    Like ``np.isin(sorted_uids, uids)``, by a search of the (usually few) ``uids`` only."""
    out = np.zeros(len(sorted_uids), dtype=bool)
    if len(sorted_uids) and len(uids):
        pos = np.minimum(np.searchsorted(sorted_uids, uids), len(sorted_uids) - 1)
        out[pos[sorted_uids[pos] == uids]] = True
    return out


def uid_mask(model: LabourModel, uids: np.ndarray) -> np.ndarray:
    """Boolean over population rows: True for the rows of ``uids`` (those still tracked).

    Fast for a small set of uids against the whole table (``np.isin`` would sort both)."""
    pop = model.pop
    mask = np.zeros(len(pop), dtype=bool)
    if len(uids):
        rows = np.searchsorted(pop.uid, uids)
        inside = rows < len(pop)
        rows = rows[inside]
        mask[rows[pop.uid[rows] == uids[inside]]] = True
    return mask


def row_mask(model: LabourModel, rows: np.ndarray) -> np.ndarray:
    """Boolean over population rows: True for ``rows``."""
    mask = np.zeros(len(model.pop), dtype=bool)
    mask[rows] = True
    return mask
