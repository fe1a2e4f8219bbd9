"""``plan()``: a roadmap of phases, preconditions first, within a budget and hours.

The algorithm, phase by phase:

1. Match the unit's *expected* profile (the measured one plus the lifts of the
   earlier phases) against the interventions not yet chosen, with the budget
   and hours that remain.
2. The unmet preconditions are the precondition dimensions (and facets) that
   are known and either below *target* or below a level an intervention still
   requires. If feasible interventions strengthen one of them, the phase
   chooses only among those (*randvoorwaarden eerst*); otherwise among all
   feasible ones.
3. Choose at most *max_per_phase* of them with the largest total score whose
   cost and hours fit what remains. When the candidate sets number at most
   :data:`EXACT_LIMIT` this search is exhaustive, so the choice is optimal for
   the phase. Beyond that it is greedy by score per share of the remaining
   budget and hours, compared with the best single intervention; with one
   binding resource and no limit on the number this greedy rule reaches at least
   half the optimum (Martello & Toth 1990, *Knapsack problems*, section 2.4);
   otherwise no constant bound is claimed. Phases are chosen one after another:
   the roadmap as a whole is not jointly optimised.
4. Assume each chosen intervention lifts every dimension it targets by
   :data:`EXPECTED_LIFT` points for its :class:`~leercultuur.Strength` (a stated
   planning assumption, not a measured effect; capped at 100), and a dimension's
   facets by the same amount. Unknown scores stay unknown. Interventions whose
   readiness the lifts satisfy become candidates in the next phase.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from leercultuur._checks import frozen_map
from leercultuur.errors import Problem, ValidationError
from leercultuur.matching._catalogue import CatalogueArrays, catalogue_arrays
from leercultuur.matching.batch import Batch
from leercultuur.matching.match import _contexts, evaluate
from leercultuur.matching.ranking import Ranking, Recommendation
from leercultuur.model import Context, CultureProfile, Intervention, Lang, Strength, Text

if TYPE_CHECKING:
    from leercultuur.registry import Registry

__all__ = ["EXACT_LIMIT", "EXPECTED_LIFT", "Phase", "Roadmap", "plan"]


def _text_map(value: Mapping[str, Text]) -> Mapping[str, Text]:
    return frozen_map(value)


EXPECTED_LIFT: Mapping[Strength, float] = {
    Strength.WEAK: 5.0,
    Strength.MODERATE: 10.0,
    Strength.STRONG: 15.0,
}
"""The planning assumption: points (0-100) a completed intervention adds to a targeted dimension."""

EXACT_LIMIT = 50_000
"""Up to this many candidate sets per phase, the phase's choice is found exhaustively."""


@attrs.frozen
class Phase:
    """One phase of a roadmap.

    :ivar recommendations: the chosen interventions, as ranked in this phase.
    :ivar focus: the unmet preconditions this phase addresses (empty: none were left).
    :ivar expected: the expected scores after the phase, for the dimensions it lifts.
    :ivar unlocked: interventions that the expected lifts make ready for later phases.
    """

    number: int
    recommendations: tuple[Recommendation, ...]
    cost_eur: float
    hours: float
    focus: tuple[str, ...]
    expected: Mapping[str, float]
    unlocked: tuple[str, ...]

    @property
    def interventions(self) -> tuple[Intervention, ...]:
        """The chosen interventions."""
        return tuple(r.intervention for r in self.recommendations)


