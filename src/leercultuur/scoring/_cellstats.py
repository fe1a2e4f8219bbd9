"""Per-cell and per-unit scale-score sums of :func:`leercultuur.score`, for all dimensions at once.

Every dimension's base-cell sums are laid out as rows of one integer matrix and summed into
the published cells by one :meth:`~leercultuur.scoring._design.Cells.reduce`; the respondents'
own-unit sums for the ICCs come from one ``bincount``. Both routes of :func:`score` (the
one-pass moments and a :class:`~leercultuur.scoring.Summary`) meet here.
"""

from __future__ import annotations

import functools
import itertools

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur._accel import accelerated
from leercultuur.scoring import _formulas, _stats
from leercultuur.scoring._design import Cells
from leercultuur.scoring._fast import DimMoments
from leercultuur.scoring._tdist import t_quantile_whole, t_table

__all__ = ["Anova", "CellMoments", "DimInput", "cell_moments", "publish"]

_I = npt.NDArray[np.int64]
_F = npt.NDArray[np.float64]
_Stack = tuple[_I, _F, npt.NDArray[np.intp], int, int]
Anova = tuple[bool, int, list[int], list[float], list[float], list[float]]
"""Whether every dimension has scores in the same units, how many units, and per dimension
the respondents, ``SSB``, ``SSW`` and ``sum n**2`` over them."""
_NO_PARENT = np.zeros(0, dtype=np.intp)
_NO_Q = np.zeros((0, 0))
DimInput = tuple[int, int, "_stats.DimStats | DimMoments", "tuple[_I, _I, _I, int] | None"]
"""Per dimension: items ``J``, answered items a score needs, its sums, exact moments or None."""


@attrs.frozen(eq=False)
class CellMoments:
    """Scale-score sums per (dimension, cell) and per (dimension, unit); ``(D, cells)`` arrays.

    ``n`` scores, ``t1``/``t2`` the sum and sum of squares of scores (answer codes), ``lc``
    respondents who answered every item, ``lq``/``lx`` their listwise sums (per dimension);
    ``respondents`` per cell; ``base_n`` the scores per base cell (per dimension); ``unit_n``,
    ``unit_t1``, ``unit_t2`` the same sums over each unit's own respondents.
    """

    n: _I
    t1: _F
    t2: _F
    lc: _I
    lq: list[_I]
    lx: list[_I]
    respondents: _I
    base_n: list[_I]
    unit_n: _I
    unit_t1: _F
    unit_t2: _F
    scored: list[int] | None = None
    """The compiled route's respondents with a score, per dimension (the sums of ``base_n``)."""
    anova: Anova | None = None
    """The compiled route's ANOVA sums over the units (see
    :func:`~leercultuur.scoring._clustering.clusterings`)."""
    stack: _Stack | None = None
    """The compiled route's ``(fields, cells)`` sums, scaled ``T1``/``T2``, the rows of each
    dimension's listwise item sums and their largest value (see :mod:`._cellkernels`)."""
    least: list[int] | None = None
    """The compiled route's smallest positive ``base_n`` per dimension (``2**62`` if none)."""
    early: tuple[npt.NDArray[np.bool_], npt.NDArray[np.int8], npt.NDArray[np.bool_]] | None = None
    """With *k* given to the compiled route: per dimension and cell ``n < k`` and the primary
    code of :func:`~leercultuur.scoring.disclosure.protect` (``(D, cells)``), and per cell
    whether some dimension's ``n`` reaches *k*."""


