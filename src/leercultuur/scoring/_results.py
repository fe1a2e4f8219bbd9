"""Typed results of :func:`leercultuur.score`: statistics that may be undefined, cells, reliability.

An undefined statistic is never a bare NaN: it is a :class:`Statistic` (or
:class:`Reliability`) with ``value=None`` and a :data:`Status` saying why.

>>> Statistic(None, "zero_variance", "every answer is the same")
Statistic(value=None, status='zero_variance', reason='every answer is the same')
>>> Statistic(0.8).ok
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from leercultuur._checks import read_only
from leercultuur.errors import LeercultuurWarning

__all__ = [
    "AuditEntry",
    "CellScore",
    "Clustering",
    "DisclosureWarning",
    "Reliability",
    "ScoringWarning",
    "Statistic",
    "Status",
    "Suppressed",
]

Status = Literal[
    "ok",
    "one_item",
    "zero_variance",
    "too_few",
    "one_unit",
    "suppressed",
    "empty",
    "not_positive",
]
"""Why a statistic has (or has no) value: ``ok`` or the data condition that leaves it undefined."""


class ScoringWarning(LeercultuurWarning):
    """A data condition in scoring that the caller should know about (never shows answers)."""


class DisclosureWarning(ScoringWarning):
    """The exact disclosure check could not be completed; more cells were suppressed instead."""


@attrs.frozen
class Statistic:
    """A number that may be undefined.

    :param value: the value, or ``None`` when it is undefined or withheld.
    :param status: ``"ok"`` or the :data:`Status` that explains a missing value.
    :param reason: a human-readable explanation (never quotes answers).
    """

    value: float | None
    status: Status = "ok"
    reason: str = ""

    @property
    def ok(self) -> bool:
        """Whether the statistic has a value."""
        return self.value is not None


@attrs.frozen
class Suppressed:
    """A cell (or one dimension of it) withheld by disclosure control; only its count is published.

    :param reason: why it was withheld: ``"below_threshold"`` (fewer than the minimum group
        size answered), ``"complementary"`` (withheld so that others cannot be derived from it),
        or ``"empty"`` (nobody answered).
    :param n: the cell's respondents with a score on this dimension: the count the threshold
        applies to, the same ``n`` a published :class:`CellScore` and the audit log give.
    :param detail: a longer explanation.
    :param respondents: everyone in the cell, with or without a score on this dimension
        (participation, not answers); ``None`` when not known.
    """

    reason: Literal["below_threshold", "complementary", "empty"]
    n: int
    detail: str = ""
    respondents: int | None = None


@attrs.frozen
class CellScore:
    """A published cell's score on one dimension.

    The mean and its t-based confidence interval are on the POMP scale
    ``100 * (s - lo) / (hi - lo)`` (Cohen, Cohen, Aiken & West 1999); ``mean_raw`` is on the
    answer scale. ``rwg`` is rwg(j) (James, Demaree & Wolf 1984) over the cell's respondents
    who answered every item of the dimension.
    """

    cell: str
    dimension: str
    n: int
    mean: float
    sd: Statistic
    ci_low: Statistic
    ci_high: Statistic
    mean_raw: float
    rwg: Statistic
    n_complete: int


def _stat_map(value: Mapping[str, Statistic]) -> Mapping[str, Statistic]:
    return read_only(value)


@attrs.frozen
class Reliability:
    """Internal consistency of one dimension's items over all respondents.

    ``value`` is Cronbach's alpha (Cronbach 1951) with the missing-data ``policy`` used;
    ``standardised`` is alpha from the correlation matrix; ``omega`` is McDonald's omega total
    from a one-factor minres fit; ``item_total`` holds the corrected item-total correlations and
    ``alpha_if_deleted`` alpha without each item, keyed by item id.
    """

    value: float | None
    status: Status = "ok"
    reason: str = ""
    dimension: str = ""
    policy: Literal["listwise", "pairwise"] = "listwise"
    n_items: int = 0
    n_respondents: int = 0
    standardised: Statistic = Statistic(None, "too_few", "not computed")
    omega: Statistic = Statistic(None, "too_few", "not computed")
    item_total: Mapping[str, Statistic] = attrs.field(factory=dict, converter=_stat_map)
    alpha_if_deleted: Mapping[str, Statistic] = attrs.field(factory=dict, converter=_stat_map)

    @property
    def ok(self) -> bool:
        """Whether alpha has a value."""
        return self.value is not None


@attrs.frozen
class Clustering:
    """How much of a dimension's variance lies between the lowest-level units (Bliese 2000).

    ``icc1`` uses the adjusted group size ``k0 = (N - sum(n_j^2)/N) / (J - 1)``;
    ``icc1_mean_size`` uses ``k = N / J`` as R's ``multilevel::ICC1`` does; ``icc2`` is
    ``(MSB - MSW) / MSB``; ``needed_for_70`` is the number of respondents a unit needs for its
    mean to have reliability 0.70 by Spearman-Brown, ``0.70 (1 - ICC1) / (0.30 ICC1)`` rounded up.
    """

    dimension: str
    n_units: int
    n_respondents: int
    k0: float | None
    icc1: Statistic
    icc1_mean_size: Statistic
    icc2: Statistic
    needed_for_70: Statistic


@attrs.frozen
class AuditEntry:
    """One suppression: which cell, which dimension, why, and its ``n`` (as ``Suppressed.n``).

    ``n`` counts the cell's respondents with a score on the dimension.
    """

    cell: str
    dimension: str
    reason: str
    n: int
    detail: str = ""
