from __future__ import annotations

import pytest

import leercultuur as lc
from leercultuur.errors import ValidationError


def test_registry_has_the_reports_seven_dimensions(registry: lc.Registry) -> None:
    kinds = {d.id: d.kind for d in registry.dimensions.values()}
    assert kinds == {
        "interaction": lc.DimensionKind.CHARACTERISTIC,
        "open_culture": lc.DimensionKind.CHARACTERISTIC,
        "autonomy": lc.DimensionKind.CHARACTERISTIC,
        "safety": lc.DimensionKind.PRECONDITION,
        "relations": lc.DimensionKind.PRECONDITION,
        "commitment": lc.DimensionKind.PRECONDITION,
        "resources": lc.DimensionKind.PRECONDITION,
    }
    assert [f.id for f in registry.dimensions["resources"].facets] == ["staff", "finance", "ict"]


def test_lookups_are_typed_and_read_only(registry: lc.Registry) -> None:
    with pytest.raises(lc.UnknownInterventionError) as info:
        registry.interventions["builtin.intervsie"]
    assert isinstance(info.value, KeyError)
    assert "builtin.intervisie" in str(info.value)  # suggests the close match
    with pytest.raises(TypeError):
        registry.interventions["x"] = None  # type: ignore[index]


def test_every_label_is_bilingual(registry: lc.Registry) -> None:
    for dim in registry.dimensions.values():
        assert dim.label.nl
        assert dim.label.en
        assert dim.description is not None


def test_approach_labels_are_dutch() -> None:
    assert [a.label.nl for a in lc.Approach] == [
        "belevingsgericht leren",
        "digitaal leren",
        "praktijkleren",
    ]


def test_intervention_needs_namespace_and_evidence() -> None:
    base = {
        "name": lc.Text(nl="x", en="x"),
        "summary": lc.Text(nl="x", en="x"),
        "approaches": [lc.Approach.WORKPLACE],
        "effects": {"safety": lc.Strength.WEAK},
    }
    with pytest.raises(ValidationError, match="namespaced"):
        lc.Intervention(id="intervisie", evidence=[lc.Evidence.none_recorded()], **base)
    with pytest.raises(ValidationError, match="none_recorded"):
        lc.Intervention(id="x.y", evidence=[], **base)
    with pytest.raises(ValidationError, match="citation"):
        lc.Evidence(level=lc.EvidenceLevel.RCT)


def test_errors_inherit_builtins() -> None:
    assert issubclass(lc.ValidationError, ValueError)
    assert issubclass(lc.UnknownDimensionError, KeyError)
    assert issubclass(lc.CatalogueError, lc.LeercultuurError)
