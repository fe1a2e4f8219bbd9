"""Exact sufficient statistics of a survey, accumulated in row chunks and merged by addition.

Likert codes are small integers, so every sum the statistics need (counts, sums, sums of
squares and cross-products of keyed codes) is an exact integer. They are accumulated per
*base cell* (a respondent's own unit combined with their cross-cut values) and per dimension;
every published cell is a union of base cells. Chunks merge by adding integers, so chunked
scoring equals whole scoring bit for bit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.scoring._patterns import MAX_PATTERNS, PatternTables, pack_groups

__all__ = [
    "DimStats",
    "Layout",
    "SufficientStats",
    "accumulate",
    "base_cells",
    "per_layout",
]

_I = npt.NDArray[np.int64]
_F = npt.NDArray[np.float64]


@attrs.frozen(eq=False)
class Layout:
    """What the codes mean: item ids, dimensions with their column indices, keying and scale."""

    item_ids: tuple[str, ...]
    dimensions: tuple[str, ...]
    columns: tuple[npt.NDArray[np.intp], ...]
    reverse: npt.NDArray[np.bool_]
    lo: int
    hi: int

    @property
    def size(self) -> int:
        """The number of answer options ``A = hi - lo + 1``."""
        return self.hi - self.lo + 1


_T = TypeVar("_T")
_PER_LAYOUT: dict[tuple[int, str], tuple[object, object, object]] = {}


def per_layout(
    columns: tuple[npt.NDArray[np.intp], ...],
    reverse: npt.NDArray[np.bool_],
    name: str,
    build: Callable[[tuple[npt.NDArray[np.intp], ...], npt.NDArray[np.bool_]], _T],
) -> _T:
    """``build(columns, reverse)``, kept per instrument layout under *name*.

    A layout's arrays are read-only and cached per instrument, so they identify it; each
    entry holds them, so their ids are not reused while it lives. At most 32 entries.
    """
    key = (id(columns), name)
    hit = _PER_LAYOUT.get(key)
    if hit is not None and hit[0] is columns and hit[1] is reverse:
        return cast("_T", hit[2])
    value = build(columns, reverse)
    if len(_PER_LAYOUT) >= 32:
        _PER_LAYOUT.clear()
    _PER_LAYOUT[key] = (columns, reverse, value)
    return value


@attrs.define(eq=False, repr=False)
class DimStats:
    """Integer sums for one dimension.

    Per base cell ``b`` and number ``m`` of answered items: ``cnt[b, m]`` respondents,
    ``s1[b, m]`` the sum of their keyed-code sums, ``s2[b, m]`` the sum of squares of those.
    Per base cell over respondents who answered every item (listwise): ``lc[b]`` count,
    ``lx[b, j]`` the sums of item ``j`` and ``lq[b]`` the sum of squares over all items.
    Over all respondents: pairwise ``pn[j, k]`` (both answered), ``pp[j, k]`` (sum of item ``j``
    where both answered), ``pq[j, k]`` (sum of products); listwise ``wn``, ``wx[j]``, ``wq[j, k]``.
    """

    cnt: _I
    s1: _I
    s2: _I
    lc: _I
    lx: _I
    lq: _I
    pn: _I
    pp: _I
    pq: _I
    wn: int
    wx: _I
    wq: _I

    def reindexed(self, pos: npt.NDArray[np.intp], size: int) -> DimStats:
        """These sums placed at rows *pos* of arrays with *size* base cells."""

        def grow(a: _I) -> _I:
            out = np.zeros((size, *a.shape[1:]), dtype=np.int64)
            out[pos] = a
            return out

        return DimStats(
            grow(self.cnt), grow(self.s1), grow(self.s2), grow(self.lc), grow(self.lx),
            grow(self.lq), self.pn, self.pp, self.pq, self.wn, self.wx, self.wq,
        )  # fmt: skip

    def __add__(self, other: DimStats) -> DimStats:
        return DimStats(
            self.cnt + other.cnt, self.s1 + other.s1, self.s2 + other.s2, self.lc + other.lc,
            self.lx + other.lx, self.lq + other.lq, self.pn + other.pn, self.pp + other.pp,
            self.pq + other.pq, self.wn + other.wn, self.wx + other.wx, self.wq + other.wq,
        )  # fmt: skip


@attrs.define(eq=False, repr=False)
class SufficientStats:
    """The mergeable summary of (part of) a survey: base-cell keys and per-dimension sums.

    ``keys`` are the sorted base-cell keys ``unit * radix + attribute digits`` present;
    ``n_resp[b]`` counts respondents per base cell. Add two summaries of the same survey
    design with ``+``.
    """

    keys: _I
    n_resp: _I
    dims: tuple[DimStats, ...]

    def __add__(self, other: SufficientStats) -> SufficientStats:
        if np.array_equal(self.keys, other.keys):
            dims = tuple(a + b for a, b in zip(self.dims, other.dims, strict=True))
            return SufficientStats(self.keys, self.n_resp + other.n_resp, dims)
        keys = np.union1d(self.keys, other.keys)
        pa = np.searchsorted(keys, self.keys)
        pb = np.searchsorted(keys, other.keys)
        n = np.zeros(keys.size, dtype=np.int64)
        n[pa] += self.n_resp
        n[pb] += other.n_resp
        dims = tuple(
            a.reindexed(pa, keys.size) + b.reindexed(pb, keys.size)
            for a, b in zip(self.dims, other.dims, strict=True)
        )
        return SufficientStats(keys, n, dims)


def _gram(z: npt.NDArray[np.float64] | npt.NDArray[np.float32]) -> _I:
    return np.rint(z.T @ z).astype(np.int64)


def _bincount(idx: npt.NDArray[np.intp], weights: _F | None, size: int) -> _I:
    out = np.bincount(idx, weights=weights, minlength=size)
    return out.astype(np.int64) if weights is not None else out


def base_cells(base: _I, dense_size: int | None) -> tuple[_I, npt.NDArray[np.intp]]:
    """The base-cell keys present and each respondent's index into them.

    With *dense_size* every key ``0 .. dense_size - 1`` is kept, so the index is the key itself
    (no sort); otherwise the keys present are collected.
    """
    if dense_size is not None:
        return np.arange(dense_size, dtype=np.int64), base.astype(np.intp, copy=False)
    keys, inverse = np.unique(base, return_inverse=True)
    return keys, inverse.astype(np.intp, copy=False).reshape(-1)


def accumulate(
    codes: npt.NDArray[np.uint8],
    base: _I,
    layout: Layout,
    *,
    dense_size: int | None = None,
    chunk_rows: int = 1 << 18,
) -> SufficientStats:
    """Sum the sufficient statistics of *codes* (uint8, 0 = missing) in row chunks.

    *base* holds each respondent's base-cell key. With *dense_size* the keys are
    ``0 .. dense_size - 1`` (no sort needed); otherwise the keys present are collected.
    """
    keys, inv_all = base_cells(base, dense_size)
    nk = keys.size
    big = layout.size
    # float32 Gram products are exact while every sum stays below 2**24
    rows = max(1, min(chunk_rows, (1 << 24) // (big * big)))
    use32 = rows >= 1024
    if not use32:
        rows = chunk_rows
    n_resp = np.zeros(nk, dtype=np.int64)
    parts: list[DimStats] = []
    for cols in layout.columns:
        j = cols.size
        parts.append(
            DimStats(
                np.zeros((nk, j + 1), np.int64), np.zeros((nk, j + 1), np.int64),
                np.zeros((nk, j + 1), np.int64), np.zeros(nk, np.int64),
                np.zeros((nk, j), np.int64), np.zeros(nk, np.int64),
                np.zeros((j, j), np.int64), np.zeros((j, j), np.int64),
                np.zeros((j, j), np.int64), 0, np.zeros(j, np.int64), np.zeros((j, j), np.int64),
            )
        )  # fmt: skip
    if all((big + 1) ** c.size <= MAX_PATTERNS for c in layout.columns):
        return SufficientStats(
            keys, *_accumulate_patterns(codes, inv_all, nk, layout, parts, rows=chunk_rows)
        )
    flip = np.arange(big + 2, dtype=np.uint8)
    flip[1 : big + 1] = big + 1 - np.arange(1, big + 1)
    flip[0] = 0
    for start in range(0, codes.shape[0], rows):
        block = codes[start : start + rows]
        inv = inv_all[start : start + rows]
        n_resp += np.bincount(inv, minlength=nk)
        for cols, acc in zip(layout.columns, parts, strict=True):
            x = block[:, cols]
            rev = layout.reverse[cols]
            if rev.any():
                x[:, rev] = flip[x[:, rev]]
            j = cols.size
            present = x > 0
            m = present.sum(axis=1, dtype=np.intp)
            s = x.sum(axis=1, dtype=np.int64).astype(np.float64)
            idx = inv * (j + 1) + m
            acc.cnt += np.bincount(idx, minlength=nk * (j + 1)).reshape(nk, j + 1)
            acc.s1 += _bincount(idx, s, nk * (j + 1)).reshape(nk, j + 1)
            acc.s2 += _bincount(idx, s * s, nk * (j + 1)).reshape(nk, j + 1)
            complete = m == j
            ic = inv[complete]
            xc = x[complete]
            acc.lc += np.bincount(ic, minlength=nk)
            for t in range(j):
                col = xc[:, t].astype(np.float64)
                acc.lx[:, t] += _bincount(ic, col, nk)
                acc.lq += _bincount(ic, col * col, nk)
            z = np.concatenate([x, present], axis=1).astype(np.float32 if use32 else np.float64)
            g = _gram(z)  # type: ignore[arg-type]
            acc.pq += g[:j, :j]
            acc.pp += g[:j, j:]
            acc.pn += g[j:, j:]
            zc = xc.astype(np.float32 if use32 else np.float64)
            acc.wn += int(xc.shape[0])
            acc.wx += xc.sum(axis=0, dtype=np.int64)
            acc.wq += _gram(zc)
    return SufficientStats(keys, n_resp, tuple(parts))


def _unpack(sums: npt.NDArray[Any], layout: list[tuple[int, int]]) -> list[_I]:
    v = sums.astype(np.int64)
    return [(v >> shift) & ((1 << bits) - 1) for shift, bits in layout]


@functools.lru_cache(maxsize=256)
def _packs(n_items: int, size: int, reverse: tuple[bool, ...], per_bin: int) -> Any:
    t = PatternTables.cached(n_items, size, reverse)
    core = pack_groups(
        [np.ones_like(t.total), t.total, t.total * t.total],
        [1, size * n_items, (size * n_items) ** 2],
        per_bin,
    )
    xc = t.keyed * t.complete[:, None]
    fields = [t.complete, (xc * xc).sum(axis=1), *[xc[:, u] for u in range(n_items)]]
    tops = [1, size * size * n_items, *([size] * n_items)]
    return core, pack_groups(fields, tops, per_bin)


def _accumulate_patterns(
    codes: npt.NDArray[np.uint8],
    inv_all: npt.NDArray[np.intp],
    nk: int,
    layout: Layout,
    parts: list[DimStats],
    *,
    rows: int = 1 << 18,
) -> tuple[_I, tuple[DimStats, ...]]:
    """The pattern-code path (see :mod:`leercultuur.scoring._patterns`)."""
    size = layout.size
    n_items = codes.shape[1]
    tables = [
        PatternTables.cached(c.size, size, tuple(layout.reverse[c].tolist()))
        for c in layout.columns
    ]
    hists = [np.zeros(t.keyed.shape[0], dtype=np.int64) for t in tables]

    def packs_for(per_bin: int) -> list[Any]:
        """Weight tables packed for at most *per_bin* respondents per bincount bin."""
        return [
            _packs(c.size, size, tuple(layout.reverse[c].tolist()), per_bin) for c in layout.columns
        ]

    n_resp = np.zeros(nk, dtype=np.int64)
    buf = np.empty((n_items, rows), dtype=np.uint8)
    for start in range(0, codes.shape[0], rows):
        block = codes[start : start + rows]
        r = block.shape[0]
        inv = inv_all[start : start + rows]
        counts = np.bincount(inv, minlength=nk)
        n_resp += counts
        # no bin of this chunk holds more respondents than its largest base cell: pack to that
        packs = packs_for(1 << max(0, int(counts.max(initial=1) - 1).bit_length()))
        scaled: dict[int, npt.NDArray[np.intp]] = {}
        for s0 in range(0, r, 4096):
            buf[:, s0 : min(r, s0 + 4096)] = block[s0 : s0 + 4096].T
        for t, cols, acc, hist, (core, rwg) in zip(
            tables, layout.columns, parts, hists, packs, strict=True
        ):
            j = cols.size
            small = hist.size <= 1 << 16  # uint16 arithmetic is several times faster
            kind = np.uint16 if small else np.intp
            acc_code = buf[cols[0], :r].astype(kind)
            for u in range(1, j):
                np.add(acc_code, buf[cols[u], :r] * kind(t.mult[u]), out=acc_code)
            code = acc_code.astype(np.intp) if small else acc_code
            np.add(hist, np.bincount(code, minlength=hist.size), out=hist)
            if j not in scaled:
                scaled[j] = inv * (j + 1)
            idx = scaled[j] + t.answered[code]
            out: list[_I] = []
            for table, fl in core:
                out += _unpack(np.bincount(idx, weights=table[code], minlength=nk * (j + 1)), fl)
            acc.cnt += out[0].reshape(nk, j + 1)
            acc.s1 += out[1].reshape(nk, j + 1)
            acc.s2 += out[2].reshape(nk, j + 1)
            out = []
            for table, fl in rwg:
                out += _unpack(np.bincount(inv, weights=table[code], minlength=nk), fl)
            acc.lc += out[0]
            acc.lq += out[1]
            acc.lx += np.stack(out[2:], axis=1)
    for t, acc, hist in zip(tables, parts, hists, strict=True):
        xh = t.keyed * hist[:, None]
        acc.pn += (t.present * hist[:, None]).T @ t.present
        acc.pp += xh.T @ t.present
        acc.pq += xh.T @ t.keyed
        hc = hist * t.complete
        acc.wn += int(hc.sum())
        acc.wx += t.keyed.T @ hc
        acc.wq += (t.keyed * hc[:, None]).T @ t.keyed
    return n_resp, tuple(parts)
