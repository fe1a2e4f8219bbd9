"""Orders of alternatives by score: :func:`rank_order`, :func:`ranks` and :func:`top_k`.

Best first, ties broken by index, NaN last; exact and vectorised over ``(P, I)`` scores.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from leercultuur.errors import ValidationError

__all__ = ["rank_order", "ranks", "top_k"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


def rank_order(scores: ArrayLike) -> IntArray:
    """The alternatives' indices from best to worst; ties (and NaN, last) in index order.

    Works on ``(I,)`` or ``(P, I)`` scores; higher is better. Exact and fast: it
    sorts one int64 key per score whose high bits are the score's IEEE-754 bit
    pattern (monotone in the score), shortened by the bits the index needs, and
    whose low bits are the index. Rows where shortening made two different
    scores share a key are re-sorted exactly (a stable sort of the scores);
    equal scores (ties, NaNs) sharing a key are already in index order.

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
    if n_alt == 0 or s.shape[0] == 0:
        empty = np.empty(s.shape, dtype=np.intp)
        return empty[0] if squeeze else empty
    idx_bits = max(1, int(n_alt - 1).bit_length())
    if idx_bits > 20:
        order = _exact_order(s)
        return order[0] if squeeze else order
    keys = s + 0.0  # a copy, with -0.0 turned into 0.0
    nan = np.isnan(keys)
    any_nan = bool(nan.any())
    if any_nan:
        keys[nan] = np.inf
    bits = keys.view(np.int64)
    if keys.min() < 0:  # make negative floats' bit patterns monotone too
        bits ^= (bits >> 63) & np.int64(0x7FFFFFFFFFFFFFFF)
    bits >>= idx_bits
    np.negative(bits, out=bits)  # best first
    if any_nan:
        bits[nan] = np.iinfo(np.int64).max >> idx_bits  # last, after -inf
    bits <<= idx_bits
    bits |= np.arange(n_alt, dtype=np.int64)
    bits.sort(axis=1)
    high = bits >> idx_bits
    same = high[:, 1:] == high[:, :-1]
    merged = np.flatnonzero(same.any(axis=1))
    bits &= (1 << idx_bits) - 1
    order = bits.view(np.intp) if np.dtype(np.intp) == np.int64 else bits.astype(np.intp)
    if merged.size:
        # equal keys are harmless where the scores are equal too (ties, NaNs: index order
        # is right); only rows where two different scores share a key are sorted exactly
        v = np.take_along_axis(s[merged], order[merged], axis=1)
        with np.errstate(invalid="ignore"):
            equal = (v[:, 1:] == v[:, :-1]) | (np.isnan(v[:, 1:]) & np.isnan(v[:, :-1]))
        redo = merged[(same[merged] & ~equal).any(axis=1)]
        if redo.size:
            order[redo] = _exact_order(s[redo])
    return order[0] if squeeze else order


def _exact_order(s: FloatArray) -> IntArray:
    """Best first, ties by index, NaN last: a stable sort (the slow, obviously exact way).

    numpy sorts NaN after everything, ``-inf`` scores included.
    """
    return np.argsort(-s, axis=1, kind="stable")


def ranks(scores: ArrayLike) -> IntArray:
    """1-based ranks of every alternative (1 = best), ties broken by index.

    >>> ranks([0.2, 0.9, 0.5]).tolist()
    [3, 1, 2]
    """
    order = rank_order(scores)
    n_alt = order.shape[-1]
    flat = order.reshape(-1, n_alt) + (np.arange(order.size // max(1, n_alt)) * n_alt)[:, None]
    out = np.empty(order.size, dtype=np.intp)
    out[flat.ravel()] = np.tile(np.arange(1, n_alt + 1, dtype=np.intp), order.size // max(1, n_alt))
    return out.reshape(order.shape)


def top_k(scores: ArrayLike, k: int) -> IntArray:
    """The indices of the *k* best alternatives per row, best first; ties by index, NaN last.

    One ``np.partition`` finds each row's k-th best score; the alternatives at or
    above it are then ordered among themselves. A row where ties at the k-th
    score admit more than *k*, or that holds a NaN, falls back to the full
    :func:`rank_order`.

    >>> top_k([0.2, 0.9, 0.5, 0.7], 2).tolist()
    [1, 3]
    """
    s = np.asarray(scores, dtype=np.float64)
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise ValidationError.single("k", f"expected a whole number >= 0, got {k!r}")
    squeeze = s.ndim == 1
    if squeeze:
        s = s[None]
    if s.ndim != 2:
        raise ValidationError.single("scores", f"expected shape (I,) or (P, I), got {s.shape}")
    n_prof, n_alt = s.shape
    k = min(k, n_alt)
    if k in {0, n_alt} or n_prof == 0:
        out = rank_order(s)[:, :k]
        return out[0] if squeeze else out
    top = np.partition(s, n_alt - k, axis=1)[:, n_alt - k :]
    kth = top[:, 0]
    mask = s >= kth[:, None]
    counts = mask.sum(axis=1)
    # NaN sorts last, so a row holding any NaN shows one among its top k: such rows
    # take the exact route below (NaN after -inf), like rows with ties at the k-th score
    good = (counts == k) & ~np.isnan(top).any(axis=1)
    cols = np.nonzero(mask)[1]
    cand = np.zeros((n_prof, k), dtype=np.intp)
    cand[good] = cols[np.repeat(good, counts)].reshape(-1, k)
    inner = rank_order(np.take_along_axis(s, cand, axis=1))
    chosen = np.take_along_axis(cand, inner, axis=1)
    if not good.all():
        bad = np.flatnonzero(~good)
        chosen[bad] = rank_order(s[bad])[:, :k]
    return chosen[0] if squeeze else chosen
