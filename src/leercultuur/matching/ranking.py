"""Rankings: recommendations that explain themselves, and what was blocked and why.

A :class:`Ranking` is a view of one profile's row in a :class:`MatchResult`,
the arrays one :func:`~leercultuur.match` call computed for all profiles;
records are built only when they are read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from leercultuur._checks import read_only
from leercultuur.errors import ValidationError
from leercultuur.matching.batch import Batch
from leercultuur.matching.criteria import Criterion, Reason
from leercultuur.matching.methods import top_k
from leercultuur.model import Intervention, Lang, Strength, Text

__all__ = ["Blocked", "Gap", "MatchResult", "Ranking", "Rankings", "Recommendation"]

Method = Literal["weighted_sum", "topsis"]

_METHOD_LABEL = {
    "weighted_sum": Text(nl="gewogen som", en="weighted sum"),
    "topsis": Text(nl="TOPSIS", en="TOPSIS"),
}


def _floats(value: Mapping[str, float]) -> Mapping[str, float]:
    return read_only(value)


def _texts(value: Mapping[str, Text]) -> Mapping[str, Text]:
    return read_only(value)


@attrs.frozen
class Gap:
    """A dimension an intervention targets where the unit has room to grow."""

    dimension: str
    score: float
    strength: Strength


@attrs.frozen
class Recommendation:
    """One ranked intervention with the reasons for its place.

    :ivar values: each score criterion's value in [0, 1].
    :ivar contributions: each criterion's weighted value ``w * v`` (weights sum to 1); for the
        weighted sum they add up to the score.
    :ivar gaps: the targeted dimensions with room to grow, the weakest first.
    :ivar warnings: evidence-rule warnings, with their citations.
    """

    intervention: Intervention
    score: float
    rank: int
    values: Mapping[str, float] = attrs.field(converter=_floats)
    contributions: Mapping[str, float] = attrs.field(converter=_floats)
    gaps: tuple[Gap, ...]
    warnings: tuple[Text, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "intervention": self.intervention.id,
            "rank": self.rank,
            "score": self.score,
            "values": dict(self.values),
            "contributions": dict(self.contributions),
            "gaps": [
                {"dimension": g.dimension, "score": g.score, "strength": g.strength.name.lower()}
                for g in self.gaps
            ],
            "warnings": [{"nl": w.nl, "en": w.en} for w in self.warnings],
        }


@attrs.frozen
class Blocked:
    """An intervention a constraint ruled out, with each failing criterion's reason."""

    intervention: Intervention
    reasons: Mapping[str, Text] = attrs.field(converter=_texts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "intervention": self.intervention.id,
            "reasons": {k: {"nl": v.nl, "en": v.en} for k, v in self.reasons.items()},
        }


@attrs.frozen(eq=False)
class MatchResult:
    """The arrays of one match call, shared by the profiles' rankings.

    :ivar scores: ``(P, I)`` aggregated scores, NaN where blocked.
    :ivar values: ``(C, P, I)`` the score criteria's values.
    :ivar feasible: ``(K, P, I)`` each constraint's mask.
    :ivar order: ``(P, I)`` intervention indices best first (blocked last).
    """

    batch: Batch
    method: Method
    scorers: tuple[Criterion, ...]
    weights: NDArray[np.float64]
    constraints: tuple[Criterion, ...]
    reasons: tuple[Reason | None, ...]
    values: NDArray[np.float64]
    feasible: NDArray[np.bool_]
    scores: NDArray[np.float64]
    order: NDArray[np.intp]
    n_ranked: NDArray[np.intp]


