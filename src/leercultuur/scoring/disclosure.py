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
   by U are linearly dependent. Only atoms smaller than ``k`` can be part of a small leak, so
   the subsets of small atoms weighing less than ``k`` are enumerated. A leak suppresses the
   smallest published cell whose suppression alone makes it underivable (candidates tried in
   increasing size, each re-checked by rank, within ``MAX_FIX_TRIES`` and
   ``MAX_FIX_DENSE``), so a large total such as the whole organisation is withheld only
   when no smaller cell fixes the leak; failing that, the smallest published cell containing
   it. Steps 2-3 repeat. Suppression only shrinks the published rows' span, so it never
   creates a leak.

Every suppression is logged (cell, dimension, reason, n), never an answer.

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

import functools
import itertools
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["Decision", "Relation", "find_leak", "protect"]

_I = npt.NDArray[np.int64]

MAX_DENSE = 4_000_000
"""The largest cells x atoms matrix the exact check factorises."""
MAX_SUBSETS = 50_000
"""The largest number of small-atom subsets the exact check examines."""


@attrs.frozen
class Relation:
    """A parent cell and child cells that partition part of it (the rest is its remainder)."""

    parent: int
    children: tuple[int, ...]


@attrs.frozen
class Decision:
    """The outcome of :func:`protect` for one dimension.

    ``suppressed[c]`` says whether cell ``c`` is withheld, ``reasons[c]`` why (``None`` if
    published), ``log`` lists ``(cell, reason, detail)`` in the order decided, and
    ``verified`` says whether the exact check ran to completion.
    """

    suppressed: npt.NDArray[np.bool_]
    reasons: tuple[str | None, ...]
    log: tuple[tuple[int, str, str], ...]
    verified: bool


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
    cells: Sequence[npt.NDArray[np.intp]], published: Sequence[int], present: npt.NDArray[np.bool_]
) -> npt.NDArray[np.intp] | None:
    """Each *present* base cell's atom (as :func:`_atoms` groups them), -1 for the others.

    ``None`` if the signature grouping fails its exact verification. The grouping does not
    depend on the weights, so one grouping serves every dimension with the same published
    cells: an atom's weight on a dimension is the sum of its base cells' weights.
    """
    nb = present.size
    sizes = [cells[c].size for c in published]
    pos = np.repeat(np.arange(len(published), dtype=np.intp), sizes)
    base = np.concatenate([cells[c] for c in published]) if published else pos
    keep = present[base]
    pos, base = pos[keep], base[keep]
    group_of = np.full(nb, -1, dtype=np.intp)
    if base.size == 0:
        return group_of
    r = _signature_keys(len(published))
    sig = np.zeros(nb, dtype=np.uint64)
    np.add.at(sig, base, r[pos].astype(np.uint64))
    bases = np.flatnonzero(np.bincount(base, minlength=nb))
    _keys, group = np.unique(sig[bases], return_inverse=True)
    group = group.reshape(-1)
    n_groups = int(group.max()) + 1
    group_of[bases] = group
    gsize = np.bincount(group, minlength=n_groups)
    gp, gp_count = np.unique(
        group_of[base].astype(np.int64) * len(published) + pos, return_counts=True
    )
    g_of_gp = gp // len(published)
    per_base = np.bincount(base, minlength=nb)[bases]
    distinct = np.bincount(g_of_gp, minlength=n_groups)
    if np.all(gp_count == gsize[g_of_gp]) and np.all(per_base == distinct[group]):
        return group_of
    return None


