"""The compiled one-pass route of :func:`leercultuur.score`: every dimension's sums in one loop.

Imported only when :func:`leercultuur._accel.accelerated` (it imports numba). One compiled
pass over the answer codes in blocks of rows: per dimension each respondent's pattern code
(Horner's rule over its items), one histogram count and the pattern's integer fields (the
:func:`~leercultuur.scoring._fast._fields` tables the numpy routes use, packed side by side
into int64 words) added to the respondent's base cell; a cell's words are unpacked into int64
sums before any field could carry into the next. Alpha's sums then come from the histograms:
per used pattern, its keyed answers (:class:`~leercultuur.scoring._patterns.PatternTables`)
give the pairwise and listwise products that :func:`~leercultuur.scoring._alpha._alpha_rows`
defines. Every sum is an exact integer, so the result equals the numpy routes' bit for bit.
No threads: the kernels run in the calling thread (with the GIL released).
"""

from __future__ import annotations

import functools
import itertools
import sys
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur._accel import jit
from leercultuur.scoring._fast import DimMoments, _fields, _finish, _tops
from leercultuur.scoring._patterns import MAX_PATTERNS, PatternTables, group_sizes
from leercultuur.scoring._small import _as_tuples

__all__ = ["kernel_moments"]

_I = npt.NDArray[np.int64]
_U8 = npt.NDArray[np.uint8]
_P = npt.NDArray[np.intp]
MAX_TABLE = 1 << 23
"""The most entries (int64) of the stacked field table; larger layouts take the numpy route."""


@jit
def _flush(c: int, run: _I, plan: _I, totals: _I) -> None:
    """Unpack base cell *c*'s packed running sums into ``totals[:, c]`` and clear them.

    ``plan`` rows are fields ``(word, shift, mask, row of totals)``, in word order.
    """
    for q in range(plan.shape[0]):
        w = plan[q, 0]
        totals[plan[q, 3], c] += (run[c, w] >> plan[q, 1]) & plan[q, 2]
    for w in range(run.shape[1]):
        run[c, w] = 0


@jit
def _flush_all(run: _I, plan: _I, totals: _I) -> None:
    """Unpack every cell's packed running sums into *totals* (as :func:`_flush`).

    Cells go in blocks of 64, field by field, so a block's running sums stay in the
    first-level cache and *totals* is written row-wise.
    """
    nk = run.shape[0]
    for c0 in range(0, nk, 64):
        c1 = min(c0 + 64, nk)
        for q in range(plan.shape[0]):
            w, sh, mask = plan[q, 0], plan[q, 1], plan[q, 2]
            row = totals[plan[q, 3]]
            for c in range(c0, c1):
                row[c] += (run[c, w] >> sh) & mask


@jit
def _codes(  # noqa: PLR0917
    codes: _U8, packed: npt.NDArray[np.uint32], r0: int, m: int, scratch: npt.NDArray[np.uint32],
    buf: npt.NDArray[np.int32], cols: _P, lens: _I, radix: np.int32,
) -> None:  # fmt: skip
    """Rows ``r0 .. r0 + m``'s pattern codes per dimension ``d`` into ``buf[d, :m]``.

    The block's answers transposed 4 at a time (``scratch[w, r]`` holds row ``r``'s answers
    ``4w .. 4w + 3`` as one little-endian word; *packed* is *codes* viewed as such words
    when its rows allow, else empty), then per dimension Horner's rule over its items.
    """
    n, n_items = codes.shape
    n_packed = scratch.shape[0]
    if packed.shape[0] == n and packed.shape[1] == n_packed:  # the rows' words as they are
        for r in range(m):
            src = packed[r0 + r]
            for w in range(n_packed):
                scratch[w, r] = src[w]
    else:  # each word assembled from its bytes (little-endian order)
        for r in range(m):
            row = codes[r0 + r]
            for w in range(n_packed):
                x = np.uint32(0)
                for k in range(min(4, n_items - 4 * w)):
                    x |= np.uint32(row[4 * w + k]) << np.uint32(8 * k)
                scratch[w, r] = x
    for d in range(lens.shape[0]):
        b = buf[d]
        for r in range(m):
            b[r] = 0
        for u in range(lens[d] - 1, -1, -1):
            c = cols[d, u]
            col = scratch[c >> 2]
            shift = np.uint32(8 * (c & 3))
            for r in range(m):
                b[r] = np.int32(b[r] * radix) + np.int32((col[r] >> shift) & np.uint32(255))


