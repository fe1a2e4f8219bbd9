"""The public helpers for plugin authors: make_registry and the conformance checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import leercultuur as lc
from leercultuur import testing
from leercultuur.testing import ConformanceError, check_plugin, conformance_check, make_registry

TEXT = lc.Text(nl="Alleen voor tests.", en="For tests only.")


def plugin(**hooks: Any) -> object:
    """A plugin object whose hooks yield the given records."""
    attrs = {}
    for hook, records in hooks.items():

        def impl(records: Any = records) -> Iterator[Any]:
            yield from records

        attrs[f"leercultuur_{hook}"] = staticmethod(lc.hookimpl(impl))
    return type("P", (), attrs)()


def intervention(iv_id: str = "p.walk", **changes: Any) -> lc.Intervention:
    fields: dict[str, Any] = {
        "id": iv_id,
        "name": lc.Text(nl="Wandeling", en="Walk"),
        "summary": lc.Text(nl="Samen lopen en praten.", en="Walking and talking together."),
        "approaches": [lc.Approach.WORKPLACE],
        "effects": {"interaction": lc.Strength.WEAK},
        "evidence": [lc.Evidence.none_recorded()],
    }
    fields.update(changes)
    return lc.Intervention(**fields)


def dimension(dim_id: str, kind: lc.DimensionKind = lc.DimensionKind.CUSTOM) -> lc.Dimension:
    return lc.Dimension(id=dim_id, kind=kind, label=lc.Text(nl="Focus", en="Focus"))


def crosswalk(target: str = "autonomy", citation: str = "") -> lc.Crosswalk:
    return lc.Crosswalk(
        id="p.cw", source="p.focus", target=target, weight=1, rationale=TEXT, citation=citation
    )


def checks(report: testing.ConformanceReport) -> set[tuple[str, str]]:
    return {(i.check, i.severity) for i in report.issues}


def test_make_registry_ignores_installed_plugins() -> None:
    reg = make_registry(plugin(interventions=[intervention()]))
    assert {p.name for p in reg.plugins} == {
        "builtin.model",
        "builtin.catalogue",
        "builtin.rules",
        "builtin.criteria",
        "builtin.instruments",
        "P",
    }
    alone = make_registry(plugin(dimensions=[dimension("p.focus")]), builtins=False)
    assert list(alone.dimensions) == ["p.focus"]


def test_a_clean_plugin_passes() -> None:
    report = check_plugin(
        plugin(
            dimensions=[dimension("p.focus")],
            interventions=[intervention()],
            crosswalks=[crosswalk(citation="A. Author (2020). A study. Journal.")],
        )
    )
    assert report.ok
    assert report.issues == ()
    assert dict(report.counts) == {
        "dimensions": 1,
        "interventions": 1,
        "evidence_rules": 0,
        "crosswalks": 1,
        "criteria": 0,
        "instruments": 0,
    }


@pytest.mark.parametrize(
    ("hooks", "expected"),
    [
        ({"dimensions": [dimension("focus")]}, ("namespaced", "problem")),
        ({"interventions": [intervention("builtin.mine")]}, ("namespaced", "problem")),
        (
            {
                "interventions": [
                    intervention(
                        evidence=[
                            lc.Evidence.none_recorded(),
                            lc.Evidence(level=lc.EvidenceLevel.RCT, citation="A (2020)."),
                        ]
                    )
                ]
            },
            ("evidence", "problem"),
        ),
        (
            {"interventions": [intervention(premises=["learning_style_matching"])]},
            ("evidence_rules", "problem"),
        ),
        (
            {"dimensions": [dimension("p.focus"), dimension("p.other")], "crosswalks": []},
            None,
        ),
        ({}, ("supplies_records", "problem")),
    ],
)
def test_problems_fail_the_check(hooks: dict[str, Any], expected: tuple[str, str] | None) -> None:
    report = check_plugin(plugin(**hooks), strict=False)
    if expected is None:
        assert report.ok
        return
    assert expected in checks(report)
    with pytest.raises(ConformanceError) as caught:
        check_plugin(plugin(**hooks))
    assert isinstance(caught.value, AssertionError)
    assert "plugin 'P' fails" in str(caught.value)


def test_crosswalk_onto_a_custom_dimension_fails_and_no_citation_is_flagged() -> None:
    report = check_plugin(
        plugin(
            dimensions=[dimension("p.focus"), dimension("p.other")],
            crosswalks=[crosswalk(target="p.other")],
        ),
        strict=False,
    )
    assert checks(report) == {("crosswalk_ends", "problem"), ("crosswalk_ends", "flag")}


def test_flags_do_not_fail() -> None:
    same = lc.Text(nl="Samen lopen en praten.", en="Samen lopen en praten.")
    report = check_plugin(
        plugin(
            dimensions=[dimension("p.safety2", lc.DimensionKind.PRECONDITION)],
            interventions=[
                intervention(
                    summary=same,
                    contra_indications=[
                        lc.ContraIndication(dimension="safety", below=20, reason=TEXT)
                    ],
                )
            ],
        )
    )
    assert report.ok
    assert {i.check for i in report.flags} == {"bilingual", "custom_kind", "evidence"}
    assert "identical" in str(report)


def test_new_record_kinds_can_add_checks() -> None:
    @conformance_check("interventions", name="short_names")
    def short_names(record: lc.Intervention, _: lc.Registry) -> Iterator[tuple[str, str]]:
        if len(record.name.en) > 3:
            yield "problem", "name longer than three letters"

    try:
        report = check_plugin(plugin(interventions=[intervention()]), strict=False)
        assert ("short_names", "problem") in checks(report)
    finally:
        del testing._CHECKS["interventions"]["short_names"]
    with pytest.raises(lc.ValidationError, match="instrumentz"):
        conformance_check("instrumentz")


def test_a_plugin_that_does_not_load_raises_its_plugin_error() -> None:
    class Broken:
        @lc.hookimpl
        def leercultuur_interventions(self) -> Iterator[lc.Intervention]:
            raise RuntimeError("oops")

    with pytest.raises(lc.PluginError, match="plugin 'Broken' in leercultuur_interventions"):
        check_plugin(Broken())


def test_two_namespaces_in_one_plugin_are_flagged() -> None:
    report = check_plugin(
        plugin(dimensions=[dimension("q.focus")], interventions=[intervention("p.walk")])
    )
    assert [(i.kind, i.record, i.check) for i in report.flags] == [("plugin", "P", "one_namespace")]
    assert "2 namespaces (p, q)" in report.flags[0].message
