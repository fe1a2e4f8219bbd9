"""The one-pass path of :func:`leercultuur.score` for a whole survey: scale-score moments directly.

:func:`leercultuur.scoring.summarise` keeps, per base cell, sums per number of answered items
(so that a :class:`~leercultuur.scoring.Summary` can be scored with any ``min_answered``).
Scoring a survey directly knows ``need`` (the answered items a scale score needs), so each
answer pattern's contribution is fixed: whether it has a score, ``T1 = s L / m`` and
``T2 = T1**2`` with ``L = lcm(need..J)``, and for rwg(j) the listwise sums. These integers
are packed into a few float64 weight tables (exact below 2**53) and summed per base cell with
one ``bincount`` each; the packed float sums are unpacked into int64 only before a bin could
overflow. The integers equal those :func:`leercultuur.scoring._formulas.exact_moments`
derives from a summary, so both routes publish the same numbers bit for bit.
"""

from __future__ import annotations

import functools
import math
import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.scoring._patterns import MAX_PATTERNS, PatternTables, pack_groups

__all__ = ["DimMoments", "fast_moments"]

_I = npt.NDArray[np.int64]
_F = npt.NDArray[np.float64]
_FLUSH_COST = 1
"""Rough cost of unpacking one field of one base cell, in units of one respondent's pass."""


@attrs.define(eq=False, repr=False)
class DimMoments:
    """One dimension's sums: per base cell scale-score moments and listwise sums; alpha sums.

    ``bn`` scale scores, ``t1``/``t2`` their exact scaled sums (divide by ``lcm`` and
    ``lcm**2``); ``lc``, ``lq``, ``lx`` the listwise sums
    for rwg(j); ``pn``, ``pp``, ``pq`` pairwise and ``wn``, ``wx``, ``wq`` listwise sums over all
    respondents for alpha (see :class:`leercultuur.scoring._stats.DimStats`).
    """

    bn: _I
    t1: _I
    t2: _I
    lcm: int
    lc: _I
    lq: _I
    lx: _I
    pn: _I
    pp: _I
    pq: _I
    wn: int
    wx: _I
    wq: _I
    need: int
    s2_scored: int

    def fits(self, fanout: int) -> bool:
        """Whether cell sums over *fanout* cells per base cell stay exact in int64.

        The same bound as :func:`~leercultuur.scoring._formulas.exact_moments`, so both routes
        take the exact integer path on the same surveys.
        """
        f0 = self.lcm // self.need
        return (self.s2_scored + 1) * f0 * f0 * max(1, fanout) < 1 << 62


def _lcm(need: int, j: int) -> int:
    return math.lcm(*range(need, j + 1))


