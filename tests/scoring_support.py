"""Shared builders for the scoring tests."""

from __future__ import annotations

import numpy as np

import leercultuur as lc


def instrument(lens: list[int], hi: int, reverse_every: int, ident: str = "t.i") -> lc.Instrument:
    """An instrument with dimensions ``d0, d1, ...`` of *lens* items on a ``1..hi`` scale.

    Items are numbered across dimensions; every *reverse_every*-th is reverse-keyed.
    """
    dims = [f"d{d}" for d, length in enumerate(lens) for _ in range(length)]
    items = tuple(
        lc.Item(f"Q{i:02d}", lc.Text("v", "q"), d, reverse=i % reverse_every == 0)
        for i, d in enumerate(dims)
    )
    return lc.Instrument(
        id=ident,
        version="1",
        name=lc.Text(ident, ident),
        scale=lc.ResponseScale(lo=1, hi=hi),
        items=items,
        licence=lc.Licence("MIT"),
    )


def assert_same_report(a: lc.ScoreReport, b: lc.ScoreReport) -> None:
    """Every published array byte for byte, the JSON export and the audit log."""
    assert a.cells == b.cells
    assert np.array_equal(a.respondents, b.respondents)
    for name in a.dimensions:
        x, y = a.per_dimension[name], b.per_dimension[name]
        for field in ("n", "mean", "sd", "half", "mean_raw", "rwg", "truncated", "n_complete"):
            u, v = np.asarray(getattr(x, field)), np.asarray(getattr(y, field))
            assert u.dtype == v.dtype, field
            assert u.tobytes() == v.tobytes(), (name, field)
    assert a.to_json() == b.to_json()
    assert [repr(e) for e in a.audit] == [repr(e) for e in b.audit]
