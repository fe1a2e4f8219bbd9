"""Attack the disclosure control with an independent brute-force differencing attacker.

The attacker (written here only, sharing no code with the library) knows every published
cell's member set per dimension (who is in the cell and has a score on that dimension) and
takes exact rational linear combinations of the published sums. k-protection (see
research/reliability_ecosystem.md A1): removing any k-1 respondents' columns must not lower the
rank of the cells x respondents membership matrix.
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import leercultuur as lc
from leercultuur.scoring.disclosure import find_leak

A_SCALE = lc.ResponseScale(lo=1, hi=5)
INSTRUMENT = lc.Instrument(
    id="test.disclosure",
    version="1",
    name=lc.Text("toets", "test"),
    scale=A_SCALE,
    items=(
        lc.Item("S1", lc.Text("a", "a"), "safety"),
        lc.Item("S2", lc.Text("b", "b"), "safety", reverse=True),
        lc.Item("A1", lc.Text("c", "c"), "autonomy"),
        lc.Item("A2", lc.Text("d", "d"), "autonomy"),
    ),
    licence=lc.Licence("MIT"),
)


def rank(rows: list[list[int]]) -> int:
    """Exact rank by fraction-free (Bareiss) elimination over the integers."""
    m = [list(r) for r in rows if any(r)]
    if not m:
        return 0
    n_cols = len(m[0])
    r = 0
    prev = 1
    for c in range(n_cols):
        pivot = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
        if pivot is None:
            continue
        m[r], m[pivot] = m[pivot], m[r]
        for i in range(r + 1, len(m)):
            for j in range(c + 1, n_cols):
                m[i][j] = (m[i][j] * m[r][c] - m[i][c] * m[r][j]) // prev
            m[i][c] = 0
        prev = m[r][c]
        r += 1
        if r == len(m):
            break
    return r


def leaks(cells: list[frozenset[int]], n: int, k: int) -> tuple[int, ...] | None:
    """A set of fewer than k respondents that the published cells isolate, or None."""
    a = [[int(i in c) for i in range(n)] for c in cells]
    full = rank(a)
    size = min(k - 1, n)
    for t in itertools.combinations(range(n), size):
        keep = [i for i in range(n) if i not in t]
        if rank([[row[i] for i in keep] for row in a]) < full:
            return t
    return None


def members(survey: lc.Survey, cell: str, valid: np.ndarray) -> frozenset[int]:
    """The respondents of *cell* with a score, computed from the survey independently."""
    n = survey.n_respondents
    chain: list[set[int]] = []
    for u in range(len(survey.units)):
        anc, p = {u}, int(survey.parent[u])
        while p >= 0:
            anc.add(p)
            p = int(survey.parent[p])
        chain.append(anc)
    inside = np.ones(n, dtype=bool)
    for part in cell.split(" | "):
        if part == "all":
            continue
        if "=" in part and part.split("=")[0] in survey.attributes:
            name, label = part.split("=", 1)
            codes, labels = survey.attributes[name]
            inside &= codes == labels.index(label)
        else:
            u = survey.units.index(part)
            inside &= np.array([u in chain[int(g)] for g in survey.unit_of])
    return frozenset(np.flatnonzero(inside & valid).tolist())


def published_cells(report: lc.ScoreReport, survey: lc.Survey) -> dict[str, list[frozenset[int]]]:
    out: dict[str, list[frozenset[int]]] = {}
    for dim in report.dimensions:
        cols = [
            survey.instrument.item_index(i.id)
            for i in survey.instrument.items
            if i.dimension == dim
        ]
        answered = (survey.codes[:, cols] > 0).sum(axis=1)
        valid = answered >= max(1, math.ceil(report.min_answered * len(cols) - 1e-9))
        sets = []
        for cell in report.cells:
            entry = report.scores(cell)[dim]
            if isinstance(entry, lc.CellScore):
                s = members(survey, cell, valid)
                assert len(s) == entry.n
                sets.append(s)
            else:
                assert isinstance(entry, lc.Suppressed)
                assert entry.reason in ("below_threshold", "complementary", "empty")
        out[dim] = sets
    return out


@st.composite
def organisations(draw: st.DrawFn) -> tuple[lc.Survey, int]:
    k = draw(st.integers(3, 5))
    n_depts = draw(st.integers(1, 2))
    units, parent = ["org:o"], [-1]
    teams: list[int] = []
    for d in range(n_depts):
        units.append(f"afd:{d}")
        parent.append(0)
        dept = len(units) - 1
        for t in range(draw(st.integers(1, 2))):
            units.append(f"team:{d}{t}")
            parent.append(dept)
            teams.append(len(units) - 1)
    sizes = [draw(st.integers(max(1, k - 2), k + 2)) for _ in teams]
    while sum(sizes) > 11:
        sizes[sizes.index(max(sizes))] -= 1
    unit_of = [t for t, s in zip(teams, sizes, strict=True) for _ in range(s)]
    if draw(st.booleans()):  # someone attached to a department directly
        unit_of.append(1)
    n = len(unit_of)
    codes = np.array(
        draw(st.lists(st.lists(st.integers(0, 5), min_size=4, max_size=4), min_size=n, max_size=n)),
        dtype=np.uint8,
    )
    attributes = {}
    for name in ("gender", "contract")[: draw(st.integers(0, 2))]:
        values = draw(st.lists(st.integers(-1, 1), min_size=n, max_size=n))
        attributes[name] = (np.array(values, dtype=np.int32), ("x", "y"))
    survey = lc.Survey.from_codes(
        codes,
        instrument=INSTRUMENT,
        unit_of=np.array(unit_of, dtype=np.int32),
        units=units,
        parent=np.array(parent, dtype=np.int32),
        attributes=attributes,
    )
    return survey, k


@given(organisations())
def test_no_combination_of_published_cells_isolates_fewer_than_k(
    case: tuple[lc.Survey, int],
) -> None:
    survey, k = case
    report = lc.score(survey, min_group_size=k)
    for dim, cells in published_cells(report, survey).items():
        assert all(len(c) >= k for c in cells), dim
        assert leaks(cells, survey.n_respondents, k) is None, dim
    for entry in report.audit:
        assert entry.reason in ("below_threshold", "complementary", "empty")


def test_threshold_only_textbook_case_is_caught() -> None:
    # k = 3, four respondents in one team, gender split 3 + 1: overall - gender0 isolates one
    codes = np.array([[3, 3, 3, 3]] * 4, dtype=np.uint8)
    survey = lc.Survey.from_codes(
        codes,
        instrument=INSTRUMENT,
        unit_of=np.zeros(4, dtype=np.int32),
        units=["team:a"],
        parent=np.array([-1], dtype=np.int32),
        attributes={"gender": (np.array([0, 0, 0, 1], dtype=np.int32), ("f", "m"))},
    )
    report = lc.score(survey, min_group_size=3)
    for dim, cells in published_cells(report, survey).items():
        assert leaks(cells, 4, 3) is None, dim
    withheld = report.withheld("team:a | gender=f")
    assert withheld["safety"].reason == "complementary"
    assert report.withheld("team:a | gender=m")["safety"].reason == "below_threshold"
    assert any(a.cell == "team:a | gender=f" for a in report.audit)


def test_department_minus_teams_is_caught() -> None:
    # a department of 12 with teams of 6, 4 and 2 direct members: dept - team1 - team2 leaks 2
    unit_of = np.array([1] * 6 + [2] * 4 + [0] * 2, dtype=np.int32)
    survey = lc.Survey.from_codes(
        np.full((12, 4), 2, dtype=np.uint8),
        instrument=INSTRUMENT,
        unit_of=unit_of,
        units=["afd:a", "team:a1", "team:a2"],
        parent=np.array([-1, 0, 0], dtype=np.int32),
    )
    report = lc.score(survey, min_group_size=5)
    assert isinstance(report.scores("team:a2")["safety"], lc.Suppressed)
    for dim, cells in published_cells(report, survey).items():
        assert leaks(cells, 12, 5) is None, dim
    # the published department still reports its score
    assert isinstance(report.scores("afd:a")["safety"], lc.CellScore)


def test_find_leak_matches_the_brute_force_attacker() -> None:
    rng = np.random.default_rng(3)
    for _ in range(60):
        n = int(rng.integers(3, 9))
        k = int(rng.integers(2, 5))
        cells = [frozenset(np.flatnonzero(rng.random(n) < 0.5).tolist()) for _ in range(4)]
        cells = [c for c in cells if c]
        # base cells = respondents (weight 1)
        lib = find_leak(
            [np.array(sorted(c), dtype=np.intp) for c in cells], np.ones(n, np.int64), k
        )
        brute = leaks(cells, n, k)
        assert (lib is None) == (brute is None), (cells, k)


def test_min_group_size_below_three_is_refused() -> None:
    survey = lc.Survey.from_codes(
        np.full((4, 4), 2, dtype=np.uint8),
        instrument=INSTRUMENT,
        unit_of=np.zeros(4, dtype=np.int32),
        units=["team:a"],
        parent=np.array([-1], dtype=np.int32),
    )
    with pytest.raises(lc.LeercultuurError, match="min_group_size"):
        lc.score(survey, min_group_size=2)


def test_the_attacker_breaks_threshold_only_publication() -> None:
    # everyone (4) and gender f (3) published with k = 3: their difference is one person
    assert (
        leaks([frozenset({0, 1, 2, 3}), frozenset({0, 1, 2})], 4, 3) == (3, 0)
        or leaks([frozenset({0, 1, 2, 3}), frozenset({0, 1, 2})], 4, 3) is not None
    )
    assert leaks([frozenset({0, 1, 2, 3})], 4, 3) is None


def test_vectorised_atoms_equal_plain_grouping() -> None:
    from leercultuur.scoring.disclosure import _atoms, _atoms_plain

    rng = np.random.default_rng(8)
    for _ in range(30):
        nb = int(rng.integers(1, 30))
        cells = [np.flatnonzero(rng.random(nb) < 0.4) for _ in range(int(rng.integers(1, 8)))]
        weight = rng.integers(0, 4, nb).astype(np.int64)
        pub = [c for c in range(len(cells)) if rng.random() < 0.8]
        fast_rows, fast_w = _atoms(cells, pub, weight)
        slow_rows, slow_w = _atoms_plain(cells, pub, weight)
        fast = sorted(zip(map(tuple, fast_rows), fast_w.tolist(), strict=True))
        slow = sorted(zip(map(tuple, slow_rows), slow_w.tolist(), strict=True))
        assert fast == slow


def test_shared_atom_grouping_decides_as_the_atoms_do() -> None:
    from leercultuur.scoring.disclosure import _atoms, _no_small_atom

    rng = np.random.default_rng(9)
    for trial in range(80):
        nb = int(rng.integers(1, 30))
        cells = [np.flatnonzero(rng.random(nb) < 0.4) for _ in range(int(rng.integers(1, 8)))]
        present = rng.random(nb) < 0.9
        pub = [c for c in range(len(cells)) if rng.random() < 0.8]
        # cells some dimension may publish: unknown, or a superset of the published ones
        candidates = None if trial % 2 else np.isin(np.arange(len(cells)), pub)
        if candidates is not None:
            candidates |= rng.random(len(cells)) < 0.3
        cache = (present, {}, candidates)
        for k in (3, 5):
            for _dim in range(3):  # several weightings reuse the groupings
                weight = np.where(present, rng.integers(0, 6, nb), 0).astype(np.int64)
                _rows, w = _atoms(cells, pub, weight)
                assert _no_small_atom(cells, pub, weight, k, cache) == (not np.any(w < k))
        assert len(cache[1]) <= 2


def test_root_total_stays_published_when_a_smaller_complement_suffices() -> None:
    # org (11) > afd:a (teams a1 of 5, a2 of 4) and afd:b (team b1 of 2), crossed with gender;
    # k = 3. Withholding team:a2 (4) closes the gap the exact check finds; the organisation's
    # total must not be withheld for it (the smallest-cell-containing-the-leak rule did that).
    gender = np.array([0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0], dtype=np.int32)
    survey = lc.Survey.from_codes(
        np.full((11, 4), 3, dtype=np.uint8),
        instrument=INSTRUMENT,
        unit_of=np.array([3] * 5 + [4] * 4 + [5] * 2, dtype=np.int32),
        units=["org:o", "afd:a", "afd:b", "team:a1", "team:a2", "team:b1"],
        parent=np.array([-1, 0, 0, 1, 1, 2], dtype=np.int32),
        attributes={"gender": (gender, ("f", "m"))},
    )
    report = lc.score(survey, min_group_size=3)
    exact = [a for a in report.audit if a.detail.startswith("exact check")]
    assert exact, "the exact check must have had a leak to fix"
    assert all(a.cell != "org:o" for a in exact)
    assert isinstance(report.scores("org:o")["safety"], lc.CellScore)
    assert isinstance(report.scores("team:a2")["safety"], lc.Suppressed)
    for dim, cells in published_cells(report, survey).items():
        assert all(len(c) >= 3 for c in cells), dim
        assert leaks(cells, 11, 3) is None, dim


def test_protect_leaves_no_leak_on_arbitrary_overlapping_cells() -> None:
    from leercultuur.scoring.disclosure import protect

    rng = np.random.default_rng(11)
    for _ in range(60):
        n = int(rng.integers(4, 10))
        k = int(rng.integers(3, 5))
        sets = [frozenset(range(n))]  # a root total, then random overlapping cells
        sets += [frozenset(np.flatnonzero(rng.random(n) < 0.6).tolist()) for _ in range(5)]
        cells = [np.array(sorted(s), dtype=np.intp) for s in sets]
        weights = np.array([len(s) for s in sets], dtype=np.int64)
        decision = protect(weights, cells, np.ones(n, np.int64), [], k)
        assert decision.verified
        published = [s for s, hide in zip(sets, decision.suppressed, strict=True) if not hide]
        assert all(len(s) >= k for s in published)
        assert leaks(published, n, k) is None, (sets, k)


# -- the choice of complements ---------------------------------------------------------------


def _derivable_exact(rows: list[list[int]], leak: set[int]) -> bool:
    """Whether a combination of *rows* is nonzero and supported on the *leak* columns."""
    if not rows:
        return False
    outside = [[v for j, v in enumerate(r) if j not in leak] for r in rows]
    return rank(rows) > rank(outside)


def _old_rule_fix(
    cells: list[np.ndarray],
    published: list[int],
    base_weight: np.ndarray,
    leak: frozenset[int],
    weight: list[int],
) -> list[int]:
    """The rule before the cheapest-set search: the lightest single cell whose withholding
    makes the leak underivable, else the lightest published cell holding part of it."""
    n = base_weight.size
    rows = {c: [int(j in set(cells[c].tolist()) and base_weight[j] > 0) for j in range(n)]
            for c in published}  # fmt: skip
    for c in sorted(published, key=lambda c: (weight[c], c)):
        if not _derivable_exact([rows[d] for d in published if d != c], set(leak)):
            return [c]
    holders = [c for c in published if leak.intersection(cells[c].tolist())]
    return [min(holders, key=lambda c: (weight[c], c))]


def _hidden(report: lc.ScoreReport) -> int:
    return sum(int(d.n[d.suppressed].sum()) for d in report.per_dimension.values())


@given(organisations())
def test_cheapest_complements_hide_no_more_than_the_old_rule(
    case: tuple[lc.Survey, int],
) -> None:
    import leercultuur.scoring.disclosure as disclosure

    survey, k = case
    new = lc.score(survey, min_group_size=k)
    original = disclosure.cheapest_fix
    disclosure.cheapest_fix = _old_rule_fix  # type: ignore[assignment]
    try:
        old = lc.score(survey, min_group_size=k)
    finally:
        disclosure.cheapest_fix = original
    assert _hidden(new) <= _hidden(old)


def test_cheapest_fix_is_the_lightest_closing_set() -> None:
    from leercultuur.scoring.disclosure._fix import cheapest_fix

    rng = np.random.default_rng(21)
    checked = 0
    for _ in range(150):
        n = int(rng.integers(4, 9))
        k = int(rng.integers(3, 5))
        sets = [frozenset(range(n))]
        sets += [frozenset(np.flatnonzero(rng.random(n) < 0.5).tolist()) for _ in range(5)]
        sets = [s for s in sets if s]
        cells = [np.array(sorted(s), dtype=np.intp) for s in sets]
        ones = np.ones(n, np.int64)
        pub = list(range(len(cells)))
        leak = find_leak(cells, ones, k, published=pub)
        if leak is None:
            continue
        weight = [len(s) for s in sets]
        fix = cheapest_fix(cells, pub, ones, leak, weight)
        assert fix is not None
        rows = [[int(i in s) for i in range(n)] for s in sets]
        assert not _derivable_exact([rows[c] for c in pub if c not in fix], set(leak))
        lightest = min(
            sum(weight[c] for c in combo)
            for size in range(1, len(pub) + 1)
            for combo in itertools.combinations(pub, size)
            if not _derivable_exact([rows[c] for c in pub if c not in combo], set(leak))
        )
        assert sum(weight[c] for c in fix) == lightest
        checked += 1
    assert checked > 20


def test_org_total_is_kept_when_smaller_cells_close_the_gap() -> None:
    # demo at k = 6: the rule before withheld the total ("all") on two dimensions; four
    # cells of 6 to 14 respondents close the same gaps
    from leercultuur import demo

    report = lc.score(demo.load_survey(), min_group_size=6)
    assert all(isinstance(e, lc.CellScore) for e in report.scores("all").values())


# -- fast paths and the decision's lazy fields ------------------------------------------------


def test_no_small_base_cell_withholds_only_empty_cells() -> None:
    from leercultuur.scoring.disclosure import Relation, protect

    rng = np.random.default_rng(4)
    for _ in range(40):
        k = int(rng.integers(3, 6))
        nb = int(rng.integers(2, 7))
        base = np.where(rng.random(nb) < 0.3, 0, rng.integers(k, k + 3, nb)).astype(np.int64)
        cells = [np.arange(nb, dtype=np.intp)]
        cells += [np.flatnonzero(rng.random(nb) < 0.5) for _ in range(4)]
        weights = np.array([int(base[c].sum()) for c in cells], dtype=np.int64)
        relations = [Relation(0, (1,))]  # cell 1 lies within the total, cell 0
        decision = protect(weights, cells, base, relations, k)
        assert decision.suppressed.tolist() == (weights == 0).tolist()
        assert all(r == "empty" for c, r, _d in decision.log)
        # respondents as base cells: the attacker finds nothing either
        who = np.repeat(np.arange(nb), base)
        published = [
            frozenset(np.flatnonzero(np.isin(who, c)).tolist())
            for c, hide in zip(cells, decision.suppressed, strict=True)
            if not hide
        ]
        assert leaks(published, int(base.sum()), k) is None


def test_decision_reasons_and_log_agree() -> None:
    from leercultuur.scoring.disclosure import protect

    rng = np.random.default_rng(12)
    for _ in range(40):
        n = int(rng.integers(4, 10))
        k = int(rng.integers(3, 5))
        sets = [frozenset(range(n))]
        sets += [frozenset(np.flatnonzero(rng.random(n) < 0.6).tolist()) for _ in range(5)]
        cells = [np.array(sorted(s), dtype=np.intp) for s in sets]
        weights = np.array([len(s) for s in sets], dtype=np.int64)
        decision = protect(weights, cells, np.ones(n, np.int64), [], k)
        logged = {c: r for c, r, _d in decision.log}
        assert len(logged) == len(decision.log)  # each cell is withheld once
        assert sorted(logged) == np.flatnonzero(decision.suppressed).tolist()
        for c, r in enumerate(decision.reasons):
            assert r == logged.get(c)


def _pairs(cells: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    cell = np.repeat(np.arange(len(cells)), [c.size for c in cells]).astype(np.intp)
    base = np.concatenate(cells).astype(np.intp) if cells else cell
    return cell, base


def test_nested_and_overlapping_cells_decide_as_the_atoms_do() -> None:
    from leercultuur.scoring.disclosure import _atoms, _no_small_atom
    from leercultuur.scoring.disclosure._atoms import _chains

    rng = np.random.default_rng(17)
    for trial in range(120):
        nb = int(rng.integers(1, 25))
        # a random tree of cells over the base cells (nested), sometimes with a cross-cut
        cells = [np.arange(nb, dtype=np.intp)]
        for _ in range(int(rng.integers(1, 7))):
            parent = cells[int(rng.integers(len(cells)))]
            cells.append(parent[rng.random(parent.size) < 0.5])
        crossed = trial % 3 == 0
        if crossed:
            cells.append(np.flatnonzero(rng.random(nb) < 0.5).astype(np.intp))
        pairs = _pairs(cells)
        present = rng.random(nb) < 0.9
        sets = [frozenset(c.tolist()) for c in cells]
        nested = all(a <= b or b <= a or not a & b for a in sets for b in sets)
        chains = _chains(pairs, present)
        if nested:
            assert chains is not None
        for k in (3, 5):
            for _dim in range(3):
                weight = np.where(present, rng.integers(0, 6, nb), 0).astype(np.int64)
                pub = [c for c in range(len(cells)) if rng.random() < 0.7]
                _rows, w = _atoms(cells, pub, weight)
                cache = (present, {}, None)
                got = _no_small_atom(cells, pub, weight, k, cache, pairs=pairs)
                assert got == (not np.any(w < k)), (sets, pub)


def test_relation_rule_on_many_children_chooses_as_one_child_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import leercultuur.scoring.disclosure as disclosure
    from leercultuur.scoring.disclosure import Relation, protect

    rng = np.random.default_rng(5)
    chosen = 0
    for _ in range(30):
        k = int(rng.integers(3, 6))
        n_kids = int(rng.integers(30, 80))
        # heavy children with a few small ones; the last base cell: the parent's own rest
        base = rng.integers(k, k + 4, n_kids + 1).astype(np.int64)
        small = rng.random(n_kids + 1) < 0.04
        base[small] = rng.integers(0, k, int(small.sum()))
        base[-1] = rng.integers(0, k)
        cells = [np.arange(n_kids + 1, dtype=np.intp)]
        cells += [np.array([b], dtype=np.intp) for b in range(n_kids)]
        weights = np.array([int(base[c].sum()) for c in cells], dtype=np.int64)
        relations = [Relation(0, tuple(range(1, n_kids + 1)))]
        fast = protect(weights, cells, base, relations, k)
        # the same relations as plain pairs, their arrays made only when the rules read them
        pairs = protect(
            weights, cells, base, [(r.parent, r.children) for r in relations], k,
            relation_arrays=functools.partial(disclosure.flatten_relations, relations),
        )  # fmt: skip
        assert pairs.suppressed.tolist() == fast.suppressed.tolist()
        assert pairs.log == fast.log
        monkeypatch.setattr(disclosure, "_MANY_CHILDREN", 10**9)
        slow = protect(weights, cells, base, relations, k)
        monkeypatch.undo()
        assert fast.suppressed.tolist() == slow.suppressed.tolist()
        assert fast.log == slow.log
        chosen += sum(r == "complementary" for r in fast.reasons)
    assert chosen >= 5  # the rule had children to choose


def test_a_withheld_cell_reports_the_count_the_threshold_applied_to() -> None:
    from leercultuur import demo

    report = lc.score(demo.load_survey())
    k = report.min_group_size
    for entry in report.audit:
        withheld = report.scores(entry.cell)[entry.dimension]
        assert isinstance(withheld, lc.Suppressed)
        assert withheld.n == entry.n
        assert withheld.respondents is not None
        assert withheld.respondents >= withheld.n
        if withheld.reason == "below_threshold":
            assert 0 < withheld.n < k
