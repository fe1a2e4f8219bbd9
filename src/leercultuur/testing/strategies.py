"""Hypothesis strategies for leercultuur's records, for property tests in this package and plugins.

Every strategy is built with explicit :func:`hypothesis.strategies.builds` calls
(``st.from_type`` would ignore the model's validators), so each example it
draws is a *valid* record: it constructs without error and survives a round trip
through every catalogue format.

>>> from hypothesis import given
>>> from leercultuur.testing.strategies import interventions
>>> @given(interventions())
... def test_has_an_approach(iv):
...     assert iv.approaches
>>> test_has_an_approach()

The strategies need hypothesis: install the ``testing`` extra
(``pip install 'leercultuur[testing]'``); without it, importing this module
raises an :class:`ImportError` that says so.

Pass ``dimension_ids`` to draw records that refer only to dimensions a registry
knows, e.g. ``interventions(dimension_ids=["safety", "resources.ict"])``.
"""

from __future__ import annotations

from collections.abc import Sequence

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "leercultuur.testing.strategies needs hypothesis, which is not installed;"
        " install it with: pip install 'leercultuur[testing]' (or pip install hypothesis)",
        name=exc.name,
    ) from exc

from leercultuur.crosswalk import Crosswalk
from leercultuur.model import (
    Approach,
    Context,
    ContraIndication,
    Cost,
    CultureProfile,
    Dimension,
    DimensionKind,
    DimensionScore,
    EffectSize,
    Evidence,
    EvidenceLevel,
    Facet,
    Intervention,
    OutcomeLevel,
    Scale,
    Strength,
)
from leercultuur.model import Text as _Text

__all__ = [
    "contexts",
    "contra_indications",
    "costs",
    "crosswalks",
    "culture_profiles",
    "dimension_ids",
    "dimension_refs",
    "dimension_scores",
    "dimensions",
    "effect_sizes",
    "evidence",
    "facets",
    "finite_floats",
    "identifiers",
    "interventions",
    "nonblank_text",
    "texts",
]


def identifiers(*, max_parts: int = 1) -> st.SearchStrategy[str]:
    """Identifiers such as ``safety`` or, with *max_parts* > 1, ``zorg_x.leerafdeling``."""
    part = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
    return st.lists(part, min_size=1, max_size=max_parts).map(".".join)


def dimension_ids() -> st.SearchStrategy[str]:
    """Plain dimension ids (one part), e.g. ``safety``."""
    return identifiers()


def dimension_refs(dimension_ids: Sequence[str] | None = None) -> st.SearchStrategy[str]:
    """References to a dimension or a facet: ``safety`` or ``resources.ict``.

    With *dimension_ids*, only those references are drawn.
    """
    if dimension_ids is not None:
        return st.sampled_from(list(dimension_ids))
    return identifiers(max_parts=2)


def nonblank_text(max_size: int = 24) -> st.SearchStrategy[str]:
    """Any text with at least one non-whitespace character (all of Unicode, bar surrogates)."""
    return st.text(min_size=1, max_size=max_size).filter(lambda s: bool(s.strip()))


def finite_floats(low: float | None = None, high: float | None = None) -> st.SearchStrategy[float]:
    """Finite floats within [low, high] (either bound may be open-ended)."""
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


def texts() -> st.SearchStrategy[_Text]:
    """Bilingual :class:`~leercultuur.model.Text` values."""
    return st.builds(_Text, nl=nonblank_text(), en=nonblank_text())


def facets() -> st.SearchStrategy[Facet]:
    """Valid :class:`~leercultuur.model.Facet` records."""
    return st.builds(Facet, id=identifiers(), label=texts())


def dimensions() -> st.SearchStrategy[Dimension]:
    """Valid :class:`~leercultuur.model.Dimension` records, with unique facet ids."""
    return st.builds(
        Dimension,
        id=identifiers(max_parts=2),
        kind=st.sampled_from(DimensionKind),
        label=texts(),
        description=st.none() | texts(),
        facets=st.lists(facets(), max_size=3, unique_by=lambda f: f.id),
    )


def crosswalks(dimension_ids: Sequence[str] | None = None) -> st.SearchStrategy[Crosswalk]:
    """Valid :class:`~leercultuur.crosswalk.Crosswalk` records (namespaced id, source != target).

    With *dimension_ids* (at least two), source and target are drawn from those references.
    """
    refs = dimension_refs(dimension_ids)
    pairs = st.tuples(refs, refs).filter(lambda pair: pair[0] != pair[1])
    return pairs.flatmap(
        lambda pair: st.builds(
            Crosswalk,
            id=identifiers(max_parts=2).filter(lambda i: "." in i),
            source=st.just(pair[0]),
            target=st.just(pair[1]),
            weight=finite_floats(0.0, 1.0).filter(lambda w: w > 0),
            rationale=texts(),
            citation=st.just("") | nonblank_text(),
        )
    )


