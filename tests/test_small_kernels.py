"""The compiled kernels after scoring's sums give the numpy route's numbers bit for bit.

Every property scores the same survey twice, once with the kernels
(``leercultuur._accel.forced(True)``) and once with plain numpy (``forced(False)``), and
compares every published array byte for byte, the JSON export (every published number at
repr precision, omega included) and the audit log: the cell builder, the cell sums (with and
without the hierarchy plan, both matrix layouts), the published statistics and rwg(j), the
ICCs and the reliabilities (listwise and pairwise).
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))  # tests run with --import-mode=importlib
import leercultuur as lc
from leercultuur import _accel
from leercultuur.scoring import _build, _clustering
from scoring_support import assert_same_report, instrument

pytest.importorskip("numba")

from leercultuur.scoring import _cellkernels  # after the skip: it imports numba


def _survey(seed: int, n: int, lens: list[int], hi: int, n_teams: int, n_depts: int, cross: int,
            miss: float) -> lc.Survey:  # fmt: skip
    rng = np.random.default_rng(seed)
    inst = instrument(lens, hi, int(rng.integers(2, 6)), "k.i")
    k = len(inst.items)
    base = rng.normal(0, 1, (n, 1))
    x = np.clip(np.rint((hi + 1) / 2 + base * 1.2 + rng.normal(0, 1, (n, k))), 1, hi)
    x = x.astype(np.uint8)
    x[rng.random(x.shape) < miss] = 0
    team = rng.integers(0, n_teams, n).astype(np.int32)
    units = [f"afd:{d}" for d in range(n_depts)] + [f"team:{t}" for t in range(n_teams)]
    parent = np.array([-1] * n_depts + [t % n_depts for t in range(n_teams)], dtype=np.int32)
    attributes = {
        f"attr{c}": (
            rng.integers(-1 if rng.random() < 0.3 else 0, 2 + c, n).astype(np.int32),
            tuple(f"v{v}" for v in range(2 + c)),
        )
        for c in range(cross)
    }
    return lc.Survey.from_codes(
        x, instrument=inst, unit_of=team + n_depts, units=units, parent=parent,
        attributes=attributes,
    )  # fmt: skip


def _score(survey: lc.Survey | lc.scoring.Summary, on: bool, **options: object) -> lc.ScoreReport:
    with _accel.forced(on), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lc.score(survey, **options)  # type: ignore[arg-type]


_SURVEYS = st.builds(
    _survey,
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 260),
    lens=st.lists(st.integers(1, 6), min_size=1, max_size=5),  # unequal dimensions, one item
    hi=st.sampled_from([2, 5, 7]),  # 7-point scales too
    n_teams=st.integers(1, 12),  # many teams: empty cells and suppressed ones
    n_depts=st.integers(1, 3),
    cross=st.integers(0, 2),
    miss=st.sampled_from([0.0, 0.08, 0.4]),  # missing answers
)


@settings(max_examples=60, deadline=None)
@given(
    survey=_SURVEYS,
    policy=st.sampled_from(["listwise", "pairwise"]),
    k=st.sampled_from([3, 5, 8]),
    min_answered=st.sampled_from([0.5, 1.0, 0.2]),
    confidence=st.sampled_from([0.95, 0.9]),
)
def test_kernels_equal_numpy_on_surveys(
    survey: lc.Survey, policy: str, k: int, min_answered: float, confidence: float
) -> None:
    options = {"alpha_policy": policy, "min_group_size": k, "min_answered": min_answered,
               "confidence": confidence}  # fmt: skip
    assert_same_report(_score(survey, True, **options), _score(survey, False, **options))


@settings(max_examples=30, deadline=None)
@given(survey=_SURVEYS, parts=st.integers(1, 4))
def test_kernels_equal_numpy_on_chunked_summaries(survey: lc.Survey, parts: int) -> None:
    rows = max(1, survey.codes.shape[0] // parts)
    with _accel.forced(True):
        total = sum(
            (lc.scoring.summarise(c) for c in survey.chunks(rows)),
            lc.scoring.summarise(survey, empty=True),
        )
    whole = _score(survey, True)
    chunked = _score(total, True)
    assert_same_report(chunked, _score(total, False))
    assert chunked.to_json() == whole.to_json()


@settings(max_examples=30, deadline=None)
@given(survey=_SURVEYS)
def test_kernels_equal_numpy_with_the_array_builder(survey: lc.Survey) -> None:
    # the array builder sums unit cells up the hierarchy: the cell-sum kernel's tree route
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_build, "_SMALL_UNITS", -1)
        general = _score(survey, True)
        assert_same_report(general, _score(survey, False))
    assert_same_report(general, _score(survey, True))  # and the small builder's cells give the same


@pytest.mark.parametrize("tree", [True, False])
def test_kernels_equal_numpy_on_a_large_design(tree: bool) -> None:
    # more base cells x fields (65,536) than the kernel sums in rows: its field-by-field
    # layout, with the hierarchy plan (3,040 units: the array builder) and without (2,001
    # units and 2,000 base cells of 56 fields: the small builder's pairs)
    if tree:
        survey = _survey(3, 9000, [4, 3, 5], 5, 3000, 40, 1, 0.08)
    else:
        survey = _survey(4, 6000, [6] * 5, 5, 2000, 1, 0, 0.08)
    assert_same_report(_score(survey, True), _score(survey, False))


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(0, 600) | st.sampled_from([4096, 8192, 8193, 20_001, 70_001]),
    lo=st.integers(0, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_pairwise_sum_follows_numpy(n: int, lo: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(n + lo) * 10.0 ** rng.uniform(-3, 8, n + lo)
    got = _cellkernels.pairwise_sum(a, lo, n)
    want = np.add.reduce(a[lo:])
    assert np.float64(got).tobytes() == want.tobytes() or (n == 0 and got == want)
    rows = a[lo : lo + (n // 3) * 3].reshape(3, -1)  # rows of a matrix, as the kernels read them
    for r in range(3):
        assert (
            _cellkernels.pairwise_sum(rows[r], 0, rows.shape[1]) == np.add.reduce(rows, axis=1)[r]
        )


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), units=st.integers(1, 400))
def test_icc_kernel_equals_numpy(seed: int, units: int) -> None:
    rng = np.random.default_rng(seed)
    n_dims = int(rng.integers(1, 5))
    n = rng.integers(0 if rng.random() < 0.3 else 1, 12, (n_dims, units))
    if rng.random() < 0.7:
        n[:, rng.random(units) < 0.2] = 0  # the same empty units in every dimension
    t1 = n * rng.uniform(1, 5, (n_dims, units))
    t2 = t1 * t1 / np.maximum(n, 1) + n * rng.uniform(0, 2, (n_dims, units))
    names = [f"d{i}" for i in range(n_dims)]
    with _accel.forced(True):
        fast = _clustering.clusterings(names, n, t1, t2, 5)
    with _accel.forced(False):
        plain = _clustering.clusterings(names, n, t1, t2, 5)
    assert repr(dict(fast)) == repr(dict(plain))


def test_covariance_kernel_declines_integers_beyond_float64() -> None:
    # sums too large for exact float64 arithmetic: the kernel says so, the numpy route runs
    big = np.full((1, 3, 3), 1 << 40, dtype=np.int64)
    exact, _c = _cellkernels.covariances(
        np.full((1, 1, 1), 1 << 20, np.int64), big[:, :1], big, True
    )
    assert not exact
    exact, _c = _cellkernels.covariances(
        np.full((1, 1, 1), 50, np.int64), np.full((1, 1, 3), 100, np.int64),
        np.full((1, 3, 3), 400, np.int64), True,
    )  # fmt: skip
    assert exact


@settings(max_examples=40, deadline=None)
@given(survey=_SURVEYS, policy=st.sampled_from(["listwise", "pairwise"]))
def test_reliability_kernels_equal_numpy(survey: lc.Survey, policy: str) -> None:
    with _accel.forced(True):
        fast = _score(survey, True, alpha_policy=policy)
    slow = _score(survey, False, alpha_policy=policy)
    for name in fast.dimensions:
        assert repr(fast.reliability[name]) == repr(slow.reliability[name])
    assert repr(dict(fast.clustering)) == repr(dict(slow.clustering))


@pytest.mark.parametrize("confidence", [0.95, 0.8])
def test_publishing_kernel_without_tabled_quantiles(
    confidence: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no t quantile tabled yet: the kernel says so and gets the numpy route's quantiles
    from leercultuur.scoring import _tdist

    survey = _survey(11, 300, [4, 4, 4], 5, 8, 2, 1, 0.08)
    monkeypatch.setattr(_tdist, "_TABLES", {})
    fast = _score(survey, True, confidence=confidence)
    monkeypatch.setattr(_tdist, "_TABLES", {})
    assert_same_report(fast, _score(survey, False, confidence=confidence))


def test_the_numpy_route_never_imports_numba() -> None:
    # the kernel modules are imported only by the accelerated route
    code = (
        "import sys, warnings, leercultuur as lc\n"
        "from leercultuur import demo\n"
        "assert 'numba' not in sys.modules, 'import'\n"
        "warnings.simplefilter('ignore')\n"
        "lc.score(demo.load_survey(), alpha_policy='pairwise').to_json()\n"
        "assert 'numba' not in sys.modules, 'score'\n"
    )
    env = {**os.environ, "LEERCULTUUR_NUMBA": "0"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=300)
