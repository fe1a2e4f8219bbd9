"""The path of :func:`leercultuur.score` for surveys of a few thousand respondents at most.

Per-call overhead dominates there, so instead of the chunked, packed passes of :mod:`._fast`
every dimension's answer-pattern fields sit in one stacked per-instrument table: one gather
gives each respondent's fields for all dimensions, one weighted ``bincount`` sums the per-cell
fields and one batch of Gram products gives alpha's sums. Dimensions whose stacked table would
be too large take one ``bincount`` over gathered per-dimension tables. Either way the sums are
the same exact integers.
"""

from __future__ import annotations

import functools

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.scoring._fast import DimMoments, _alpha_sums, _fields, _finish, _lcm
from leercultuur.scoring._patterns import PatternTables, tabulable
from leercultuur.scoring._stats import per_layout

__all__ = ["KERNEL_ROWS", "SMALL_ROWS", "small_moments"]

_I = npt.NDArray[np.int64]
_F = npt.NDArray[np.float64]
SMALL_ROWS = 4096
"""Surveys up to this many rows take :func:`small_moments` (one ``bincount`` for all fields)."""
KERNEL_ROWS = 2048
"""With the accelerator, surveys up to this many rows take the small-survey kernel.

That is :mod:`leercultuur.scoring._smallkernel` (no pattern tables; its sums come in the
cell-sum kernel's layout); larger surveys take the one-pass kernel of
:mod:`leercultuur.scoring._kernels`. Without the accelerator this module's
:func:`small_moments` takes surveys up to :data:`SMALL_ROWS` rows. Measured (the sums of
12 items in 3 dimensions): 1024 rows 135 us against 218 us by the one-pass kernel, 2048 rows
241 against 271, 3072 rows 344 against 297; with 40 items in 8 dimensions 2048 rows 763
against 1388 us.
"""


