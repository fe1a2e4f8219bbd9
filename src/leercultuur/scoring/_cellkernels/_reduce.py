"""Compiled reductions in numpy's order: the ICC and alpha sums (numba; see the package)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from leercultuur._accel import jit

__all__ = [
    "covariance_stats",
    "covariances",
    "pairwise_sum",
    "reliability_stats",
    "unit_anova",
]

_I = npt.NDArray[np.int64]
_P = npt.NDArray[np.intp]
_F = npt.NDArray[np.float64]


@jit
def _block_sum(a: _F, lo: int, n: int) -> float:
    """The pairwise sum of numpy for at most 128 values (see :func:`pairwise_sum`)."""
    if n < 8:
        res = -0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = lo + 8
    end = lo + n - n % 8
    while i < end:
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < lo + n:
        res += a[i]
        i += 1
    return float(res)


@jit
def pairwise_sum(a: _F, lo: int, n: int) -> float:
    """``numpy.add.reduce(a[lo : lo + n])`` of a contiguous float64 row, with the same value.

    numpy sums a contiguous row pairwise (``pairwise_sum`` in numpy's ``loops_utils.h``):
    fewer than 8 values one by one from ``-0.0``; up to 128 in 8 interleaved partial sums
    combined as ``((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))`` and the rest added one by
    one; longer rows split in two halves (the first a multiple of 8 long) summed the same way
    and added. A reduction adds that sum to its identity ``-0.0``, which changes no value. The
    halving runs on an explicit stack (numba's on-disk cache does not keep recursive functions).
    """
    if n <= 128:
        return _block_sum(a, lo, n)
    starts = np.empty(128, dtype=np.int64)
    sizes = np.empty(128, dtype=np.int64)
    state = np.zeros(128, dtype=np.int64)  # 0: split next, 1: right half next, 2: add halves
    values = np.empty(128)
    top, held = 1, 0
    starts[0], sizes[0] = lo, n
    while top:
        t = top - 1
        m = sizes[t]
        if m <= 128:
            values[held] = _block_sum(a, starts[t], m)
            held += 1
            top -= 1
            continue
        half = m // 2
        half -= half % 8
        if state[t] == 0:
            state[t] = 1
            starts[top], sizes[top], state[top] = starts[t], half, 0
            top += 1
        elif state[t] == 1:
            state[t] = 2
            starts[top], sizes[top], state[top] = starts[t] + half, m - half, 0
            top += 1
        else:
            held -= 1
            values[held - 1] = values[held - 1] + values[held]
            top -= 1
    return float(values[0])


@jit
def unit_anova(n: _I, t1: _F, t2: _F) -> tuple[bool, int, _I, _F, _F, _F]:
    """The ANOVA sums of :func:`~leercultuur.scoring._clustering.clusterings`, fused.

    From ``(D, units)`` own-unit sums: whether every dimension has scores in the same units,
    how many, and per dimension the respondents, ``SSB``, ``SSW`` and ``sum n**2`` over those
    units, each summed as numpy sums the compacted rows (:func:`pairwise_sum`).
    """
    n_dims, n_units = n.shape
    totals = np.zeros(n_dims, dtype=np.int64)
    ssb = np.zeros(n_dims)
    ssw = np.zeros(n_dims)
    sq = np.zeros(n_dims)
    units = 0
    same = True
    for u in range(n_units):
        first = n[0, u] > 0
        for d in range(1, n_dims):
            if (n[d, u] > 0) != first:
                same = False
        if first:
            units += 1
    if not same:
        return False, 0, totals, ssb, ssw, sq
    row_t1 = np.empty(units)
    row_b = np.empty(units)
    row_w = np.empty(units)
    row_q = np.empty(units)
    for d in range(n_dims):
        at = 0
        total = 0
        for u in range(n_units):
            if n[d, u] > 0:
                row_t1[at] = t1[d, u]
                total += n[d, u]
                at += 1
        totals[d] = total
        grand = pairwise_sum(row_t1, 0, units) / float(total)
        at = 0
        for u in range(n_units):
            if n[d, u] > 0:
                nn = float(n[d, u])
                mean = t1[d, u] / nn
                dev = mean - grand
                row_b[at] = nn * (dev * dev)
                x = t2[d, u] - t1[d, u] * mean
                row_w[at] = x if x >= 0.0 or np.isnan(x) else 0.0
                row_q[at] = nn * nn
                at += 1
        ssb[d] = pairwise_sum(row_b, 0, units)
        ssw[d] = pairwise_sum(row_w, 0, units)
        sq[d] = pairwise_sum(row_q, 0, units)
    return True, units, totals, ssb, ssw, sq


@jit
def covariances(pn: _I, pp: _I, pq: _I, listwise: bool) -> tuple[bool, _F]:
    """The covariance matrices of dimensions of one length, as the numpy route computes them.

    Listwise: ``pn`` holds ``(D, 1, 1)`` complete counts, ``pp`` the ``(D, 1, J)`` item sums and
    ``pq`` the ``(D, J, J)`` cross products; pairwise: the ``(D, J, J)`` pairwise sums
    (:class:`~leercultuur.scoring._stats.DimStats`). Each entry is the integer numerator over
    the integer denominator in one float division, correctly rounded as the numpy route's
    (and Python's ``int / int``) while every integer is exact in float64; the flag is False
    (and the matrices unusable) when that bound fails.
    """
    n_dims, j = pq.shape[0], pq.shape[1]
    out = np.empty((n_dims, j, j))
    exact = True
    lim = 1 << 52  # 2 * |x| < 2**53
    for d in range(n_dims):
        for a in range(j):
            for b in range(j):
                if listwise:
                    n = pn[d, 0, 0]
                    pa, pb = pp[d, 0, a], pp[d, 0, b]
                else:
                    n = pn[d, a, b]
                    pa, pb = pp[d, a, b], pp[d, b, a]
                q = pq[d, a, b]
                if (
                    abs(q) >= lim // max(n, 1)
                    or abs(pa) >= 1 << 26
                    or abs(pb) >= 1 << 26
                    or n >= 1 << 26
                ):
                    exact = False
                out[d, a, b] = float(n * q - pa * pb) / float(n * (n - 1))
    return exact, out


@jit
def covariance_stats(c: _F) -> tuple[_F, _F, _F]:
    """Alpha and its companions per ``(J, J)`` covariance matrix of *c*, as the numpy route.

    The matrices' sums are reduced as numpy reduces them (:func:`pairwise_sum`: the total,
    the trace, the row sums, the correlation matrix's total and trace) and the formulas of
    ``_itemstats._computed`` are applied in its order. Returns the correlation matrices,
    per matrix and item the variance, the total without the item, alpha without it (NaN
    where undefined; for two items the total without it, as ``_computed`` keeps it) and the
    corrected item-total correlation (NaN where undefined), and per matrix the total, alpha,
    standardised alpha and the correlation matrix's total.
    """
    n_dims, j = c.shape[0], c.shape[1]
    flat = c.reshape(n_dims, j * j)
    r = np.empty((n_dims, j, j))
    items = np.empty((n_dims, 4, j))
    scalars = np.empty((n_dims, 4))
    diag = np.empty(j)
    sd = np.empty(j)
    rows = np.empty(j)
    k1 = j / (j - 1)
    k2 = (j - 1) / (j - 2) if j > 2 else 0.0
    nan = np.nan
    for d in range(n_dims):
        tot = pairwise_sum(flat[d], 0, j * j)
        for a in range(j):
            items[d, 0, a] = c[d, a, a]
            sd[a] = np.sqrt(c[d, a, a])
            rows[a] = pairwise_sum(flat[d], a * j, j)
        tr = pairwise_sum(items[d, 0], 0, j)
        for a in range(j):
            for b in range(j):
                r[d, a, b] = c[d, a, b] / (sd[a] * sd[b])
            diag[a] = r[d, a, a]
        rt = pairwise_sum(r[d].reshape(j * j), 0, j * j)
        rtr = pairwise_sum(diag, 0, j)
        for a in range(j):
            v = items[d, 0, a]
            rs = tot - 2.0 * rows[a] + v
            items[d, 1, a] = rs
            if j > 2:
                items[d, 2, a] = k2 * (1.0 - (tr - v) / rs) if rs > 0 else nan
            else:
                items[d, 2, a] = rs
            items[d, 3, a] = (rows[a] - v) / np.sqrt(v * rs) if v > 0 and rs > 0 else nan
        scalars[d, 0] = tot
        scalars[d, 1] = k1 * (1.0 - tr / tot)
        scalars[d, 2] = k1 * (1.0 - rtr / rt)
        scalars[d, 3] = rt
    return r, items, scalars


@jit
def reliability_stats(pn: _I, pp: _I, pq: _I, listwise: bool) -> tuple[bool, _F, _F, _F]:
    """:func:`covariances` and then :func:`covariance_stats`, in one call (the flag first)."""
    exact, c = covariances(pn, pp, pq, listwise)
    r, items, scalars = covariance_stats(c)
    return exact, r, items, scalars
