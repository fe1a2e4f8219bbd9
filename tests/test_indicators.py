"""Indicators: transforms are bounded and (where stated) monotone; scores show their parts."""

from __future__ import annotations

import math

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import leercultuur as lc
from leercultuur.scoring.indicators import (
    Indicator,
    Linear,
    Logistic,
    Steps,
    Transform,
    indicator_scores,
)

finite = st.floats(allow_nan=False, allow_infinity=False)
small = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def linears(draw: st.DrawFn) -> Linear:
    lo, hi = draw(small), draw(small)
    assume(lo != hi)
    return Linear(lo, hi)


@st.composite
def logistics(draw: st.DrawFn) -> Logistic:
    slope = draw(st.floats(min_value=-50, max_value=50, allow_nan=False))
    assume(slope != 0)
    return Logistic(draw(small), slope)


@st.composite
def steps(draw: st.DrawFn) -> Steps:
    thresholds = sorted(draw(st.sets(small, min_size=1, max_size=5)))
    scores = draw(
        st.lists(
            st.floats(0, 100, allow_nan=False),
            min_size=len(thresholds) + 1,
            max_size=len(thresholds) + 1,
        )
    )
    return Steps(thresholds, scores)


transforms = st.one_of(linears(), logistics(), steps())


@given(transforms, finite)
def test_every_transform_is_bounded(transform: Transform, value: float) -> None:
    score = transform(value)
    assert math.isfinite(score)
    assert 0 <= score <= 100


@given(transforms, finite, finite)
def test_monotone_transforms_are_monotone(transform: Transform, a: float, b: float) -> None:
    lo, hi = min(a, b), max(a, b)
    if transform.monotone == 1:
        assert transform(lo) <= transform(hi)
    elif transform.monotone == -1:
        assert transform(lo) >= transform(hi)


@given(transforms)
def test_transforms_are_described_in_both_languages(transform: Transform) -> None:
    text = transform.describe()
    assert text.nl
    assert text.en
    assert isinstance(transform, Transform)


def test_built_in_transforms() -> None:
    assert Linear(10, 40)(10) == 0
    assert Linear(10, 40)(40) == 100
    assert Linear(40, 10)(10) == 100
    assert Logistic(5, 1)(5) == 50
    assert Logistic(5, 1)(1e308) == 100
    assert Logistic(5, -1)(1e308) == 0
    ict = Steps((1, 2, 3), (0, 40, 70, 100))
    assert [ict(x) for x in (0, 1, 1.5, 2, 3, 9)] == [0, 40, 40, 70, 100, 100]
    assert ict.monotone == 1
    assert Steps((1,), (50, 10)).monotone == -1
    assert Steps((1, 2), (50, 10, 60)).monotone == 0
    assert Logistic(1, -2).monotone == -1


@pytest.mark.parametrize(
    ("make", "location"),
    [
        (lambda: Linear(3, 3), "hi"),
        (lambda: Linear(float("nan"), 3), "lo"),
        (lambda: Logistic(0, 0), "slope"),
        (lambda: Logistic(0, float("inf")), "slope"),
        (lambda: Steps((2, 1), (0, 1, 2)), "thresholds"),
        (lambda: Steps((), (0,)), "thresholds"),
        (lambda: Steps((1, 2), (0, 1)), "scores"),
        (lambda: Steps((1,), (0, 101)), "scores[1]"),
        (lambda: Steps((float("nan"),), (0, 1)), "thresholds[0]"),
    ],
)
def test_transform_validation(make: object, location: str) -> None:
    with pytest.raises(lc.ValidationError) as info:
        make()  # type: ignore[operator]
    assert location in [p.location for p in info.value.problems]


def _ind(**kw: object) -> Indicator:
    args: dict[str, object] = {
        "id": "hours",
        "dimension": "resources.staff",
        "value": 20.0,
        "transform": Linear(0, 40),
        "unit": "h/FTE",
    }
    args.update(kw)
    return Indicator(**args)  # type: ignore[arg-type]


