"""The path of :func:`leercultuur.score` for surveys of a few thousand respondents at most.

Per-call overhead dominates there, so every field of every dimension is summed by a single
weighted ``bincount`` instead of the chunked, packed passes of :mod:`._fast`; the sums are the
same exact integers.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from leercultuur.scoring._fast import DimMoments, _alpha_sums, _fields, _finish
from leercultuur.scoring._patterns import MAX_PATTERNS, PatternTables

__all__ = ["SMALL_ROWS", "small_moments"]

_I = npt.NDArray[np.int64]
_F = npt.NDArray[np.float64]
SMALL_ROWS = 4096
"""Surveys up to this many rows take :func:`small_moments` (one ``bincount`` for all fields)."""


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
    if not all((size + 1) ** c.size <= MAX_PATTERNS for c in columns):
        return None
    n_resp = np.bincount(inv, minlength=nk).astype(np.int64)
    most = int(n_resp.max(initial=0))
    revs = [tuple(reverse[c].tolist()) for c in columns]
    dims = [(c.size, rev, need) for c, rev, need in zip(columns, revs, needs, strict=True)]
    sums = _small_sums(codes, inv, nk, columns, dims, size, agreement, most)
    if sums is None:
        return None
    return n_resp, _finish(sums[0], sums[1], dims, size, nk, agreement)


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
