"""The closed-form statistics, each from exact integer sums (sources cited per function)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = [
    "alpha_from_cov",
    "covariance",
    "exact_moments",
    "icc",
    "listwise_covariance",
    "needed_items",
    "omega_total",
    "omega_totals",
    "rwg_j",
    "score_moments",
]

_I = npt.NDArray[np.int64]
_F = npt.NDArray[np.float64]


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
    big = int(pn.max())
    top = max(int(np.abs(pq).max()) * big, int(np.abs(pp).max()) ** 2)
    if 2 * top < 1 << 53 and big * (big - 1) < 1 << 53:
        # exact in int64 and float64, and one correctly rounded division: the same values
        nums = pn * pq - pp * pp.T
        return nums.astype(np.float64) / (pn * (pn - 1)).astype(np.float64)
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
    den = wn * (wn - 1)
    top = max(int(np.abs(wq).max(initial=0)) * wn, int(np.abs(wx).max(initial=0)) ** 2)
    if 2 * top < 1 << 53 and den < 1 << 53:
        # every integer is exact in int64 and float64: one float division, correctly rounded
        # as Python's int / int below is, so the same values
        nums = wn * wq - np.multiply.outer(wx, wx)
        return nums.astype(np.float64) / float(den)
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
    Newton's method on the gradient until the step is below *tol* (or, below 1e-9, stops
    halving: rounding noise). If a communality would
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
    diag = np.diag_indices(j)
    solve = np.linalg.solve
    prev = math.inf
    for _ in range(100):
        if not float(np.abs(lam).max()) <= 1e3:
            break  # diverging or not finite: the capped principal-axis fallback below takes over
        l2 = lam * lam
        sq = float(l2.sum())
        grad = lam * (sq - l2) - off @ lam
        hess = 2.0 * np.multiply.outer(lam, lam) - off
        hess[diag] = sq - l2
        try:
            step = solve(hess, grad)
        except np.linalg.LinAlgError:
            break
        lam = lam - step
        size = float(np.abs(step).max())
        if not math.isfinite(size) or size < tol or (size < 1e-9 and size >= prev / 2):
            break  # converged, or down to rounding noise (quadratic convergence has stopped)
        prev = size
    if not np.all(np.isfinite(lam)) or np.any(np.abs(lam) > 1.0):
        lam, h = paf(h, max_iter, tol)
    if lam.sum() < 0:
        lam = -lam
    return float(lam.sum()) ** 2 / float(r.sum()), lam


def omega_totals(rs: list[_F], *, tol: float = 1e-13) -> list[tuple[float, _F]]:
    """:func:`omega_total` of several correlation matrices at once, with the same results.

    Matrices of one size are stacked, so each step of the start and of Newton's method is one
    set of numpy calls for all of them; every stacked call (``inv``, ``eigh``, ``solve``,
    ``matmul``) runs the same routine on each matrix as the single call does, so the values
    are those of :func:`omega_total` bit for bit (a test checks it). A matrix that leaves the
    common path (a singular start, a singular Hessian, a step that diverges, a Heywood case)
    is finished by :func:`omega_total`.
    """
    out: list[tuple[float, _F] | None] = [None] * len(rs)
    sizes: dict[int, list[int]] = {}
    for i, r in enumerate(rs):
        sizes.setdefault(r.shape[0], []).append(i)
    for j, idx in sizes.items():
        if len(idx) == 1:
            out[idx[0]] = omega_total(rs[idx[0]], tol=tol)
            continue
        for i, res in zip(idx, _omega_stack([rs[i] for i in idx], j, tol), strict=True):
            out[i] = res if res is not None else omega_total(rs[i], tol=tol)
    return [o for o in out if o is not None]


def _omega_stack(rs: list[_F], j: int, tol: float) -> list[tuple[float, _F] | None]:
    """The common path of :func:`omega_total` for a stack of ``j x j`` matrices (None: leave)."""
    r = np.stack(rs)
    m = r.shape[0]
    eye = np.eye(j)
    try:
        inv = np.linalg.inv(r)
    except np.linalg.LinAlgError:
        return [None] * m
    with np.errstate(all="ignore"):
        h = 1.0 - 1.0 / np.diagonal(inv, axis1=1, axis2=2)
        bad = ~np.all(np.isfinite(h) & (h >= 0) & (h <= 1), axis=1)
    if bad.any():
        h[bad] = np.abs(r[bad] - eye).max(axis=2)
    # one principal-axis step (paf(h, 1, tol) of omega_total)
    rh = r.copy()
    di = np.arange(j)
    rh[:, di, di] = h
    vals, vecs = np.linalg.eigh(rh)
    lam = vecs[:, :, -1] * np.sqrt(np.maximum(vals[:, -1], 0.0))[:, None]
    off = r.copy()
    off[:, di, di] = 0.0
    active = np.arange(m)
    left = np.zeros(m, dtype=bool)
    prev = np.full(m, math.inf)
    for _ in range(100):
        full = active.size == m  # the usual case: no copies of the stack
        la = lam if full else lam[active]
        offa = off if full else off[active]
        fine = np.abs(la).max(axis=1) <= 1e3
        if not fine.all():
            left[active[~fine]] = True  # diverging: omega_total's fallback takes over
            active, la, offa, full = active[fine], la[fine], offa[fine], False
            if active.size == 0:
                break
        l2 = la * la
        rest = l2.sum(axis=1, keepdims=True) - l2
        prod = np.matmul(offa, la[:, :, None])[:, :, 0]  # per matrix as off @ lam
        grad = la * rest - prod
        hess = 2.0 * (la[:, :, None] * la[:, None, :]) - offa
        hess[:, di, di] = rest
        try:
            step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            left[active] = True
            break
        if full:
            lam = la - step
        else:
            lam[active] = la - step
        size = np.abs(step).max(axis=1)
        stop = ~np.isfinite(size) | (size < tol) | ((size < 1e-9) & (size >= prev[active] / 2))
        prev[active] = size
        if stop.any():
            active = active[~stop]
            if active.size == 0:
                break
    res: list[tuple[float, _F] | None] = []
    for t in range(m):
        lt = lam[t].copy()
        if left[t] or not np.all(np.isfinite(lt)) or np.any(np.abs(lt) > 1.0):
            res.append(None)
            continue
        if lt.sum() < 0:
            lt = -lt
        res.append((float(lt.sum()) ** 2 / float(rs[t].sum()), lt))
    return res


def rwg_j(lc: _I, lx: _I | _F, lq: _I, size: int) -> tuple[_F, npt.NDArray[np.bool_]]:
    """rwg(j) per row from listwise item sums (James, Demaree & Wolf 1984).

    ``S = mean_j var_j`` (ddof 1, over respondents who answered every item), the uniform null
    variance ``s2 = (A**2 - 1) / 12``, ``rwg(j) = J (1 - S/s2) / (J (1 - S/s2) + S/s2)``, set to 0
    when ``S > s2`` (LeBreton & Senter 2008). Rows with fewer than two complete respondents get
    NaN here and a typed status upstream. Returns the values and the truncation flags.
    """
    j = lx.shape[1]
    ok = lc >= 2
    n = np.where(ok, lc, 2.0)  # float64
    lxf = lx if lx.dtype == np.float64 else lx.astype(np.float64)
    # sums of squared integer sums, exact below 2**53 in any order (few rows: one product
    # and a reduction cost less than einsum's setup; many: einsum needs no temporary)
    sq = np.add.reduce(lxf * lxf, axis=1) if lxf.size <= 4096 else np.einsum("ij,ij->i", lxf, lxf)
    total = n * lq - sq
    mean_var = total / (n * (n - 1)) / j
    null = (size * size - 1) / 12.0
    ratio = mean_var / null
    truncated = ratio > 1
    safe = np.where(truncated, 0.0, ratio)  # the denominator J - (J - 1) r >= 1 for r <= 1
    part = j * (1 - safe)
    rwg = np.where(truncated, 0.0, part / (part + safe))
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