def cell_moments(  # noqa: PLR0917
    cells: Cells,
    base_unit: npt.NDArray[np.intp],
    n_units: int,
    n_resp: _I,
    dims: list[DimInput],
    parent: npt.NDArray[np.intp] | None = None,
    *,
    fast: bool | None = None,
    packed: _I | None = None,
    k: int | None = None,
) -> CellMoments:
    """Sum every dimension's base-cell moments into cells and units (see :class:`CellMoments`).

    Exact moments (integers scaled by ``L = lcm(need..J)``) are summed as integers and divided
    once; a dimension without them takes the float route of
    :func:`~leercultuur.scoring._formulas.score_moments` on its per-``m`` sums. With the
    compiled accelerator, exact moments are summed by :func:`._cellkernels.cell_sums` (the
    unit cells up the hierarchy of *parent*, each unit's parent, when the cells sum them so).
    """
    n_dims = len(dims)
    nk = n_resp.shape[0]
    exact = all(mom is not None for _j, _n, _d, mom in dims)
    if exact and n_dims and (accelerated() if fast is None else fast):
        return _cell_moments_compiled(cells, base_unit, n_units, n_resp, dims, parent, packed, k)
    # fields: respondents, then per dimension n, T1, T2, lc, lq, lx (dimension-major when exact)
    base_n: list[_I] = []
    base_t: list[tuple[_F, _F]] = []
    if exact:
        # fields x base cells (contiguous rows to fill), then one transposed copy for the
        # reduction, which sums base cells x fields fastest and may overwrite it
        fm = np.empty((1 + sum(5 + j for j, _n, _d, _m in dims), nk), dtype=np.int64)
        fm[0] = n_resp
        lcms = [mom[3] for _j, _n, _d, mom in dims if mom is not None]
        at = 1 + 5 * n_dims
        for i, (j, _need, d, mom) in enumerate(dims):
            assert mom is not None
            for f, values in enumerate((*mom[:3], d.lc, d.lq)):
                fm[1 + f * n_dims + i] = values
            fm[at : at + j] = d.lx.T
            at += j
        base_n = list(fm[1 : 1 + n_dims])
        # the divisors of T1 and T2: L and L**2 per dimension
        lcm12 = np.asarray([*lcms, *(v * v for v in lcms)], dtype=np.float64)[:, None]
        # n, T1 / L, T2 / L**2 per base cell: the weights of the own-unit sums below
        unit_w = fm[1 : 1 + 3 * n_dims].astype(np.float64)
        unit_w[n_dims:] /= lcm12
        red = cells.reduce(np.ascontiguousarray(fm.T), consume=True)  # (cells, fields)
    else:
        # fields x base cells, one row each
        fm = np.empty((1 + sum(4 * j + 5 for j, _n, _d, _m in dims), nk), dtype=np.int64)
        fm[0] = n_resp
        at = 1
        for _j, need, d, mom in dims:
            if mom is not None:
                bn, big_t1, big_t2, lcm_d = mom
                fields = [bn, big_t1, big_t2, d.lc, d.lq, *d.lx.T]
                base_t.append((big_t1 / lcm_d, big_t2 / (lcm_d * lcm_d)))
            else:
                assert isinstance(d, _stats.DimStats)
                bn, bt1_d, bt2_d = _formulas.score_moments(d.cnt, d.s1, d.s2, need)
                fields = [*d.cnt.T, *d.s1.T, *d.s2.T, d.lc, *d.lx.T, d.lq]
                base_t.append((bt1_d, bt2_d))
            for f in fields:
                fm[at] = f
                at += 1
            base_n.append(bn)
        red = cells.reduce(np.ascontiguousarray(fm.T))  # (cells, fields)
        unit_w = np.concatenate([*base_n, *(t for t, _ in base_t), *(q for _, q in base_t)])
    # the respondents' own units: one bincount for every dimension's n, T1 and T2
    unit_at = np.add.outer(n_units * np.arange(3 * n_dims), base_unit)
    unit = np.bincount(
        unit_at.reshape(-1), weights=unit_w.reshape(-1), minlength=3 * n_dims * n_units
    ).reshape(3, n_dims, n_units)
    if exact:
        n = red[:, 1 : 1 + n_dims].T
        t12 = red[:, 1 + n_dims : 1 + 3 * n_dims].T / lcm12
        t1, t2 = t12[:n_dims], t12[n_dims:]
        lc = red[:, 1 + 3 * n_dims : 1 + 4 * n_dims].T
        lq = [red[:, 1 + 4 * n_dims + i] for i in range(n_dims)]
        lx, at = [], 1 + 5 * n_dims
        for j, _n, _d, _m in dims:
            lx.append(red[:, at : at + j])
            at += j
    else:
        ns, t1s, t2s, lcs, lq, lx, at = [], [], [], [], [], [], 1
        for j, need, _d, mom in dims:
            if mom is not None:
                lcm_d = mom[3]
                ns.append(red[:, at])
                t1s.append(red[:, at + 1] / lcm_d)
                t2s.append(red[:, at + 2] / (lcm_d * lcm_d))
                lcs.append(red[:, at + 3])
                lq.append(red[:, at + 4])
                lx.append(red[:, at + 5 : at + 5 + j])
                at += 5 + j
            else:
                w = j + 1
                n_d, t1_d, t2_d = _formulas.score_moments(
                    red[:, at : at + w], red[:, at + w : at + 2 * w],
                    red[:, at + 2 * w : at + 3 * w], need,
                )  # fmt: skip
                ns.append(n_d)
                t1s.append(t1_d)
                t2s.append(t2_d)
                lcs.append(red[:, at + 3 * w])
                lx.append(red[:, at + 3 * w + 1 : at + 4 * w])
                lq.append(red[:, at + 4 * w])
                at += 4 * j + 5
        n = np.stack(ns) if ns else np.zeros((0, red.shape[0]), np.int64)
        t1 = np.stack(t1s) if t1s else np.zeros((0, red.shape[0]))
        t2 = np.stack(t2s) if t2s else np.zeros((0, red.shape[0]))
        lc = np.stack(lcs) if lcs else np.zeros((0, red.shape[0]), np.int64)
    return CellMoments(
        n, t1, t2, lc, lq, lx, np.ascontiguousarray(red[:, 0]), base_n,
        unit[0].astype(np.int64), unit[1], unit[2],
    )  # fmt: skip


