"""Exact sufficient statistics of a survey, accumulated in row chunks and merged by addition.

Likert codes are small integers, so every sum the statistics need (counts, sums, sums of
squares and cross-products of keyed codes) is an exact integer. They are accumulated per
*base cell* (a respondent's own unit combined with their cross-cut values) and per dimension;
every published cell is a union of base cells. Chunks merge by adding integers, so chunked
scoring equals whole scoring bit for bit.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.scoring._patterns import MAX_PATTERNS, PatternTables, pack_groups

__all__ = ["DimStats", "Layout", "SufficientStats", "accumulate"]

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
    if dense_size is not None:
        keys = np.arange(dense_size, dtype=np.int64)
        inv_all = base.astype(np.intp, copy=False)
    else:
        keys, inv = np.unique(base, return_inverse=True)
        inv_all = inv.astype(np.intp, copy=False).reshape(-1)
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


def needed_items(n_items: int, min_answered: float) -> int:
    """The number of answered items a scale score needs: ``max(1, ceil(min_answered * J))``."""
    return max(1, math.ceil(min_answered * n_items - 1e-9))


def score_moments(cnt: _I, s1: _I, s2: _I, need: int) -> tuple[_I, _F, _F]:
    """Per row: the number of scale scores, their sum and their sum of squares (code scale).

    A respondent with ``m >= need`` answered items has score ``s / m``; so the sums are
    ``sum_m s1[:, m] / m`` and ``sum_m s2[:, m] / m**2`` over the exact integer sums.
    """
    j = cnt.shape[1] - 1
    ms = np.arange(need, j + 1, dtype=np.float64)
    n = cnt[:, need:].sum(axis=1)
    t1 = (s1[:, need:] / ms).sum(axis=1)
    t2 = (s2[:, need:] / (ms * ms)).sum(axis=1)
    return n, t1, t2


def exact_moments(cnt: _I, s1: _I, s2: _I, need: int, fanout: int) -> tuple[_I, _I, _I, int] | None:
    """Scale-score moments as exact integers: ``(n, T1, T2, L)`` with ``L = lcm(need..J)``.

    ``T1 = sum_m s1[:, m] * L/m`` and ``T2 = sum_m s2[:, m] * (L/m)**2``, so the sum of scores is
    ``T1 / L`` and of squared scores ``T2 / L**2``. ``None`` when sums over *fanout* cells per
    base cell could overflow int64 (then use :func:`score_moments`).
    """
    j = cnt.shape[1] - 1
    ms = list(range(need, j + 1))
    if not ms:
        return None
    big = math.lcm(*ms)
    f = np.asarray([big // m for m in ms], dtype=np.int64)
    bound = (int(s2[:, need:].sum()) + 1) * int(f[0]) ** 2 * max(1, fanout)
    if bound >= 1 << 62:
        return None
    n = cnt[:, need:].sum(axis=1)
    return n, s1[:, need:] @ f, s2[:, need:] @ (f * f), big


def covariance(pn: _I, pp: _I, pq: _I) -> _F | None:
    """The pairwise-complete covariance matrix, as ``pandas.DataFrame.cov`` computes it.

    ``None`` if some pair has fewer than two respondents. Integer numerators keep it exact.
    """
    if int(pn.min()) < 2:
        return None
    j = pn.shape[0]
    out = np.empty((j, j), dtype=np.float64)
    for a in range(j):
        for b in range(j):
            n = int(pn[a, b])
            num = n * int(pq[a, b]) - int(pp[a, b]) * int(pp[b, a])
            out[a, b] = num / (n * (n - 1))
    return out


def listwise_covariance(wn: int, wx: _I, wq: _I) -> _F | None:
    """The covariance matrix over respondents who answered every item; ``None`` if fewer than 2."""
    if wn < 2:
        return None
    j = wx.size
    out = np.empty((j, j), dtype=np.float64)
    for a in range(j):
        for b in range(j):
            out[a, b] = (wn * int(wq[a, b]) - int(wx[a]) * int(wx[b])) / (wn * (wn - 1))
    return out


def alpha_from_cov(c: _F) -> float | None:
    """Cronbach's alpha ``J/(J-1) (1 - tr C / sum C)`` (Cronbach 1951); ``None`` if undefined."""
    j = c.shape[0]
    total = float(c.sum())
    if j < 2 or not total > 0:
        return None
    return float(j / (j - 1) * (1.0 - float(np.trace(c)) / total))