@attrs.frozen
class Roadmap:
    """A sequence of phases for one unit, within a budget and hours per participant."""

    unit: str
    phases: tuple[Phase, ...]
    budget_eur: float
    hours: float
    labels: Mapping[str, Text] = attrs.field(factory=dict, converter=_text_map, repr=False)
    """Names of the dimensions, facets and interventions the phases refer to by id."""

    def label(self, key: str, lang: Lang = "nl") -> str:
        """The name of a dimension, facet or intervention id in *lang* (the id if unknown)."""
        text = self.labels.get(key)
        return key if text is None else text.get(lang)

    @property
    def cost_eur(self) -> float:
        """The total cost of all phases."""
        return sum(p.cost_eur for p in self.phases)

    @property
    def total_hours(self) -> float:
        """The total hours per participant of all phases."""
        return sum(p.hours for p in self.phases)

    def explain(self, lang: Lang = "nl") -> str:
        """A readable roadmap in *lang*, with the planning assumption stated."""
        nl = lang == "nl"
        lines = [
            f"{'Routekaart voor' if nl else 'Roadmap for'} {self.unit}: "
            f"EUR {self.cost_eur:,.0f} / {self.budget_eur:,.0f}, "
            f"{self.total_hours:g} / {self.hours:g} {'uur' if nl else 'hours'}"
        ]
        if not self.phases:
            lines.append("  (geen haalbare fase)" if nl else "  (no feasible phase)")
        for ph in self.phases:
            focus = ", ".join(self.label(f, lang) for f in ph.focus) or "-"
            lines.append(
                f"{'Fase' if nl else 'Phase'} {ph.number} "
                f"({'randvoorwaarden' if nl else 'preconditions'}: {focus}; "
                f"EUR {ph.cost_eur:,.0f}, {ph.hours:g} {'uur' if nl else 'hours'})"
            )
            for rec in ph.recommendations:
                lines.append(f"  - {rec.intervention.name.get(lang)} (score {rec.score:.3f})")
            if ph.expected:
                exp = ", ".join(f"{self.label(k, lang)} {v:.0f}" for k, v in ph.expected.items())
                lines.append(f"  {'Verwacht daarna' if nl else 'Expected after'}: {exp}")
            if ph.unlocked:
                names = ", ".join(self.label(i, lang) for i in ph.unlocked)
                lines.append(f"  {'Maakt mogelijk' if nl else 'Unlocks'}: {names}")
        lines.append(ASSUMPTION.get(lang))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "unit": self.unit,
            "budget_eur": self.budget_eur,
            "hours": self.hours,
            "phases": [
                {
                    "number": ph.number,
                    "interventions": [r.to_dict() for r in ph.recommendations],
                    "cost_eur": ph.cost_eur,
                    "hours": ph.hours,
                    "focus": list(ph.focus),
                    "expected": dict(ph.expected),
                    "unlocked": list(ph.unlocked),
                }
                for ph in self.phases
            ],
            "assumption": {"nl": ASSUMPTION.nl, "en": ASSUMPTION.en},
        }

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as a JSON string."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)


ASSUMPTION = Text(
    nl="Aanname: een afgeronde interventie verhoogt een beoogde dimensie met 5 (zwak), 10 (matig)"
    " of 15 (sterk) punten; dit is een planningsaanname, geen gemeten effect.",
    en="Assumption: a completed intervention raises a targeted dimension by 5 (weak), 10"
    " (moderate) or 15 (strong) points; this is a planning assumption, not a measured effect.",
)


