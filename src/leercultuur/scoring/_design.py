"""The cells a report can publish, as unions of base cells, and their parent/child relations.

A *base cell* is a respondent's own unit combined with their value on every cross-cut (or
"unknown"). Published cells are: every unit (all respondents of its subtree), every
unit x attribute value, and, when the hierarchy has several roots, ``all`` and every attribute
value over everyone.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import overload

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.errors import ValidationError
from leercultuur.scoring.disclosure import Relation, flatten_relations

__all__ = ["Cells", "Design", "build_cells"]

_I = npt.NDArray[np.int64]


@attrs.frozen(eq=False)
class Design:
    """The hierarchy and cross-cuts that define base-cell keys ``unit * radix + digits``."""

    units: tuple[str, ...]
    parent: tuple[int, ...]
    level: tuple[str, ...]
    attributes: tuple[tuple[str, tuple[str, ...]], ...]
    parent_array: npt.NDArray[np.intp] | None = attrs.field(default=None, repr=False)
    """``parent`` as an array, when the caller has one (saves converting a long tuple)."""

    @property
    def radix(self) -> int:
        """The number of attribute-digit combinations per unit."""
        out = 1
        for _name, labels in self.attributes:
            out *= len(labels) + 1
        return out

    def multipliers(self) -> tuple[int, ...]:
        """The place value of each attribute's digit in a base key."""
        mult, out = 1, []
        for _name, labels in reversed(self.attributes):
            out.append(mult)
            mult *= len(labels) + 1
        return tuple(reversed(out))

    def base_keys(
        self, unit_of: npt.NDArray[np.int32], codes: Sequence[npt.NDArray[np.int32]]
    ) -> _I:
        """Each respondent's base-cell key."""
        key = unit_of.astype(np.int64)
        radix = self.radix
        if radix != 1:
            key *= radix
        for mult, attr in zip(self.multipliers(), codes, strict=True):
            key += (attr.astype(np.int64) + 1) * mult
        return key

    def check_same(self, other: Design) -> None:
        """Raise unless *other* describes the same units, hierarchy and cross-cuts."""
        if (self.units, self.parent, self.attributes) != (
            other.units,
            other.parent,
            other.attributes,
        ):
            raise ValidationError.single(
                "survey", "the parts to merge have different units, hierarchy or cross-cuts"
            )


class Runs(Sequence[npt.NDArray[np.intp]]):
    """Each cell's member base cells, sliced on demand from the sorted membership pairs."""

    __slots__ = ("_bounds", "_values")

    def __init__(self, values: npt.NDArray[np.intp], bounds: list[int]) -> None:
        self._values = values
        self._bounds = bounds

    def __len__(self) -> int:
        return len(self._bounds) - 1

    @overload
    def __getitem__(self, i: int) -> npt.NDArray[np.intp]: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[npt.NDArray[np.intp]]: ...
    def __getitem__(self, i: int | slice) -> npt.NDArray[np.intp] | Sequence[npt.NDArray[np.intp]]:
        if isinstance(i, slice):
            return [self[t] for t in range(*i.indices(len(self)))]
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        i %= n
        return self._values[self._bounds[i] : self._bounds[i + 1]]