def small_moments(  # noqa: PLR0917
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
    """:func:`~leercultuur.scoring._fast.fast_moments` for a small survey, or ``None``.

    ``None`` when the survey has more than :data:`SMALL_ROWS` rows, no dimensions, a dimension
    with too many answer patterns, or sums that could leave float64's exact integers.
    """
    n = codes.shape[0]
    if n > SMALL_ROWS or not columns:
        return None
    if not tabulable(columns, size):
        return None
    n_resp = np.bincount(inv, minlength=nk).astype(np.int64)
    most = int(np.maximum.reduce(n_resp, initial=0))
    revs, cols = _as_tuples(columns, reverse)
    dims = [(c.size, rev, need) for c, rev, need in zip(columns, revs, needs, strict=True)]
    stacked = _stacked_table(tuple(dims), cols, codes.shape[1], size)
    if stacked is not None:
        out = _stacked_sums(codes, inv, nk, stacked, dims, size, agreement, most)
        if out is not None:
            return n_resp, out
    sums = _small_sums(codes, inv, nk, columns, dims, size, agreement, most)
    if sums is None:
        return None
    return n_resp, _finish(sums[0], sums[1], dims, size, nk, agreement)


def _as_tuples(
    columns: tuple[npt.NDArray[np.intp], ...], reverse: npt.NDArray[np.bool_]
) -> tuple[tuple[tuple[bool, ...], ...], tuple[tuple[int, ...], ...]]:
    """Each dimension's reverse keys and columns as tuples (the table caches' keys)."""
    return per_layout(columns, reverse, "tuples", _tuples)


def _tuples(
    columns: tuple[npt.NDArray[np.intp], ...], reverse: npt.NDArray[np.bool_]
) -> tuple[tuple[tuple[bool, ...], ...], tuple[tuple[int, ...], ...]]:
    revs = tuple(tuple(reverse[c].tolist()) for c in columns)
    return revs, tuple(tuple(c.tolist()) for c in columns)


_MAX_STACKED = 1 << 18
"""The most entries a stacked pattern table of :func:`_stacked_table` may have."""


@attrs.frozen(eq=False)
class _Stacked:
    """Every dimension's pattern fields in one float64 table (rows: offset pattern codes).

    ``weights[i, d]`` is item ``i``'s place value in dimension ``d``'s pattern code, ``offset[d]``
    the first row of dimension ``d``. Columns (``jm`` the longest dimension, shorter ones
    padded with zeros): scored (0/1), ``t1 = s L/m`` (0 when not scored), ``t1**2``, the
    listwise sum of squares, then the Gram block: complete (0/1), listwise keyed codes
    (``jm``), keyed codes (``jm``), answered (``jm``), the scored total, the total.
    """

    weights: npt.NDArray[np.int64]
    offset: npt.NDArray[np.int64]
    table: _F
    jm: int
    lcms: tuple[int, ...]
    top: int


@functools.lru_cache(maxsize=16)
def _stacked_table(
    dims: tuple[tuple[int, tuple[bool, ...], int], ...],
    columns: tuple[tuple[int, ...], ...],
    n_items: int,
    size: int,
) -> _Stacked | None:
    """The per-instrument :class:`_Stacked` table, or ``None`` if it would be too large."""
    jm = max(j for j, _r, _n in dims)
    width = 4 + 1 + 3 * jm + 2
    rows = sum((size + 1) ** j for j, _r, _n in dims)
    if rows * width > _MAX_STACKED:
        return None
    radix = size + 1
    weights = np.zeros((n_items, len(dims)), dtype=np.int64)
    offset = np.zeros(len(dims), dtype=np.int64)
    parts, lcms, top, at = [], [], 1, 0
    for d, ((j, rev, need), cols) in enumerate(zip(dims, columns, strict=True)):
        for u, c in enumerate(cols):
            weights[c, d] += radix**u
        offset[d] = at
        t = PatternTables.cached(j, size, rev)
        at += t.keyed.shape[0]
        big = _lcm(need, j)
        lcms.append(big)
        has = (t.answered >= need).astype(np.int64)
        t1 = np.where(has > 0, t.total * big // np.maximum(t.answered, 1), 0).astype(np.int64)
        xc = t.keyed * t.complete[:, None]
        block = np.zeros((t.keyed.shape[0], width), dtype=np.int64)
        block[:, 0], block[:, 1], block[:, 2] = has, t1, t1 * t1
        block[:, 3] = (xc * xc).sum(axis=1)
        block[:, 4] = t.complete
        block[:, 5 : 5 + j] = xc
        block[:, 5 + jm : 5 + jm + j] = t.keyed
        block[:, 5 + 2 * jm : 5 + 2 * jm + j] = t.present
        block[:, 5 + 3 * jm] = has * t.total
        block[:, 6 + 3 * jm] = t.total
        parts.append(block)
        top = max(top, (size * big) ** 2, size * size * j)
    table = np.concatenate(parts).astype(np.float64)
    for arr in (weights, offset, table):
        arr.setflags(write=False)
    return _Stacked(weights, offset, table, jm, tuple(lcms), top)


def _stacked_sums(  # noqa: PLR0917
    codes: npt.NDArray[np.uint8],
    inv: npt.NDArray[np.intp],
    nk: int,
    st: _Stacked,
    dims: list[tuple[int, tuple[bool, ...], int]],
    size: int,
    agreement: bool,
    most: int,
) -> list[DimMoments] | None:
    """Every dimension's sums: one table gather, one ``bincount`` and one batch of Grams.

    ``None`` when a float64 sum could leave the exact integers.

    Every quantity is a sum of exact integers below ``2**53`` (checked), so each float64
    partial sum is exact in any order and the values are the integers :func:`_small_sums`
    gives.
    """
    n = codes.shape[0]
    jm = st.jm
    if n * st.top >= 1 << 53 or most * st.top >= 1 << 53:
        return None
    n_dims = len(dims)
    code = codes @ st.weights
    code += st.offset
    g = np.take(st.table, code, axis=0)  # (respondents, dimensions, fields)
    n_f = 5 + jm if agreement else 3
    at = inv[:, None, None] + np.arange(0, n_dims * n_f * nk, nk).reshape(n_dims, n_f)
    w = g[:, :, :n_f]
    cell = np.bincount(at.reshape(-1), weights=w.reshape(-1), minlength=n_dims * n_f * nk)
    cell_i = cell.astype(np.int64).reshape(n_dims, n_f, nk)
    z = g[:, :, 4:].transpose(1, 0, 2)
    gram = np.matmul(z.transpose(0, 2, 1), z).astype(np.int64)
    out = []
    for d, (j, _rev, need) in enumerate(dims):
        tot, gd = cell_i[d], gram[d]
        if agreement:
            lc, lq, lx = tot[4], tot[3], np.ascontiguousarray(tot[5 : 5 + j].T)
        else:
            lc, lq, lx = (np.zeros(nk, np.int64), np.zeros(nk, np.int64),
                          np.zeros((nk, j), np.int64))  # fmt: skip
        xk, pr = 1 + jm, 1 + 2 * jm
        out.append(
            DimMoments(
                tot[0], tot[1], tot[2], st.lcms[d], lc, lq, lx,
                gd[pr : pr + j, pr : pr + j], gd[xk : xk + j, pr : pr + j],
                gd[xk : xk + j, xk : xk + j], int(gd[0, 0]), gd[0, 1 : 1 + j],
                gd[1 : 1 + j, 1 : 1 + j], need, int(gd[1 + 3 * jm, 2 + 3 * jm]),
            )
        )  # fmt: skip
    return out


def _small_sums(  # noqa: PLR0917
    codes: npt.NDArray[np.uint8],
    inv: npt.NDArray[np.intp],
    nk: int,
    columns: tuple[npt.NDArray[np.intp], ...],
    dims: list[tuple[int, tuple[bool, ...], int]],
    size: int,
    agreement: bool,
    most: int,
) -> tuple[list[_I], list[_I]] | None:
    """A few hundred respondents: every field of every dimension summed by one ``bincount``.

    The per-respondent fields are gathered from float copies of :func:`_fields` (exact
    integers); one weighted ``bincount`` over ``field * nk + base cell`` sums them all. Every
    bin's sum is an integer below ``most * top < 2**53``, so it is exact in any order and equals
    the packed route's integers. ``None`` when that bound does not hold.
    """
    tabs = [_float_fields(j, size, rev, need, agreement) for j, rev, need in dims]
    if most * max(top for _t, top in tabs) >= 1 << 53:
        return None
    x = codes.astype(np.intp)
    alpha = []
    gathered = []
    for c, (j, rev, need), (table, _top) in zip(columns, dims, tabs, strict=True):
        mult = PatternTables.cached(j, size, rev).mult
        code = x[:, c] @ np.asarray(mult, dtype=np.intp)
        hist = np.bincount(code, minlength=table.shape[1])
        alpha.append(_alpha_sums(hist, j, size, rev, need))
        gathered.append(table[:, code])
    g = np.concatenate(gathered) if len(gathered) > 1 else gathered[0]
    n_f = g.shape[0]
    at = inv[None, :] + (nk * np.arange(n_f, dtype=np.intp))[:, None]
    sums = np.bincount(at.reshape(-1), weights=g.reshape(-1), minlength=n_f * nk)
    flat = sums.reshape(n_f, nk).astype(np.int64)
    totals, pos = [], 0
    for table, _top in tabs:
        totals.append(flat[pos : pos + table.shape[0]])
        pos += table.shape[0]
    return totals, alpha


@functools.lru_cache(maxsize=256)
def _float_fields(
    n_items: int, size: int, reverse: tuple[bool, ...], need: int, agreement: bool
) -> tuple[_F, int]:
    """:func:`_fields` as one float64 (field x pattern) table, and the largest per-row value."""
    fields, tops = _fields(n_items, size, reverse, need, agreement)
    table = np.stack([f.astype(np.float64) for f in fields])
    table.setflags(write=False)
    return table, max(tops)
