"""The compiled small-survey sums (``scoring._smallkernel``) equal the numpy route's exactly.

The kernel's :class:`~leercultuur.scoring._fast.DimMoments` and per-cell fields are compared
integer for integer with :func:`~leercultuur.scoring._small.small_moments` (and
:func:`~leercultuur.scoring._fast.fast_moments`), and whole reports scored with the kernels
(``leercultuur._accel.forced(True)``) byte for byte with plain numpy: missing answers, reverse
keys, 2-, 5- and 7-point scales, unequal and one-item dimensions, empty cells, several
``min_answered`` values, agreement on and off.
"""

from __future__ import annotations

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
from leercultuur.scoring import _formulas, _prepare, _stats
from leercultuur.scoring._fast import DimMoments, fast_moments
from leercultuur.scoring._score import _score
from leercultuur.scoring._small import KERNEL_ROWS, small_moments
from scoring_support import assert_same_report, instrument

pytest.importorskip("numba")

from leercultuur.scoring._smallkernel import kernel_small_moments

_FIELDS = ("bn", "t1", "t2", "lc", "lq", "lx", "pn", "pp", "pq", "wx", "wq")
_SCALARS = ("lcm", "wn", "need", "s2_scored")


def _survey(seed: int, n: int, lens: list[int], hi: int, n_teams: int, cross: int,
            miss: float) -> lc.Survey:  # fmt: skip
    rng = np.random.default_rng(seed)
    inst = instrument(lens, hi, int(rng.integers(1, 6)), "s.i")
    x = rng.integers(1, hi + 1, (n, len(inst.items))).astype(np.uint8)
    x[rng.random(x.shape) < miss] = 0
    team = rng.integers(0, n_teams, n).astype(np.int32)
    units = ["afd:a", *(f"team:{t}" for t in range(n_teams))]
    parent = np.array([-1] + [0] * n_teams, dtype=np.int32)
    attributes = {
        f"attr{c}": (
            rng.integers(-1 if rng.random() < 0.3 else 0, 2 + c, n).astype(np.int32),
            tuple(f"v{v}" for v in range(2 + c)),
        )
        for c in range(cross)
    }
    return lc.Survey.from_codes(
        x, instrument=inst, unit_of=team + 1, units=units, parent=parent, attributes=attributes
    )


_SURVEYS = st.builds(
    _survey,
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, KERNEL_ROWS),
    lens=st.lists(st.integers(1, 6), min_size=1, max_size=5),  # unequal, one-item dimensions
    hi=st.sampled_from([2, 5, 7]),
    n_teams=st.integers(1, 40),  # many teams and few rows: empty base cells
    cross=st.integers(0, 3),
    miss=st.sampled_from([0.0, 0.1, 0.5, 1.0]),  # missing answers, none answered at all
)
_MIN_ANSWERED = st.sampled_from([0.5, 1.0, 0.2, 0.75, 1e-9])


def _both(
    survey: lc.Survey, min_answered: float, agreement: bool
) -> tuple[tuple[np.ndarray, list[DimMoments], np.ndarray], tuple[np.ndarray, list[DimMoments]]]:
    layout = _prepare._layout(survey)
    design = _prepare._design(survey)
    needs = [_formulas.needed_items(c.size, min_answered) for c in layout.columns]
    names = design.attributes
    n = survey.codes.shape[0]
    attr = (
        np.stack([survey.attributes[name][0] for name, _ in names])
        if names
        else np.zeros((0, n), np.int32)
    )
    mults = design.multipliers()
    nk = len(design.units) * design.radix
    kernel = kernel_small_moments(
        survey.codes, survey.unit_of, attr, (mults, design.radix, sum(mults)), nk,
        layout.columns, layout.reverse, layout.size, needs, agreement=agreement,
    )  # fmt: skip
    assert kernel is not None
    keys, dense = _prepare._keys(survey, design)
    assert dense == nk
    keys, inv = _stats.base_cells(keys, dense)
    args = (survey.codes, inv, nk, layout.columns, layout.reverse, layout.size, needs)
    numpy = small_moments(*args, agreement=agreement)
    if numpy is None:
        numpy = fast_moments(*args, agreement=agreement)
    assert numpy is not None
    return kernel, numpy


