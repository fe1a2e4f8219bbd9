"""Respondents' own scale scores: the values a report's published cells are the means of."""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leercultuur as lc
from leercultuur import demo
from leercultuur.scoring import RespondentScores, respondent_scores

SURVEY = demo.load_survey()


def _members(survey: lc.Survey, unit: str) -> np.ndarray:
    """Which respondents belong to *unit* or to a unit below it."""
    index = survey.units.index(unit)
    inside = np.zeros(len(survey.units), bool)
    for u in range(len(survey.units)):
        node = u
        while node >= 0 and node != index:
            node = int(survey.parent[node])
        inside[u] = node == index
    return inside[survey.unit_of]


@pytest.mark.parametrize("min_answered", [0.5, 1.0, 0.2])
def test_published_unit_means_are_the_means_of_the_respondents_scores(
    min_answered: float,
) -> None:
    report = lc.score(SURVEY, min_answered=min_answered)
    pomp = respondent_scores(SURVEY, min_answered=min_answered, scale="pomp")
    answers = respondent_scores(SURVEY, min_answered=min_answered)
    assert pomp.dimensions == answers.dimensions == report.dimensions
    checked = 0
    for unit in SURVEY.units:
        rows = _members(SURVEY, unit)
        for d, dim in enumerate(report.dimensions):
            entry = report.scores(unit)[dim]
            column = pomp.values[rows, d]
            scored = column[~np.isnan(column)]
            assert entry.n == scored.size  # published or withheld: the scored respondents
            if isinstance(entry, lc.Suppressed):
                assert entry.respondents == rows.sum()
                continue
            assert entry.mean == pytest.approx(scored.mean(), abs=1e-12)
            raw = answers.values[rows, d]
            assert entry.mean_raw == pytest.approx(np.nanmean(raw), abs=1e-12)
            checked += 1
    assert checked > 20


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(SURVEY.n_respondents)))
def test_reordering_respondents_reorders_their_scores(order: list[int]) -> None:
    order_arr = np.asarray(order)
    shuffled = lc.Survey.from_codes(
        SURVEY.codes[order_arr], instrument=SURVEY.instrument,
        unit_of=SURVEY.unit_of[order_arr], units=SURVEY.units, parent=SURVEY.parent,
    )  # fmt: skip
    base = respondent_scores(SURVEY).values
    np.testing.assert_array_equal(respondent_scores(shuffled).values, base[order_arr])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.05, 1.0))
def test_scores_stay_on_the_scale_and_need_enough_answers(seed: int, fraction: float) -> None:
    rng = np.random.default_rng(seed)
    codes = SURVEY.codes.copy()
    codes[rng.random(codes.shape) < rng.uniform(0, 0.9)] = 0
    survey = lc.Survey.from_codes(
        codes, instrument=SURVEY.instrument, unit_of=SURVEY.unit_of, units=SURVEY.units,
        parent=SURVEY.parent,
    )  # fmt: skip
    answers = respondent_scores(survey, min_answered=fraction)
    pomp = respondent_scores(survey, min_answered=fraction, scale="pomp")
    lo, hi = survey.instrument.scale.lo, survey.instrument.scale.hi
    assert np.all((answers.values >= lo) | np.isnan(answers.values))
    assert np.all((answers.values <= hi) | np.isnan(answers.values))
    assert np.all((pomp.values >= 0) & (pomp.values <= 100) | np.isnan(pomp.values))
    np.testing.assert_array_equal(np.isnan(answers.values), np.isnan(pomp.values))
    # more answers required never gives a score to more respondents
    stricter = respondent_scores(survey, min_answered=min(1.0, fraction + 0.3))
    assert np.all(np.isnan(answers.values) <= np.isnan(stricter.values))


def test_the_repr_shows_no_scores_and_the_values_are_read_only() -> None:
    scores = respondent_scores(SURVEY)
    assert repr(scores) == "<RespondentScores: 86 respondents x 10 dimensions, answers (not shown)>"
    with pytest.raises(ValueError, match="read-only"):
        scores.values[0, 0] = 1.0


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_to_dataframe_in_every_backend(backend: str) -> None:
    scores = respondent_scores(SURVEY)
    frame = nw.from_native(scores.to_dataframe(backend), eager_only=True)  # type: ignore[arg-type]
    assert frame.columns[:2] == ["respondent", "unit"]
    assert len(frame) == SURVEY.n_respondents
    table = scores.to_dataframe("pandas")
    np.testing.assert_array_equal(
        table[list(scores.dimensions)].to_numpy(dtype=float), scores.values
    )


def test_bad_options_are_named() -> None:
    with pytest.raises(lc.ValidationError) as info:
        respondent_scores("survey.csv", min_answered=0, scale="z")  # type: ignore[arg-type]
    assert [p.location for p in info.value.problems] == ["survey", "min_answered", "scale"]
    with pytest.raises(lc.ValidationError, match="backend"):
        respondent_scores(SURVEY).to_dataframe("excel")  # type: ignore[arg-type]
    assert isinstance(respondent_scores(SURVEY), RespondentScores)
