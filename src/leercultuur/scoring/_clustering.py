"""The ICCs of :func:`leercultuur.score`: how much of each dimension's variance lies between units.

One-way ANOVA over the respondents' own units (Bliese 2000; the formulas are in
:func:`leercultuur.scoring._formulas.icc`), for every dimension at once where the units with
scores agree; the :class:`~leercultuur.scoring.Clustering` records are built on first reading.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from leercultuur._accel import accelerated
from leercultuur.scoring import _formulas
from leercultuur.scoring._results import Clustering, Statistic, Status

__all__ = ["Clusterings", "clustering", "clusterings"]

_SUM = np.add.reduce


def clustering(
    name: str,
    n: npt.NDArray[np.int64],
    t1: npt.NDArray[np.float64],
    t2: npt.NDArray[np.float64],
    k: int,
) -> Clustering:
    units = int((n > 0).sum())
    total = int(n.sum())
    if total < k:
        s = Statistic(None, "suppressed", f"fewer than {k} respondents in the whole survey")
        return Clustering(name, units, total, None, s, s, s, s)
    res = _formulas.icc(n, t1, t2)
    if res is None:
        status: Status = "one_unit" if units < 2 else "too_few"
        why = "ICC needs two units or more" if units < 2 else "every unit has one respondent"
        s = Statistic(None, status, why)
        return Clustering(name, units, total, None, s, s, s, s)
    msb, msw, k0, kmean, units, total = res
    return _clustering_from(name, msb, msw, k0, kmean, units, total)


def clusterings(
    names: Sequence[str],
    n: npt.NDArray[np.int64],
    t1: npt.NDArray[np.float64],
    t2: npt.NDArray[np.float64],
    k: int,
    *,
    fast: bool | None = None,
    anova: tuple[bool, int, list[int], list[float], list[float], list[float]] | None = None,
) -> Mapping[str, Clustering]:
    """:func:`clustering` of every dimension from ``(D, units)`` sums, with the same values.

    When every dimension has scores in the same units (the usual case), the ANOVA sums are
    taken row by row over one compacted ``(D, units)`` stack: each row is reduced as the
    one-dimension code reduces its array, so the values are the same bit for bit. Otherwise
    each dimension is computed on its own.
    """
    if not len(names):
        return {}
    if anova is not None:  # the compiled cell sums' ANOVA sums
        return _from_anova(names, n, t1, t2, k, anova)
    if accelerated() if fast is None else fast:
        return _clusterings_compiled(names, n, t1, t2, k)
    keep = n > 0
    if not np.logical_and.reduce(keep == keep[0], axis=None):
        return {name: clustering(name, n[i], t1[i], t2[i], k) for i, name in enumerate(names)}
    # the units with scores, taken in C order (a boolean column selection would give F
    # order): each row is reduced as the one-dimension code reduces its array
    idx = np.flatnonzero(keep[0])
    nk_ = n.take(idx, axis=1)
    units = idx.size
    total = _SUM(nk_, axis=1)
    totals: list[int] = total.tolist()
    if units < 2 or min(totals) < k or min(totals) <= units:
        return {name: clustering(name, n[i], t1[i], t2[i], k) for i, name in enumerate(names)}
    nn = nk_.astype(np.float64)
    t1k, t2k = t1.take(idx, axis=1), t2.take(idx, axis=1)
    mean = t1k / nn
    grand = _SUM(t1k, axis=1) / total
    ssb = _SUM(nn * (mean - grand[:, None]) ** 2, axis=1)
    ssw = _SUM(np.maximum(t2k - t1k * mean, 0.0), axis=1)
    sq = _SUM(nn * nn, axis=1)
    return _plan(names, units, totals, ssb.tolist(), ssw.tolist(), sq.tolist())


def _clusterings_compiled(
    names: Sequence[str],
    n: npt.NDArray[np.int64],
    t1: npt.NDArray[np.float64],
    t2: npt.NDArray[np.float64],
    k: int,
) -> Mapping[str, Clustering]:
    """:func:`clusterings` with the ANOVA sums of one compiled call, with the same values."""
    from leercultuur.scoring._cellkernels import unit_anova

    same, units, total, ssb, ssw, sq = unit_anova(
        np.ascontiguousarray(n, dtype=np.int64),
        np.ascontiguousarray(t1, dtype=np.float64),
        np.ascontiguousarray(t2, dtype=np.float64),
    )
    anova = (same, units, total.tolist(), ssb.tolist(), ssw.tolist(), sq.tolist())
    return _from_anova(names, n, t1, t2, k, anova)


def _from_anova(  # noqa: PLR0917
    names: Sequence[str],
    n: npt.NDArray[np.int64],
    t1: npt.NDArray[np.float64],
    t2: npt.NDArray[np.float64],
    k: int,
    anova: tuple[bool, int, list[int], list[float], list[float], list[float]],
) -> Mapping[str, Clustering]:
    """:func:`clusterings` from the compiled ANOVA sums (one dimension at a time if unusable)."""
    same, units, totals, ssb, ssw, sq = anova
    if not same or units < 2 or min(totals) < k or min(totals) <= units:
        return {name: clustering(name, n[i], t1[i], t2[i], k) for i, name in enumerate(names)}
    return _plan(names, units, totals, ssb, ssw, sq)


def _plan(  # noqa: PLR0917
    names: Sequence[str],
    units: int,
    totals: list[int],
    ssb: list[float],
    ssw: list[float],
    sq: list[float],
) -> Clusterings:
    """The :class:`Clusterings` of every dimension's ANOVA sums over *units* units."""
    # per dimension on Python floats: the same IEEE operations as elementwise on arrays
    plan = []
    for name, b, w, q, n_total in zip(names, ssb, ssw, sq, totals, strict=True):
        k0 = (n_total - q / n_total) / (units - 1)
        numbers = _icc_numbers(
            b / (units - 1), w / (n_total - units), k0, n_total / units, units, n_total
        )
        plan.append((name, numbers))
    return Clusterings(plan)


