"""The compiled one-pass route of :func:`leercultuur.score`: every dimension's sums in one loop.

Imported only when :func:`leercultuur._accel.accelerated` (it imports numba). One compiled
pass over the answer codes, row by row: per dimension the respondent's pattern code (Horner's
rule over its items), one histogram count and the pattern's integer fields (the same
:func:`~leercultuur.scoring._fast._fields` tables the numpy routes pack into floats) added to
the respondent's base cell in int64, so no packing, chunking or flushing is needed. Alpha's
sums then come from the histograms: per used pattern, its keyed answers
(:class:`~leercultuur.scoring._patterns.PatternTables`) give the pairwise and listwise
products that :func:`~leercultuur.scoring._alpha._alpha_rows` defines. Every sum is an exact
integer, so the result equals the numpy routes' bit for bit.
"""

from __future__ import annotations

import functools

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur._accel import jit
from leercultuur.scoring._fast import DimMoments, _fields, _finish, _tops
from leercultuur.scoring._patterns import MAX_PATTERNS, PatternTables
from leercultuur.scoring._small import _as_tuples

__all__ = ["kernel_moments"]

_I = npt.NDArray[np.int64]
_U8 = npt.NDArray[np.uint8]
_P = npt.NDArray[np.intp]
MAX_TABLE = 1 << 23
"""The most entries (int64) of the stacked field table; larger layouts take the numpy route."""


@jit
def _pass(  # noqa: PLR0913, PLR0917
    codes: _U8,
    inv: _P,
    cols: _P,
    mult: _I,
    lens: _I,
    rows: _I,
    width: _I,
    table: _I,
    hist: _I,
    totals: _I,
    n_resp: _I,
) -> None:
    """Count patterns into *hist* and add their fields to ``totals[cell]`` (in place).

    Dimension ``d``: items ``cols[d, :lens[d]]`` with place values ``mult[d]``, its patterns at
    rows ``rows[d] + code`` of *table* and *hist*, its fields at columns
    ``width[d] .. width[d + 1]`` of *totals*.
    """
    n, n_dims = codes.shape[0], lens.shape[0]
    for r in range(n):
        c = inv[r]
        n_resp[c] += 1
        for d in range(n_dims):
            code = 0
            for u in range(lens[d]):
                code += np.int64(codes[r, cols[d, u]]) * mult[d, u]
            p = rows[d] + code
            hist[p] += 1
            at = width[d]
            for f in range(width[d + 1] - at):
                totals[c, at + f] += table[p, f]


@jit
def _alpha(  # noqa: PLR0913, PLR0917
    hist: _I,
    rows: _I,
    lens: _I,
    needs: _I,
    keyed: _I,
    sums: _I,
) -> None:
    """Alpha's sums per dimension (the columns of ``_alpha._alpha_rows``) into ``sums[d]``.

    Per used pattern ``p`` of dimension ``d`` (histogram count ``h``) with keyed answers
    ``x = keyed[rows[d] + p]`` (0 = missing): pairwise ``pn``, ``pp``, ``pq``, listwise ``wn``,
    ``wx``, ``wq`` over complete patterns, and the scored patterns' squared keyed totals, each
    weighted by ``h``.
    """
    for d in range(lens.shape[0]):
        j = lens[d]
        sq = j * j
        n_pat = rows[d + 1] - rows[d]
        for q in range(n_pat):
            p = rows[d] + q
            h = hist[p]
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
                pu = 1 if xu > 0 else 0
                for v in range(j):
                    xv = keyed[p, v]
                    pv = 1 if xv > 0 else 0
                    k = u * j + v
                    sums[d, k] += h * pu * pv
                    sums[d, sq + k] += h * xu * pv
                    sums[d, 2 * sq + k] += h * xu * xv
                    if complete:
                        sums[d, 3 * sq + 1 + j + k] += h * xu * xv
                if complete:
                    sums[d, 3 * sq + 1 + u] += h * xu
            if complete:
                sums[d, 3 * sq] += h
            if answered >= needs[d]:
                sums[d, 4 * sq + j + 1] += h * total * total


@attrs.frozen(eq=False)
class _Layout:
    """One instrument layout's kernel inputs (read-only, cached; see :func:`_pass`)."""

    cols: _P
    mult: _I
    lens: _I
    rows: _I
    width: _I
    needs: _I
    table: _I
    keyed: _I
    top: int


@functools.lru_cache(maxsize=16)
def _layout(
    dims: tuple[tuple[int, tuple[bool, ...], int], ...],
    columns: tuple[tuple[int, ...], ...],
    size: int,
    agreement: bool,
) -> _Layout | None:
    """The stacked tables of every dimension, or ``None`` if they would be too large."""
    n_dims = len(dims)
    jm = max(j for j, _r, _n in dims)
    fields = [_fields(j, size, rev, need, agreement)[0] for j, rev, need in dims]
    n_pat = [(size + 1) ** j for j, _r, _n in dims]
    wm = max(len(f) for f in fields)
    if sum(n_pat) * max(wm, jm) > MAX_TABLE:
        return None
    cols = np.zeros((n_dims, jm), np.intp)
    mult = np.zeros((n_dims, jm), np.int64)
    table = np.zeros((sum(n_pat), wm), np.int64)
    keyed = np.zeros((sum(n_pat), jm), np.int64)
    rows = np.zeros(n_dims + 1, np.int64)
    width = np.zeros(n_dims + 1, np.int64)
    for d, ((j, rev, _need), c, f) in enumerate(zip(dims, columns, fields, strict=True)):
        t = PatternTables.cached(j, size, rev)
        cols[d, :j] = c
        mult[d, :j] = t.mult
        a, b = int(rows[d]), int(rows[d]) + n_pat[d]
        table[a:b, : len(f)] = np.stack(f, axis=1)
        keyed[a:b, :j] = t.keyed
        rows[d + 1] = b
        width[d + 1] = width[d] + len(f)
    top = max(max(_tops(j, size, need, agreement)) for j, _rev, need in dims)
    lens = np.asarray([j for j, _r, _n in dims], np.int64)
    needs = np.asarray([need for _j, _r, need in dims], np.int64)
    out = _Layout(cols, mult, lens, rows, width, needs, table, keyed, top)
    for arr in (cols, mult, lens, rows, width, needs, table, keyed):
        arr.setflags(write=False)
    return out


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
    n_dims = len(dims)
    hist = np.zeros(int(lay.rows[-1]), np.int64)
    totals = np.zeros((nk, int(lay.width[-1])), np.int64)
    n_resp = np.zeros(nk, np.int64)
    codes = np.ascontiguousarray(codes, dtype=np.uint8)
    inv = np.ascontiguousarray(inv, dtype=np.intp)
    _pass(codes, inv, lay.cols, lay.mult, lay.lens, lay.rows, lay.width, lay.table, hist,
          totals, n_resp)  # fmt: skip
    jm = int(lay.cols.shape[1])
    sums = np.zeros((n_dims, 4 * jm * jm + jm + 2), np.int64)
    _alpha(hist, lay.rows, lay.lens, lay.needs, lay.keyed, sums)
    alpha = [sums[d, : 4 * j * j + j + 2] for d, (j, _r, _n) in enumerate(dims)]
    flat = np.ascontiguousarray(totals.T)
    per_dim = [flat[int(a) : int(b)] for a, b in zip(lay.width[:-1], lay.width[1:], strict=True)]
    return n_resp, _finish(per_dim, alpha, list(dims), size, nk, agreement)