def _no_small_atom(
    cells: Sequence[npt.NDArray[np.intp]],
    published: list[int],
    base_weight: _I,
    k: int,
    cache: ProtectCache,
) -> bool:
    """Whether every atom of the *published* cells weighs at least *k* (then nothing leaks).

    *cache* holds the base cells any dimension has respondents in, the atom groupings already
    made (by published cells) and the cells some dimension may publish (``None``: unknown).
    Base cells grouped by a superset of the published cells form a finer partition than the
    atoms, each atom a union of groups: if no group with respondents weighs less than *k*,
    no atom does, and that one grouping serves every dimension. Otherwise the atoms of the
    *published* cells decide. False also when the cheap route cannot decide.
    """
    present, groupings, candidates = cache
    if np.any((base_weight > 0) & ~present):
        return False

    def heavy(group_of: npt.NDArray[np.intp] | None) -> bool:
        if group_of is None:
            return False
        inside = group_of >= 0
        w = np.bincount(group_of[inside], weights=base_weight[inside].astype(np.float64))
        return not np.any((w > 0) & (w < k))

    if candidates is not None and bool(candidates[published].all()):
        if b"candidates" not in groupings:
            wide = np.flatnonzero(candidates).tolist()
            groupings[b"candidates"] = _atom_groups(cells, wide, present)
        if heavy(groupings[b"candidates"]):
            return True
    key = np.asarray(published, dtype=np.intp).tobytes()
    if key not in groupings:
        groupings[key] = _atom_groups(cells, published, present)
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


def find_leak(
    cells: Sequence[npt.NDArray[np.intp]],
    base_weight: _I,
    k: int,
    *,
    published: Sequence[int] | None = None,
) -> frozenset[int] | None:
    """A set of base cells that the published cells isolate with fewer than *k* people, or None.

    *cells* lists each cell's member base cells; *base_weight* counts the respondents of each
    base cell. Returns the base cells of a leaking set of atoms. Raises :class:`OverflowError`
    when the problem is too large to check exactly.
    """
    pub = list(range(len(cells))) if published is None else list(published)
    if not pub:
        return None
    inside = np.concatenate([cells[c] for c in pub])
    w = base_weight[inside]
    if not np.any((w > 0) & (w < k)):
        return None  # every atom is a union of base cells, so none weighs less than k
    if len(pub) * int(np.count_nonzero(base_weight)) > MAX_DENSE:
        raise OverflowError("disclosure check too large")
    rows, weights = _atoms(cells, pub, base_weight)
    small = np.flatnonzero(weights < k)
    if small.size == 0:
        return None
    if len(pub) * weights.size > MAX_DENSE:
        raise OverflowError("disclosure check too large")
    b = np.zeros((len(pub), weights.size))
    for a, lst in enumerate(rows):
        b[lst, a] = 1.0
    _u, sv, vt = np.linalg.svd(b, full_matrices=True)
    rank = int((sv > 1e-9 * max(1.0, float(sv[0]) if sv.size else 1.0)).sum())
    null = vt[rank:].T  # atoms x q
    order = sorted(small.tolist(), key=lambda a: (int(weights[a]), a))
    budget = [MAX_SUBSETS]

    def dependent(subset: list[int]) -> bool:
        m = null[subset]
        if m.shape[1] == 0:
            return True
        return int(np.linalg.matrix_rank(m, tol=1e-8)) < len(subset)

    def search(start: int, subset: list[int], weight: int) -> list[int] | None:
        for i in range(start, len(order)):
            a = order[i]
            w = weight + int(weights[a])
            if w >= k:
                break  # sorted by weight: later atoms are heavier
            budget[0] -= 1
            if budget[0] < 0:
                raise OverflowError("disclosure check too large")
            cand = [*subset, a]
            if dependent(cand):
                return cand
            found = search(i + 1, cand, w)
            if found is not None:
                return found
        return None

    leak = search(0, [], 0)
    if leak is None:
        return None
    atom_set = {tuple(rows[a]) for a in leak}
    out = set()
    member: dict[int, list[int]] = {}
    for pos, c in enumerate(pub):
        for bb in cells[c].tolist():
            if base_weight[bb] > 0:
                member.setdefault(bb, []).append(pos)
    for bb, lst in member.items():
        if tuple(lst) in atom_set:
            out.add(bb)
    return frozenset(out)