def _equal_moments(a: DimMoments, b: DimMoments, agreement: bool) -> None:
    for field in _FIELDS:
        if not agreement and field in {"lc", "lq", "lx"}:
            continue
        u, v = np.asarray(getattr(a, field)), np.asarray(getattr(b, field))
        assert u.dtype == v.dtype == np.int64, field
        assert u.shape == v.shape, field
        assert np.array_equal(u, v), field
    for field in _SCALARS:
        assert getattr(a, field) == getattr(b, field), field
        assert type(getattr(a, field)) is int, field
    if not agreement:
        assert not a.lc.any()
        assert not a.lq.any()
        assert not a.lx.any()


@settings(max_examples=80, deadline=None)
@given(survey=_SURVEYS, min_answered=_MIN_ANSWERED, agreement=st.booleans())
def test_kernel_sums_equal_numpy_sums(
    survey: lc.Survey, min_answered: float, agreement: bool
) -> None:
    (n_resp, dims, fm), (n_resp0, dims0) = _both(survey, min_answered, agreement)
    assert np.array_equal(n_resp, n_resp0)
    assert n_resp.dtype == np.int64
    assert int(n_resp.sum()) == survey.codes.shape[0]
    assert len(dims) == len(dims0)
    for a, b in zip(dims, dims0, strict=True):
        _equal_moments(a, b, agreement)
    # the cell-sum kernel's layout: respondents, 5 fields per dimension, the listwise sums
    n_dims = len(dims)
    assert fm.shape == (1 + 5 * n_dims + sum(d.lx.shape[1] for d in dims), n_resp.shape[0])
    at = 1 + 5 * n_dims
    for i, d in enumerate(dims0):
        rows = (d.bn, d.t1, d.t2, d.lc, d.lq) if agreement else (d.bn, d.t1, d.t2)
        for f, values in enumerate(rows):
            assert np.array_equal(fm[1 + f * n_dims + i], values)
        j = d.lx.shape[1]
        if agreement:
            assert np.array_equal(fm[at : at + j], d.lx.T)
        at += j


def _scored(survey: lc.Survey, on: bool, **options: object) -> lc.ScoreReport:
    with _accel.forced(on), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _score(survey, **options)  # type: ignore[arg-type]


@settings(max_examples=50, deadline=None)
@given(
    survey=_SURVEYS,
    min_answered=_MIN_ANSWERED,
    agreement=st.booleans(),
    policy=st.sampled_from(["listwise", "pairwise"]),
    k=st.sampled_from([3, 5]),
)
def test_small_survey_reports_equal_across_routes(
    survey: lc.Survey, min_answered: float, agreement: bool, policy: str, k: int
) -> None:
    options = {"min_answered": min_answered, "agreement": agreement, "alpha_policy": policy,
               "min_group_size": k}  # fmt: skip
    assert_same_report(_scored(survey, True, **options), _scored(survey, False, **options))


def test_kernel_declines_sums_past_int64() -> None:
    # one 20-item dimension scored from one answer: T2 per row ~ (7 lcm(1..20))**2 ~ 2**61
    survey = _survey(3, 40, [20], 7, 3, 0, 0.1)
    layout = _prepare._layout(survey)
    mults = _prepare._design(survey).multipliers()
    out = kernel_small_moments(
        survey.codes, survey.unit_of, np.zeros((0, 40), np.int32), (mults, 1, 0), 4,
        layout.columns, layout.reverse, layout.size, [1],
    )  # fmt: skip
    assert out is None
    # score() then takes the numpy sums, with the same report
    assert_same_report(
        _scored(survey, True, min_answered=1e-9), _scored(survey, False, min_answered=1e-9)
    )


