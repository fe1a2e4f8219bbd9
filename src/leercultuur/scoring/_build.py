"""Building the publishable cells of a :class:`~leercultuur.scoring._design.Design`.

:func:`build_cells` lists every cell's member base cells, the parent/children relations that
complementary suppression checks, and how :meth:`~leercultuur.scoring._design.Cells.reduce`
sums them: unit cells level by level up the hierarchy, the other cells from their membership
pairs. Small designs are built in plain Python (numpy's per-call cost dominates there), with
the same cells, members and relations in the same order.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from leercultuur._accel import accelerated
from leercultuur.scoring._design import Cells, Design, Runs, _Relations, _Tree, small_relations
from leercultuur.scoring.disclosure import RelationPair, flatten_relations

__all__ = ["build_cells"]

_I = npt.NDArray[np.int64]


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


def build_cells(design: Design, keys: _I, *, fast: bool | None = None) -> Cells:
    """Build the publishable cells over the base cells *keys* (sorted base-cell keys).

    *fast*: whether to use the compiled kernels (default: :func:`leercultuur._accel.accelerated`).
    """
    if len(design.units) <= _SMALL_UNITS and keys.size <= _SMALL_UNITS:
        chains = _chains(design)
        depth = max((len(c) for c in chains), default=1)
        if keys.size * (depth + 1) * (1 + 2 * len(design.attributes)) <= _SMALL_PAIRS:
            if accelerated() if fast is None else fast:
                from leercultuur.scoring._cellkernels import build_cells_small

                return build_cells_small(design, keys)
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
    relations: list[RelationPair] = [(u, tuple(kids)) for u, kids in sorted(children.items())]
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
        relations.append((all_cell, tuple(roots)))
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
            relations.append((cell, tuple(kids)))
        for u, cells in sorted(by_unit.items()):
            relations.append((u, tuple(cells)))
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
                relations.append((cell, tuple(kids)))
            relations.append((all_cell, tuple(margins)))
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
    relate: _Relations = (tuple(relations), rel_arrays)
    return Cells(
        tuple(ids),
        np.concatenate([np.arange(n_units, dtype=np.intp), np.asarray(cell_unit, np.intp)]),
        members,
        pair_cell,
        pair_base,
        relate,
        dict(zip(ids, range(len(ids)), strict=True)),
        _reduce_plan(pair_cell[rest:], pair_base[rest:]),
        int(np.bincount(pair_base).max()) if pair_base.size else 1,
        tree,
        base_unit,
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
    distance in the hierarchy, then by base cell), and the relations in the same order; the
    relation arrays and the fanout are counted along instead of derived afterwards.
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
    # the cells each base cell belongs to: its chain, 'all', and per known digit its chain
    # again and a margin
    fan = [len(c) + multi for c in base_chain]
    children: dict[int, list[int]] = {}
    for u in range(n_units):
        if parent[u] >= 0:
            children.setdefault(parent[u], []).append(u)
    all_cell = -1
    if multi:
        all_cell = len(ids)
        ids.append("all")
        cell_unit.append(-1)
        members.append(list(range(nb)))
    # per cross-cut: its width, its unit x value cells by key, its margins with their values
    cuts: list[tuple[int, dict[int, int], list[tuple[int, int]]]] = []
    unit_name = design.units
    for (name, labels), mult in zip(design.attributes, design.multipliers(), strict=True):
        width = len(labels) + 1
        digits = [(k // mult) % width for k in key_list]
        combos: dict[int, list[int]] = {}
        for b, (chain, v) in enumerate(zip(base_chain, digits, strict=True)):
            if v:
                fan[b] += len(chain) + multi
                for a in chain:
                    combos.setdefault(a * width + v, []).append(b)
        first = len(ids)
        lookup: dict[int, int] = {}
        for i, c in enumerate(sorted(combos)):
            lookup[c] = first + i
            u, v = divmod(c, width)
            ids.append(f"{unit_name[u]} | {name}={labels[v - 1]}")
            cell_unit.append(u)
            members.append(combos[c])
        margins: list[tuple[int, int]] = []
        if multi:
            by_value: list[list[int]] = [[] for _ in range(width)]
            for b, dv in enumerate(digits):
                by_value[dv].append(b)
            for v in range(1, width):
                sel = by_value[v]
                if not sel:
                    continue
                margins.append((len(ids), v))
                ids.append(f"{name}={labels[v - 1]}")
                cell_unit.append(-1)
                members.append(sel)
        cuts.append((width, lookup, margins))
    lengths = [len(m) for m in members]
    bounds = [0, *itertools.accumulate(lengths)]
    run_cells = [c for c, size in enumerate(lengths) if size]
    # one conversion for the pairs, the runs and the cells' units
    flat = np.asarray(
        [
            *itertools.chain.from_iterable(members),
            *run_cells,
            *[bounds[c] for c in run_cells],
            *cell_unit,
            *base_unit,
        ],
        dtype=np.intp,
    )
    n_pairs, n_runs, n_cells = bounds[-1], len(run_cells), len(ids)
    pair_base = flat[:n_pairs]
    pair_cell = np.repeat(np.arange(n_cells, dtype=np.intp), lengths)
    plan: tuple[npt.NDArray[np.intp], ...]
    if n_runs < 256:  # as _reduce_plan decides
        none = flat[:0]
        at = n_pairs + n_runs
        plan = (none, none, flat[n_pairs:at], pair_base, flat[at : at + n_runs])
    else:
        plan = _reduce_plan(pair_cell, pair_base)

    def relate() -> _Relations:
        """The relations in the array builder's order, and their arrays (built when read)."""
        return small_relations(children, roots, all_cell, cuts)

    return Cells(
        tuple(ids),
        flat[n_pairs + 2 * n_runs : n_pairs + 2 * n_runs + n_cells],
        Runs(pair_base, bounds),
        pair_cell,
        pair_base,
        relate,
        dict(zip(ids, range(n_cells), strict=True)),
        plan,
        max(fan) if n_pairs else 1,
        None,
        flat[n_pairs + 2 * n_runs + n_cells :],
    )
