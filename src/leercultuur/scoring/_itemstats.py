"""Organisation-wide item statistics of :func:`leercultuur.score`: reliability and clustering.

Cronbach's alpha with alpha-if-deleted and corrected item-total correlations, standardised
alpha, McDonald's omega total (fitted lazily, see :class:`Reliabilities`) and the ICCs (in
:mod:`leercultuur.scoring._clustering`); the formulas and their sources are in
:mod:`leercultuur.scoring._formulas`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur._accel import accelerated
from leercultuur.scoring import _formulas, _stats
from leercultuur.scoring._clustering import Clusterings, clustering, clusterings
from leercultuur.scoring._fast import DimMoments
from leercultuur.scoring._results import Reliability, Statistic, Status

__all__ = ["Clusterings", "Reliabilities", "clustering", "clusterings", "reliabilities"]

Policy = Literal["listwise", "pairwise"]


_PENDING = Statistic(None, "too_few", "not computed yet")
_SUM, _MAX = np.add.reduce, np.maximum.reduce

_Stats = _stats.DimStats | DimMoments


@attrs.frozen(eq=False)
class _Computed:
    """One dimension's reliability numbers, computed in :func:`reliabilities`; objects later."""

    alpha: float
    var: list[float]
    rest_sum: list[float]
    a_del: list[float]  # NaN where not used
    r_it: list[float]
    std: Statistic | float  # a float when standardised alpha has a value
    r: npt.NDArray[np.float64] | None  # the correlation matrix when omega is to be fitted
    omega: Statistic  # the status when omega is not fitted


def reliabilities(
    dims: Sequence[tuple[str, tuple[str, ...], _Stats, int]],
    *,
    policy: Policy,
    k: int,
    fast: bool | None = None,
) -> Reliabilities:
    """The reliability of every dimension ``(name, item ids, sums, respondents with a score)``.

    Dimensions with the same number of items are computed together on stacked ``(D, J, J)``
    covariance matrices; every stacked operation is elementwise or reduces each matrix as the
    one-matrix code does, so the values are the same bit for bit. The :class:`Reliability`
    records are built on first reading (see :class:`Reliabilities`); every number is computed
    here.
    """
    plan: list[_Plan] = []
    groups: dict[int, list[tuple[int, _Stats]]] = {}
    for i, (name, item_ids, d, n_total) in enumerate(dims):
        j = len(item_ids)
        n_resp = d.wn if policy == "listwise" else int(np.diag(d.pn).min()) if j else 0
        base: dict[str, object] = {
            "dimension": name, "policy": policy, "n_items": j, "n_respondents": n_resp,
        }  # fmt: skip
        early: Reliability | None = None
        if n_total < k:
            why = f"fewer than {k} respondents in the whole survey"
            early = Reliability(None, "suppressed", why, **base)  # type: ignore[arg-type]
        elif j < 2:
            early = Reliability(None, "one_item", "alpha needs at least two items", **base)  # type: ignore[arg-type]
        elif (d.wn if policy == "listwise" else int(d.pn.min())) < 2:
            why = (
                "fewer than two respondents answered every item"
                if policy == "listwise"
                else "some pair of items has fewer than two respondents"
            )
            early = Reliability(None, "too_few", why, **base)  # type: ignore[arg-type]
        else:
            groups.setdefault(j, []).append((i, d))
        plan.append((name, item_ids, base, early))
    fast = accelerated() if fast is None else fast
    for j, members in groups.items():
        ds = [d for _i, d in members]
        done = _stacked_compiled(j, ds, policy) if fast else None
        if done is None:
            done = _stacked(j, _covariances(ds, policy))
        for i, computed in zip((i for i, _d in members), done, strict=True):
            name, item_ids, base, _none = plan[i]
            entry: Reliability | _Computed = computed or Reliability(
                None,
                "zero_variance",
                "the total score does not vary",
                **base,  # type: ignore[arg-type]
            )
            plan[i] = (name, item_ids, base, entry)
    return Reliabilities(plan)