@attrs.frozen(eq=False)
class Cells:
    """Every publishable cell: ids, kinds, member base cells and relations."""

    ids: tuple[str, ...]
    unit: npt.NDArray[np.intp]  # the unit of the cell, -1 for 'all' and attribute margins
    members: Sequence[npt.NDArray[np.intp]]
    pair_cell: npt.NDArray[np.intp]  # (cell, base) membership pairs sorted by cell
    pair_base: npt.NDArray[np.intp]
    relations: tuple[Relation, ...]
    index: Mapping[str, int]
    relation_arrays: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]
    plan: tuple[npt.NDArray[np.intp], ...]  # _reduce_plan of the pairs that tree leaves out
    fanout: int  # the most cells one base cell belongs to (1 if there are no pairs)
    tree: _Tree | None = None  # unit cells summed up the hierarchy (see _tree_plan)

    def reduce(
        self, values: npt.NDArray[np.int64], *, consume: bool = False
    ) -> npt.NDArray[np.int64]:
        """Sum per-base-cell *values* (first axis) into per-cell sums (exact integer sums).

        With ``consume=True`` *values* may be overwritten (and returned) instead of copied.
        """
        own = self.tree[0] if self.tree is not None else None
        in_place = (
            consume
            and self.tree is not None
            and own is None
            and values.shape[0] == len(self.ids)
            and values.flags.writeable
        )
        out = (
            values if in_place else np.zeros((len(self.ids), *values.shape[1:]), dtype=values.dtype)
        )
        if self.pair_cell.size == 0:
            return out
        if self.tree is not None:
            # a unit's cell: its own base cells plus its children's cells, deepest level first
            own, steps = self.tree
            if in_place:
                pass  # base cell u is unit u: the units' own sums are in place
            elif own is None:
                out[: values.shape[0]] = values
            else:
                out[own[0]] = np.add.reduceat(values, own[1], axis=0)
            for kids, starts, parents in steps:
                out[parents] += np.add.reduceat(out[kids], starts, axis=0)
        one_cell, one_base, many_cell, many_base, many_starts = self.plan
        # a cell with one base cell copies it; the others sum their runs (exact integer sums)
        out[one_cell] = np.take(values, one_base, axis=0)
        if many_starts.size:
            out[many_cell] = np.add.reduceat(
                np.take(values, many_base, axis=0), many_starts, axis=0
            )
        return out


_Tree = tuple[
    "tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None",
    "list[tuple[slice | npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]]",
]


def _tree_plan(
    parent: npt.NDArray[np.intp], anc: npt.NDArray[np.intp], base_unit: npt.NDArray[np.intp]
) -> _Tree:
    """How :meth:`Cells.reduce` sums the unit cells level by level up the hierarchy.

    *anc* holds each unit's ancestors (itself first, padded with -1), *base_unit* each
    (sorted) base cell's unit. Returns how a unit's own base cells are summed (``None``: base
    cell ``u`` is unit ``u``) and, deepest level first, each level's units grouped by parent
    (a slice when they are consecutive), the group starts and the parents.
    """
    n_units = parent.shape[0]
    own: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None = None
    if base_unit.shape[0] != n_units or not np.array_equal(base_unit, np.arange(n_units)):
        starts = np.flatnonzero(np.diff(base_unit, prepend=-1))
        own = (base_unit[starts], starts)
    depth = (anc >= 0).sum(axis=1) - 1
    steps: list[tuple[slice | npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]]
    steps = []
    for level in range(int(depth.max(initial=0)), 0, -1):
        kids = np.flatnonzero(depth == level)
        kids = kids[np.argsort(parent[kids], kind="stable")]
        par = parent[kids]
        starts = np.flatnonzero(np.diff(par, prepend=-1))
        run = int(kids[-1]) - int(kids[0]) + 1 == kids.size and bool((np.diff(kids) == 1).all())
        steps.append((slice(int(kids[0]), int(kids[-1]) + 1) if run else kids, starts, par[starts]))
    return own, steps


def _reduce_plan(
    pair_cell: npt.NDArray[np.intp], pair_base: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.intp], ...]:
    """Cells with one member pair (cell, base) and the others' pairs with their run starts."""
    starts = np.flatnonzero(np.diff(pair_cell, prepend=-1))
    if starts.size < 256:  # few cells: one run per cell costs less than splitting them
        none = np.zeros(0, dtype=np.intp)
        return none, none, pair_cell[starts], pair_base, starts
    length = np.diff(starts, append=pair_cell.size)
    one = length == 1
    one_at = starts[one]
    many = np.repeat(~one, length)
    many_starts = np.flatnonzero(np.diff(pair_cell[many], prepend=-1))
    return (
        pair_cell[one_at], pair_base[one_at], pair_cell[starts[~one]], pair_base[many],
        many_starts,
    )  # fmt: skip


