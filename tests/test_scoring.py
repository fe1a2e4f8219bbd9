"""Scoring statistics against pingouin, pandas, scipy and hand-worked examples.

References: Cronbach (1951); James, Demaree & Wolf (1984) for rwg(j); LeBreton & Senter (2008)
for truncating rwg(j) at 0; Bliese (2000) for ICC(1), ICC(2) and Spearman-Brown; McDonald (1999)
for omega total.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import scipy.optimize
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

import leercultuur as lc
from leercultuur import _accel
from leercultuur.scoring import summarise
from leercultuur.scoring._formulas import omega_total
from leercultuur.scoring._tdist import t_quantile


def instrument(lo: int = 1, hi: int = 5) -> lc.Instrument:
    def item(i: str, dim: str, rev: bool = False) -> lc.Item:
        return lc.Item(i, lc.Text(i, i), dim, reverse=rev)

    return lc.Instrument(
        id="test.scoring",
        version="1",
        name=lc.Text("toets", "test"),
        scale=lc.ResponseScale(lo=lo, hi=hi),
        items=(
            item("S1", "safety"), item("S2", "safety", True), item("S3", "safety"),
            item("S4", "safety"), item("A1", "autonomy"), item("A2", "autonomy"),
            item("A3", "autonomy", True), item("A4", "autonomy"), item("A5", "autonomy"),
            item("I1", "interaction"),
        ),
        licence=lc.Licence("MIT"),
    )  # fmt: skip


UNITS = ["afd:a", "afd:b", "org:o", "team:a1", "team:a2", "team:b1", "team:b2", "team:b3"]
PARENT = [2, 2, -1, 0, 0, 1, 1, 1]


def make_survey(n: int = 400, seed: int = 1, lo: int = 1, hi: int = 5, missing: float = 0.1,
                gender: bool = True) -> lc.Survey:  # fmt: skip
    rng = np.random.default_rng(seed)
    size = hi - lo + 1
    unit_of = rng.integers(3, 8, n).astype(np.int32)
    trait = rng.normal(size=(n, 1)) + 0.5 * rng.normal(size=(5, 1))[unit_of - 3]
    latent = trait + rng.normal(size=(n, 10))
    codes = np.clip(np.round((size + 1) / 2 + latent), 1, size).astype(np.uint8)
    codes[:, [1, 6]] = size + 1 - codes[:, [1, 6]]
    codes[rng.random(codes.shape) < missing] = 0
    attributes = {}
    if gender:
        attributes["gender"] = (rng.integers(-1, 2, n).astype(np.int32), ("f", "m"))
    return lc.Survey.from_codes(
        codes,
        instrument=instrument(lo, hi),
        unit_of=unit_of,
        units=UNITS,
        parent=np.array(PARENT, dtype=np.int32),
        attributes=attributes,
    )


def keyed_frame(survey: lc.Survey, dim: str) -> pd.DataFrame:
    inst = survey.instrument
    size = inst.scale.size
    cols = {}
    for i, item in enumerate(inst.items):
        if item.dimension != dim:
            continue
        x = survey.codes[:, i].astype(float)
        x[x == 0] = np.nan
        if item.reverse:
            x = size + 1 - x
        cols[item.id] = x + inst.scale.lo - 1
    return pd.DataFrame(cols)


@pytest.mark.parametrize("policy", ["listwise", "pairwise"])
@pytest.mark.parametrize("dim", ["safety", "autonomy"])
def test_alpha_equals_pingouin(policy: str, dim: str) -> None:
    survey = make_survey()
    rel = lc.score(survey, alpha_policy=policy).reliability[dim]  # type: ignore[arg-type]
    expected = pg.cronbach_alpha(keyed_frame(survey, dim), nan_policy=policy)[0]
    assert rel.status == "ok"
    assert rel.policy == policy
    assert rel.value == pytest.approx(expected, abs=1e-12)


def test_standardised_alpha_item_total_and_alpha_if_deleted_listwise() -> None:
    survey = make_survey(seed=4)
    rel = lc.score(survey).reliability["autonomy"]
    df = keyed_frame(survey, "autonomy").dropna()
    r = df.corr().to_numpy()
    j = r.shape[0]
    assert rel.standardised.value == pytest.approx(j / (j - 1) * (1 - j / r.sum()), abs=1e-12)
    for item in df.columns:
        rest = df.drop(columns=item)
        assert rel.item_total[item].value == pytest.approx(
            np.corrcoef(df[item], rest.sum(axis=1))[0, 1], abs=1e-12
        )
        assert rel.alpha_if_deleted[item].value == pytest.approx(
            pg.cronbach_alpha(rest)[0], abs=1e-12
        )


def test_unit_cells_equal_pandas_groupby_over_subtrees() -> None:
    survey = make_survey(seed=2)
    report = lc.score(survey, min_answered=0.6)
    df = keyed_frame(survey, "autonomy")
    answered = df.notna().sum(axis=1)
    score = df.mean(axis=1).where(answered >= 3)
    pomp = 100 * (score - 1) / 4
    subtree = {u: {u} for u in range(len(survey.units))}
    for u in range(len(survey.units)):
        p = int(survey.parent[u])
        while p >= 0:
            subtree[p].add(u)
            p = int(survey.parent[p])
    for u, unit in enumerate(survey.units):
        mask = np.isin(survey.unit_of, list(subtree[u]))
        x = pomp[mask].dropna()
        cell = report.scores(unit)["autonomy"]
        assert isinstance(cell, lc.CellScore)
        assert cell.n == len(x)
        assert cell.mean == pytest.approx(x.mean(), abs=1e-12)
        assert cell.sd.value == pytest.approx(x.std(ddof=1), abs=1e-12)
        half = scipy.stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
        assert cell.ci_low.value == pytest.approx(max(0, x.mean() - half), abs=1e-10)
        assert cell.mean_raw == pytest.approx(score[mask].dropna().mean(), abs=1e-12)


def test_cross_cut_cells_equal_pandas() -> None:
    survey = make_survey(seed=5, n=600)
    report = lc.score(survey)
    df = keyed_frame(survey, "safety")
    score = df.mean(axis=1).where(df.notna().sum(axis=1) >= 2)
    codes, _labels = survey.attributes["gender"]
    for unit, members in [("afd:a", [3, 4]), ("team:b2", [6])]:
        mask = np.isin(survey.unit_of, members) & (codes == 1)
        cell = report.scores(f"{unit} | gender=m")["safety"]
        assert isinstance(cell, lc.CellScore)
        assert cell.mean_raw == pytest.approx(score[mask].mean(), abs=1e-12)
        assert cell.n == score[mask].notna().sum()


def test_rwg_hand_worked_example() -> None:
    # James, Demaree & Wolf (1984): one team of 5, three items on a 5-point scale.
    rows = [[4, 4, 5], [4, 5, 5], [3, 4, 4], [4, 4, 5], [5, 4, 4]]
    # item variances (ddof 1): item1 mean 4, deviations 0,0,-1,0,1 -> 2/4 = 0.5;
    # item2 mean 4.2 -> (0.04*4 + 0.64)/4 = 0.2; item3 mean 4.6 -> (0.16*3 + 0.36*2)/4 = 0.3
    mean_var = (0.5 + 0.2 + 0.3) / 3
    null = (5**2 - 1) / 12  # = 2
    expected = 3 * (1 - mean_var / null) / (3 * (1 - mean_var / null) + mean_var / null)
    assert expected == pytest.approx(15 / 16)  # S = 1/3, S/s2 = 1/6: 2.5 / (2.5 + 1/6)
    report = _one_team(rows)
    assert report.scores("team:a")["safety"].rwg.value == pytest.approx(expected, abs=1e-12)


def test_rwg_is_one_for_unanimity_and_zero_when_truncated() -> None:
    same = _one_team([[3, 3, 3]] * 5)
    assert same.scores("team:a")["safety"].rwg.value == 1.0
    # LeBreton & Senter (2008): variance above the uniform null (2) -> rwg(j) = 0
    split = _one_team([[1, 1, 1], [5, 5, 5], [1, 1, 1], [5, 5, 5], [1, 5, 1], [5, 1, 5]])
    rwg = split.scores("team:a")["safety"].rwg
    assert rwg.value == 0.0
    assert "set to 0" in rwg.reason


def _one_team(rows: list[list[int]], units: int = 1) -> lc.ScoreReport:
    inst = lc.Instrument(
        id="test.small",
        version="1",
        name=lc.Text("t", "t"),
        scale=lc.ResponseScale(lo=1, hi=5),
        items=tuple(lc.Item(f"S{i}", lc.Text("s", "s"), "safety") for i in range(3)),
        licence=lc.Licence("MIT"),
    )
    survey = lc.Survey.from_codes(
        np.array(rows, dtype=np.uint8),
        instrument=inst,
        unit_of=np.zeros(len(rows), dtype=np.int32),
        units=["team:a"],
        parent=np.array([-1], dtype=np.int32),
    )
    return lc.score(survey)


def test_icc_hand_worked_example() -> None:
    # Bliese (2000): one-way ANOVA of scale scores over units, unequal sizes.
    groups = [[1.0, 2.0, 3.0, 2.0, 2.0], [4.0, 5.0, 4.0, 3.0, 4.0, 4.0], [2.0, 3.0, 3.0, 3.0, 4.0]]
    all_x = [x for g in groups for x in g]
    n_total, j_units = len(all_x), len(groups)
    grand = sum(all_x) / n_total
    ssb = sum(len(g) * (sum(g) / len(g) - grand) ** 2 for g in groups)
    ssw = sum((x - sum(g) / len(g)) ** 2 for g in groups for x in g)
    msb, msw = ssb / (j_units - 1), ssw / (n_total - j_units)
    k0 = (n_total - sum(len(g) ** 2 for g in groups) / n_total) / (j_units - 1)
    icc1 = (msb - msw) / (msb + (k0 - 1) * msw)
    icc1_mean = (msb - msw) / (msb + (n_total / j_units - 1) * msw)
    icc2 = (msb - msw) / msb
    needed = math.ceil(0.7 * (1 - icc1) / (0.3 * icc1))
    inst = lc.Instrument(
        id="test.icc",
        version="1",
        name=lc.Text("t", "t"),
        scale=lc.ResponseScale(lo=1, hi=5),
        items=(lc.Item("S1", lc.Text("s", "s"), "safety"),),
        licence=lc.Licence("MIT"),
    )
    survey = lc.Survey.from_codes(
        np.array([[int(x)] for x in all_x], dtype=np.uint8),
        instrument=inst,
        unit_of=np.array([i for i, g in enumerate(groups) for _ in g], dtype=np.int32),
        units=["team:a", "team:b", "team:c"],
        parent=np.array([-1, -1, -1], dtype=np.int32),
    )
    report = lc.score(survey)
    c = report.clustering["safety"]
    assert c.icc1.value == pytest.approx(icc1, abs=1e-12)
    assert c.icc1_mean_size.value == pytest.approx(icc1_mean, abs=1e-12)
    assert c.icc2.value == pytest.approx(icc2, abs=1e-12)
    assert c.k0 == pytest.approx(k0, abs=1e-12)
    assert c.needed_for_70.value == needed
    rel = report.reliability["safety"]
    assert rel.value is None
    assert rel.status == "one_item"


def test_omega_is_the_minres_fixed_point() -> None:
    survey = make_survey(seed=7, missing=0.0)
    df = keyed_frame(survey, "autonomy")
    r = df.corr().to_numpy()
    omega, lam = omega_total(r)

    def loss(v: np.ndarray) -> float:
        resid = r - np.outer(v, v)
        np.fill_diagonal(resid, 0.0)
        return float((resid**2).sum())

    best = scipy.optimize.minimize(loss, lam, method="BFGS", options={"gtol": 1e-12}).x
    best = best if best.sum() > 0 else -best
    assert np.max(np.abs(best - lam)) < 1e-6
    assert omega == pytest.approx(best.sum() ** 2 / r.sum(), abs=1e-6)
    rel = lc.score(survey).reliability["autonomy"]
    assert rel.omega.value == pytest.approx(omega, abs=1e-12)


def test_omega_of_many_matrices_equals_one_at_a_time_bit_for_bit() -> None:
    from leercultuur.scoring._formulas import omega_totals

    rng = np.random.default_rng(11)
    mats = []
    for trial in range(200):
        j, n = int(rng.integers(3, 7)), int(rng.integers(6, 40))
        x = rng.integers(1, 6, (n, j)).astype(float)
        x += rng.normal(size=(n, 1)) * (trial % 4)  # from no common factor to a strong one
        c = np.cov(x.T)
        if np.all(np.diag(c) > 0):
            mats.append(c / np.sqrt(np.outer(np.diag(c), np.diag(c))))
    for start in range(0, len(mats), 9):
        group = mats[start : start + 9]
        for (a, la), (b, lb) in zip(map(omega_total, group), omega_totals(group), strict=True):
            assert a == b
            assert np.array_equal(la, lb)


def test_covariances_equal_the_exact_integer_formula() -> None:
    from fractions import Fraction

    from leercultuur.scoring._formulas import covariance, listwise_covariance

    rng = np.random.default_rng(12)
    for _ in range(200):
        n, j = int(rng.integers(2, 10 ** int(rng.integers(1, 6)))), int(rng.integers(2, 6))
        x = rng.integers(0, 6, (n, j)).astype(np.int64)
        p = (x > 0).astype(np.int64)
        c = p.all(axis=1)
        wn, xc = int(c.sum()), x[p.all(axis=1)]
        if wn >= 2:
            wx, wq = xc.sum(axis=0), xc.T @ xc
            got = listwise_covariance(wn, wx, wq)
            assert got is not None
            for a, b in itertools.product(range(j), repeat=2):
                num = wn * int(wq[a, b]) - int(wx[a]) * int(wx[b])
                assert got[a, b] == float(Fraction(num, wn * (wn - 1)))
        pn, pp, pq = p.T @ p, x.T @ p, x.T @ x
        if pn.min() >= 2:
            got = covariance(pn, pp, pq)
            assert got is not None
            for a, b in itertools.product(range(j), repeat=2):
                m = int(pn[a, b])
                num = m * int(pq[a, b]) - int(pp[a, b]) * int(pp[b, a])
                assert got[a, b] == float(Fraction(num, m * (m - 1)))


def test_reliabilities_read_lazily_equal_an_eager_fit() -> None:
    survey = make_survey(seed=3)
    report = lc.score(survey)
    assert len(report.reliability) == len(report.dimensions)
    assert set(report.reliability) == set(report.dimensions)
    checked = 0
    for dim, rel in report.reliability.items():
        df = keyed_frame(survey, dim)
        if rel.omega.value is None or df.shape[1] != rel.n_items:
            continue
        r = df.dropna().corr().to_numpy()
        assert rel.omega.value == pytest.approx(omega_total(r)[0], abs=1e-9)
        checked += 1
    assert checked >= 2


def test_undefined_statistics_are_typed_never_nan() -> None:
    same = _one_team([[3, 3, 3]] * 6)
    rel = same.reliability["safety"]
    assert rel.value is None
    assert rel.status == "zero_variance"
    clus = same.clustering["safety"]
    assert clus.icc1.status == "one_unit"
    small = _one_team([[3, 3, 3]] * 2)
    assert small.reliability["safety"].status == "suppressed"
    entry = small.scores("team:a")["safety"]
    assert isinstance(entry, lc.Suppressed)
    assert entry.reason == "below_threshold"
    assert small.profile("team:a").scores == {}
    text = small.to_json()
    assert "NaN" not in text
    few = _one_team([[1, 2, 3], [0, 0, 0], [0, 0, 0], [2, 0, 0], [3, 0, 0]])
    assert few.reliability["safety"].status in ("too_few", "suppressed")


def test_chunked_equals_whole() -> None:
    survey = make_survey(n=1500, seed=9)
    whole = lc.score(survey)
    parts = [summarise(c) for c in survey.chunks(137)]
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    chunked = lc.score(total)
    assert chunked.to_json() == whole.to_json()
    for dim in whole.dimensions:
        a, b = whole.per_dimension[dim], chunked.per_dimension[dim]
        assert np.allclose(a.mean, b.mean, rtol=0, atol=1e-12, equal_nan=True)
        assert np.allclose(a.sd, b.sd, rtol=0, atol=1e-12, equal_nan=True)
    small_rows = lc.score(summarise(survey, chunk_rows=100))
    assert small_rows.to_json() == whole.to_json()


def test_seven_point_scale_and_pomp() -> None:
    survey = make_survey(lo=0, hi=6, seed=3)
    report = lc.score(survey)
    df = keyed_frame(survey, "safety")
    expected = pg.cronbach_alpha(df, nan_policy="listwise")[0]
    assert report.reliability["safety"].value == pytest.approx(expected, abs=1e-12)
    cell = report.scores("org:o")["safety"]
    assert isinstance(cell, lc.CellScore)
    assert cell.mean == pytest.approx(100 * (cell.mean_raw - 0) / 6, abs=1e-12)


def test_t_quantile_equals_scipy() -> None:
    df = np.array([1, 2, 3, 4, 7, 20, 99, 500, 999, 1000, 12345, 1e6])
    for p in (0.95, 0.975, 0.995):
        assert np.max(np.abs(t_quantile(p, df) - scipy.stats.t.ppf(p, df))) < 1e-10


def test_report_views_and_privacy() -> None:
    survey = make_survey(n=120, seed=11)
    report = lc.score(survey)
    for backend in ("pandas", "polars", "pyarrow"):
        table = report.to_dataframe("cells", backend=backend)  # type: ignore[arg-type]
        assert len(table) == len(report.cells) * len(report.dimensions)
    for kind in ("reliability", "items", "clustering", "audit"):
        report.to_dataframe(kind)  # type: ignore[arg-type]
    data = json.loads(report.to_json())
    assert set(data) >= {"cells", "reliability", "audit", "settings"}
    for row in data["cells"]:
        if row["status"] == "suppressed":
            assert row["mean"] is None
            assert row["sd"] is None
            assert row["rwg"] is None
    assert "respondents x" not in repr(report)
    assert "cells x" in repr(report)
    profile = report.profile("afd:a")
    assert set(profile.scores) | set(report.withheld("afd:a")) == set(report.dimensions)
    with pytest.raises(lc.LeercultuurError):
        report.profile("team:nope")
    with pytest.raises(lc.LeercultuurError):
        report.to_dataframe("nope")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "options",
    [
        {"min_group_size": 2},
        {"min_answered": 0},
        {"min_answered": 1.5},
        {"confidence": 1.0},
        {"alpha_policy": "all"},
    ],
)
def test_bad_options_raise_leercultuur_errors(options: dict[str, object]) -> None:
    with pytest.raises(lc.LeercultuurError):
        lc.score(make_survey(n=20), **options)  # type: ignore[arg-type]


@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 60),
    missing=st.floats(0, 0.6),
    k=st.integers(3, 6),
)
def test_bounds_and_permutation_invariance(seed: int, n: int, missing: float, k: int) -> None:
    survey = make_survey(n=n, seed=seed, missing=missing)
    report = lc.score(survey, min_group_size=k, min_answered=0.01)
    for cell in report.cells:
        for entry in report.scores(cell).values():
            if isinstance(entry, lc.CellScore):
                assert 0 <= entry.mean <= 100
                assert entry.n >= k
                assert entry.rwg.value is None or 0 <= entry.rwg.value <= 1
                assert 0 <= entry.ci_low.value <= entry.mean <= entry.ci_high.value <= 100  # type: ignore[operator]
    for rel in report.reliability.values():
        assert rel.value is None or rel.value <= 1 + 1e-12
    perm = np.random.default_rng(seed).permutation(n)
    shuffled = lc.Survey.from_codes(
        survey.codes[perm],
        instrument=survey.instrument,
        unit_of=survey.unit_of[perm],
        units=survey.units,
        parent=survey.parent,
        attributes={k2: (c[perm], lab) for k2, (c, lab) in survey.attributes.items()},
    )
    again = lc.score(shuffled, min_group_size=k, min_answered=0.01)
    a, b = json.loads(report.to_json()), json.loads(again.to_json())
    assert _close(a, b)


def _close(a: dict[str, object], b: dict[str, object]) -> bool:
    def walk(x: object, y: object) -> bool:
        if isinstance(x, dict) and isinstance(y, dict):
            return x.keys() == y.keys() and all(walk(x[k], y[k]) for k in x)
        if isinstance(x, list) and isinstance(y, list):
            return len(x) == len(y) and all(walk(u, v) for u, v in zip(x, y, strict=True))
        if isinstance(x, float) and isinstance(y, float):
            return abs(x - y) <= 1e-9
        return x == y

    return walk(a, b)


def test_pattern_path_equals_direct_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from leercultuur.scoring import _stats

    survey = make_survey(n=700, seed=12)
    fast = summarise(survey, chunk_rows=256)
    monkeypatch.setattr(_stats, "MAX_PATTERNS", 0)
    slow = summarise(survey, chunk_rows=256)
    for a, b in zip(fast.stats.dims, slow.stats.dims, strict=True):
        for field in ("cnt", "s1", "s2", "lc", "lx", "lq", "pn", "pp", "pq", "wx", "wq"):
            assert np.array_equal(getattr(a, field), getattr(b, field)), field
        assert a.wn == b.wn
    assert lc.score(fast).to_json() == lc.score(slow).to_json()


def test_indicators_combine_into_the_profile_with_visible_sources() -> None:
    from leercultuur.scoring.indicators import Indicator, Linear

    survey = make_survey(n=300, seed=13)
    hours = Indicator("learning_hours", "autonomy", 20.0, Linear(0, 40), "h/FTE/year")
    ict = Indicator("ict_maturity", "resources", 3.0, Linear(1, 5), "level")
    report = lc.score(survey, indicators=[hours, ict], indicator_weight=0.25)
    sources = report.sources("afd:a")
    survey_part = report.scores("afd:a")["autonomy"]
    assert isinstance(survey_part, lc.CellScore)
    assert sources["autonomy"] == (("survey", 0.75, survey_part.mean), ("indicators", 0.25, 50.0))
    profile = report.profile("afd:a")
    assert profile.value("autonomy") == pytest.approx(0.75 * survey_part.mean + 0.25 * 50.0)
    assert profile.value("resources") == pytest.approx(50.0)
    assert report.indicators["autonomy"].contributions[0].indicator == "learning_hours"
    with pytest.raises(lc.LeercultuurError):
        lc.score(survey, indicator_weight=2.0)


def test_sparse_base_keys_merge_exactly() -> None:
    from leercultuur.scoring import _stats
    from leercultuur.scoring._score import _design, _layout

    survey = make_survey(n=500, seed=21)
    layout, design = _layout(survey), _design(survey)
    attrs_codes = [survey.attributes[name][0] for name, _ in design.attributes]
    keys = design.base_keys(survey.unit_of, attrs_codes)
    whole = _stats.accumulate(survey.codes, keys, layout)
    halves = [
        _stats.accumulate(survey.codes[sl], keys[sl], layout, chunk_rows=64)
        for sl in (slice(0, 123), slice(123, None))
    ]
    merged = halves[0] + halves[1]
    assert np.array_equal(merged.keys, whole.keys)
    assert np.array_equal(merged.n_resp, whole.n_resp)
    for a, b in zip(merged.dims, whole.dims, strict=True):
        for field in ("cnt", "s1", "s2", "lc", "lx", "lq", "pn", "pp", "pq", "wx", "wq"):
            assert np.array_equal(getattr(a, field), getattr(b, field)), field


def test_float_moment_path_equals_exact_integer_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from leercultuur.scoring import _formulas

    survey = make_survey(n=800, seed=17)
    exact = lc.score(survey)
    monkeypatch.setattr(_formulas, "exact_moments", lambda *a: None)
    floats = lc.score(survey)
    for dim in exact.dimensions:
        a, b = exact.per_dimension[dim], floats.per_dimension[dim]
        assert np.array_equal(a.n, b.n)
        assert np.array_equal(a.suppressed, b.suppressed)
        assert np.allclose(a.mean, b.mean, rtol=0, atol=1e-12, equal_nan=True)
        assert np.allclose(a.sd, b.sd, rtol=0, atol=1e-12, equal_nan=True)
        assert np.allclose(a.rwg, b.rwg, rtol=0, atol=1e-12, equal_nan=True)


def test_withheld_values_are_not_kept_and_summaries_hide_sums() -> None:
    survey = make_survey(n=40, seed=23)
    report = lc.score(survey, min_group_size=8)
    for dim, d in report.per_dimension.items():
        for i, cell in enumerate(report.cells):
            if isinstance(report.scores(cell)[dim], lc.Suppressed):
                assert np.isnan(d.mean[i])
                assert np.isnan(d.sd[i])
                assert np.isnan(d.rwg[i])
    text = repr(summarise(survey))
    assert text.startswith("<Summary test.scoring: 40 respondents")


def test_documented_edge_cases_come_back_typed() -> None:
    # an empty response, a skipped dimension, a unit without complete rows, a singleton unit
    inst = instrument()
    rows = np.full((20, 10), 3, dtype=np.uint8)
    rows[0] = 0  # answered nothing
    rows[1, 4:9] = 0  # skipped autonomy entirely
    rows[6:12, 0] = 0  # team:a2 (rows 6..11) never completes safety
    unit_of = np.array([3] * 6 + [4] * 6 + [5] * 6 + [6, 7], dtype=np.int32)
    survey = lc.Survey.from_codes(
        rows, instrument=inst, unit_of=unit_of, units=UNITS, parent=np.array(PARENT, np.int32)
    )
    report = lc.score(survey)
    a2 = report.scores("team:a2")["safety"]
    assert isinstance(a2, lc.CellScore)
    assert a2.n_complete == 0
    assert a2.rwg.status == "too_few"
    single = report.scores("team:b2")["safety"]
    assert isinstance(single, lc.Suppressed)
    assert single.n == 1
    assert single.reason == "below_threshold"
    assert report.withheld("team:b1")["safety"].reason == "complementary"
    org = report.scores("org:o")["autonomy"]
    assert isinstance(org, lc.CellScore)
    assert org.n == 18
    assert report.reliability["interaction"].status == "one_item"
    json.loads(report.to_json())


def _wide_survey(n_items: int, n: int, seed: int) -> lc.Survey:
    rng = np.random.default_rng(seed)
    items = tuple(
        lc.Item(f"Q{i}", lc.Text("v", "q"), ("safety", "autonomy", "relations")[i % 3],
                reverse=i % 4 == 0)
        for i in range(n_items)
    )  # fmt: skip
    inst = lc.Instrument(
        id="test.wide", version="1", name=lc.Text("b", "b"),
        scale=lc.ResponseScale(lo=1, hi=5), items=items, licence=lc.Licence("MIT"),
    )  # fmt: skip
    codes = rng.integers(1, 6, (n, n_items)).astype(np.uint8)
    codes[rng.random(codes.shape) < 0.15] = 0
    return lc.Survey.from_codes(
        codes, instrument=inst, unit_of=rng.integers(3, 8, n).astype(np.int32), units=UNITS,
        parent=np.array(PARENT, dtype=np.int32),
    )  # fmt: skip


@pytest.mark.parametrize("n_items", [9, 12, 16])
@pytest.mark.parametrize("chunk", [None, 7])
def test_one_pass_route_equals_summary_route(
    n_items: int, chunk: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # score(survey) takes the one-pass route; score(summarise(survey)) the mergeable sums;
    # both must publish the same numbers bit for bit, with any chunking of the one pass
    from leercultuur.scoring import _fast, _small

    if chunk is not None:  # numpy's chunked passes, not the small-survey path or the kernel
        monkeypatch.setattr(_fast, "CHUNK_ROWS", chunk)
        monkeypatch.setattr(_small, "SMALL_ROWS", 0)
        monkeypatch.setattr(_accel, "_forced", False)
    survey = _wide_survey(n_items, 600, seed=n_items)
    for options in ({}, {"min_answered": 1.0}, {"min_answered": 0.2, "alpha_policy": "pairwise"}):
        direct = lc.score(survey, **options)  # type: ignore[arg-type]
        summed = lc.score(summarise(survey), **options)  # type: ignore[arg-type]
        assert direct.to_json() == summed.to_json()
    gendered = make_survey(n=500, seed=31)
    assert lc.score(gendered).to_json() == lc.score(summarise(gendered)).to_json()


@pytest.mark.parametrize("cap", [1, 3, 7, 8, 63])
def test_one_pass_chunk_capacity_flushes_and_splits(
    cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a forced small per-bin capacity makes the chunked pass flush its packed sums often and
    # halve crowded chunks (cap 1: every chunk down to single rows); 2**b - 1 capacities pack
    # the rwg fields (keyed answers less one) tighter; every route publishes the same numbers
    from leercultuur.scoring import _fast, _small

    monkeypatch.setattr(_fast, "CHUNK_ROWS", 64)
    monkeypatch.setattr(_small, "SMALL_ROWS", 0)
    monkeypatch.setattr(_fast, "_plan", lambda *a, **k: cap)
    monkeypatch.setattr(_accel, "_forced", False)  # numpy's chunked pass (the kernel has its own)
    for survey in (_wide_survey(12, 300, seed=cap), make_survey(n=300, seed=cap, hi=7)):
        summed = lc.score(summarise(survey)).to_json()
        assert lc.score(survey).to_json() == summed


@given(
    size=st.integers(1, 7),
    shapes=st.lists(st.tuples(st.integers(1, 4), st.integers(0, 2**16)), min_size=1, max_size=4),
    seed=st.integers(0, 2**32 - 1),
)
def test_alpha_sums_of_all_dimensions_at_once_equal_the_per_dimension_sums(
    size: int, shapes: list[tuple[int, int]], seed: int
) -> None:
    # the one-pass route sums alpha's inputs from two-item marginals of all histograms at
    # once; they must equal, integer for integer, the product-sum over the pattern table
    from leercultuur.scoring._alpha import _alpha_sums, alpha_sums_batch

    rng = np.random.default_rng(seed)
    dims, hists = [], []
    for j, bits in shapes:
        rev = tuple(bool(bits >> u & 1) for u in range(j))
        need = 1 + bits % j
        dims.append((j, rev, need))
        n = (size + 1) ** j
        hists.append(rng.integers(0, 10**6, n) * (rng.random(n) < 0.5))
    batch = alpha_sums_batch(hists, dims, size)
    assert len(batch) == len(dims)
    for hist, (j, rev, need), got in zip(hists, dims, batch, strict=True):
        assert np.array_equal(got, _alpha_sums(hist, j, size, rev, need))


@pytest.mark.parametrize("fill", [0.001, 0.6])
def test_alpha_sums_of_a_long_dimension_build_no_full_pattern_table(
    fill: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 7 items on a 5-point scale: 6**7 answer patterns; a full per-pattern table would take
    # hundreds of MiB, so sparse histograms use their used rows and dense ones the marginals
    from leercultuur.scoring import _alpha

    rng = np.random.default_rng(7)
    j, size, rev, need = 7, 5, (True, False, False, True, False, False, False), 4
    n = (size + 1) ** j
    hist = (rng.integers(0, 100, n) * (rng.random(n) < fill)).astype(np.int64)
    used = np.flatnonzero(hist)
    rows = _alpha._alpha_rows(used, j, size, rev, need)
    by_rows = np.rint(np.einsum("pq,p->q", rows, hist[used].astype(np.float64))).astype(np.int64)

    def no_table(*args: object) -> None:
        raise AssertionError("the full per-pattern table was built")

    monkeypatch.setattr(_alpha, "_alpha_table", no_table)
    got = _alpha._alpha_sums(hist, j, size, rev, need)
    assert np.array_equal(got, by_rows)
    assert np.array_equal(got, _alpha.alpha_sums_batch([hist], [(j, rev, need)], size)[0])


@pytest.mark.parametrize("cells", [0, 1 << 20])
def test_one_pass_alpha_routes_equal_the_summary_route(
    cells: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no kept per-pattern table (cells 0): alpha's sums from the histograms' marginals
    from leercultuur.scoring import _alpha, _small

    monkeypatch.setattr(_small, "SMALL_ROWS", 0)
    monkeypatch.setattr(_alpha, "_TABLE_CELLS", cells)
    for survey in (_wide_survey(12, 2000, seed=4), make_survey(n=900, seed=8, hi=7)):
        for options in ({}, {"alpha_policy": "pairwise"}):
            direct = lc.score(survey, **options)  # type: ignore[arg-type]
            assert direct.to_json() == lc.score(summarise(survey), **options).to_json()  # type: ignore[arg-type]


def test_float_moment_route_of_a_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    # the float route (taken when exact integer cell sums could overflow) agrees closely
    from leercultuur.scoring import _formulas

    survey = make_survey(n=800, seed=17)
    exact = lc.score(survey)
    monkeypatch.setattr(_formulas, "exact_moments", lambda *a: None)
    floats = lc.score(summarise(survey))
    for dim in exact.dimensions:
        a, b = exact.per_dimension[dim], floats.per_dimension[dim]
        assert np.array_equal(a.suppressed, b.suppressed)
        assert np.allclose(a.mean, b.mean, rtol=0, atol=1e-12, equal_nan=True)
        assert np.allclose(a.sd, b.sd, rtol=0, atol=1e-12, equal_nan=True)
        assert np.allclose(a.rwg, b.rwg, rtol=0, atol=1e-12, equal_nan=True)


def test_core_timing_mode_only_drops_agreement() -> None:
    from leercultuur.scoring._score import _score

    survey = make_survey(n=300, seed=5)
    full, core = lc.score(survey), _score(survey, agreement=False)
    for dim in full.dimensions:
        a, b = full.per_dimension[dim], core.per_dimension[dim]
        assert np.array_equal(a.mean, b.mean, equal_nan=True)
        assert np.all(np.isnan(b.rwg))
    assert full.reliability == core.reliability


@pytest.mark.parametrize("k", [3, 5, 40])
def test_cells_table_equals_the_scores_read_one_by_one(k: int) -> None:
    report = lc.score(make_survey(seed=5), min_group_size=k)
    rows = report.to_dict()["cells"]
    assert len(rows) == len(report.cells) * len(report.dimensions)
    expected = []
    for cell in report.cells:
        for dim, e in report.scores(cell).items():
            if isinstance(e, lc.Suppressed):
                expected.append((cell, dim, "suppressed", e.reason, e.n, *[None] * 7))
            else:
                ci = (e.ci_low.value, e.ci_high.value)
                expected.append(
                    (cell, dim, "ok", "", e.n, e.mean, e.sd.value, *ci, e.mean_raw,
                     e.rwg.value, e.n_complete)
                )  # fmt: skip
    assert [tuple(r.values()) for r in rows] == expected
    assert any(r["status"] == "suppressed" for r in rows) == (k == 40)


def test_a_report_pickles_before_and_after_omega_is_read() -> None:
    # reports cross process boundaries (multiprocessing, job queues) unchanged
    import pickle

    fresh = lc.score(make_survey())
    read = lc.score(make_survey())
    _ = [rel.omega for rel in read.reliability.values()]
    for report in (fresh, read):
        back = pickle.loads(pickle.dumps(report))
        assert back.to_json() == report.to_json()
        assert back.audit == report.audit