_PLAIN_COV = 256
"""Stacks of at most this many covariance entries are computed in plain Python."""


def _plain_cov(n: int, x: list[int], q: list[list[int]]) -> list[list[float]]:
    """``(n q_ab - x_a x_b) / (n (n - 1))`` for every item pair, each an exact int / int."""
    den = n * (n - 1)
    return [
        [(n * qa[b] - xa * xb) / den for b, xb in enumerate(x)] for xa, qa in zip(x, q, strict=True)
    ]


def _covariances(ds: list[_Stats], policy: Policy) -> npt.NDArray[np.float64]:
    """The covariance matrices of dimensions of one length (each with two respondents or more).

    As :func:`~leercultuur.scoring._formulas.listwise_covariance` and
    :func:`~leercultuur.scoring._formulas.covariance` compute them, stacked: integer numerators
    and one division each, while every integer is exact in float64; otherwise one at a time.
    """
    if policy == "listwise" and len(ds) * ds[0].wx.size ** 2 <= _PLAIN_COV:
        # few entries: Python's int / int, the correctly rounded quotient of the exact integers,
        # which the float division below (of integers exact in float64) and the one-at-a-time
        # route give too
        return np.array([_plain_cov(d.wn, d.wx.tolist(), d.wq.tolist()) for d in ds])
    if policy == "listwise":
        wn = np.asarray([d.wn for d in ds], dtype=np.int64)
        wx: npt.NDArray[np.int64] = np.array([d.wx for d in ds])
        wq: npt.NDArray[np.int64] = np.array([d.wq for d in ds])
        wqm: list[int] = _MAX(np.abs(wq), axis=(1, 2)).tolist()
        wxm: list[int] = _MAX(np.abs(wx), axis=1).tolist()
        ns: list[int] = wn.tolist()
        if all(
            2 * max(q * n, x * x) < 1 << 53 and n * (n - 1) < 1 << 53
            for q, x, n in zip(wqm, wxm, ns, strict=True)
        ):
            nums = wn[:, None, None] * wq - wx[:, :, None] * wx[:, None, :]
            den = (wn * (wn - 1)).astype(np.float64)
            return nums.astype(np.float64) / den[:, None, None]
        out = [_formulas.listwise_covariance(d.wn, d.wx, d.wq) for d in ds]
    else:
        pn, pp, pq = (np.stack([getattr(d, f) for d in ds]) for f in ("pn", "pp", "pq"))
        big: list[int] = pn.max(axis=(1, 2)).tolist()
        pqm: list[int] = np.abs(pq).max(axis=(1, 2)).tolist()
        ppm: list[int] = np.abs(pp).max(axis=(1, 2)).tolist()
        if all(
            2 * max(q * b, p * p) < 1 << 53 and b * (b - 1) < 1 << 53
            for q, p, b in zip(pqm, ppm, big, strict=True)
        ):
            nums = pn * pq - pp * pp.transpose(0, 2, 1)
            cov: npt.NDArray[np.float64] = nums.astype(np.float64) / (pn * (pn - 1)).astype(
                np.float64
            )
            return cov
        out = [_formulas.covariance(d.pn, d.pp, d.pq) for d in ds]
    return np.stack([c for c in out if c is not None])


