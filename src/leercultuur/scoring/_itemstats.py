"""Organisation-wide item statistics of :func:`leercultuur.score`: reliability and clustering.

Cronbach's alpha with alpha-if-deleted and corrected item-total correlations, standardised
alpha, McDonald's omega total (fitted lazily, see :class:`Reliabilities`) and the ICCs; the
formulas and their sources are in :mod:`leercultuur.scoring._formulas`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Literal

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.scoring import _formulas, _stats
from leercultuur.scoring._fast import DimMoments
from leercultuur.scoring._results import Clustering, Reliability, Statistic, Status

__all__ = ["Reliabilities", "clustering", "reliability"]

Policy = Literal["listwise", "pairwise"]


_PENDING = Statistic(None, "too_few", "not computed yet")


def reliability(
    name: str,
    *,
    item_ids: tuple[str, ...],
    d: _stats.DimStats | DimMoments,
    policy: Policy,
    n_total: int,
    k: int,
    pending: list[tuple[str, npt.NDArray[np.float64]]],
) -> Reliability:
    j = len(item_ids)
    n_resp = d.wn if policy == "listwise" else int(np.diag(d.pn).min()) if j else 0
    base = {"dimension": name, "policy": policy, "n_items": j, "n_respondents": n_resp}
    if n_total < k:
        why = f"fewer than {k} respondents in the whole survey"
        return Reliability(None, "suppressed", why, **base)  # type: ignore[arg-type]
    if j < 2:
        return Reliability(None, "one_item", "alpha needs at least two items", **base)  # type: ignore[arg-type]
    c = (
        _formulas.listwise_covariance(d.wn, d.wx, d.wq)
        if policy == "listwise"
        else _formulas.covariance(d.pn, d.pp, d.pq)
    )
    if c is None:
        why = (
            "fewer than two respondents answered every item"
            if policy == "listwise"
            else "some pair of items has fewer than two respondents"
        )
        return Reliability(None, "too_few", why, **base)  # type: ignore[arg-type]
    alpha = _formulas.alpha_from_cov(c)
    if alpha is None:
        return Reliability(None, "zero_variance", "the total score does not vary", **base)  # type: ignore[arg-type]
    var = np.diag(c)
    item_total: dict[str, Statistic] = {}
    if_deleted: dict[str, Statistic] = {}
    # without item t: sum(C) - 2 rowsum_t + c_tt and trace(C) - c_tt, for every t at once
    row = c.sum(axis=1)
    rest_sum = float(c.sum()) - 2.0 * row + var
    rest_trace = float(np.trace(c)) - var
    cov_rest = row - var
    with np.errstate(divide="ignore", invalid="ignore"):
        a_del = (j - 1) / (j - 2) * (1.0 - rest_trace / rest_sum) if j > 2 else rest_sum
        r_it = cov_rest / np.sqrt(var * rest_sum)
    for t, item in enumerate(item_ids):
        if j > 2 and rest_sum[t] > 0:
            if_deleted[item] = Statistic(float(a_del[t]))
        else:
            why = "one_item" if j == 2 else "zero_variance"
            if_deleted[item] = Statistic(None, why, "no alpha without it")  # type: ignore[arg-type]
        if var[t] > 0 and rest_sum[t] > 0:
            item_total[item] = Statistic(float(r_it[t]))
        else:
            item_total[item] = Statistic(
                None, "zero_variance", "the item or the rest does not vary"
            )
    if np.any(var <= 0):
        std = Statistic(None, "zero_variance", "an item does not vary")
        omega = std
    else:
        sd = np.sqrt(var)
        r = c / np.outer(sd, sd)
        st = _formulas.alpha_from_cov(r)
        std = Statistic(st) if st is not None else Statistic(None, "zero_variance", "")
        if j < 3:
            omega = Statistic(None, "too_few", "a one-factor model needs at least three items")
        elif not float(r.sum()) > 0:
            omega = Statistic(None, "zero_variance", "the standardised total does not vary")
        else:
            omega = _PENDING  # set on first reading (Reliabilities), all dimensions at once
            pending.append((name, r))
    return Reliability(
        alpha,
        "ok",
        "",
        standardised=std,
        omega=omega,
        item_total=item_total,
        alpha_if_deleted=if_deleted,
        **base,  # type: ignore[arg-type]
    )


class Reliabilities(Mapping[str, Reliability]):
    """The reliability per dimension; omega total is computed on first reading a value.

    McDonald's omega needs an iterative factor fit per dimension, the one costly statistic of
    a small survey, so :func:`score` leaves it to the first read of any value, then fits every
    pending dimension at once (:func:`~leercultuur.scoring._formulas.omega_totals`). The
    values read are those an eager computation gives, bit for bit.
    """

    __slots__ = ("_data", "_pending")

    def __init__(
        self, data: dict[str, Reliability], pending: list[tuple[str, npt.NDArray[np.float64]]]
    ) -> None:
        self._data = data
        self._pending = pending

    def _resolve(self) -> dict[str, Reliability]:
        pending = self._pending
        if pending:
            data = dict(self._data)
            omegas = _formulas.omega_totals([r for _n, r in pending])
            for (name, _r), (om, _lam) in zip(pending, omegas, strict=True):
                data[name] = attrs.evolve(data[name], omega=Statistic(om))
            self._data, self._pending = data, []
        return self._data

    def __getitem__(self, key: str) -> Reliability:
        return self._resolve()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __repr__(self) -> str:
        return repr(self._resolve())


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
    if msb <= 0:
        s = Statistic(None, "zero_variance", "the unit means do not differ")
        return Clustering(name, units, total, k0, s, s, s, s)
    icc1 = (msb - msw) / (msb + (k0 - 1) * msw)
    icc1m = (msb - msw) / (msb + (kmean - 1) * msw)
    icc2 = (msb - msw) / msb
    if icc1 > 0:
        need = 0.7 * (1 - icc1) / (0.3 * icc1)
        needed = Statistic(float(max(1, math.ceil(need - 1e-9))))
    else:
        needed = Statistic(None, "not_positive", "ICC(1) <= 0: unit means are not reliable")
    return Clustering(
        name, units, total, k0, Statistic(icc1), Statistic(icc1m), Statistic(icc2), needed
    )
