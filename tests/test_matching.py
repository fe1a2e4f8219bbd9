from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests run with --import-mode=importlib
import leercultuur as lc
from leercultuur.matching import rank_order, ranks, top_k, topsis, weighted_sum
from matching_support import CATALOGUE, CONTEXT, CataloguePlugin, make_registry

REG = make_registry()
PROFILE = lc.CultureProfile.from_values(
    "team:a",
    {"safety": 50, "interaction": 30, "open_culture": 60, "autonomy": 40, "resources.ict": 70},
)


def test_registry_has_builtin_criteria(registry: lc.Registry) -> None:
    assert {"builtin.need", "builtin.readiness", "builtin.budget"} <= set(registry.criteria)
    assert registry.source_of("builtin.need").name == "builtin.criteria"


def test_match_ranks_feasible_and_explains_blocked() -> None:
    r = lc.match(PROFILE, CONTEXT, registry=REG)
    assert isinstance(r, lc.Ranking)
    ids = set(r.ids)
    blocked = {b.intervention.id: b for b in r.blocked}
    assert "test.styles" in blocked  # debunked premise
    assert "builtin.evidence_rules" in blocked["test.styles"].reasons
    assert "Pashler" in blocked["test.styles"].reasons["builtin.evidence_rules"].en
    assert "test.expensive" in blocked
    assert "builtin.budget" in blocked["test.expensive"].reasons
    assert "test.long" in blocked
    assert "builtin.hours" in blocked["test.long"].reasons
    assert not ids & set(blocked)
    assert ids | set(blocked) == {iv.id for iv in CATALOGUE}
    scores = [rec.score for rec in r]
    assert scores == sorted(scores, reverse=True)
    assert [rec.rank for rec in r] == list(range(1, len(r) + 1))
    for rec in r:
        assert rec.score == pytest.approx(sum(rec.contributions.values()))


def test_contested_premise_warns_with_citation() -> None:
    r = lc.match(PROFILE, CONTEXT, registry=REG)
    fun = next(rec for rec in r if rec.intervention.id == "test.fun")
    assert fun.warnings
    assert "Garon-Carrier" in fun.warnings[0].en


def test_allow_debunked_ranks_with_warning() -> None:
    r = lc.match(PROFILE, CONTEXT, registry=REG, allow_debunked=True)
    styles = next(rec for rec in r if rec.intervention.id == "test.styles")
    assert any("Pashler" in w.en for w in styles.warnings)
    assert "test.styles" not in {b.intervention.id for b in r.blocked}


def test_low_safety_blocks_peer_feedback_with_citation() -> None:
    low = lc.CultureProfile.from_values("team:b", {"safety": 20, "interaction": 30})
    r = lc.match(low, CONTEXT, registry=REG)
    b = next(b for b in r.blocked if b.intervention.id == "test.intervisie")
    text = b.reasons["builtin.readiness"].en
    assert "Kluger" in text
    assert "safety >= 40" in text
    assert "Kluger" in r.explain("en")
    assert "Geblokkeerd" in r.explain("nl")


def test_facet_requirement_uses_context_ict() -> None:
    no_ict = lc.CultureProfile.from_values("team:c", {"safety": 60})
    ctx = lc.Context(
        sector="hospital", fte=10, budget_eur=20_000, hours_per_fte=40, ict_maturity=30
    )
    r = lc.match(no_ict, ctx, registry=REG)
    assert "test.elearning" in {b.intervention.id for b in r.blocked}
    r2 = lc.match(no_ict, CONTEXT, registry=REG)  # unknown ICT does not block
    assert "test.elearning" in r2.ids


def test_need_targets_gaps_and_lists_them() -> None:
    r = lc.match(PROFILE, CONTEXT, registry=REG)
    rec = next(rec for rec in r if rec.intervention.id == "test.intervisie")
    assert [g.dimension for g in rec.gaps] == ["interaction", "open_culture"]
    assert rec.values["builtin.need"] > 0


def test_sector_fit_values() -> None:
    r = lc.match(PROFILE, CONTEXT, registry=REG)
    by = {rec.intervention.id: rec for rec in r}
    assert by["test.elearning"].values["builtin.sector_fit"] == 1.0
    assert by["test.fun"].values["builtin.sector_fit"] == 0.75
    assert by["test.elderly"].values["builtin.sector_fit"] == 0.0


def test_many_profiles_and_contexts() -> None:
    profiles = [PROFILE, lc.CultureProfile.from_values("team:b", {"safety": 20})]
    rs = lc.match(profiles, [CONTEXT, CONTEXT], registry=REG, method="topsis")
    assert isinstance(rs, lc.Rankings)
    assert len(rs) == 2
    assert rs[1].unit == "team:b"
    assert rs.scores.shape == (2, len(CATALOGUE))
    single = lc.match(profiles[1], CONTEXT, registry=REG, method="topsis")
    assert rs[1].ids == single.ids
    top = rs.top_indices(2)
    assert top.shape == (2, 2)
    df = rs.to_dataframe("polars", top=3)
    assert df.shape[0] <= 6
    assert set(df.columns) >= {"unit", "rank", "intervention", "score"}
    assert json.loads(rs.to_json())[0]["unit"] == "team:a"


