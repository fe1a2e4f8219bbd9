"""The built-in catalogue: coverage, honest evidence, the blog's critique, and the myth linter."""

from __future__ import annotations

import re
from collections import Counter
from importlib import resources

import pytest

import leercultuur as lc
from leercultuur.evidence import Verdict, lint

CATALOGUE_TEXT = (resources.files("leercultuur.builtin") / "catalogue.toml").read_text("utf-8")

# Sources the catalogue authors confirmed against a published abstract or full text. A new
# citation goes here only after someone has read it; the test then checks its details.
CONFIRMED_SOURCES = {
    "Allen, T. D., Eby, L. T.": 2004,
    "Cook, D. A., Hatala, R.": 2011,
    "Cook, D. A., Levinson, A. J.": 2008,
    "Hughes, A. M., Gregory, M. E.": 2016,
    "Lacerenza, C. N., Reyes, D. L.": 2017,
    "Maben, J., Taylor, C.": 2018,
    "Ranmuthugala, G., Plumb, J. J.": 2011,
    "Tannenbaum, S. I., & Cerasoli, C. P.": 2013,
    "Theeboom, T., Beersma, B.": 2014,
}

# Organisations a careless catalogue might name as cases. Only the two the blog names may appear.
FEARED_NAMES = [
    "Aafje", "Albert Heijn", "Amphia", "Antes", "Buurtzorg", "Cordaan", "Erasmus MC", "Franciscus",
    "Humanitas", "Ikazia", "Ipse", "Laurens", "Maasstad", "Middin", "Pameijer", "Parnassia",
    "Philips", "Radboud", "Rabobank", "Shell", "Siemens", "KLM", "Google", "Microsoft",
    "Zuyderland", "Vitalis", "Careyn", "Sensire", "Reinier", "Rivas", "Lelie", "Havenziekenhuis",
]  # fmt: skip


@pytest.fixture(scope="module")
def catalogue(registry: lc.Registry) -> list[lc.Intervention]:
    return [iv for iv in registry.interventions.values() if iv.id.startswith("builtin.")]


def test_the_catalogue_is_large_and_spans_all_three_approaches(
    catalogue: list[lc.Intervention],
) -> None:
    assert len(catalogue) >= 20
    per_approach = Counter(a for iv in catalogue for a in iv.approaches)
    assert set(per_approach) == set(lc.Approach)
    assert min(per_approach.values()) >= 4
    assert len({t for iv in catalogue for t in iv.topics}) >= 6
    assert {iv.scale for iv in catalogue} == set(lc.Scale)


def test_every_recorded_evidence_is_fully_cited(catalogue: list[lc.Intervention]) -> None:
    recorded = [(iv.id, e) for iv in catalogue for e in iv.evidence if e.level]
    assert len(recorded) >= 8
    for iv_id, ev in recorded:
        where = f"{iv_id}: {ev.citation[:40]}"
        assert ev.design, where
        assert ev.population, where
        assert ev.outcome is not None, where
        prefix = next((p for p in CONFIRMED_SOURCES if ev.citation.startswith(p)), None)
        assert prefix is not None, f"unconfirmed source in {where}"
        year = CONFIRMED_SOURCES[prefix]
        assert ev.year == year, where
        assert f"({year})" in ev.citation, where
        # a full citation: authors (year). Title. Journal or publisher, volume/pages.
        assert re.search(r"\(\d{4}\)\. .+\. .+, \d+", ev.citation), where


def test_evidence_without_a_record_says_so_with_a_note(catalogue: list[lc.Intervention]) -> None:
    for iv in catalogue:
        for ev in iv.evidence:
            if ev.level is lc.EvidenceLevel.NONE_RECORDED:
                assert ev.note.strip(), iv.id
                assert ev.effect is None, iv.id
                assert ev.outcome is None, iv.id


def test_costs_are_labelled_as_indicative_estimates(catalogue: list[lc.Intervention]) -> None:
    assert "INDICATIVE ESTIMATES" in CATALOGUE_TEXT
    for iv in catalogue:
        assert "indicative estimates" in iv.source, iv.id
        assert iv.cost.eur_once + iv.cost.eur_per_participant > 0, iv.id
        assert 0 < iv.hours_per_participant <= 80, iv.id


def test_digital_skills_are_a_topic_not_the_digital_approach(
    catalogue: list[lc.Intervention],
) -> None:
    skills = [iv for iv in catalogue if "digital_skills" in iv.topics]
    assert skills, "the catalogue should show the blog's point with a real example"
    for iv in skills:
        assert lc.Approach.DIGITAL not in iv.approaches, iv.id
        assert lc.Approach.WORKPLACE in iv.approaches, iv.id
    digital = [iv for iv in catalogue if iv.approaches == (lc.Approach.DIGITAL,)]
    assert digital
    for iv in digital:
        assert "digital_skills" not in iv.topics, iv.id


