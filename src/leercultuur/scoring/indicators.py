"""Objective indicators, mapped to 0-100 dimension scores by documented transforms.

Some preconditions show in plain figures as well as in opinions: learning
hours per FTE, the training budget per FTE, the share of staff with a laptop.
An :class:`Indicator` holds one such figure, the dimension (or facet) it
informs, and a :class:`Transform` that maps it to a score from 0 to 100.
The transform is the organisation's own, stated judgement ("40 hours a year
or more is full marks") and every score shows it, so the judgement stays visible
and open to dispute. Transforms are pluggable: any object with the
:class:`Transform` methods works.

>>> from leercultuur.model import Text
>>> hours = Indicator(
...     id="learning_hours", dimension="resources.staff", value=28.0,
...     transform=Linear(lo=0, hi=40), unit="h/FTE/year",
...     label=Text(nl="Leeruren per fte", en="Learning hours per FTE"),
... )
>>> budget = Indicator(
...     id="budget", dimension="resources.finance", value=450.0,
...     transform=Logistic(midpoint=600, slope=0.01), unit="EUR/FTE/year",
... )
>>> scores = indicator_scores([hours, budget])
>>> round(scores["resources.staff"].score, 1), round(scores["resources.finance"].score, 1)
(70.0, 18.2)
>>> print(scores["resources.staff"].contributions[0].transform.en)
linear: 0 scores 0, 40 scores 100
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import attrs

from leercultuur._checks import frozen_map, identifier, nonempty_text
from leercultuur.errors import Problem, ValidationError
from leercultuur.model import Text

__all__ = [
    "Indicator",
    "IndicatorContribution",
    "IndicatorScore",
    "Linear",
    "Logistic",
    "Steps",
    "Transform",
    "indicator_scores",
]


@runtime_checkable
class Transform(Protocol):
    """Maps an indicator's raw value to a score in 0..100.

    Implement ``__call__`` (finite value in, score in 0..100 out), ``monotone``
    (``1`` if the score never falls as the value rises, ``-1`` if it never
    rises, ``0`` otherwise) and ``describe()`` (what it does, in Dutch and English).
    """

    @property
    def monotone(self) -> int:
        """1 non-decreasing, -1 non-increasing, 0 neither."""
        ...  # pragma: no cover - protocol

    def __call__(self, value: float) -> float:
        """Return the score of *value*, in 0..100."""
        ...  # pragma: no cover - protocol

    def describe(self) -> Text:
        """Say what the transform does, in Dutch and English."""
        ...  # pragma: no cover - protocol


def _finite(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok:
        raise ValidationError.single(attribute.name, f"expected a finite number, got {value!r}")


def _g(x: float) -> str:
    return f"{x:g}"


@attrs.frozen
class Linear:
    """A straight line: *lo* scores 0, *hi* scores 100, clipped outside.

    ``score = 100 * (value - lo) / (hi - lo)``, limited to 0..100. With
    ``lo > hi`` the score falls as the value rises (e.g. a vacancy rate).

    >>> Linear(lo=10, hi=40)(25), Linear(lo=10, hi=40)(99), Linear(lo=20, hi=0)(5)
    (50.0, 100.0, 75.0)
    """

    lo: float = attrs.field(validator=_finite)
    hi: float = attrs.field(validator=_finite)

    def __attrs_post_init__(self) -> None:
        if self.lo == self.hi:
            raise ValidationError.single("hi", f"expected hi != lo, got {self.hi!r}")

    @property
    def monotone(self) -> int:
        """1 when ``lo < hi``, -1 when ``lo > hi``."""
        return 1 if self.lo < self.hi else -1

    def __call__(self, value: float) -> float:
        """Return the score of *value*."""
        span = self.hi - self.lo
        if math.isfinite(span):  # value - lo may overflow to +-inf: then the clip is right
            share = (value - self.lo) / span
        else:  # halving is exact here and keeps both differences finite
            share = (value / 2 - self.lo / 2) / (self.hi / 2 - self.lo / 2)
        return min(100.0, max(0.0, 100.0 * share))

    def describe(self) -> Text:
        """Say what the line does."""
        lo, hi = _g(self.lo), _g(self.hi)
        return Text(
            nl=f"lineair: {lo} geeft 0, {hi} geeft 100",
            en=f"linear: {lo} scores 0, {hi} scores 100",
        )


@attrs.frozen
class Logistic:
    """An S-curve: ``score = 100 / (1 + exp(-slope * (value - midpoint)))``.

    The *midpoint* scores 50; a steeper (larger absolute) slope makes the step sharper; a
    negative slope makes the score fall as the value rises.

    >>> Logistic(midpoint=600, slope=0.01)(600)
    50.0
    """

    midpoint: float = attrs.field(validator=_finite)
    slope: float = attrs.field(validator=_finite)

    def __attrs_post_init__(self) -> None:
        if self.slope == 0:
            raise ValidationError.single("slope", "expected a slope other than 0, got 0")

    @property
    def monotone(self) -> int:
        """The sign of the slope."""
        return 1 if self.slope > 0 else -1

    def __call__(self, value: float) -> float:
        """Return the score of *value* (computed without overflow)."""
        z = self.slope * (value - self.midpoint)
        if not math.isfinite(z):
            return 100.0 if z > 0 else 0.0
        if z >= 0:
            return 100.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return 100.0 * e / (1.0 + e)

    def describe(self) -> Text:
        """Say what the curve does."""
        mid, slope = _g(self.midpoint), _g(self.slope)
        return Text(
            nl=f"S-curve: {mid} geeft 50, steilheid {slope}",
            en=f"logistic: {mid} scores 50, slope {slope}",
        )


def _floats(value: Iterable[float]) -> tuple[float, ...]:
    return tuple(value)


@attrs.frozen
class Steps:
    """A staircase: each step from a threshold on has its own score.

    Below ``thresholds[0]`` the score is ``scores[0]``; from ``thresholds[i]`` on it is
    ``scores[i + 1]``.

    >>> ict = Steps(thresholds=(1, 2, 3), scores=(0, 40, 70, 100))
    >>> ict(0.5), ict(2), ict(3.5)
    (0.0, 70.0, 100.0)
    """

    thresholds: tuple[float, ...] = attrs.field(converter=_floats)
    scores: tuple[float, ...] = attrs.field(converter=_floats)

    def __attrs_post_init__(self) -> None:
        problems = []
        for name in ("thresholds", "scores"):
            for i, x in enumerate(getattr(self, name)):
                if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
                    problems.append(Problem(f"{name}[{i}]", f"expected a finite number, got {x!r}"))
        if not problems:
            if not self.thresholds:
                problems.append(Problem("thresholds", "expected at least one threshold"))
            if any(b <= a for a, b in zip(self.thresholds, self.thresholds[1:], strict=False)):
                problems.append(Problem("thresholds", "expected strictly increasing thresholds"))
            if len(self.scores) != len(self.thresholds) + 1:
                problems.append(
                    Problem(
                        "scores",
                        f"expected {len(self.thresholds) + 1} scores (one more than"
                        f" thresholds), got {len(self.scores)}",
                    )
                )
            for i, x in enumerate(self.scores):
                if not 0 <= x <= 100:
                    problems.append(Problem(f"scores[{i}]", f"expected 0..100, got {x!r}"))
        if problems:
            raise ValidationError(problems)

    @property
    def monotone(self) -> int:
        """1 if the scores never fall, -1 if they never rise, 0 otherwise."""
        pairs = list(zip(self.scores, self.scores[1:], strict=False))
        if all(a <= b for a, b in pairs):
            return 1
        if all(a >= b for a, b in pairs):
            return -1
        return 0

    def __call__(self, value: float) -> float:
        """Return the score of the step *value* falls on."""
        return float(self.scores[bisect.bisect_right(self.thresholds, value)])

    def describe(self) -> Text:
        """List the steps."""
        parts = [f"< {_g(self.thresholds[0])}: {_g(self.scores[0])}"]
        parts += [
            f">= {_g(t)}: {_g(s)}" for t, s in zip(self.thresholds, self.scores[1:], strict=True)
        ]
        joined = "; ".join(parts)
        return Text(nl=f"treden: {joined}", en=f"steps: {joined}")


def _transform(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Transform):
        raise ValidationError.single(
            "transform",
            "expected a Transform (with __call__, monotone and describe),"
            f" got {type(value).__name__}",
        )


def _positive(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _finite(_inst, attribute, value)
    if value <= 0:  # type: ignore[operator]
        raise ValidationError.single(attribute.name, f"expected a number > 0, got {value!r}")


@attrs.frozen
class Indicator:
    """One objective figure of an organisation, and how it is scored.

    :param id: identifier, unique among the indicators scored together.
    :param dimension: the dimension or facet it informs, e.g. ``"resources.ict"``.
    :param value: the figure, e.g. 28.0.
    :param transform: how the figure maps to 0..100 (:class:`Linear`, :class:`Logistic`,
        :class:`Steps` or a plugin's own :class:`Transform`).
    :param unit: the figure's unit, e.g. ``"h/FTE/year"``.
    :param label: its name in Dutch and English.
    :param weight: its weight among the indicators of the same dimension (> 0).
    :param source: where the figure comes from (e.g. ``"HR annual report 2025"``).
    """

    id: str = attrs.field(validator=identifier)
    dimension: str = attrs.field(validator=identifier)  # a dimension or 'dimension.facet'
    value: float = attrs.field(validator=_finite)
    transform: Transform = attrs.field(validator=_transform)
    unit: str = attrs.field(validator=nonempty_text)
    label: Text | None = None
    weight: float = attrs.field(default=1.0, validator=_positive)
    source: str | None = None


@attrs.frozen
class IndicatorContribution:
    """How one indicator contributed to its dimension's score.

    :param indicator: the indicator's id.
    :param value: its raw figure, with :attr:`unit`.
    :param score: the transformed score, 0..100.
    :param weight: its weight; :attr:`share` is the weight divided by the dimension's total.
    :param transform: the transform's description.
    """

    indicator: str
    value: float
    unit: str
    score: float
    weight: float
    share: float
    transform: Text
    label: Text | None = None
    source: str | None = None


def _contributions(value: Iterable[IndicatorContribution]) -> tuple[IndicatorContribution, ...]:
    return tuple(value)


@attrs.frozen
class IndicatorScore:
    """The indicator-based score of one dimension or facet: a weighted mean of its indicators.

    :param dimension: the dimension or facet, as the indicators name it.
    :param score: ``sum(weight * score) / sum(weight)`` over :attr:`contributions`, 0..100.
    :param contributions: each indicator's value, score and weight.
    """

    dimension: str
    score: float
    contributions: tuple[IndicatorContribution, ...] = attrs.field(converter=_contributions)


def indicator_scores(
    indicators: Iterable[Indicator], *, dimensions: Iterable[str] | None = None
) -> Mapping[str, IndicatorScore]:
    """Score indicators and combine them per dimension (or facet) by weighted mean.

    The result maps each dimension or facet the indicators name (verbatim,
    e.g. ``"resources.ict"``) to its :class:`IndicatorScore`, sorted by id.

    :param indicators: the indicators; their ids must be unique.
    :param dimensions: if given, the known dimension and facet ids (e.g. from a
        registry); an indicator naming another is an error.
    :raises ValidationError: listing every problem, e.g. a duplicate id or a
        transform that returned a score outside 0..100.
    """
    problems: list[Problem] = []
    known = None if dimensions is None else set(dimensions)
    seen: set[str] = set()
    groups: dict[str, list[IndicatorContribution]] = {}
    for i, ind in enumerate(list[object](indicators)):
        where = f"indicators[{i}] ({getattr(ind, 'id', '?')})"
        if not isinstance(ind, Indicator):
            problems.append(
                Problem(f"indicators[{i}]", f"expected an Indicator, got {type(ind).__name__}")
            )
            continue
        if ind.id in seen:
            problems.append(Problem(where, f"duplicate indicator id {ind.id!r}"))
        seen.add(ind.id)
        if known is not None and ind.dimension not in known:
            problems.append(Problem(where, f"unknown dimension {ind.dimension!r}"))
        try:
            score = float(ind.transform(ind.value))
            description = ind.transform.describe()
        except Exception as exc:  # a plugin transform's bug, named with the indicator
            problems.append(Problem(where, f"the transform raised {exc!r}"))
            continue
        if not math.isfinite(score) or not 0 <= score <= 100:
            problems.append(Problem(where, f"the transform returned {score!r}, expected 0..100"))
            continue
        groups.setdefault(ind.dimension, []).append(
            IndicatorContribution(
                indicator=ind.id,
                value=float(ind.value),
                unit=ind.unit,
                score=score,
                weight=float(ind.weight),
                share=0.0,
                transform=description,
                label=ind.label,
                source=ind.source,
            )
        )
    if problems:
        raise ValidationError(problems)
    out: dict[str, IndicatorScore] = {}
    for dim, raw in groups.items():
        total = sum(p.weight for p in raw)
        parts = [attrs.evolve(p, share=p.weight / total) for p in raw]
        score = sum(p.share * p.score for p in parts)
        out[dim] = IndicatorScore(dim, min(100.0, max(0.0, score)), parts)
    return frozen_map(out)
