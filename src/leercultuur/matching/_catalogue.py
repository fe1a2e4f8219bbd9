"""The catalogue's arrays for matching, built once per registry (see :class:`CatalogueArrays`)."""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np
from numpy.typing import NDArray

from leercultuur.evidence import EvidenceRule, Finding, Verdict, lint
from leercultuur.model import Dimension, DimensionKind, Intervention, Text

if TYPE_CHECKING:
    from leercultuur.registry import Registry

__all__ = ["CatalogueArrays", "catalogue_arrays"]

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

    def label(self, column: str) -> Text:
        """The Dutch and English name of a column: ``Middelen (ICT)`` for ``resources.ict``."""
        for dim in self.dimensions:
            if column == dim.id:
                return dim.label
            for facet in dim.facets:
                if column == f"{dim.id}.{facet.id}":
                    return Text(
                        nl=f"{dim.label.nl} ({facet.label.nl})",
                        en=f"{dim.label.en} ({facet.label.en})",
                    )
        return Text(nl=column, en=column)

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
