"""Survey responses: read, check and code them compactly for scoring.

A :class:`Survey` holds each respondent's answers to one
:class:`~leercultuur.instruments.Instrument` as ``uint8`` codes (0 = missing),
the unit (team, department) each respondent belongs to, the unit hierarchy,
and cross-cutting attributes such as profession. Read one from records, a
pandas/polars/pyarrow table, or a CSV file; every problem in the input is
reported at once, each with its row (counting data rows from 1) and item,
and no message or repr shows a respondent's valid answers.

>>> import leercultuur as lc
>>> from leercultuur.builtin.instruments import SCAN
>>> rows = [
...     {"team": "ic-1", "afdeling": "ic", **{i.id: 3 for i in SCAN.items}},
...     {"team": "ic-2", "afdeling": "ic", **{i.id: None for i in SCAN.items}},
... ]
>>> s = lc.Survey.from_rows(rows, instrument=SCAN, unit="team", parents={"team": "afdeling"})
>>> s.units
('afdeling:ic', 'team:ic-1', 'team:ic-2')
>>> s.parent.tolist(), s.codes[:, 0].tolist()
([-1, 0, 0], [3, 0])
"""

from __future__ import annotations

from leercultuur.errors import SurveyError
from leercultuur.survey._cells import MAX_LISTED
from leercultuur.survey._csv import read_survey_csv
from leercultuur.survey._survey import Survey

__all__ = ["MAX_LISTED", "Survey", "SurveyError", "read_survey_csv"]
