"""Turning named columns of raw survey data into checked, coded arrays.

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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.errors import Problem, SurveyError
from leercultuur.instruments import Instrument

__all__ = ["MAX_LISTED", "Built", "Problems", "build", "check_tree", "rows_text"]

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


# -- hierarchy ----------------------------------------------------------------------------------


def check_tree(parent: Sequence[int], units: Sequence[str], problems: Problems) -> None:
    """Add a problem for every cycle in the parent pointers."""
    state = [0] * len(units)  # 0 new, 1 on the current path, 2 done
    for start in range(len(units)):
        path: list[int] = []
        node = start
        while node >= 0 and state[node] == 0:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node >= 0 and state[node] == 1:
            cycle = [*path[path.index(node) :], node]
            problems.add((0, 2), "units", "cycle: " + " -> ".join(units[i] for i in cycle))
        for i in path:
            state[i] = 2


@attrs.frozen
class Built:
    """The checked arrays a :class:`~leercultuur.survey.Survey` is made of."""

    codes: npt.NDArray[np.uint8]
    unit_of: npt.NDArray[np.int32]
    units: tuple[str, ...]
    parent: npt.NDArray[np.int32]
    level: tuple[str, ...]
    attributes: Mapping[str, tuple[npt.NDArray[np.int32], tuple[str, ...]]]
    respondent_ids: tuple[str, ...] | None


def _level_cycles(parents: Mapping[str, str], problems: Problems) -> bool:
    for start in parents:
        seen = [start]
        node = start
        while node in parents:
            node = parents[node]
            if node in seen:
                chain = " -> ".join([*seen[seen.index(node) :], node])
                problems.add((0, 1), "parents", f"the levels form a cycle: {chain}")
                return True
            seen.append(node)
    return False


def build(
    columns: Mapping[str, Array],
    n: int,
    *,
    instrument: Instrument,
    unit: str,
    parents: Mapping[str, str] | None,
    attributes: Iterable[str],
    id: str | None,
    ignore: Iterable[str],
    units: Iterable[str] | Mapping[str, str | None] | None,
    source: str | None,
    problems: Problems | None = None,
) -> Built:
    """Check and code the columns; raise one :class:`SurveyError` listing every problem."""
    problems = Problems() if problems is None else problems
    parents = dict(parents or {})
    attributes = tuple(attributes)
    item_ids = instrument.item_ids
    declared: dict[str, str] = {unit: "unit"}
    for child, par in parents.items():
        declared.setdefault(child, "level")
        declared.setdefault(par, "parent")
    for name in attributes:
        declared.setdefault(name, "attribute")
    if id is not None:
        declared.setdefault(id, "id")
    skip = set(ignore)
    for name, role in declared.items():
        if name in item_ids:
            problems.add(
                (0, 0),
                f"column {name!r}",
                f"is an item of {instrument.id}; it cannot also be the {role} column",
            )
    for name in sorted(set(declared) - set(columns)):
        problems.add((0, 0), f"column {name!r}", f"missing (named as the {declared[name]} column)")
    for name in columns:
        if name not in item_ids and name not in declared and name not in skip:
            problems.add(
                (0, 0),
                f"column {name!r}",
                f"not an item of {instrument.id} nor a declared"
                " unit, parent, attribute or id column; pass ignore=[...] to skip it",
            )
    for name in item_ids:
        if name not in columns:
            problems.add((0, 0), f"column {name!r}", f"missing: an item of {instrument.id}")
    if n == 0:
        problems.add((0, 0), "rows", "the data has no respondents")
    cycle = _level_cycles(parents, problems)
    # go on checking whatever is present, so that one error lists every problem
    by_item = np.zeros((len(item_ids), n), dtype=np.uint8)  # filled row by row, contiguous
    lo, hi = instrument.scale.lo, instrument.scale.hi
    for j, item_id in enumerate(item_ids):
        if item_id not in columns:
            continue
        column_codes, bad, describe = parse_item(columns[item_id], lo, hi)
        by_item[j] = column_codes
        for i in bad[:MAX_LISTED]:
            problems.add((1, int(i), j), f"row {int(i) + 1}, item {item_id}", describe(i))
        problems.count_unlisted(f"item {item_id}", max(len(bad) - MAX_LISTED, 0))

    levels_present = unit in columns and all(c in columns for pair in parents.items() for c in pair)
    tree = None
    if levels_present and not cycle:
        tree = _hierarchy(columns, unit, parents, units, problems)
    attrs_out: dict[str, tuple[npt.NDArray[np.int32], tuple[str, ...]]] = {}
    for name in attributes:
        if name in columns:
            attrs_out[name] = factorise_labels(columns[name])
    respondent_ids = None
    if id is not None and id in columns:
        respondent_ids = _ids(columns[id], problems)
    problems.raise_if_any(source)
    assert tree is not None
    unit_of, unit_ids, parent = tree
    return Built(
        codes=np.ascontiguousarray(by_item.T),
        unit_of=unit_of,
        units=unit_ids,
        parent=parent,
        level=tuple(u.partition(":")[0] for u in unit_ids),
        attributes=attrs_out,
        respondent_ids=respondent_ids,
    )


def _ids(values: Array, problems: Problems) -> tuple[str, ...]:
    codes, labels = factorise_labels(values)
    missing = np.flatnonzero(codes < 0)
    if len(missing):
        problems.add((0, 3), rows_text(missing), "missing respondent id")
    counts = np.bincount(codes[codes >= 0], minlength=len(labels))
    dups = np.flatnonzero(counts > 1)[:MAX_LISTED]
    if len(dups):
        rows = np.flatnonzero(np.isin(codes, dups))
        rows = rows[np.argsort(codes[rows], kind="stable")]
        groups = np.split(rows, np.cumsum(counts[dups])[:-1])
        for k, group in zip(dups, groups, strict=True):
            problems.add(
                (1, int(group[0]), -1), rows_text(group), f"duplicate respondent id {labels[k]!r}"
            )
    label_array = np.array(labels, dtype=object) if labels else np.zeros(0, object)
    return tuple(label_array[np.maximum(codes, 0)].tolist()) if len(labels) else ()


def _hierarchy(
    columns: Mapping[str, Array],
    unit: str,
    parents: Mapping[str, str],
    units: Iterable[str] | Mapping[str, str | None] | None,
    problems: Problems,
) -> tuple[npt.NDArray[np.int32], tuple[str, ...], npt.NDArray[np.int32]]:
    levels = [unit, *(c for c in parents if c != unit)]
    levels += [p for p in parents.values() if p not in levels]
    coded = {level: factorise_labels(columns[level]) for level in levels}
    # the set of all unit ids: observed ones, plus the explicitly listed ones
    known: dict[str, str | None] | None = None
    if units is not None:
        known = {}
        listed = units.items() if isinstance(units, Mapping) else ((u, None) for u in units)
        for uid, par in listed:
            for value in (uid, par):
                if value is not None and (not isinstance(value, str) or ":" not in value):
                    problems.add((0, 2), "units", f"expected ids like 'team:ic-1', got {value!r}")
            if isinstance(uid, str):
                known[uid] = par if isinstance(par, str) else None
        if isinstance(units, Mapping):
            for par in list(known.values()):
                if par is not None:
                    known.setdefault(par, None)
    all_ids: set[str] = set(known or ())
    for level, (codes, labels) in coded.items():
        ids = [f"{level}:{lab}" for lab in labels]
        all_ids.update(ids)
        if known is not None:
            for k, uid in enumerate(ids):
                if uid not in known:
                    rows = np.flatnonzero(codes == k)
                    problems.add((1, int(rows[0]), -1), rows_text(rows), f"unknown unit {uid!r}")
    unit_ids = tuple(sorted(all_ids))
    index = {u: i for i, u in enumerate(unit_ids)}
    parent_of: dict[int, dict[int, str | tuple[str, str, int, int]]] = {}
    if isinstance(units, Mapping) and known is not None:
        for uid, par in known.items():
            if par is not None and par in index:
                parent_of.setdefault(index[uid], {})[index[par]] = "in units"
    missing = np.flatnonzero(coded[unit][0] < 0)
    if len(missing):
        problems.add((0, 3), rows_text(missing), f"missing value in unit column {unit!r}")
    for child, par in parents.items():
        c_codes, c_labels = coded[child]
        p_codes, p_labels = coded[par]
        gap = np.flatnonzero((c_codes >= 0) & (p_codes < 0))
        if len(gap):
            problems.add((0, 3), rows_text(gap), f"missing value in parent column {par!r}")
        both = (c_codes >= 0) & (p_codes >= 0)
        width = max(len(p_labels), 1)
        keys = np.unique(c_codes[both].astype(np.int64) * width + p_codes[both])
        for c, p in zip((keys // width).tolist(), (keys % width).tolist(), strict=True):
            ci = index[f"{child}:{c_labels[c]}"]
            parent_of.setdefault(ci, {})[index[f"{par}:{p_labels[p]}"]] = (child, par, c, p)
    parent = np.full(len(unit_ids), -1, dtype=np.int32)
    for ci, found in parent_of.items():
        if len(found) > 1:
            where = "; ".join(
                f"{unit_ids[p]!r} ({_source(src, coded)})" for p, src in sorted(found.items())
            )
            problems.add((0, 4), f"unit {unit_ids[ci]!r}", f"is under two parents: {where}")
        parent[ci] = min(found)
    check_tree(parent.tolist(), unit_ids, problems)
    u_codes, u_labels = coded[unit]
    to_global = np.array([index[f"{unit}:{lab}"] for lab in u_labels] or [0], dtype=np.int32)
    unit_of = np.where(u_codes >= 0, to_global[np.maximum(u_codes, 0)], 0).astype(np.int32)
    return unit_of, unit_ids, parent


def _source(
    src: str | tuple[str, str, int, int],
    coded: Mapping[str, tuple[npt.NDArray[np.int32], tuple[str, ...]]],
) -> str:
    """Where a parent link comes from: the explicit unit list, or the rows that state it."""
    if isinstance(src, str):
        return src
    child, par, c, p = src
    rows = np.flatnonzero((coded[child][0] == c) & (coded[par][0] == p))
    return rows_text(rows)