@jit
def _pass(  # noqa: PLR0917
    codes: _U8, packed: npt.NDArray[np.uint32], inv: _P, nk: int, cols: _P, lens: _I, rows: _I,
    words: _I, packed_table: _I, plan: _I, cap: int, radix: np.int32, n_fields: int, size_b: int,
) -> tuple[_I, _I, _I]:  # fmt: skip
    """One pass over *codes*: per base cell the packed fields' sums, per pattern a count.

    Returns the respondents per base cell (*nk* cells), the field sums (``n_fields`` rows, a
    column per cell) and a copy of *packed_table* with the pattern histogram as its last
    column (a pattern's words and count share a cache line). Dimension ``d``: items
    ``cols[d, :lens[d]]``, patterns at rows ``rows[d] + code``, its packed words at columns
    ``words[d] .. words[d + 1]`` of a cell's running sums. A cell's running sums are unpacked
    (:func:`_flush`) before they could hold more than *cap* respondents, so no packed field
    ever carries into the next. Rows go in blocks of *size_b*: their pattern codes
    (:func:`_codes`), per dimension its histogram counts and table words (gathered, per row
    its words side by side; two words per dimension: per dimension its rows' pairs, which
    stores faster), then per row the packed words' adds.
    """
    n, n_items = codes.shape
    n_dims = lens.shape[0]
    totals = np.zeros((n_fields, nk), np.int64)
    n_resp = np.zeros(nk, np.int64)
    for r in range(n):
        n_resp[inv[r]] += 1
    crowded = n_resp.max() > cap if nk else False
    scratch = np.empty(((n_items + 3) // 4, size_b), np.uint32)
    buf = np.empty((n_dims, size_b), np.int32)
    # the packed words and, in the last column, the pattern histogram (one cache line)
    count_at = packed_table.shape[1]
    table = np.zeros((packed_table.shape[0], count_at + 1), np.int64)
    table[:, :count_at] = packed_table
    n_words = words[n_dims]
    run = np.zeros((nk, n_words), np.int64)
    count = np.zeros(nk, np.int64)
    pairs = n_words == 2 * n_dims and count_at == 2
    gathered = np.empty((0 if pairs else size_b, n_words), np.int64)
    paired = np.empty((n_dims if pairs else 0, size_b + 4, 2), np.int64)  # padded
    for r0 in range(0, n, size_b):
        m = min(size_b, n - r0)
        _codes(codes, packed, r0, m, scratch, buf, cols, lens, radix)
        for d in range(n_dims):
            # one dimension at a time: its histogram and table rows stay in cache
            b, off, at, nw = buf[d], rows[d], words[d], words[d + 1] - words[d]
            if pairs:  # the usual with rwg(j)'s sums
                g = paired[d]
                for r in range(m):
                    p = off + b[r]
                    table[p, count_at] += 1
                    g[r, 0] = table[p, 0]
                    g[r, 1] = table[p, 1]
            elif nw == 1:
                for r in range(m):
                    p = off + b[r]
                    table[p, count_at] += 1
                    gathered[r, at] = table[p, 0]
            else:
                for r in range(m):
                    p = off + b[r]
                    table[p, count_at] += 1
                    for w in range(nw):
                        gathered[r, at + w] = table[p, w]
        for r in range(m):
            c = inv[r0 + r]
            if crowded:  # a cell may pass the capacity: count, unpack when full
                if count[c] == cap:
                    _flush(c, run, plan, totals)
                    count[c] = 0
                count[c] += 1
            rc = run[c]
            if pairs:
                for d in range(n_dims):
                    rc[2 * d] += paired[d, r, 0]
                    rc[2 * d + 1] += paired[d, r, 1]
            else:
                wr = gathered[r]
                for w in range(n_words):
                    rc[w] += wr[w]
    _flush_all(run, plan, totals)
    return n_resp, totals, table


@jit
def _alpha(table: _I, rows: _I, lens: _I, needs: _I, keyed: _I) -> _I:
    """Alpha's sums per dimension (row ``d``: the columns of ``_alpha._alpha_rows``).

    Per used pattern ``p`` of dimension ``d`` (histogram count ``h``: *table*'s last column)
    with keyed answers
    ``x = keyed[rows[d] + p]`` (0 = missing): pairwise ``pn``, ``pp``, ``pq``, listwise ``wn``,
    ``wx``, ``wq`` over complete patterns, and the scored patterns' squared keyed totals, each
    weighted by ``h``.
    """
    jm, last = keyed.shape[1], table.shape[1] - 1
    sums = np.zeros((lens.shape[0], 4 * jm * jm + jm + 2), np.int64)
    for d in range(lens.shape[0]):
        j = lens[d]
        sq = j * j
        n_pat = rows[d + 1] - rows[d]
        for q in range(n_pat):
            p = rows[d] + q
            h = table[p, last]
            if h == 0:
                continue
            answered = 0
            total = 0
            for u in range(j):
                x = keyed[p, u]
                if x > 0:
                    answered += 1
                    total += x
            complete = answered == j
            for u in range(j):
                xu = keyed[p, u]
                if xu == 0:
                    continue
                hx = h * xu
                for v in range(j):
                    xv = keyed[p, v]
                    if xv == 0:
                        continue
                    k = u * j + v
                    sums[d, k] += h
                    sums[d, sq + k] += hx
                    sums[d, 2 * sq + k] += hx * xv
                if complete:
                    sums[d, 3 * sq + 1 + u] += hx
                    for v in range(j):
                        sums[d, 3 * sq + 1 + j + u * j + v] += hx * keyed[p, v]
            if complete:
                sums[d, 3 * sq] += h
            if answered >= needs[d]:
                sums[d, 4 * sq + j + 1] += h * total * total
    return sums


@attrs.frozen(eq=False)
class _Layout:
    """One instrument layout's kernel inputs (read-only, cached; see :func:`_pass`)."""

    cols: _P
    lens: _I
    rows: _I
    words: _I
    table: _I
    plan: _I
    cap: int
    width: tuple[int, ...]
    needs: _I
    keyed: _I
    top: int


_WORD_BITS = 63
_CAPS = tuple((1 << b) - 1 for b in range(1, 21))


def _capacity(tops: list[list[int]]) -> int:
    """The per-cell capacity between unpackings with the least work per respondent.

    A respondent costs an add per packed word; every *cap* respondents of a cell, the cell's
    fields are unpacked (about :data:`_UNPACK_COST` adds per field).
    """
    n_fields = sum(len(ts) for ts in tops)
    best, best_cost = 1, float("inf")
    for cap in _CAPS:
        if any((t * cap).bit_length() > _WORD_BITS for ts in tops for t in ts):
            break
        words = sum(len(group_sizes(ts, cap, bits=_WORD_BITS)) for ts in tops)
        cost = words + _UNPACK_COST * n_fields / cap
        if cost <= best_cost:
            best, best_cost = cap, cost
    return best


_UNPACK_COST = 3.0


@functools.lru_cache(maxsize=16)
def _layout(
    dims: tuple[tuple[int, tuple[bool, ...], int], ...],
    columns: tuple[tuple[int, ...], ...],
    size: int,
    agreement: bool,
) -> _Layout | None:
    """The stacked tables of every dimension, or ``None`` if they would be too large.

    Each dimension's :func:`~leercultuur.scoring._fast._fields` are packed side by side into
    int64 words (:func:`~leercultuur.scoring._patterns.group_sizes` with 63 bits), wide
    enough for the sums of :func:`_capacity` respondents each.
    """
    n_dims = len(dims)
    jm = max(j for j, _r, _n in dims)
    fields = [_fields(j, size, rev, need, agreement)[0] for j, rev, need in dims]
    tops = [_tops(j, size, need, agreement) for j, _rev, need in dims]
    n_pat = [(size + 1) ** j for j, _r, _n in dims]
    cap = _capacity(tops)
    groups = [group_sizes(ts, cap, bits=_WORD_BITS) for ts in tops]
    wm = max(len(g) for g in groups)
    if sum(n_pat) * max(wm, jm) > MAX_TABLE:
        return None
    cols = np.zeros((n_dims, jm), np.intp)
    table = np.zeros((sum(n_pat), wm), np.int64)
    keyed = np.zeros((sum(n_pat), jm), np.int64)
    rows = np.zeros(n_dims + 1, np.int64)
    words = np.zeros(n_dims + 1, np.int64)
    plan: list[tuple[int, int, int, int]] = []
    width = [0]
    for d, ((j, rev, _need), c) in enumerate(zip(dims, columns, strict=True)):
        t = PatternTables.cached(j, size, rev)
        cols[d, :j] = c
        a, b = int(rows[d]), int(rows[d]) + n_pat[d]
        keyed[a:b, :j] = t.keyed
        f = 0
        for g, count in enumerate(groups[d]):
            shift = 0
            for field, top in zip(fields[d][f : f + count], tops[d][f : f + count], strict=True):
                bits = max(1, (top * cap).bit_length())
                table[a:b, g] += field << shift
                plan.append((int(words[d]) + g, shift, (1 << bits) - 1, width[-1] + f))
                shift += bits
                f += 1
        rows[d + 1] = b
        words[d + 1] = words[d] + len(groups[d])
        width.append(width[-1] + len(fields[d]))
    top = max(max(ts) for ts in tops)
    lens = np.asarray([j for j, _r, _n in dims], np.int64)
    needs = np.asarray([need for _j, _r, need in dims], np.int64)
    plan_a = np.asarray(plan, np.int64).reshape(-1, 4)
    out = _Layout(cols, lens, rows, words, table, plan_a, cap, tuple(width), needs, keyed, top)
    for arr in (cols, lens, rows, words, table, plan_a, needs, keyed):
        arr.setflags(write=False)
    return out


_BLOCK = 256
"""Rows per block of :func:`_pass` (its transposed answers stay in the first-level cache)."""
_NO_WORDS = np.zeros((0, 0), np.uint32)
_NO_WORDS.setflags(write=False)


def _read_only(a: npt.NDArray[Any], dtype: type[np.generic]) -> npt.NDArray[Any]:
    """*a* as a read-only C-ordered array of *dtype* (a view where it can be).

    The kernels always see the same array types, so numba compiles each of them once.
    """
    out = np.ascontiguousarray(a, dtype=dtype)
    if out.flags.writeable:
        out = out.view()
        out.flags.writeable = False
    return out


def _words(codes: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint32]:
    """*codes* (C order) viewed as 4-byte words per row, if its layout allows, else empty."""
    if codes.shape[1] % 4 or sys.byteorder != "little" or codes.shape[0] == 0:
        return _NO_WORDS
    words = codes.view(np.uint32)
    return words if words.flags.aligned else _NO_WORDS


def kernel_moments(  # noqa: PLR0917
    codes: npt.NDArray[np.uint8],
    inv: npt.NDArray[np.intp],
    nk: int,
    columns: tuple[npt.NDArray[np.intp], ...],
    reverse: npt.NDArray[np.bool_],
    size: int,
    needs: list[int],
    *,
    agreement: bool = True,
) -> tuple[_I, list[DimMoments]] | None:
    """:func:`~leercultuur.scoring._fast.fast_moments` by one compiled pass, or ``None``.

    ``None`` when there are no dimensions, a dimension has too many answer patterns, the
    stacked tables would be too large or an int64 sum could overflow; the numpy routes
    decide then.
    """
    if not columns or not all((size + 1) ** c.size <= MAX_PATTERNS for c in columns):
        return None
    revs, cols = _as_tuples(columns, reverse)
    dims = tuple((len(c), rev, need) for c, rev, need in zip(cols, revs, needs, strict=True))
    lay = _layout(dims, cols, size, agreement)
    n = codes.shape[0]
    if lay is None or (n + 1) * lay.top >= 1 << 62:
        return None
    codes, inv = _read_only(codes, np.uint8), _read_only(inv, np.intp)
    n_resp, totals, table = _pass(codes, _words(codes), inv, nk, lay.cols, lay.lens, lay.rows,
                           lay.words, lay.table, lay.plan, lay.cap, np.int32(size + 1),
                           lay.width[-1], min(_BLOCK, max(n, 1)))  # fmt: skip
    sums = _alpha(table, lay.rows, lay.lens, lay.needs, lay.keyed)
    alpha = [sums[d, : 4 * j * j + j + 2] for d, (j, _r, _n) in enumerate(dims)]
    per_dim = [totals[a:b] for a, b in itertools.pairwise(lay.width)]
    return n_resp, _finish(per_dim, alpha, list(dims), size, nk, agreement)
