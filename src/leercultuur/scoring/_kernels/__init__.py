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

from leercultuur.scoring._fast import DimMoments, _fields, _finish, _tops
from leercultuur.scoring._kernels._loops import alpha_sums, one_pass
from leercultuur.scoring._patterns import PatternTables, group_sizes, tabulable
from leercultuur.scoring._small import _as_tuples

__all__ = ["kernel_moments"]

_I = npt.NDArray[np.int64]
_U8 = npt.NDArray[np.uint8]
_P = npt.NDArray[np.intp]
MAX_TABLE = 1 << 23
"""The most entries (int64) of the stacked field table; larger layouts take the numpy route."""


@attrs.frozen(eq=False)
class _Layout:
    """One instrument layout's kernel inputs (read-only, cached; see :func:`._loops.one_pass`)."""

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
"""Rows per block of :func:`._loops.one_pass` (its transposed answers stay in the L1 cache)."""
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
    if not columns or not tabulable(columns, size):
        return None
    revs, cols = _as_tuples(columns, reverse)
    dims = tuple((len(c), rev, need) for c, rev, need in zip(cols, revs, needs, strict=True))
    lay = _layout(dims, cols, size, agreement)
    n = codes.shape[0]
    if lay is None or (n + 1) * lay.top >= 1 << 62:
        return None
    codes, inv = _read_only(codes, np.uint8), _read_only(inv, np.intp)
    n_resp, totals, table = one_pass(
        codes,
        _words(codes),
        inv,
        nk,
        lay.cols,
        lay.lens,
        lay.rows,
        lay.words,
        lay.table,
        lay.plan,
        lay.cap,
        np.int32(size + 1),
        lay.width[-1],
        min(_BLOCK, max(n, 1)),
    )
    sums = alpha_sums(table, lay.rows, lay.lens, lay.needs, lay.keyed)
    alpha = [sums[d, : 4 * j * j + j + 2] for d, (j, _r, _n) in enumerate(dims)]
    per_dim = [totals[a:b] for a, b in itertools.pairwise(lay.width)]
    return n_resp, _finish(per_dim, alpha, list(dims), size, nk, agreement)
