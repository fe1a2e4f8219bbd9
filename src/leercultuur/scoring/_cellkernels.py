"""Compiled kernels for the cell statistics of :func:`leercultuur.score` (numba).

Imported only by the accelerated route of :mod:`leercultuur.scoring._cellstats` (see
:mod:`leercultuur._accel`). Each kernel fuses a chain of small numpy calls of the numpy route
into one loop and gives the same values bit for bit:

- integer sums are exact in any order;
- float sums that numpy accumulates one element at a time in a known order (``bincount``) are
  accumulated in that order;
- float sums that numpy reduces pairwise (``numpy.add.reduce`` over a contiguous row) are
  summed by :func:`pairwise_sum`, which follows numpy's pairwise summation step by step;
- elementwise formulas are written as the numpy route writes them, operation by operation
  (numba compiles without fast-math, so no operation is reordered or contracted).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from leercultuur._accel import jit

__all__ = ["cell_sums", "pairwise_sum", "publish_cells", "unit_anova"]

_I = npt.NDArray[np.int64]
_P = npt.NDArray[np.intp]
_F = npt.NDArray[np.float64]
_B = npt.NDArray[np.bool_]


_ROW_MAJOR = 1 << 16
"""Matrices of at most this many entries are summed by rows of fields (transposed)."""


@jit
def _deepest_first(parent: _P) -> _P:
    """The units ordered by depth in the hierarchy, deepest first (a counting sort)."""
    n_units = parent.shape[0]
    depth = np.zeros(n_units, dtype=np.intp)
    top = 0
    for u in range(n_units):
        p = parent[u]
        dd = 0
        while p >= 0 and dd <= n_units:
            dd += 1
            p = parent[p]
        depth[u] = dd
        top = max(top, dd)
    count = np.zeros(top + 2, dtype=np.intp)
    for u in range(n_units):
        count[top - depth[u] + 1] += 1
    for t in range(1, top + 2):
        count[t] += count[t - 1]
    order = np.empty(n_units, dtype=np.intp)
    for u in range(n_units):
        slot = top - depth[u]
        order[count[slot]] = u
        count[slot] += 1
    return order


@jit
def cell_sums(  # noqa: PLR0917
    fm: _I,
    pair_cell: _P,
    pair_base: _P,
    n_cells: int,
    base_unit: _P,
    parent: _P,
    tree: bool,
    n_dims: int,
    lcm12: _F,
    n_units: int,
    lx_from: int,
) -> tuple[_I, _F, _I, _F, _F, int]:
    """Per-cell and per-unit sums of the ``(fields, base cells)`` integer matrix *fm*.

    Field 0 counts respondents; fields ``1 + f * D + d`` hold dimension ``d``'s ``n``,
    ``T1``, ``T2`` (``f`` = 0, 1, 2) and later fields further integer sums. Returns the
    ``(fields, cells)`` sums (with *tree*, the unit cells from their own base cells up the
    hierarchy of *parent* and the other cells from their membership pairs; otherwise every
    cell from its pairs), ``T1 / L`` and ``T2 / L**2`` per cell,
    and the own-unit sums ``n``, ``T1 / L``, ``T2 / L**2`` (``(D, units)``, each float
    weight added in base-cell order as ``numpy.bincount`` adds it), and the largest value of
    the fields from *lx_from* on.
    """
    n_f, nk = fm.shape
    order = _deepest_first(parent) if tree else parent
    start = 0
    if tree:  # the pairs are sorted by cell, the unit cells first
        while start < pair_cell.shape[0] and pair_cell[start] < n_units:
            start += 1
    if nk * n_f > _ROW_MAJOR:
        # large: field by field (no transposed copies of the matrix)
        red = np.zeros((n_f, n_cells), dtype=np.int64)
        for f in range(n_f):
            row = fm[f]
            out = red[f]
            if tree:
                for b in range(nk):
                    out[base_unit[b]] += row[b]
                for t in range(n_units):
                    u = order[t]
                    if parent[u] >= 0:
                        out[parent[u]] += out[u]
            for i in range(start, pair_cell.shape[0]):
                out[pair_cell[i]] += row[pair_base[i]]
    else:
        # small: base cells x fields, each pair adds one contiguous row
        fmt = np.ascontiguousarray(fm.T)
        acc = np.zeros((n_cells, n_f), dtype=np.int64)
        if tree:
            for b in range(nk):
                acc[base_unit[b]] += fmt[b]
            for t in range(n_units):
                u = order[t]
                if parent[u] >= 0:
                    acc[parent[u]] += acc[u]
        for i in range(start, pair_cell.shape[0]):
            dst = acc[pair_cell[i]]
            src = fmt[pair_base[i]]
            for f in range(n_f):
                dst[f] += src[f]
        red = np.ascontiguousarray(acc.T)
    t12 = np.empty((2 * n_dims, n_cells))
    for r in range(2 * n_dims):
        src = red[1 + n_dims + r]
        div = lcm12[r]
        for c in range(n_cells):
            t12[r, c] = float(src[c]) / div
    unit_n = np.zeros((n_dims, n_units), dtype=np.int64)
    unit_t1 = np.zeros((n_dims, n_units))
    unit_t2 = np.zeros((n_dims, n_units))
    for d in range(n_dims):
        rn, r1, r2 = fm[1 + d], fm[1 + n_dims + d], fm[1 + 2 * n_dims + d]
        l1, l2 = lcm12[d], lcm12[n_dims + d]
        for b in range(nk):
            u = base_unit[b]
            unit_n[d, u] += rn[b]
            unit_t1[d, u] += float(r1[b]) / l1
            unit_t2[d, u] += float(r2[b]) / l2
    most = 0
    for f in range(lx_from, n_f):
        for c in range(n_cells):
            most = max(most, abs(red[f, c]))
    return red, t12, unit_n, unit_t1, unit_t2, most


@jit
def publish_cells(  # noqa: PLR0917
    red: _I,
    t12: _F,
    n_dims: int,
    lx_at: _P,
    q: _F,
    hide: _B,
    k: int,
    size: int,
    lo: int,
    scale: float,
) -> tuple[_F, _B]:
    """The published numbers of :func:`~leercultuur.scoring._cellstats.publish`, fused.

    *red* holds the ``(fields, cells)`` sums of :func:`cell_sums` (``n``, ``T1``, ``T2``,
    ``lc``, ``lq`` per dimension after field 0, and dimension ``d``'s listwise item sums in
    rows ``lx_at[d]:lx_at[d + 1]``), *t12* the scaled ``T1``/``T2``, *q* the t quantiles of
    each cell's degrees of freedom. Returns the ``(5, D, cells)`` block (POMP mean, sd,
    half-width, raw mean, rwg(j); NaN where withheld) and the truncation flags of rwg(j).
    The formulas are those of the numpy route, in the same order; the sums of squared item
    sums are exact integers (the caller checks the bound), so their order does not matter.
    """
    n_cells = red.shape[1]
    out = np.empty((5, n_dims, n_cells))
    trunc = np.zeros((n_dims, n_cells), dtype=np.bool_)
    null = (size * size - 1) / 12.0
    nan = np.nan
    for d in range(n_dims):
        j = lx_at[d + 1] - lx_at[d]
        fj = float(j)
        for c in range(n_cells):
            n = red[1 + d, c]
            t1 = t12[d, c]
            t2 = t12[n_dims + d, c]
            lc = red[1 + 3 * n_dims + d, c]
            if hide[d, c]:
                for f in range(5):
                    out[f, d, c] = nan
            else:
                safe_n = float(max(n, 1))
                mean = t1 / safe_n
                var = 0.0
                if n > 1:
                    x = t2 - t1 * mean
                    # numpy.maximum(x, 0.0): x itself when x >= 0 or NaN
                    var = (x if x >= 0.0 or np.isnan(x) else 0.0) / float(max(n - 1, 1))
                sd = np.sqrt(var)
                half = q[d, c] * sd / np.sqrt(safe_n)
                out[0, d, c] = (mean - 1) * scale
                out[1, d, c] = sd * scale
                out[2, d, c] = half * scale
                out[3, d, c] = (mean + lo) - 1
            # rwg(j) (as _formulas.rwg_j), its truncation flag also for withheld cells
            if lc >= 2:
                nf = float(lc)
                sq = 0.0
                for t in range(lx_at[d], lx_at[d + 1]):
                    v = float(red[t, c])
                    sq += v * v
                total = nf * float(red[1 + 4 * n_dims + d, c]) - sq
                ratio = total / (nf * (nf - 1)) / j / null
                if ratio > 1:
                    trunc[d, c] = True
                    value = 0.0
                else:
                    part = fj * (1 - ratio)
                    value = part / (part + ratio)
            else:
                value = nan
            if not hide[d, c]:
                out[4, d, c] = value if lc >= k else nan
    return out, trunc


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
def covariance_stats(c: _F) -> tuple[_F, _F, _F, _F, _F, _F, _F]:
    """The sums alpha and its companions need, per ``(J, J)`` covariance matrix of *c*.

    As the numpy route reduces them (:func:`pairwise_sum`): the total, the trace, the row
    sums, the variances, the correlation matrices and their total and trace.
    """
    n_dims, j = c.shape[0], c.shape[1]
    flat = c.reshape(n_dims, j * j)
    total = np.empty(n_dims)
    trace = np.empty(n_dims)
    rows = np.empty((n_dims, j))
    var = np.empty((n_dims, j))
    r = np.empty((n_dims, j, j))
    r_total = np.empty(n_dims)
    r_trace = np.empty(n_dims)
    diag = np.empty(j)
    sd = np.empty(j)
    for d in range(n_dims):
        total[d] = pairwise_sum(flat[d], 0, j * j)
        for a in range(j):
            var[d, a] = c[d, a, a]
            sd[a] = np.sqrt(c[d, a, a])
            rows[d, a] = pairwise_sum(flat[d], a * j, j)
        trace[d] = pairwise_sum(var[d], 0, j)
        for a in range(j):
            for b in range(j):
                r[d, a, b] = c[d, a, b] / (sd[a] * sd[b])
            diag[a] = r[d, a, a]
        r_total[d] = pairwise_sum(r[d].reshape(j * j), 0, j * j)
        r_trace[d] = pairwise_sum(diag, 0, j)
    return total, trace, rows, var, r, r_total, r_trace