def _cell_moments_compiled(  # noqa: PLR0917
    cells: Cells,
    base_unit: npt.NDArray[np.intp],
    n_units: int,
    n_resp: _I,
    dims: list[DimInput],
    parent: npt.NDArray[np.intp] | None,
    packed: _I | None = None,
    k: int | None = None,
) -> CellMoments:
    """:func:`cell_moments` of exact moments in one compiled call, with the same values.

    *packed*: the fields in the kernel's layout already (from :mod:`.._smallkernel`).
    """
    from leercultuur.scoring._cellkernels import cell_sums

    n_dims = len(dims)
    width = 1 + 5 * n_dims
    sizes = tuple(j for j, _n, _d, _m in dims)
    lcms = tuple(mom[3] for _j, _n, _d, mom in dims if mom is not None)
    lx_at, lcm12, longest = _layout(sizes, lcms)
    if packed is not None:
        fm = packed
    else:
        fm = np.empty((int(lx_at[-1]), n_resp.shape[0]), dtype=np.int64)
        fm[0] = n_resp
        for i, (j, _need, d, mom) in enumerate(dims):
            assert mom is not None
            fm[1 + i] = mom[0]
            fm[1 + n_dims + i] = mom[1]
            fm[1 + 2 * n_dims + i] = mom[2]
            fm[1 + 3 * n_dims + i] = d.lc
            fm[1 + 4 * n_dims + i] = d.lq
            fm[lx_at[i] : lx_at[i] + j] = d.lx.T
    up = parent if cells.tree is not None and parent is not None else _NO_PARENT
    (red, t12, unit_n, unit_t1, unit_t2, scored, below, code, reach, most, same, units, totals,
     anova) = cell_sums(
        fm, cells.pair_cell, cells.pair_base, len(cells.ids), base_unit, up, up is not _NO_PARENT,
        n_dims, lcm12, n_units, width, 0 if k is None else k,
    )  # fmt: skip
    lx = [red[a:b].T for a, b in itertools.pairwise(lx_at.tolist())]
    return CellMoments(
        red[1 : 1 + n_dims], t12[:n_dims], t12[n_dims:], red[1 + 3 * n_dims : 1 + 4 * n_dims],
        list(red[1 + 4 * n_dims : width]), lx, red[0], list(fm[1 : 1 + n_dims]),
        unit_n, unit_t1, unit_t2, scored[0].tolist(),
        (bool(same), int(units), totals.tolist(), *anova.tolist()),
        (red, t12, lx_at, int(most), longest), scored[1].tolist(),
        None if k is None else (below, code, reach),
    )  # fmt: skip


@functools.lru_cache(maxsize=64)
def _layout(sizes: tuple[int, ...], lcms: tuple[int, ...]) -> tuple[npt.NDArray[np.intp], _F, int]:
    """Where each dimension's listwise sums start (and end), ``L`` and ``L**2``, the longest.

    Per instrument and ``need``; the arrays are read-only (``L`` then ``L**2`` per dimension,
    float64).
    """
    lx_at = np.cumsum((1 + 5 * len(sizes), *sizes), dtype=np.intp)
    lcm12 = np.asarray([*lcms, *(v * v for v in lcms)], dtype=np.float64)
    for arr in (lx_at, lcm12):
        arr.setflags(write=False)
    return lx_at, lcm12, max(sizes, default=0)


