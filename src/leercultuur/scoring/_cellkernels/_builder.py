"""The small-design cell builder of :mod:`leercultuur.scoring._build`, one compiled kernel.

Imported only by the accelerated route (see :mod:`leercultuur._accel`). The kernel lists the
same cells, member base cells and fanout in the same order as ``_build._build_cells_small``
(a test compares the two); Python then names the cells and makes the relations on first
reading, as the plain builder does.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from leercultuur._accel import jit
from leercultuur.scoring._design import Cells, Design, Runs, _Relations, small_relations

__all__ = ["build_cells_small", "small_cells"]

_I = npt.NDArray[np.int64]
_P = npt.NDArray[np.intp]


@jit
def small_cells(
    keys: _I, radix: int, parent: _P, mults: _I, widths: _I
) -> tuple[_P, _P, _P, _P, _P, _P, _P, _P, int, bool]:
    """The cells over the sorted base-cell *keys* of a design (see ``_build_cells_small``).

    Cells: the units; ``all`` when the hierarchy has several roots; per cross-cut its
    unit x value cells with members (by unit, then value) and, with several roots, its value
    margins with members. Returns the member base cells (cell by cell), the cells' bounds
    into them, each cell's unit (-1: none), cross-cut (-1: none) and value, each pair's cell,
    each base cell's unit, the cells with members and their first pairs, the fanout and
    whether there are several roots.
    """
    n_units = parent.shape[0]
    nb = keys.shape[0]
    n_cuts = mults.shape[0]
    # each unit's ancestors, itself first (at most one more than the number of units)
    length = np.empty(n_units, dtype=np.intp)
    longest = 1
    for u in range(n_units):
        size = 1
        p = parent[u]
        while p >= 0 and size <= n_units:
            size += 1
            p = parent[p]
        length[u] = size
        longest = max(longest, size)
    chain = np.empty((n_units, longest), dtype=np.intp)
    for u in range(n_units):
        chain[u, 0] = u
        for d in range(1, length[u]):
            chain[u, d] = parent[chain[u, d - 1]]
    base_unit = np.empty(nb, dtype=np.intp)
    own_lo = np.zeros(n_units, dtype=np.intp)
    own_hi = np.zeros(n_units, dtype=np.intp)
    for b in range(nb):
        u = keys[b] // radix
        base_unit[b] = u
        if own_hi[u] == own_lo[u]:
            own_lo[u] = b
        own_hi[u] = b + 1
    depth = 1
    any_own = False
    for u in range(n_units):
        if own_hi[u] > own_lo[u]:
            depth = length[u] if not any_own else max(depth, length[u])
            any_own = True
    roots = 0
    for u in range(n_units):
        if parent[u] < 0:
            roots += 1
    multi = roots > 1
    digits = np.zeros((n_cuts, nb), dtype=np.intp)
    for a in range(n_cuts):
        for b in range(nb):
            digits[a, b] = (keys[b] // mults[a]) % widths[a]
    # the cells and their sizes
    cap = n_units + 1
    for a in range(n_cuts):
        cap += (n_units + 1) * widths[a]
    count = np.zeros(cap, dtype=np.intp)
    c_unit = np.full(cap, -1, dtype=np.intp)
    c_cut = np.full(cap, -1, dtype=np.intp)
    c_value = np.zeros(cap, dtype=np.intp)
    for u in range(n_units):
        c_unit[u] = u
        for d in range(min(depth, length[u])):
            count[chain[u, d]] += own_hi[u] - own_lo[u]
    n_cells = n_units
    all_cell = -1
    if multi:
        all_cell = n_cells
        count[all_cell] = nb
        n_cells += 1
    # per cross-cut: the cell of each (unit, value) with members, then the margins
    first_combo = np.zeros(n_cuts, dtype=np.intp)
    lookup = np.full((n_cuts, n_units * int(widths.max()) if n_cuts else 0), -1, dtype=np.intp)
    margin = np.full((n_cuts, int(widths.max()) if n_cuts else 0), -1, dtype=np.intp)
    fan = np.empty(nb, dtype=np.intp)
    for b in range(nb):
        fan[b] = length[base_unit[b]] + multi
    for a in range(n_cuts):
        width = widths[a]
        seen = np.zeros(n_units * width, dtype=np.bool_)
        has_value = np.zeros(width, dtype=np.bool_)
        for b in range(nb):
            v = digits[a, b]
            if v:
                u = base_unit[b]
                fan[b] += length[u] + multi
                has_value[v] = True
                for d in range(length[u]):
                    seen[chain[u, d] * width + v] = True
        first_combo[a] = n_cells
        for key in range(n_units * width):
            if seen[key]:
                lookup[a, key] = n_cells
                c_unit[n_cells] = key // width
                c_cut[n_cells] = a
                c_value[n_cells] = key % width
                n_cells += 1
        for b in range(nb):
            v = digits[a, b]
            if v:
                u = base_unit[b]
                for d in range(length[u]):
                    count[lookup[a, chain[u, d] * width + v]] += 1
        if multi:
            for v in range(1, width):
                if has_value[v]:
                    margin[a, v] = n_cells
                    c_cut[n_cells] = a
                    c_value[n_cells] = v
                    n_cells += 1
            for b in range(nb):
                if digits[a, b]:
                    count[margin[a, digits[a, b]]] += 1
    bounds = np.zeros(n_cells + 1, dtype=np.intp)
    for c in range(n_cells):
        bounds[c + 1] = bounds[c] + count[c]
    n_pairs = bounds[n_cells]
    pair_base = np.empty(n_pairs, dtype=np.intp)
    pair_cell = np.empty(n_pairs, dtype=np.intp)
    fill = bounds[:n_cells].copy()
    # unit cells: by distance in the hierarchy, then base cell
    for d in range(depth):
        for u in range(n_units):
            if d < length[u]:
                c = chain[u, d]
                for b in range(own_lo[u], own_hi[u]):
                    pair_base[fill[c]] = b
                    fill[c] += 1
    if multi:
        for b in range(nb):
            pair_base[fill[all_cell]] = b
            fill[all_cell] += 1
    for a in range(n_cuts):
        width = widths[a]
        for b in range(nb):
            v = digits[a, b]
            if v:
                u = base_unit[b]
                for d in range(length[u]):
                    c = lookup[a, chain[u, d] * width + v]
                    pair_base[fill[c]] = b
                    fill[c] += 1
                if multi:
                    c = margin[a, v]
                    pair_base[fill[c]] = b
                    fill[c] += 1
    for c in range(n_cells):
        for i in range(bounds[c], bounds[c + 1]):
            pair_cell[i] = c
    fanout = 1
    if n_pairs:
        fanout = 0
        for b in range(nb):
            fanout = max(fanout, fan[b])
    # the cells with members and where their pairs start (Cells.reduce's runs)
    n_runs = 0
    for c in range(n_cells):
        if bounds[c + 1] > bounds[c]:
            n_runs += 1
    runs = np.empty((2, n_runs), dtype=np.intp)
    n_runs = 0
    for c in range(n_cells):
        if bounds[c + 1] > bounds[c]:
            runs[0, n_runs] = c
            runs[1, n_runs] = bounds[c]
            n_runs += 1
    return (
        pair_base,
        bounds,
        c_unit[:n_cells].copy(),
        c_cut[:n_cells].copy(),
        c_value[:n_cells].copy(),
        pair_cell,
        base_unit,
        runs,
        fanout,
        multi,
    )


@functools.lru_cache(maxsize=64)
def _attribute_plan(
    attributes: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[_I, _I, tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """The attributes' place values and widths (read-only), and their cells' id parts.

    Per attribute and value code (``1..``): ``"name=label"`` and ``" | name=label"``.
    """
    mult, out = 1, []
    for _name, labels in reversed(attributes):
        out.append(mult)
        mult *= len(labels) + 1
    mults = np.asarray(out[::-1], dtype=np.int64)
    widths = np.asarray([len(labels) + 1 for _n, labels in attributes], dtype=np.int64)
    for arr in (mults, widths):
        arr.setflags(write=False)
    margin = tuple(("", *(f"{name}={label}" for label in labels)) for name, labels in attributes)
    suffix = tuple(tuple(f" | {m}" if m else "" for m in names) for names in margin)
    return mults, widths, margin, suffix


def build_cells_small(design: Design, keys: _I) -> Cells:
    """``_build._build_cells_small`` with the kernel :func:`small_cells`: the same cells."""
    from leercultuur.scoring._build import _reduce_plan

    attributes = design.attributes
    parent = (
        design.parent_array
        if design.parent_array is not None
        else np.asarray(design.parent, dtype=np.intp).reshape(-1)
    )
    mults, widths, margin, suffix = _attribute_plan(attributes)
    (pair_base, bounds_a, c_unit, c_cut, c_value, pair_cell, base_unit, runs, fanout, multi) = (
        small_cells(
            np.ascontiguousarray(keys, dtype=np.int64),
            design.radix,
            np.ascontiguousarray(parent, dtype=np.intp),
            mults,
            widths,
        )
    )
    n_units = len(design.units)
    bounds: list[int] = bounds_a.tolist()
    n_cells = len(bounds) - 1
    ids = list(design.units)
    cuts: list[int] = c_cut.tolist()
    values: list[int] = c_value.tolist()
    units: list[int] = c_unit.tolist()
    unit_name = design.units
    for c in range(n_units, n_cells):
        a = cuts[c]
        if a < 0:
            ids.append("all")
            continue
        u = units[c]
        # "unit | name=label", or "name=label" for a margin
        ids.append(unit_name[u] + suffix[a][values[c]] if u >= 0 else margin[a][values[c]])
    plan: tuple[npt.NDArray[np.intp], ...]
    if runs.shape[1] < 256:  # as _reduce_plan decides
        none = pair_base[:0]
        plan = (none, none, runs[0], pair_base, runs[1])
    else:
        plan = _reduce_plan(pair_cell, pair_base)
    parents = design.parent

    def relate() -> _Relations:
        """The relations in the array builder's order, and their arrays (built when read)."""
        children: dict[int, list[int]] = {}
        for u in range(n_units):
            if parents[u] >= 0:
                children.setdefault(parents[u], []).append(u)
        roots = [u for u in range(n_units) if parents[u] < 0]
        all_cell = n_units if multi else -1
        per_cut: list[tuple[int, dict[int, int], list[tuple[int, int]]]] = []
        for a, (_name, labels) in enumerate(attributes):
            width = len(labels) + 1
            lookup = {
                units[c] * width + values[c]: c
                for c in range(n_units, n_cells)
                if cuts[c] == a and units[c] >= 0
            }
            margins = [
                (c, values[c]) for c in range(n_units, n_cells) if cuts[c] == a and units[c] < 0
            ]
            per_cut.append((width, lookup, margins))
        return small_relations(children, roots, all_cell, per_cut)

    return Cells(
        tuple(ids),
        c_unit,
        Runs(pair_base, bounds),
        pair_cell,
        pair_base,
        relate,
        dict(zip(ids, range(n_cells), strict=True)),
        plan,
        int(fanout),
        None,
        base_unit,
    )
