"""Checking and coding single columns: answers to uint8 codes, labels to int32 codes.

Validation is vectorised: a numeric column is checked with whole-array numpy
operations, and a column of Python objects (rows, CSV text) is factorised so
that each *distinct* value is classified once. Messages are built only for the
bad cells, and at most :data:`MAX_LISTED` of them are spelt out; the rest are
counted per item. No message quotes a valid answer.
"""

from __future__ import annotations

import decimal
import math
import numbers
import re
from typing import Any

import numpy as np
import numpy.typing as npt

from leercultuur.errors import Problem, SurveyError

__all__ = ["MAX_LISTED", "Array", "Problems", "factorise_labels", "parse_item", "rows_text"]

MAX_LISTED = 1000
"""At most this many cell problems are spelt out one by one; the rest are counted per item."""

_INT_TEXT = re.compile(r"^\s*([+-]?[0-9]+)([.,]0*)?\s*$")
"""Text read as a whole number: ``"4"``, ``" 4 "``, and ``"4.0"`` or ``"4,0"`` as spreadsheets
write whole numbers in a column that also holds blanks."""

Array = npt.NDArray[Any]


class Problems:
    """Collects located problems, each with a sort key, and counts the ones not spelt out."""

    def __init__(self) -> None:
        self.found: list[tuple[tuple[int, ...], Problem]] = []
        self.unlisted: dict[str, int] = {}

    def add(self, key: tuple[int, ...], location: str, message: str) -> None:
        """Record one problem; *key* orders it (column problems first, then by row)."""
        self.found.append((key, Problem(location, message)))

    def count_unlisted(self, what: str, count: int) -> None:
        """Record *count* further problems of kind *what* that are not spelt out."""
        if count:
            self.unlisted[what] = self.unlisted.get(what, 0) + count

    def __bool__(self) -> bool:
        return bool(self.found or self.unlisted)

    def raise_if_any(self, source: str | None) -> None:
        """Raise one :class:`SurveyError` listing every problem, or return if there are none."""
        if not self:
            return
        ordered = [p for _, p in sorted(self.found, key=lambda kp: kp[0])]
        extra = len(ordered) - MAX_LISTED
        if extra > 0:
            ordered = ordered[:MAX_LISTED]
            self.count_unlisted("further problems", extra)
        for what, count in self.unlisted.items():
            ordered.append(Problem(what, f"{count} more problems of this kind, not listed"))
        raise SurveyError(ordered, source=source)


def rows_text(index: npt.NDArray[np.intp], limit: int = 5) -> str:
    """Name 0-based row positions as 1-based rows: ``row 4`` or ``rows 4, 9 and 12 more``."""
    shown = ", ".join(str(int(i) + 1) for i in index[:limit])
    more = len(index) - limit
    word = "row" if len(index) == 1 else "rows"
    return f"{word} {shown}" + (f" and {more} more" if more > 0 else "")


def _short(value: object) -> str:
    try:
        text = repr(value.item() if isinstance(value, np.generic) else value)
    except ValueError:  # an int past Python's digit limit for str()
        return "a number too long to show"
    return text if len(text) <= 40 else text[:37] + "..."


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return type(value).__name__ in ("NAType", "NaTType")


def _key(value: object) -> object:
    try:
        hash(value)
    except TypeError:
        return (type(value), id(value))
    return (type(value), value)


