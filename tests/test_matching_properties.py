from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

sys.path.insert(0, str(Path(__file__).parent))  # tests run with --import-mode=importlib
import leercultuur as lc
from leercultuur.builtin.criteria import need_scores
from leercultuur.matching import rank_order, ranks, top_k, topsis, weighted_sum
from matching_support import iv, make_registry

REG = make_registry()
DIMS = ("autonomy", "commitment", "interaction", "open_culture", "relations", "resources", "safety")
COLUMNS = (*DIMS, "resources.ict", "resources.staff", "resources.finance")
SECTORS = ("hospital", "elderly_care", "mental_health")
PREMISES = ("learning_style_matching", "motivation_drives_results", "none_such")
METHODS = st.sampled_from(["weighted_sum", "topsis"])
levels = st.floats(0, 100, allow_nan=False)


@st.composite
def interventions(draw: st.DrawFn, ident: str) -> lc.Intervention:
    effects = draw(st.dictionaries(st.sampled_from(DIMS), st.sampled_from(list(lc.Strength))))
    reqs = draw(st.dictionaries(st.sampled_from(COLUMNS), st.integers(0, 100), max_size=2))
    return iv(
        ident,
        effects,
        requirements={k: float(v) for k, v in reqs.items()},
        once=draw(st.sampled_from([0.0, 500.0, 5000.0, 50_000.0])),
        per=draw(st.sampled_from([0.0, 20.0, 300.0])),
        hours=draw(st.sampled_from([0.0, 4.0, 16.0, 80.0])),
        level=draw(st.sampled_from(list(lc.EvidenceLevel))),
        sectors=draw(st.lists(st.sampled_from(SECTORS), max_size=2)),
        premises=draw(st.lists(st.sampled_from(PREMISES), max_size=1)),
    )


@st.composite
def catalogues(draw: st.DrawFn, min_size: int = 1) -> list[lc.Intervention]:
    n = draw(st.integers(min_size, 8))
    return [draw(interventions(f"i{k}")) for k in range(n)]


@st.composite
def profiles(draw: st.DrawFn, unit: str = "team:x") -> lc.CultureProfile:
    values = draw(st.dictionaries(st.sampled_from(COLUMNS), levels))
    return lc.CultureProfile.from_values(unit, values)


contexts = st.builds(
    lc.Context,
    sector=st.sampled_from(SECTORS),
    fte=st.floats(1, 50),
    budget_eur=st.sampled_from([0.0, 1000.0, 20_000.0, 200_000.0]),
    hours_per_fte=st.sampled_from([0.0, 10.0, 40.0, 200.0]),
    ict_maturity=st.none() | levels,
)


def scores_by_id(r: lc.Ranking) -> dict[str, float]:
    return {rec.intervention.id: rec.score for rec in r}


@given(catalogues(), st.lists(profiles(), min_size=1, max_size=4), contexts, METHODS, st.booleans())
def test_scores_in_unit_interval_and_infeasible_never_ranked(
    cat: list[lc.Intervention],
    ps: list[lc.CultureProfile],
    ctx: lc.Context,
    method: str,
    allow: bool,
) -> None:
    rs = lc.match(ps, ctx, registry=REG, interventions=cat, method=method, allow_debunked=allow)  # type: ignore[call-overload]
    for r in rs:
        ranked = {rec.intervention.id for rec in r}
        blocked = {b.intervention.id: b for b in r.blocked}
        assert not ranked & set(blocked)
        assert ranked | set(blocked) == {i.id for i in cat}
        for rec in r:
            assert 0.0 <= rec.score <= 1.0
            assert all(0.0 <= v <= 1.0 for v in rec.values.values())
            cost = rec.intervention.cost.total(ctx.headcount)
            assert cost <= ctx.budget_eur
            assert rec.intervention.hours_per_participant <= ctx.hours_per_fte
            if not allow:
                assert "learning_style_matching" not in rec.intervention.premises
        for b in blocked.values():
            assert b.reasons


@given(
    arrays(np.float64, (3, 7), elements=st.floats(0, 1)),
    arrays(np.float64, (4, 7), elements=st.sampled_from([0.0, 1.0, 2.0, 3.0])),
    st.integers(0, 2),
    st.integers(0, 6),
    st.floats(0, 1),
)
def test_wider_gap_never_lowers_need(
    gap: np.ndarray, effects: np.ndarray, p: int, d: int, extra: float
) -> None:
    wider = gap.copy()
    wider[p, d] = min(1.0, wider[p, d] + extra)
    before = need_scores(gap, effects)
    after = need_scores(wider, effects)
    assert np.all((before >= 0) & (before <= 1))
    assert np.all(after >= before - 1e-15)
    targeted = effects[:, d] > 0
    untouched = ~targeted
    np.testing.assert_array_equal(after[p, untouched], before[p, untouched])


