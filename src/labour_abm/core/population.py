"""Columnar state: recipients (one numpy array per attribute), spells and events.

Recipients are rows with a stable integer ``uid`` that is never reused. A row stays while the
person is on benefit and for ``followup_months`` after leaving (to see who comes back); rows of
people who can no longer return are dropped once a year. Columns are views on buffers with
spare capacity, so appending a month's inflow does not copy the table. Update columns in
place (``pop.motivation[rows] = ...``); rebinding a column is refused.
"""

from __future__ import annotations

import numpy as np

# ---- codes ----------------------------------------------------------------------------------
ON_BENEFIT, OFF_BENEFIT, GONE = 0, 1, 2
HOUSEHOLDS = ("single", "single_parent", "couple")
ROUTES = ("ww", "school", "reentry", "other", "job")
EXIT_REASONS = ("work", "partner", "moved", "pension", "other_benefit", "other", "obligations", "unjustified",
                "other_income")
WORK, PARTNER, MOVED, PENSION, OTHER_BENEFIT, OTHER, OBLIGATIONS, UNJUSTIFIED, OTHER_INCOME = range(9)
# leavers who live on someone else's income, or an undeclared one, until it ends (then without income)
ON_PARTNER_INCOME = (PARTNER, UNJUSTIFIED)
# leavers who may be without income: they search for work and may claim again (processes/inflow.py)
MAY_LACK_INCOME = (OBLIGATIONS, OTHER, *ON_PARTNER_INCOME)


def reason_in(exit_reason: np.ndarray, reasons: tuple[int, ...]) -> np.ndarray:
    """Whether each exit reason code (-1: none yet) is one of ``reasons``: a lookup in a small
    table, several times faster than np.isin on a whole column."""
    table = np.zeros(len(EXIT_REASONS) + 1, bool)  # the last entry answers for -1
    table[list(reasons)] = True
    return table[exit_reason]
ROUTE_CODE = {r: i for i, r in enumerate(ROUTES)}

NEVER = 9999  # months since an event that never happened

# A score in [0, 1] (Dutch, literacy, physical and mental health, motivation, confidence) below
# this counts as a barrier: in the statistics, in employers' screening and in measures' targeting.
BARRIER_BELOW = 0.5
EXPERIENCED_FROM_YEARS = 0.5  # work experience that counts with employers (and gives an own sector)

# name -> (dtype, fill value for new rows)
SCHEMA: dict[str, tuple[type, object]] = {
    "uid": (np.int64, -1),
    "status": (np.int8, ON_BENEFIT),
    "age_years": (np.float32, 0.0),
    "household": (np.int8, 0),  # index into HOUSEHOLDS: the benefit unit
    # the household (issue 17): the partner of a couple, children, other adults 27+ in the home
    "partner_age_years": (np.float32, 0.0),  # couples only
    "partner_earnings_eur": (np.float32, 0.0),  # a couple's partner's earnings a month (offset against the benefit)
    "children": (np.int8, 0),
    "youngest_child_age_years": (np.float32, -1.0),  # -1: no children
    "cost_sharers": (np.int8, 0),  # other adults of 27+ in the home who count for the cost-sharing norm
    "care_exempt": (np.bool_, False),  # a single parent exempted from the duty to work (art. 9a Pw)
    "care_exempt_months": (np.int16, 0),  # months of that exemption used (at most 60)
    "start_qualification": (np.bool_, False),
    "migrant": (np.bool_, False),
    "statushouder": (np.bool_, False),
    # scores in [0, 1]; below BARRIER_BELOW counts as a barrier (see barrier_flags)
    "dutch": (np.float32, 1.0),
    "literacy": (np.float32, 1.0),
    "physical_health": (np.float32, 1.0),
    "mental_health": (np.float32, 1.0),
    "motivation": (np.float32, 1.0),
    "confidence": (np.float32, 1.0),
    "debt": (np.bool_, False),
    "debt_eur": (np.float32, 0.0),
    "debt_arrangement_months_left": (np.int16, 0),
    "debt_help_waiting_since": (np.int16, -1),
    "experience_years": (np.float32, 0.0),
    "sector": (np.int8, -1),
    "months_since_work": (np.int16, 0),
    "months_on_benefit": (np.int16, 0),
    "months_on_benefit_total": (np.int16, 0),
    "parttime_hours": (np.float32, 0.0),
    "parttime_earnings_eur": (np.float32, 0.0),
    "parttime_employer": (np.int32, -1),
    "disregard_months_used": (np.int16, 0),
    "sanction_months_left": (np.int8, 0),
    "sanction_count": (np.int8, 0),
    "months_since_sanction": (np.int16, NEVER),
    "exempt": (np.bool_, False),
    "job_search_duty": (np.bool_, True),  # False where a policy waives it (e.g. older people)
    "volunteering": (np.bool_, False),  # unpaid work (participation ladder step 4)
    "months_since_activity": (np.int16, NEVER),  # last organised activity (course, care, ...)
    "unjustified": (np.bool_, False),  # benefit not justified (undeclared income or partner)
    "ladder": (np.int8, 2),  # participation ladder step 1-6, updated at the end of each month
    "on_ladder": (np.bool_, False),  # on benefit, or off it in work and followed, at the end of the month
    "consultant": (np.int32, 0),
    "months_with_consultant": (np.int16, 0),
    "months_since_contact": (np.int16, NEVER),
    "neighbourhood": (np.int16, 0),
    "entry_route": (np.int8, ROUTE_CODE["other"]),
    "spell_id": (np.int64, -1),
    "exit_month": (np.int16, -1),
    "exit_reason": (np.int8, -1),
    "employed": (np.bool_, False),
    "job_employer": (np.int32, -1),
    "job_start_month": (np.int16, -1),
    "job_wage_eur": (np.float32, 0.0),
    "job_low_quality": (np.bool_, False),
    "return_month": (np.int16, -1),
    "other_income": (np.bool_, False),  # off benefit on an income not their own work (a partner's, undeclared, other)
    "awaited_income_month": (np.int16, -1),  # on benefit while waiting for another income, which starts this month
    "applications": (np.int16, 0),
    "noncompliant": (np.bool_, False),
    "benefit_paid_eur": (np.float32, 0.0),
}

