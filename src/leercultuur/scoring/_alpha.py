"""Alpha's sums for several dimensions at once, from their answer-pattern histograms.

Per dimension, Cronbach's alpha needs pairwise sums (``pn``, ``pp``, ``pq``: respondents
answering both items, sums of one item's keyed answers where the other is answered, sums of
products), listwise sums over complete answers (``wn``, ``wx``, ``wq``) and the scored
respondents' sum of squared keyed totals. All of them depend on at most two items' answers
(the listwise ones within the complete patterns), so they follow from the histogram's one-
and two-item marginals, which numpy sums for all dimensions with the same number of items
at once. Every step is int64 arithmetic on counts, so the sums are exact and equal, integer
for integer, those of :func:`leercultuur.scoring._fast._alpha_sums` (one product-sum over a
per-pattern table, which reads the whole table once per dimension).
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from leercultuur.scoring._patterns import PatternTables

__all__ = ["alpha_sums_batch"]

_I = npt.NDArray[np.int64]


@functools.lru_cache(maxsize=256)
def _keys(size: int, reverse: tuple[bool, ...]) -> _I:
    """Per item, the keyed value of each raw code ``0 .. size`` (0 = missing stays 0)."""
    r = size + 1
    a = np.arange(r, dtype=np.int64)
    out = np.stack([np.where(a > 0, r - a, 0) if rev else a for rev in reverse])
    out.setflags(write=False)
    return out


@functools.lru_cache(maxsize=256)
def _scored_squares(n_items: int, size: int, reverse: tuple[bool, ...], need: int) -> _I:
    """Per pattern, the squared keyed total if the pattern has a scale score, else 0."""
    t = PatternTables.cached(n_items, size, reverse)
    out: _I = (t.answered >= need) * t.total * t.total
    out.setflags(write=False)
    return out


def _sym(j: int, diag: _I, upper: _I, lower: _I | None = None) -> _I:
    """``(k, j, j)`` matrices from their diagonals and upper (and lower) triangles."""
    iu, iv = np.triu_indices(j, 1)
    out = np.empty((diag.shape[0], j, j), np.int64)
    d = np.arange(j)
    out[:, d, d] = diag
    out[:, iu, iv] = upper
    out[:, iv, iu] = upper if lower is None else lower
    return out


def _marginals(t: _I, j: int) -> tuple[_I, _I]:
    """One-item ``(k, j, r)`` and two-item ``(k, pairs, r, r)`` marginals of ``(k, r, ..)``.

    Axis ``j - u`` of *t* holds item *u* (C order of the pattern codes). Each marginal sums
    one more axis out of a memoised larger one, so most sums run over small arrays.
    """
    k, r = t.shape[0], t.shape[1]
    full = frozenset(range(1, j + 1))
    memo: dict[frozenset[int], _I] = {full: t}

    def marginal(keep: frozenset[int]) -> _I:
        if keep not in memo:
            drop = min(full - keep)
            parent = marginal(keep | {drop})
            memo[keep] = parent.sum(axis=1 + sorted(keep | {drop}).index(drop))
        return memo[keep]

    iu, iv = np.triu_indices(j, 1)
    pairs = np.empty((k, iu.size, r, r), np.int64)
    for p, (u, v) in enumerate(zip(iu.tolist(), iv.tolist(), strict=True)):
        # the kept axes come out as (v, u) (item v's axis comes first): transpose to (u, v)
        pairs[:, p] = marginal(frozenset({j - u, j - v})).transpose(0, 2, 1)
    if j == 1:
        singles = t.reshape(k, 1, r)
    else:  # from the pairs: item 0 with item 1, every other item with item 0
        singles = np.empty((k, j, r), np.int64)
        singles[:, 0] = pairs[:, 0].sum(axis=2)
        singles[:, 1:] = pairs[:, : j - 1].sum(axis=2)
    return singles, pairs


def _group(
    hists: list[_I], j: int, size: int, revs: list[tuple[bool, ...]], needs: list[int]
) -> _I:
    """Alpha's sums, one row per dimension, for dimensions of *j* items each."""
    r = size + 1
    k = len(hists)
    h = np.stack(hists)
    # axis j - u holds item u's raw code (a pattern code is sum(code_u * r**u))
    t = h.reshape((k,) + (r,) * j)
    key = np.stack([_keys(size, rev) for rev in revs])  # (k, j, r)
    pres = (np.arange(r) > 0).astype(np.int64)
    iu, iv = np.triu_indices(j, 1)
    singles, pairs = _marginals(t, j)
    ku, kv = key[:, iu], key[:, iv]
    pn = _sym(j, singles @ pres, np.einsum("kpab,a,b->kp", pairs, pres, pres))
    pp = _sym(
        j,
        (singles * key).sum(axis=2),
        np.einsum("kpab,kpa,b->kp", pairs, ku, pres),
        np.einsum("kpab,a,kpb->kp", pairs, pres, kv),
    )
    pq = _sym(j, (singles * key * key).sum(axis=2), np.einsum("kpab,kpa,kpb->kp", pairs, ku, kv))
    tc = t[(slice(None),) + (slice(1, None),) * j]  # the complete patterns
    kc = key[:, :, 1:]
    csingles, cpairs = _marginals(tc, j)
    wn = tc.sum(axis=tuple(range(1, j + 1)))
    wx = (csingles * kc).sum(axis=2)
    wq = _sym(
        j,
        (csingles * kc * kc).sum(axis=2),
        np.einsum("kpab,kpa,kpb->kp", cpairs, kc[:, iu], kc[:, iv]),
    )
    s2 = np.stack(
        [_scored_squares(j, size, rev, need) for rev, need in zip(revs, needs, strict=True)]
    )
    scored = np.einsum("kp,kp->k", h, s2)
    flat = [x.reshape(k, -1) for x in (pn, pp, pq)]
    return np.concatenate(
        [*flat, wn[:, None], wx, wq.reshape(k, -1), scored[:, None]], axis=1
    ).astype(np.int64)


def alpha_sums_batch(
    hists: list[_I], dims: list[tuple[int, tuple[bool, ...], int]], size: int
) -> list[_I]:
    """Each dimension's alpha sums (the layout of ``_fast._alpha_sums``) from its histogram.

    *dims* holds per dimension its number of items, reverse keying and the answered items a
    scale score needs; dimensions with the same number of items are summed together.
    """
    out: list[_I | None] = [None] * len(dims)
    by_items: dict[int, list[int]] = {}
    for d, (j, _rev, _need) in enumerate(dims):
        by_items.setdefault(j, []).append(d)
    for j, members in by_items.items():
        rows = _group(
            [hists[d] for d in members],
            j,
            size,
            [dims[d][1] for d in members],
            [dims[d][2] for d in members],
        )
        for row, d in zip(rows, members, strict=True):
            out[d] = row
    return [x for x in out if x is not None]
