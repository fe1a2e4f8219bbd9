"""Reading the columns of a pandas, polars or pyarrow table through narwhals."""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from leercultuur.errors import Problem, SurveyError
from leercultuur.survey._cells import Array, Problems

__all__ = ["dataframe_columns"]


def dataframe_columns(df: object) -> tuple[dict[str, Array], int, Problems]:
    """Each column of *df* as a numpy array, the number of rows, and a problem list to go on with.

    :raises SurveyError: *df* is not an eager table, or its column names repeat or are not text.
    """
    import narwhals.stable.v2 as nw
    from narwhals.exceptions import DuplicateError

    problems = Problems()
    try:
        frame = nw.from_native(cast("Any", df), eager_only=True)
    except DuplicateError:
        native = [str(c) for c in getattr(df, "columns", ())]
        for name, count in Counter(native).items():
            if count > 1:
                problems.add((0,), f"column {name!r}", f"appears {count} times")
        problems.raise_if_any(None)
        raise  # pragma: no cover - narwhals found a duplicate we cannot name
    except TypeError:
        message = f"expected a pandas, polars or pyarrow table, got {type(df).__name__}"
        raise SurveyError([Problem("df", message)]) from None
    names: list[Any] = list(frame.columns)
    for name, count in Counter(names).items():
        if count > 1:
            problems.add((0,), f"column {name!r}", f"appears {count} times")
        if not isinstance(name, str):
            problems.add((0,), f"column {name!r}", "column names must be text")
    problems.raise_if_any(None)
    return {name: frame.get_column(name).to_numpy() for name in names}, len(frame), problems
