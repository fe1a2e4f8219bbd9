"""The cells a report can publish, as unions of base cells, and their parent/child relations.

A *base cell* is a respondent's own unit combined with their value on every cross-cut (or
"unknown"). Published cells are: every unit (all respondents of its subtree), every
unit x attribute value, and, when the hierarchy has several roots, ``all`` and every attribute
value over everyone.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import overload

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.errors import ValidationError
from leercultuur.scoring.disclosure import RelationPair

__all__ = ["Cells", "Design", "Runs", "small_relations"]

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
        """Each respondent's base-cell key ``unit * radix + sum((code + 1) * mult)``."""
        mults = self.multipliers()
        key = np.multiply(unit_of, self.radix, dtype=np.int64)
        for mult, attr in zip(mults, codes, strict=True):
            key += np.multiply(attr, mult, dtype=np.int64)
        if mults:
            key += sum(mults)  # every attribute's code + 1
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
    """Every publishable cell: ids, kinds, member base cells and relations.

    The relations may be given as a function that makes them (and their arrays): they are
    made on first reading, once (only the disclosure check's slower paths read them).
    """

    ids: tuple[str, ...]
    unit: npt.NDArray[np.intp]  # the unit of the cell, -1 for 'all' and attribute margins
    members: Sequence[npt.NDArray[np.intp]]
    pair_cell: npt.NDArray[np.intp]  # (cell, base) membership pairs sorted by cell
    pair_base: npt.NDArray[np.intp]
    _relate: _Relations | Callable[[], _Relations]
    index: Mapping[str, int]
    plan: tuple[npt.NDArray[np.intp], ...]  # _reduce_plan of the pairs that tree leaves out
    fanout: int  # the most cells one base cell belongs to (1 if there are no pairs)
    tree: _Tree | None = None  # unit cells summed up the hierarchy (see _build._tree_plan)
    base_unit: npt.NDArray[np.intp] | None = None  # each base cell's unit, when known
    _made: dict[str, object] = attrs.field(factory=dict, init=False)

    def _relations(self) -> _Relations:
        if callable(self._relate):
            if "relate" not in self._made:
                self._made["relate"] = self._relate()
            return self._made["relate"]  # type: ignore[return-value]
        return self._relate

    @property
    def relations(self) -> tuple[RelationPair, ...]:
        """The parent/children relations as ``(parent, children)`` pairs."""
        return self._relations()[0]

    @property
    def relation_arrays(self) -> RelationArrays:
        """The relations as :func:`~leercultuur.scoring.disclosure.flatten_relations` gives them."""
        return self._relations()[1]

    def get_relation_arrays(self) -> RelationArrays:
        """:attr:`relation_arrays` (a function to hand on, called only if they are needed)."""
        return self._relations()[1]

    @property
    def lazy_relations(self) -> Sequence[RelationPair]:
        """:attr:`relations`, or a sequence that makes them when first read (if not made yet)."""
        if callable(self._relate) and "relate" not in self._made:
            return _LazyRelations(self)
        return self.relations

    def reduce(
        self, values: npt.NDArray[np.int64], *, consume: bool = False
    ) -> npt.NDArray[np.int64]:
        """Sum per-base-cell *values* (first axis) into per-cell sums (exact integer sums).

        With ``consume=True`` *values* may be overwritten (and returned) instead of copied.
        """
        one_cell, one_base, many_cell, many_base, many_starts = self.plan
        if (
            self.tree is None
            and not one_cell.size
            and many_cell.size == len(self.ids)
            and self.pair_cell.size
        ):
            # every cell is one run of pairs (the runs' cells ascend): the runs' sums are all
            return np.add.reduceat(np.take(values, many_base, axis=0), many_starts, axis=0)
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
        # a cell with one base cell copies it; the others sum their runs (exact integer sums)
        if one_cell.size:
            out[one_cell] = np.take(values, one_base, axis=0)
        if many_starts.size:
            out[many_cell] = np.add.reduceat(
                np.take(values, many_base, axis=0), many_starts, axis=0
            )
        return out


class _LazyRelations(Sequence[RelationPair]):
    """A :class:`Cells`' relations, made on the first ``len`` or index."""

    __slots__ = ("_cells", "_made")

    def __init__(self, cells: Cells) -> None:
        self._cells = cells
        self._made: tuple[RelationPair, ...] | None = None

    def _relations(self) -> tuple[RelationPair, ...]:
        if self._made is None:
            self._made = self._cells.relations
        return self._made

    def __len__(self) -> int:
        return len(self._relations())

    @overload
    def __getitem__(self, i: int) -> RelationPair: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[RelationPair]: ...
    def __getitem__(self, i: int | slice) -> RelationPair | Sequence[RelationPair]:
        return self._relations()[i]


RelationArrays = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]
_Relations = tuple[tuple[RelationPair, ...], RelationArrays]
_Tree = tuple[
    "tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None",
    "list[tuple[slice | npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]]",
]


def small_relations(
    children: dict[int, list[int]],
    roots: list[int],
    all_cell: int,
    cuts: list[tuple[int, dict[int, int], list[tuple[int, int]]]],
) -> _Relations:
    """A small design's relations in the array builder's order, and their arrays.

    *children* per unit with a parent; *roots* the units without; *all_cell* the cell of the
    whole organisation (``-1`` when one root is the whole); per cross-cut its width (values
    + 1), its unit x value cells by key ``unit * width + value`` and its margins as ``(cell,
    value)`` pairs.
    """
    multi = all_cell >= 0
    relations: list[RelationPair] = [(u, tuple(children[u])) for u in sorted(children)]
    if multi:
        relations.append((all_cell, tuple(roots)))
    for width, lookup, margins in cuts:
        by_unit: dict[int, list[int]] = {}
        for c, cell in lookup.items():
            u, v = divmod(c, width)
            by_unit.setdefault(u, []).append(cell)
            below = children.get(u)
            kids = (
                tuple([lookup[k * width + v] for k in below if k * width + v in lookup])
                if below
                else ()
            )
            relations.append((cell, kids))
        for u in sorted(by_unit):
            relations.append((u, tuple(by_unit[u])))
        if multi:
            for cell, v in margins:
                tops = [lookup[r * width + v] for r in roots if r * width + v in lookup]
                relations.append((cell, tuple(tops)))
            relations.append((all_cell, tuple(cell for cell, _v in margins)))
    n_rel = len(relations)
    rel_parents, rel_kids = zip(*relations, strict=True) if relations else ((), ())
    arr = np.asarray(
        [
            *rel_parents,
            *itertools.chain.from_iterable(
                itertools.repeat(r, len(kids)) for r, kids in enumerate(rel_kids)
            ),
            *itertools.chain.from_iterable(rel_kids),
        ],
        dtype=np.intp,
    )
    n_kids = (arr.size - n_rel) // 2
    return tuple(relations), (arr[:n_rel], arr[n_rel : n_rel + n_kids], arr[n_rel + n_kids :])
