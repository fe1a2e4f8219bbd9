"""Tests for the example plugin, written the way a plugin author would write them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from zorg_voorbeeld import plugin

import leercultuur as lc
from leercultuur.testing import check_plugin, make_registry, sample_batch


def test_plugin_passes_the_conformance_checks() -> None:
    report = check_plugin(plugin)
    assert report.counts["interventions"] == 3
    assert report.counts["dimensions"] == 1
    assert report.counts["crosswalks"] == 2
    assert report.counts["criteria"] == 1
    assert report.counts["instruments"] == 1
    # The crosswalks cite nothing, and the checks say so for a human to judge.
    assert {f.record for f in report.flags} >= {
        "zorg_voorbeeld.reflectie_open_culture",
        "zorg_voorbeeld.reflectie_interaction",
    }


def test_records_are_named_after_the_plugin() -> None:
    reg = make_registry(plugin)
    assert reg.source_of("zorg_voorbeeld.reflectiemoment").name == plugin.__name__
    assert reg.dimensions["zorg_voorbeeld.reflectie"].kind is lc.DimensionKind.CUSTOM
    assert reg.interventions["zorg_voorbeeld.reflectiemoment"].effects == {
        "interaction": lc.Strength.MODERATE,
        "zorg_voorbeeld.reflectie": lc.Strength.STRONG,
    }


def test_crosswalk_weights_per_source_sum_to_one() -> None:
    reg = make_registry(plugin)
    weights = [cw.weight for cw in reg.crosswalks.values() if cw.source == plugin.REFLECTIE]
    assert sum(weights) == pytest.approx(1.0)


def test_every_evidence_record_says_none_is_recorded() -> None:
    # The organisation is fictional; the plugin must not pretend to have evidence.
    for iv in plugin.catalogue():
        assert [e.level for e in iv.evidence] == [lc.EvidenceLevel.NONE_RECORDED]


def test_installed_entry_point_loads() -> None:
    reg = lc.load_registry(allow=["zorg_voorbeeld"])
    info = reg.source_of("zorg_voorbeeld.reflectie")
    assert (info.name, info.distribution) == ("zorg_voorbeeld", "zorg-voorbeeld")


def test_the_module_is_named_with_its_distribution() -> None:
    info = check_plugin(plugin).plugin
    assert (info.name, info.distribution) == ("zorg_voorbeeld.plugin", "zorg-voorbeeld")


# -- the criterion ----------------------------------------------------------------------------


def test_the_cao_criterion_scores_every_pair_in_range() -> None:
    reg = make_registry(plugin)
    batch = sample_batch(reg, profiles=3)
    values = reg.criteria["zorg_voorbeeld.cao_leeruren"].evaluate(batch).values
    assert values.shape == batch.shape
    assert np.all((values >= 0) & (values <= 1))
    # The cover depends on the intervention only: every profile gets the same row.
    assert np.array_equal(values, np.broadcast_to(values[0], batch.shape))


@given(profiles=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=20, deadline=None)
def test_the_cao_criterion_is_the_cover_of_each_intervention(profiles: int, seed: int) -> None:
    batch = sample_batch(make_registry(plugin), profiles=profiles, seed=seed)
    values = plugin.CAO_CRITERION.evaluate(batch).values
    expected = plugin.cao_cover(batch.catalogue.hours)
    assert np.array_equal(values, np.broadcast_to(expected, batch.shape))


@given(st.lists(st.floats(0, 1e4), min_size=1, max_size=50))
def test_the_cover_is_a_share_and_full_within_the_cao(hours: list[float]) -> None:
    h = np.array(hours)
    cover = plugin.cao_cover(h)
    assert np.all((cover > 0) & (cover <= 1))
    assert np.all(cover[h <= plugin.CAO_LEERUREN] == 1.0)


@pytest.mark.parametrize(
    ("hours", "cover"), [(0.0, 1.0), (plugin.CAO_LEERUREN, 1.0), (2 * plugin.CAO_LEERUREN, 0.5)]
)
def test_the_cao_covers_a_share_of_the_hours(hours: float, cover: float) -> None:
    assert plugin.cao_cover(np.array([hours])).tolist() == [cover]


def test_the_cao_cover_falls_as_the_hours_grow() -> None:
    hours = np.linspace(0, 10 * plugin.CAO_LEERUREN, 101)
    cover = plugin.cao_cover(hours)
    assert np.all(np.diff(cover) <= 0)
    assert cover[-1] == pytest.approx(0.1)


# -- the instrument ---------------------------------------------------------------------------


def test_the_scan_measures_reflection_and_reaches_the_report_through_crosswalks() -> None:
    reg = make_registry(plugin)
    scan = reg.instruments["zorg_voorbeeld.reflectiescan"]
    assert scan.dimensions == (plugin.REFLECTIE,)
    assert len(scan.items_of(plugin.REFLECTIE)) == 4
    targets = {cw.target for cw in reg.crosswalks.values() if cw.source == plugin.REFLECTIE}
    assert targets == {"open_culture", "interaction"}
    assert all(reg.dimensions[t].kind is not lc.DimensionKind.CUSTOM for t in targets)


def test_the_scan_states_its_licence_and_that_it_is_not_validated() -> None:
    scan = plugin.reflectiescan()
    assert (scan.licence.name, scan.licence.redistribute_items) == ("MIT", True)
    assert scan.licence.url
    assert not scan.validated
    assert scan.psychometrics == ()
    assert scan.description is not None
    assert "NIET gevalideerd" in scan.description.nl


def test_the_scan_has_no_item_of_the_builtin_scan() -> None:
    # Its own wording: no item text is copied from the built-in scan.
    builtin = make_registry().instruments["builtin.scan"]
    theirs = {item.text.nl for item in builtin.items} | {item.text.en for item in builtin.items}
    ours = {t for item in plugin.reflectiescan().items for t in (item.text.nl, item.text.en)}
    assert not ours & theirs