def plan(
    profile: CultureProfile,
    context: Context,
    *,
    registry: Registry | None = None,
    budget_eur: float | None = None,
    hours: float | None = None,
    max_phases: int = 3,
    max_per_phase: int = 3,
    target: float = 60.0,
    weights: Mapping[str, float] | None = None,
    allow_debunked: bool = False,
    interventions: Iterable[Intervention] | None = None,
) -> Roadmap:
    """Sequence interventions into phases: unmet preconditions first, then what they unlock.

    :param budget_eur: the budget for the whole roadmap (default: the context's).
    :param hours: the learning hours per participant for the whole roadmap (default: the
        context's hours per FTE).
    :param max_phases: at most this many phases.
    :param max_per_phase: at most this many interventions per phase.
    :param target: a precondition scoring below this (0-100) counts as unmet.

    See the module documentation for the algorithm and its guarantee.

    >>> import leercultuur as lc
    >>> reg = lc.load_registry(entry_points=False)
    >>> profile = lc.CultureProfile.from_values("team:a", {"safety": 45, "interaction": 30})
    >>> context = lc.Context(sector="hospital", fte=10, budget_eur=20_000, hours_per_fte=40)
    >>> roadmap = lc.plan(profile, context, registry=reg)
    >>> roadmap.cost_eur <= 20_000 and roadmap.total_hours <= 40
    True
    """
    problems: list[tuple[str, str]] = []
    for name, value, low in (("max_phases", max_phases, 1), ("max_per_phase", max_per_phase, 1)):
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            problems.append((name, f"expected a whole number >= {low}, got {value!r}"))
    for name, num in (("budget_eur", budget_eur), ("hours", hours), ("target", target)):
        if num is not None and (
            not isinstance(num, int | float) or isinstance(num, bool) or not num >= 0
        ):
            problems.append((name, f"expected a number >= 0, got {num!r}"))
    if problems:
        raise ValidationError(Problem(where, what) for where, what in problems)
    clist = _contexts([profile], context)
    if registry is None:
        from leercultuur.registry import load_registry

        registry = load_registry(entry_points=False)
    cat = catalogue_arrays(registry, None if interventions is None else list(interventions))
    base = Batch.build(cat, [profile], clist, allow_debunked=bool(allow_debunked))
    criteria = list(registry.criteria.values())
    budget = float(context.budget_eur if budget_eur is None else budget_eur)
    total_hours = float(context.hours_per_fte if hours is None else hours)
    scores = base.scores.copy()
    known = base.known
    chosen = np.zeros(len(cat.interventions), dtype=np.bool_)
    left_budget, left_hours = budget, total_hours
    parent = _parents(cat.columns, len(cat.dimensions))
    phases: list[Phase] = []
    for number in range(1, max_phases + 1):
        batch = attrs.evolve(
            base,
            scores=scores,
            budget=np.array([left_budget]),
            hours_available=np.array([left_hours]),
        )
        result = evaluate(batch, criteria, weights, "weighted_sum", registry=registry)
        ok: NDArray[np.bool_] = np.all(result.feasible, axis=0)[0] & ~chosen
        if not ok.any():
            break
        unmet = _unmet(cat, chosen, scores[0], known[0], target)
        lifts = _lift_matrix(cat.effects, parent)  # (I, D) points
        helps = (lifts[:, unmet] > 0).any(axis=1) & ok
        pool = np.flatnonzero(helps if helps.any() else ok)
        focus = tuple(
            c for j, c in enumerate(cat.columns) if unmet[j] and (lifts[pool, j] > 0).any()
        )
        cost = result.batch.cost[0]
        pick = _choose(
            pool, result.scores[0], cost, cat.hours, left_budget, left_hours, max_per_phase
        )
        if not pick:
            break
        before = scores[0].copy()
        gain = lifts[pick].sum(axis=0)
        scores = scores.copy()
        scores[0] = np.where(known[0], np.minimum(100.0, scores[0] + gain), scores[0])
        chosen[pick] = True
        spent = float(cost[pick].sum())
        used = float(cat.hours[pick].sum())
        left_budget -= spent
        left_hours -= used
        ready_before = _ready(result)
        after = evaluate(
            attrs.evolve(batch, scores=scores), criteria, weights, "weighted_sum", registry=registry
        )
        ready_after = _ready(after)
        unlocked = tuple(
            cat.interventions[i].id for i in np.flatnonzero(ready_after & ~ready_before & ~chosen)
        )
        ranking = Ranking(result, 0)
        position = {int(i): r for r, i in enumerate(result.order[0], start=1)}
        recs = tuple(
            ranking._recommendation(i, position[i]) for i in sorted(pick, key=lambda i: position[i])
        )
        changed = np.flatnonzero(known[0] & (scores[0] != before))
        phases.append(
            Phase(
                number=number,
                recommendations=recs,
                cost_eur=spent,
                hours=used,
                focus=focus,
                expected={cat.columns[j]: float(scores[0, j]) for j in changed},
                unlocked=unlocked,
            )
        )
    used_ids = {i for ph in phases for i in (*ph.focus, *ph.expected, *ph.unlocked)}
    names = {iv.id: iv.name for iv in cat.interventions if iv.id in used_ids}
    names.update({c: cat.label(c) for c in cat.columns if c in used_ids})
    return Roadmap(profile.unit, tuple(phases), budget, total_hours, names)


