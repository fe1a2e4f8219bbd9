"""Scoring: from survey answers to published, anonymity-protected culture scores.

Statistics and their sources:

- Reverse keying ``x' = lo + hi - x``; a respondent's scale score is the mean of the answered
  items of a dimension, given only when at least ``min_answered`` of them (and at least one)
  are answered; POMP ``100 (s - lo) / (hi - lo)`` (Cohen, Cohen, Aiken & West 1999).
- Per cell: n, mean, sd (ddof 1), the t-based confidence interval ``mean +- t sd / sqrt(n)``,
  and rwg(j) (James, Demaree & Wolf 1984) with the uniform null variance ``(A^2 - 1) / 12``,
  set to 0 when the mean item variance exceeds it (LeBreton & Senter 2008), computed
  listwise within the cell (respondents who answered every item), as R's
  ``multilevel::rwg.j`` does.
- Per dimension over the respondents' own units: ICC(1) with the adjusted group size ``k0``
  and with ``N / J`` (R ``multilevel::ICC1``), ICC(2), and the respondents a unit needs for
  reliability 0.70 by Spearman-Brown (Bliese 2000).
- Cronbach's alpha (Cronbach 1951), listwise by default or pairwise, standardised alpha,
  corrected item-total correlations, alpha if item deleted, McDonald's omega total from a
  one-factor minres fit (McDonald 1999).
- Disclosure control: :mod:`leercultuur.scoring.disclosure`.

Speed: with the ``fast`` extra (numba) the sufficient statistics are summed in compiled
kernels; :func:`accelerator` tells which route runs. Both give the same numbers.

Undefined statistics come back typed (:class:`Statistic`, :class:`Reliability` with a
:data:`Status`), withheld cells as :class:`Suppressed`.
"""

from __future__ import annotations

from leercultuur._accel import accelerator
from leercultuur.scoring._report import ScoreReport, UnknownCellError
from leercultuur.scoring._respondents import RespondentScores, respondent_scores
from leercultuur.scoring._results import (
    AuditEntry,
    CellScore,
    Clustering,
    DisclosureWarning,
    Reliability,
    ScoringWarning,
    Statistic,
    Status,
    Suppressed,
)
from leercultuur.scoring._score import Summary, score, summarise

__all__ = [
    "AuditEntry",
    "CellScore",
    "Clustering",
    "DisclosureWarning",
    "Reliability",
    "RespondentScores",
    "ScoreReport",
    "ScoringWarning",
    "Statistic",
    "Status",
    "Summary",
    "Suppressed",
    "UnknownCellError",
    "accelerator",
    "respondent_scores",
    "score",
    "summarise",
]
