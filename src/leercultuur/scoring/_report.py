"""The :class:`ScoreReport`: what :func:`leercultuur.score` publishes, and views of it."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.errors import UnknownIdError, ValidationError
from leercultuur.model import CultureProfile, DimensionScore
from leercultuur.scoring._results import (
    AuditEntry,
    CellScore,
    Clustering,
    Reliability,
    Statistic,
    Suppressed,
)
from leercultuur.scoring.disclosure import Decision
from leercultuur.scoring.indicators import IndicatorScore

_CELL_REF = re.compile(r"@(\d+)")

__all__ = ["DimensionCells", "ScoreReport", "UnknownCellError"]

Kind = Literal["cells", "reliability", "items", "clustering", "audit"]
Backend = Literal["pandas", "polars", "pyarrow"]


class UnknownCellError(UnknownIdError):
    """The report has no unit or cell with this id."""

    kind = "cell"


@attrs.frozen(eq=False, repr=False)
class DimensionCells:
    """Per-cell arrays for one dimension (internal; read them through :class:`ScoreReport`).

    Withheld cells hold NaN here (never their values); the public views turn them into
    :class:`Suppressed` or ``None``.
    """

    n: npt.NDArray[np.int64]
    mean: npt.NDArray[np.float64]
    sd: npt.NDArray[np.float64]
    half: npt.NDArray[np.float64]
    mean_raw: npt.NDArray[np.float64]
    rwg: npt.NDArray[np.float64]
    truncated: npt.NDArray[np.bool_]
    n_complete: npt.NDArray[np.int64]
    suppressed: npt.NDArray[np.bool_]
    reasons: tuple[str | None, ...]


def _clip(x: float) -> float:
    return min(100.0, max(0.0, x))


@attrs.frozen(eq=False, repr=False)
class ScoreReport:
    """Scores per unit and cross-cut cell, reliability and clustering, and the audit log.

    Only publishable numbers can be read from it: suppression happened in :func:`score`.

    Cells are units (``"team:ic-1"``, covering every respondent of the unit's subtree), unit x
    cross-cut cells (``"team:ic-1 | beroep=verpleegkundige"``) and, with several root units,
    ``"all"`` and cross-cut margins (``"beroep=verpleegkundige"``).
    """

    instrument: str
    dimensions: tuple[str, ...]
    cells: tuple[str, ...]
    cell_index: Mapping[str, int]
    respondents: npt.NDArray[np.int64]
    per_dimension: Mapping[str, DimensionCells]
    reliability: Mapping[str, Reliability]
    clustering: Mapping[str, Clustering]
    audit_log: tuple[tuple[str, Decision], ...]  # per dimension; its log is built when read
    audit_extra: tuple[AuditEntry, ...]
    min_group_size: int
    min_answered: float
    confidence: float
    alpha_policy: str
    indicators: Mapping[str, IndicatorScore] = attrs.field(factory=dict)
    indicator_weight: float = 0.5

    @property
    def audit(self) -> tuple[AuditEntry, ...]:
        """Every suppression in the order decided: cell, dimension, reason, n (never answers)."""

        def name_cells(detail: str) -> str:  # the log refers to cells as "@index"
            return _CELL_REF.sub(lambda m: self.cells[int(m.group(1))], detail)

        out = [
            AuditEntry(
                self.cells[c], dim, reason, int(self.per_dimension[dim].n[c]), name_cells(detail)
            )
            for dim, decision in self.audit_log
            for c, reason, detail in decision.log
        ]
        return (*out, *self.audit_extra)

    def __repr__(self) -> str:
        withheld = sum(int(d.suppressed.sum()) for d in self.per_dimension.values())
        return (
            f"<ScoreReport {self.instrument}: {len(self.cells)} cells x"
            f" {len(self.dimensions)} dimensions; {withheld} cell scores withheld"
            f" (min_group_size={self.min_group_size})>"
        )

    def _index(self, cell: str) -> int:
        try:
            return self.cell_index[cell]
        except KeyError:
            raise UnknownCellError(cell, self.cells) from None

    def _entry(self, i: int, dim: str) -> CellScore | Suppressed:
        d = self.per_dimension[dim]
        if d.suppressed[i]:
            reason = d.reasons[i] or "below_threshold"
            detail = {
                "empty": "nobody in this group has a score on this dimension",
                "below_threshold": f"fewer than {self.min_group_size} respondents",
                "complementary": "withheld so that a small group cannot be derived by difference",
            }.get(reason, "")
            return Suppressed(reason, int(d.n[i]), detail, int(self.respondents[i]))  # type: ignore[arg-type]
        lc = int(d.n_complete[i])
        if lc < self.min_group_size:
            rwg = Statistic(None, "too_few", f"fewer than {self.min_group_size} complete answers")
        elif bool(d.truncated[i]):
            rwg = Statistic(0.0, "ok", "observed variance exceeds the uniform null; set to 0")
        else:
            rwg = Statistic(float(d.rwg[i]))
        mean = float(d.mean[i])
        half = float(d.half[i])
        return CellScore(
            cell=self.cells[i],
            dimension=dim,
            n=int(d.n[i]),
            mean=mean,
            sd=Statistic(float(d.sd[i])),
            ci_low=Statistic(_clip(mean - half)),
            ci_high=Statistic(_clip(mean + half)),
            mean_raw=float(d.mean_raw[i]),
            rwg=rwg,
            n_complete=lc,
        )

    def scores(self, cell: str) -> Mapping[str, CellScore | Suppressed]:
        """Every dimension's published score of *cell*, or why it is withheld."""
        i = self._index(cell)
        return {dim: self._entry(i, dim) for dim in self.dimensions}

    def withheld(self, cell: str) -> Mapping[str, Suppressed]:
        """The dimensions of *cell* that are withheld, each with the reason."""
        return {k: v for k, v in self.scores(cell).items() if isinstance(v, Suppressed)}

    def sources(self, cell: str) -> Mapping[str, tuple[tuple[str, float, float], ...]]:
        """Per dimension of the profile of *cell*: each source as ``(source, weight, score)``.

        Sources are ``"survey"`` (the published cell mean) and ``"indicators"`` (the
        organisation's indicator score, whose own contributions are in :attr:`indicators`).
        """
        out: dict[str, tuple[tuple[str, float, float], ...]] = {}
        scores = self.scores(cell)
        for dim in sorted(set(self.dimensions) | set(self.indicators)):
            entry = scores.get(dim)
            ind = self.indicators.get(dim)
            parts: list[tuple[str, float, float]] = []
            has_survey = isinstance(entry, CellScore)
            w_ind = 1.0 if not has_survey else self.indicator_weight
            if isinstance(entry, CellScore) and (ind is None or w_ind < 1):
                parts.append(("survey", 1.0 if ind is None else 1.0 - w_ind, _clip(entry.mean)))
            if ind is not None and w_ind > 0:
                parts.append(("indicators", w_ind, float(ind.score)))
            if parts:
                out[dim] = tuple(parts)
        return out

    def profile(self, unit: str) -> CultureProfile:
        """The :class:`~leercultuur.CultureProfile` of *unit* (or any cell): published scores.

        Withheld dimensions are absent (:meth:`withheld` says why) unless indicators cover
        them; where both exist the value is the weighted mean of :meth:`sources`, and the
        interval and n are the survey's only when it is the sole source.
        """
        out: dict[str, DimensionScore] = {}
        scores = self.scores(unit)
        for dim, parts in self.sources(unit).items():
            value = sum(w * v for _s, w, v in parts)
            entry = scores.get(dim)
            if len(parts) == 1 and parts[0][0] == "survey" and isinstance(entry, CellScore):
                out[dim] = DimensionScore(
                    _clip(entry.mean),
                    n=entry.n,
                    ci_low=entry.ci_low.value,
                    ci_high=entry.ci_high.value,
                )
            else:
                n = entry.n if isinstance(entry, CellScore) else 0
                out[dim] = DimensionScore(_clip(value), n=n)
        return CultureProfile(unit, out)

    # -- export -----------------------------------------------------------------------------

    def _cell_rows(self, cols: dict[str, list[Any]]) -> None:
        """Fill the ``cells`` table's columns (cell-major, as :meth:`_entry` reads each)."""
        n_dims = len(self.dimensions)
        n_cells = len(self.cells)
        per: list[list[list[Any]]] = []  # per dimension: one list per column
        for dim in self.dimensions:
            d = self.per_dimension[dim]
            supp = d.suppressed.tolist()
            mean, half = d.mean.tolist(), d.half.tolist()
            few = (d.n_complete < self.min_group_size).tolist()
            trunc, rwg = d.truncated.tolist(), d.rwg.tolist()
            n, nc, sd, raw = d.n.tolist(), d.n_complete.tolist(), d.sd.tolist(), d.mean_raw.tolist()
            status: list[Any] = []
            reason: list[Any] = []
            n_col: list[Any] = []
            c_mean: list[Any] = []
            c_sd: list[Any] = []
            c_lo: list[Any] = []
            c_hi: list[Any] = []
            c_raw: list[Any] = []
            c_rwg: list[Any] = []
            c_nc: list[Any] = []
            for i in range(n_cells):
                if supp[i]:
                    status.append("suppressed")
                    reason.append(d.reasons[i] or "below_threshold")
                    n_col.append(n[i])
                    for col in (c_mean, c_sd, c_lo, c_hi, c_raw, c_rwg, c_nc):
                        col.append(None)
                    continue
                status.append("ok")
                reason.append("")
                n_col.append(n[i])
                m, h = mean[i], half[i]
                c_mean.append(m)
                c_sd.append(sd[i])
                c_lo.append(_clip(m - h))
                c_hi.append(_clip(m + h))
                c_raw.append(raw[i])
                c_rwg.append(None if few[i] else 0.0 if trunc[i] else rwg[i])
                c_nc.append(nc[i])
            per.append([status, reason, n_col, c_mean, c_sd, c_lo, c_hi, c_raw, c_rwg, c_nc])
        keys = list(cols)
        cols["cell"] = [cell for cell in self.cells for _ in range(n_dims)]
        cols["dimension"] = list(self.dimensions) * n_cells
        for t, key in enumerate(keys[2:]):
            # interleave: cell 0 of every dimension, then cell 1, ...
            cols[key] = [v for row in zip(*(p[t] for p in per), strict=True) for v in row]

    def _rows(self, kind: Kind) -> dict[str, list[Any]]:
        v: Any  # a table value
        if kind == "cells":
            cols: dict[str, list[Any]] = {
                k: []
                for k in (
                    "cell", "dimension", "status", "reason", "n", "mean", "sd", "ci_low",
                    "ci_high", "mean_raw", "rwg", "n_complete",
                )
            }  # fmt: skip
            self._cell_rows(cols)
            return cols
        if kind == "reliability":
            names = "dimension policy status reason alpha standardised omega n_items n_respondents"
            cols = {k: [] for k in names.split()}
            for dim, r in self.reliability.items():
                for key, v in zip(
                    cols,
                    [dim, r.policy, r.status, r.reason, r.value, r.standardised.value,
                     r.omega.value, r.n_items, r.n_respondents],
                    strict=True,
                ):  # fmt: skip
                    cols[key].append(v)
            return cols
        if kind == "items":
            cols = {k: [] for k in ("dimension", "item", "item_total", "alpha_if_deleted")}
            for dim, r in self.reliability.items():
                for item, stat in r.item_total.items():
                    cols["dimension"].append(dim)
                    cols["item"].append(item)
                    cols["item_total"].append(stat.value)
                    cols["alpha_if_deleted"].append(r.alpha_if_deleted[item].value)
            return cols
        if kind == "clustering":
            names = (
                "dimension n_units n_respondents k0 icc1 icc1_mean_size icc2 needed_for_70 status"
            )
            cols = {k: [] for k in names.split()}
            for dim, c in self.clustering.items():
                for key, v in zip(
                    cols,
                    [dim, c.n_units, c.n_respondents, c.k0, c.icc1.value, c.icc1_mean_size.value,
                     c.icc2.value, c.needed_for_70.value, c.icc1.status],
                    strict=True,
                ):  # fmt: skip
                    cols[key].append(v)
            return cols
        if kind == "audit":
            cols = {k: [] for k in ("cell", "dimension", "reason", "n", "detail")}
            for a in self.audit:
                for key, v in zip(
                    cols, [a.cell, a.dimension, a.reason, a.n, a.detail], strict=True
                ):
                    cols[key].append(v)
            return cols
        raise ValidationError.single(
            "kind", f"expected one of cells, reliability, items, clustering, audit, got {kind!r}"
        )

    def to_dataframe(self, kind: Kind = "cells", backend: Backend = "pandas") -> Any:
        """A table of *kind* as a pandas, polars or pyarrow table (via narwhals).

        *kind* is ``cells``, ``reliability``, ``items``, ``clustering`` or ``audit``; withheld
        values are null.
        """
        import narwhals as nw

        if backend not in ("pandas", "polars", "pyarrow"):
            raise ValidationError.single(
                "backend", f"expected 'pandas', 'polars' or 'pyarrow', got {backend!r}"
            )
        return nw.from_dict(self._rows(kind), backend=backend).to_native()

    def to_dict(self) -> dict[str, Any]:
        """Everything publishable as plain JSON-ready data (no answers, no withheld values)."""

        def num(x: object) -> object:
            return None if isinstance(x, float) and not math.isfinite(x) else x

        return {
            "instrument": self.instrument,
            "settings": {
                "min_group_size": self.min_group_size,
                "min_answered": self.min_answered,
                "confidence": self.confidence,
                "alpha_policy": self.alpha_policy,
            },
            "dimensions": list(self.dimensions),
            **{
                kind: [
                    dict(zip(rows, map(num, vals), strict=True))
                    for vals in zip(*rows.values(), strict=True)
                ]
                for kind, rows in (
                    (k, self._rows(k))
                    for k in ("cells", "reliability", "items", "clustering", "audit")
                )
            },
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)