def _stacked(j: int, c: npt.NDArray[np.float64]) -> list[_Computed | None]:
    """Alpha and its companions for a stack of ``j x j`` covariance matrices (None: no alpha).

    The formulas of :func:`reliability` (one matrix): the matrices' sums are array reductions
    over the stack, the per-item arithmetic is done on Python floats (the same IEEE operations
    in the same order, so the same values), and only where a value is used.
    """
    # ufuncs' reductions called directly (the methods' Python wrappers call the same); a
    # trace is the sum of the diagonal view, as ndarray.trace computes it
    total = _SUM(c, axis=(1, 2))
    var = c.diagonal(axis1=1, axis2=2)
    trace = _SUM(var, axis=-1)
    row = _SUM(c, axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(var)
        r = c / (sd[:, :, None] * sd[:, None, :])
        r_total = _SUM(r, axis=(1, 2))
        r_trace = _SUM(r.diagonal(axis1=1, axis2=2), axis=-1)
    return _computed(j, total, trace, row, var, r, r_total, r_trace)


def _stacked_compiled(j: int, ds: list[_Stats], policy: Policy) -> list[_Computed | None] | None:
    """:func:`_stacked` of :func:`_covariances` in one compiled call, with the same values.

    ``None`` when some integer is too large for the kernels' exact float64 path (then the
    numpy route, which handles that case, is taken).
    """
    from leercultuur.scoring._cellkernels import reliability_stats

    m = len(ds)
    if policy == "listwise":
        pn = np.array([d.wn for d in ds], dtype=np.int64).reshape(m, 1, 1)
        pp = np.array([d.wx for d in ds], dtype=np.int64).reshape(m, 1, j)
        pq = np.array([d.wq for d in ds], dtype=np.int64)
    else:
        pn, pp, pq = (np.array([getattr(d, f) for d in ds], dtype=np.int64) for f in _PAIRWISE)
    exact, r, items, scalars = reliability_stats(pn, pp, pq, policy == "listwise")
    if not exact:
        return None
    out: list[_Computed | None] = []
    for t, ((tot, alpha, std, rt), (vs, rest, a_del, r_it)) in enumerate(
        zip(scalars.tolist(), items.tolist(), strict=True)
    ):
        if not tot > 0:
            out.append(None)
            continue
        st, fit, omega = _standardised(j, min(vs), std, rt, r[t])
        out.append(_Computed(alpha, vs, rest, rest if j == 2 else a_del, r_it, st, fit, omega))
    return out


def _standardised(
    j: int, least: float, std: float, rt: float, r: npt.NDArray[np.float64]
) -> tuple[Statistic | float, npt.NDArray[np.float64] | None, Statistic]:
    """Standardised alpha (or its status), the matrix to fit omega on, and omega's status."""
    if not least > 0:
        flat = Statistic(None, "zero_variance", "an item does not vary")
        return flat, None, flat
    st: Statistic | float = std if rt > 0 else Statistic(None, "zero_variance", "")
    if j < 3:
        return st, None, Statistic(None, "too_few", _TOO_FEW_ITEMS)
    if not rt > 0:
        return st, None, Statistic(None, "zero_variance", "the standardised total does not vary")
    return st, r, _PENDING


_TOO_FEW_ITEMS = "a one-factor model needs at least three items"


_PAIRWISE = ("pn", "pp", "pq")
_A = npt.NDArray[np.float64]


def _computed(  # noqa: PLR0917
    j: int, total: _A, trace: _A, row: _A, var: _A, r: _A, r_total: _A, r_trace: _A
) -> list[_Computed | None]:
    """Alpha and its companions from the stack's sums (see :func:`_stacked`)."""
    k1 = j / (j - 1)
    k2 = (j - 1) / (j - 2) if j > 2 else 0.0
    nan = math.nan
    out: list[_Computed | None] = []
    for t, (tot, tr, rows, vs, rt, rtr) in enumerate(
        zip(
            total.tolist(), trace.tolist(), row.tolist(), var.tolist(), r_total.tolist(),
            r_trace.tolist(), strict=True,
        )
    ):  # fmt: skip
        if not tot > 0:
            out.append(None)
            continue
        alpha = k1 * (1.0 - tr / tot)
        # without item u: sum(C) - 2 rowsum_u + c_uu and trace(C) - c_uu
        rest = [tot - 2.0 * rw + v for rw, v in zip(rows, vs, strict=True)]
        a_del = (
            [k2 * (1.0 - (tr - v) / rs) if rs > 0 else nan for v, rs in zip(vs, rest, strict=True)]
            if j > 2
            else rest
        )
        # v * rs > 0 of covariances of integer sums never underflows to 0
        r_it = [
            (rw - v) / math.sqrt(v * rs) if v > 0 and rs > 0 else nan
            for rw, v, rs in zip(rows, vs, rest, strict=True)
        ]
        fit: npt.NDArray[np.float64] | None = None
        st: Statistic | float
        if not min(vs) > 0:
            st = omega = Statistic(None, "zero_variance", "an item does not vary")
        else:
            st = k1 * (1.0 - rtr / rt) if rt > 0 else Statistic(None, "zero_variance", "")
            if j < 3:
                omega = Statistic(None, "too_few", "a one-factor model needs at least three items")
            elif not rt > 0:
                omega = Statistic(None, "zero_variance", "the standardised total does not vary")
            else:
                omega, fit = _PENDING, r[t]
        out.append(_Computed(alpha, vs, rest, a_del, r_it, st, fit, omega))
    return out


_Plan = tuple[str, tuple[str, ...], dict[str, object], "Reliability | _Computed | None"]


class Reliabilities(Mapping[str, Reliability]):
    """The reliability per dimension, as :class:`Reliability` records built on first reading.

    :func:`reliabilities` computes every number; the records (one :class:`Statistic` per item
    and statistic) are built when a value is first read. McDonald's omega total needs an
    iterative factor fit per dimension, the one costly statistic of a small survey, so it too
    is left to the first reading, which fits every pending dimension at once
    (:func:`~leercultuur.scoring._formulas.omega_totals`). The values read are those an eager
    computation gives, bit for bit.
    """

    __slots__ = ("_data", "_names", "_plan")

    def __init__(self, plan: list[_Plan]) -> None:
        self._plan = plan
        self._names = {p[0]: None for p in plan}
        self._data: dict[str, Reliability] | None = None

    def _resolve(self) -> dict[str, Reliability]:
        if self._data is None:
            self._data = _build(self._plan)
        return self._data

    def __getitem__(self, key: str) -> Reliability:
        return self._resolve()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, key: object) -> bool:
        return key in self._names

    def __repr__(self) -> str:
        return repr(self._resolve())


