from __future__ import annotations

import importlib
import itertools
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))  # tests run with --import-mode=importlib
import leercultuur as lc
from matching_support import CATALOGUE, CONTEXT, iv, make_registry

plan_module = importlib.import_module("leercultuur.matching.plan")

REG = make_registry()
S = lc.Strength


def test_low_safety_gets_safety_first_then_unlocks_peer_feedback() -> None:
    low = lc.CultureProfile.from_values("team:a", {"safety": 30, "interaction": 20})
    roadmap = lc.plan(low, CONTEXT, registry=REG)
    first = roadmap.phases[0]
    assert "safety" in first.focus
    assert "test.safety_training" in {i.id for i in first.interventions}
    assert "test.intervisie" not in {i.id for i in first.interventions}
    assert first.expected["safety"] == 45.0  # strong: +15 (the stated assumption)
    assert "test.intervisie" in first.unlocked
    later = {i.id for ph in roadmap.phases[1:] for i in ph.interventions}
    assert "test.intervisie" in later
    text = roadmap.explain("nl")
    assert "Fase 1" in text
    assert "planningsaanname" in text
    assert "Phase 1" in roadmap.explain("en")
    data = json.loads(roadmap.to_json())
    assert data["phases"][0]["focus"] == list(first.focus)


def test_every_phase_only_lifting_interventions_while_preconditions_unmet() -> None:
    low = lc.CultureProfile.from_values("team:a", {"safety": 10, "relations": 10})
    roadmap = lc.plan(low, CONTEXT, registry=REG, max_phases=1)
    (phase,) = roadmap.phases
    for intervention in phase.interventions:
        assert set(intervention.effects) & {"safety", "relations"}


def _brute_force(ranking: lc.Ranking, budget: float, hours: float, k: int, headcount: int) -> float:
    best = 0.0
    recs = list(ranking)
    for r in range(1, k + 1):
        for combo in itertools.combinations(recs, r):
            cost = sum(x.intervention.cost.total(headcount) for x in combo)
            time = sum(x.intervention.hours_per_participant for x in combo)
            if cost <= budget and time <= hours:
                best = max(best, sum(x.score for x in combo))
    return best


def _catalogue(draw: st.DrawFn) -> list[lc.Intervention]:
    n = draw(st.integers(1, 7))
    dims = ["interaction", "open_culture", "autonomy", "safety", "relations"]
    return [
        iv(
            f"p{k}",
            {draw(st.sampled_from(dims)): draw(st.sampled_from(list(S)))},
            requirements=draw(st.sampled_from([{}, {"safety": 50.0}, {"relations": 40.0}])),
            once=draw(st.sampled_from([0.0, 1000.0, 4000.0, 9000.0])),
            hours=draw(st.sampled_from([0.0, 5.0, 12.0, 30.0])),
        )
        for k in range(n)
    ]


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[lc.Intervention], lc.CultureProfile, lc.Context]:
    cat = _catalogue(draw)
    values = draw(
        st.dictionaries(
            st.sampled_from(["safety", "relations", "interaction", "autonomy"]),
            st.floats(0, 100),
        )
    )
    ctx = lc.Context(
        sector="hospital",
        fte=draw(st.floats(1, 20)),
        budget_eur=draw(st.sampled_from([0.0, 5000.0, 12_000.0, 50_000.0])),
        hours_per_fte=draw(st.sampled_from([0.0, 10.0, 40.0])),
    )
    return cat, lc.CultureProfile.from_values("u", values), ctx


@given(plans(), st.integers(1, 3), st.integers(1, 3), st.booleans())
def test_roadmap_respects_budget_hours_and_limits(
    inputs: tuple[list[lc.Intervention], lc.CultureProfile, lc.Context],
    max_phases: int,
    max_per_phase: int,
    greedy: bool,
) -> None:
    cat, profile, ctx = inputs
    limit = plan_module.EXACT_LIMIT
    try:
        if greedy:
            plan_module.EXACT_LIMIT = 0
        roadmap = lc.plan(
            profile,
            ctx,
            registry=REG,
            interventions=cat,
            max_phases=max_phases,
            max_per_phase=max_per_phase,
        )
    finally:
        plan_module.EXACT_LIMIT = limit
    assert roadmap.cost_eur <= ctx.budget_eur + 1e-6
    assert roadmap.total_hours <= ctx.hours_per_fte + 1e-9
    assert len(roadmap.phases) <= max_phases
    ids = [i.id for ph in roadmap.phases for i in ph.interventions]
    assert len(ids) == len(set(ids))
    for ph in roadmap.phases:
        assert 1 <= len(ph.interventions) <= max_per_phase
        assert ph.cost_eur == pytest.approx(
            sum(i.cost.total(ctx.headcount) for i in ph.interventions)
        )


@given(plans(), st.integers(1, 3))
def test_first_phase_is_optimal_when_no_precondition_is_unmet(
    inputs: tuple[list[lc.Intervention], lc.CultureProfile, lc.Context], k: int
) -> None:
    cat, _, ctx = inputs
    profile = lc.CultureProfile.from_values("u", {"interaction": 20, "autonomy": 30})
    roadmap = lc.plan(profile, ctx, registry=REG, interventions=cat, max_per_phase=k)
    ranking = lc.match(profile, ctx, registry=REG, interventions=cat)
    best = _brute_force(ranking, ctx.budget_eur, ctx.hours_per_fte, k, ctx.headcount)
    got = sum(r.score for r in roadmap.phases[0].recommendations) if roadmap.phases else 0.0
    assert got == pytest.approx(best, abs=1e-12)


def test_plan_on_builtin_registry(registry: lc.Registry) -> None:
    profile = lc.CultureProfile.from_values("team:a", {"safety": 30, "interaction": 20})
    roadmap = lc.plan(profile, CONTEXT, registry=registry)
    assert roadmap.cost_eur <= CONTEXT.budget_eur
    assert roadmap.explain("en").startswith("Roadmap for team:a")


def test_plan_bad_input() -> None:
    profile = lc.CultureProfile.from_values("team:a", {"safety": 30})
    with pytest.raises(lc.ValidationError) as info:
        lc.plan(profile, CONTEXT, registry=REG, max_phases=0, budget_eur=-1)
    places = {p.location for p in info.value.problems}
    assert places == {"max_phases", "budget_eur"}


def test_catalogue_fixture_is_consistent() -> None:
    assert len({i.id for i in CATALOGUE}) == len(CATALOGUE)


def test_rankings_and_roadmaps_pickle(registry: lc.Registry) -> None:
    # results cross process boundaries (multiprocessing, job queues) unchanged
    import pickle

    profile = lc.CultureProfile.from_values("team:a", {"safety": 30, "interaction": 20})
    ranking = lc.match(profile, CONTEXT, registry=registry)
    roadmap = lc.plan(profile, CONTEXT, registry=registry)
    for result in (ranking, roadmap):
        back = pickle.loads(pickle.dumps(result))
        assert back.to_json() == result.to_json()
    first = ranking.top(1)[0]
    assert list(pickle.loads(pickle.dumps(first)).contributions) == list(first.contributions)
