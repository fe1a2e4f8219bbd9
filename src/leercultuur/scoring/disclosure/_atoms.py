"""Atoms: base cells grouped by the published cells that contain them."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

_I = npt.NDArray[np.int64]

ProtectCache = tuple[
    npt.NDArray[np.bool_], dict[bytes, npt.NDArray[np.intp] | None], npt.NDArray[np.bool_] | None
]
"""Work :func:`protect` shares between the dimensions of one report: the base cells with
respondents, the atom groupings by published cells, and the cells any dimension may publish
(a superset of every dimension's published cells, or ``None``)."""


@functools.lru_cache(maxsize=64)
def _signature_keys(n: int) -> _I:
    """*n* fixed pseudo-random 63-bit keys (the cell signatures of :func:`_atoms`)."""
    rng = np.random.default_rng(0x5EED)
    out = rng.integers(0, np.iinfo(np.int64).max, n, dtype=np.int64)
    out.setflags(write=False)
    return out


def _atoms(
    cells: Sequence[npt.NDArray[np.intp]], published: Sequence[int], base_weight: _I
) -> tuple[list[list[int]], _I]:
    """Group base cells by the published cells containing them: atoms' cells and weights.

    Vectorised: base cells are grouped by a 64-bit random signature of their cell sets and
    the grouping is then verified exactly (every base of a group lies in exactly the group's
    cells); if verification fails, the plain dictionary grouping is used.
    """
    sizes = [cells[c].size for c in published]
    pos = np.repeat(np.arange(len(published), dtype=np.intp), sizes)
    base = np.concatenate([cells[c] for c in published]) if published else pos
    keep = base_weight[base] > 0
    pos, base = pos[keep], base[keep]
    nb = base_weight.size
    if base.size == 0:
        return [], np.zeros(0, dtype=np.int64)
    r = _signature_keys(len(published))
    sig = np.zeros(nb, dtype=np.uint64)
    np.add.at(sig, base, r[pos].astype(np.uint64))
    bases = np.flatnonzero(np.bincount(base, minlength=nb))  # sorted, as np.unique gives
    _keys, group = np.unique(sig[bases], return_inverse=True)
    group = group.reshape(-1)
    n_groups = int(group.max()) + 1
    group_of = np.full(nb, -1, dtype=np.intp)
    group_of[bases] = group
    gsize = np.bincount(group, minlength=n_groups)
    pair_key = group_of[base].astype(np.int64) * len(published) + pos
    gp, gp_count = np.unique(pair_key, return_counts=True)
    g_of_gp = gp // len(published)
    per_base = np.bincount(base, minlength=nb)[bases]
    distinct = np.bincount(g_of_gp, minlength=n_groups)
    if np.all(gp_count == gsize[g_of_gp]) and np.all(per_base == distinct[group]):
        weights = np.bincount(group, weights=base_weight[bases].astype(np.float64))
        bounds = np.searchsorted(g_of_gp, np.arange(n_groups + 1))
        members = (gp % len(published)).tolist()
        rows = [members[bounds[g] : bounds[g + 1]] for g in range(n_groups)]
        return rows, np.rint(weights).astype(np.int64)
    return _atoms_plain(cells, published, base_weight)


def _atom_groups(
    cells: Sequence[npt.NDArray[np.intp]],
    published: Sequence[int],
    present: npt.NDArray[np.bool_],
    pairs: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None = None,
) -> npt.NDArray[np.intp] | None:
    """Each *present* base cell's atom (as :func:`_atoms` groups them), -1 for the others.

    ``None`` if the signature grouping fails its exact verification. The grouping does not
    depend on the weights, so one grouping serves every dimension with the same published
    cells: an atom's weight on a dimension is the sum of its base cells' weights. *pairs*
    (optional) are the memberships as ``(cell, base cell)`` arrays: the same grouping
    without a Python loop over the cells.
    """
    nb = present.size
    if pairs is not None:
        is_pub = np.zeros(len(cells), dtype=bool)
        is_pub[np.asarray(published, dtype=np.intp)] = True
        keep = is_pub[pairs[0]] & present[pairs[1]]
        pos, base, width = pairs[0][keep], pairs[1][keep], len(cells)
    else:
        sizes = [cells[c].size for c in published]
        pos = np.repeat(np.arange(len(published), dtype=np.intp), sizes)
        base = np.concatenate([cells[c] for c in published]) if published else pos
        keep = present[base]
        pos, base, width = pos[keep], base[keep], len(published)
    group_of = np.full(nb, -1, dtype=np.intp)
    if base.size == 0:
        return group_of
    r = _signature_keys(width)
    sig = np.zeros(nb, dtype=np.uint64)
    np.add.at(sig, base, r[pos].astype(np.uint64))
    bases = np.flatnonzero(np.bincount(base, minlength=nb))
    _keys, group = np.unique(sig[bases], return_inverse=True)
    group = group.reshape(-1)
    n_groups = int(group.max()) + 1
    group_of[bases] = group
    gsize = np.bincount(group, minlength=n_groups)
    gp, gp_count = np.unique(group_of[base].astype(np.int64) * width + pos, return_counts=True)
    g_of_gp = gp // width
    per_base = np.bincount(base, minlength=nb)[bases]
    distinct = np.bincount(g_of_gp, minlength=n_groups)
    if np.all(gp_count == gsize[g_of_gp]) and np.all(per_base == distinct[group]):
        return group_of
    return None


def _chains(
    pairs: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]], present: npt.NDArray[np.bool_]
) -> npt.NDArray[np.intp] | None:
    """Each base cell's containing cells, smallest first, if the cells nest; else ``None``.

    A ``base cells x depth`` array padded with -1 (only *present* base cells count). The
    cells nest (form a laminar family: any two are disjoint or one holds the other) iff, in
    every base cell's chain ordered by size (then index), each cell is followed by the same
    cell wherever it occurs; that next cell then holds it.
    """
    cell, base = pairs
    keep = present[base]
    cell, base = cell[keep], base[keep]
    nb = present.size
    if cell.size == 0:
        return np.full((nb, 1), -1, dtype=np.intp)
    size = np.bincount(cell)
    order = np.lexsort((cell, size[cell], base))
    cell, base = cell[order], base[order]
    last = np.append(base[1:] != base[:-1], True)
    after = np.where(last, -1, np.append(cell[1:], -1))
    follower = np.full(int(cell.max()) + 1, -2, dtype=np.intp)
    follower[cell] = after  # one occurrence's follower per cell; all must agree
    if not np.array_equal(follower[cell], after):
        return None  # some cell is followed by different cells: the cells overlap
    start = np.flatnonzero(np.append(True, base[1:] != base[:-1]))
    depth = np.diff(np.append(start, base.size))
    out = np.full((nb, int(depth.max())), -1, dtype=np.intp)
    out[base, np.arange(base.size) - np.repeat(start, depth)] = cell
    return np.asfortranarray(out)  # read a column (a depth) at a time


