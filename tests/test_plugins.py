"""Plugin discovery and faults: every broken plugin is named, and the healthy ones still load.

The fake installed plugins live in ``tests/data/site`` (dist-info directories
with ``entry_points.txt`` beside their modules), put on ``sys.path`` per test.
"""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import leercultuur as lc
from leercultuur.crosswalk import Crosswalk, translate
from leercultuur.errors import (
    DuplicateIdError,
    PluginError,
    PluginHookError,
    PluginImportError,
    PluginRecordError,
    PluginValidationError,
)
from leercultuur.matching import Criterion, CriterionKind
from leercultuur.plugins import DISABLE_AUTOLOAD_ENV
from leercultuur.testing import make_registry

SITE = Path(__file__).parent / "data" / "site"


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fake installed plugins on sys.path."""
    monkeypatch.delenv(DISABLE_AUTOLOAD_ENV, raising=False)
    monkeypatch.syspath_prepend(str(SITE))
    return SITE


def load(*names: str, on_error: lc.registry.OnError = "raise") -> lc.Registry:
    return lc.load_registry(allow=names, on_error=on_error)


# -- each fault gives its named error --------------------------------------------------------


@pytest.mark.usefixtures("site")
def test_healthy_installed_plugin_loads_and_is_named() -> None:
    reg = load("healthy")
    info = reg.source_of("lc_healthy.walk")
    assert (info.name, info.distribution, info.version) == ("healthy", "lc_healthy", "1.0")
    assert reg.source_of("lc_healthy.focus_autonomy") == info
    assert reg.crosswalks["lc_healthy.focus_autonomy"].target == "autonomy"
    assert reg.failures == ()
    assert [p.name for p in reg.plugins][-1] == "healthy"


@pytest.mark.parametrize(
    ("name", "error", "hook", "detail"),
    [
        (
            "broken_import",
            PluginImportError,
            None,
            "plugin 'broken_import' (lc_broken_import 2.0): cannot import 'lc_fake_broken_import':"
            " ModuleNotFoundError",
        ),
        (
            "raising",
            PluginHookError,
            "leercultuur_interventions",
            "plugin 'raising' (lc_raising 1.1) in leercultuur_interventions: raised KeyError:"
            " 'boom'",
        ),
        (
            "wrong_type",
            PluginRecordError,
            "leercultuur_interventions",
            "plugin 'wrong_type' (lc_wrong_type 1.0) in leercultuur_interventions: returned"
            " interventions[1]: expected Intervention or a mapping, got str",
        ),
        (
            "invalid_record",
            PluginValidationError,
            "leercultuur_interventions",
            "plugin 'invalid_record' (lc_invalid_record 1.2) in leercultuur_interventions:"
            " returned interventions[2].cost.eur_once: expected a number, got 'veel'",
        ),
        (
            "misspelt",
            PluginValidationError,
            None,
            "plugin 'misspelt' (lc_misspelt 1.0): unknown hook 'leercultuur_intervention';"
            " did you mean 'leercultuur_interventions'?",
        ),
        (
            "unknown_dimension",
            PluginValidationError,
            "leercultuur_interventions",
            "plugin 'unknown_dimension' (lc_unknown_dimension 1.0) in leercultuur_interventions:"
            " intervention 'lc_unknown_dim.walk' effects.opne_culture: unknown dimension"
            " 'opne_culture'; did you mean 'open_culture'?",
        ),
    ],
)
@pytest.mark.usefixtures("site")
def test_each_broken_plugin_gives_its_named_error(
    name: str, error: type[PluginError], hook: str | None, detail: str
) -> None:
    with pytest.raises(error) as caught:
        load("healthy", name)
    assert str(caught.value).startswith(detail)
    assert caught.value.plugin == name
    assert caught.value.distribution == f"lc_{name}"
    assert caught.value.hook == hook
    # ...and in warn mode it is left out entirely while the healthy plugin loads.
    with pytest.warns(lc.LeercultuurWarning, match=f"plugin '{name}'"):
        reg = load("healthy", name, on_error="warn")
    assert [type(f) for f in reg.failures] == [error]
    assert [p.name for p in reg.plugins if p.distribution != "leercultuur"] == ["healthy"]
    assert "lc_healthy.walk" in reg.interventions
    assert not any(rid.startswith(f"lc_{name}") for rid in reg.interventions)
    assert all(info.name != name for info in reg.sources.values())


@pytest.mark.usefixtures("site")
def test_a_failing_plugin_chains_the_original_exception() -> None:
    with pytest.raises(PluginHookError) as caught:
        load("raising")
    assert isinstance(caught.value.__cause__, KeyError)
    with pytest.raises(PluginImportError) as imported:
        load("broken_import")
    assert isinstance(imported.value, ImportError)
    assert isinstance(imported.value.__cause__, ModuleNotFoundError)


@pytest.mark.usefixtures("site")
def test_duplicate_id_names_both_plugins() -> None:
    with pytest.raises(DuplicateIdError) as caught:
        load("healthy", "duplicate")
    message = str(caught.value)
    assert "(lc_healthy 1.0)" in message
    assert "(lc_duplicate 3.0)" in message
    assert "duplicate intervention id 'lc_healthy.walk'" in message
    with pytest.warns(lc.LeercultuurWarning, match="duplicate intervention id"):
        reg = load("healthy", "duplicate", on_error="warn")
    assert len(reg.failures) == 1
    assert "lc_healthy.walk" in reg.interventions


@pytest.mark.usefixtures("site")
def test_two_distributions_with_one_entry_point_name_do_not_collide_silently() -> None:
    with pytest.raises(PluginValidationError) as caught:
        load("twin")
    message = str(caught.value)
    assert "plugin 'twin' (lc_twin_b 1.0)" in message
    assert "already used by plugin 'twin' (lc_twin_a 1.0)" in message
    with pytest.warns(lc.LeercultuurWarning, match="already used"):
        reg = load("twin", on_error="warn")
    assert "lc_twin_a.walk" in reg.interventions
    assert "lc_twin_b.walk" not in reg.interventions


@pytest.mark.usefixtures("site")
def test_warn_mode_loads_every_healthy_plugin_and_lists_every_failure() -> None:
    broken = ["broken_import", "invalid_record", "misspelt", "raising", "unknown_dimension"]
    with pytest.warns(lc.LeercultuurWarning) as record:
        reg = load("healthy", *broken, on_error="warn")
    assert len(record) == len(broken)
    assert sorted(f.plugin for f in reg.failures) == broken
    assert [p.name for p in reg.plugins if p.distribution != "leercultuur"] == ["healthy"]
    assert warnings.filters  # the test config keeps warnings as errors outside pytest.warns


@pytest.mark.usefixtures("site")
def test_block_and_env_var_keep_installed_plugins_out(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (
        "lc_healthy.walk"
        not in lc.load_registry(allow=["healthy"], block=["healthy"]).records["interventions"]
    )
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    reg = lc.load_registry(allow=["healthy", "raising"])
    assert "lc_healthy.walk" not in reg.interventions
    assert {p.distribution for p in reg.plugins} == {"leercultuur"}


def test_allow_as_one_string_is_refused() -> None:
    with pytest.raises(lc.ValidationError, match="not one string"):
        lc.load_registry(allow="healthy")
    with pytest.raises(lc.ValidationError, match="'raise' or 'warn'"):
        lc.load_registry(on_error="ignore")  # type: ignore[arg-type]


# -- in-memory plugins --------------------------------------------------------------------------


class Unmarked:
    def leercultuur_interventions(self) -> Iterator[lc.Intervention]:
        yield from ()


class Wrapper:
    @lc.hookimpl(wrapper=True)
    def leercultuur_interventions(self) -> Iterator[None]:
        return (yield)


class ReturnsNumber:
    @lc.hookimpl
    def leercultuur_interventions(self) -> int:
        return 3


class BuildsInvalid:
    @lc.hookimpl
    def leercultuur_dimensions(self) -> Iterator[lc.Dimension]:
        yield lc.Dimension(id="Bad!", kind=lc.DimensionKind.CUSTOM, label=lc.Text(nl="x", en="x"))


class BadCrosswalk:
    @lc.hookimpl
    def leercultuur_crosswalks(self) -> Iterator[dict[str, object]]:
        yield {
            "id": "bad.cw",
            "source": "safety",
            "target": "resources.money",
            "weight": 0.5,
            "rationale": {"nl": "x", "en": "x"},
        }


@pytest.mark.parametrize(
    ("plugin", "error", "match"),
    [
        (Unmarked(), PluginValidationError, "not marked with @leercultuur.hookimpl"),
        (Wrapper(), PluginValidationError, "cannot be wrappers"),
        (ReturnsNumber(), PluginRecordError, "returned int; expected an iterable"),
        (BuildsInvalid(), PluginValidationError, "built an invalid dimension: id: expected"),
        (BadCrosswalk(), PluginValidationError, "target: dimension 'resources' has no facet"),
    ],
)
def test_in_memory_faults(plugin: object, error: type[PluginError], match: str) -> None:
    with pytest.raises(error, match=match):
        make_registry(plugin)


def test_mappings_are_read_with_the_strict_converter() -> None:
    class AsMapping:
        @lc.hookimpl
        def leercultuur_crosswalks(self) -> Iterator[dict[str, object]]:
            yield {
                "id": "as_mapping.safety_ict",
                "source": "safety",
                "target": "resources.ict",
                "weight": 0.25,
                "rationale": {"nl": "Alleen voor tests.", "en": "For tests only."},
            }

    reg = make_registry(AsMapping())
    assert reg.crosswalks["as_mapping.safety_ict"].weight == 0.25
    assert reg.source_of("as_mapping.safety_ict").name == "AsMapping"


def test_a_criterion_holds_code_so_a_mapping_is_the_wrong_type() -> None:
    class CriterionAsMapping:
        @lc.hookimpl
        def leercultuur_criteria(self) -> Iterator[dict[str, object]]:
            yield {"id": "x.crit", "label": {"nl": "x", "en": "x"}, "kind": "score"}

    with pytest.raises(PluginRecordError, match=r"criteria\[0\]: expected Criterion, got dict"):
        make_registry(CriterionAsMapping())


def test_dotted_dimension_ids_and_facets_resolve(registry: lc.Registry) -> None:
    registry.check_dimension("resources.ict")
    registry.check_dimension("safety")
    with pytest.raises(lc.UnknownDimensionError, match=r"resources\.money"):
        registry.check_dimension("resources.money")
    with pytest.raises(lc.UnknownDimensionError, match=r"zorg_x\.reflectie"):
        registry.check_dimension("zorg_x.reflectie")


# -- order never changes a result ---------------------------------------------------------------


def _plugin(name: str, ids: list[str]) -> object:
    def leercultuur_interventions() -> Iterator[lc.Intervention]:
        for iv_id in ids:
            yield lc.Intervention(
                id=iv_id,
                name=lc.Text(nl="T", en="T"),
                summary=lc.Text(nl="T", en="T"),
                approaches=[lc.Approach.WORKPLACE],
                effects={"interaction": lc.Strength.WEAK},
                evidence=[lc.Evidence.none_recorded()],
            )

    return type(
        name,
        (),
        {"leercultuur_interventions": staticmethod(lc.hookimpl(leercultuur_interventions))},
    )()


PLUGINS = [
    _plugin("Alpha", ["alpha.one", "alpha.two"]),
    _plugin("Beta", ["beta.one", "shared.clash"]),
    _plugin("Gamma", ["gamma.one", "shared.clash"]),
    _plugin("Delta", ["delta.one"]),
]


def _snapshot(reg: lc.Registry) -> tuple[object, ...]:
    return (
        {k: list(v) for k, v in reg.records.items()},
        sorted((k, v.name) for k, v in reg.sources.items()),
        [p.name for p in reg.plugins],
        [str(f) for f in reg.failures],
    )


def _warn_load(plugins: list[object]) -> lc.Registry:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lc.LeercultuurWarning)
        return lc.load_registry(entry_points=False, plugins=plugins, on_error="warn")


@given(st.permutations(PLUGINS))
def test_plugin_order_never_changes_the_registry(order: list[object]) -> None:
    assert _snapshot(_warn_load(order)) == _snapshot(_warn_load(PLUGINS))
    reg = _warn_load(order)
    assert reg.source_of("shared.clash").name == "Beta"  # the first by name keeps the id
    assert [f.plugin for f in reg.failures] == ["Gamma"]


@given(st.permutations(PLUGINS[:3]))
def test_plugin_order_never_changes_the_error(order: list[object]) -> None:
    with pytest.raises(DuplicateIdError) as caught:
        lc.load_registry(entry_points=False, plugins=order)
    assert caught.value.plugin == "Gamma"
    assert "already supplied by plugin 'Beta'" in str(caught.value)


# -- crosswalks ---------------------------------------------------------------------------------


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a.x", "a.y", "a.z"]),
            st.sampled_from(["safety", "autonomy"]),
            st.floats(0.01, 1.0),
        ),
        min_size=1,
        max_size=6,
    ),
    st.dictionaries(st.sampled_from(["a.x", "a.y", "a.z"]), st.floats(0, 100), min_size=1),
    st.randoms(use_true_random=False),
)
def test_translate_is_a_weighted_mean_in_range_and_order_free(
    rows: list[tuple[str, str, float]], scores: dict[str, float], rnd: object
) -> None:
    text = lc.Text(nl="t", en="t")
    cws = [
        Crosswalk(id=f"a.cw{i}", source=s, target=t, weight=w, rationale=text)
        for i, (s, t, w) in enumerate(rows)
    ]
    out = translate(scores, cws)
    shuffled = list(cws)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert out == translate(scores, shuffled)
    for target, value in out.items():
        used = [scores[c.source] for c in cws if c.target == target and c.source in scores]
        assert min(used) - 1e-9 <= value <= max(used) + 1e-9


def test_crosswalk_validation() -> None:
    text = lc.Text(nl="t", en="t")
    with pytest.raises(lc.ValidationError, match="weight"):
        Crosswalk(id="a.cw", source="a.x", target="safety", weight=0, rationale=text)
    with pytest.raises(lc.ValidationError, match="namespaced"):
        Crosswalk(id="cw", source="a.x", target="safety", weight=1, rationale=text)


# -- the example plugin, installed --------------------------------------------------------------

needs_example = pytest.mark.skipif(
    importlib.util.find_spec("zorg_voorbeeld") is None,
    reason="install examples/zorg-voorbeeld (CI does)",
)


@needs_example
def test_installed_example_plugin_is_loaded_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DISABLE_AUTOLOAD_ENV, raising=False)
    reg = lc.load_registry()
    assert {"zorg_voorbeeld.reflectiemoment", "zorg_voorbeeld.meekijkdag"} <= set(reg.interventions)
    assert "zorg_voorbeeld.reflectie" in reg.dimensions
    info = reg.source_of("zorg_voorbeeld.reflectie_open_culture")
    assert (info.name, info.distribution) == ("zorg_voorbeeld", "zorg-voorbeeld")


@needs_example
@pytest.mark.parametrize(
    "kwargs", [{"block": ["zorg_voorbeeld"]}, {"allow": []}, {"entry_points": False}, {}]
)
def test_without_the_example_plugin_nothing_of_it_appears(
    monkeypatch: pytest.MonkeyPatch, kwargs: dict[str, object]
) -> None:
    if not kwargs:
        monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    reg = lc.load_registry(**kwargs)  # type: ignore[arg-type]
    assert all(info.name != "zorg_voorbeeld" for info in reg.sources.values())
    assert not [rid for kind in reg.records.values() for rid in kind if "zorg_voorbeeld" in rid]


# One unit, with and without the example plugin (allow / block select it among the installed).
_UNIT = lc.CultureProfile.from_values(
    "team:voorbeeld",
    {
        "safety": 25,
        "interaction": 31,
        "open_culture": 87,
        "autonomy": 42,
        "relations": 27,
        "commitment": 83,
        "resources": 25,
        "zorg_voorbeeld.reflectie": 30,
    },
)
_CONTEXT = lc.Context(sector="home_care", fte=12, budget_eur=200_000, hours_per_fte=99)


def _with_and_without_example() -> tuple[lc.Registry, lc.Registry]:
    return lc.load_registry(allow=["zorg_voorbeeld"]), lc.load_registry(block=["zorg_voorbeeld"])


@needs_example
def test_the_example_plugin_changes_the_ranking_and_is_named_as_its_source() -> None:
    with_it, without = _with_and_without_example()
    ranked = lc.match(_UNIT, _CONTEXT, registry=with_it)
    plain = lc.match(_UNIT, _CONTEXT, registry=without)
    assert ranked.ids != plain.ids
    own = [rid for rid in ranked.ids if rid.startswith("zorg_voorbeeld.")]
    assert own  # (its reflection moment needs safety >= 30, so readiness blocks it here)
    assert not [rid for rid in plain.ids if rid.startswith("zorg_voorbeeld.")]
    for rid in (own[0], "zorg_voorbeeld.cao_leeruren", "zorg_voorbeeld.reflectiescan"):
        info = with_it.source_of(rid)
        assert (info.name, info.distribution) == ("zorg_voorbeeld", "zorg-voorbeeld")
    # Every recommendation carries the plugin criterion's value, and it is the cao cover.
    from zorg_voorbeeld.plugin import CAO_LEERUREN

    for rec in ranked:
        hours = rec.intervention.hours_per_participant
        expected = 1.0 if hours <= CAO_LEERUREN else CAO_LEERUREN / hours
        assert rec.values["zorg_voorbeeld.cao_leeruren"] == pytest.approx(expected)


@needs_example
def test_the_example_criterion_alone_reorders_the_builtin_catalogue() -> None:
    with_it, without = _with_and_without_example()
    builtin = list(without.interventions.values())
    ranked = lc.match(_UNIT, _CONTEXT, registry=with_it, interventions=builtin).ids
    plain = lc.match(_UNIT, _CONTEXT, registry=without).ids
    assert set(ranked) == set(plain)
    assert ranked != plain
    # Whatever fell behind another intervention takes more hours than the cao covers.
    from zorg_voorbeeld.plugin import CAO_LEERUREN

    before = {rid: k for k, rid in enumerate(plain)}
    after = {rid: k for k, rid in enumerate(ranked)}
    fell = [a for a in plain for b in plain if before[a] < before[b] and after[a] > after[b]]
    assert fell
    assert all(without.interventions[a].hours_per_participant > CAO_LEERUREN for a in fell)


@pytest.mark.usefixtures("site")
def test_check_plugin_by_entry_point_name() -> None:
    from leercultuur.testing import check_plugin

    report = check_plugin("healthy")
    assert report.plugin.distribution == "lc_healthy"
    assert report.counts["interventions"] == 1
    assert [i.check for i in report.flags] == ["crosswalk_ends"]
    with pytest.raises(PluginHookError):
        check_plugin("raising")


def test_importing_leercultuur_loads_no_plugin() -> None:
    import subprocess
    import sys

    code = (
        "import sys, leercultuur as lc; "
        "assert lc.__version__; "
        "print(sorted(m for m in sys.modules if m.startswith(('zorg_voorbeeld', 'lc_fake'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(Path(__file__).parents[1] / "src"), "PATH": ""},
    )
    assert out.stdout.strip() == "[]"


def test_warning_points_at_the_caller() -> None:
    class Raising:
        @lc.hookimpl
        def leercultuur_interventions(self) -> Iterator[lc.Intervention]:
            raise KeyError("boom")

    with pytest.warns(lc.LeercultuurWarning) as record:
        lc.load_registry(entry_points=False, plugins=[Raising()], on_error="warn")
    assert record[0].filename == __file__


@pytest.mark.usefixtures("site")
def test_an_allowed_plugin_that_is_not_installed_is_named() -> None:
    with pytest.raises(PluginImportError, match="plugin 'helthy': is not installed"):
        load("helthy")
    with pytest.warns(lc.LeercultuurWarning, match="'helthy'"):
        reg = load("healthy", "helthy", on_error="warn")
    assert "lc_healthy.walk" in reg.interventions


@pytest.mark.usefixtures("site")
def test_a_shared_entry_point_name_is_refused_even_when_the_first_fails_to_import() -> None:
    with pytest.warns(lc.LeercultuurWarning) as record:
        reg = load("pair", on_error="warn")
    messages = sorted(str(w.message) for w in record)
    assert messages[0].startswith("plugin 'pair' (lc_pair_broken 1.0): cannot import")
    assert messages[1].startswith("plugin 'pair' (lc_pair_ok 1.0): the plugin name is already")
    assert "lc_twin_b.walk" not in reg.interventions


@pytest.mark.usefixtures("site")
def test_an_entry_point_cannot_take_the_name_of_a_plugin_passed_in() -> None:
    healthy = type("healthy", (), {})()
    with pytest.raises(PluginValidationError) as caught:
        lc.load_registry(allow=["healthy"], plugins=[healthy])
    assert "(lc_healthy 1.0): the plugin name is already used by plugin 'healthy';" in str(
        caught.value
    )


@given(st.data())
def test_a_record_yielded_as_a_mapping_equals_the_record(data: st.DataObject) -> None:
    from leercultuur.io import unstructure

    builtin = make_registry()
    iv = data.draw(st.sampled_from(list(builtin.interventions.values())))
    cw = lc.Crosswalk(
        id="as_data.cw",
        source="safety",
        target=data.draw(st.sampled_from(["resources.ict", "autonomy", "interaction"])),
        weight=data.draw(st.floats(0.01, 1.0)),
        rationale=lc.Text(nl="t", en="t"),
        citation=data.draw(st.sampled_from(["", "A. Author (2020)."])),
    )
    plain = dict(unstructure(iv), id=iv.id.replace("builtin.", "as_data."))

    class AsData:
        @lc.hookimpl
        def leercultuur_interventions(self) -> Iterator[object]:
            yield plain

        @lc.hookimpl
        def leercultuur_crosswalks(self) -> Iterator[object]:
            yield unstructure(cw)

    reg = make_registry(AsData())
    assert reg.interventions[plain["id"]] == attrs.evolve(iv, id=plain["id"])
    assert reg.crosswalks["as_data.cw"] == cw


@pytest.mark.parametrize(
    ("function", "error", "detail"),
    [
        (lambda batch: 1 / 0, PluginHookError, "raised ZeroDivisionError"),
        (lambda batch: np.full(batch.shape, 7.0), PluginValidationError, "values in [0, 1]"),
    ],
)
def test_a_failing_criterion_in_match_names_its_plugin(
    function: Any, error: type[PluginError], detail: str
) -> None:
    class BadCriterion:
        @lc.hookimpl
        def leercultuur_criteria(self) -> Iterator[Criterion]:
            yield Criterion(
                id="bad.criterion",
                label=lc.Text(nl="Stuk", en="Broken"),
                description=lc.Text(nl="Werkt niet.", en="Does not work."),
                kind=CriterionKind.SCORE,
                function=function,
            )

    reg = make_registry(BadCriterion())
    profile = lc.CultureProfile.from_values("team:a", {"safety": 50})
    context = lc.Context(sector="hospital", fte=5, budget_eur=10_000, hours_per_fte=40)
    with pytest.raises(error, match="plugin 'BadCriterion' in leercultuur_criteria") as caught:
        lc.match(profile, context, registry=reg)
    assert detail in str(caught.value)
    assert caught.value.__cause__ is not None
    with pytest.raises(error, match="BadCriterion"):
        lc.plan(profile, context, registry=reg)


def test_hookspecs_is_the_only_place_hooks_are_specified() -> None:
    import leercultuur
    from leercultuur import hookspecs
    from leercultuur.registry import KINDS

    root = Path(leercultuur.__file__).parent
    elsewhere = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if path.name != "hookspecs.py"
        and ("HookspecMarker" in path.read_text() or "add_hookspecs(" in path.read_text())
    ]
    assert elsewhere == ["plugins.py"]  # plugins.py only hands hookspecs to the manager
    assert "add_hookspecs(hookspecs)" in (root / "plugins.py").read_text()
    specs = sorted(
        name
        for name, obj in vars(hookspecs).items()
        if name.startswith("leercultuur_") and hasattr(obj, "leercultuur_spec")
    )
    assert specs == sorted(kind.hook for kind in KINDS)


@needs_example
def test_the_example_scan_scores_its_dimension_and_reaches_the_report() -> None:
    from zorg_voorbeeld import plugin

    reg = lc.load_registry(allow=["zorg_voorbeeld"])
    scan = reg.instruments["zorg_voorbeeld.reflectiescan"]
    rng = np.random.default_rng(7)
    rows = [
        {"unit": "team:a", **{item: int(rng.integers(1, 6)) for item in scan.item_ids}}
        for _ in range(12)
    ]
    profile = lc.score(lc.Survey.from_rows(rows, instrument=scan, unit="unit")).profile(
        "unit:team:a"
    )
    # Only the plugin's own dimension: its namespace is not mistaken for a dimension.
    assert set(profile.scores) == {plugin.REFLECTIE}
    on_report = translate({k: s.value for k, s in profile.scores.items()}, reg.crosswalks)
    assert set(on_report) == {"open_culture", "interaction"}
    assert all(reg.dimensions[d].kind is not lc.DimensionKind.CUSTOM for d in on_report)
    assert on_report["open_culture"] == pytest.approx(profile.value(plugin.REFLECTIE))
