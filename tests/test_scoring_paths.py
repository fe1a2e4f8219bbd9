"""The small-survey fast paths of scoring equal the general routes exactly.

Each speed-up computes the same integers or the same floats another way: the stacked
pattern-table sums (``_small``) against the chunked one-pass sums (``_fast``), the plain-Python
cell builder against the array builder (``_build``), and the stacked reliability against a
direct one-matrix computation of the same formulas.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leercultuur.scoring import _build, _design, _fast, _formulas, _small
from leercultuur.scoring._itemstats import reliabilities
from leercultuur.scoring._results import Reliability

_FIELDS = ("bn", "t1", "t2", "lcm", "lc", "lq", "lx", "pn", "pp", "pq", "wn", "wx", "wq")
_FIELDS += ("need", "s2_scored")


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), agreement=st.booleans())
def test_stacked_small_sums_equal_the_one_pass_sums(seed: int, agreement: bool) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(2, 8))
    lens = [int(v) for v in rng.integers(1, 5, int(rng.integers(1, 5)))]
    if (size + 1) ** max(lens) > 1 << 20:
        return
    n_items = sum(lens) + 1
    n = int(rng.integers(1, 300))
    codes = rng.integers(0, size + 1, (n, n_items)).astype(np.uint8)
    perm = rng.permutation(n_items)
    cols, at = [], 0
    for length in lens:
        cols.append(np.sort(perm[at : at + length]).astype(np.intp))
        at += length
    reverse = rng.random(n_items) < 0.3
    nk = int(rng.integers(1, 20))
    inv = rng.integers(0, nk, n).astype(np.intp)
    needs = [int(rng.integers(1, length + 1)) for length in lens]
    args = (codes, inv, nk, tuple(cols), reverse, size, needs)
    small = _small.small_moments(*args, agreement=agreement)
    whole = _fast.fast_moments(*args, agreement=agreement)
    assert small is not None
    assert whole is not None
    assert np.array_equal(small[0], whole[0])
    for a, b in zip(small[1], whole[1], strict=True):
        for field in _FIELDS:
            assert np.array_equal(getattr(a, field), getattr(b, field)), field


def _cells_equal(a: _design.Cells, b: _design.Cells) -> None:
    assert a.ids == b.ids
    assert np.array_equal(a.unit, b.unit)
    assert len(a.members) == len(b.members)
    for x, y in zip(a.members, b.members, strict=True):
        assert np.array_equal(x, y)
    assert np.array_equal(a.pair_cell, b.pair_cell)
    assert np.array_equal(a.pair_base, b.pair_base)
    lazy = a.lazy_relations  # made on first reading (by the small builder): the same pairs
    assert len(lazy) == len(b.relations)
    assert tuple(lazy) == b.relations
    assert a.relations == b.relations
    assert a.lazy_relations == a.relations  # made once, then read as they are
    assert dict(a.index) == dict(b.index)
    for x, y in zip(a.relation_arrays, b.relation_arrays, strict=True):
        assert np.array_equal(x, y)
    assert a.fanout == b.fanout
    assert a.base_unit is not None
    assert b.base_unit is not None
    assert np.array_equal(a.base_unit, b.base_unit)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_small_cell_builder_equals_the_array_builder(
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    n_units = int(rng.integers(1, 15))
    raw = [-1] + [int(rng.integers(-1, u)) if rng.random() < 0.8 else -1 for u in range(1, n_units)]
    perm = rng.permutation(n_units)
    back = np.argsort(perm)
    parent = tuple(-1 if raw[perm[u]] < 0 else int(back[raw[perm[u]]]) for u in range(n_units))
    attributes = tuple(
        (f"a{i}", tuple(f"v{t}" for t in range(int(rng.integers(1, 4)))))
        for i in range(int(rng.integers(0, 3)))
    )
    design = _design.Design(
        tuple(f"u{i}" for i in range(n_units)), parent, ("x",) * n_units, attributes
    )
    size = n_units * design.radix
    if rng.random() < 0.5 or not attributes:
        keys = np.arange(size, dtype=np.int64)
    else:
        keys = np.unique(rng.integers(0, size, int(rng.integers(0, size + 1)))).astype(np.int64)
    small = _build.build_cells(design, keys)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_build, "_SMALL_UNITS", -1)
        general = _build.build_cells(design, keys)
    _cells_equal(small, general)
    values = rng.integers(0, 100, (keys.size, 3))
    assert np.array_equal(small.reduce(values), general.reduce(values))
    # every cell's sum is the sum over its member base cells (tree or pairs alike)
    by_members = [values[m].sum(axis=0) for m in general.members]
    assert np.array_equal(general.reduce(values), np.reshape(by_members, (-1, 3)))
    assert np.array_equal(general.reduce(values.copy(), consume=True), general.reduce(values))


def _one_matrix(c: np.ndarray) -> tuple[float | None, list[float], list[float], float | None]:
    """Alpha, alpha-if-deleted, item-total r and standardised alpha of one covariance matrix."""
    j = c.shape[0]
    alpha = _formulas.alpha_from_cov(c)
    var = np.diag(c)
    row = c.sum(axis=1)
    rest_sum = float(c.sum()) - 2.0 * row + var
    rest_trace = float(np.trace(c)) - var
    with np.errstate(divide="ignore", invalid="ignore"):
        a_del = (j - 1) / (j - 2) * (1.0 - rest_trace / rest_sum) if j > 2 else rest_sum
        r_it = (row - var) / np.sqrt(var * rest_sum)
    sd = np.sqrt(var)
    std = _formulas.alpha_from_cov(c / np.outer(sd, sd)) if np.all(var > 0) else None
    return alpha, a_del.tolist(), r_it.tolist(), std


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_stacked_reliability_equals_one_matrix_formulas(seed: int) -> None:
    rng = np.random.default_rng(seed)
    dims = []
    for d in range(int(rng.integers(1, 6))):
        j = int(rng.integers(2, 7))
        x = rng.integers(1, 6, (int(rng.integers(3, 60)), j))
        if rng.random() < 0.2:
            x[:, 0] = 3  # an item that does not vary
        wq = x.T @ x
        stats = _small.DimMoments(
            *(np.zeros(1, np.int64),) * 3, 1, *(np.zeros(1, np.int64),) * 3,
            *(np.zeros((j, j), np.int64),) * 3, x.shape[0], x.sum(axis=0), wq, 1, 0,
        )  # fmt: skip
        dims.append((f"d{d}", tuple(f"i{d}.{t}" for t in range(j)), stats, x.shape[0]))
    got = reliabilities(dims, policy="listwise", k=3)
    for name, item_ids, stats, _n in dims:
        rel = got[name]
        assert isinstance(rel, Reliability)
        c = _formulas.listwise_covariance(stats.wn, stats.wx, stats.wq)
        assert c is not None
        alpha, a_del, r_it, std = _one_matrix(c)
        assert rel.value == alpha
        if alpha is None:  # the total does not vary: nothing else is computed
            assert rel.status == "zero_variance"
            continue
        assert rel.standardised.value == std
        for t, item in enumerate(item_ids):
            if rel.alpha_if_deleted[item].ok:
                assert rel.alpha_if_deleted[item].value == a_del[t]
            if rel.item_total[item].ok:
                assert rel.item_total[item].value == r_it[t]


@settings(max_examples=40, deadline=None)
@given(
    df=st.lists(st.integers(1, 3000) | st.integers(1, 10**6), min_size=1, max_size=40),
    p=st.sampled_from([0.9, 0.95, 0.975, 0.995]),
)
def test_tabled_t_quantiles_equal_direct_ones(df: list[int], p: float) -> None:
    from leercultuur.scoring._tdist import t_quantile, t_quantile_whole

    got = t_quantile_whole(p, np.asarray(df, dtype=np.int64))
    assert np.array_equal(got, t_quantile(p, np.asarray(df, dtype=np.float64)))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_stacked_clustering_equals_one_dimension_at_a_time(seed: int) -> None:
    from leercultuur.scoring._itemstats import clustering, clusterings

    rng = np.random.default_rng(seed)
    n_dims, n_units = int(rng.integers(1, 5)), int(rng.integers(1, 40))
    n = rng.integers(0 if rng.random() < 0.3 else 1, 12, (n_dims, n_units))
    if rng.random() < 0.7:
        n[:, rng.random(n_units) < 0.2] = 0  # the same empty units in every dimension
    t1 = n * rng.uniform(1, 5, (n_dims, n_units))
    t2 = t1 * t1 / np.maximum(n, 1) + n * rng.uniform(0, 2, (n_dims, n_units))
    names = [f"d{i}" for i in range(n_dims)]
    got = clusterings(names, n, t1, t2, 5)
    for i, name in enumerate(names):
        assert got[name] == clustering(name, n[i], t1[i], t2[i], 5)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([1, 2**12, 2**24]))
def test_plain_and_stacked_covariances_equal_one_matrix_at_a_time(seed: int, scale: int) -> None:
    from leercultuur.scoring import _itemstats

    rng = np.random.default_rng(seed)
    j = int(rng.integers(2, 9))
    ds = []
    for _ in range(int(rng.integers(1, 6))):
        x = rng.integers(1, 6, (int(rng.integers(2, 50)), j)) * scale
        d = _small.DimMoments(
            *(np.zeros(1, np.int64),) * 3, 1, *(np.zeros(1, np.int64),) * 3,
            *(np.zeros((j, j), np.int64),) * 3, x.shape[0], x.sum(axis=0), x.T @ x, 1, 0,
        )  # fmt: skip
        ds.append(d)
    want = [_formulas.listwise_covariance(d.wn, d.wx, d.wq) for d in ds]
    plain = _itemstats._covariances(ds, "listwise")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_itemstats, "_PLAIN_COV", -1)  # the stacked array route
        stacked = _itemstats._covariances(ds, "listwise")
    for t, w in enumerate(want):
        assert w is not None
        assert np.array_equal(plain[t], w)
        assert np.array_equal(stacked[t], w)
