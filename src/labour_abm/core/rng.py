"""Common random numbers: one stream per (seed, process, month), indexed by uid.

A draw for recipient ``uid`` in process ``name`` at month ``m`` is a pure function of
(seed, name, m, uid, draw). Switching a measure on therefore never reshuffles the draws of
unrelated processes or people, and the difference between a measure and the baseline at the
same seed is the measure's effect plus little noise (DESIGN.md, "common random numbers").

Per-uid draws hash the key with the splitmix64 finaliser (Steele, Lea & Flood 2014), a
counter-based generator: fast on numpy arrays and with no state to carry. Draws not tied to a
person (vacancies, the number of new claims) come from a numpy ``Generator`` seeded by the
same key.
"""

from __future__ import annotations

import hashlib

import numpy as np
from scipy.special import ndtri


def _u64(x: int) -> np.ndarray:
    # constants as 0-d arrays: numpy's faster path (a uint64 scalar costs more per operation)
    return np.array(x, dtype=np.uint64)


_GOLDEN = _u64(0x9E3779B97F4A7C15)
_M1 = _u64(0xBF58476D1CE4E5B9)
_M2 = _u64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (_u64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53
_UNIT = np.array(_TO_UNIT)  # as a 0-d array: uint64 times it is float64, computed in one pass


_MASK = (1 << 64) - 1
_G_INT = 0x9E3779B97F4A7C15


def _mix_int(z: int) -> int:
    """splitmix64 finaliser on a Python int (for keys)."""
    z &= _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, in place on a uint64 array."""
    z ^= z >> _S30
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return z


class Streams:
    """Keyed random streams for one run."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._process_keys: dict[str, int] = {}
        self._draw_keys: dict[tuple[int, int], int] = {}

    def key(self, process: str, month: int, draw: int = 0) -> np.uint64:
        """The 64-bit key of one (process, month, draw) stream: the process name is hashed once
        with the seed (blake2b), then month and draw are mixed in with splitmix64."""
        return np.uint64(self._key(process, month, draw))

    def _key(self, process: str, month: int, draw: int) -> int:
        """:meth:`key` as a Python int. Both hashes are kept: the per-(month, draw) one serves
        every process of the month (a splitmix64 on Python ints is ~5k instructions)."""
        base = self._process_keys.get(process)
        if base is None:
            digest = hashlib.blake2b(f"{self.seed}|{process}".encode(), digest_size=8).digest()
            base = self._process_keys[process] = int.from_bytes(digest, "little")
        inner = self._draw_keys.get((month, draw))
        if inner is None:
            inner = self._draw_keys[month, draw] = _mix_int((month + 2) * _G_INT + draw)
        return _mix_int(base ^ inner)

    def keys(self, process: str, month: int, k: int, first: int = 0) -> np.ndarray:
        """``key(process, month, j)`` for j = first..first+k-1 (k is small: a Python loop costs less
        than numpy's fixed cost per operation)."""
        return np.array([self._key(process, month, j) for j in range(first, first + k)], dtype=np.uint64)

    def uniform(self, process: str, month: int, ids: np.ndarray, draw: int = 0) -> np.ndarray:
        """Uniform [0, 1) draws, one per id; the same id always gets the same draw."""
        z = ids.astype(np.uint64)
        z *= _GOLDEN
        z += np.array(self._key(process, month, draw), dtype=np.uint64)  # 0-d: numpy's faster path
        _mix(z)
        z >>= _S11
        return z * _UNIT  # float64 (exact: z < 2**53), without a separate astype

    def uniforms(self, process: str, month: int, ids: np.ndarray, k: int, first: int = 0) -> np.ndarray:
        """k independent uniform columns at once, shape (len(ids), k); column j equals
        ``uniform(process, month, ids, draw=first + j)``. One hashing pass instead of k calls."""
        keys = self.keys(process, month, k, first)
        z = ids.astype(np.uint64)[:, None] * _GOLDEN + keys[None, :]
        _mix(z)
        z >>= _S11
        return z * _UNIT

    def scalar(self, process: str, month: int) -> float:
        """One uniform [0, 1) draw of a (process, month) that belongs to no recipient."""
        return float(self._key(process, month, 0) >> 11) * _TO_UNIT

    def normal(self, process: str, month: int, ids: np.ndarray, draw: int = 0) -> np.ndarray:
        """Standard normal draws, one per id (inverse CDF of :meth:`uniform`)."""
        u = self.uniform(process, month, ids, draw)
        return ndtri(np.clip(u, 1e-12, 1 - 1e-12))

    def generator(self, process: str, month: int) -> np.random.Generator:
        """A numpy Generator for draws that belong to no recipient (vacancies, counts)."""
        return np.random.default_rng([self.seed & 0xFFFFFFFFFFFFFFFF, self._key(process, month, 0)])


def geometric_from_uniform(chance: float, u: np.ndarray) -> np.ndarray:
    """Failures before the first success (0, 1, 2, ...) with a monthly ``chance`` of success,
    by inversion of the uniform draws ``u``: P(at least k) = (1 - chance) ** k."""
    if chance >= 1.0:
        return np.zeros(len(u), dtype=np.int64)
    return np.floor(np.log1p(-u) / np.log1p(-chance)).astype(np.int64)


def poisson_from_uniform(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Poisson(lam) counts by inversion of the uniform draws ``u`` (keeps the uid indexing)."""
    shape = lam.shape
    lam, u = lam.ravel(), np.broadcast_to(u, shape).ravel()  # flat: the loop below picks elements
    top = float(lam.max()) if lam.size else 0.0
    kmax = int(top + 12 * np.sqrt(top) + 30)  # far into the tail for any rate
    p = np.exp(-lam)
    cdf = p.copy()
    small = kmax <= 127  # counts fit in int8: adding the comparisons as int8 is several times cheaper
    k = np.zeros(lam.shape, dtype=np.int8 if small else np.int64)
    counts, at = k, None  # at: where the counts go once the loop goes on with the undecided only
    for j in range(1, kmax):
        above = u > cdf
        undecided = np.count_nonzero(above)
        if not undecided:
            break
        if at is None and 4 * undecided < above.size:
            # most counts are final after a few rounds: the rest (the same arithmetic for each) go
            # on alone, rather than every round passing over all (once: a copy costs about a round)
            at = above.nonzero()[0]
            lam, u, p, cdf, counts, above = lam[at], u[at], p[at], cdf[at], k[at], above[at]
        counts += above.view(np.int8) if small else above
        p *= lam  # in place: the same p * lam / j
        p /= j
        cdf += p
    if at is not None:
        k[at] = counts
    return k.astype(np.int64).reshape(shape)