def test_outputs_explain_json_dataframe() -> None:
    r = lc.match(PROFILE, CONTEXT, registry=REG).top(2)
    assert len(r) == 2
    assert len(r.recommendations) == 2
    data = json.loads(r.to_json())
    assert data["unit"] == "team:a"
    assert len(data["recommendations"]) == 2
    df = r.to_dataframe("pandas")
    assert list(df["rank"]) == [1, 2]
    nl, en = r.explain("nl"), r.explain("en")
    assert nl.startswith("Aanbevelingen voor team:a")
    assert en.startswith("Recommendations for")
    with pytest.raises(lc.ValidationError):
        r.explain("de")  # type: ignore[arg-type]


def test_bad_input_names_place() -> None:
    with pytest.raises(lc.ValidationError, match="contexts"):
        lc.match([PROFILE, PROFILE], [CONTEXT], registry=REG)
    with pytest.raises(lc.ValidationError, match=r"weights\['builtin.nope'\]"):
        lc.match(PROFILE, CONTEXT, registry=REG, weights={"builtin.nope": 1})
    with pytest.raises(lc.ValidationError, match="constraint has no weight"):
        lc.match(PROFILE, CONTEXT, registry=REG, weights={"builtin.budget": 1})
    with pytest.raises(lc.ValidationError, match="method"):
        lc.match(PROFILE, CONTEXT, registry=REG, method="ahp")  # type: ignore[call-overload]
    with pytest.raises(lc.ValidationError, match="profiles"):
        lc.match(["x"], CONTEXT, registry=REG)  # type: ignore[list-item]


def test_plugin_criterion_bad_output_named() -> None:
    bad = lc.Criterion(
        id="zorg_x.bad",
        label=lc.Text(nl="Slecht", en="Bad"),
        description=lc.Text(nl="x", en="x"),
        kind=lc.CriterionKind.SCORE,
        function=lambda batch: np.full(batch.shape, 2.0),
    )

    class Plugin:
        __name__ = "bad_criterion"

        @lc.hookimpl
        def leercultuur_criteria(self) -> list[lc.Criterion]:
            return [bad]

    from leercultuur.builtin import criteria, model, rules

    reg = lc.load_registry(
        entry_points=False,
        builtins=False,
        plugins=[model, rules, criteria, CataloguePlugin(CATALOGUE), Plugin()],
    )
    # A plugin error naming the plugin and hook, whose message keeps the criterion's problem.
    with pytest.raises(
        lc.PluginError, match=r"'bad_criterion' in leercultuur_criteria.*zorg_x\.bad"
    ):
        lc.match(PROFILE, CONTEXT, registry=reg)


def test_builtin_registry_runs(registry: lc.Registry) -> None:
    r = lc.match(PROFILE, CONTEXT, registry=registry)
    assert len(r) + len(r.blocked) == len(registry.interventions)
    assert all(0 <= rec.score <= 1 for rec in r)
    assert r.explain("nl")
    assert r.explain("en")
    rs = lc.match([PROFILE] * 3, CONTEXT, registry=registry, method="topsis")
    assert rs[0].ids == rs[2].ids


def test_topsis_matches_pymcdm_and_skcriteria_small() -> None:
    m = np.array([[250.0, 16, 12], [200, 16, 8], [300, 32, 16], [275, 32, 8]])
    w = np.array([0.4, 0.3, 0.3])
    b = np.array([False, True, True])
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    ref = TOPSIS(normalization_function=vector_normalization)(m, w, np.where(b, 1, -1))
    np.testing.assert_allclose(topsis(m, w, b), ref, atol=1e-12, rtol=0)


def test_methods_validate() -> None:
    with pytest.raises(lc.ValidationError, match="matrix"):
        topsis([[1.0, np.nan]], [1, 1], np.array([True, True]))
    with pytest.raises(lc.ValidationError, match="weights"):
        weighted_sum([[1.0, 2.0]], [1, -1], np.array([True, True]))
    with pytest.raises(lc.ValidationError, match="benefit"):
        weighted_sum([[1.0, 2.0]], [1, 1], [1, 0])
    assert ranks([[0.1, 0.1, 0.3]]).tolist() == [[2, 3, 1]]
    assert rank_order([]).tolist() == []
    assert top_k([0.5, 0.5, 0.5], 2).tolist() == [0, 1]


def test_batch_from_arrays_names_every_bad_argument() -> None:
    from leercultuur.matching import Batch

    ctx = lc.Context(sector="hospital", fte=10, budget_eur=1000.0, hours_per_fte=10)
    bad = np.array([[50.0, 101.0], [np.inf, np.nan]])
    with pytest.raises(lc.ValidationError) as err:
        Batch.from_arrays(["a", "b"], ["safety", "safety"], bad, [ctx, "x"])  # type: ignore[list-item]
    where = {p.location for p in err.value.problems}
    assert {"columns", "scores[0, 1]", "scores[1, 0]", "contexts[1]"} <= where
    with pytest.raises(lc.ValidationError, match="expected shape"):
        Batch.from_arrays(["a"], ["safety"], np.zeros((2, 1)), ctx)
    with pytest.raises(lc.ValidationError, match="method"):
        Batch.from_arrays(["a"], ["safety"], [[10.0]], ctx).match(method="best")  # type: ignore[arg-type]