def build_cells(design: Design, keys: _I) -> Cells:
    """Build the publishable cells over the base cells *keys* (sorted base-cell keys)."""
    if len(design.units) <= _SMALL_UNITS and keys.size <= _SMALL_UNITS:
        chains = _chains(design)
        depth = max((len(c) for c in chains), default=1)
        if keys.size * (depth + 1) * (1 + 2 * len(design.attributes)) <= _SMALL_PAIRS:
            return _build_cells_small(design, keys, chains)
    n_units = len(design.units)
    radix = design.radix
    base_unit = (keys // radix).astype(np.intp)
    # ancestors (self first) of each unit, padded with -1
    parent = (
        design.parent_array
        if design.parent_array is not None
        else np.asarray(design.parent, dtype=np.intp).reshape(-1)
    )
    cols = [np.arange(max(n_units, 1), dtype=np.intp)]
    if n_units == 0:
        cols[0][:] = -1
    while True:
        prev = cols[-1]
        nxt = np.where(prev >= 0, parent[np.maximum(prev, 0)] if n_units else -1, -1)
        if not (nxt >= 0).any() or len(cols) > n_units:
            break
        cols.append(nxt.astype(np.intp))
    depth = len(cols)
    anc = np.stack(cols, axis=1)
    roots: list[int] = np.flatnonzero(parent < 0).tolist()
    multi = len(roots) > 1

    ids: list[str] = list(design.units)
    cell_unit: list[int] = []  # of the cells after the units
    pc: list[npt.NDArray[np.intp]] = []
    pb: list[npt.NDArray[np.intp]] = []
    nb = keys.size
    base_idx = np.arange(nb, dtype=np.intp)
    a_b = anc[base_unit] if nb else np.zeros((0, depth), dtype=np.intp)
    for d in range(depth):
        ok = a_b[:, d] >= 0
        pc.append(a_b[ok, d])
        pb.append(base_idx[ok])
    children: dict[int, list[int]] = {}
    has_parent = np.flatnonzero(parent >= 0)
    by_parent = has_parent[np.argsort(parent[has_parent], kind="stable")]
    par_sorted = parent[by_parent]
    cut_at = np.flatnonzero(np.diff(par_sorted, prepend=-1))
    if has_parent.size:
        cut = [*cut_at.tolist(), by_parent.size]
        kids_sorted = by_parent.tolist()
        for a, b in itertools.pairwise(cut):
            children[int(par_sorted[a])] = kids_sorted[a:b]
    relations: list[Relation] = [Relation(u, tuple(kids)) for u, kids in sorted(children.items())]
    # the hierarchy's relations as flatten_relations lists them, without a Python loop
    tree_rel = (
        par_sorted[cut_at],
        np.repeat(np.arange(cut_at.size, dtype=np.intp), np.diff(cut_at, append=by_parent.size)),
        by_parent,
    )
    all_cell = -1
    if multi:
        all_cell = len(ids)
        ids.append("all")
        cell_unit.append(-1)
        pc.append(np.full(nb, all_cell, dtype=np.intp))
        pb.append(base_idx)
        relations.append(Relation(all_cell, tuple(roots)))
    for (name, labels), mult in zip(design.attributes, design.multipliers(), strict=True):
        digit = ((keys // mult) % (len(labels) + 1)).astype(np.intp)
        known = digit > 0
        # unit x value cells, only for combinations with members
        combo = a_b * (len(labels) + 1) + digit[:, None]
        valid = (a_b >= 0) & known[:, None]
        present = np.unique(combo[valid])
        first = len(ids)
        lookup = {int(c): first + i for i, c in enumerate(present.tolist())}
        for c in present.tolist():
            u, v = divmod(int(c), len(labels) + 1)
            ids.append(f"{design.units[u]} | {name}={labels[v - 1]}")
            cell_unit.append(u)
        if present.size:
            pos = np.searchsorted(present, combo[valid]) + first
            pc.append(pos.astype(np.intp))
            pb.append(np.broadcast_to(base_idx[:, None], combo.shape)[valid])
        by_unit: dict[int, list[int]] = {}
        for c, cell in lookup.items():
            u, v = divmod(c, len(labels) + 1)
            by_unit.setdefault(u, []).append(cell)
            kids = [
                lookup[k * (len(labels) + 1) + v]
                for k in children.get(u, [])
                if k * (len(labels) + 1) + v in lookup
            ]
            relations.append(Relation(cell, tuple(kids)))
        for u, cells in sorted(by_unit.items()):
            relations.append(Relation(u, tuple(cells)))
        if multi:
            margins = []
            for v in range(1, len(labels) + 1):
                if not (known & (digit == v)).any():
                    continue
                cell = len(ids)
                ids.append(f"{name}={labels[v - 1]}")
                cell_unit.append(-1)
                margins.append(cell)
                sel = digit == v
                pc.append(np.full(int(sel.sum()), cell, dtype=np.intp))
                pb.append(base_idx[sel])
                kids = [
                    lookup[r * (len(labels) + 1) + v]
                    for r in roots
                    if r * (len(labels) + 1) + v in lookup
                ]
                relations.append(Relation(cell, tuple(kids)))
            relations.append(Relation(all_cell, tuple(margins)))
    pair_cell = np.concatenate(pc) if pc else np.zeros(0, np.intp)
    pair_base = np.concatenate(pb) if pb else np.zeros(0, np.intp)
    order = np.argsort(pair_cell, kind="stable")
    pair_cell = pair_cell[order]
    pair_base = pair_base[order]
    bounds = np.searchsorted(pair_cell, np.arange(len(ids) + 1)).tolist()
    members = Runs(pair_base, bounds)
    # unit cells are summed up the tree; the other cells from their membership pairs
    tree = _tree_plan(parent, anc, base_unit) if n_units and nb else None
    rest = bounds[n_units] if tree is not None else 0
    later = flatten_relations(relations[len(children) :])
    rel_arrays = (
        np.concatenate([tree_rel[0], later[0]]),
        np.concatenate([tree_rel[1], later[1] + len(children)]),
        np.concatenate([tree_rel[2], later[2]]),
    )
    return Cells(
        tuple(ids),
        np.concatenate([np.arange(n_units, dtype=np.intp), np.asarray(cell_unit, np.intp)]),
        members,
        pair_cell,
        pair_base,
        tuple(relations),
        dict(zip(ids, range(len(ids)), strict=True)),
        rel_arrays,
        _reduce_plan(pair_cell[rest:], pair_base[rest:]),
        int(np.bincount(pair_base).max()) if pair_base.size else 1,
        tree,
    )


_SMALL_UNITS = 2048
_SMALL_PAIRS = 8192
"""Designs with at most this many (cell, base cell) pairs are built in plain Python."""


def _chains(design: Design) -> list[list[int]]:
    """Each unit's ancestors, itself first (at most one more than the number of units)."""
    parent = design.parent
    n_units = len(parent)
    chains: list[list[int]] = []
    for u in range(n_units):
        chain = [u]
        p = parent[u]
        while p >= 0 and len(chain) <= n_units:
            chain.append(p)
            p = parent[p]
        chains.append(chain)
    return chains


def _build_cells_small(design: Design, keys: _I, chains: list[list[int]]) -> Cells:
    """:func:`build_cells` in plain Python for a small design: the same cells, in the same order.

    Per cell, the member base cells come in the order the array version lists them (by
    distance in the hierarchy, then by base cell), and the relations in the same order.
    """
    n_units = len(design.units)
    radix = design.radix
    parent = design.parent
    key_list: list[int] = keys.tolist()
    nb = len(key_list)
    base_unit = [k // radix for k in key_list]
    base_chain = [chains[u] for u in base_unit]
    own: list[list[int]] = [[] for _ in range(n_units)]  # each unit's base cells, ascending
    for b, u in enumerate(base_unit):
        own[u].append(b)
    depth = max((len(chains[u]) for u in range(n_units) if own[u]), default=1)
    roots = [u for u in range(n_units) if parent[u] < 0]
    multi = len(roots) > 1
    ids: list[str] = list(design.units)
    cell_unit: list[int] = list(range(n_units))
    members: list[list[int]] = [[] for _ in range(n_units)]
    # by distance, then base cell: the sorted base cells of the units in ascending order
    for d in range(depth):
        for u, chain in enumerate(chains):
            if d < len(chain) and own[u]:
                members[chain[d]] += own[u]
    children: dict[int, list[int]] = {}
    for u in range(n_units):
        if parent[u] >= 0:
            children.setdefault(parent[u], []).append(u)
    relations = [Relation(u, tuple(children[u])) for u in sorted(children)]
    all_cell = -1
    if multi:
        all_cell = len(ids)
        ids.append("all")
        cell_unit.append(-1)
        members.append(list(range(nb)))
        relations.append(Relation(all_cell, tuple(roots)))
    for (name, labels), mult in zip(design.attributes, design.multipliers(), strict=True):
        width = len(labels) + 1
        digits = [(k // mult) % width for k in key_list]
        combos: dict[int, list[int]] = {}
        for b, (chain, v) in enumerate(zip(base_chain, digits, strict=True)):
            if v:
                for a in chain:
                    combos.setdefault(a * width + v, []).append(b)
        first = len(ids)
        lookup: dict[int, int] = {}
        for i, c in enumerate(sorted(combos)):
            lookup[c] = first + i
            u, v = divmod(c, width)
            ids.append(f"{design.units[u]} | {name}={labels[v - 1]}")
            cell_unit.append(u)
            members.append(combos[c])
        by_unit: dict[int, list[int]] = {}
        for c, cell in lookup.items():
            u, v = divmod(c, width)
            by_unit.setdefault(u, []).append(cell)
            below = children.get(u)
            kids = (
                tuple(lookup[k * width + v] for k in below if k * width + v in lookup)
                if below
                else ()
            )
            relations.append(Relation(cell, kids))
        for u in sorted(by_unit):
            relations.append(Relation(u, tuple(by_unit[u])))
        if multi:
            margins = []
            for v in range(1, width):
                sel = [b for b, dv in enumerate(digits) if dv == v]
                if not sel:
                    continue
                cell = len(ids)
                ids.append(f"{name}={labels[v - 1]}")
                cell_unit.append(-1)
                margins.append(cell)
                members.append(sel)
                tops = tuple(lookup[r * width + v] for r in roots if r * width + v in lookup)
                relations.append(Relation(cell, tops))
            relations.append(Relation(all_cell, tuple(margins)))
    lengths = [len(m) for m in members]
    bounds = [0, *itertools.accumulate(lengths)]
    run_cells = [c for c, size in enumerate(lengths) if size]
    starts = [bounds[c] for c in run_cells]
    pair_base = np.asarray(list(itertools.chain.from_iterable(members)), dtype=np.intp)
    pair_cell = np.repeat(np.arange(len(members), dtype=np.intp), lengths)
    plan: tuple[npt.NDArray[np.intp], ...]
    if len(starts) < 256:  # as _reduce_plan decides
        none = np.zeros(0, dtype=np.intp)
        plan = (
            none, none, np.asarray(run_cells, dtype=np.intp), pair_base,
            np.asarray(starts, dtype=np.intp),
        )  # fmt: skip
    else:
        plan = _reduce_plan(pair_cell, pair_base)
    return Cells(
        tuple(ids),
        np.asarray(cell_unit, dtype=np.intp),
        Runs(pair_base, bounds),
        pair_cell,
        pair_base,
        tuple(relations),
        dict(zip(ids, range(len(ids)), strict=True)),
        flatten_relations(relations),
        plan,
        int(np.bincount(pair_base).max()) if pair_base.size else 1,
    )
