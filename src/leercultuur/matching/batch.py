"""The arrays a match works on: the catalogue's, built once per registry, and the profiles'.

A :class:`Batch` holds everything the criteria need as numpy arrays, so that
every criterion is pure numpy over all (profile, intervention) pairs at once.
Columns are the registered dimensions followed by their facets
(``resources.ict``); rows are profiles (``P``) or interventions (``I``,
sorted by id).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from leercultuur.errors import Problem, ValidationError
from leercultuur.matching._catalogue import CatalogueArrays, catalogue_arrays
from leercultuur.model import Context, CultureProfile, Intervention

if TYPE_CHECKING:
    from leercultuur.matching.ranking import Method, Rankings
    from leercultuur.registry import Registry

__all__ = ["Batch", "CatalogueArrays"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@attrs.frozen(eq=False)
class Batch:
    """Everything a criterion needs, as arrays over profiles (``P``) and interventions (``I``).

    :ivar catalogue: the interventions' arrays.
    :ivar units: the profiles' unit names.
    :ivar scores: ``(P, D)`` the profiles' 0-100 scores, 0 where unknown (never NaN).
    :ivar known: ``(P, D)`` which scores are known.
    :ivar budget: ``(P,)`` from each profile's context.
    :ivar hours_available: ``(P,)`` from each profile's context.
    :ivar headcount: ``(P,)`` from each profile's context.
    :ivar sector: ``(P,)`` index into ``catalogue.sectors``, or -1 when no intervention
        names the unit's sector.
    :ivar allow_debunked: whether interventions resting on a debunked premise may be ranked.
    """

    catalogue: CatalogueArrays
    units: tuple[str, ...]
    sector_names: tuple[str, ...]
    scores: FloatArray
    known: BoolArray
    budget: FloatArray
    hours_available: FloatArray
    headcount: FloatArray
    sector: NDArray[np.intp]
    allow_debunked: bool = False

    @property
    def shape(self) -> tuple[int, int]:
        """``(P, I)``: the number of profiles and interventions."""
        return (len(self.units), len(self.catalogue.interventions))

    @property
    def cost(self) -> FloatArray:
        """``(P, I)`` the total cost: ``eur_once + eur_per_participant * headcount``."""
        cat = self.catalogue
        return cat.cost_once[None, :] + self.headcount[:, None] * cat.cost_per_participant[None, :]

    @property
    def gap(self) -> FloatArray:
        """``(P, D)`` the gap to the top of the scale, ``(100 - score) / 100``; 0 where unknown."""
        return np.where(self.known, (100.0 - self.scores) / 100.0, 0.0)

    @classmethod
    def build(
        cls,
        catalogue: CatalogueArrays,
        profiles: Sequence[CultureProfile],
        contexts: Sequence[Context],
        *,
        allow_debunked: bool = False,
    ) -> Batch:
        """Build the profile arrays (one pass over the profiles' score mappings).

        A facet's score is the profile's own ``dimension.facet`` score; for
        ``resources.ict`` the context's ``ict_maturity`` stands in when the
        profile has none. A dimension without a score of its own takes the mean
        of its known facets.
        """
        columns = catalogue.columns
        col = {c: j for j, c in enumerate(columns)}
        n_prof = len(profiles)
        scores = np.zeros((n_prof, len(columns)))
        known = np.zeros((n_prof, len(columns)), dtype=np.bool_)
        for p, profile in enumerate(profiles):
            for key, score in profile.scores.items():
                j = col.get(key)
                if j is not None:
                    scores[p, j] = score.value
                    known[p, j] = True
        return cls._assemble(
            catalogue, tuple(p.unit for p in profiles), scores, known, contexts, allow_debunked
        )

    @classmethod
    def from_arrays(
        cls,
        units: Sequence[str],
        columns: Sequence[str],
        scores: ArrayLike,
        contexts: Context | Sequence[Context],
        *,
        registry: Registry | None = None,
        interventions: Sequence[Intervention] | None = None,
        allow_debunked: bool = False,
    ) -> Batch:
        """Build a batch straight from a ``(P, K)`` score matrix: no Python loop over profiles.

        The fast way in for many profiles (for example a table of published unit
        scores): ``scores[p, k]`` is unit ``units[p]``'s 0-100 score on
        ``columns[k]`` (a dimension id or ``dimension.facet``), NaN where unknown.
        Columns the catalogue does not know are ignored, as :meth:`build` ignores
        such profile scores; facets, ``ict_maturity`` and dimensions without a
        score of their own are filled in exactly as :meth:`build` does, so
        ``Batch.from_arrays(...)`` equals ``Batch.build(...)`` on the same scores.

        :param contexts: one :class:`~leercultuur.Context` for every unit, or one per unit.
        :param registry: whose interventions to use (the built-in registry by default);
            *interventions* replaces them, as in :func:`~leercultuur.match`.
        :raises ValidationError: naming every bad argument, and the first bad cells
            (``scores[p, k]``: not a number in 0-100 or NaN).

        >>> import numpy as np, leercultuur as lc
        >>> reg = lc.load_registry(entry_points=False)
        >>> ctx = lc.Context(sector="hospital", fte=10, budget_eur=50_000, hours_per_fte=40)
        >>> batch = Batch.from_arrays(
        ...     ["team:a", "team:b"], ["safety", "interaction"],
        ...     np.array([[60.0, 30.0], [np.nan, 80.0]]), ctx, registry=reg)
        >>> batch.shape[0], bool(batch.known[1, batch.catalogue.columns.index("safety")])
        (2, False)
        >>> len(batch.match(reg))
        2
        """
        if registry is None:
            from leercultuur.registry import load_registry

            registry = load_registry(entry_points=False)
        catalogue = catalogue_arrays(registry, None if interventions is None else interventions)
        problems: list[tuple[str, str]] = []
        unit_list = list(units) if not isinstance(units, str) else [units]
        if isinstance(units, str) or not all(isinstance(u, str) for u in unit_list):
            problems.append(("units", "expected a sequence of unit names (str)"))
        column_list = list(columns) if not isinstance(columns, str) else [columns]
        if isinstance(columns, str) or not all(isinstance(c, str) for c in column_list):
            problems.append(("columns", "expected a sequence of column ids (str)"))
        elif len(set(column_list)) != len(column_list):
            problems.append(("columns", "expected each column once"))
        try:
            values = np.asarray(scores, dtype=np.float64)
        except (TypeError, ValueError):
            values = np.empty((0, 0))
            problems.append(("scores", "expected a (P, K) array of numbers"))
        else:
            if values.shape != (len(unit_list), len(column_list)):
                problems.append(
                    (
                        "scores",
                        f"expected shape ({len(unit_list)}, {len(column_list)}) (units x columns),"
                        f" got {values.shape}",
                    )
                )
            else:
                with np.errstate(invalid="ignore"):
                    bad = np.argwhere(~(np.isnan(values) | ((values >= 0) & (values <= 100))))
                for p, k in bad[:10].tolist():
                    problems.append((f"scores[{p}, {k}]", "expected a number 0-100, or NaN"))
                if len(bad) > 10:
                    problems.append(("scores", f"{len(bad) - 10} more cells outside 0-100"))
        if isinstance(contexts, Context):
            clist = [contexts] * len(unit_list)
        else:
            clist = list(contexts)
            given: list[object] = list(clist)
            for c, ctx in enumerate(given):
                if not isinstance(ctx, Context):
                    problems.append(
                        (f"contexts[{c}]", f"expected a Context, got {type(ctx).__name__}")
                    )
            if len(clist) != len(unit_list):
                problems.append(
                    ("contexts", f"expected one context or {len(unit_list)}, got {len(clist)}")
                )
        if problems:
            raise ValidationError(Problem(where, what) for where, what in problems)
        col = {c: j for j, c in enumerate(catalogue.columns)}
        take = [k for k, c in enumerate(column_list) if c in col]
        dest = [col[column_list[k]] for k in take]
        full = np.zeros((len(unit_list), len(catalogue.columns)))
        known = np.zeros(full.shape, dtype=np.bool_)
        picked = values[:, take]
        seen = ~np.isnan(picked)
        full[:, dest] = np.where(seen, picked, 0.0)
        known[:, dest] = seen
        return cls._assemble(catalogue, tuple(unit_list), full, known, clist, bool(allow_debunked))

    def match(
        self,
        registry: Registry | None = None,
        *,
        weights: Mapping[str, float] | None = None,
        method: Method = "weighted_sum",
    ) -> Rankings:
        """Rank this batch's interventions for every profile: :func:`~leercultuur.match` on arrays.

        *registry* gives the criteria (the built-in registry by default); *weights*
        and *method* are as in :func:`~leercultuur.match`.
        """
        from leercultuur.matching.match import evaluate
        from leercultuur.matching.ranking import Rankings

        if method not in ("weighted_sum", "topsis"):
            raise ValidationError.single(
                "method", f"expected 'weighted_sum' or 'topsis', got {method!r}"
            )
        if registry is None:
            from leercultuur.registry import load_registry

            registry = load_registry(entry_points=False)
        return Rankings(evaluate(self, list(registry.criteria.values()), weights, method))

    @classmethod
    def _assemble(  # noqa: PLR0917 - private, called positionally by both constructors
        cls,
        catalogue: CatalogueArrays,
        units: tuple[str, ...],
        scores: FloatArray,
        known: BoolArray,
        contexts: Sequence[Context],
        allow_debunked: bool,
    ) -> Batch:
        """Fill facets and dimensions from each other, then attach the contexts' arrays."""
        col = {c: j for j, c in enumerate(catalogue.columns)}
        ict = col.get("resources.ict")
        if ict is not None:
            maturity = np.array(
                [np.nan if c.ict_maturity is None else c.ict_maturity for c in contexts],
                dtype=np.float64,
            )
            fill = ~known[:, ict] & ~np.isnan(maturity)
            scores[fill, ict] = maturity[fill]
            known[fill, ict] = True
        for d in catalogue.dimensions:
            if not d.facets:
                continue
            j = col[d.id]
            fj = [col[f"{d.id}.{f.id}"] for f in d.facets]
            n_known = known[:, fj].sum(axis=1)
            fill = ~known[:, j] & (n_known > 0)
            total = np.where(known[:, fj], scores[:, fj], 0.0).sum(axis=1)
            scores[fill, j] = total[fill] / n_known[fill]
            known[fill, j] = True
        sec = {s: k for k, s in enumerate(catalogue.sectors)}
        return cls(
            catalogue=catalogue,
            units=units,
            sector_names=tuple(c.sector for c in contexts),
            scores=scores,
            known=known,
            budget=np.array([c.budget_eur for c in contexts], dtype=np.float64),
            hours_available=np.array([c.hours_per_fte for c in contexts], dtype=np.float64),
            headcount=np.array([c.headcount for c in contexts], dtype=np.float64),
            sector=np.array([sec.get(c.sector, -1) for c in contexts], dtype=np.intp),
            allow_debunked=allow_debunked,
        )
