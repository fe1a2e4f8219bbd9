"""The exact k-protection check and the choice of a complement that fixes a leak."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from leercultuur.scoring.disclosure._atoms import _atoms

_I = npt.NDArray[np.int64]

MAX_DENSE = 4_000_000
"""The largest cells x atoms matrix the exact check factorises."""
MAX_SUBSETS = 1_000_000
"""The largest number of small-atom subsets the exact check examines."""
_DEP_TOL = 1e-8
"""A null-space row within this distance of the span of the others counts as dependent."""


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
    null = _small_null(b, small)
    wts = weights.tolist()
    budget = [MAX_SUBSETS]
    # depth-first over subsets of small atoms, lightest first; the rows of ``null`` for the
    # current subset are kept as an orthonormal basis, and each node projects all the atoms
    # that may extend it at once (the same subsets, in the same order, as one at a time)
    basis = np.zeros((k, null.shape[1]))

    def search(
        order: list[int], start: int, depth: int, subset: list[int], weight: int
    ) -> list[int] | None:
        end = start
        while end < len(order) and weight + wts[order[end]] < k:
            end += 1  # sorted by weight: later atoms are heavier
        if end == start:
            return None
        cand = order[start:end]
        q = basis[:depth]
        v = null[cand]
        if depth:
            v = v - (v @ q.T) @ q
            v -= (v @ q.T) @ q  # a second pass keeps the basis orthonormal
        norms = np.linalg.norm(v, axis=1).tolist()
        for j, a in enumerate(cand):
            budget[0] -= 1
            if budget[0] < 0:
                raise OverflowError("disclosure check too large")
            if norms[j] <= _DEP_TOL:  # null[a] lies in the span: the rows are dependent
                return _circuit(null, subset, a)
            nxt = start + j + 1
            if nxt < end and weight + wts[a] + wts[order[nxt]] < k:  # room for one more
                basis[depth] = v[j] / norms[j]
                found = search(order, nxt, depth + 1, [*subset, a], weight + wts[a])
                if found is not None:
                    return found
        return None

    # a circuit lies within one connected component of the small atoms' matroid
    for part in _components(null, small):
        part.sort(key=lambda a: (wts[a], a))
        leak = search(part, 0, 0, [], 0)
        if leak is not None:
            break
    else:
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


def _small_null(b: npt.NDArray[np.float64], small: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """Rows for the *small* atoms whose dependencies are the leaks (other rows zero).

    A set U of small atoms leaks iff a vector of the row space of the cells x atoms matrix
    *b* is supported on U. Such vectors are ``y @ b`` with ``y`` in the left null space of the
    heavy atoms' columns, so they form the row space of ``f = Y.T @ b[:, small]``; the rows
    of an orthonormal basis of the null space of ``f`` indexed by U are dependent iff one of
    them is supported on U. The same rows, up to a basis change, as the small atoms' rows
    of a null-space basis of *b*, from two small factorisations instead of one of the whole
    matrix.
    """
    heavy = np.ones(b.shape[1], dtype=bool)
    heavy[small] = False
    if heavy.any():
        u, sv, _vt = np.linalg.svd(b[:, heavy], full_matrices=True)
        y = u[:, int((sv > 1e-9 * max(1.0, float(sv[0]) if sv.size else 1.0)).sum()) :]
    else:
        y = np.eye(b.shape[0])
    f = y.T @ b[:, small]
    if f.shape[0] == 0:
        g = np.eye(small.size)
    else:
        _u, sv, vt = np.linalg.svd(f, full_matrices=True)
        g = vt[int((sv > 1e-9 * max(1.0, float(sv[0]) if sv.size else 1.0)).sum()) :].T
    null = np.zeros((b.shape[1], g.shape[1]))
    null[small] = g
    return null


def _components(null: npt.NDArray[np.float64], small: npt.NDArray[np.intp]) -> list[list[int]]:
    """The *small* atoms that can form a circuit, split into the matroid's connected components.

    The matroid: the rows of ``null`` of the small atoms, a set of them dependent iff it leaks.
    A basis is chosen greedily; each other element and the basis elements that express it form
    its fundamental circuit, and the components of the graph these circuits span are the
    matroid's connected components (every circuit lies within one). Components of one
    element hold a loop (a leak on its own) or a coloop (in no circuit: dropped). Ordered by
    their lightest atom's index.
    """
    m = null[small]
    n_small = small.size
    if m.shape[1] == 0:  # every row is zero: each small atom leaks alone
        return [[a] for a in small.tolist()]
    basis_rows: list[int] = []
    q = np.zeros((min(n_small, m.shape[1]), m.shape[1]))
    for i in range(n_small):
        if len(basis_rows) == q.shape[0]:
            break
        v = m[i] - q[: len(basis_rows)].T @ (q[: len(basis_rows)] @ m[i])
        v -= q[: len(basis_rows)].T @ (q[: len(basis_rows)] @ v)
        norm = float(np.linalg.norm(v))
        if norm > _DEP_TOL:
            q[len(basis_rows)] = v / norm
            basis_rows.append(i)
    parent = list(range(n_small))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    others = [i for i in range(n_small) if i not in set(basis_rows)]
    loops: set[int] = set()
    if others and basis_rows:
        coef, *_ = np.linalg.lstsq(m[basis_rows].T, m[others].T, rcond=None)
        for j, e in enumerate(others):
            hit = np.flatnonzero(np.abs(coef[:, j]) > 1e-7)
            if hit.size == 0:
                loops.add(e)
            for b in hit.tolist():
                parent[root(e)] = root(basis_rows[b])
    elif others:
        loops.update(others)
    groups: dict[int, list[int]] = {}
    for i in range(n_small):
        groups.setdefault(root(i), []).append(i)
    out = [[int(small[i]) for i in g] for g in groups.values() if len(g) > 1 or g[0] in loops]
    return out


def _circuit(null: npt.NDArray[np.float64], independent: list[int], a: int) -> list[int]:
    """The one circuit of ``independent + [a]``: *a* and the atoms its row combines."""
    if not independent:
        return [a]
    coef, *_ = np.linalg.lstsq(null[independent].T, null[a], rcond=None)
    return [b for b, c in zip(independent, coef.tolist(), strict=True) if abs(c) > 1e-7] + [a]
