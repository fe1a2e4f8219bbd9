"""Alpha's sums per dimension from its answer-pattern histogram, exactly, by the cheapest route.

Per dimension, Cronbach's alpha needs pairwise sums (``pn``, ``pp``, ``pq``: respondents
answering both items, sums of one item's keyed answers where the other is answered, sums of
products), listwise sums over complete answers (``wn``, ``wx``, ``wq``) and the scored
respondents' sum of squared keyed totals. :func:`_alpha_sums` takes them as one product-sum
of the histogram with a per-pattern table (:func:`_alpha_rows`), kept while the table is
small; all of them depend on at most two items' answers (the listwise ones within the
complete patterns), so :func:`alpha_sums_batch` instead sums the histograms' one- and
two-item marginals, for all dimensions with the same number of items at once: no table of
millions of rows for a long dimension. Every route sums exact integers, so all of them give
the same integers.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from leercultuur.scoring._patterns import PatternTables

__all__ = ["alpha_sums", "alpha_sums_batch"]

_I = npt.NDArray[np.int64]
_F = npt.NDArray[np.float64]


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
    """Each dimension's alpha sums (the layout of :func:`_alpha_sums`) from its histogram.

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


def alpha_sums(
    hists: list[_I], dims: list[tuple[int, tuple[bool, ...], int]], size: int
) -> list[_I]:
    """Alpha's sums of every dimension (same integers by either route).

    Dimensions too long for a kept per-pattern table whose histograms are well filled go all
    at once through their marginals (:func:`alpha_sums_batch`);
    the others through :func:`_alpha_sums` (its cached table, or the used rows). The cached
    tables are not needed for speed but, kept between calls, they keep repeated calls on
    large surveys from returning and refaulting heap memory, as they did before.
    """
    dense = [
        d
        for d, (h, (j, _rev, _need)) in enumerate(zip(hists, dims, strict=True))
        if h.size * _alpha_columns(j) > _TABLE_CELLS and 4 * np.count_nonzero(h) >= h.size
    ]
    batch = alpha_sums_batch([hists[d] for d in dense], [dims[d] for d in dense], size)
    out = dict(zip(dense, batch, strict=True))
    return [
        out[d] if d in out else _alpha_sums(h, j, size, rev, need)
        for d, (h, (j, rev, need)) in enumerate(zip(hists, dims, strict=True))
    ]


def _alpha_sums(hist: _I, j: int, size: int, rev: tuple[bool, ...], need: int) -> _I:
    """Alpha's sums of one dimension from its pattern histogram (see :func:`_alpha_table`).

    A per-pattern table only while it is small (cached); for more patterns, the used
    patterns' rows when few are used, else the histogram's marginals
    (:func:`alpha_sums_batch`): never a table of millions of rows.
    """
    used = np.flatnonzero(hist)
    if hist.size * _alpha_columns(j) <= _TABLE_CELLS:
        table = _alpha_table(j, size, rev, need)
        if used.size < hist.size // 4:
            table = table[used]  # rows: a cheap gather
        else:
            used = np.arange(hist.size)
    elif used.size < hist.size // 4:
        table = _alpha_rows(used, j, size, rev, need)
    else:
        return alpha_sums_batch([hist], [(j, rev, need)], size)[0]
    # einsum's own product-sum loop, not BLAS (whose threads stall on a busy machine);
    # every term is a non-negative integer and the total is below 2**53, so every partial
    # sum is exact, in any order
    weight = hist[used].astype(np.float64)
    sums: _I = np.rint(np.einsum("pq,p->q", table, weight)).astype(np.int64)
    return sums


_TABLE_CELLS = 1 << 20
"""The largest per-pattern alpha table kept (cells; 8 MiB of float64)."""


def _alpha_columns(n_items: int) -> int:
    """The number of columns of :func:`_alpha_rows`."""
    return 4 * n_items * n_items + n_items + 2


@functools.lru_cache(maxsize=64)
def _alpha_table(n_items: int, size: int, reverse: tuple[bool, ...], need: int) -> _F:
    """:func:`_alpha_rows` of every pattern (read-only, cached; only for small tables)."""
    table = _alpha_rows(np.arange((size + 1) ** n_items), n_items, size, reverse, need)
    table.setflags(write=False)
    return table


def _alpha_rows(
    patterns: npt.NDArray[np.intp], n_items: int, size: int, reverse: tuple[bool, ...], need: int
) -> _F:
    """Per pattern code, the products whose histogram-weighted sums give alpha's sums.

    One row per pattern (exact floats), one column per quantity. Columns: pairwise ``pn``,
    ``pp``, ``pq`` (``J*J`` each), listwise ``wn``, ``wx`` (``J``), ``wq`` (``J*J``), and the
    scored respondents' sum of squared keyed totals.
    """
    radix = size + 1
    digits = (patterns.astype(np.int64)[:, None] // radix ** np.arange(n_items)) % radix
    rev = np.asarray(reverse, dtype=bool)
    x = np.where(rev[None, :] & (digits > 0), radix - digits, digits)
    p = (digits > 0).astype(np.int64)
    answered = p.sum(axis=1)
    complete = (answered == n_items).astype(np.int64)
    total = x.sum(axis=1)
    c = complete[:, None, None]
    cols = [
        (p[:, :, None] * p[:, None, :]).reshape(-1, n_items * n_items),
        (x[:, :, None] * p[:, None, :]).reshape(-1, n_items * n_items),
        (x[:, :, None] * x[:, None, :]).reshape(-1, n_items * n_items),
        complete[:, None],
        x * complete[:, None],
        (x[:, :, None] * x[:, None, :] * c).reshape(-1, n_items * n_items),
        ((answered >= need) * total * total)[:, None],
    ]
    return np.ascontiguousarray(np.concatenate(cols, axis=1), dtype=np.float64)