@attrs.frozen(eq=False)
class Ranking:
    """The ranked interventions for one profile, best first; iterate for its recommendations."""

    result: MatchResult = attrs.field(repr=False)
    index: int = 0
    limit: int | None = None

    @property
    def unit(self) -> str:
        """The unit the profile describes."""
        return self.result.batch.units[self.index]

    @property
    def method(self) -> Method:
        """The aggregation method used."""
        return self.result.method

    def __len__(self) -> int:
        n = int(self.result.n_ranked[self.index])
        return n if self.limit is None else min(n, self.limit)

    def __iter__(self) -> Iterator[Recommendation]:
        return iter(self.recommendations)

    @overload
    def __getitem__(self, key: int) -> Recommendation: ...
    @overload
    def __getitem__(self, key: slice) -> tuple[Recommendation, ...]: ...
    def __getitem__(self, key: int | slice) -> Recommendation | tuple[Recommendation, ...]:
        """The recommendation(s) at rank position *key* (0 = best)."""
        return self.recommendations[key]

    @property
    def ids(self) -> tuple[str, ...]:
        """The ranked interventions' ids, best first."""
        ivs = self.result.batch.catalogue.interventions
        return tuple(ivs[i].id for i in self.result.order[self.index, : len(self)])

    @property
    def recommendations(self) -> tuple[Recommendation, ...]:
        """The ranked interventions as :class:`Recommendation` records, best first."""
        return tuple(
            self._recommendation(int(i), rank)
            for rank, i in enumerate(self.result.order[self.index, : len(self)], start=1)
        )

    def _recommendation(self, i: int, rank: int) -> Recommendation:
        res, p = self.result, self.index
        batch = res.batch
        cat = batch.catalogue
        values = {c.id: float(res.values[k, p, i]) for k, c in enumerate(res.scorers)}
        contrib = {
            c.id: float(res.weights[k] * res.values[k, p, i]) for k, c in enumerate(res.scorers)
        }
        gaps = []
        for j in np.flatnonzero(cat.effects[i] > 0):
            if batch.known[p, j] and batch.scores[p, j] < 100:
                gaps.append(
                    Gap(cat.columns[j], float(batch.scores[p, j]), Strength(int(cat.effects[i, j])))
                )
        gaps.sort(key=lambda g: (g.score, g.dimension))
        warnings = tuple(
            f.rule.message
            if not f.blocking
            else Text(
                nl=f"Toegestaan op verzoek: {f.rule.message.nl}",
                en=f"Allowed on request: {f.rule.message.en}",
            )
            for f in cat.findings[i]
        )
        cited = tuple(
            Text(
                nl=f"{w.nl} ({'; '.join(f.rule.citations)})",
                en=f"{w.en} ({'; '.join(f.rule.citations)})",
            )
            for w, f in zip(warnings, cat.findings[i], strict=True)
        )
        return Recommendation(
            intervention=cat.interventions[i],
            score=float(res.scores[p, i]),
            rank=rank,
            values=values,
            contributions=contrib,
            gaps=tuple(gaps),
            warnings=cited,
        )

    @property
    def blocked(self) -> tuple[Blocked, ...]:
        """The interventions a constraint ruled out, in id order, with their reasons."""
        res, p = self.result, self.index
        out = []
        for i in np.flatnonzero(~res.feasible[:, p, :].all(axis=0)):
            reasons: dict[str, Text] = {}
            for k, c in enumerate(res.constraints):
                if not res.feasible[k, p, i]:
                    reason = res.reasons[k]
                    reasons[c.id] = (
                        reason(res.batch, p, int(i))
                        if reason is not None
                        else Text(nl=f"voldoet niet aan {c.label.nl}", en=f"fails {c.label.en}")
                    )
            out.append(Blocked(res.batch.catalogue.interventions[int(i)], reasons))
        return tuple(out)

    def top(self, n: int) -> Ranking:
        """The same ranking cut to its *n* best recommendations."""
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ValidationError.single("n", f"expected a whole number >= 0, got {n!r}")
        return attrs.evolve(self, limit=n if self.limit is None else min(n, self.limit))

    def explain(self, lang: Lang = "nl") -> str:
        """A readable account of every recommendation and every block, in *lang*."""
        res = self.result
        labels = {c.id: c.label.get(lang) for c in (*res.scorers, *res.constraints)}
        dims = {d.id: d.label.get(lang) for d in res.batch.catalogue.dimensions}
        nl = lang == "nl"
        head = "Aanbevelingen voor" if nl else "Recommendations for"
        lines = [f"{head} {self.unit} ({_METHOD_LABEL[res.method].get(lang)})"]
        if not len(self):
            lines.append(
                "  (geen haalbare interventies)" if nl else "  (no feasible interventions)"
            )
        for rec in self.recommendations:
            lines.append(f"{rec.rank}. {rec.intervention.name.get(lang)} - score {rec.score:.3f}")
            parts = [
                f"{labels[c]} {rec.values[c]:.2f} x {res.weights[k]:.2f}"
                for k, c in enumerate(rec.values)
            ]
            lines.append("   " + "; ".join(parts))
            if rec.gaps:
                strength = {
                    Strength.WEAK: "zwak" if nl else "weak",
                    Strength.MODERATE: "matig" if nl else "moderate",
                    Strength.STRONG: "sterk" if nl else "strong",
                }
                gap_text = ", ".join(
                    f"{_dim_label(dims, g.dimension)} {g.score:.0f} ({strength[g.strength]})"
                    for g in rec.gaps
                )
                lines.append(f"   {'Versterkt' if nl else 'Strengthens'}: {gap_text}")
            for w in rec.warnings:
                lines.append(f"   {'Let op' if nl else 'Warning'}: {w.get(lang)}")
        blocked = self.blocked
        if blocked:
            lines.append("Geblokkeerd:" if nl else "Blocked:")
            for b in blocked:
                why = "; ".join(f"{labels[c]}: {t.get(lang)}" for c, t in b.reasons.items())
                lines.append(f"- {b.intervention.name.get(lang)}: {why}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: unit, method, weights, recommendations and blocked."""
        res = self.result
        return {
            "unit": self.unit,
            "method": res.method,
            "weights": {c.id: float(w) for c, w in zip(res.scorers, res.weights, strict=True)},
            "recommendations": [r.to_dict() for r in self.recommendations],
            "blocked": [b.to_dict() for b in self.blocked],
        }

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as a JSON string (keyword arguments go to :func:`json.dumps`)."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    def to_dataframe(self, backend: Any = "pandas") -> Any:
        """The recommendations as a native dataframe of *backend* (pandas, polars, pyarrow).

        One row per recommendation: unit, rank, intervention, score and every score
        criterion's value. Built with narwhals.
        """
        return _frame(self.result, [self.index], self.limit, backend)


def _dim_label(dims: Mapping[str, str], column: str) -> str:
    return dims.get(column, column)


def _frame(res: MatchResult, rows: Sequence[int], limit: int | None, backend: Any) -> Any:
    import narwhals.stable.v2 as nw

    ids = np.array([iv.id for iv in res.batch.catalogue.interventions], dtype=object)
    units_col: list[str] = []
    parts_idx: list[NDArray[np.intp]] = []
    parts_p: list[NDArray[np.intp]] = []
    for p in rows:
        n = int(res.n_ranked[p]) if limit is None else min(int(res.n_ranked[p]), limit)
        parts_idx.append(res.order[p, :n])
        parts_p.append(np.full(n, p, dtype=np.intp))
        units_col.extend([res.batch.units[p]] * n)
    idx = np.concatenate(parts_idx) if parts_idx else np.empty(0, dtype=np.intp)
    pp = np.concatenate(parts_p) if parts_p else np.empty(0, dtype=np.intp)
    rank = np.concatenate([np.arange(1, len(a) + 1) for a in parts_idx]) if parts_idx else idx
    data: dict[str, Any] = {
        "unit": units_col,
        "rank": rank.astype(np.int64).tolist(),
        "intervention": ids[idx].tolist(),
        "score": res.scores[pp, idx].tolist(),
    }
    for k, c in enumerate(res.scorers):
        data[c.id] = res.values[k, pp, idx].tolist()
    schema = {"unit": nw.String(), "rank": nw.Int64(), "intervention": nw.String()}
    schema.update({name: nw.Float64() for name in list(data)[3:]})
    return nw.from_dict(data, schema=schema, backend=backend).to_native()


@attrs.frozen(eq=False)
class Rankings(Sequence[Ranking]):
    """The rankings of many profiles from one match call; ``rankings[p]`` is profile *p*'s."""

    result: MatchResult = attrs.field(repr=False)

    def __len__(self) -> int:
        return len(self.result.batch.units)

    @overload
    def __getitem__(self, key: int) -> Ranking: ...
    @overload
    def __getitem__(self, key: slice) -> Sequence[Ranking]: ...
    def __getitem__(self, key: int | slice) -> Ranking | Sequence[Ranking]:
        """Profile *key*'s ranking."""
        if isinstance(key, slice):
            return [Ranking(self.result, p) for p in range(len(self))[key]]
        n = len(self)
        if not -n <= key < n:
            raise IndexError(key)
        return Ranking(self.result, key % n)

    @property
    def scores(self) -> NDArray[np.float64]:
        """``(P, I)`` the aggregated scores (NaN where blocked), interventions in id order."""
        return self.result.scores

    @property
    def ids(self) -> tuple[str, ...]:
        """The intervention ids, in column order of :attr:`scores`."""
        return self.result.batch.catalogue.ids

    def top_indices(self, n: int) -> NDArray[np.intp]:
        """``(P, n)`` the indices of each profile's *n* best interventions (argpartition)."""
        return top_k(self.result.scores, n)

    def to_dict(self) -> list[dict[str, Any]]:
        """Every profile's :meth:`Ranking.to_dict`."""
        return [r.to_dict() for r in self]

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as a JSON string."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    def to_dataframe(self, backend: Any = "pandas", top: int | None = None) -> Any:
        """All profiles' recommendations (optionally only the *top* per profile), long form."""
        return _frame(self.result, range(len(self)), top, backend)
