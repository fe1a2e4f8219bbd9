"""The choice of complements: the cheapest set of published cells that closes a leak.

A set T of base cells is derivable from the published cells iff some combination ``y`` of
their rows is nonzero and supported on T. Write A for the published cells x base cells
membership matrix, ``N`` for an orthonormal basis of the left null space of A's columns
outside T (so ``y = N z``) and ``H = A[:, T].T @ N``: T is derivable iff ``H != 0``.
Withholding a set S of cells adds the constraint ``N[S] z = 0``, so T stops being derivable
iff every ``z`` with ``N[S] z = 0`` has ``H z = 0``, iff the row space of ``H`` lies in the
span of the rows ``N[S]``. Withholding only shrinks the published rows' span, so it never
creates a leak elsewhere.

The search: subsets S of the cells with ``N[s] != 0`` are enumerated in increasing total
weight (respondents hidden on the dimension; ties: fewer cells, then lower indices), at most
:data:`MAX_FIX_SETS` of them, and the first whose span covers ``H``'s row space is the
cheapest set (sets are checked in batches of :data:`_BATCH`, one stacked SVD per set size,
which picks the same set as checking each when its turn comes). When the budget runs out
first, the fallback is a greedy cover (cells taken in increasing weight while each still
enlarges the covered part of ``H``'s row space), which always exists (all candidate rows
together span every ``z``). Either way the chosen set is
confirmed by the rank test (``rank(A) > rank(A without T's columns)`` after withholding),
and the caller's exact leak check runs again before anything is published.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

_I = npt.NDArray[np.int64]
_F = npt.NDArray[np.float64]

MAX_FIX_DENSE = 250_000
"""The largest published cells x base cells matrix on which complements are searched."""
MAX_FIX_SETS = 2_000
"""The most candidate sets of cells examined, in increasing weight, for one leak."""
_TOL = 1e-8


def _rank(m: _F) -> int:
    if m.size == 0:
        return 0
    sv = np.linalg.svd(m, compute_uv=False)
    return int((sv > 1e-9 * max(1.0, float(sv[0]))).sum())


def _derivable(b: _F, in_leak: npt.NDArray[np.bool_]) -> bool:
    """Whether a combination of the rows of *b* is nonzero and supported on *in_leak* columns."""
    if b.shape[0] == 0:
        return False
    return _rank(b) > _rank(b[:, ~in_leak])


def _span(m: _F) -> _F:
    """An orthonormal basis (rows) of the row space of *m*."""
    if m.shape[0] == 0:
        return m
    _u, sv, vt = np.linalg.svd(m, full_matrices=False)
    r = int((sv > 1e-9 * max(1.0, float(sv[0]))).sum())
    return vt[:r]


def _uncovered(target: _F, basis: _F) -> float:
    """How far the rows of *target* stick out of the row space of *basis* (orthonormal rows)."""
    resid = target - (target @ basis.T) @ basis if basis.shape[0] else target
    return float(np.linalg.norm(resid))


_BATCH = 64
"""Candidate sets checked together."""


def _first_cover(n: _F, target: _F, sets: list[list[int]], scale: float) -> int | None:
    """The position of the first of *sets* whose rows of *n* span the rows of *target*."""
    ok = np.zeros(len(sets), dtype=bool)
    by_size: dict[int, list[int]] = {}
    for pos, rows in enumerate(sets):
        by_size.setdefault(len(rows), []).append(pos)
    for size, group in by_size.items():
        stack = n[np.asarray([sets[g] for g in group], dtype=np.intp).reshape(len(group), size)]
        _u, sv, vt = np.linalg.svd(stack, full_matrices=False)
        keep = sv > 1e-9 * np.maximum(1.0, sv[:, :1])  # each set's own rank
        basis = vt * keep[:, :, None]
        resid = target[None] - (target[None] @ basis.transpose(0, 2, 1)) @ basis
        ok[group] = np.linalg.norm(resid, axis=(1, 2)) <= _TOL * scale
    hits = np.flatnonzero(ok)
    return int(hits[0]) if hits.size else None


def cheapest_fix(
    cells: Sequence[npt.NDArray[np.intp]],
    published: list[int],
    base_weight: _I,
    leak: frozenset[int],
    weight: list[int],
) -> list[int] | None:
    """The cheapest published cells whose withholding makes *leak* underivable (see module).

    *weight* holds each cell's respondents on the dimension. Returns cell indices (the
    confirmed set, cheapest first), or ``None`` when the matrix exceeds :data:`MAX_FIX_DENSE`,
    *leak* is not derivable (numerically) or no set passes the rank test.
    """
    cols = np.flatnonzero(base_weight > 0)
    if len(published) * cols.size > MAX_FIX_DENSE:
        return None
    col_of = np.full(base_weight.size, -1, dtype=np.intp)
    col_of[cols] = np.arange(cols.size)
    a = np.zeros((len(published), cols.size))
    for row, c in enumerate(published):
        m = col_of[cells[c]]
        a[row, m[m >= 0]] = 1.0
    in_leak = np.zeros(cols.size, dtype=bool)
    hit = col_of[np.fromiter(leak, dtype=np.intp, count=len(leak))]
    in_leak[hit[hit >= 0]] = True
    # equal columns (the base cells of one atom) do not change any rank: keep one of each
    both = np.unique(np.vstack([a, in_leak[None, :]]), axis=1)
    a, in_leak = both[:-1], both[-1] > 0
    outside = a[:, ~in_leak]
    if outside.shape[1]:
        u, sv, _vt = np.linalg.svd(outside, full_matrices=True)
        n = u[:, int((sv > 1e-9 * max(1.0, float(sv[0]))).sum()) :]
    else:
        n = np.eye(len(published))
    target = _span(a[:, in_leak].T @ n)  # the directions z that must be closed
    if target.shape[0] == 0:
        return None
    cand = np.flatnonzero(np.linalg.norm(n, axis=1) > _TOL).tolist()
    cand.sort(key=lambda r: (weight[published[r]], published[r]))
    cw = [weight[published[r]] for r in cand]
    scale = max(1.0, float(np.linalg.norm(target)))

    def covers(rows: list[int]) -> bool:
        return _uncovered(target, _span(n[rows])) <= _TOL * scale

    # greedy cover: an upper bound, and the fallback when the budget runs out
    # (kept incrementally: q spans the chosen rows, left is target's part outside that span)
    greedy: list[int] = []
    q = np.zeros((0, n.shape[1]))
    left = target.copy()
    for r in cand:
        before = float(np.linalg.norm(left))
        if before <= _TOL * scale:
            break
        e = n[r] - (n[r] @ q.T) @ q
        e -= (e @ q.T) @ q
        size = float(np.linalg.norm(e))
        if size <= _TOL:
            continue  # already in the span
        e /= size
        along = left @ e
        after = max(before * before - float(along @ along), 0.0) ** 0.5
        if after < before - _TOL * scale:
            greedy.append(r)
            q = np.vstack([q, e])
            left -= np.outer(along, e)
    best = greedy if covers(greedy) else None
    best_w = sum(weight[published[r]] for r in best) if best is not None else None
    # best-first enumeration of index sets of cand by total weight: from (..., i) come
    # (..., i, i + 1) and (..., i + 1); each set is reached exactly once
    # The sets are popped in that order and checked in batches (one stacked SVD per set size):
    # the first covering set in pop order wins, as if each were checked when popped.
    heap: list[tuple[int, int, tuple[int, ...]]] = [(cw[0], 1, (0,))] if cand else []
    need = target.shape[0]
    pending: list[tuple[int, tuple[int, ...]]] = []
    popped = 0
    while True:
        done = not heap or popped == MAX_FIX_SETS
        if not done:
            total, size, idx = heapq.heappop(heap)
            popped += 1
            if best_w is not None and (total, size) >= (best_w, len(best or ())):
                done = True  # nothing cheaper is left
            else:
                if size >= need:
                    pending.append((total, idx))
                last = idx[-1]
                if last + 1 < len(cand):
                    heapq.heappush(heap, (total + cw[last + 1], size + 1, (*idx, last + 1)))
                    heapq.heappush(
                        heap, (total - cw[last] + cw[last + 1], size, (*idx[:-1], last + 1))
                    )
        if pending and (done or len(pending) == _BATCH):
            first = _first_cover(n, target, [[cand[i] for i in idx] for _t, idx in pending], scale)
            if first is not None:
                best, best_w = [cand[i] for i in pending[first][1]], pending[first][0]
                break
            pending = []
        if done:
            break
    for choice in (best, greedy):
        if choice and not _derivable(np.delete(a, choice, axis=0), in_leak):
            return [published[r] for r in choice]
    return None