@functools.lru_cache(maxsize=256)
def _fields(
    n_items: int, size: int, reverse: tuple[bool, ...], need: int, agreement: bool
) -> tuple[list[_I], list[int]]:
    """Per-pattern integer fields and their per-respondent maxima."""
    t = PatternTables.cached(n_items, size, reverse)
    big = _lcm(need, n_items)
    has = (t.answered >= need).astype(np.int64)
    t1 = np.where(has > 0, t.total * big // np.maximum(t.answered, 1), 0).astype(np.int64)
    fields = [has, t1, t1 * t1]
    tops = [1, size * big, (size * big) ** 2]
    if agreement:
        xc = t.keyed * t.complete[:, None]
        fields += [t.complete, (xc * xc).sum(axis=1), *[xc[:, u] for u in range(n_items)]]
        tops += [1, size * size * n_items, *([size] * n_items)]
    return fields, tops


@functools.lru_cache(maxsize=256)
def _packed(
    n_items: int, size: int, reverse: tuple[bool, ...], need: int, agreement: bool, per_bin: int
) -> list[tuple[_F, list[tuple[int, int]]]]:
    fields, tops = _fields(n_items, size, reverse, need, agreement)
    return pack_groups(fields, tops, per_bin)


def _plan(
    dims: list[tuple[int, tuple[bool, ...], int]],
    size: int,
    agreement: bool,
    *,
    most: int,
    n: int,
    nk: int,
    chunk_rows: int,
) -> int:
    """The per-bin capacity (a power of two) that minimises packed passes plus unpacking.

    A bin of a chunk is expected to receive about ``chunk_rows * most / n`` respondents; the
    capacity leaves room for twice that, so chunks rarely need splitting.
    """
    floor = 2 * chunk_rows * most // max(n, 1) + 8
    best, best_cost = 1 << max(1, most.bit_length()), math.inf
    for bits in range(1, max(1, most.bit_length()) + 1):
        cap = 1 << bits
        if cap < min(floor, most):
            continue
        passes = fields = 0
        for j, rev, need in dims:
            groups = _packed(j, size, rev, need, agreement, cap)
            passes += len(groups)
            fields += sum(len(g[1]) for g in groups)
        cost = passes * n + -(-most // cap) * fields * nk * _FLUSH_COST
        if cost < best_cost:
            best, best_cost = cap, cost
    return best


def _item_views(block: npt.NDArray[np.uint8]) -> list[npt.NDArray[np.uint8]]:
    """Each item's column of a C-contiguous row block, as a cheap 1-D view (via a word transpose)."""
    r, n_items = block.shape
    word = next(w for w in (8, 4, 2, 1) if n_items % w == 0)
    if word == 1:
        t = np.ascontiguousarray(block.T)
        return [t[c] for c in range(n_items)]
    dtype = {8: np.uint64, 4: np.uint32, 2: np.uint16}[word]
    t = np.ascontiguousarray(block.view(dtype).T)
    bytes_ = [t[w].view(np.uint8).reshape(r, word) for w in range(n_items // word)]
    return [bytes_[c // word][:, c % word] for c in range(n_items)]


def fast_moments(
    codes: npt.NDArray[np.uint8],
    inv: npt.NDArray[np.intp],
    nk: int,
    columns: tuple[npt.NDArray[np.intp], ...],
    reverse: npt.NDArray[np.bool_],
    size: int,
    needs: list[int],
    *,
    agreement: bool = True,
    chunk_rows: int = 1 << 16,
) -> tuple[_I, list[DimMoments]] | None:
    """Per-base-cell moments of every dimension in one pass over *codes*, or ``None``.

    *inv* holds each respondent's base-cell index (``0 .. nk - 1``). ``None`` when a dimension
    has too many answer patterns for lookup tables. With ``agreement=False`` the rwg(j) sums
    are left at zero (used to time the core statistics alone).
    """
    if not all((size + 1) ** c.size <= MAX_PATTERNS for c in columns):
        return None
    n = codes.shape[0]
    n_resp = np.bincount(inv, minlength=nk).astype(np.int64)
    most = int(n_resp.max(initial=0))
    revs = [tuple(reverse[c].tolist()) for c in columns]
    dims = [(c.size, rev, need) for c, rev, need in zip(columns, revs, needs, strict=True)]
    cap = _plan(
        dims, size, agreement, most=max(most, 1), n=n, nk=nk, chunk_rows=chunk_rows
    )
    packs = [_packed(j, size, rev, need, agreement, cap) for j, rev, need in dims]
    tables = [PatternTables.cached(j, size, rev) for j, rev, _need in dims]
    fields = [_fields(j, size, rev, need, agreement)[0] for j, rev, need in dims]
    totals = [[np.zeros(nk, np.int64) for _ in f] for f in fields]
    floats = [[np.zeros(nk) for _ in p] for p in packs]
    hists = [np.zeros(t.keyed.shape[0], dtype=np.int64) for t in tables]
    running = np.zeros(nk, dtype=np.int64)

    def flush() -> None:
        for d, pack in enumerate(packs):
            pos = 0
            for g, (_table, layout) in enumerate(pack):
                v = floats[d][g].astype(np.int64)
                for shift, bits in layout:
                    totals[d][pos] += (v >> shift) & ((1 << bits) - 1)
                    pos += 1
                floats[d][g][:] = 0.0

    start, rows = 0, chunk_rows
    while start < n:
        block = codes[start : start + rows]
        idx = inv[start : start + rows]
        counts = np.bincount(idx, minlength=nk)
        if int(counts.max(initial=0)) > cap:
            rows = max(1, rows // 2)  # a crowded chunk: halve it (capacity >= 1 always fits)
            continue
        start += block.shape[0]
        if int((running + counts).max(initial=0)) > cap:
            flush()
            running[:] = 0
        running += counts
        views = _item_views(block)
        for d, (cols, t) in enumerate(zip(columns, tables, strict=True)):
            small = t.keyed.shape[0] <= 1 << 16
            kind = np.uint16 if small else np.intp
            acc = views[int(cols[0])].astype(kind)
            tmp = np.empty_like(acc)
            for u in range(1, cols.size):
                np.multiply(views[int(cols[u])], kind(t.mult[u]), out=tmp, dtype=kind)
                acc += tmp
            code = acc.astype(np.intp) if small else acc
            hists[d] += np.bincount(code, minlength=hists[d].size)
            for g, (table, _layout) in enumerate(packs[d]):
                floats[d][g] += np.bincount(idx, weights=table[code], minlength=nk)
    flush()
    out = []
    for d, (cols, t, hist) in enumerate(zip(columns, tables, hists, strict=True)):
        j = cols.size
        tot = totals[d]
        if agreement:
            lc, lq, lx = tot[3], tot[4], np.stack(tot[5 : 5 + j], axis=1)
        else:
            lc, lq, lx = (np.zeros(nk, np.int64), np.zeros(nk, np.int64),
                          np.zeros((nk, j), np.int64))  # fmt: skip
        xh = t.keyed * hist[:, None]
        hc = hist * t.complete
        scored = hist * (t.answered >= needs[d])
        out.append(
            DimMoments(
                tot[0], tot[1], tot[2], _lcm(needs[d], j), lc, lq, lx,
                (t.present * hist[:, None]).T @ t.present, xh.T @ t.present, xh.T @ t.keyed,
                int(hc.sum()), t.keyed.T @ hc, (t.keyed * hc[:, None]).T @ t.keyed,
                needs[d], int(scored @ (t.total * t.total)),
            )
        )  # fmt: skip
    return n_resp, out
