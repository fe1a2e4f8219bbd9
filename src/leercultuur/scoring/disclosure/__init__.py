"""Disclosure control: primary and complementary suppression with an exact k-protection check.

The promise (see ``research/reliability_ecosystem.md`` A1): publish, per dimension, the sum
(as a mean with its n) of every cell that is not suppressed. An attacker who knows every
published cell's member set and takes any linear combination of the published sums must not
learn a combination involving fewer than ``k`` respondents:

    **k-protection**: for every set T of respondents with ``1 <= |T| < k``,
    ``rank(A) == rank(A without T's columns)``, A the cells x respondents membership matrix.

How it is reached:

1. *Primary*: a cell with fewer than ``k`` respondents on the dimension is suppressed.
2. *Complementary* (relation rules): for every published parent cell whose children partition
   part of it (a department and its teams, a unit and its cross-cut cells), the respondents
   hidden from it (suppressed children plus the parent's own remainder) number 0 or at least
   ``k``; otherwise the next smallest published child is suppressed, or the parent if none is
   left (Glint's "suppress the next smallest group").
3. *Exact check* over *atoms* (respondents grouped by identical membership; every row-space
   vector is constant on an atom): a set U of atoms leaks iff some vector of the row space is
   supported on U, iff the rows of the null-space basis N of the cells x atoms matrix indexed
   by U are linearly dependent. Only atoms smaller than ``k`` can be part of a small leak,
   and a minimal leak (a circuit of those rows) lies within one connected component of the
   small atoms' rows, so the subsets of small atoms weighing less than ``k`` are enumerated
   per component with an incremental orthonormal basis (``_leak``). When the cells nest
   (no cross-cuts), every atom is derivable and the atoms' weights decide at once
   (``_atoms._chains``). A leak is closed by the cheapest set of published cells
   (``_fix.cheapest_fix``: sets in increasing respondents hidden, at most
   ``MAX_FIX_SETS``, then a greedy cover; rank-confirmed), so a large total such as the whole
   organisation is withheld only when nothing cheaper closes the leak; when the matrix
   exceeds ``MAX_FIX_DENSE``, the smallest published cell containing the leak. Steps 2-3
   repeat. Suppression only shrinks the published rows' span, so it never creates a leak.

Every suppression is logged (cell, dimension, reason, n), never an answer. The n of the log
(and every weight here) counts the cell's respondents with a score on the dimension: the
number the threshold applies to, and the ``n`` of the report's entry for a withheld cell
(:class:`~leercultuur.scoring.Suppressed`), whose ``respondents`` counts everyone in it.

What a report publishes, and what the guarantee covers: for a published cell and dimension, the
mean, sd, interval and rwg(j) (sums of answers and of their squares over the cell's members with
a score: the rows the attacker matrix has), and counts; for a withheld cell only the number of
its respondents. Counts reveal participation and item non-response, which the attacker model
treats as known membership, not as answers. rwg(j) needs at least ``k`` complete answers in the
cell. Organisation-wide statistics (alpha, omega, item-total correlations, ICC) are nonlinear
functions of all answers and are withheld when the survey has fewer than ``k`` respondents; they
are outside the linear attacker model. Known limitation (A1): a unanimous cell (mean at a scale
bound) reveals every member's answer; bounded answers are not modelled.

>>> import numpy as np
>>> cells = [np.array([0, 1]), np.array([0])]   # a department and its one team of two people
>>> find_leak(cells, np.array([5, 2]), k=5) is not None   # department - team = 2 people
True
>>> find_leak([np.array([0, 1])], np.array([5, 2]), k=5) is None
True
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur.scoring.disclosure._atoms import ProtectCache as ProtectCache
from leercultuur.scoring.disclosure._atoms import _atom_groups as _atom_groups
from leercultuur.scoring.disclosure._atoms import _atoms as _atoms
from leercultuur.scoring.disclosure._atoms import _atoms_plain as _atoms_plain
from leercultuur.scoring.disclosure._atoms import _no_small_atom as _no_small_atom
from leercultuur.scoring.disclosure._fix import MAX_FIX_DENSE as MAX_FIX_DENSE
from leercultuur.scoring.disclosure._fix import MAX_FIX_SETS as MAX_FIX_SETS
from leercultuur.scoring.disclosure._fix import cheapest_fix
from leercultuur.scoring.disclosure._leak import MAX_DENSE as MAX_DENSE
from leercultuur.scoring.disclosure._leak import MAX_SUBSETS as MAX_SUBSETS
from leercultuur.scoring.disclosure._leak import find_leak as find_leak

__all__ = ["Decision", "Relation", "find_leak", "protect"]

_I = npt.NDArray[np.int64]
_RelationArrays = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]


@attrs.frozen
class Relation:
    """A parent cell and child cells that partition part of it (the rest is its remainder)."""

    parent: int
    children: tuple[int, ...]


RelationPair = tuple[int, tuple[int, ...]]
"""A :class:`Relation` as a plain ``(parent, children)`` pair (how the cell builders list them)."""


def _parts(rel: Relation | RelationPair) -> RelationPair:
    """The parent and children of a relation given either way."""
    return (rel.parent, rel.children) if isinstance(rel, Relation) else rel


_PRIMARY = np.array([None, "below_threshold", "empty"], dtype=object)


@attrs.frozen
class Decision:
    """The outcome of :func:`protect` for one dimension.

    ``suppressed[c]`` says whether cell ``c`` is withheld, ``reasons[c]`` why (``None`` if
    published), ``log`` lists ``(cell, reason, detail)`` in the order decided (first every
    cell below the threshold, in cell order, then each complement), and ``verified`` says
    whether the exact check ran to completion. ``primary`` (0 published or complementary,
    1 below the threshold, 2 empty) and ``complements`` (``(cell, detail)``) hold the same
    compactly; ``reasons`` and ``log`` are built from them only when read.
    """

    suppressed: npt.NDArray[np.bool_]
    primary: npt.NDArray[np.int8]
    complements: tuple[tuple[int, str], ...]
    k: int
    verified: bool

    @property
    def reasons(self) -> tuple[str | None, ...]:
        """Each cell's reason for being withheld, ``None`` if published."""
        if not self.complements and not np.count_nonzero(self.primary):
            return (None,) * self.primary.size
        why = _PRIMARY.take(self.primary)
        for c, _detail in self.complements:
            why[c] = "complementary"
        return tuple(why.tolist())

    @property
    def log(self) -> tuple[tuple[int, str, str], ...]:
        """Every suppression as ``(cell, reason, detail)``, in the order decided."""
        complements = tuple((c, "complementary", d) for c, d in self.complements)
        if not self.primary.any():
            return complements
        first = np.flatnonzero(self.primary)
        detail = f"fewer than {self.k} respondents"
        primary = zip(
            first.tolist(),
            _PRIMARY[self.primary[first]].tolist(),
            itertools.repeat(detail, first.size),
            strict=True,
        )
        return (*primary, *complements)