def _factorise_objects(values: Array) -> tuple[npt.NDArray[np.intp], list[object]]:
    """Map each cell to the index of its distinct value; one dict lookup per cell."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if len(kinds) <= 1:  # one type: plain equality cannot merge 1 with 1.0 or True
        fast: dict[object, int] = {}
        try:
            inverse = np.fromiter(
                (fast.setdefault(v, len(fast)) for v in values), dtype=np.intp, count=len(values)
            )
        except TypeError:  # unhashable values: take the careful path
            pass
        else:
            return inverse, list(fast)
    lookup: dict[object, int] = {}
    uniques: list[object] = []

    def code(value: object) -> int:
        key = _key(value)
        found = lookup.get(key)
        if found is None:
            found = lookup[key] = len(uniques)
            uniques.append(value)
        return found

    inverse = np.fromiter(map(code, values), dtype=np.intp, count=len(values))
    return inverse, uniques


# -- item columns -------------------------------------------------------------------------------


def _classify(value: object, lo: int, hi: int) -> tuple[int, str | None]:
    """Return (code, problem) for one distinct answer: code 0 = missing, 1..A = answer."""
    if _is_missing(value):
        return 0, None
    number: int | None = None
    if isinstance(value, bool | np.bool_):
        number = None
    elif isinstance(value, int | np.integer):
        number = int(value)
    elif isinstance(value, float | np.floating | decimal.Decimal | numbers.Rational):
        if math.isfinite(value) and float(value).is_integer():
            number = int(float(value))
    elif isinstance(value, str):
        match = _INT_TEXT.match(value)
        if match and len(match.group(1)) > 40:
            return 0, f"{_short(value)} is outside {lo}..{hi}"
        number = int(match.group(1)) if match else None
    if number is None:
        return 0, f"expected a whole number {lo}..{hi}, got {_short(value)}"
    if not lo <= number <= hi:
        return 0, f"{_short(number)} is outside {lo}..{hi}"
    return number - lo + 1, None


def _numeric_message(value: object, lo: int, hi: int) -> str:
    if isinstance(value, np.bool_ | bool):
        return f"expected a whole number {lo}..{hi}, got {_short(value)}"
    number = float(value)  # type: ignore[arg-type]
    if math.isfinite(number) and number.is_integer():
        return f"{_short(int(number))} is outside {lo}..{hi}"
    return f"expected a whole number {lo}..{hi}, got {_short(value)}"


def parse_item(values: Array, lo: int, hi: int) -> tuple[npt.NDArray[np.uint8], Array, Any]:
    """Code one item column: (uint8 codes, positions of bad cells, message for position i)."""
    kind = values.dtype.kind
    if kind in "iu":
        if kind == "u" and values.dtype.itemsize >= 8:
            ints = np.minimum(values, np.uint64(2**62)).astype(np.int64)
        else:
            ints = values.astype(np.int64, copy=False)
        out = (ints < lo) | (ints > hi)
        if out.any():
            codes = np.where(out, 0, ints - (lo - 1)).astype(np.uint8)
            bad = np.flatnonzero(out)
        else:  # the common case: every answer valid
            codes = (ints - (lo - 1)).astype(np.uint8)
            bad = np.zeros(0, np.intp)
        return codes, bad, lambda i: _numeric_message(values[i], lo, hi)
    if kind == "f":
        present = ~np.isnan(values)
        with np.errstate(invalid="ignore"):
            ok = present & (values >= lo) & (values <= hi) & (values == np.floor(values))
            codes = np.where(ok, values - (lo - 1), 0).astype(np.uint8)
        bad = np.flatnonzero(present & ~ok)
        return codes, bad, lambda i: _numeric_message(values[i], lo, hi)
    if kind == "b":
        bad = np.arange(len(values))
        return np.zeros(len(values), np.uint8), bad, lambda i: _numeric_message(values[i], lo, hi)
    if kind == "U":
        uniques_u, inverse = np.unique(values, return_inverse=True)
        uniques: list[object] = [str(u) for u in uniques_u]
    else:
        inverse, uniques = _factorise_objects(values.astype(object, copy=False))
    table = [_classify(u, lo, hi) for u in uniques]
    code_table = np.array([c for c, _ in table], dtype=np.uint8)
    bad_table = np.array([m is not None for _, m in table], dtype=bool)
    messages = [m for _, m in table]
    bad = np.flatnonzero(bad_table[inverse]) if bad_table.any() else np.zeros(0, np.intp)
    return code_table[inverse], bad, lambda i: messages[int(inverse[i])]


# -- label columns (units, attributes, ids) ------------------------------------------------------


def _label(value: object) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.generic):
        return str(value.item())
    return str(value).strip()


def factorise_labels(values: Array) -> tuple[npt.NDArray[np.int32], tuple[str, ...]]:
    """Code a column of labels: int32 codes into sorted labels, -1 where the value is missing."""
    if values.dtype.kind in "iub":
        uniques_n, inverse = np.unique(values, return_inverse=True)
        labels = [_label(u) for u in uniques_n]
        missing = np.zeros(len(uniques_n), bool)
    else:
        inverse, uniques = _factorise_objects(values.astype(object, copy=False))
        missing = np.array([_is_missing(u) for u in uniques], dtype=bool)
        labels = ["" if m else _label(u) for u, m in zip(uniques, missing, strict=True)]
    # merge distinct raw values with the same label (e.g. 3 and "3"), sort the labels
    distinct = sorted({lab for lab, m in zip(labels, missing, strict=True) if not m})
    position = {lab: i for i, lab in enumerate(distinct)}
    remap = np.array(
        [-1 if m else position[lab] for lab, m in zip(labels, missing, strict=True)] or [-1],
        dtype=np.int32,
    )
    return remap[inverse], tuple(distinct)