def _parents(columns: Sequence[str], n_dimensions: int) -> NDArray[np.intp]:
    """For each column, the index of its parent dimension (itself for a dimension).

    The first *n_dimensions* columns are dimensions (whose ids may contain dots,
    e.g. ``zorg_x.reflectie``); the rest are ``dimension.facet``.
    """
    index = {c: j for j, c in enumerate(columns)}
    return np.array(
        [j if j < n_dimensions else index[c.rpartition(".")[0]] for j, c in enumerate(columns)],
        dtype=np.intp,
    )


def _lift_matrix(effects: NDArray[np.float64], parent: NDArray[np.intp]) -> NDArray[np.float64]:
    """``(I, D)`` expected lift in points: a dimension's lift also applies to its facets."""
    table = np.array([0.0] + [EXPECTED_LIFT[s] for s in Strength], dtype=np.float64)
    per_dim = table[effects.astype(np.intp)]
    return per_dim[:, parent]


def _unmet(
    cat: CatalogueArrays,
    chosen: NDArray[np.bool_],
    scores: NDArray[np.float64],
    known: NDArray[np.bool_],
    target: float,
) -> NDArray[np.bool_]:
    """Known precondition columns below *target* or below what an unchosen intervention requires."""
    need = np.where(cat.required & ~chosen[:, None], cat.requirement, -np.inf).max(
        axis=0, initial=-np.inf
    )
    out: NDArray[np.bool_] = cat.precondition & known & ((scores < target) | (scores < need))
    return out


def _ready(result: Any) -> NDArray[np.bool_]:
    """Readiness per intervention for the (single) profile of *result*."""
    for k, c in enumerate(result.constraints):
        if c.id == "builtin.readiness":
            out: NDArray[np.bool_] = result.feasible[k, 0]
            return out
    return np.ones(result.scores.shape[1], dtype=np.bool_)


def _choose(  # noqa: PLR0917
    pool: NDArray[np.intp],
    score: NDArray[np.float64],
    cost: NDArray[np.float64],
    hours: NDArray[np.float64],
    budget: float,
    time: float,
    k: int,
) -> list[int]:
    """The best set of at most *k* from *pool* within *budget* and *time* (see module doc)."""
    pool = pool[np.argsort(-score[pool], kind="stable")]
    n = len(pool)
    k = min(k, n)
    count = sum(math.comb(n, r) for r in range(1, k + 1))
    if count <= EXACT_LIMIT:
        best: tuple[float, list[int]] = (0.0, [])
        for r in range(1, k + 1):
            combos = np.array(list(itertools.combinations(range(n), r)), dtype=np.intp)
            idx = pool[combos]
            fits = (cost[idx].sum(axis=1) <= budget + 1e-9) & (
                hours[idx].sum(axis=1) <= time + 1e-9
            )
            if not fits.any():
                continue
            totals = np.where(fits, score[idx].sum(axis=1), -np.inf)
            j = int(np.argmax(totals))  # first maximum: combos are in score order, then index
            if totals[j] > best[0] + 1e-12:
                best = (float(totals[j]), [int(i) for i in idx[j]])
        return best[1]
    weight = np.where(budget > 0, cost[pool] / max(budget, 1e-300), 0.0) + np.where(
        time > 0, hours[pool] / max(time, 1e-300), 0.0
    )
    density = score[pool] / np.maximum(weight, 1e-12)
    picked: list[int] = []
    spent = used = 0.0
    for j in np.argsort(-density, kind="stable"):
        i = int(pool[j])
        if len(picked) < k and spent + cost[i] <= budget + 1e-9 and used + hours[i] <= time + 1e-9:
            picked.append(i)
            spent += float(cost[i])
            used += float(hours[i])
    single = int(pool[0])  # feasible alone: constraints were checked against what remains
    if score[single] > sum(score[i] for i in picked):
        return [single]
    return picked