def flatten_relations(
    relations: Sequence[Relation | RelationPair],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The relations as arrays: each relation's parent; each child's relation and cell."""
    pairs = [_parts(r) for r in relations]
    rel_parent = np.asarray([p for p, _kids in pairs], dtype=np.intp)
    child_rel = np.asarray([i for i, (_p, kids) in enumerate(pairs) for _c in kids], dtype=np.intp)
    child_cell = np.asarray([c for _p, kids in pairs for c in kids], dtype=np.intp)
    return rel_parent, child_rel, child_cell


_MANY_CHILDREN = 32
"""From this many children on, a relation's next smallest child is found with arrays."""


def _child_bounds(child_rel: npt.NDArray[np.intp], n_rel: int) -> npt.NDArray[np.intp] | None:
    """Where each relation's children start and end in the flattened arrays.

    ``None`` unless the arrays list each relation's children together, in relation order (as
    :func:`flatten_relations` does); the relations are then read one child at a time.
    """
    if child_rel.size > 1 and np.any(np.diff(child_rel) < 0):
        return None
    return np.searchsorted(child_rel, np.arange(n_rel + 1)).astype(np.intp)


def _next_smallest(
    kids: npt.NDArray[np.intp],
    weights: _I,
    supp: npt.NDArray[np.bool_],
    parent: int,
    wl: list[int],
) -> tuple[int, int]:
    """The relation rule for one parent: the cell to withhold and the hidden respondents.

    The lightest published child with respondents (then the lowest index), or the parent.
    """
    kw = weights[kids]
    shown = ~supp[kids]
    hid = wl[parent] - int(kw[shown].sum())
    open_kids = np.flatnonzero(shown & (kw > 0))
    if open_kids.size == 0:
        return parent, hid
    pick = open_kids[np.lexsort((kids[open_kids], kw[open_kids]))[0]]
    return int(kids[pick]), hid


def protect(
    weights: _I,
    cells: Sequence[npt.NDArray[np.intp]],
    base_weight: _I,
    relations: Sequence[Relation | RelationPair],
    k: int,
    *,
    pairs: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None = None,
    relation_arrays: _RelationArrays | Callable[[], _RelationArrays] | None = None,
    atom_cache: ProtectCache | None = None,
    least: int | None = None,
    early: tuple[npt.NDArray[np.bool_], npt.NDArray[np.int8]] | None = None,
) -> Decision:
    """Decide which cells to suppress so that the published ones are k-protected.

    *weights* counts each cell's respondents on the dimension, *cells* lists each cell's base
    cells, *base_weight* each base cell's respondents, *relations* the parent/children
    partitions (:class:`Relation` records or plain ``(parent, children)`` pairs). See the
    module docstring for the three steps. *pairs* (optional, for speed) lists the same
    memberships as ``(cell, base cell)`` pairs, *relation_arrays* the relations as
    ``flatten_relations`` gives them (or a function giving them, called when needed).
    *atom_cache* (optional, for speed; shared by the dimensions of one report) is
    ``(present, {}, candidates)``: *present* marks every base cell with respondents,
    *candidates* (or ``None``) every cell some dimension may publish; an exact check whose
    atoms all weigh ``k`` or more is then settled from shared groupings. *least* (optional,
    for speed) is the smallest positive base weight (any number ``>= k`` if there is none);
    *early* (optional, for speed) holds ``weights < k`` and the primary codes (0 published,
    1 below *k*, 2 empty) when nothing is derivable below *k* (read-only is fine).
    """
    # base cells with 0 < n < k: only cells containing one can take part in a small leak
    small_base = None if least is not None and least >= k else (base_weight > 0) & (base_weight < k)
    if small_base is None or not np.count_nonzero(small_base):
        # every cell, relation remainder and atom is a union of base cells of 0 or >= k
        # respondents: nothing is derivable below k, and only empty cells are withheld
        if early is not None:
            return Decision(early[0], early[1], (), k, True)
        supp = weights < k
        return Decision(supp, supp.view(np.int8) + (weights == 0), (), k, True)
    weights = np.ascontiguousarray(weights)  # often a column of a wider array
    supp = weights < k
    primary = supp.astype(np.int8) + (weights == 0)  # 0 published, 1 below k, 2 empty
    log: list[tuple[int, str]] = []
    if pairs is not None:
        has_small = np.zeros(len(cells), dtype=bool)
        has_small[pairs[0][small_base[pairs[1]]]] = True
    else:
        has_small = np.asarray([bool(small_base[m].any()) for m in cells], dtype=bool)
    nonzero = int(np.count_nonzero(base_weight))
    verified = True
    if callable(relation_arrays):  # made only now that the relations are read
        relation_arrays = relation_arrays()
    rel_parent, child_rel, child_cell = (
        relation_arrays if relation_arrays is not None else flatten_relations(relations)
    )
    n_rel = len(relations)
    bounds: npt.NDArray[np.intp] | None = None  # each relation's slice of child_cell, if needed
    sliced = True  # whether bounds can be (or were) made
    wl: list[int] = []  # the weights as a list, made when first needed
    while True:
        while n_rel:
            wc = weights[child_cell].astype(np.float64)
            hidden = (
                weights[rel_parent]
                - np.bincount(child_rel, weights=wc, minlength=n_rel)
                + np.bincount(child_rel, weights=wc * supp[child_cell], minlength=n_rel)
            )
            bad = np.flatnonzero(~supp[rel_parent] & (hidden > 0) & (hidden < k))
            if bad.size == 0:
                break
            wl = wl or weights.tolist()  # a plain list: the loop below reads single cells
            for r in bad.tolist():  # re-checked one by one: an earlier fix may settle a later one
                rel_p, kids = _parts(relations[r])
                if supp[rel_p]:
                    continue
                if sliced and bounds is None and len(kids) >= _MANY_CHILDREN:
                    bounds = _child_bounds(child_rel, n_rel)
                    sliced = bounds is not None
                if bounds is not None and len(kids) >= _MANY_CHILDREN:  # the same, from arrays
                    target, hid = _next_smallest(
                        child_cell[bounds[r] : bounds[r + 1]], weights, supp, rel_p, wl
                    )
                    if not 0 < hid < k:
                        continue
                    supp[target] = True
                    log.append((target, f"protects a group of {hid} within @{rel_p}"))
                    continue
                shown = [c for c in kids if not supp[c]]
                hid = wl[rel_p] - sum(wl[c] for c in shown)
                if not 0 < hid < k:
                    continue
                open_kids = [c for c in shown if wl[c] > 0]
                target = min(open_kids, key=lambda c: (wl[c], c)) if open_kids else rel_p
                supp[target] = True
                log.append((target, f"protects a group of {hid} within @{rel_p}"))
        if not has_small[~supp].any():
            break  # every atom is a union of base cells of >= k: nothing small to isolate
        published = np.flatnonzero(~supp).tolist()
        if len(published) * nonzero > MAX_DENSE:
            verified = False  # find_leak would raise OverflowError: too large to check
            break
        if atom_cache is not None and _no_small_atom(
            cells, published, base_weight, k, atom_cache, pairs=pairs
        ):
            break  # find_leak would find no atom below k, so no leak
        try:
            leak = find_leak(cells, base_weight, k, published=published)
        except OverflowError:
            verified = False
            break
        if leak is None:
            break
        wl = wl or weights.tolist()
        fix = cheapest_fix(cells, published, base_weight, leak, wl)
        if fix is None:  # too large to search: the smallest cell holding the leak
            holders = [c for c in published if leak.intersection(cells[c].tolist())]
            fix = [min(holders, key=lambda c: (wl[c], c))]
        note = "exact check: a small group was derivable"
        for target in fix:
            supp[target] = True
            others = ", ".join(f"@{c}" for c in fix if c != target)
            log.append((target, f"{note} (with {others})" if others else note))
    return Decision(supp, primary, tuple(log), k, verified)
