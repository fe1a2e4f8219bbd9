"""``match()``: rank the catalogue for one profile or many, in one vectorised pass."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, overload

import numpy as np
from numpy.typing import NDArray

from leercultuur.errors import Problem, ValidationError
from leercultuur.matching._catalogue import catalogue_arrays
from leercultuur.matching.batch import Batch
from leercultuur.matching.criteria import Criterion, CriterionKind, Evaluation
from leercultuur.matching.methods import _topsis_core, rank_order
from leercultuur.matching.ranking import MatchResult, Method, Ranking, Rankings
from leercultuur.model import Context, CultureProfile, Intervention

if TYPE_CHECKING:
    from leercultuur.registry import Registry

__all__ = ["match"]


@overload
def match(
    profiles: CultureProfile,
    contexts: Context | Sequence[Context],
    *,
    registry: Registry | None = ...,
    weights: Mapping[str, float] | None = ...,
    method: Method = ...,
    allow_debunked: bool = ...,
    interventions: Iterable[Intervention] | None = ...,
) -> Ranking: ...
@overload
def match(
    profiles: Sequence[CultureProfile],
    contexts: Context | Sequence[Context],
    *,
    registry: Registry | None = ...,
    weights: Mapping[str, float] | None = ...,
    method: Method = ...,
    allow_debunked: bool = ...,
    interventions: Iterable[Intervention] | None = ...,
) -> Rankings: ...
def match(
    profiles: CultureProfile | Sequence[CultureProfile],
    contexts: Context | Sequence[Context],
    *,
    registry: Registry | None = None,
    weights: Mapping[str, float] | None = None,
    method: Method = "weighted_sum",
    allow_debunked: bool = False,
    interventions: Iterable[Intervention] | None = None,
) -> Ranking | Rankings:
    """Rank the interventions for one profile (a :class:`Ranking`) or many (:class:`Rankings`).

    Every constraint of the registry's criteria filters, every score criterion
    scores, for all (profile, intervention) pairs at once; the catalogue's
    arrays are built once per registry and cached. Hooks are never called here.

    :param profiles: one :class:`~leercultuur.CultureProfile` or a sequence of them.
    :param contexts: one :class:`~leercultuur.Context` for all, or one per profile.
    :param registry: where interventions, criteria and evidence rules come from; the
        built-in registry (without installed plugins) by default.
    :param weights: criterion id -> weight, overriding the criteria's default weights (a
        weight of 0 leaves a score out). Weights are normalised to sum to 1.
    :param method: ``"weighted_sum"`` (default): the weighted mean of the criteria's values,
        which lie on an absolute [0, 1] scale, so a score does not depend on the other
        interventions; ``"topsis"``: TOPSIS closeness (vector normalisation) among each
        profile's feasible interventions.
    :param allow_debunked: rank interventions resting on a debunked premise (with a warning
        and its citation) instead of blocking them.
    :param interventions: match against these interventions instead of the registry's.

    Ties are broken by intervention id.

    >>> import leercultuur as lc
    >>> reg = lc.load_registry(entry_points=False)
    >>> profile = lc.CultureProfile.from_values("team:a", {"safety": 60, "interaction": 30})
    >>> context = lc.Context(sector="hospital", fte=10, budget_eur=50_000, hours_per_fte=40)
    >>> ranking = lc.match(profile, context, registry=reg)
    >>> ranking.unit
    'team:a'
    >>> all(0 <= r.score <= 1 for r in ranking)
    True
    """
    single = isinstance(profiles, CultureProfile)
    plist: list[CultureProfile] = (
        [profiles] if isinstance(profiles, CultureProfile) else list(profiles)
    )
    clist = _contexts(plist, contexts)
    if method not in ("weighted_sum", "topsis"):
        raise ValidationError.single(
            "method", f"expected 'weighted_sum' or 'topsis', got {method!r}"
        )
    if registry is None:
        from leercultuur.registry import load_registry

        registry = load_registry(entry_points=False)
    cat = catalogue_arrays(registry, None if interventions is None else list(interventions))
    batch = Batch.build(cat, plist, clist, allow_debunked=bool(allow_debunked))
    result = evaluate(batch, list(registry.criteria.values()), weights, method, registry=registry)
    return Ranking(result, 0) if single else Rankings(result)


def _contexts(profiles: Sequence[object], contexts: object) -> list[Context]:
    problems: list[tuple[str, str]] = []
    for p, profile in enumerate(profiles):
        if not isinstance(profile, CultureProfile):
            problems.append(
                (f"profiles[{p}]", f"expected a CultureProfile, got {type(profile).__name__}")
            )
    items: list[object] = (
        list(contexts)
        if isinstance(contexts, Sequence) and not isinstance(contexts, str)
        else [contexts] * len(profiles)
    )
    if len(items) != len(profiles):
        problems.append(("contexts", f"expected one context or {len(profiles)}, got {len(items)}"))
    clist: list[Context] = []
    for c, ctx in enumerate(items):
        if isinstance(ctx, Context):
            clist.append(ctx)
        else:
            problems.append((f"contexts[{c}]", f"expected a Context, got {type(ctx).__name__}"))
    if problems:
        raise ValidationError(Problem(where, what) for where, what in problems)
    return clist


def _evaluate(criterion: Criterion, batch: Batch, registry: Registry | None) -> Evaluation:
    """``criterion.evaluate(batch)``; a failure names the plugin that supplied the criterion."""
    try:
        return criterion.evaluate(batch)
    except Exception as exc:  # the criterion is a plugin's code: name the plugin
        from leercultuur.errors import PluginHookError, PluginValidationError

        source = None if registry is None else registry.sources.get(("criteria", criterion.id))
        if source is None:  # no registry, or a criterion that did not come from a plugin
            raise
        info = source
        if isinstance(exc, ValidationError):
            cls: type[PluginHookError | PluginValidationError] = PluginValidationError
            message = "criterion returned invalid values: " + "; ".join(map(str, exc.problems))
        else:
            cls = PluginHookError
            message = f"criterion {criterion.id!r} raised {type(exc).__name__}: {exc}"
        raise cls(
            info.name,
            message,
            distribution=info.distribution,
            version=info.version,
            hook="leercultuur_criteria",
        ) from exc


def evaluate(
    batch: Batch,
    criteria: Sequence[object],
    weights: Mapping[str, float] | None,
    method: Method,
    *,
    registry: Registry | None = None,
) -> MatchResult:
    """Evaluate *criteria* over *batch* and aggregate them (the vectorised core of match).

    With *registry*, a criterion that raises or returns bad values fails as a
    :class:`~leercultuur.errors.PluginError` naming the plugin that supplied it.
    """
    crits = sorted((c for c in criteria if isinstance(c, Criterion)), key=lambda c: c.id)
    by_id = {c.id: c for c in crits}
    problems: list[tuple[str, str]] = []
    given = dict(weights or {})
    for key, value in given.items():
        if key not in by_id:
            problems.append((f"weights[{key!r}]", f"unknown criterion; known: {sorted(by_id)}"))
        elif by_id[key].kind is CriterionKind.CONSTRAINT:
            problems.append((f"weights[{key!r}]", "a constraint has no weight"))
        elif (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not np.isfinite(value)
            or value < 0
        ):
            problems.append((f"weights[{key!r}]", f"expected a number >= 0, got {value!r}"))
    if problems:
        raise ValidationError(Problem(where, what) for where, what in problems)
    scorers = tuple(
        c for c in crits if c.kind is CriterionKind.SCORE and float(given.get(c.id, c.weight)) > 0
    )
    constraints = tuple(c for c in crits if c.kind is CriterionKind.CONSTRAINT)
    raw = np.array([float(given.get(c.id, c.weight)) for c in scorers], dtype=np.float64)
    if scorers and raw.sum() <= 0:
        raise ValidationError.single("weights", "expected at least one positive weight")
    w = raw / raw.sum() if scorers else raw
    n_prof, n_iv = batch.shape
    feasible = np.ones((len(constraints), n_prof, n_iv), dtype=np.bool_)
    reasons = []
    for k, c in enumerate(constraints):
        ev = _evaluate(c, batch, registry)
        feasible[k] = ev.values
        reasons.append(ev.reason)
    values = np.empty((len(scorers), n_prof, n_iv), dtype=np.float64)
    for k, c in enumerate(scorers):
        values[k] = _evaluate(c, batch, registry).values
    ok: NDArray[np.bool_] = np.all(feasible, axis=0)
    if method == "weighted_sum":
        # criterion by criterion, in id order: a pair's score depends on its own values only,
        # bit for bit, whatever the other interventions (a BLAS product would not promise that)
        scores = np.zeros((n_prof, n_iv))
        for k in range(len(scorers)):
            scores += w[k] * values[k]
        scores = np.where(ok, np.clip(scores, 0.0, 1.0), np.nan)
    elif scorers:
        scores = _topsis_core(
            values.transpose(1, 2, 0), w[None, :], np.ones(len(scorers), dtype=np.bool_), ok
        )
    else:
        scores = np.where(ok, 0.5, np.nan)
    order = rank_order(scores)
    return MatchResult(
        batch=batch,
        method=method,
        scorers=scorers,
        weights=w,
        constraints=constraints,
        reasons=tuple(reasons),
        values=values,
        feasible=feasible,
        scores=scores,
        order=order,
        n_ranked=ok.sum(axis=1).astype(np.intp),
    )