def publish(
    sums: CellMoments,
    hide: list[npt.NDArray[np.bool_]],
    *,
    k: int,
    size: int,
    lo: int,
    confidence: float,
) -> list[tuple[_I, _F, _F, _F, _F, _F, npt.NDArray[np.bool_], _I]]:
    """The published arrays per dimension; withheld cells (*hide*) hold NaN.

    Per cell: n, POMP mean, sd and interval half-width, raw mean, rwg(j), its truncation and
    the complete answers. Elementwise over the ``(D, cells)`` stack, so the values are those
    of one row at a time; rwg(j) for the dimensions of one length at once (row by row, so the
    same values).
    """
    n_dims, n_cells = sums.n.shape
    if not n_dims:
        return []
    if sums.stack is not None:
        red, t12, lx_at, most, longest = sums.stack
        # every squared listwise item sum and their sum per cell are exact integers in
        # float64, so the kernel's order of that sum gives the numpy route's value
        if most * most * max(longest, 1) < 1 << 53:
            return _publish_compiled(sums, red, t12, lx_at, hide, k, size, lo, confidence)
    by_len: dict[int, list[int]] = {}
    for i, lx in enumerate(sums.lx):
        by_len.setdefault(lx.shape[1], []).append(i)
    if len(by_len) == 1:  # one length for all (the usual case): the stack as it is
        rwg_g, trunc_g = _formulas.rwg_j(
            sums.lc.reshape(-1),
            np.concatenate(sums.lx, dtype=np.float64),
            np.concatenate(sums.lq),
            size,
        )
        rwg_all, trunc_all = rwg_g.reshape(n_dims, n_cells), trunc_g.reshape(n_dims, n_cells)
    else:
        rwgs: list[_F] = [np.empty(0)] * n_dims
        truncs: list[npt.NDArray[np.bool_]] = [np.empty(0, dtype=bool)] * n_dims
        for group in by_len.values():
            rwg_g, trunc_g = _formulas.rwg_j(
                sums.lc[group].reshape(-1),
                np.concatenate([sums.lx[i] for i in group], dtype=np.float64),
                np.concatenate([sums.lq[i] for i in group]),
                size,
            )
            for t, i in enumerate(group):
                rwgs[i] = rwg_g[t * n_cells : (t + 1) * n_cells]
                truncs[i] = trunc_g[t * n_cells : (t + 1) * n_cells]
        rwg_all, trunc_all = np.stack(rwgs), np.stack(truncs)
    n2, t1_2, t2_2, lc2 = sums.n, sums.t1, sums.t2, sums.lc
    many = n2 > 1
    df = np.maximum(n2 - 1, 1)
    safe_n = np.maximum(n2, 1).astype(np.float64)
    mean = t1_2 / safe_n  # finite sums over n >= 1: no warnings to silence
    var = np.where(many, np.maximum(t2_2 - t1_2 * mean, 0.0) / df, 0.0)
    sd = np.sqrt(var)
    # a cell of one score has sd 0, so its interval is 0 whatever the quantile of df 1
    half = t_quantile_whole((1 + confidence) / 2, df) * sd / np.sqrt(safe_n)
    scale = 100.0 / (size - 1)
    # mean, sd, half-width (POMP), raw mean, rwg(j): one block, withheld cells set to NaN at
    # once (withheld values never leave score(), not even in internal arrays)
    out = np.empty((5, n_dims, n_cells))
    np.multiply(mean - 1, scale, out=out[0])
    np.multiply(sd, scale, out=out[1])
    np.multiply(half, scale, out=out[2])
    np.subtract(mean + lo, 1, out=out[3])
    out[4] = rwg_all
    np.copyto(out, np.nan, where=np.array(hide))
    np.copyto(out[4], np.nan, where=lc2 < k)
    return [
        (n2[i], out[0, i], out[1, i], out[2, i], out[3, i], out[4, i], trunc_all[i], lc2[i])
        for i in range(n_dims)
    ]


def _publish_compiled(  # noqa: PLR0917
    sums: CellMoments,
    red: _I,
    t12: _F,
    lx_at: npt.NDArray[np.intp],
    hide: list[npt.NDArray[np.bool_]],
    k: int,
    size: int,
    lo: int,
    confidence: float,
) -> list[tuple[_I, _F, _F, _F, _F, _F, npt.NDArray[np.bool_], _I]]:
    """:func:`publish` in one compiled call (:func:`._cellkernels.publish_cells`)."""
    from leercultuur.scoring._cellkernels import publish_cells

    n2, lc2 = sums.n, sums.lc
    p = (1 + confidence) / 2
    args = (red, t12, n2.shape[0], lx_at, t_table(p))
    rest = (np.array(hide), k, size, lo, 100.0 / (size - 1))
    out, trunc, missing = publish_cells(*args, _NO_Q, *rest)
    if missing:  # quantiles not tabled yet: computed (and tabled) as the numpy route does
        q = t_quantile_whole(p, np.maximum(n2 - 1, 1))
        out, trunc, _missing = publish_cells(*args, q, *rest)
    return [
        (n2[i], out[0, i], out[1, i], out[2, i], out[3, i], out[4, i], trunc[i], lc2[i])
        for i in range(n2.shape[0])
    ]