@given(profiles(), contexts, interventions("a"), levels, st.floats(0, 1), st.sampled_from(DIMS))
def test_lower_score_on_targeted_dimension_never_lowers_need(
    profile: lc.CultureProfile,
    ctx: lc.Context,
    one: lc.Intervention,
    current: float,
    share: float,
    dim: str,
) -> None:
    values = {k: s.value for k, s in profile.scores.items()}
    before = lc.CultureProfile.from_values(profile.unit, values | {dim: current})
    worse = lc.CultureProfile.from_values(profile.unit, values | {dim: current * share})
    free = lc.Context(sector=ctx.sector, fte=ctx.fte, budget_eur=1e12, hours_per_fte=1e6)
    plain = iv("a", dict(one.effects))  # no requirements: feasibility does not change
    a = lc.match(before, free, registry=REG, interventions=[plain])
    b = lc.match(worse, free, registry=REG, interventions=[plain])
    assert b[0].values["builtin.need"] >= a[0].values["builtin.need"] - 1e-15


@given(catalogues(min_size=2), profiles(), contexts, st.data())
def test_weighted_sum_score_independent_of_other_interventions(
    cat: list[lc.Intervention], profile: lc.CultureProfile, ctx: lc.Context, data: st.DataObject
) -> None:
    keep = data.draw(st.lists(st.sampled_from(cat), min_size=1, unique_by=lambda i: i.id))
    full = scores_by_id(lc.match(profile, ctx, registry=REG, interventions=cat))
    part = scores_by_id(lc.match(profile, ctx, registry=REG, interventions=keep))
    for ident, score in part.items():  # equal up to float rounding of a different batch shape
        assert full[ident] == pytest.approx(score, rel=0, abs=1e-12)


@given(catalogues(), st.lists(profiles(), min_size=2, max_size=4), contexts, METHODS, st.data())
def test_permuting_catalogue_or_profiles_permutes_result(
    cat: list[lc.Intervention],
    ps: list[lc.CultureProfile],
    ctx: lc.Context,
    method: str,
    data: st.DataObject,
) -> None:
    ps = [lc.CultureProfile(f"u{k}", p.scores) for k, p in enumerate(ps)]
    base = lc.match(ps, ctx, registry=REG, interventions=cat, method=method)  # type: ignore[call-overload]
    shuffled = data.draw(st.permutations(cat))
    again = lc.match(ps, ctx, registry=REG, interventions=shuffled, method=method)  # type: ignore[call-overload]
    for r1, r2 in zip(base, again, strict=True):
        assert r1.ids == r2.ids
        assert scores_by_id(r1) == scores_by_id(r2)
    perm = data.draw(st.permutations(range(len(ps))))
    moved = lc.match([ps[k] for k in perm], ctx, registry=REG, interventions=cat, method=method)  # type: ignore[call-overload]
    for k, r in zip(perm, moved, strict=True):
        assert r.unit == base[k].unit
        assert r.ids == base[k].ids
        assert scores_by_id(r) == scores_by_id(base[k])


@given(interventions("x"), st.data(), profiles(), contexts, METHODS)
def test_more_evidence_never_ranks_lower(
    base: lc.Intervention,
    data: st.DataObject,
    profile: lc.CultureProfile,
    ctx: lc.Context,
    method: str,
) -> None:
    lo, hi = sorted(
        data.draw(st.lists(st.sampled_from(list(lc.EvidenceLevel)), min_size=2, max_size=2))
    )
    assume(lo < hi)
    others = data.draw(st.lists(interventions("o"), max_size=3))
    others = [iv(f"o{k}", dict(o.effects), level=o.evidence_level) for k, o in enumerate(others)]
    # the stronger-evidence twin gets the later id, so a tie would rank it lower
    weak = iv("a_twin", dict(base.effects), hours=base.hours_per_participant, level=lo)
    strong = iv("b_twin", dict(base.effects), hours=base.hours_per_participant, level=hi)
    r = lc.match(profile, ctx, registry=REG, interventions=[weak, strong, *others], method=method)  # type: ignore[call-overload]
    ids = r.ids
    if "test.a_twin" in ids:
        assert ids.index("test.b_twin") < ids.index("test.a_twin")


