"""The arrays a match works on: the catalogue's, built once per registry, and the profiles'.

A :class:`Batch` holds everything the criteria need as numpy arrays, so that
every criterion is pure numpy over all (profile, intervention) pairs at once.
Columns are the registered dimensions followed by their facets
(``resources.ict``); rows are profiles (``P``) or interventions (``I``,
sorted by id).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np
from numpy.typing import NDArray

from leercultuur.evidence import EvidenceRule, Finding, Verdict, lint
from leercultuur.model import Context, CultureProfile, Dimension, DimensionKind, Intervention

if TYPE_CHECKING:
    from leercultuur.registry import Registry

__all__ = ["Batch", "CatalogueArrays"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@attrs.frozen(eq=False)
class CatalogueArrays:
    """The interventions as arrays (``I`` rows, sorted by id), built once per registry.

    :ivar columns: the dimension ids, then ``dimension.facet`` ids (``D`` columns).
    :ivar effects: ``(I, D)`` expected strength 0 (none) .. 3 (strong); facets are 0.
    :ivar requirement: ``(I, D)`` minimum level; ``required`` marks which are set.
    :ivar contra: ``(I, D)`` the level below which a contra-indication blocks.
    :ivar cost_once: ``(I,)`` per intervention.
    :ivar cost_per_participant: ``(I,)`` per intervention.
    :ivar hours: ``(I,)`` per intervention.
    :ivar evidence: ``(I,)`` per intervention.
    :ivar sectors: the sector ids interventions name; ``sector_fit`` ``(I, S)``.
    :ivar debunked: ``(I,)`` whether a debunked premise is involved; ``findings`` lists the
        rules per intervention.
    :ivar questioned: ``(I,)`` whether a contested or unsupported premise is involved.
    """

    interventions: tuple[Intervention, ...]
    dimensions: tuple[Dimension, ...]
    columns: tuple[str, ...]
    precondition: BoolArray
    effects: FloatArray
    requirement: FloatArray
    required: BoolArray
    contra: FloatArray
    contra_set: BoolArray
    cost_once: FloatArray
    cost_per_participant: FloatArray
    hours: FloatArray
    evidence: FloatArray
    sectors: tuple[str, ...]
    sector_fit: BoolArray
    any_sector: BoolArray
    debunked: BoolArray
    questioned: BoolArray
    findings: tuple[tuple[Finding, ...], ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """The intervention ids, in row order."""
        return tuple(iv.id for iv in self.interventions)

    @classmethod
    def build(
        cls,
        dimensions: Sequence[Dimension],
        interventions: Sequence[Intervention],
        rules: Sequence[EvidenceRule],
    ) -> CatalogueArrays:
        """Build the arrays (sorting interventions by id)."""
        ivs = tuple(sorted(interventions, key=lambda iv: iv.id))
        dims = tuple(sorted(dimensions, key=lambda d: d.id))
        columns = tuple(d.id for d in dims) + tuple(
            f"{d.id}.{f.id}" for d in dims for f in d.facets
        )
        col = {c: j for j, c in enumerate(columns)}
        n, m = len(ivs), len(columns)
        effects = np.zeros((n, m))
        requirement = np.zeros((n, m))
        required = np.zeros((n, m), dtype=np.bool_)
        contra = np.zeros((n, m))
        contra_set = np.zeros((n, m), dtype=np.bool_)
        sectors = tuple(sorted({s for iv in ivs for s in iv.sectors}))
        sec = {s: k for k, s in enumerate(sectors)}
        sector_fit = np.zeros((n, len(sectors)), dtype=np.bool_)
        by_iv: dict[str, list[Finding]] = {}
        for finding in lint(ivs, rules):
            by_iv.setdefault(finding.intervention, []).append(finding)
        for i, iv in enumerate(ivs):
            for dim, strength in iv.effects.items():
                effects[i, _column(col, dim, iv.id)] = float(strength)
            for key, level in iv.requirements.items():
                j = _column(col, key, iv.id)
                requirement[i, j] = float(level)
                required[i, j] = True
            for ci in iv.contra_indications:
                j = _column(col, ci.dimension, iv.id)
                contra[i, j] = max(contra[i, j], ci.below)
                contra_set[i, j] = True
            for s in iv.sectors:
                sector_fit[i, sec[s]] = True
        findings = tuple(tuple(by_iv.get(iv.id, ())) for iv in ivs)
        return cls(
            interventions=ivs,
            dimensions=dims,
            columns=columns,
            precondition=np.array(  # by dimension, not by id: custom ids contain dots
                [d.kind is DimensionKind.PRECONDITION for d in dims]
                + [d.kind is DimensionKind.PRECONDITION for d in dims for _ in d.facets],
                dtype=np.bool_,
            ),
            effects=effects,
            requirement=requirement,
            required=required,
            contra=contra,
            contra_set=contra_set,
            cost_once=np.array([iv.cost.eur_once for iv in ivs], dtype=np.float64),
            cost_per_participant=np.array(
                [iv.cost.eur_per_participant for iv in ivs], dtype=np.float64
            ),
            hours=np.array([iv.hours_per_participant for iv in ivs], dtype=np.float64),
            evidence=np.array([int(iv.evidence_level) for iv in ivs], dtype=np.float64),
            sectors=sectors,
            sector_fit=sector_fit,
            any_sector=np.array([not iv.sectors for iv in ivs], dtype=np.bool_),
            debunked=np.array(
                [any(f.rule.verdict is Verdict.DEBUNKED for f in fs) for fs in findings],
                dtype=np.bool_,
            ),
            questioned=np.array(
                [any(f.rule.verdict is not Verdict.DEBUNKED for f in fs) for fs in findings],
                dtype=np.bool_,
            ),
            findings=findings,
        )


def _column(col: Mapping[str, int], key: str, where: str) -> int:
    from leercultuur.errors import UnknownDimensionError

    try:
        return col[key]
    except KeyError:
        raise UnknownDimensionError(key, list(col)) from None


_CACHE: weakref.WeakKeyDictionary[Registry, CatalogueArrays] = weakref.WeakKeyDictionary()


def catalogue_arrays(
    registry: Registry, interventions: Sequence[Intervention] | None = None
) -> CatalogueArrays:
    """The registry's catalogue as arrays, cached per registry (or for a given subset)."""
    if interventions is not None:
        return CatalogueArrays.build(
            list(registry.dimensions.values()),
            interventions,
            list(registry.evidence_rules.values()),
        )
    cached = _CACHE.get(registry)
    if cached is None:
        cached = CatalogueArrays.build(
            list(registry.dimensions.values()),
            list(registry.interventions.values()),
            list(registry.evidence_rules.values()),
        )
        _CACHE[registry] = cached
    return cached


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
        ict = col.get("resources.ict")
        if ict is not None:
            maturity = np.array(
                [np.nan if c.ict_maturity is None else c.ict_maturity for c in contexts]
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
            units=tuple(p.unit for p in profiles),
            sector_names=tuple(c.sector for c in contexts),
            scores=scores,
            known=known,
            budget=np.array([c.budget_eur for c in contexts], dtype=np.float64),
            hours_available=np.array([c.hours_per_fte for c in contexts], dtype=np.float64),
            headcount=np.array([c.headcount for c in contexts], dtype=np.float64),
            sector=np.array([sec.get(c.sector, -1) for c in contexts], dtype=np.intp),
            allow_debunked=allow_debunked,
        )
