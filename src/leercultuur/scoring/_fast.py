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
import itertools
import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.scoring import _alpha
from leercultuur.scoring._alpha import alpha_sums
from leercultuur.scoring._patterns import (
    PatternTables,
    group_sizes,
    pack_groups,
    tabulable,
)

__all__ = ["DimMoments", "fast_moments"]

_alpha_sums = _alpha._alpha_sums  # the small-survey route imports it from here

_I = npt.NDArray[np.int64]
_F = npt.NDArray[np.float64]
_FLUSH_COST = 1
"""Rough cost of unpacking one field of one base cell, in units of one respondent's pass."""
_PAIR_COST = 1.3
"""A complex pass over two packed groups, in units of a real pass over one."""
CHUNK_ROWS = 1 << 16
"""Rows per chunk (tests lower it to exercise chunking, flushing and chunk splitting)."""


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


@functools.cache
def _lcm(need: int, j: int) -> int:
    return math.lcm(*range(need, j + 1))


@functools.lru_cache(maxsize=256)
def _fields(
    n_items: int, size: int, reverse: tuple[bool, ...], need: int, agreement: bool
) -> tuple[list[_I], list[int]]:
    """Per-pattern integer fields and their per-respondent maxima (:func:`_tops`)."""
    t = PatternTables.cached(n_items, size, reverse)
    big = _lcm(need, n_items)
    has = (t.answered >= need).astype(np.int64)
    t1 = np.where(has > 0, t.total * big // np.maximum(t.answered, 1), 0).astype(np.int64)
    fields = [has, t1, t1 * t1]
    if agreement:
        # complete rows' keyed answers less one (0 .. size - 1): narrower packed fields;
        # _finish adds the offsets back exactly
        yc = (t.keyed - 1) * t.complete[:, None]
        fields += [t.complete, (yc * yc).sum(axis=1), *[yc[:, u] for u in range(n_items)]]
    return fields, _tops(n_items, size, need, agreement)


def _tops(n_items: int, size: int, need: int, agreement: bool) -> list[int]:
    """Each field's largest per-respondent value (see :func:`_fields`)."""
    big = _lcm(need, n_items)
    tops = [1, size * big, (size * big) ** 2]
    if agreement:
        tops += [1, (size - 1) ** 2 * n_items, *([size - 1] * n_items)]
    return tops


@functools.lru_cache(maxsize=256)
def _packed(  # noqa: PLR0917
    n_items: int, size: int, reverse: tuple[bool, ...], need: int, agreement: bool, per_bin: int
) -> list[tuple[_F, list[tuple[int, int]]]]:
    fields, tops = _fields(n_items, size, reverse, need, agreement)
    return pack_groups(fields, tops, per_bin)


@functools.lru_cache(maxsize=256)
def _unpacking(  # noqa: PLR0917
    n_items: int, size: int, reverse: tuple[bool, ...], need: int, agreement: bool, per_bin: int
) -> list[tuple[_I, _I]]:
    """Per packed group of :func:`_packed`: each field's shift and mask (column vectors)."""
    return [
        (np.asarray([sh for sh, _b in lay], np.int64)[:, None],
         np.asarray([(1 << b) - 1 for _sh, b in lay], np.int64)[:, None])
        for _table, lay in _packed(n_items, size, reverse, need, agreement, per_bin)
    ]  # fmt: skip


@functools.lru_cache(maxsize=256)
def _gathered(  # noqa: PLR0917
    n_items: int, size: int, reverse: tuple[bool, ...], need: int, agreement: bool, per_bin: int
) -> list[npt.NDArray[Any]]:
    """The tables a chunk gathers from, per dimension.

    Packed groups two by two as one complex table (one gather and one complex ``add.at`` sum
    two groups, each part exactly), a lone last group as a float table.
    """
    tables = [table for table, _lay in _packed(n_items, size, reverse, need, agreement, per_bin)]
    out: list[npt.NDArray[Any]] = [
        tables[g] + 1j * tables[g + 1] for g in range(0, len(tables) - 1, 2)
    ]
    if len(tables) % 2:
        out.append(tables[-1])
    for table in out:
        table.setflags(write=False)
    return out


def _unpack_plan(
    per_dim: list[list[tuple[_I, _I]]],
) -> tuple[int, int, npt.NDArray[np.intp], _I, _I, list[list[tuple[bool, int]]]]:
    """Where each dimension's packed groups accumulate, and how a flush unpacks them.

    Groups two by two go to rows of a complex array (real and imaginary parts), a lone last
    group to a row of a float array (see :func:`_gathered`). Returns the numbers of complex
    and float rows; for each field (dimension by dimension, in order) its row in
    ``concatenate([complex.real, complex.imag, floats])``, shift and mask; and per dimension
    its accumulators as ``(is_complex, row)``.
    """
    n_pairs = sum(len(groups) // 2 for groups in per_dim)
    row_of: list[int] = []
    shifts: list[_I] = []
    masks: list[_I] = []
    slots: list[list[tuple[bool, int]]] = []
    pair = single = 0
    for groups in per_dim:
        mine: list[tuple[bool, int]] = []
        for g, (sh, mk) in enumerate(groups):
            if g + 1 < len(groups) or g % 2:  # one of a pair
                if g % 2 == 0:
                    mine.append((True, pair))
                row = pair + n_pairs * (g % 2)
                pair += g % 2
            else:
                mine.append((False, single))
                row = 2 * n_pairs + single
                single += 1
            row_of += [row] * sh.shape[0]
            shifts.append(sh)
            masks.append(mk)
        slots.append(mine)
    if not row_of:
        empty = np.zeros((0, 1), np.int64)
        return n_pairs, single, np.zeros(0, np.intp), empty, empty, slots
    shift, mask = np.concatenate(shifts), np.concatenate(masks)
    return n_pairs, single, np.asarray(row_of, np.intp), shift, mask, slots


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
    """The per-bin capacity that minimises packed passes plus unpacking.

    Capacities are powers of two and one less (``2**b - 1`` often saves a bit per field, which
    can save a packed group). A bin of a chunk is expected to receive about
    ``chunk_rows * most / n`` respondents; the capacity leaves room for twice that, so chunks
    rarely need splitting.
    """
    floor = 2 * chunk_rows * most // max(n, 1) + 8
    best, best_cost = 1 << max(1, most.bit_length()), math.inf
    top = max(1, most.bit_length())
    for cap in sorted({c for b in range(1, top + 1) for c in ((1 << b) - 1, 1 << b)}):
        if cap < min(floor, most):
            continue
        passes, fields = 0.0, 0
        for j, _rev, need in dims:
            groups = group_sizes(_tops(j, size, need, agreement), cap)
            # two groups share a gather and a complex add.at (see _gathered)
            passes += _PAIR_COST * (len(groups) // 2) + len(groups) % 2
            fields += sum(groups)
        counting = n if cap < most else 0  # per-chunk counts
        cost = passes * n + counting + -(-most // cap) * fields * nk * _FLUSH_COST
        if cost < best_cost:
            best, best_cost = cap, cost
    return best


def _item_views(block: npt.NDArray[np.uint8]) -> list[npt.NDArray[np.uint8]]:
    """Each item's column of a C-contiguous row block as a cheap 1-D view (a word transpose)."""
    r, n_items = block.shape
    word = next(w for w in (8, 4, 2, 1) if n_items % w == 0)
    if word == 1:
        t = np.ascontiguousarray(block.T)
        return [t[c] for c in range(n_items)]
    dtype = {8: np.uint64, 4: np.uint32, 2: np.uint16}[word]
    t = np.ascontiguousarray(block.view(dtype).T)
    bytes_ = [t[w].view(np.uint8).reshape(r, word) for w in range(n_items // word)]
    return [bytes_[c // word][:, c % word] for c in range(n_items)]


def fast_moments(  # noqa: PLR0917
    codes: npt.NDArray[np.uint8],
    inv: npt.NDArray[np.intp],
    nk: int,
    columns: tuple[npt.NDArray[np.intp], ...],
    reverse: npt.NDArray[np.bool_],
    size: int,
    needs: list[int],
    *,
    agreement: bool = True,
    chunk_rows: int | None = None,
) -> tuple[_I, list[DimMoments]] | None:
    """Per-base-cell moments of every dimension in one pass over *codes*, or ``None``.

    *inv* holds each respondent's base-cell index (``0 .. nk - 1``). ``None`` when a dimension
    has too many answer patterns for lookup tables. With ``agreement=False`` the rwg(j) sums
    are left at zero (used to time the core statistics alone).
    """
    if not tabulable(columns, size):
        return None
    codes = np.ascontiguousarray(codes)  # the word views need C order (no copy if it has it)
    n = codes.shape[0]
    chunk_rows = CHUNK_ROWS if chunk_rows is None else chunk_rows
    n_resp = np.bincount(inv, minlength=nk).astype(np.int64)
    most = int(n_resp.max(initial=0))
    revs = [tuple(reverse[c].tolist()) for c in columns]
    dims = [(c.size, rev, need) for c, rev, need in zip(columns, revs, needs, strict=True)]
    cap = _plan(dims, size, agreement, most=max(most, 1), n=n, nk=nk, chunk_rows=chunk_rows)
    tables = [PatternTables.cached(j, size, rev) for j, rev, _need in dims]
    # every dimension's packed groups are rows of one float array, its fields rows of one int
    # array (dimension by dimension, in field order), so a flush is a few whole-array steps
    n_fields = [len(_fields(j, size, rev, need, agreement)[0]) for j, rev, need in dims]
    ends = np.cumsum([0, *n_fields]).tolist()
    totals = np.zeros((ends[-1], nk), np.int64)
    n_pairs, n_single, row_of, shifts, masks, slots = _unpack_plan(
        [_unpacking(j, size, rev, need, agreement, cap) for j, rev, need in dims]
    )
    gathered = [_gathered(j, size, rev, need, agreement, cap) for j, rev, need in dims]
    pairs = np.zeros((n_pairs, nk), np.complex128)
    singles = np.zeros((n_single, nk))
    hists = [np.zeros(t.keyed.shape[0], dtype=np.int64) for t in tables]
    running = np.zeros(nk, dtype=np.int64)

    def flush() -> None:
        packed = np.concatenate([pairs.real, pairs.imag, singles]).astype(np.int64)
        for a, b in itertools.pairwise(ends):  # a dimension at a time: small temporaries
            v = packed[row_of[a:b]]
            np.right_shift(v, shifts[a:b], out=v)
            np.bitwise_and(v, masks[a:b], out=v)
            totals[a:b] += v
        pairs.fill(0.0)
        singles.fill(0.0)

    def pattern_codes(views: list[npt.NDArray[np.uint8]], d: int) -> npt.NDArray[np.intp]:
        """Dimension *d*'s pattern codes of a chunk (Horner's rule), counted into its histogram."""
        cols, t = columns[d], tables[d]
        kind: type[np.unsignedinteger[Any]] | type[np.signedinteger[Any]]
        kind = np.uint16 if t.keyed.shape[0] <= 1 << 16 else np.intp
        acc: npt.NDArray[Any] = views[int(cols[-1])].astype(kind)
        for u in range(cols.size - 2, -1, -1):
            acc *= kind(radix)
            np.add(acc, views[int(cols[u])], out=acc, dtype=kind)
        code: npt.NDArray[np.intp] = acc.astype(np.intp) if kind is np.uint16 else acc
        hists[d] += np.bincount(code, minlength=hists[d].size)
        return code

    radix = size + 1
    counted = cap < most  # else no bin can ever exceed the capacity: no counts, no flushes
    start, rows = 0, chunk_rows
    while start < n:
        block = codes[start : start + rows]
        idx = inv[start : start + rows]
        if counted:
            counts = np.bincount(idx, minlength=nk)
            if int(counts.max(initial=0)) > cap:
                rows = max(1, rows // 2)  # a crowded chunk: halve it (capacity >= 1 always fits)
                continue
            if int((running + counts).max(initial=0)) > cap:
                flush()
                running[:] = 0
            running += counts
        start += block.shape[0]
        views = _item_views(block)
        for d in range(len(columns)):
            code = pattern_codes(views, d)
            for table, (is_pair, row) in zip(gathered[d], slots[d], strict=True):
                np.add.at(pairs[row] if is_pair else singles[row], idx, np.take(table, code))
    flush()
    alpha = alpha_sums(hists, dims, size)
    per_dim = [totals[a:b] for a, b in itertools.pairwise(ends)]
    return n_resp, _finish(per_dim, alpha, dims, size, nk, agreement)


def _finish(  # noqa: PLR0917
    totals: list[_I],
    alpha: list[_I],
    dims: list[tuple[int, tuple[bool, ...], int]],
    size: int,
    nk: int,
    agreement: bool,
) -> list[DimMoments]:
    """Each dimension's :class:`DimMoments` from its per-base-cell field sums and alpha sums."""
    out = []
    for d, (sums, (j, _rev, need)) in enumerate(zip(alpha, dims, strict=True)):
        tot = totals[d]
        if agreement:
            # the fields hold y = x - 1 over complete rows: sum x = sum y + lc and
            # sum x**2 = sum y**2 + 2 sum y + lc per item (exact integers)
            lc, ly = tot[3], tot[5 : 5 + j]
            lq = tot[4] + 2 * ly.sum(axis=0) + j * lc
            lx = (ly + lc).T  # (cells, items), read back item by item
        else:
            lc, lq, lx = (np.zeros(nk, np.int64), np.zeros(nk, np.int64),
                          np.zeros((nk, j), np.int64))  # fmt: skip
        sq = j * j
        out.append(
            DimMoments(
                tot[0], tot[1], tot[2], _lcm(need, j), lc, lq, lx,
                sums[:sq].reshape(j, j), sums[sq : 2 * sq].reshape(j, j),
                sums[2 * sq : 3 * sq].reshape(j, j), int(sums[3 * sq]),
                sums[3 * sq + 1 : 3 * sq + 1 + j],
                sums[3 * sq + 1 + j : 4 * sq + 1 + j].reshape(j, j),
                need, int(sums[-1]),
            )
        )  # fmt: skip
    return out
