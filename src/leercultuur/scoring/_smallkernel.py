"""The compiled sums of a small survey (numba): one pass over the rows, no pattern tables.

Imported only by the accelerated route of :func:`leercultuur.score` for surveys of at most
:data:`~leercultuur.scoring._small.KERNEL_ROWS` rows. Per row and dimension the kernel keys the
answers (``x' = A + 1 - x`` for a reverse item, in answer codes ``1..A``), counts the answered
items and adds, per base cell, the scale score's exact moments ``T1 = s L / m`` and ``T2 =
T1**2`` (``L = lcm(need..J)``) and the listwise sums for rwg(j); alpha's pairwise and listwise
sums are added per row directly. Every value is an integer, summed in int64 below ``2**62``
(checked), so the sums equal those of :mod:`._small` and :mod:`._fast` exactly.

The per-cell sums are written in the layout the compiled cell-sum kernel reads
(:func:`~leercultuur.scoring._cellkernels.cell_sums`), so nothing is copied between them.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from leercultuur._accel import jit
from leercultuur.scoring._fast import DimMoments, _lcm
from leercultuur.scoring._stats import per_layout

__all__ = ["kernel_small_moments"]

_I = npt.NDArray[np.int64]
_I32 = npt.NDArray[np.int32]
_U8 = npt.NDArray[np.uint8]
_Plan = tuple[_I, _I, npt.NDArray[np.uint8], tuple[int, ...]]


@jit
def _sums(  # noqa: PLR0917
    codes: _U8,
    unit_of: _I32,
    attrs: _I32,
    mults: _I,
    radix: int,
    offset: int,
    nk: int,
    cols: _I,
    jn: _I,
    rev: _U8,
    size: int,
    needs: _I,
    quot: _I,
    agreement: bool,
) -> tuple[_I, _I, _I]:
    """Per base cell the fields (``fm``), alpha's matrices and scalars, per dimension.

    ``fm`` rows: respondents, then per dimension scores, ``T1``, ``T2``, complete rows, their
    sum of squares, then each dimension's ``J`` listwise item sums. ``gram[d]``: pairwise
    counts, keyed-by-present, keyed products, listwise products; ``scal[d]``: listwise count,
    the scored rows' sum of squared totals, listwise item sums.
    """
    n = codes.shape[0]
    n_dims = cols.shape[0]
    jm = cols.shape[1]
    n_attrs = attrs.shape[0]
    width = 1 + 5 * n_dims
    for d in range(n_dims):
        width += jn[d]
    fm = np.zeros((width, nk), dtype=np.int64)
    gram = np.zeros((n_dims, 4, jm, jm), dtype=np.int64)
    scal = np.zeros((n_dims, 2 + jm), dtype=np.int64)
    kb = np.zeros(jm, dtype=np.int64)
    pb = np.zeros(jm, dtype=np.int64)
    keys = np.empty(n, dtype=np.int64)
    top = size + 1
    resp = fm[0]
    for r in range(n):
        key = np.int64(unit_of[r]) * radix + offset
        for a in range(n_attrs):
            key += np.int64(attrs[a, r]) * mults[a]
        resp[key] += 1
        keys[r] = key
    lx_at = 1 + 5 * n_dims
    for d in range(n_dims):  # one dimension at a time: its rows and matrices at hand
        j = jn[d]
        need = needs[d]
        cd = cols[d]
        qd = quot[d]
        sd = scal[d]
        g0, g1, g2, g3 = gram[d, 0], gram[d, 1], gram[d, 2], gram[d, 3]
        f_n, f_t1, f_t2 = fm[1 + d], fm[1 + n_dims + d], fm[1 + 2 * n_dims + d]
        f_lc, f_lq = fm[1 + 3 * n_dims + d], fm[1 + 4 * n_dims + d]
        wn = 0
        s2 = 0
        for r in range(n):
            key = keys[r]
            total = 0
            answered = 0
            for u in range(j):
                col = cd[u]
                c = int(codes[r, col])
                if c > 0:
                    if rev[col]:
                        c = top - c
                    pb[u] = 1
                    answered += 1
                    total += c
                else:
                    pb[u] = 0
                kb[u] = c
            if answered >= need:
                t1 = total * qd[answered]  # = total * L / answered, exactly
                f_n[key] += 1
                f_t1[key] += t1
                f_t2[key] += t1 * t1
                s2 += total * total
            if answered == j:
                # a complete row: its pairwise terms are the listwise ones (added below)
                wn += 1
                sq = 0
                for u in range(j):
                    ku = kb[u]
                    sd[2 + u] += ku
                    sq += ku * ku
                    for v in range(u, j):
                        g3[u, v] += kb[v] * ku
                if agreement:
                    f_lc[key] += 1
                    f_lq[key] += sq
                    for u in range(j):
                        fm[lx_at + u, key] += kb[u]
            else:
                for u in range(j):
                    if pb[u] == 0:
                        continue
                    ku = kb[u]
                    for v in range(j):
                        g0[u, v] += pb[v]
                        g1[u, v] += pb[v] * ku
                        g2[u, v] += kb[v] * ku
        sd[0] = wn
        sd[1] = s2
        for u in range(j):
            for v in range(u):
                g3[u, v] = g3[v, u]
            for v in range(j):
                g0[u, v] += wn
                g1[u, v] += sd[2 + u]
                g2[u, v] += g3[u, v]
        lx_at += j
    return fm, gram, scal


def _plan(columns: tuple[npt.NDArray[np.intp], ...], reverse: npt.NDArray[np.bool_]) -> _Plan:
    """The padded columns, dimension sizes, reverse flags and sizes, kept per layout."""
    return per_layout(columns, reverse, "small kernel", _padded)


def _padded(columns: tuple[npt.NDArray[np.intp], ...], reverse: npt.NDArray[np.bool_]) -> _Plan:
    jm = max(c.size for c in columns)
    cols = np.zeros((len(columns), jm), dtype=np.int64)
    for d, c in enumerate(columns):
        cols[d, : c.size] = c
    jn = np.asarray([c.size for c in columns], dtype=np.int64)
    rev = reverse.astype(np.uint8)
    for arr in (cols, jn, rev):
        arr.setflags(write=False)
    return cols, jn, rev, tuple(c.size for c in columns)


@functools.lru_cache(maxsize=64)
def _quotients(
    sizes: tuple[int, ...], needs: tuple[int, ...], size: int
) -> tuple[tuple[int, ...], _I, _I, int]:
    """Per dimension ``L = lcm(need..J)``, the needs, ``L // m`` per answered count ``m``.

    Also the largest per-respondent value summed (``(A L)**2`` or ``A**2 J``).
    """
    lcms = tuple(_lcm(need, j) for need, j in zip(needs, sizes, strict=True))
    quot = np.zeros((len(sizes), max(sizes) + 1), dtype=np.int64)
    top = 1
    for d, (j, need, big) in enumerate(zip(sizes, needs, lcms, strict=True)):
        for m in range(need, j + 1):
            quot[d, m] = big // m
        top = max(top, (size * big) ** 2, size * size * j)
    need_arr = np.asarray(needs, dtype=np.int64)
    for arr in (need_arr, quot):
        arr.setflags(write=False)
    return lcms, need_arr, quot, top


@functools.lru_cache(maxsize=64)
def _int64(values: tuple[int, ...]) -> _I:
    """*values* as a read-only int64 array."""
    out = np.asarray(values, dtype=np.int64)
    out.setflags(write=False)
    return out


def kernel_small_moments(  # noqa: PLR0917
    codes: _U8,
    unit_of: _I32,
    attrs: _I32,
    design: tuple[tuple[int, ...], int, int],
    nk: int,
    columns: tuple[npt.NDArray[np.intp], ...],
    reverse: npt.NDArray[np.bool_],
    size: int,
    needs: list[int],
    *,
    agreement: bool = True,
) -> tuple[_I, list[DimMoments], _I] | None:
    """Each base cell's respondents, every dimension's :class:`DimMoments`, and ``fm``.

    *design* holds the attributes' place values, the radix and the keys' offset (base key
    ``unit * radix + offset + sum(code * mult)``, see
    :meth:`~leercultuur.scoring._design.Design.base_keys`); the base cells are dense
    (``0 .. nk - 1``). ``None`` (the numpy route) when there are no dimensions or a sum could
    leave int64's exact range.
    """
    if not columns:
        return None
    n = codes.shape[0]
    cols, jn, rev, sizes = _plan(columns, reverse)
    lcms, need_arr, quot, top = _quotients(sizes, tuple(needs), size)
    if (n + 1) * top >= 1 << 62:
        return None
    mults, radix, offset = design
    fm, gram, scal = _sums(
        codes, unit_of, attrs, _int64(mults), radix, offset, nk, cols, jn, rev, size, need_arr,
        quot, agreement,
    )  # fmt: skip
    n_dims = len(columns)
    out = []
    lx_at = 1 + 5 * n_dims
    for d, c in enumerate(columns):
        j = c.size
        g, s = gram[d], scal[d]
        out.append(
            DimMoments(
                fm[1 + d], fm[1 + n_dims + d], fm[1 + 2 * n_dims + d], lcms[d],
                fm[1 + 3 * n_dims + d], fm[1 + 4 * n_dims + d], fm[lx_at : lx_at + j].T,
                g[0, :j, :j], g[1, :j, :j], g[2, :j, :j], int(s[0]), s[2 : 2 + j],
                g[3, :j, :j], needs[d], int(s[1]),
            )
        )  # fmt: skip
        lx_at += j
    return fm[0], out, fm