BARRIERS = (
    "no_start_qualification",
    "insufficient_dutch",
    "low_literacy",
    "poor_physical_health",
    "poor_mental_health",
    "problematic_debt",
    "low_motivation",
    "low_confidence",
)


def lacks(score: np.ndarray) -> np.ndarray:
    """Whether a score is a barrier (below :data:`BARRIER_BELOW`)."""
    return score < BARRIER_BELOW


def poor_health(physical: np.ndarray, mental: np.ndarray) -> np.ndarray:
    """Poor physical or poor mental health (either score a barrier)."""
    return (physical < BARRIER_BELOW) | (mental < BARRIER_BELOW)


def experienced(years: np.ndarray) -> np.ndarray:
    """Enough work experience to count (:data:`EXPERIENCED_FROM_YEARS`)."""
    return years >= EXPERIENCED_FROM_YEARS


def barrier_flags(pop: Recipients, rows: np.ndarray | slice) -> dict[str, np.ndarray]:
    """The barriers of the given rows as booleans (:func:`lacks` of each score, or the yes/no state)."""
    return {
        "no_start_qualification": ~pop.start_qualification[rows],
        "insufficient_dutch": lacks(pop.dutch[rows]),
        "low_literacy": lacks(pop.literacy[rows]),
        "poor_physical_health": lacks(pop.physical_health[rows]),
        "poor_mental_health": lacks(pop.mental_health[rows]),
        "problematic_debt": pop.debt[rows],
        "low_motivation": lacks(pop.motivation[rows]),
        "low_confidence": lacks(pop.confidence[rows]),
    }


def barrier_count(pop: Recipients) -> np.ndarray:
    """The number of barriers (see barrier_flags) of every row. Whole columns at once: index the
    result, which is cheaper than gathering eight columns for a subset of rows."""
    n = np.zeros(len(pop), np.int8)
    for flag in barrier_flags(pop, slice(None)).values():
        n += flag
    return n


class Columns:
    """A table of named numpy columns with spare capacity; ``len()`` is the number of rows."""

    schema: dict[str, tuple[type, object]] = {}

    def __init__(self, capacity: int = 1024):
        object.__setattr__(self, "_buf", {})
        object.__setattr__(self, "n", 0)
        object.__setattr__(self, "generation", 0)  # bumped when rows move (keep), so row caches can tell
        object.__setattr__(self, "new_row", np.empty(0, np.int64))  # by the last keep: each old row's new one, or -1
        for name, (dtype, fill) in self.schema.items():
            self._buf[name] = np.full(max(capacity, 16), fill, dtype=dtype)
        self._refresh()

    def _refresh(self) -> None:
        for name, buf in self._buf.items():
            object.__setattr__(self, name, buf[: self.n])

    def __setattr__(self, name, value):
        if name in self.schema:
            raise AttributeError(f"update column '{name}' in place, e.g. table.{name}[rows] = ...")
        object.__setattr__(self, name, value)

    def __len__(self) -> int:
        return self.n

    def append(self, k: int, values: dict[str, np.ndarray | object] | None = None) -> np.ndarray:
        """Add ``k`` rows (unspecified columns get their fill value); return their row indices."""
        need = self.n + k
        cap = len(next(iter(self._buf.values())))
        if need > cap:
            new_cap = max(need, 2 * cap)
            for name, (dtype, fill) in self.schema.items():
                buf = np.full(new_cap, fill, dtype=dtype)
                buf[: self.n] = self._buf[name][: self.n]
                self._buf[name] = buf
        rows = np.arange(self.n, need)
        # rows past n hold the fill values already (see keep): only the given columns are written
        for name, value in (values or {}).items():
            self._buf[name][self.n : need] = value
        object.__setattr__(self, "n", need)
        self._refresh()
        return rows

    def keep(self, mask: np.ndarray) -> None:
        """Drop the rows where ``mask`` is False (order is kept). ``new_row`` then maps each row of
        the previous generation to its row now (-1: dropped), so row caches can follow cheaply."""
        kept = mask.nonzero()[0]  # once, rather than a boolean mask per column
        k = len(kept)
        for name, (_, fill) in self.schema.items():
            buf = self._buf[name]
            buf[:k] = buf.take(kept)
            buf[k : self.n] = fill  # the freed rows: as new (append writes only the given columns)
        new_row = np.full(self.n, -1, np.int64)
        new_row[mask] = np.arange(k)
        object.__setattr__(self, "new_row", new_row)
        object.__setattr__(self, "n", k)
        object.__setattr__(self, "generation", self.generation + 1)
        self._refresh()


