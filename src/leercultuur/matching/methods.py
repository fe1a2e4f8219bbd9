"""Aggregation methods on a plain decision matrix: weighted sum and TOPSIS, batched.

Both accept one decision matrix of shape ``(I, C)`` (alternatives x criteria)
or a stack of them, ``(P, I, C)``, one per profile, and return scores of shape
``(I,)`` or ``(P, I)``. Weights are ``(C,)`` (shared) or ``(P, C)`` (one row
per profile); they are normalised to sum to 1. ``benefit[c]`` is true when
more is better on criterion ``c`` and false for a cost criterion.

>>> import numpy as np
>>> m = np.array([[250.0, 16, 12], [200, 16, 8], [300, 32, 16], [275, 32, 8]])
>>> w = np.array([0.4, 0.3, 0.3]); benefit = np.array([False, True, True])
>>> np.round(topsis(m, w, benefit), 4)
array([0.361 , 0.3538, 0.6462, 0.4477])
>>> rank_order(topsis(m, w, benefit)).tolist()
[2, 3, 0, 1]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leercultuur.errors import Problem, ValidationError

__all__ = ["rank_order", "ranks", "top_k", "topsis", "weighted_sum"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
_CHUNK_BYTES = 1 << 21  # a chunk of the decision tensor that stays in the L2/L3 cache


def _prepare(
    matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_], bool]:
    """Check the inputs; return a (P, I, C) tensor, (P or 1, C) weights, (C,) benefit, squeeze."""
    x = np.asarray(matrix, dtype=np.float64)
    problems: list[tuple[str, str]] = []
    if x.ndim not in (2, 3):
        raise ValidationError.single("matrix", f"expected shape (I, C) or (P, I, C), got {x.shape}")
    squeeze = x.ndim == 2
    if squeeze:
        x = x[None]
    n_crit = x.shape[-1]
    w = np.asarray(weights, dtype=np.float64)
    b = np.asarray(benefit)
    if w.ndim == 1:
        w = w[None]
    if w.ndim != 2 or w.shape[-1] != n_crit or w.shape[0] not in (1, x.shape[0]):
        problems.append(("weights", f"expected shape ({n_crit},) or ({x.shape[0]}, {n_crit})"))
    elif not np.all(np.isfinite(w)) or np.any(w < 0):
        problems.append(("weights", "expected finite numbers >= 0"))
    elif np.any(w.sum(axis=1) <= 0):
        problems.append(("weights", "expected at least one positive weight"))
    if b.shape != (n_crit,) or b.dtype != np.bool_:
        problems.append(("benefit", f"expected {n_crit} booleans"))
    if not np.all(np.isfinite(x)):
        bad = np.argwhere(~np.isfinite(x))[0]
        where = ", ".join(str(int(v)) for v in (bad[1:] if squeeze else bad))
        problems.append((f"matrix[{where}]", "expected a finite number (NaN and inf are refused)"))
    if problems:
        raise ValidationError(Problem(where, what) for where, what in problems)
    w = w / w.sum(axis=1, keepdims=True)
    return x, w, b.astype(np.bool_), squeeze


def weighted_sum(matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike) -> FloatArray:
    """The weighted sum model with min-max normalisation per criterion.

    Each column is rescaled to ``(x - min) / (max - min)`` over the alternatives
    (for a cost criterion ``(max - x) / (max - min)``); a constant column
    scores 0 for every alternative. The score is the weighted sum of the
    rescaled values (Triantaphyllou 2000, *Multi-criteria decision making
    methods: a comparative study*, ch. 2), in ``[0, 1]``.

    >>> import numpy as np
    >>> weighted_sum([[1.0, 10], [3, 20]], [0.5, 0.5], np.array([True, False])).tolist()
    [0.5, 0.5]
    """
    x, w, b, squeeze = _prepare(matrix, weights, benefit)
    lo = x.min(axis=1, keepdims=True)
    hi = x.max(axis=1, keepdims=True)
    span = hi - lo
    r = np.where(b, x - lo, hi - x)
    np.divide(r, span, out=r, where=span > 0)
    r[np.broadcast_to(span <= 0, r.shape)] = 0.0
    out = np.matmul(r, w[..., None] if w.shape[0] > 1 else w[0])
    if w.shape[0] > 1:
        out = out[..., 0]
    res: FloatArray = np.clip(out, 0.0, 1.0)
    return res[0] if squeeze else res


def topsis(matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike) -> FloatArray:
    """TOPSIS closeness with vector normalisation and Euclidean distances.

    Hwang & Yoon (1981, *Multiple attribute decision making*): every column is
    divided by its Euclidean norm over the alternatives and multiplied by its
    weight; the ideal point takes each column's best value (max for benefit,
    min for cost), the anti-ideal its worst; the closeness of an alternative is
    ``d- / (d+ + d-)``. A zero column contributes nothing; an alternative whose
    distances are both zero (all alternatives equal) scores 0.5. This matches
    ``pymcdm.methods.TOPSIS(normalization_function=vector_normalization)`` and
    scikit-criteria's ``mkpipe(VectorScaler(target="matrix"), TOPSIS())``.
    """
    x, w, b, squeeze = _prepare(matrix, weights, benefit)
    out = _topsis_core(x, w, b, None)
    return out[0] if squeeze else out


def _topsis_core(
    x: FloatArray, w: FloatArray, b: NDArray[np.bool_], mask: NDArray[np.bool_] | None
) -> FloatArray:
    """TOPSIS over (P, I, C), chunked over P; *mask* (P, I) leaves alternatives out (NaN)."""
    n_prof, n_alt, n_crit = x.shape
    out = np.empty((n_prof, n_alt), dtype=np.float64)
    if n_alt == 0:
        return out
    step = max(1, _CHUNK_BYTES // max(1, n_alt * n_crit * 8))
    shared = w.shape[0] == 1
    for start in range(0, n_prof, step):
        stop = min(n_prof, start + step)
        xt = np.ascontiguousarray(x[start:stop].transpose(0, 2, 1))  # (B, C, I): criteria-major
        keep = None if mask is None else mask[start:stop, None, :]
        if keep is not None:
            xt = np.where(keep, xt, 0.0)
        norm = np.sqrt(np.einsum("bci,bci->bc", xt, xt))
        wc = w if shared else w[start:stop]
        factor = np.divide(wc, norm, out=np.zeros_like(norm), where=norm > 0)
        xt *= factor[..., None]
        if keep is None:
            hi = xt.max(axis=2)
            lo = xt.min(axis=2)
        else:
            hi = np.where(keep, xt, -np.inf).max(axis=2)
            lo = np.where(keep, xt, np.inf).min(axis=2)
            hi[~np.isfinite(hi)] = 0.0  # a profile with no feasible alternative
            lo[~np.isfinite(lo)] = 0.0
        best = np.where(b, hi, lo)[..., None]
        worst = np.where(b, lo, hi)[..., None]
        d = xt - best
        d *= d
        plus = np.sqrt(d.sum(axis=1))
        np.subtract(xt, worst, out=d)
        d *= d
        minus = np.sqrt(d.sum(axis=1))
        total = plus + minus
        closeness = np.divide(minus, total, out=np.full_like(total, 0.5), where=total > 0)
        if keep is not None:
            closeness[~keep[:, 0, :]] = np.nan
        out[start:stop] = closeness
    return out


def rank_order(scores: ArrayLike) -> IntArray:
    """The alternatives' indices from best to worst; ties (and NaN, last) in index order.

    Works on ``(I,)`` or ``(P, I)`` scores. Higher is better. Exact: it sorts
    packed integer keys (a 52-bit quantised score above the index), then checks
    every row and re-sorts exactly (stable) any row where quantisation merged
    two different scores.

    >>> rank_order([0.2, 0.9, float("nan"), 0.9]).tolist()
    [1, 3, 0, 2]
    """
    s = np.asarray(scores, dtype=np.float64)
    squeeze = s.ndim == 1
    if squeeze:
        s = s[None]
    if s.ndim != 2:
        raise ValidationError.single("scores", f"expected shape (I,) or (P, I), got {s.shape}")
    n_alt = s.shape[1]
    if n_alt == 0:
        empty = np.empty(s.shape, dtype=np.intp)
        return empty[0] if squeeze else empty
    order = _packed_order(s)
    srt = np.take_along_axis(s, order, axis=1)
    fin = np.where(np.isnan(srt), -np.inf, srt)
    bad = np.any(fin[:, :-1] < fin[:, 1:], axis=1) | np.any(
        np.isnan(srt[:, :-1]) & ~np.isnan(srt[:, 1:]), axis=1
    )
    if np.any(bad):
        rows = np.flatnonzero(bad)
        sub = np.where(np.isnan(s[rows]), np.inf, -s[rows])
        order[rows] = np.argsort(sub, axis=1, kind="stable")
    return order[0] if squeeze else order


def _packed_order(s: FloatArray) -> IntArray:
    n_alt = s.shape[1]
    idx_bits = max(1, int(n_alt - 1).bit_length())
    if idx_bits > 30:
        sub = np.where(np.isnan(s), np.inf, -s)
        return np.argsort(sub, axis=1, kind="stable")
    val_bits = 62 - idx_bits
    finite = np.isfinite(s)
    lo = np.min(np.where(finite, s, np.inf), axis=1, keepdims=True)
    hi = np.max(np.where(finite, s, -np.inf), axis=1, keepdims=True)
    span = np.where(np.isfinite(hi - lo) & (hi > lo), hi - lo, 1.0)
    lo = np.where(np.isfinite(lo), lo, 0.0)
    unit = (hi - s) / span  # 0 for the best, 1 for the worst (monotone in s)
    unit = np.where(finite, np.clip(unit, 0.0, 1.0), 2.0)
    keys = (unit * float(1 << val_bits)).astype(np.int64)
    keys <<= idx_bits
    keys |= np.arange(n_alt, dtype=np.int64)
    keys.sort(axis=1)
    keys &= (1 << idx_bits) - 1
    return keys.astype(np.intp)


def ranks(scores: ArrayLike) -> IntArray:
    """1-based ranks of every alternative (1 = best), ties broken by index.

    >>> ranks([0.2, 0.9, 0.5]).tolist()
    [3, 1, 2]
    """
    order = rank_order(scores)
    out = np.empty_like(order)
    pos = np.broadcast_to(np.arange(1, order.shape[-1] + 1, dtype=np.intp), order.shape)
    np.put_along_axis(out, order, pos, axis=-1)
    return out


def top_k(scores: ArrayLike, k: int) -> IntArray:
    """The indices of the *k* best alternatives per row, best first (``argpartition``).

    >>> top_k([0.2, 0.9, 0.5, 0.7], 2).tolist()
    [1, 3]
    """
    s = np.asarray(scores, dtype=np.float64)
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise ValidationError.single("k", f"expected a whole number >= 0, got {k!r}")
    n_alt = s.shape[-1]
    k = min(k, n_alt)
    if k in {0, n_alt}:
        return rank_order(s)[..., :k]
    key = np.where(np.isnan(s), np.inf, -s)
    part = np.argpartition(key, k - 1, axis=-1)[..., :k]
    sub = np.take_along_axis(s, part, axis=-1)
    # order the k by score, ties by index: sort the candidates' indices first
    by_idx = np.argsort(part, axis=-1)
    part = np.take_along_axis(part, by_idx, axis=-1)
    sub = np.take_along_axis(sub, by_idx, axis=-1)
    inner = rank_order(sub)
    chosen = np.take_along_axis(part, inner, axis=-1)
    # argpartition may cut a tie at position k arbitrarily: fix rows where that happened
    kth = np.take_along_axis(key, chosen[..., -1:], axis=-1)
    tied = np.sum(key == kth, axis=-1) > np.sum(np.take_along_axis(key, chosen, axis=-1) == kth, -1)
    if np.any(tied):
        full = rank_order(s)[..., :k]
        chosen = np.where(tied[..., None], full, chosen)
    return chosen