def test_small_route_is_taken_and_sums_feed_the_cell_kernel() -> None:
    survey = _survey(7, 200, [4, 4, 4], 5, 8, 1, 0.08)
    with _accel.forced(True):
        found = _prepare.direct(survey, 0.5, True)
    assert found is not None
    assert found.packed is not None
    assert found.packed[0] is not None
    assert int(found.packed[0].sum()) == 200
    with _accel.forced(False):
        plain = _prepare.direct(survey, 0.5, True)
    assert plain is not None
    assert plain.packed is None
    assert np.array_equal(found.keys, plain.keys)
    assert np.array_equal(found.n_resp, plain.n_resp)
    # above KERNEL_ROWS the small-survey kernel is not used
    big = _survey(7, KERNEL_ROWS + 1, [4, 4, 4], 5, 8, 1, 0.08)
    with _accel.forced(True):
        above = _prepare.direct(big, 0.5, True)
    assert above is not None
    assert above.packed is None


def test_dense_cells_are_kept_per_design_shape_and_read_only() -> None:
    from leercultuur.scoring._build import build_cells

    first = _survey(11, 120, [3, 4], 5, 6, 2, 0.1)
    other = _survey(12, 90, [3, 4], 5, 6, 2, 0.3)  # the same design, other answers
    design = _prepare._design(first)
    nk = len(design.units) * design.radix
    cells = _prepare.dense_cells(design, nk, True)
    assert _prepare.dense_cells(_prepare._design(other), nk, True) is cells
    fresh = build_cells(design, np.arange(nk, dtype=np.int64), fast=False)
    assert cells.ids == fresh.ids
    assert dict(cells.index) == dict(fresh.index)
    assert cells.relations == fresh.relations
    for field in ("unit", "pair_cell", "pair_base"):
        arr = getattr(cells, field)
        assert np.array_equal(arr, getattr(fresh, field)), field
        assert not arr.flags.writeable, field
    assert all(not m.flags.writeable for m in cells.members)
    assert all(np.array_equal(a, b) for a, b in zip(cells.members, fresh.members, strict=True))
    # reports share the cells' index: it is read-only, and both reports stay right
    reports = [_scored(s, True) for s in (first, other)]
    with pytest.raises(TypeError):
        reports[0].cell_index["x"] = 0  # type: ignore[index]
    for survey, report in zip((first, other), reports, strict=True):
        assert_same_report(report, _scored(survey, False))


@settings(max_examples=60, deadline=None)
@given(survey=_SURVEYS, k=st.sampled_from([3, 5, 8]), min_answered=_MIN_ANSWERED)
def test_cell_kernel_marks_cells_below_k_as_numpy_does(
    survey: lc.Survey, k: int, min_answered: float
) -> None:
    from leercultuur.scoring._cellstats import cell_moments
    from leercultuur.scoring.disclosure import protect

    with _accel.forced(True):
        found = _prepare.direct(survey, min_answered, True)
    assert found is not None
    assert found.packed is not None
    cells = _prepare.dense_cells(found.design, found.keys.size, True)
    inputs = [
        (d.lx.shape[1], d.need, d, (d.bn, d.t1, d.t2, d.lcm)) for d in found.moments
    ]  # fmt: skip
    parent = found.design.parent_array
    sums = cell_moments(
        cells, cells.base_unit, len(found.design.units), found.n_resp, inputs,  # type: ignore[arg-type]
        parent, fast=True, packed=found.packed, k=k,
    )  # fmt: skip
    assert sums.early is not None
    assert sums.least is not None
    below, code, reach = sums.early
    n = np.asarray(sums.n)
    assert np.array_equal(below, n < k)
    assert np.array_equal(code, (n < k).astype(np.int8) + (n == 0))
    assert np.array_equal(reach, n.max(axis=0) >= k)
    for i, base in enumerate(sums.base_n):
        positive = base[base > 0]
        assert sums.least[i] == (int(positive.min()) if positive.size else 1 << 62)
        # protect() decides the same with and without the kernel's early values
        pairs = (cells.pair_cell, cells.pair_base)
        plain = protect(n[i], cells.members, base, cells.relations, k, pairs=pairs)
        quick = protect(
            n[i], cells.members, base, cells.relations, k, pairs=pairs,
            least=sums.least[i], early=(below[i], code[i]),
        )  # fmt: skip
        assert np.array_equal(plain.suppressed, quick.suppressed)
        assert np.array_equal(plain.primary, quick.primary)
        assert plain.complements == quick.complements
