"""Compiled per-cell sums and published cell statistics (numba; see the package)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from leercultuur._accel import jit
from leercultuur.scoring._cellkernels._reduce import unit_anova

__all__ = ["cell_sums", "publish_cells"]

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
    k: int,
) -> tuple[_I, _F, _I, _F, _F, _I, _B, npt.NDArray[np.int8], _B, int, bool, int, _I, _F]:
    """Per-cell and per-unit sums of the ``(fields, base cells)`` integer matrix *fm*.

    Field 0 counts respondents; fields ``1 + f * D + d`` hold dimension ``d``'s ``n``,
    ``T1``, ``T2`` (``f`` = 0, 1, 2) and later fields further integer sums. Returns the
    ``(fields, cells)`` sums (with *tree*, the unit cells from their own base cells up the
    hierarchy of *parent* and the other cells from their membership pairs; otherwise every
    cell from its pairs), ``T1 / L`` and ``T2 / L**2`` per cell,
    and the own-unit sums ``n``, ``T1 / L``, ``T2 / L**2`` (``(D, units)``, each float
    weight added in base-cell order as ``numpy.bincount`` adds it), each dimension's ``n``
    over all base cells and its smallest positive ``n`` of a base cell (``2**62`` if none; the
    rows of a ``(2, D)`` matrix), per dimension and cell whether ``n < k`` and the disclosure
    check's primary code (0 published, 1 below *k*, 2 empty), whether some dimension's ``n`` of
    the cell reaches *k*, the largest value of the fields from *lx_from* on, and the ICCs'
    ANOVA sums of :func:`~leercultuur.scoring._cellkernels.unit_anova` (its flag, units,
    respondents, and ``SSB``, ``SSW``, ``sum n**2`` as rows).
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
    scored = np.zeros((2, n_dims), dtype=np.int64)
    for d in range(n_dims):
        row = fm[1 + d]
        least = np.int64(1) << 62
        for b in range(nk):
            v = row[b]
            scored[0, d] += v
            if 0 < v < least:
                least = v
        scored[1, d] = least
    below = np.zeros((n_dims, n_cells), dtype=np.bool_)
    code = np.zeros((n_dims, n_cells), dtype=np.int8)
    reach = np.zeros(n_cells, dtype=np.bool_)
    for d in range(n_dims):
        row = red[1 + d]
        for c in range(n_cells):
            v = row[c]
            if v < k:
                below[d, c] = True
                code[d, c] = 2 if v == 0 else 1
            else:
                reach[c] = True
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
    same, units, totals, ssb, ssw, sq = unit_anova(unit_n, unit_t1, unit_t2)
    anova = np.empty((3, n_dims))
    anova[0], anova[1], anova[2] = ssb, ssw, sq
    return (
        red, t12, unit_n, unit_t1, unit_t2, scored, below, code, reach, most, same, units,
        totals, anova,
    )  # fmt: skip


@jit
def publish_cells(  # noqa: PLR0917
    red: _I,
    t12: _F,
    n_dims: int,
    lx_at: _P,
    table: _F,
    q: _F,
    hide: _B,
    k: int,
    size: int,
    lo: int,
    scale: float,
) -> tuple[_F, _B, bool]:
    """The published numbers of :func:`~leercultuur.scoring._cellstats.publish`, fused.

    *red* holds the ``(fields, cells)`` sums of :func:`cell_sums` (``n``, ``T1``, ``T2``,
    ``lc``, ``lq`` per dimension after field 0, and dimension ``d``'s listwise item sums in
    rows ``lx_at[d]:lx_at[d + 1]``), *t12* the scaled ``T1``/``T2``; the t quantile of a
    cell's degrees of freedom ``df`` is ``q[d, c]`` or, if *q* is empty, ``table[df]``
    (``_tdist.t_table``). Returns the ``(5, D, cells)`` block (POMP mean, sd, half-width, raw
    mean, rwg(j); NaN where withheld), the truncation flags of rwg(j), and whether the table
    lacked a quantile a published cell needs (then call again with *q*).
    The formulas are those of the numpy route, in the same order; the sums of squared item
    sums are exact integers (the caller checks the bound), so their order does not matter.
    """
    n_cells = red.shape[1]
    out = np.empty((5, n_dims, n_cells))
    trunc = np.zeros((n_dims, n_cells), dtype=np.bool_)
    null = (size * size - 1) / 12.0
    nan = np.nan
    use_q = q.shape[0] > 0
    missing = False
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
                df = max(n - 1, 1)
                if use_q:
                    tq = q[d, c]
                else:
                    tq = table[df] if df < table.shape[0] else nan
                    missing |= np.isnan(tq)
                safe_n = float(max(n, 1))
                mean = t1 / safe_n
                var = 0.0
                if n > 1:
                    x = t2 - t1 * mean
                    # numpy.maximum(x, 0.0): x itself when x >= 0 or NaN
                    var = (x if x >= 0.0 or np.isnan(x) else 0.0) / float(df)
                sd = np.sqrt(var)
                half = tq * sd / np.sqrt(safe_n)
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
    return out, trunc, missing
