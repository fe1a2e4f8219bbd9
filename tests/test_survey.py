"""Surveys: coding, validation (all problems at once, located), privacy, readers agree."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leercultuur as lc
from leercultuur.builtin.instruments import SCAN
from leercultuur.survey import MAX_LISTED

T = lc.Text(nl="t", en="t")
MINI = lc.Instrument(
    id="zorg_x.mini",
    version="1",
    name=T,
    scale=lc.ResponseScale(lo=1, hi=5),
    items=(
        lc.Item(id="VL1", text=T, dimension="safety"),
        lc.Item(id="VL2", text=T, dimension="safety", reverse=True),
        lc.Item(id="VL3", text=T, dimension="safety"),
    ),
    licence=lc.Licence(name="MIT"),
)


def _rows(answers: Sequence[Sequence[object]], teams: Sequence[object]) -> list[dict[str, Any]]:
    return [
        {"team": t, **dict(zip(MINI.item_ids, a, strict=True))}
        for a, t in zip(answers, teams, strict=True)
    ]


def _problems(exc: pytest.ExceptionInfo[lc.SurveyError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


# -- coding --------------------------------------------------------------------------------------


def test_codes_are_uint8_answer_minus_lo_plus_one_with_zero_missing() -> None:
    s = lc.Survey.from_rows(
        _rows([(1, 5, None), ("4", " 2 ", ""), (3.0, float("nan"), 5)], ["a", "b", "a"]),
        instrument=MINI,
        unit="team",
    )
    assert s.codes.dtype == np.uint8
    assert s.codes.flags.c_contiguous
    assert s.codes.tolist() == [[1, 5, 0], [4, 2, 0], [3, 0, 5]]
    assert s.units == ("team:a", "team:b")
    assert s.unit_of.dtype == np.int32
    assert s.unit_of.tolist() == [0, 1, 0]
    assert s.parent.tolist() == [-1, -1]
    assert s.level == ("team", "team")
    assert (s.n_respondents, s.n_items) == (3, 3)
    assert s.unit_counts().tolist() == [2, 1]


@pytest.mark.parametrize(("lo", "hi"), [(0, 10), (-2, 2), (1, 7), (0, 253)])
def test_codes_on_other_scales(lo: int, hi: int) -> None:
    inst = lc.Instrument(
        id="zorg_x.scale",
        version="1",
        name=T,
        scale=lc.ResponseScale(lo=lo, hi=hi),
        items=(lc.Item(id="Q1", text=T, dimension="safety"),),
        licence=lc.Licence(name="MIT"),
    )
    answers = np.array([lo, hi, (lo + hi) // 2])
    for source in (answers, answers.astype(np.int8 if hi < 128 else np.int16), answers * 1.0):
        s = lc.Survey.from_dataframe(
            pd.DataFrame({"Q1": source, "team": ["x"] * 3}), instrument=inst, unit="team"
        )
        assert s.codes[:, 0].tolist() == (answers - lo + 1).tolist()


def test_hierarchy_and_attributes() -> None:
    rows = [
        {"team": "ic-1", "afdeling": "ic", "org": "mc", "beroep": "vpk", "id": "r1", "VL1": 1},
        {"team": "ic-2", "afdeling": "ic", "org": "mc", "beroep": None, "id": "r2", "VL1": 2},
        {"team": "ok-1", "afdeling": "ok", "org": "mc", "beroep": "arts", "id": "r3", "VL1": 3},
    ]
    for row in rows:
        row.update(VL2=None, VL3=None)
    s = lc.Survey.from_rows(
        rows,
        instrument=MINI,
        unit="team",
        parents={"team": "afdeling", "afdeling": "org"},
        attributes=["beroep"],
        id="id",
    )
    assert s.units == (
        "afdeling:ic",
        "afdeling:ok",
        "org:mc",
        "team:ic-1",
        "team:ic-2",
        "team:ok-1",
    )
    names = [None if p < 0 else s.units[p] for p in s.parent.tolist()]
    assert names == ["org:mc", "org:mc", None, "afdeling:ic", "afdeling:ic", "afdeling:ok"]
    assert s.level == ("afdeling", "afdeling", "org", "team", "team", "team")
    codes, labels = s.attributes["beroep"]
    assert labels == ("arts", "vpk")
    assert codes.tolist() == [1, -1, 0]
    assert s.respondent_ids == ("r1", "r2", "r3")
    assert (
        repr(s) == "<Survey zorg_x.mini: 3 respondents x 3 items; units: 3 team, 2 afdeling, 1 org>"
    )


def test_explicit_units_include_units_without_respondents() -> None:
    s = lc.Survey.from_rows(
        _rows([(1, 2, 3)], ["a"]),
        instrument=MINI,
        unit="team",
        units={"team:a": "afdeling:x", "team:b": "afdeling:x", "afdeling:x": None},
    )
    assert s.units == ("afdeling:x", "team:a", "team:b")
    assert s.parent.tolist() == [-1, 0, 0]


def _parts_with_roles(roles: Any, part_roles: Sequence[Sequence[str]]) -> list[lc.Survey]:
    """One survey per list of roles, respondents alternating between teams a and b."""
    units = {"team:a": None, "team:b": None}
    parts = []
    for rs in part_roles:
        rows = _rows([(1, 2, 3)] * len(rs), ("ab" * len(rs))[: len(rs)])
        records = [{**row, "rol": role} for row, role in zip(rows, rs, strict=True)]
        parts.append(
            lc.Survey.from_rows(
                records, instrument=MINI, unit="team", attributes=roles, units=units
            )
        )
    return parts


def test_declared_cross_cut_values_let_parts_read_apart_add_up() -> None:
    from leercultuur.scoring import summarise

    parts = _parts_with_roles({"rol": ["arts", "verpleegkundige"]}, [["arts"] * 6, ["arts"] * 6])
    assert parts[0].attributes["rol"][1] == ("arts", "verpleegkundige")
    whole = lc.Survey.from_rows(
        [{**r, "rol": "arts"} for r in _rows([(1, 2, 3)] * 12, "ab" * 6)],
        instrument=MINI, unit="team", attributes={"rol": ["verpleegkundige", "arts"]},
        units={"team:a": None, "team:b": None},
    )  # fmt: skip
    total = summarise(parts[0]) + summarise(parts[1])
    assert lc.score(total).to_json() == lc.score(whole).to_json()
    # learnt from the data, the two parts' cross-cuts differ and cannot be added
    learnt = _parts_with_roles(["rol"], [["arts"] * 6, ["verpleegkundige"] * 6])
    with pytest.raises(lc.ValidationError, match="cross-cuts"):
        summarise(learnt[0]) + summarise(learnt[1])


def test_a_value_outside_the_declared_cross_cut_values_is_located() -> None:
    with pytest.raises(lc.SurveyError) as info:
        _parts_with_roles({"rol": ["arts"]}, [["arts", "chirurg", "arts", "chirurg"]])
    assert _problems(info) == [
        "rows 2, 4, column 'rol': 'chirurg' is not one of the declared values ['arts']"
    ]
    with pytest.raises(lc.SurveyError, match="expected the column's values"):
        _parts_with_roles({"rol": []}, [["arts"]])


def test_a_survey_is_immutable() -> None:
    s = lc.Survey.from_rows(_rows([(1, 2, 3)], ["a"]), instrument=MINI, unit="team")
    with pytest.raises(AttributeError):
        s.units = ()  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        s.codes[0, 0] = 3
    with pytest.raises(TypeError):
        s.attributes["x"] = (np.zeros(1, np.int32), ())  # type: ignore[index]


# -- validation ----------------------------------------------------------------------------------


def test_every_problem_is_listed_at_once_and_located() -> None:
    rows = _rows(
        [(1, 2, 3)] * 16 + [(1, 2, 9), (1, "veel", 2.5), (True, 2, 3), (1, 2, 3), (1, 2, 3)],
        ["a"] * 19 + [None, "b"],
    )
    for i, row in enumerate(rows):
        row["id"] = f"r{min(i, 19)}"
        row["extra"] = "x"
    del rows[-1]["VL3"]  # a missing key is a missing answer, not an error
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_rows(rows, instrument=MINI, unit="team", id="id")
    problems = _problems(info)
    assert problems[0].startswith("column 'extra': not an item of zorg_x.mini")
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_rows(rows, instrument=MINI, unit="team", id="id", ignore=["extra"])
    assert _problems(info) == [
        "row 20: missing value in unit column 'team'",
        "row 17, item VL3: 9 is outside 1..5",
        "row 18, item VL2: expected a whole number 1..5, got 'veel'",
        "row 18, item VL3: expected a whole number 1..5, got 2.5",
        "row 19, item VL1: expected a whole number 1..5, got True",
        "rows 20, 21: duplicate respondent id 'r19'",
    ]
    assert isinstance(info.value, lc.ValidationError)


def test_missing_and_misdeclared_columns() -> None:
    rows = [{"VL1": 1, "VL2": 2, "team": "a", "wijk": "z"}]
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_rows(rows, instrument=MINI, unit="team", parents={"team": "afdeling"})
    assert _problems(info) == [
        "column 'afdeling': missing (named as the parent column)",
        "column 'wijk': not an item of zorg_x.mini nor a declared unit, parent, attribute or id"
        " column; pass ignore=[...] to skip it",
        "column 'VL3': missing: an item of zorg_x.mini",
    ]
    with pytest.raises(lc.SurveyError, match="'VL1': is an item"):
        lc.Survey.from_rows(rows, instrument=MINI, unit="VL1", ignore=["wijk", "team"])


def test_a_team_under_two_parents_and_unknown_units() -> None:
    rows = _rows([(1, 2, 3)] * 4, ["a", "a", "b", "c"])
    for row, dept in zip(rows, ["x", "y", "x", "x"], strict=True):
        row["afdeling"] = dept
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_rows(rows, instrument=MINI, unit="team", parents={"team": "afdeling"})
    assert _problems(info) == [
        "unit 'team:a': is under two parents: 'afdeling:x' (row 1); 'afdeling:y' (row 2)"
    ]
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_rows(
            rows[2:],
            instrument=MINI,
            unit="team",
            parents={"team": "afdeling"},
            units={"team:b": "afdeling:z", "afdeling:x": None},
        )
    assert _problems(info) == [
        "unit 'team:b': is under two parents: 'afdeling:x' (row 1); 'afdeling:z' (in units)",
        "row 2: unknown unit 'team:c'",
    ]


def test_cycles_are_refused() -> None:
    rows = _rows([(1, 2, 3)], ["a"])
    rows[0]["afdeling"] = "x"
    with pytest.raises(lc.SurveyError, match="levels form a cycle: team -> afdeling -> team"):
        lc.Survey.from_rows(
            rows, instrument=MINI, unit="team", parents={"team": "afdeling", "afdeling": "team"}
        )
    with pytest.raises(lc.SurveyError, match="cycle: "):
        lc.Survey.from_rows(
            rows,
            instrument=MINI,
            unit="team",
            ignore=["afdeling"],
            units={"team:a": "afdeling:x", "afdeling:x": "org:y", "org:y": "afdeling:x"},
        )


def test_bad_records_and_no_rows() -> None:
    with pytest.raises(lc.SurveyError, match="row 2: expected a mapping, got list"):
        lc.Survey.from_rows([{"team": "a"}, [1, 2]], instrument=MINI, unit="team")  # type: ignore[list-item]
    with pytest.raises(lc.SurveyError, match="no respondents"):
        lc.Survey.from_dataframe(
            pd.DataFrame({"VL1": [], "VL2": [], "VL3": [], "team": []}),
            instrument=MINI,
            unit="team",
        )


def test_many_bad_cells_are_counted_not_all_spelt_out() -> None:
    n = MAX_LISTED + 50
    df = pd.DataFrame({"VL1": [9] * n, "VL2": [1] * n, "VL3": [0] * n, "team": ["a"] * n})
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_dataframe(df, instrument=MINI, unit="team")
    problems = info.value.problems
    assert len(problems) == MAX_LISTED + 3
    counts = {p.location: p.message for p in problems[MAX_LISTED:]}
    assert counts == {
        "item VL1": "50 more problems of this kind, not listed",
        "item VL3": "50 more problems of this kind, not listed",
        "further problems": "1000 more problems of this kind, not listed",
    }


@st.composite
def _answers(draw: st.DrawFn) -> tuple[np.ndarray, list[str]]:
    n = draw(st.integers(1, 30))
    values = draw(st.lists(st.integers(-1, 7) | st.none(), min_size=3 * n, max_size=3 * n))
    grid = np.array([np.nan if v is None else v for v in values], dtype=float).reshape(n, 3)
    teams = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n))
    return grid, teams


@given(_answers())
def test_problems_name_exactly_the_bad_cells_and_never_a_valid_answer(
    case: tuple[np.ndarray, list[str]],
) -> None:
    grid, teams = case
    df = pd.DataFrame({"VL1": grid[:, 0], "VL2": grid[:, 1], "VL3": grid[:, 2], "team": teams})
    bad = {
        (i + 1, MINI.item_ids[j]) for i, j in zip(*np.nonzero((grid < 1) | (grid > 5)), strict=True)
    }
    try:
        s = lc.Survey.from_dataframe(df, instrument=MINI, unit="team")
    except lc.SurveyError as exc:
        located = set()
        for p in exc.problems:
            row, item = p.location.removeprefix("row ").split(", item ")
            located.add((int(row), item))
            value = int(grid[int(row) - 1, MINI.item_ids.index(item)])
            assert p.message == f"{value} is outside 1..5"
        assert located == bad
    else:
        assert not bad
        n, k = len(teams), len(set(teams))
        assert repr(s) == f"<Survey zorg_x.mini: {n} respondents x 3 items; units: {k} team>"


# -- the readers agree -----------------------------------------------------------------------------


def _write_csv(path: Path, table: Mapping[str, Sequence[object]], delimiter: str = ",") -> None:
    names = list(table)
    n = len(table[names[0]])
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(names)
        for i in range(n):
            writer.writerow(["" if _missing(table[c][i]) else table[c][i] for c in names])


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


@st.composite
def _valid(draw: st.DrawFn) -> dict[str, list[Any]]:
    n = draw(st.integers(1, 25))
    col = st.lists(st.integers(1, 5) | st.none(), min_size=n, max_size=n)
    table: dict[str, list[Any]] = {item: draw(col) for item in MINI.item_ids}
    table["team"] = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n))
    table["afdeling"] = [{"a": "x", "b": "x", "c": "y"}[t] for t in table["team"]]
    table["beroep"] = draw(st.lists(st.sampled_from(["vpk", "arts", None]), min_size=n, max_size=n))
    table["id"] = [f"r{i}" for i in range(n)]
    return table


OPTIONS: dict[str, Any] = {
    "instrument": MINI,
    "unit": "team",
    "parents": {"team": "afdeling"},
    "attributes": ["beroep"],
    "id": "id",
}


def _same(a: lc.Survey, b: lc.Survey) -> None:
    assert a.codes.tolist() == b.codes.tolist()
    assert a.unit_of.tolist() == b.unit_of.tolist()
    assert a.units == b.units
    assert a.parent.tolist() == b.parent.tolist()
    assert a.respondent_ids == b.respondent_ids
    assert a.attributes["beroep"][1] == b.attributes["beroep"][1]
    assert a.attributes["beroep"][0].tolist() == b.attributes["beroep"][0].tolist()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_valid(), st.sampled_from([",", ";"]))
def test_rows_dataframes_and_csv_give_identical_surveys(
    tmp_path: Path, table: dict[str, list[Any]], delimiter: str
) -> None:
    n = len(table["id"])
    rows = [{k: v[i] for k, v in table.items()} for i in range(n)]
    ref = lc.Survey.from_rows(rows, **OPTIONS)
    pdf = pd.DataFrame(table)
    for df in (pdf, pl.DataFrame(table), pa.table(table)):
        _same(ref, lc.Survey.from_dataframe(df, **OPTIONS))
    path = tmp_path / "survey.csv"
    _write_csv(path, table, delimiter)
    _same(ref, lc.read_survey_csv(path, **OPTIONS))


@given(_valid(), st.randoms(use_true_random=False))
def test_permuting_rows_permutes_codes(table: dict[str, list[Any]], rnd: Any) -> None:
    n = len(table["id"])
    order = list(range(n))
    rnd.shuffle(order)
    rows = [{k: v[i] for k, v in table.items()} for i in range(n)]
    a = lc.Survey.from_rows(rows, **OPTIONS)
    b = lc.Survey.from_rows([rows[i] for i in order], **OPTIONS)
    assert b.codes.tolist() == a.codes[order].tolist()
    assert [b.units[u] for u in b.unit_of] == [a.units[a.unit_of[i]] for i in order]


@given(_valid(), st.integers(1, 30))
def test_chunks_concatenate_to_the_whole(table: dict[str, list[Any]], size: int) -> None:
    s = lc.Survey.from_dataframe(pl.DataFrame(table), **OPTIONS)
    parts = list(s.chunks(size))
    assert all(1 <= p.n_respondents <= size for p in parts)
    assert np.concatenate([p.codes for p in parts]).tolist() == s.codes.tolist()
    assert np.concatenate([p.unit_of for p in parts]).tolist() == s.unit_of.tolist()
    assert all(p.units is s.units for p in parts)
    ids = [r for p in parts for r in (p.respondent_ids or ())]
    assert tuple(ids) == s.respondent_ids


def test_chunks_rejects_a_bad_size() -> None:
    s = lc.Survey.from_rows(_rows([(1, 2, 3)], ["a"]), instrument=MINI, unit="team")
    with pytest.raises(lc.SurveyError, match="rows"):
        list(s.chunks(0))


# -- frames of every kind --------------------------------------------------------------------------


@pytest.mark.parametrize("make", [pd.DataFrame, pl.DataFrame, pa.table])
def test_dataframes_with_nulls_and_integer_units(make: Any) -> None:
    df = make({"VL1": [1, None, 5], "VL2": [2, 3, None], "VL3": [4, 4, 4], "team": [7, 7, 8]})
    s = lc.Survey.from_dataframe(df, instrument=MINI, unit="team")
    assert s.codes.tolist() == [[1, 2, 4], [0, 3, 4], [5, 0, 4]]
    assert s.units == ("team:7", "team:8")


@pytest.mark.parametrize("make", [pd.DataFrame, pl.DataFrame, pa.table])
def test_dataframe_errors_are_located(make: Any) -> None:
    df = make(
        {"VL1": [1, 2, 6], "VL2": [2.0, 3.5, 1.0], "VL3": [4, 4, 4], "team": ["a", "b", None]}
    )
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_dataframe(df, instrument=MINI, unit="team")
    assert _problems(info) == [
        "row 3: missing value in unit column 'team'",
        "row 2, item VL2: expected a whole number 1..5, got 3.5",
        "row 3, item VL1: 6 is outside 1..5",
    ]


def test_numpy_dtypes() -> None:
    df = pd.DataFrame(
        {
            "VL1": np.array([1, 255], np.uint8),
            "VL2": np.array([2, 2**63], np.uint64),
            "VL3": np.array([True, False]),
            "team": ["a", "a"],
        }
    )
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_dataframe(df, instrument=MINI, unit="team")
    assert _problems(info) == [
        "row 1, item VL3: expected a whole number 1..5, got True",
        "row 2, item VL1: 255 is outside 1..5",
        f"row 2, item VL2: {2**63} is outside 1..5",
        "row 2, item VL3: expected a whole number 1..5, got False",
    ]


def test_not_a_dataframe() -> None:
    with pytest.raises(lc.SurveyError, match="expected a pandas, polars or pyarrow table"):
        lc.Survey.from_dataframe([1, 2], instrument=MINI, unit="team")


def test_duplicate_dataframe_columns() -> None:
    df = pd.DataFrame([[1, 2, 3, 4, "a"]], columns=["VL1", "VL2", "VL3", "VL3", "team"])
    with pytest.raises(lc.SurveyError, match="'VL3': appears 2 times"):
        lc.Survey.from_dataframe(df, instrument=MINI, unit="team")


# -- CSV -----------------------------------------------------------------------------------------


def test_csv_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("VL1;VL2;VL3;team\n1;2;3;a\n1;2;x;a\n4;5\n\n", encoding="utf-8")
    with pytest.raises(lc.SurveyError) as info:
        lc.read_survey_csv(path, instrument=MINI, unit="team")
    assert info.value.source == str(path)
    assert _problems(info) == ["row 3: has 2 fields, the header 4"]
    path.write_text("VL1;VL2;VL3;team\n1;2;3;a\n1;2;x;a\n", encoding="utf-8")
    with pytest.raises(lc.SurveyError) as info:
        lc.read_survey_csv(path, instrument=MINI, unit="team")
    assert _problems(info) == ["row 2, item VL3: expected a whole number 1..5, got 'x'"]
    assert str(info.value).startswith(f"{path}: 1 problem")


def test_csv_unreadable_and_empty(tmp_path: Path) -> None:
    with pytest.raises(lc.SurveyError, match="cannot read the file"):
        lc.read_survey_csv(tmp_path / "nope.csv", instrument=MINI, unit="team")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(lc.SurveyError, match="empty"):
        lc.read_survey_csv(tmp_path / "empty.csv", instrument=MINI, unit="team")


def test_csv_with_a_bom_and_the_builtin_scan(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    header = ["team", *SCAN.item_ids]
    path.write_text(
        "\ufeff" + ",".join(header) + "\n" + "a," + ",".join(["3"] * len(SCAN.items)) + "\n",
        encoding="utf-8",
    )
    s = lc.read_survey_csv(path, instrument=SCAN, unit="team")
    assert s.codes.tolist() == [[3] * 24]


# -- from_codes ----------------------------------------------------------------------------------


def test_from_codes_sorts_units_and_checks_everything() -> None:
    s = lc.Survey.from_codes(
        np.array([[1, 0, 5]], np.uint8),
        instrument=MINI,
        unit_of=[0],
        units=["team:b", "afdeling:a"],
        parent=[1, -1],
    )
    assert s.units == ("afdeling:a", "team:b")
    assert s.unit_of.tolist() == [1]
    assert s.parent.tolist() == [-1, 0]
    assert s.level == ("afdeling", "team")
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_codes(
            np.array([[1, 0, 6]]), instrument=MINI, unit_of=[2], units=["team:b"], parent=[0]
        )
    assert _problems(info) == [
        "unit_of: expected 1 whole numbers in 0..0",
        "row 1, item VL3: code 6 is outside 0..5",
    ]
    with pytest.raises(lc.SurveyError, match="cycle: team:b -> team:b"):
        lc.Survey.from_codes(
            np.array([[1, 0, 5]]), instrument=MINI, unit_of=[0], units=["team:b"], parent=[0]
        )
    with pytest.raises(lc.SurveyError, match=r"shape \(n, 3\)"):
        lc.Survey.from_codes(
            np.ones((2, 2)), instrument=MINI, unit_of=[0], units=["t:a"], parent=[-1]
        )


def test_spreadsheet_whole_numbers_are_answers_not_errors(tmp_path: Path) -> None:
    # a valid answer written as "4.0" must be read, never echoed back in an error
    path = tmp_path / "s.csv"
    path.write_text('VL1,VL2,VL3,team\n4.0,2,,a\n 3 ,"5,0",1.5,a\n', encoding="utf-8")
    with pytest.raises(lc.SurveyError) as info:
        lc.read_survey_csv(path, instrument=MINI, unit="team")
    assert _problems(info) == ["row 2, item VL3: expected a whole number 1..5, got '1.5'"]
    path.write_text('VL1,VL2,VL3,team\n4.0,2,,a\n 3 ,"5,0",1,a\n', encoding="utf-8")
    s = lc.read_survey_csv(path, instrument=MINI, unit="team")
    assert s.codes.tolist() == [[4, 2, 0], [3, 5, 1]]


def test_mixed_python_types_are_not_merged() -> None:
    rows = _rows([(1, True, 1.0), (1.0, 1, True)], ["a", "a"])
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_rows(rows, instrument=MINI, unit="team")
    assert _problems(info) == [
        "row 1, item VL2: expected a whole number 1..5, got True",
        "row 2, item VL3: expected a whole number 1..5, got True",
    ]


def test_cells_are_checked_even_when_columns_are_missing() -> None:
    rows = [{"VL1": 9, "VL2": 1, "team": "a"}]
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_rows(rows, instrument=MINI, unit="team", id="id")
    assert _problems(info) == [
        "column 'id': missing (named as the id column)",
        "column 'VL3': missing: an item of zorg_x.mini",
        "row 1, item VL1: 9 is outside 1..5",
    ]


def test_a_survey_pickles_and_copies_by_value() -> None:
    import copy
    import pickle

    rows = _rows([(1, 2, 3), (4, None, 5)], ["a", "b"])
    for row in rows:
        row["beroep"] = "vpk"
    s = lc.Survey.from_rows(rows, instrument=MINI, unit="team", attributes=["beroep"])
    for other in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s), copy.copy(s)):
        assert other.codes.tolist() == s.codes.tolist()
        assert other.units == s.units
        assert other.attributes["beroep"][1] == ("vpk",)
        assert not other.codes.flags.writeable


def test_decimals_and_fractions_are_numbers() -> None:
    import decimal
    import fractions

    rows = _rows([(fractions.Fraction(4), decimal.Decimal("5"), decimal.Decimal("2.5"))], ["a"])
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_rows(rows, instrument=MINI, unit="team")
    assert _problems(info) == ["row 1, item VL3: expected a whole number 1..5, got Decimal('2.5')"]
    rows[0]["VL3"] = decimal.Decimal("1.0")
    assert lc.Survey.from_rows(rows, instrument=MINI, unit="team").codes.tolist() == [[4, 5, 1]]


def test_huge_numbers_are_reported_briefly() -> None:
    rows = _rows([(10**5000, "9" * 5000, 1e300)], ["a"])
    with pytest.raises(lc.SurveyError) as info:
        lc.Survey.from_rows(rows, instrument=MINI, unit="team")
    problems = _problems(info)
    assert problems[0] == "row 1, item VL1: a number too long to show is outside 1..5"
    assert all(len(p) < 120 for p in problems)
    assert len(problems) == 3


@st.composite
def _messy(draw: st.DrawFn) -> dict[str, list[Any]]:
    n = draw(st.integers(1, 12))
    col = st.lists(st.integers(-2, 8) | st.none(), min_size=n, max_size=n)
    table: dict[str, list[Any]] = {item: draw(col) for item in MINI.item_ids}
    table["team"] = draw(st.lists(st.sampled_from(["a", "b", None]), min_size=n, max_size=n))
    return table


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_messy())
def test_every_reader_reports_the_same_problems(
    tmp_path: Path, table: dict[str, list[Any]]
) -> None:
    n = len(table["team"])
    rows = [{k: v[i] for k, v in table.items()} for i in range(n)]
    path = tmp_path / "messy.csv"
    _write_csv(path, table)
    readers = [
        lambda: lc.Survey.from_rows(rows, instrument=MINI, unit="team"),
        lambda: lc.Survey.from_dataframe(pd.DataFrame(table), instrument=MINI, unit="team"),
        lambda: lc.Survey.from_dataframe(pl.DataFrame(table), instrument=MINI, unit="team"),
        lambda: lc.Survey.from_dataframe(pa.table(table), instrument=MINI, unit="team"),
        lambda: lc.read_survey_csv(path, instrument=MINI, unit="team"),
    ]
    outcomes = []
    for read in readers:
        try:
            outcomes.append(read().codes.tolist())
        except lc.SurveyError as exc:
            outcomes.append([str(p) for p in exc.problems])
    assert all(o == outcomes[0] for o in outcomes)


def test_a_single_column_name_may_be_given_as_text() -> None:
    rows = _rows([(1, 2, 3)], ["a"])
    rows[0].update(beroep="vpk", note="x")
    s = lc.Survey.from_rows(rows, instrument=MINI, unit="team", attributes="beroep", ignore="note")
    assert list(s.attributes) == ["beroep"]


def test_cells_are_classified_per_distinct_value_not_per_cell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from leercultuur.survey import _cells

    calls: list[object] = []
    real = _cells._classify

    def counting(value: object, lo: int, hi: int) -> tuple[int, str | None]:
        calls.append(value)
        return real(value, lo, hi)

    monkeypatch.setattr(_cells, "_classify", counting)
    n = 20_000
    rng = np.random.default_rng(3)
    numeric = {item: rng.integers(1, 6, n) for item in MINI.item_ids}
    lc.Survey.from_dataframe(
        pd.DataFrame({**numeric, "team": ["a"] * n}), instrument=MINI, unit="team"
    )
    assert calls == []  # numeric columns: whole-array operations only
    text = {item: [str(v) for v in col] for item, col in numeric.items()}
    lc.Survey.from_dataframe(
        pl.DataFrame({**text, "team": ["a"] * n}), instrument=MINI, unit="team"
    )
    assert len(calls) <= 3 * 5  # text columns: once per distinct value