def omega_total(r: _F, *, tol: float = 1e-13, max_iter: int = 5000) -> tuple[float, _F]:
    """McDonald's omega total from a one-factor minres (ULS) fit of the correlation matrix *r*.

    The loadings ``lam`` minimise the unweighted least squares (minres) loss
    ``F(lam) = sum_{i != j} (r_ij - lam_i lam_j)**2`` (Harman 1976): a stationary point, where
    ``sum_{j != i} r_ij lam_j = lam_i sum_{j != i} lam_j**2`` for every ``i``, found by one
    iteration of principal-axis factoring (communalities on the diagonal, the leading
    eigenpair, communalities ``lam**2``; started from squared multiple correlations) and then
    Newton's method on the gradient until the step is below *tol*. If a communality would
    exceed 1 (a Heywood case), principal-axis iteration with communalities capped at 1 is run
    to convergence instead. The sign makes ``sum lam >= 0``. Then
    ``omega = (sum lam)**2 / sum(R)`` (McDonald 1999): the share of the variance of the
    standardised total explained by the common factor.
    """
    j = r.shape[0]
    try:
        inv = np.linalg.inv(r)
        with np.errstate(all="ignore"):  # a non-finite start is rejected just below
            h = 1.0 - 1.0 / np.diag(inv)
        if not np.all(np.isfinite(h)) or np.any(h < 0) or np.any(h > 1):
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        h = np.abs(r - np.eye(j)).max(axis=1)

    def paf(h: _F, steps: int, stop: float) -> tuple[_F, _F]:
        lam = np.sqrt(np.clip(h, 0.0, 1.0))
        for _ in range(steps):
            rh = r.copy()
            np.fill_diagonal(rh, h)
            vals, vecs = np.linalg.eigh(rh)
            lam = vecs[:, -1] * math.sqrt(max(float(vals[-1]), 0.0))
            new = np.minimum(lam * lam, 1.0)
            done = float(np.max(np.abs(new - h))) < stop
            h = new
            if done:
                break
        return lam, h

    lam, h = paf(h, 1, tol)
    off = r - np.diag(np.diag(r))
    for _ in range(100):
        if not np.all(np.isfinite(lam)) or float(np.max(np.abs(lam))) > 1e3:
            break  # diverging: the capped principal-axis fallback below takes over
        sq = float(lam @ lam)
        grad = -(off @ lam) + lam * (sq - lam * lam)
        hess = -off + 2.0 * np.outer(lam, lam)
        np.fill_diagonal(hess, sq - lam * lam)
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            break
        lam = lam - step
        if not np.all(np.isfinite(step)) or float(np.max(np.abs(step))) < tol:
            break
    if not np.all(np.isfinite(lam)) or np.any(np.abs(lam) > 1.0):
        lam, h = paf(h, max_iter, tol)
    if lam.sum() < 0:
        lam = -lam
    return float(lam.sum()) ** 2 / float(r.sum()), lam


def rwg_j(lc: _I, lx: _I, lq: _I, size: int) -> tuple[_F, npt.NDArray[np.bool_]]:
    """rwg(j) per row from listwise item sums (James, Demaree & Wolf 1984).

    ``S = mean_j var_j`` (ddof 1, over respondents who answered every item), the uniform null
    variance ``s2 = (A**2 - 1) / 12``, ``rwg(j) = J (1 - S/s2) / (J (1 - S/s2) + S/s2)``, set to 0
    when ``S > s2`` (LeBreton & Senter 2008). Rows with fewer than two complete respondents get
    NaN here and a typed status upstream. Returns the values and the truncation flags.
    """
    j = lx.shape[1]
    ok = lc >= 2
    n = np.where(ok, lc, 2).astype(np.float64)[:, None]
    total = n[:, 0] * lq - (lx.astype(np.float64) ** 2).sum(axis=1)
    mean_var = total / (n[:, 0] * (n[:, 0] - 1)) / j
    null = (size * size - 1) / 12.0
    ratio = mean_var / null
    truncated = ratio > 1
    safe = np.where(truncated, 0.0, ratio)  # the denominator J - (J - 1) r >= 1 for r <= 1
    rwg = np.where(truncated, 0.0, j * (1 - safe) / (j * (1 - safe) + safe))
    return np.where(ok, rwg, np.nan), truncated & ok


def icc(n: _I, t1: _F, t2: _F) -> tuple[float, float, float, float, int, int] | None:
    """One-way ANOVA over units with scores: ``(msb, msw, k0, k_mean, J, N)`` (Bliese 2000).

    Rows with ``n == 0`` are ignored; ``None`` when fewer than two units or ``N <= J``.
    """
    keep = n > 0
    nn = n[keep].astype(np.float64)
    units = int(keep.sum())
    total = int(n[keep].sum())
    if units < 2 or total <= units:
        return None
    mean = t1[keep] / nn
    grand = float(t1[keep].sum()) / total
    ssb = float((nn * (mean - grand) ** 2).sum())
    ssw = float(np.maximum(t2[keep] - t1[keep] * mean, 0.0).sum())
    msb = ssb / (units - 1)
    msw = ssw / (total - units)
    k0 = (total - float((nn * nn).sum()) / total) / (units - 1)
    return msb, msw, k0, total / units, units, total