def test_only_the_blogs_two_cases_are_named(catalogue: list[lc.Intervention]) -> None:
    for name in FEARED_NAMES:
        assert not re.search(rf"\b{re.escape(name)}\b", CATALOGUE_TEXT), name
    named = {
        iv.id: iv
        for iv in catalogue
        if "Unilever" in repr(iv) or "Degreed" in repr(iv) or "Dichterbij" in repr(iv)
    }
    assert set(named) == {"builtin.learning_experience_platform", "builtin.spoc"}
    lxp, spoc = named["builtin.learning_experience_platform"], named["builtin.spoc"]
    assert "Unilever" in lxp.summary.en
    assert "Degreed" in lxp.summary.en
    assert "Dichterbij" in spoc.summary.en
    assert "SPOC" in spoc.summary.en
    for iv in (lxp, spoc):
        assert "Rubens" in iv.source
        assert "nothing further" in iv.source


def test_every_dimension_reference_resolves(
    registry: lc.Registry, catalogue: list[lc.Intervention]
) -> None:
    known = set(registry.dimensions)
    known |= {f"{d.id}.{f.id}" for d in registry.dimensions.values() for f in d.facets}
    for iv in catalogue:
        refs = [*iv.effects, *iv.requirements, *(c.dimension for c in iv.contra_indications)]
        assert set(refs) <= known, iv.id


def test_the_rules_flag_exactly_the_myth_based_entries(
    registry: lc.Registry, catalogue: list[lc.Intervention]
) -> None:
    findings = list(lint(catalogue, registry.evidence_rules))
    assert sorted((f.intervention, f.rule.id) for f in findings) == [
        ("builtin.learning_styles_workshop", "builtin.learning_styles"),
        ("builtin.seventy_twenty_ten_policy", "builtin.seventy_twenty_ten"),
    ]
    assert all(f.blocking and f.rule.verdict is Verdict.DEBUNKED for f in findings)
    for f in findings:
        iv = registry.interventions[f.intervention]
        assert iv.evidence_level is lc.EvidenceLevel.NONE_RECORDED
        assert "debunked" in iv.source


def test_peer_feedback_entries_carry_the_kluger_denisi_contra_indication(
    catalogue: list[lc.Intervention],
) -> None:
    peer = [iv for iv in catalogue if "peer_feedback_improves_practice" in iv.premises]
    assert len(peer) >= 2
    for iv in peer:
        (contra,) = [c for c in iv.contra_indications if c.dimension == "safety"]
        assert "Kluger" in contra.citation
        assert "1996" in contra.citation
        assert contra.below < iv.requirements["safety"]


def _feasible(iv: lc.Intervention, safety: float, other: float) -> bool:
    """Whether a unit meets the requirements and contra-indications of *iv*."""

    def level(ref: str) -> float:
        return safety if ref == "safety" else other

    return all(level(k) >= v for k, v in iv.requirements.items()) and all(
        level(c.dimension) >= c.below for c in iv.contra_indications
    )


@pytest.mark.parametrize(("other", "at_least"), [(50, 3), (20, 2)])
def test_a_low_safety_unit_has_safety_builders_it_can_start_with(
    catalogue: list[lc.Intervention], other: float, at_least: int
) -> None:
    starters = [
        iv.id
        for iv in catalogue
        if iv.effects.get("safety", 0) >= lc.Strength.MODERATE and _feasible(iv, 20, other)
    ]
    assert len(starters) >= at_least, starters
    blocked = [iv.id for iv in catalogue if not _feasible(iv, 20, 100)]
    assert "builtin.peer_coaching" in blocked


@pytest.mark.parametrize("facet", ["staff", "finance", "ict"])
def test_every_resource_facet_has_an_intervention_that_lifts_it(
    catalogue: list[lc.Intervention], facet: str
) -> None:
    lifters = [iv for iv in catalogue if iv.effects.get(f"resources.{facet}", 0)]
    assert lifters
    assert any(iv.effects[f"resources.{facet}"] >= lc.Strength.MODERATE for iv in lifters)


def test_commitment_in_deeds_and_relations_between_organisations_are_covered(
    catalogue: list[lc.Intervention],
) -> None:
    strong = {
        dim
        for iv in catalogue
        for dim, strength in iv.effects.items()
        if strength is lc.Strength.STRONG
    }
    assert {"commitment", "relations", "interaction", "autonomy"} <= strong
    assert any(iv.scale is lc.Scale.NETWORK and "relations" in iv.effects for iv in catalogue)


def test_autonomy_raisers_carry_the_support_they_need(catalogue: list[lc.Intervention]) -> None:
    # The report: autonomy is not a free-for-all; the organisation keeps a role.
    for iv in catalogue:
        if iv.effects.get("autonomy") is lc.Strength.STRONG and not iv.id.endswith("coaching"):
            assert iv.requirements, iv.id