def effect_sizes() -> st.SearchStrategy[EffectSize]:
    """Valid :class:`~leercultuur.model.EffectSize` records; an interval always holds the value."""
    metric = st.sampled_from(["d", "g", "r", "pooled SMD"]) | nonblank_text(8)
    bare = st.builds(EffectSize, value=finite_floats(), metric=metric)
    with_interval = (
        st.lists(finite_floats(), min_size=3, max_size=3)
        .map(sorted)
        .flatmap(
            lambda v: st.builds(
                EffectSize,
                value=st.just(v[1]),
                metric=metric,
                ci_low=st.just(v[0]),
                ci_high=st.just(v[2]),
            )
        )
    )
    return bare | with_interval


def evidence() -> st.SearchStrategy[Evidence]:
    """Valid :class:`~leercultuur.model.Evidence` records; every level but none has a citation."""
    optional_text = st.just("") | nonblank_text(40)

    def build(level: EvidenceLevel) -> st.SearchStrategy[Evidence]:
        citation = optional_text if level is EvidenceLevel.NONE_RECORDED else nonblank_text(60)
        return st.builds(
            Evidence,
            level=st.just(level),
            citation=citation,
            design=optional_text,
            outcome=st.none() | st.sampled_from(OutcomeLevel),
            effect=st.none() | effect_sizes(),
            population=optional_text,
            year=st.none() | st.integers(min_value=1800),
            url=optional_text,
            note=optional_text,
        )

    return st.sampled_from(EvidenceLevel).flatmap(build)


def costs() -> st.SearchStrategy[Cost]:
    """Valid :class:`~leercultuur.model.Cost` records (non-negative euros)."""
    return st.builds(Cost, eur_once=finite_floats(0), eur_per_participant=finite_floats(0))


def contra_indications(
    dimension_ids: Sequence[str] | None = None,
) -> st.SearchStrategy[ContraIndication]:
    """Valid :class:`~leercultuur.model.ContraIndication` records."""
    return st.builds(
        ContraIndication,
        dimension=dimension_refs(dimension_ids),
        below=finite_floats(0, 100),
        reason=texts(),
        citation=st.just("") | nonblank_text(60),
    )


def interventions(dimension_ids: Sequence[str] | None = None) -> st.SearchStrategy[Intervention]:
    """Valid :class:`~leercultuur.model.Intervention` records.

    :param dimension_ids: if given, effects, requirements and contra-indications refer only
        to these dimension (or ``dimension.facet``) ids; requirement keys keep at most one dot.
    """
    refs = dimension_refs(dimension_ids)
    requirement_refs = refs.filter(lambda r: r.count(".") <= 1)
    return st.builds(
        Intervention,
        id=identifiers(max_parts=3).filter(lambda i: "." in i) | identifiers().map("x.{}".format),
        name=texts(),
        summary=texts(),
        approaches=st.lists(st.sampled_from(Approach), min_size=1, max_size=3),
        effects=st.dictionaries(refs, st.sampled_from(Strength), max_size=4),
        evidence=st.lists(evidence(), min_size=1, max_size=3),
        topics=st.lists(identifiers(), max_size=3),
        requirements=st.dictionaries(requirement_refs, finite_floats(0, 100), max_size=3),
        contra_indications=st.lists(contra_indications(dimension_ids), max_size=2),
        cost=costs(),
        hours_per_participant=finite_floats(0),
        duration_weeks=st.integers(min_value=1),
        scale=st.sampled_from(Scale),
        sectors=st.lists(identifiers(), max_size=2),
        premises=st.lists(identifiers(), max_size=3),
        source=st.just("") | nonblank_text(40),
    )


def contexts() -> st.SearchStrategy[Context]:
    """Valid :class:`~leercultuur.model.Context` records."""
    return st.builds(
        Context,
        sector=identifiers(),
        fte=finite_floats(0, 1e6),
        budget_eur=finite_floats(0),
        hours_per_fte=finite_floats(0),
        ict_maturity=st.none() | finite_floats(0, 100),
        participants=st.none() | st.integers(min_value=1),
    )


def dimension_scores() -> st.SearchStrategy[DimensionScore]:
    """Valid :class:`~leercultuur.model.DimensionScore` records on the 0-100 scale."""
    score = finite_floats(0, 100)
    bare = st.builds(DimensionScore, value=score, n=st.integers(min_value=0))
    with_interval = (
        st.lists(score, min_size=3, max_size=3)
        .map(sorted)
        .flatmap(
            lambda v: st.builds(
                DimensionScore,
                value=st.just(v[1]),
                n=st.integers(min_value=0),
                ci_low=st.just(v[0]),
                ci_high=st.just(v[2]),
            )
        )
    )
    return bare | with_interval


def culture_profiles(
    dimension_ids: Sequence[str] | None = None,
) -> st.SearchStrategy[CultureProfile]:
    """Valid :class:`~leercultuur.model.CultureProfile` records."""
    return st.builds(
        CultureProfile,
        unit=nonblank_text(),
        scores=st.dictionaries(dimension_refs(dimension_ids), dimension_scores(), max_size=5),
    )
