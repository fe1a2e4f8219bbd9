"""Synthetic benchmark surveys (performance.md section 5.1 setup)."""

from __future__ import annotations

import numpy as np

import leercultuur as lc

N_ITEMS, N_DIMS, N_UNITS = 40, 8, 10_000


def instrument() -> lc.Instrument:
    items = tuple(
        lc.Item(f"Q{i:02d}", lc.Text("v", "q"), f"dim{i % N_DIMS}", reverse=i % 5 == 0)
        for i in range(N_ITEMS)
    )
    return lc.Instrument(
        id="bench.survey",
        version="1",
        name=lc.Text("bench", "bench"),
        scale=lc.ResponseScale(lo=1, hi=5),
        items=items,
        licence=lc.Licence("MIT"),
    )


def codes(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """uint8 codes (8% missing) and each respondent's team index (10k teams, uniform)."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size=(n, N_ITEMS), dtype=np.uint8)
    x[rng.random((n, N_ITEMS), dtype=np.float32) < 0.08] = 0
    team = rng.integers(0, N_UNITS, n).astype(np.int32)
    return x, team


def survey(n: int, seed: int = 0) -> lc.Survey:
    """A survey of *n* respondents in 10k teams under 100 departments under one organisation."""
    x, team = codes(n, seed)
    depts = [f"afdeling:{d:03d}" for d in range(100)]
    teams = [f"team:{t:05d}" for t in range(N_UNITS)]
    units = ["organisatie:o", *depts, *teams]
    parent = np.array([-1] + [0] * 100 + [1 + t // 100 for t in range(N_UNITS)], dtype=np.int32)
    return lc.Survey.from_codes(
        x, instrument=instrument(), unit_of=team + 101, units=units, parent=parent
    )
