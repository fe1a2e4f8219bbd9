"""A unit's context and its learning-culture profile, the inputs of matching."""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs

from leercultuur._checks import frozen_map, identifier, integer, nonempty_text, number

__all__ = ["Context", "CultureProfile", "DimensionScore"]


def _score_map(value: Mapping[str, DimensionScore]) -> Mapping[str, DimensionScore]:
    return frozen_map(value)


@attrs.frozen
class Context:
    """The circumstances of the unit an intervention is matched to.

    :param sector: the unit's sector, e.g. ``hospital`` or ``elderly_care``.
    :param fte: its size in full-time equivalents.
    :param budget_eur: the learning budget available (EUR).
    :param hours_per_fte: learning hours available per FTE per year.
    :param ict_maturity: ICT maturity on 0-100, if known.
    :param participants: how many people an intervention would reach; defaults to the FTE
        rounded up.
    """

    sector: str = attrs.field(validator=identifier)
    fte: float = attrs.field(validator=number(0))
    budget_eur: float = attrs.field(default=0.0, validator=number(0))
    hours_per_fte: float = attrs.field(default=0.0, validator=number(0))
    ict_maturity: float | None = attrs.field(default=None, validator=number(0, 100, optional=True))
    participants: int | None = attrs.field(default=None, validator=integer(1, optional=True))

    @property
    def headcount(self) -> int:
        """The number of participants used for costs: *participants*, or the FTE rounded up."""
        return self.participants if self.participants is not None else max(1, math.ceil(self.fte))


@attrs.frozen
class DimensionScore:
    """A unit's score on one dimension (0-100) with its sample size and uncertainty."""

    value: float = attrs.field(validator=number(0, 100))
    n: int = attrs.field(default=0, validator=integer(0))
    ci_low: float | None = attrs.field(default=None, validator=number(0, 100, optional=True))
    ci_high: float | None = attrs.field(default=None, validator=number(0, 100, optional=True))


@attrs.frozen
class CultureProfile:
    """A unit's learning culture: a :class:`DimensionScore` per dimension (or ``dimension.facet``).

    Built by hand, or by :func:`leercultuur.score` from survey responses.

    >>> p = CultureProfile.from_values("team:a", {"safety": 35, "autonomy": 70})
    >>> p.value("safety")
    35.0
    """

    unit: str = attrs.field(validator=nonempty_text)
    scores: Mapping[str, DimensionScore] = attrs.field(converter=_score_map)

    @classmethod
    def from_values(cls, unit: str, values: Mapping[str, float], n: int = 0) -> CultureProfile:
        """Build a profile from plain 0-100 values (no uncertainty recorded)."""
        scores: dict[str, DimensionScore] = {
            k: DimensionScore(float(v), n=n) for k, v in values.items()
        }
        return cls(unit, scores)

    def value(self, dimension: str) -> float | None:
        """The score on *dimension* (or ``dimension.facet``), or ``None`` if it is unknown."""
        score = self.scores.get(dimension)
        return None if score is None else score.value