def _build(plan: list[_Plan]) -> dict[str, Reliability]:
    """The :class:`Reliability` records of :func:`reliabilities`' numbers; omega fitted here."""
    pending = [
        (name, e.r) for name, _i, _b, e in plan if isinstance(e, _Computed) and e.r is not None
    ]
    omegas = dict(
        zip(
            (name for name, _r in pending),
            _formulas.omega_totals([r for _n, r in pending]),
            strict=True,
        )
    )
    data: dict[str, Reliability] = {}
    for name, item_ids, base, entry in plan:
        assert entry is not None
        if isinstance(entry, Reliability):
            data[name] = entry
            continue
        j = len(item_ids)
        rest, var, a_del, r_it = entry.rest_sum, entry.var, entry.a_del, entry.r_it
        item_total: dict[str, Statistic] = {}
        if_deleted: dict[str, Statistic] = {}
        for t, item in enumerate(item_ids):
            if j > 2 and rest[t] > 0:
                if_deleted[item] = Statistic(a_del[t])
            else:
                why: Status = "one_item" if j == 2 else "zero_variance"
                if_deleted[item] = Statistic(None, why, "no alpha without it")
            if var[t] > 0 and rest[t] > 0:
                item_total[item] = Statistic(r_it[t])
            else:
                item_total[item] = Statistic(
                    None, "zero_variance", "the item or the rest does not vary"
                )
        std = entry.std if isinstance(entry.std, Statistic) else Statistic(entry.std)
        omega = Statistic(omegas[name][0]) if name in omegas else entry.omega
        data[name] = Reliability(
            entry.alpha,
            "ok",
            "",
            standardised=std,
            omega=omega,
            item_total=item_total,
            alpha_if_deleted=if_deleted,
            **base,  # type: ignore[arg-type]
        )
    return data
