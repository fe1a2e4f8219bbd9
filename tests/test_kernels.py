"""The compiled one-pass kernel (``scoring._kernels``) gives exactly the numpy routes' sums.

Every sum is an exact integer, so the kernel's int64 words must equal the numpy routes'
packed float sums bit for bit: the sufficient statistics directly (against the chunked pass
with small chunks and the small-survey stacked sums), and everything ``score()`` publishes
(with the kernels forced on and off).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leercultuur as lc
from leercultuur import _accel
from leercultuur.scoring import _fast, _small

pytest.importorskip("numba")

from leercultuur.scoring import _kernels

_FIELDS = ("bn", "t1", "t2", "lcm", "lc", "lq", "lx", "pn", "pp", "pq", "wn", "wx", "wq")
_FIELDS += ("need", "s2_scored")


def _random_layout(rng: np.random.Generator, n: int) -> tuple[object, ...]:
    """Random answers: any scale of 2..7 options, unequal dimensions, missing answers,
    reverse keys, base cells that stay empty and columns in any order."""
    size = int(rng.integers(2, 8))
    lens = [int(v) for v in rng.integers(1, 6, int(rng.integers(1, 5)))]
    lens = [j for j in lens if (size + 1) ** j <= 1 << 14] or [1]
    n_items = sum(lens) + int(rng.integers(0, 3))
    missing = float(rng.choice([0.0, 0.1, 0.5]))
    codes = rng.integers(1, size + 1, (n, n_items)).astype(np.uint8)
    codes[rng.random(codes.shape) < missing] = 0
    perm = rng.permutation(n_items)
    cols, at = [], 0
    for length in lens:
        cols.append(np.sort(perm[at : at + length]).astype(np.intp))
        at += length
    reverse = rng.random(n_items) < 0.3
    nk = int(rng.integers(1, 40))
    used = int(rng.integers(1, nk + 1))  # cells used..nk - 1 get no respondents
    inv = rng.integers(0, used, n).astype(np.intp)
    needs = [int(rng.integers(1, length + 1)) for length in lens]
    return codes, inv, nk, tuple(cols), reverse, size, needs


def _assert_same(a: tuple[object, ...] | None, b: tuple[object, ...] | None) -> None:
    assert a is not None
    assert b is not None
    assert np.array_equal(a[0], b[0])  # type: ignore[index]
    for x, y in zip(a[1], b[1], strict=True):  # type: ignore[index, call-overload]
        for field in _FIELDS:
            assert np.array_equal(getattr(x, field), getattr(y, field)), field


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 700),
    agreement=st.booleans(),
    chunk=st.sampled_from([5, 64, 1 << 16]),
)
def test_kernel_sums_equal_the_chunked_and_the_small_numpy_sums(
    seed: int, n: int, agreement: bool, chunk: int
) -> None:
    # n up to 700 crosses the kernel's 256-row blocks; small chunks make the numpy pass
    # flush and split
    args = _random_layout(np.random.default_rng(seed), n)
    kernel = _kernels.kernel_moments(*args, agreement=agreement)  # type: ignore[arg-type]
    chunked = _fast.fast_moments(*args, agreement=agreement, chunk_rows=chunk)  # type: ignore[arg-type]
    _assert_same(kernel, chunked)
    small = _small.small_moments(*args, agreement=agreement)  # type: ignore[arg-type]
    if small is not None:
        _assert_same(kernel, small)


@pytest.mark.parametrize("caps", [(1,), (3,), (1, 7)])
def test_kernel_unpacks_a_cell_before_its_packed_words_could_carry(
    caps: tuple[int, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a tiny capacity: crowded cells are unpacked every few respondents
    monkeypatch.setattr(_kernels, "_CAPS", caps)
    _kernels._layout.cache_clear()
    try:
        rng = np.random.default_rng(sum(caps))
        for agreement in (True, False):
            for n in (1, 9, 300, 1000):
                args = _random_layout(rng, n)
                kernel = _kernels.kernel_moments(*args, agreement=agreement)  # type: ignore[arg-type]
                whole = _fast.fast_moments(*args, agreement=agreement)  # type: ignore[arg-type]
                _assert_same(kernel, whole)
    finally:
        _kernels._layout.cache_clear()


def _equal_dimensions(
    rng: np.random.Generator, n: int, size: int, j: int, n_dims: int
) -> tuple[object, ...]:
    """Answers to *n_dims* dimensions of *j* items each, interleaved, 8% missing."""
    n_items = j * n_dims
    codes = rng.integers(1, size + 1, (n, n_items)).astype(np.uint8)
    codes[rng.random(codes.shape) < 0.08] = 0
    cols = tuple(np.arange(d, n_items, n_dims, dtype=np.intp) for d in range(n_dims))
    nk = int(rng.integers(1, 60))
    inv = rng.integers(0, nk, n).astype(np.intp)
    reverse = rng.random(n_items) < 0.2
    return codes, inv, nk, cols, reverse, size, [(j + 1) // 2] * n_dims


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(257, 1500),
    size=st.sampled_from([4, 5, 6]),
    j=st.sampled_from([4, 5]),
    n_dims=st.integers(1, 9),
)
def test_kernel_paired_words_equal_the_numpy_sums(
    seed: int, n: int, size: int, j: int, n_dims: int
) -> None:
    # two packed words per dimension with rwg(j)'s sums (the benchmark's shape): the kernel
    # gathers each dimension's word pairs side by side; one word each without them
    args = _equal_dimensions(np.random.default_rng(seed), n, size, j, n_dims)
    for agreement, per_dim in ((True, 2), (False, 1)):
        cols = tuple(tuple(int(v) for v in c) for c in args[3])  # type: ignore[attr-defined]
        revs = tuple(tuple(bool(args[4][c]) for c in col) for col in cols)  # type: ignore[index]
        dims = tuple((j, rev, (j + 1) // 2) for rev in revs)
        lay = _kernels._layout(dims, cols, size, agreement)
        assert lay is not None
        assert np.diff(lay.words).tolist() == [per_dim] * n_dims
        kernel = _kernels.kernel_moments(*args, agreement=agreement)  # type: ignore[arg-type]
        whole = _fast.fast_moments(*args, agreement=agreement, chunk_rows=100)  # type: ignore[arg-type]
        _assert_same(kernel, whole)


def test_kernel_declines_too_many_patterns_and_score_falls_back() -> None:
    # 20 items of one dimension on a 5-point scale: 6**20 patterns, no tables
    items = tuple(lc.Item(f"Q{i}", lc.Text("v", "q"), "safety") for i in range(20))
    inst = lc.Instrument(
        id="test.long", version="1", name=lc.Text("b", "b"),
        scale=lc.ResponseScale(lo=1, hi=5), items=items, licence=lc.Licence("MIT"),
    )  # fmt: skip
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 6, (60, 20)).astype(np.uint8)
    survey = lc.Survey.from_codes(
        codes, instrument=inst, unit_of=np.zeros(60, np.int32), units=["team:a"],
        parent=np.array([-1], np.int32),
    )  # fmt: skip
    cols = (np.arange(20, dtype=np.intp),)
    args = (codes, np.zeros(60, np.intp), 1, cols, np.zeros(20, bool), 5, [10])
    assert _kernels.kernel_moments(*args) is None
    with _accel.forced(True), pytest.MonkeyPatch.context() as mp:
        mp.setattr(_small, "KERNEL_ROWS", 0)
        on = lc.score(survey).to_json()
    with _accel.forced(False):
        off = lc.score(survey).to_json()
    assert on == off


def _survey(seed: int, n: int, hi: int, missing: float, lens: list[int]) -> lc.Survey:
    rng = np.random.default_rng(seed)
    dims = ("safety", "autonomy", "relations", "interaction")
    items = tuple(
        lc.Item(f"Q{d}{u}", lc.Text("v", "q"), dims[d], reverse=bool(rng.random() < 0.3))
        for d, j in enumerate(lens)
        for u in range(j)
    )
    inst = lc.Instrument(
        id="test.kernels", version="1", name=lc.Text("b", "b"),
        scale=lc.ResponseScale(lo=1, hi=hi), items=items, licence=lc.Licence("MIT"),
    )  # fmt: skip
    n_items = len(items)
    order = rng.permutation(n_items)  # a dimension's items anywhere in the row
    codes = rng.integers(1, hi + 1, (n, n_items)).astype(np.uint8)[:, order]
    codes[rng.random(codes.shape) < missing] = 0
    units = ["org:o", "afd:a", "afd:b", "team:a1", "team:a2", "team:b1", "team:b2"]
    parent = np.array([-1, 0, 0, 1, 1, 2, 2], np.int32)
    return lc.Survey.from_codes(
        codes[:, np.argsort(order)], instrument=inst,
        unit_of=rng.integers(3, 7, n).astype(np.int32), units=units, parent=parent,
        attributes={"role": (rng.integers(-1, 2, n).astype(np.int32), ("a", "b"))},
    )  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(3, 400),
    hi=st.sampled_from([5, 7]),
    missing=st.sampled_from([0.0, 0.15, 0.6]),
    lens=st.lists(st.integers(1, 5), min_size=1, max_size=4),
    min_answered=st.sampled_from([0.5, 1.0, 0.2]),
)
def test_score_publishes_the_same_with_and_without_kernels(
    seed: int, n: int, hi: int, missing: float, lens: list[int], min_answered: float
) -> None:
    survey = _survey(seed, n, hi, missing, lens)
    with _accel.forced(True), pytest.MonkeyPatch.context() as mp:
        mp.setattr(_small, "KERNEL_ROWS", 0)  # the kernel for every size here
        on = lc.score(survey, min_answered=min_answered)
    with _accel.forced(False):
        off = lc.score(survey, min_answered=min_answered)
    assert on.to_json() == off.to_json()


def test_importing_leercultuur_does_not_import_numba() -> None:
    code = "import sys, leercultuur; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_score_takes_the_kernel_above_the_small_survey_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    real = _kernels.kernel_moments

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(args[0].shape[0])  # type: ignore[attr-defined]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_kernels, "kernel_moments", spy)
    with _accel.forced(True):
        small = lc.score(_survey(1, _small.KERNEL_ROWS, 5, 0.1, [3, 4]))
        large = lc.score(_survey(1, _small.KERNEL_ROWS + 1, 5, 0.1, [3, 4]))
    assert calls == [_small.KERNEL_ROWS + 1]
    with _accel.forced(False):
        assert lc.score(_survey(1, _small.KERNEL_ROWS, 5, 0.1, [3, 4])).to_json() == small.to_json()
        assert (
            lc.score(_survey(1, _small.KERNEL_ROWS + 1, 5, 0.1, [3, 4])).to_json()
            == large.to_json()
        )
    assert calls == [_small.KERNEL_ROWS + 1]
