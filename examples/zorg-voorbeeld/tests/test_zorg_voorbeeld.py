"""Tests for the example plugin, written the way a plugin author would write them."""

from __future__ import annotations

import pytest
from zorg_voorbeeld import plugin

import leercultuur as lc
from leercultuur.testing import check_plugin, make_registry


def test_plugin_passes_the_conformance_checks() -> None:
    report = check_plugin(plugin)
    assert report.counts["interventions"] == 3
    assert report.counts["dimensions"] == 1
    assert report.counts["crosswalks"] == 2
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