def flatten_relations(
    relations: Sequence[Relation],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The relations as arrays: each relation's parent; each child's relation and cell."""
    rel_parent = np.asarray([r.parent for r in relations], dtype=np.intp)
    child_rel = np.asarray([i for i, r in enumerate(relations) for _c in r.children], dtype=np.intp)
    child_cell = np.asarray([c for r in relations for c in r.children], dtype=np.intp)
    return rel_parent, child_rel, child_cell


MAX_FIX_DENSE = 250_000
"""The largest published cells x base cells matrix on which complements are tried one by one."""
MAX_FIX_TRIES = 64
"""The most candidate complements confirmed by a rank test (smallest first) for one leak."""


def _derivable(b: npt.NDArray[np.float64], in_leak: npt.NDArray[np.bool_]) -> bool:
    """Whether a combination of the rows of *b* is nonzero and supported on *in_leak* columns."""
    if b.shape[0] == 0:
        return False
    full = int(np.linalg.matrix_rank(b))
    rest = int(np.linalg.matrix_rank(b[:, ~in_leak])) if np.any(~in_leak) else 0
    return full > rest


def _smallest_fix(
    cells: Sequence[npt.NDArray[np.intp]],
    published: list[int],
    base_weight: _I,
    leak: frozenset[int],
    weight: list[int],
) -> int | None:
    """The smallest published cell whose suppression alone makes *leak* underivable, or None.

    A set T is derivable iff some vector of the published rows' span is nonzero and supported
    on T, iff ``rank(A) > rank(A without T's columns)`` (A: published cells x base cells with
    respondents; duplicate columns do not change ranks). One factorisation marks every cell
    whose removal alone leaves no such vector (see the comments below); the marked cells are
    confirmed by the rank test in increasing size (then index), at most :data:`MAX_FIX_TRIES`,
    so a large total such as the whole organisation is chosen only when no smaller cell fixes
    the leak. ``None`` when the matrix exceeds :data:`MAX_FIX_DENSE` or no cell fixes the leak
    alone. Suppressing a cell only shrinks the span, so it never creates a new leak.
    """
    cols = np.flatnonzero(base_weight > 0)
    if len(published) * cols.size > MAX_FIX_DENSE:
        return None
    col_of = np.full(base_weight.size, -1, dtype=np.intp)
    col_of[cols] = np.arange(cols.size)
    a = np.zeros((len(published), cols.size))
    for row, c in enumerate(published):
        m = col_of[cells[c]]
        a[row, m[m >= 0]] = 1.0
    in_leak = np.zeros(cols.size, dtype=bool)
    hit = col_of[np.fromiter(leak, dtype=np.intp, count=len(leak))]
    in_leak[hit[hit >= 0]] = True
    # y ranges over the left null space of the columns outside the leak (y = n z); y's
    # combination is supported on the leak and nonzero iff h z != 0. Without cell r, z must
    # also satisfy n[r] z = 0: the leak is gone iff n[r] != 0 and every row of h is a
    # multiple of n[r], so h has rank 1 and n[r] is parallel to its one right singular vector.
    if np.any(~in_leak):
        u, sv, _vt = np.linalg.svd(a[:, ~in_leak], full_matrices=True)
        tol = 1e-9 * max(1.0, float(sv[0]) if sv.size else 1.0)
        n = u[:, int((sv > tol).sum()) :]
    else:
        n = np.eye(len(published))
    h = a[:, in_leak].T @ n
    _hu, hs, hv = np.linalg.svd(h, full_matrices=False)
    if hs.size == 0 or int((hs > 1e-9 * max(1.0, float(hs[0]))).sum()) != 1:
        return None  # no leak here (numerically), or no single cell removes every route to it
    along = n @ hv[0]
    off = np.linalg.norm(n - np.outer(along, hv[0]), axis=1)
    fixes = np.flatnonzero((np.abs(along) > 1e-8) & (off <= 1e-8 * np.maximum(1.0, np.abs(along))))
    order = sorted(fixes.tolist(), key=lambda r: (weight[published[r]], published[r]))
    for row in order[:MAX_FIX_TRIES]:  # confirmed by the rank test itself
        if not _derivable(np.delete(a, row, axis=0), in_leak):
            return published[row]
    return None


_PRIMARY = np.array([None, "below_threshold", "empty"], dtype=object)

ProtectCache = tuple[
    npt.NDArray[np.bool_], dict[bytes, npt.NDArray[np.intp] | None], npt.NDArray[np.bool_] | None
]
"""Work :func:`protect` shares between the dimensions of one report: the base cells with
respondents, the atom groupings by published cells, and the cells any dimension may publish
(a superset of every dimension's published cells, or ``None``)."""


def protect(
    weights: _I,
    cells: Sequence[npt.NDArray[np.intp]],
    base_weight: _I,
    relations: Sequence[Relation],
    k: int,
    *,
    pairs: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None = None,
    relation_arrays: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]
    | None = None,
    atom_cache: ProtectCache | None = None,
) -> Decision:
    """Decide which cells to suppress so that the published ones are k-protected.

    *weights* counts each cell's respondents on the dimension, *cells* lists each cell's base
    cells, *base_weight* each base cell's respondents, *relations* the parent/children
    partitions. See the module docstring for the three steps. *pairs* (optional, for speed)
    lists the same memberships as ``(cell, base cell)`` pairs, *relation_arrays* the relations
    as ``flatten_relations`` gives them. *atom_cache* (optional, for speed; shared by the
    dimensions of one report) is ``(present, {}, candidates)``: *present* marks every base cell
    with respondents, *candidates* (or ``None``) every cell some dimension may publish; an
    exact check whose atoms all weigh ``k`` or more is then settled from shared groupings.
    """
    supp = weights < k
    why = _PRIMARY[supp.astype(np.int8) + (weights == 0)]  # None, below k, empty
    reasons: list[str | None] = why.tolist()
    detail = f"fewer than {k} respondents"
    first = np.flatnonzero(supp)
    log: list[tuple[int, str, str]] = list(
        zip(first.tolist(), why[first].tolist(), itertools.repeat(detail, first.size), strict=True)
    )
    # base cells with 0 < n < k: only cells containing one can take part in a small leak
    small_base = (base_weight > 0) & (base_weight < k)
    if pairs is not None:
        has_small = np.bincount(pairs[0], weights=small_base[pairs[1]], minlength=len(cells)) > 0
    else:
        has_small = np.asarray([bool(small_base[m].any()) for m in cells], dtype=bool)
    nonzero = int(np.count_nonzero(base_weight))
    verified = True
    rel_parent, child_rel, child_cell = (
        relation_arrays if relation_arrays is not None else flatten_relations(relations)
    )
    n_rel = len(relations)
    wl: list[int] = weights.tolist()
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
            sl: list[bool] = supp.tolist()  # plain lists: the loop below reads single cells
            for r in bad.tolist():  # re-checked one by one: an earlier fix may settle a later one
                rel = relations[r]
                if sl[rel.parent]:
                    continue
                kids = rel.children
                hid = wl[rel.parent] - sum(wl[c] for c in kids if not sl[c])
                if not 0 < hid < k:
                    continue
                open_kids = [c for c in kids if not sl[c] and wl[c] > 0]
                target = min(open_kids, key=lambda c: (wl[c], c)) if open_kids else rel.parent
                sl[target] = True
                supp[target] = True
                reasons[target] = "complementary"
                log.append(
                    (target, "complementary", f"protects a group of {hid} within @{rel.parent}")
                )
        if not has_small[~supp].any():
            break  # every atom is a union of base cells of >= k: nothing small to isolate
        published = np.flatnonzero(~supp).tolist()
        if len(published) * nonzero > MAX_DENSE:
            verified = False  # find_leak would raise OverflowError: too large to check
            break
        if atom_cache is not None and _no_small_atom(cells, published, base_weight, k, atom_cache):
            break  # find_leak would find no atom below k, so no leak
        try:
            leak = find_leak(cells, base_weight, k, published=published)
        except OverflowError:
            verified = False
            break
        if leak is None:
            break
        fix = _smallest_fix(cells, published, base_weight, leak, wl)
        if fix is None:  # no single cell fixes it, or too large to try: the smallest holder
            holders = [c for c in published if leak.intersection(cells[c].tolist())]
            fix = min(holders, key=lambda c: (wl[c], c))
        target = fix
        supp[target] = True
        reasons[target] = "complementary"
        log.append((target, "complementary", "exact check: a small group was derivable"))
    return Decision(supp, tuple(reasons), tuple(log), verified)
