"""Reading a survey from a CSV file (the standard library's :mod:`csv`)."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from leercultuur.errors import Problem, SurveyError
from leercultuur.instruments import Instrument
from leercultuur.survey._cells import Problems
from leercultuur.survey._parse import CrossCuts
from leercultuur.survey._survey import Survey, Units

__all__ = ["read_survey_csv"]


def read_survey_csv(
    path: str | Path,
    *,
    instrument: Instrument,
    unit: str,
    parents: Mapping[str, str] | None = None,
    attributes: CrossCuts = (),
    id: str | None = None,
    ignore: Iterable[str] = (),
    units: Units = None,
    delimiter: str | None = None,
    encoding: str = "utf-8-sig",
) -> Survey:
    """Read a survey from a CSV file with a header row of column names.

    An empty cell is a missing answer. Row numbers in messages count the data
    rows from 1 (the first line after the header is row 1). The delimiter is
    ``,`` or ``;`` (as Dutch spreadsheets write), detected from the header unless given.
    Other parameters as for :meth:`Survey.from_rows`.

    :raises SurveyError: naming the file and listing every problem.
    """
    source = str(path)
    try:
        with open(path, encoding=encoding, newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise SurveyError([Problem("", f"cannot read the file: {exc}")], source=source) from None
    lines = text.splitlines()
    header_line = lines[0] if lines else ""
    if delimiter is None:
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter, strict=True)
    problems = Problems()
    try:
        table = list(reader)
    except csv.Error as exc:
        raise SurveyError(
            [Problem(f"line {reader.line_num}", f"invalid CSV: {exc}")], source
        ) from None
    if not table:
        raise SurveyError([Problem("", "the file is empty; expected a header row")], source)
    header, body = [h.strip() for h in table[0]], table[1:]
    while body and not body[-1]:  # blank lines at the end of the file are not respondents
        body.pop()
    for name, count in Counter(header).items():
        if count > 1:
            problems.add((0,), f"column {name!r}", f"appears {count} times in the header")
    for r, row in enumerate(body):
        if len(row) != len(header):
            problems.add(
                (1, r, -1), f"row {r + 1}", f"has {len(row)} fields, the header {len(header)}"
            )
    problems.raise_if_any(source)
    columns = {
        name: np.fromiter((row[j] for row in body), dtype=object, count=len(body))
        for j, name in enumerate(header)
    }
    return Survey._from_columns(
        columns,
        len(body),
        source,
        problems,
        instrument=instrument,
        unit=unit,
        parents=parents,
        attributes=attributes,
        id=id,
        ignore=ignore,
        units=units,
    )