def _peer_inputs() -> st.SearchStrategy[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    return st.integers(2, 12).flatmap(
        lambda n: st.integers(1, 6).flatmap(
            lambda c: st.tuples(
                arrays(np.float64, (n, c), elements=st.floats(0.5, 1000)),
                arrays(np.float64, (c,), elements=st.floats(0.01, 1)),
                arrays(np.bool_, (c,)),
            )
        )
    )


@given(_peer_inputs())
def test_topsis_and_weighted_sum_agree_with_peers(
    inputs: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    m, w, b = inputs
    from pymcdm.methods import TOPSIS, WSM
    from pymcdm.normalizations import minmax_normalization, vector_normalization

    types = np.where(b, 1, -1)
    ours = topsis(m, w, b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pymcdm warns about dominant alternatives
        ref = TOPSIS(normalization_function=vector_normalization)(m, w / w.sum(), types)
    # documented convention: when every alternative is equal, we score 0.5 where peers give NaN
    degenerate = bool(np.isnan(ref).any())
    # a column equal but for one ulp: the peers' normalisation rounds the difference away (NaN),
    # ours keeps it (0 or 1); closeness jumps at a tie, so such inputs compare nothing
    assume(not degenerate or bool(np.all(m == m[0])))
    ref = np.where(np.isnan(ref), 0.5, ref)
    np.testing.assert_allclose(ours, ref, atol=1e-12, rtol=0)
    if degenerate:
        return  # scikit-criteria raises on a problem where every alternative is equal

    import skcriteria as skc
    from skcriteria.agg.topsis import TOPSIS as SKTOPSIS
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import VectorScaler

    dm = skc.mkdm(m, [max if x else min for x in b], weights=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-criteria warns about min objectives in TOPSIS
        sk = mkpipe(VectorScaler(target="matrix"), SKTOPSIS()).evaluate(dm)
    np.testing.assert_allclose(ours, sk.e_.similarity, atol=1e-12, rtol=0)

    span_ok = np.all(m.max(axis=0) > m.min(axis=0))
    if span_ok:
        ws = weighted_sum(m, w, b)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref_ws = WSM(normalization_function=minmax_normalization)(m, w / w.sum(), types)
        np.testing.assert_allclose(ws, ref_ws, atol=1e-12, rtol=0)


@given(
    st.integers(1, 4).flatmap(
        lambda p: st.integers(1, 9).flatmap(
            lambda n: st.tuples(
                arrays(np.float64, (p, n, 3), elements=st.floats(0, 10, allow_subnormal=False)),
                arrays(np.float64, (3,), elements=st.floats(0.1, 1)),
                st.permutations(range(n)),
            )
        )
    )
)
def test_batched_methods_equal_one_at_a_time_and_permute(
    inputs: tuple[np.ndarray, np.ndarray, list[int]],
) -> None:
    x, w, perm = inputs
    b = np.array([True, False, True])
    for method in (topsis, weighted_sum):
        batched = method(x, w, b)
        for p in range(x.shape[0]):
            np.testing.assert_allclose(batched[p], method(x[p], w, b), atol=1e-14, rtol=0)
        moved = method(x[:, perm], w, b)
        np.testing.assert_allclose(moved, batched[:, perm], atol=1e-14, rtol=0)


@given(
    arrays(np.float64, (3, 12), elements=st.sampled_from([0.0, 0.25, 0.5, 1.0, np.nan, -np.inf]))
)
def test_rank_order_is_exact_with_ties_by_index(s: np.ndarray) -> None:
    order = rank_order(s)
    expected = np.argsort(-s, axis=1, kind="stable")  # numpy sorts NaN last, after -inf
    np.testing.assert_array_equal(order, expected)
    r = ranks(s)
    np.testing.assert_array_equal(
        np.take_along_axis(r, order, axis=1), np.tile(np.arange(1, 13), (3, 1))
    )
    for k in (1, 3, 12):
        np.testing.assert_array_equal(top_k(s, k), expected[:, :k])


@given(arrays(np.float64, (2, 50), elements=st.floats(0, 1) | st.floats(0, 1e-300)))
def test_rank_order_resolves_near_ties(s: np.ndarray) -> None:
    np.testing.assert_array_equal(rank_order(s), np.argsort(-s, axis=1, kind="stable"))


def _textbook_topsis(m: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Hwang & Yoon's steps, one matrix, written out plainly (the reference for the paths)."""
    norm = np.sqrt((m * m).sum(axis=0))
    v = np.divide(m, norm, out=np.zeros_like(m), where=norm > 0) * (w / w.sum())
    best = np.where(b, v.max(axis=0), v.min(axis=0))
    worst = np.where(b, v.min(axis=0), v.max(axis=0))
    plus = np.sqrt(((v - best) ** 2).sum(axis=1))
    minus = np.sqrt(((v - worst) ** 2).sum(axis=1))
    total = plus + minus
    return np.divide(minus, total, out=np.full_like(total, 0.5), where=total > 0)


_values = st.sampled_from([0.0, 1.0, 2.5, 7.0]) | st.floats(1e-3, 100)  # no underflow


@given(
    st.integers(1, 7).flatmap(
        lambda p: st.integers(1, 40).flatmap(
            lambda n: st.integers(1, 5).flatmap(
                lambda c: st.tuples(
                    arrays(np.float64, (p, n, c), elements=_values),
                    arrays(np.float64, (p, c), elements=st.floats(0.01, 1)),
                    arrays(np.bool_, (c,)),
                    arrays(np.bool_, (p, n)),
                    st.integers(1, 3),
                )
            )
        )
    )
)
def test_topsis_paths_agree_with_textbook(
    inputs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int],
) -> None:
    """The small-matrix, the direct and the chunked BLAS paths, with and without a mask."""
    from unittest import mock

    import leercultuur.matching.methods as methods

    x, w, b, keep, rows = inputs
    n_alt, n_crit = x.shape[1:]
    wn = w / w.sum(axis=1, keepdims=True)
    expected = np.array([_textbook_topsis(x[p], w[p], b) for p in range(len(x))])
    for p in range(len(x)):  # the small path, through the public function
        np.testing.assert_allclose(topsis(x[p], w[p], b), expected[p], atol=1e-13, rtol=0)
    np.testing.assert_allclose(methods._topsis_direct(x, wn, b), expected, atol=1e-13, rtol=0)
    chunk = rows * n_alt * n_crit * 8  # a few profiles per chunk: several chunks per call
    with mock.patch.object(methods, "_SMALL", 0), mock.patch.object(methods, "_CHUNK_BYTES", chunk):
        chunked = methods._topsis_core(x, wn, b, None)
        masked = methods._topsis_core(x, wn, b, keep)
    np.testing.assert_allclose(chunked, expected, atol=1e-13, rtol=0)
    for p in range(len(x)):
        assert np.isnan(masked[p][~keep[p]]).all()
        if keep[p].any():
            sub = _textbook_topsis(x[p][keep[p]], w[p], b)
            np.testing.assert_allclose(masked[p][keep[p]], sub, atol=1e-13, rtol=0)


@given(
    catalogues(),
    st.lists(profiles(), min_size=1, max_size=4),
    st.lists(contexts, min_size=1, max_size=4),
    METHODS,
)
def test_batch_from_arrays_equals_build_and_match(
    cat: list[lc.Intervention],
    ps: list[lc.CultureProfile],
    ctxs: list[lc.Context],
    method: str,
) -> None:
    """The vectorised constructor is the loop constructor, cell for cell, and ranks the same."""
    from leercultuur.matching import Batch
    from leercultuur.matching._catalogue import catalogue_arrays

    clist = [ctxs[p % len(ctxs)] for p in range(len(ps))]
    units = [f"team:{p}" for p in range(len(ps))]
    ps = [lc.CultureProfile(units[p], prof.scores) for p, prof in enumerate(ps)]
    columns = [*COLUMNS, "not_a_dimension"]
    matrix = np.full((len(ps), len(columns)), np.nan)
    for p, prof in enumerate(ps):
        for k, c in enumerate(columns):
            if c in prof.scores:
                matrix[p, k] = prof.scores[c].value
    fast = Batch.from_arrays(units, columns, matrix, clist, registry=REG, interventions=cat)
    slow = Batch.build(catalogue_arrays(REG, cat), ps, clist)
    assert fast.units == slow.units
    assert fast.catalogue.columns == slow.catalogue.columns
    np.testing.assert_array_equal(fast.known, slow.known)
    np.testing.assert_array_equal(fast.scores, slow.scores)
    for name in ("budget", "hours_available", "headcount", "sector"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name))
    ranked = fast.match(REG, method=method)  # type: ignore[arg-type]
    expected = lc.match(ps, clist, registry=REG, interventions=cat, method=method)  # type: ignore[call-overload]
    np.testing.assert_array_equal(ranked.scores, expected.scores)
    assert [[r.intervention.id for r in rk] for rk in ranked] == [
        [r.intervention.id for r in rk] for rk in expected
    ]
