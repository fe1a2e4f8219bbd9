"""Shared builders for the scoring tests."""

from __future__ import annotations

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