class Recipients(Columns):
    """Everyone on benefit or recently off it. Rows are ordered by uid."""

    schema = SCHEMA

    def rows_of(self, uids: np.ndarray) -> np.ndarray:
        rows = np.searchsorted(self.uid, uids)
        if np.any(rows >= self.n) or np.any(self.uid[np.minimum(rows, self.n - 1)] != uids):
            raise KeyError("uid not tracked (never existed, or left the model)")
        return rows

    def on_benefit(self) -> np.ndarray:
        """Rows of the people on benefit."""
        return (self.status == ON_BENEFIT).nonzero()[0]

    def without_income(self) -> np.ndarray:
        """Rows of leavers off benefit without work or another income, who have not yet come
        back: they search for work and may claim again (a benefit ended for obligations, other
        exits, or the partner's or undeclared income they left with has ended)."""
        return (
            (self.status == OFF_BENEFIT) & ~self.employed & ~self.other_income & (self.return_month < 0)
            & reason_in(self.exit_reason, MAY_LACK_INCOME)
        ).nonzero()[0]

    def waiting_for_debt_help(self) -> np.ndarray:
        """Whether each row is on benefit and on the debt-help waiting list (a mask over all rows)."""
        return (self.debt_help_waiting_since >= 0) & (self.status == ON_BENEFIT)


SPELL_SCHEMA: dict[str, tuple[type, object]] = {
    "uid": (np.int64, -1),
    "start_month": (np.int32, 0),
    "end_month": (np.int32, -1),
    "exit_reason": (np.int8, -1),
    "age_at_start": (np.float32, 0.0),
    "entry_route": (np.int8, 0),
    "household": (np.int8, 0),
    "migrant": (np.bool_, False),
    "statushouder": (np.bool_, False),
    "exempt": (np.bool_, False),
    **{b: (np.bool_, False) for b in BARRIERS},
}


class Spells(Columns):
    """One row per benefit spell; the row index is the ``spell_id``."""

    schema = SPELL_SCHEMA


EVENTS = (
    "entry",
    "exit",
    "sanction",
    "job_start",
    "job_end",
    "parttime_start",
    "parttime_end",
    "debt_help_start",
    "debt_help_end",
    "service_start",
    "service_end",
    "claim_diverted",
    "fraud_found",
)


class EventLog:
    """Events appended month by month as arrays; turned into one table at the end."""

    def __init__(self):
        self.chunks: list[tuple[np.ndarray, int, int, np.ndarray | str]] = []

    def add(self, month: int, uids: np.ndarray, event: str, detail: np.ndarray | str = "") -> None:
        if len(uids):
            self.chunks.append((np.asarray(uids, dtype=np.int64), month, EVENTS.index(event), detail))

    def columns(self) -> dict[str, np.ndarray]:
        uids, months, codes, details = [], [], [], []
        for u, m, code, detail in self.chunks:
            uids.append(u)
            months.append(np.full(len(u), m, dtype=np.int32))
            codes.append(np.full(len(u), code, dtype=np.int8))
            details.append(np.full(len(u), detail, dtype=object) if isinstance(detail, str) else detail.astype(object))
        if not uids:
            return {"uid": np.empty(0, np.int64), "month": np.empty(0, np.int32),
                    "event": np.empty(0, np.int8), "detail": np.empty(0, object)}
        return {
            "uid": np.concatenate(uids),
            "month": np.concatenate(months),
            "event": np.concatenate(codes),
            "detail": np.concatenate(details),
        }