_IccNumbers = tuple[int, int, float, "tuple[float, float, float, float | None] | None"]
"""Units, respondents, ``k0`` and ``(icc1, icc1_mean_size, icc2, needed_for_70)`` (None: the
unit means do not differ; ``needed_for_70`` None: ICC(1) is not positive)."""


def _icc_numbers(  # noqa: PLR0917
    msb: float, msw: float, k0: float, kmean: float, units: int, total: int
) -> _IccNumbers:
    """The ICCs of one dimension's ANOVA mean squares (the record is built when read)."""
    if msb <= 0:
        return units, total, k0, None
    icc1 = (msb - msw) / (msb + (k0 - 1) * msw)
    icc1m = (msb - msw) / (msb + (kmean - 1) * msw)
    icc2 = (msb - msw) / msb
    needed = None
    if icc1 > 0:
        need = 0.7 * (1 - icc1) / (0.3 * icc1)
        needed = float(max(1, math.ceil(need - 1e-9)))
    return units, total, k0, (icc1, icc1m, icc2, needed)


def _clustering_record(name: str, numbers: _IccNumbers) -> Clustering:
    """The :class:`Clustering` record of :func:`_icc_numbers`' values."""
    units, total, k0, iccs = numbers
    if iccs is None:
        s = Statistic(None, "zero_variance", "the unit means do not differ")
        return Clustering(name, units, total, k0, s, s, s, s)
    icc1, icc1m, icc2, need = iccs
    needed = (
        Statistic(need)
        if need is not None
        else Statistic(None, "not_positive", "ICC(1) <= 0: unit means are not reliable")
    )
    return Clustering(
        name, units, total, k0, Statistic(icc1), Statistic(icc1m), Statistic(icc2), needed
    )


def _clustering_from(  # noqa: PLR0917
    name: str, msb: float, msw: float, k0: float, kmean: float, units: int, total: int
) -> Clustering:
    """The :class:`Clustering` record of one dimension's ANOVA mean squares."""
    return _clustering_record(name, _icc_numbers(msb, msw, k0, kmean, units, total))


class Clusterings(Mapping[str, Clustering]):
    """The ICCs per dimension, built on first reading (as reliabilities are).

    Every number is computed in :func:`clusterings`; only each :class:`Clustering` record
    (five objects) waits for the first reading.
    """

    __slots__ = ("_data", "_plan")

    def __init__(self, plan: list[tuple[str, _IccNumbers]]) -> None:
        self._plan = dict(plan)
        self._data: dict[str, Clustering] | None = None

    def _resolve(self) -> dict[str, Clustering]:
        if self._data is None:
            self._data = {name: _clustering_record(name, v) for name, v in self._plan.items()}
        return self._data

    def __getitem__(self, key: str) -> Clustering:
        return self._resolve()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._plan)

    def __len__(self) -> int:
        return len(self._plan)

    def __contains__(self, key: object) -> bool:
        return key in self._plan

    def __repr__(self) -> str:
        return repr(self._resolve())
