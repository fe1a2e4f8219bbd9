"""Time building a Survey from large tables (numeric and text units) and from CSV.

Run: ``PYTHONPATH=src python benchmarks/bench_survey.py --rows 1000000 --items 40``.
Prints the best of ``--repeat`` runs per input kind, in seconds. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import leercultuur as lc


def _instrument(items: int) -> lc.Instrument:
    text = lc.Text(nl="vraag", en="question")
    return lc.Instrument(
        id="bench.survey",
        version="1",
        name=text,
        scale=lc.ResponseScale(lo=1, hi=5),
        items=[lc.Item(id=f"Q{i}", text=text, dimension="safety") for i in range(items)],
        licence=lc.Licence(name="MIT"),
    )


def _best(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Build the tables, time each constructor, print the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--csv-rows", type=int, default=100_000)
    args = parser.parse_args()

    import pandas as pd
    import polars as pl
    import pyarrow as pa

    rng = np.random.default_rng(1)
    inst = _instrument(args.items)
    data: dict[str, Any] = {f"Q{i}": rng.integers(1, 6, args.rows) for i in range(args.items)}
    data["Q0"] = np.where(rng.random(args.rows) < 0.05, np.nan, data["Q0"])  # 5 % missing
    team = rng.integers(0, args.teams, args.rows)
    data["team"] = team
    data["afdeling"] = team // 10
    options = {"instrument": inst, "unit": "team", "parents": {"team": "afdeling"}}
    pdf = pd.DataFrame(data)
    frames = {"pandas": pdf, "polars": pl.from_pandas(pdf), "pyarrow": pa.Table.from_pandas(pdf)}
    print(f"{args.rows} rows x {args.items} items, {args.teams} teams; best of {args.repeat}")
    for name, frame in frames.items():
        seconds = _best(lambda f=frame: lc.Survey.from_dataframe(f, **options), args.repeat)
        print(f"  from_dataframe ({name}, integer units): {seconds:.2f} s")
    text_units = pl.from_pandas(pdf).with_columns(
        pl.format("team-{}", pl.col("team")).alias("team"),
        pl.format("afd-{}", pl.col("afdeling")).alias("afdeling"),
    )
    seconds = _best(lambda: lc.Survey.from_dataframe(text_units, **options), args.repeat)
    print(f"  from_dataframe (polars, text units): {seconds:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.csv"
        pdf.head(args.csv_rows).to_csv(path, index=False)
        seconds = _best(lambda: lc.read_survey_csv(path, **options), args.repeat)
        print(f"  read_survey_csv ({args.csv_rows} rows): {seconds:.2f} s")


if __name__ == "__main__":
    main()
