"""The public helpers for plugin authors: make_registry and the conformance checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leercultuur as lc
from leercultuur import testing
from leercultuur.instruments import (
    Instrument,
    Item,
    Licence,
    LicenceUse,
    ReportedReliability,
    ResponseScale,
)
from leercultuur.matching import Batch, Criterion, CriterionKind
from leercultuur.testing import (
    ConformanceError,
    check_plugin,
    conformance_check,
    make_registry,
    sample_batch,
)

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


# -- sample_batch and the criterion checks ------------------------------------------------------


@given(profiles=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=25, deadline=None)
def test_sample_batch_is_valid_and_reproducible(profiles: int, seed: int) -> None:
    reg = make_registry()
    batch = sample_batch(reg, profiles=profiles, seed=seed)
    assert batch.shape == (profiles, len(reg.interventions))
    assert not batch.known[0].any()  # the first unit knows nothing: criteria must cope
    assert np.all((batch.scores >= 0) & (batch.scores <= 100))
    assert np.all(batch.scores[~batch.known] == 0)
    again = sample_batch(reg, profiles=profiles, seed=seed)
    assert np.array_equal(batch.scores, again.scores)
    assert np.array_equal(batch.budget, again.budget)


@pytest.mark.parametrize("profiles", [0, -1, 1.5, True, "3"])
def test_sample_batch_refuses_a_bad_size(profiles: Any) -> None:
    with pytest.raises(lc.ValidationError, match="profiles"):
        sample_batch(profiles=profiles)


def test_every_builtin_criterion_passes_its_contract() -> None:
    reg = make_registry()
    contract = testing._CHECKS["criteria"]["criterion_contract"]
    for criterion in reg.criteria.values():
        assert list(contract(criterion, reg)) == [], criterion.id


def criterion(
    function: Any, kind: CriterionKind = CriterionKind.SCORE, **changes: Any
) -> Criterion:
    return Criterion(
        id="p.crit",
        label=lc.Text(nl="Criterium", en="Criterion"),
        description=TEXT,
        kind=kind,
        function=function,
        **changes,
    )


def _half(batch: Batch) -> Any:
    return np.full(batch.shape, 0.5)


def _mutating(batch: Batch) -> Any:
    batch.scores[:] = 0.0
    return np.full(batch.shape, 0.5)


_calls: list[int] = []


def _restless(batch: Batch) -> Any:
    _calls.append(1)
    return np.full(batch.shape, 1.0 / (1 + len(_calls)))


def _relative(batch: Batch) -> Any:  # each row compared with the first profile: not per pair
    row = np.arange(batch.shape[0], dtype=np.float64)[:, None] / batch.shape[0]
    return np.broadcast_to(row, batch.shape).copy()


@pytest.mark.parametrize(
    ("crit", "severity", "message"),
    [
        (criterion(_half), None, None),
        (criterion(lambda b: np.full(b.shape, 2.0)), "problem", "values in [0, 1]"),
        (criterion(lambda b: np.zeros(b.shape[1])), "problem", "returned shape"),
        (criterion(lambda b: 1 / 0), "problem", "ZeroDivisionError"),
        (criterion(_half, kind=CriterionKind.CONSTRAINT), "problem", "booleans"),
        (criterion(_mutating), "problem", "changed the batch"),
        (criterion(_restless), "problem", "deterministic"),
        (criterion(_relative), "problem", "other profiles"),
        (criterion(_half, weight=0), "flag", "weight 0"),
        (
            criterion(lambda b: np.zeros(b.shape, dtype=bool), kind=CriterionKind.CONSTRAINT),
            "flag",
            "without a reason",
        ),
        (
            criterion(
                lambda b: np.zeros(b.shape, dtype=bool),
                kind=CriterionKind.CONSTRAINT,
                reason=lambda b, p, i: "too long",
            ),
            "problem",
            "not Text",
        ),
        (
            criterion(
                lambda b: np.zeros(b.shape, dtype=bool),
                kind=CriterionKind.CONSTRAINT,
                reason=lambda b, p, i: TEXT,
            ),
            None,
            None,
        ),
    ],
)
def test_criterion_checks(crit: Criterion, severity: str | None, message: str | None) -> None:
    report = check_plugin(plugin(criteria=[crit]), strict=False)
    found = [i for i in report.issues if i.check == "criterion_contract"]
    if severity is None:
        assert found == []
        return
    assert {i.severity for i in found} == {severity}
    assert any(message in i.message for i in found), [i.message for i in found]
    assert report.ok is (severity == "flag")


# -- the instrument checks ----------------------------------------------------------------------


def instrument(**changes: Any) -> Instrument:
    items = [
        Item(id=f"F{k}", text=lc.Text(nl=f"Vraag {k}.", en=f"Question {k}."), dimension="p.focus")
        for k in (1, 2)
    ]
    fields: dict[str, Any] = {
        "id": "p.scan",
        "version": "1",
        "name": lc.Text(nl="Scan", en="Scan"),
        "scale": ResponseScale(lo=1, hi=5),
        "items": items,
        "licence": Licence(
            name="CC BY 4.0",
            allowed_use=[LicenceUse.RESEARCH, LicenceUse.COMMERCIAL],
            redistribute_items=True,
            url="https://creativecommons.org/licenses/by/4.0/",
        ),
        "description": TEXT,
    }
    fields.update(changes)
    return Instrument(**fields)


def instrument_report(inst: Instrument, *, crosswalked: bool = True) -> set[tuple[str, str]]:
    hooks: dict[str, Any] = {"dimensions": [dimension("p.focus")], "instruments": [inst]}
    if crosswalked:
        hooks["crosswalks"] = [crosswalk(citation="A. Author (2020). A study. Journal.")]
    return checks(check_plugin(plugin(**hooks), strict=False))


_ALPHA = ReportedReliability("cronbach_alpha", 0.8, "N = 200 nurses", "A. Author (2020).")
_CFI = ReportedReliability("cfi", 0.95, "N = 200 nurses", "A. Author (2020).")


@pytest.mark.parametrize(
    ("changes", "crosswalked", "expected"),
    [
        ({}, True, set()),
        ({"validated": True, "psychometrics": [_ALPHA]}, True, set()),
        ({"validated": True, "psychometrics": [_CFI]}, True, {("psychometrics", "problem")}),
        (
            {"validated": True, "psychometrics": [attrs.evolve(_ALPHA, dimension="p.focus")]},
            True,
            set(),
        ),
        ({"description": None}, True, {("psychometrics", "flag")}),
        (
            {"licence": Licence(name="CC BY 4.0", redistribute_items=True, url="https://x")},
            True,
            {("licence", "problem")},
        ),
        (
            {
                "licence": Licence(
                    name="CC BY-NC 4.0", allowed_use=[LicenceUse.COMMERCIAL], url="https://x"
                )
            },
            True,
            {("licence", "problem"), ("licence", "flag")},
        ),
        (
            {"licence": Licence(name="by permission", allowed_use=[LicenceUse.INTERNAL])},
            True,
            {("licence", "flag")},
        ),
        ({}, False, {("item_dimensions", "flag")}),
        (
            {"items": [Item(id="F1", text=TEXT, dimension="p.focus")]},
            True,
            {("item_dimensions", "flag")},
        ),
    ],
)
def test_instrument_checks(
    changes: dict[str, Any], crosswalked: bool, expected: set[tuple[str, str]]
) -> None:
    found = instrument_report(instrument(**changes), crosswalked=crosswalked)
    assert {c for c in found if c[0] in {"licence", "psychometrics", "item_dimensions"}} == expected


def test_an_instrument_of_the_reports_dimensions_needs_no_crosswalk() -> None:
    items = [Item(id=f"S{k}", text=TEXT, dimension="safety") for k in (1, 2)]
    report = check_plugin(plugin(instruments=[instrument(items=items)]))
    assert report.issues == ()
    assert report.counts["instruments"] == 1


def test_strategies_explain_a_missing_hypothesis() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n"
        "    import leercultuur.testing.strategies\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "leercultuur[testing]" in out
    assert "hypothesis" in out
