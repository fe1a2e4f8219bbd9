"""Turning named columns of raw survey data into a checked survey: columns, cells, hierarchy.

Cells are checked by :mod:`leercultuur.survey._cells`; this module checks the
columns against the instrument and the declared unit, parent, attribute and id
columns, and builds the unit hierarchy. Every problem is collected and raised
at once in one :class:`~leercultuur.errors.SurveyError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.instruments import Instrument
from leercultuur.survey._cells import (
    MAX_LISTED,
    Array,
    Problems,
    factorise_labels,
    parse_item,
    rows_text,
)

__all__ = ["Built", "CrossCuts", "build", "check_tree"]

CrossCuts = Iterable[str] | Mapping[str, Iterable[str] | None]
"""Cross-cut columns by name, or a mapping of name to its declared values (``None``: any)."""


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
    attributes: CrossCuts,
    id: str | None,
    ignore: Iterable[str],
    units: Iterable[str] | Mapping[str, str | None] | None,
    source: str | None,
    problems: Problems | None = None,
) -> Built:
    """Check and code the columns; raise one :class:`SurveyError` listing every problem."""
    problems = Problems() if problems is None else problems
    parents = dict(parents or {})
    known = _known_values(attributes, problems)
    attributes = tuple(known)
    ignore = (ignore,) if isinstance(ignore, str) else ignore
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
            attrs_out[name] = _cross_cut(name, columns[name], known[name], problems)
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


def _known_values(attributes: CrossCuts, problems: Problems) -> dict[str, tuple[str, ...] | None]:
    """Each cross-cut column's declared values (sorted), or ``None`` to take them from the data."""
    if isinstance(attributes, str):
        return {attributes: None}
    if not isinstance(attributes, Mapping):
        return dict.fromkeys(attributes)
    out: dict[str, tuple[str, ...] | None] = {}
    for name, values in attributes.items():
        if values is None:
            out[name] = None
            continue
        labels = [values] if isinstance(values, str) else list(values)
        bad = [v for v in labels if not isinstance(v, str) or not v.strip()]
        if bad or not labels:
            problems.add(
                (0, 0), f"attributes[{name!r}]", "expected the column's values as non-empty text"
            )
        out[name] = tuple(sorted({v.strip() for v in labels if isinstance(v, str)}))
    return out


def _cross_cut(
    name: str, values: Array, known: tuple[str, ...] | None, problems: Problems
) -> tuple[npt.NDArray[np.int32], tuple[str, ...]]:
    """Code a cross-cut column; with declared *known* values, a value outside them is a problem.

    Declaring the values gives every chunk of a survey read in parts the same cross-cuts, so
    their summaries can be added.
    """
    codes, labels = factorise_labels(values)
    if known is None:
        return codes, labels
    position = {label: i for i, label in enumerate(known)}
    remap = np.array([position.get(label, -2) for label in labels] + [-1], dtype=np.int32)
    for at in np.flatnonzero(remap[:-1] == -2).tolist():
        rows = np.flatnonzero(codes == at)
        problems.add(
            (1, int(rows[0]), -1),
            f"{rows_text(rows)}, column {name!r}",
            f"{labels[at]!r} is not one of the declared values {list(known)}",
        )
    coded: npt.NDArray[np.int32] = remap[codes]  # a missing value's code -1 picks the last -1
    return coded, known


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