def _no_small_atom(
    cells: Sequence[npt.NDArray[np.intp]],
    published: list[int],
    base_weight: _I,
    k: int,
    cache: ProtectCache,
    *,
    pairs: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None = None,
) -> bool:
    """Whether every atom of the *published* cells weighs at least *k* (then nothing leaks).

    *cache* holds the base cells any dimension has respondents in, the atom groupings already
    made (by published cells) and the cells some dimension may publish (``None``: unknown).
    Base cells grouped by a superset of the published cells form a finer partition than the
    atoms, each atom a union of groups: if no group with respondents weighs less than *k*,
    no atom does, and that one grouping serves every dimension. Otherwise the atoms of the
    *published* cells decide. False also when the cheap route cannot decide. With *pairs* (as
    for :func:`_atom_groups`) and nested cells (see :func:`_chains`, computed once per
    cache), each base cell's atom is the smallest published cell holding it, read off the
    chains in one pass.
    """
    present, groupings, candidates = cache
    if np.any((base_weight > 0) & ~present):
        return False
    if pairs is not None:
        if b"chains" not in groupings:
            groupings[b"chains"] = _chains(pairs, present)
        chains = groupings[b"chains"]
        if chains is not None:
            # nested cells: a base cell's atom is the smallest published cell holding it
            is_pub = np.zeros(len(cells) + 1, dtype=bool)  # the last entry: chains' -1
            is_pub[np.asarray(published, dtype=np.intp)] = True
            atom = np.full(chains.shape[0], -1, dtype=np.intp)
            for j in range(chains.shape[1] - 1, -1, -1):  # largest first: the smallest wins
                col = chains[:, j]
                atom = np.where(is_pub[col], col, atom)
            inside = atom >= 0
            atom = atom[inside]
            w = np.bincount(atom, weights=base_weight[inside].astype(np.float64))
            return not np.any((w > 0) & (w < k))

    def heavy(group_of: npt.NDArray[np.intp] | None) -> bool:
        if group_of is None:
            return False
        inside = group_of >= 0
        w = np.bincount(group_of[inside], weights=base_weight[inside].astype(np.float64))
        return not np.any((w > 0) & (w < k))

    if candidates is not None and bool(candidates[published].all()):
        if b"candidates" not in groupings:
            wide = np.flatnonzero(candidates).tolist()
            groupings[b"candidates"] = _atom_groups(cells, wide, present, pairs)
        if heavy(groupings[b"candidates"]):
            return True
    key = np.asarray(published, dtype=np.intp).tobytes()
    if key not in groupings:
        groupings[key] = _atom_groups(cells, published, present, pairs)
    return heavy(groupings[key])


def _atoms_plain(
    cells: Sequence[npt.NDArray[np.intp]], published: Sequence[int], base_weight: _I
) -> tuple[list[list[int]], _I]:
    sig: dict[int, list[int]] = {}
    for pos, c in enumerate(published):
        for b in cells[c].tolist():
            if base_weight[b] > 0:
                sig.setdefault(b, []).append(pos)
    groups: dict[tuple[int, ...], int] = {}
    weights: list[int] = []
    rows: list[list[int]] = []
    for b, lst in sig.items():
        key = tuple(lst)
        if key not in groups:
            groups[key] = len(weights)
            weights.append(0)
            rows.append(lst)
        weights[groups[key]] += int(base_weight[b])
    return rows, np.asarray(weights, dtype=np.int64)