def test_an_indicator_may_inform_a_facet_of_a_plugin_dimension() -> None:
    # plugin dimension ids carry their namespace, so a facet reference has three parts
    assert _ind(dimension="zorg_x.werkdruk.tijd").dimension == "zorg_x.werkdruk.tijd"


@pytest.mark.parametrize(
    ("kwargs", "location"),
    [
        ({"id": "Hours"}, "id"),
        ({"dimension": "resources..staff"}, "dimension"),
        ({"dimension": "safety\n"}, "dimension"),
        ({"unit": "  "}, "unit"),
        ({"value": float("inf")}, "value"),
        ({"value": "20"}, "value"),
        ({"transform": lambda v: v}, "transform"),
        ({"unit": ""}, "unit"),
        ({"weight": 0}, "weight"),
    ],
)
def test_indicator_validation(kwargs: dict[str, object], location: str) -> None:
    with pytest.raises(lc.ValidationError) as info:
        _ind(**kwargs)
    assert [p.location for p in info.value.problems] == [location]


def test_scores_combine_per_dimension_with_visible_weights() -> None:
    scores = indicator_scores(
        [
            _ind(id="hours", value=20.0, weight=3.0),
            _ind(id="coaches", value=40.0, weight=1.0, unit="coaches/100 FTE"),
            _ind(id="laptops", dimension="resources.ict", value=0.5, transform=Linear(0, 1)),
        ]
    )
    assert list(scores) == ["resources.ict", "resources.staff"]
    staff = scores["resources.staff"]
    assert staff.score == pytest.approx(0.75 * 50 + 0.25 * 100)
    assert [c.indicator for c in staff.contributions] == ["hours", "coaches"]
    assert [c.share for c in staff.contributions] == [0.75, 0.25]
    assert staff.contributions[1].unit == "coaches/100 FTE"
    assert scores["resources.ict"].score == 50


def test_all_problems_are_listed(registry: lc.Registry) -> None:
    @attrs.frozen
    class Broken:
        monotone: int = 0
        result: float = 130.0

        def __call__(self, value: float) -> float:
            if self.result < 0:
                raise ZeroDivisionError("oops")
            return self.result

        def describe(self) -> lc.Text:
            return lc.Text(nl="kapot", en="broken")

    known = [*registry.dimensions, "resources.staff", "resources.finance", "resources.ict"]
    with pytest.raises(lc.ValidationError) as info:
        indicator_scores(
            [
                _ind(),
                _ind(),
                _ind(id="x", transform=Broken()),
                _ind(id="y", transform=Broken(result=-1)),
                _ind(id="z", dimension="wellbeing"),
                "not an indicator",  # type: ignore[list-item]
            ],
            dimensions=known,
        )
    assert [str(p) for p in info.value.problems] == [
        "indicators[1] (hours): duplicate indicator id 'hours'",
        "indicators[2] (x): the transform returned 130.0, expected 0..100",
        "indicators[3] (y): the transform raised ZeroDivisionError('oops')",
        "indicators[4] (z): unknown dimension 'wellbeing'",
        "indicators[5]: expected an Indicator, got str",
    ]


@given(st.lists(st.tuples(transforms, finite, st.floats(0.01, 100)), min_size=1, max_size=6))
def test_a_dimension_score_is_a_weighted_mean_within_its_parts(
    parts: list[tuple[Transform, float, float]],
) -> None:
    inds = [_ind(id=f"i{k}", transform=t, value=v, weight=w) for k, (t, v, w) in enumerate(parts)]
    (score,) = indicator_scores(inds).values()
    each = [c.score for c in score.contributions]
    assert min(each) - 1e-9 <= score.score <= max(each) + 1e-9
    assert sum(c.share for c in score.contributions) == pytest.approx(1)


@pytest.mark.parametrize(
    ("lo", "hi", "value", "score"),
    [
        (-1e308, 1e308, 1e308, 100),
        (-1e308, 1e308, 0, 50),
        (0, 5e-324, -1e308, 0),
        (1e308, -1e308, 1e308, 0),
    ],
)
def test_linear_at_the_edges_of_the_floats(
    lo: float, hi: float, value: float, score: float
) -> None:
    assert Linear(lo, hi)(value) == score
