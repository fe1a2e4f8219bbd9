"""Each respondent's scale scores: the personal data behind a report, for the data owner only."""

from __future__ import annotations

import math
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.errors import Problem, ValidationError
from leercultuur.scoring import _formulas
from leercultuur.survey import Survey

__all__ = ["RespondentScores", "respondent_scores"]

Backend = Literal["pandas", "polars", "pyarrow"]
_CHUNK_ROWS = 1 << 16


@attrs.frozen(eq=False, repr=False)
class RespondentScores:
    """Every respondent's scale score per dimension: personal data, never to be published.

    A :class:`~leercultuur.ScoreReport` is what may be shared; these are the values it is
    computed from, for the survey's owner, e.g. to fit their own multilevel model. The repr
    shows the shape only.

    :ivar dimensions: the dimensions and facets, in the order of
        :attr:`ScoreReport.dimensions <leercultuur.ScoreReport.dimensions>`.
    :ivar values: ``(respondents, dimensions)`` float64, read-only; NaN where a respondent
        answered too few of a dimension's items.
    :ivar units: each respondent's own unit.
    :ivar respondent_ids: the survey's respondent ids, if it has them.
    :ivar scale: ``"answers"`` (the response scale, ``lo..hi``) or ``"pomp"`` (0..100).
    """

    dimensions: tuple[str, ...]
    values: npt.NDArray[np.float64]
    units: tuple[str, ...]
    respondent_ids: tuple[str, ...] | None
    scale: str

    def __repr__(self) -> str:
        n, d = self.values.shape
        return f"<RespondentScores: {n} respondents x {d} dimensions, {self.scale} (not shown)>"

    def to_dataframe(self, backend: Backend = "pandas") -> Any:
        """The scores as a table (via narwhals), in the frame library *backend* names.

        Columns: ``respondent`` (if the survey has ids), ``unit``, and one per dimension;
        a missing score is null.
        """
        import narwhals as nw

        if backend not in ("pandas", "polars", "pyarrow"):
            raise ValidationError.single(
                "backend", f"expected 'pandas', 'polars' or 'pyarrow', got {backend!r}"
            )
        data: dict[str, Any] = {}
        if self.respondent_ids is not None:
            data["respondent"] = list(self.respondent_ids)
        data["unit"] = list(self.units)
        for d, name in enumerate(self.dimensions):
            column = self.values[:, d]
            data[name] = [None if math.isnan(v) else v for v in column.tolist()]
        return nw.from_dict(data, backend=backend).to_native()


def respondent_scores(
    survey: Survey, *, min_answered: float = 0.5, scale: Literal["answers", "pomp"] = "answers"
) -> RespondentScores:
    """Each respondent's scale scores, as :func:`~leercultuur.score` computes them.

    The score of a respondent on a dimension is the mean of the keyed items they answered
    (``x' = lo + hi - x`` for reverse-keyed items), given only when they answered at least
    *min_answered* of its items (and at least one); ``scale="pomp"`` reports it as
    ``100 (s - lo) / (hi - lo)``. The rows are read in chunks: besides the result, memory
    holds a few arrays of one chunk, never a float copy of all answers.

    >>> import leercultuur as lc
    >>> from leercultuur import demo
    >>> scores = respondent_scores(demo.load_survey())
    >>> scores
    <RespondentScores: 86 respondents x 10 dimensions, answers (not shown)>
    >>> scores.dimensions[:3]
    ('autonomy', 'commitment', 'interaction')

    :raises ValidationError: a bad option, or *survey* is not a :class:`~leercultuur.Survey`.
    """
    from leercultuur.scoring._prepare import _layout

    _check(survey, min_answered, scale)
    layout = _layout(survey)
    size = layout.size
    n = survey.codes.shape[0]
    out = np.empty((n, len(layout.dimensions)))
    needs = [_formulas.needed_items(c.size, float(min_answered)) for c in layout.columns]
    flip = layout.reverse[None, :]
    for start in range(0, n, _CHUNK_ROWS):
        block = survey.codes[start : start + _CHUNK_ROWS]
        # keyed codes 1..A (0 = missing) in small integers: the sums stay exact
        keyed = np.where(flip & (block > 0), size + 1 - block, block).astype(np.int32)
        answered = (block > 0).astype(np.int32)
        rows = out[start : start + block.shape[0]]
        for d, (cols, need) in enumerate(zip(layout.columns, needs, strict=True)):
            total = keyed[:, cols].sum(axis=1)
            count = answered[:, cols].sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                rows[:, d] = np.where(count >= need, total / count, np.nan)
    if scale == "pomp":
        out = (out - 1.0) * (100.0 / (size - 1))  # a scale has at least two options
    else:
        out += layout.lo - 1
    out.setflags(write=False)
    unit_names = np.asarray(survey.units, dtype=object)[survey.unit_of]
    return RespondentScores(
        dimensions=layout.dimensions,
        values=out,
        units=tuple(unit_names.tolist()),
        respondent_ids=survey.respondent_ids,
        scale=scale,
    )


def _check(survey: object, min_answered: object, scale: object) -> None:
    problems = []
    if not isinstance(survey, Survey):
        problems.append(Problem("survey", f"expected a Survey, got {type(survey).__name__}"))
    fraction = isinstance(min_answered, int | float) and not isinstance(min_answered, bool)
    if not (fraction and 0 < min_answered <= 1):  # type: ignore[operator]
        problems.append(
            Problem("min_answered", f"expected a fraction in (0, 1], got {min_answered!r}")
        )
    if scale not in ("answers", "pomp"):
        problems.append(Problem("scale", f"expected 'answers' or 'pomp', got {scale!r}"))
    if problems:
        raise ValidationError(problems, source="respondent_scores()")
