"""The bundled fictional example: it cannot drift from its generator, and it shows what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

import leercultuur as lc
from leercultuur import demo
from leercultuur.demo import generate


def test_committed_csv_equals_a_fresh_generation() -> None:
    committed = demo.survey_path().read_text(encoding="utf-8")
    assert committed == generate.generate(generate.SEED)


def test_generation_is_seeded() -> None:
    assert generate.generate(1) == generate.generate(1)
    assert generate.generate(1) != generate.generate(2)


def test_write_and_main(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "a.csv"
    assert generate.main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == generate.generate()
    assert "fictional" in capsys.readouterr().out


def test_labelled_fictional_everywhere() -> None:
    assert "fictief" in demo.NAME
    assert "FICTIONAL" in (demo.__doc__ or "")
    assert "FICTIONAL" in (generate.__doc__ or "")
    assert demo.organisation_path().read_text(encoding="utf-8").startswith("# FICTIEF")
    assert demo.organisation().fictional
    text = demo.survey_path().read_text(encoding="utf-8")
    ids = [line.split(";")[0] for line in text.splitlines()[1:]]
    assert all(i.startswith("fictief-") for i in ids)


def test_survey_has_the_promised_shape() -> None:
    survey = demo.load_survey()
    levels = dict.fromkeys(survey.level)
    assert list(levels) == ["afdeling", "team"]
    assert survey.attributes["beroep"][1] == ("arts", "verpleegkundige", "verzorgende")
    missing = (survey.codes == 0).mean()
    assert 0.01 < missing < 0.15  # item non-response


def test_scores_show_suppression_and_a_weak_department() -> None:
    report = lc.score(demo.load_survey(), indicators=demo.indicators())
    for team in ("team:wijkteam-oost", "team:wijkteam-west"):
        withheld = report.withheld(team)
        assert set(withheld) == set(report.dimensions)
        assert {w.reason for w in withheld.values()} == {"below_threshold"}
    safety = {
        unit: report.scores(unit)["safety"]
        for unit in ("afdeling:wijkzorg", "afdeling:verpleeghuis", "afdeling:revalidatie")
    }
    means = {u: s.mean for u, s in safety.items() if isinstance(s, lc.CellScore)}
    assert min(means, key=means.__getitem__) == "afdeling:verpleeghuis"


def test_contexts_follow_the_hierarchy() -> None:
    assert demo.context().fte == 85
    assert demo.context("team:de-linde") == demo.context("afdeling:verpleeghuis")
    assert demo.context("afdeling:wijkzorg").ict_maturity == 30
