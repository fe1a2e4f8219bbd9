"""Benchmark leercultuur.score against pandas/polars + pingouin and the memory floor.

Setup as in research/performance.md 5.1: N respondents x 40 items (8 dimensions x 5 items,
interleaved), 5-point scale, 8 reverse-keyed items, 8% missing, 10,000 teams (under 100
departments under one organisation). Every method runs in its own process per size (peak extra
memory = VmHWM after a clear_refs reset, inputs excluded, outputs included); timings are
medians; ratios compare methods measured in the same run. ``leercultuur_core`` is score()
without the rwg(j) sums (keying, scale scores, unit n/mean/sd, suppression, alpha, ICC);
``leercultuur_numpy`` is the full score() with the compiled kernels switched off
(``LEERCULTUUR_NUMBA=0``), so both routes are in the table.

    python benchmarks/bench_scoring.py            # 1e4, 1e5, 1e6
    python benchmarks/bench_scoring.py --quick    # 1e4, 1e5, fewer repeats
    python benchmarks/bench_scoring.py --small    # only the 200 x 12 per-call latency
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]  # this checkout's leercultuur first
METHODS = (
    "floor_f64_sum", "leercultuur_core", "leercultuur", "leercultuur_numpy", "pandas+pingouin",
    "polars+pingouin",
)  # fmt: skip


def _status(key: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _peers_input(x: np.ndarray) -> np.ndarray:
    f = x.astype(np.float64)
    f[x == 0] = np.nan
    return f


def _pandas(f: np.ndarray, team: np.ndarray) -> Any:
    import pandas as pd
    import pingouin as pg

    df = pd.DataFrame(f, columns=[f"Q{i:02d}" for i in range(40)])
    rev = [f"Q{i:02d}" for i in range(40) if i % 5 == 0]
    df[rev] = 6 - df[rev]
    out = {}
    for d in range(8):
        cols = [f"Q{i:02d}" for i in range(d, 40, 8)]
        part = df[cols]
        score = part.mean(axis=1).where(part.notna().sum(axis=1) >= 3)
        g = score.groupby(team).agg(["count", "mean", "std"])
        out[d] = (g, pg.cronbach_alpha(part, nan_policy="listwise")[0])
    return out


def _polars(f: np.ndarray, team: np.ndarray) -> Any:
    import pingouin as pg
    import polars as pl

    df = pl.from_numpy(f, schema=[f"Q{i:02d}" for i in range(40)]).fill_nan(None)
    df = df.with_columns(
        *[(6 - pl.col(f"Q{i:02d}")).alias(f"Q{i:02d}") for i in range(40) if i % 5 == 0],
        pl.Series("team", team),
    )
    exprs = []
    for d in range(8):
        cols = [f"Q{i:02d}" for i in range(d, 40, 8)]
        answered = pl.sum_horizontal(*[pl.col(c).is_not_null() for c in cols])
        exprs.append(
            pl.when(answered >= 3).then(pl.mean_horizontal(*cols)).otherwise(None).alias(f"d{d}")
        )
    scores = df.select(*exprs, "team")
    g = scores.group_by("team").agg(
        *[pl.col(f"d{d}").count().alias(f"n{d}") for d in range(8)],
        *[pl.col(f"d{d}").mean().alias(f"m{d}") for d in range(8)],
        *[pl.col(f"d{d}").std().alias(f"s{d}") for d in range(8)],
    )
    alphas = [
        pg.cronbach_alpha(
            df.select([f"Q{i:02d}" for i in range(d, 40, 8)]).to_pandas(), nan_policy="listwise"
        )[0]
        for d in range(8)
    ]
    return g, alphas


def worker(method: str, n: int, repeats: int) -> dict[str, Any]:
    """Run one method in this process; return its median time and peak extra memory."""
    import warnings

    import _data

    import leercultuur as lc

    if method in ("leercultuur", "leercultuur_core", "leercultuur_numpy"):
        from leercultuur.scoring._score import _score

        if method == "leercultuur_numpy":
            os.environ["LEERCULTUUR_NUMBA"] = "0"  # read on every call: plain numpy

        survey = _data.survey(n)
        args: tuple[Any, ...] = (survey,)
        agreement = method != "leercultuur_core"

        def run(s: Any) -> Any:
            # the core skips only the rwg(j) sums; everything else is computed as score() does
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", lc.ScoringWarning)
                return _score(s, agreement=agreement)
    elif method == "floor_f64_sum":
        x, _team = _data.codes(n)
        args = (x.astype(np.float64),)

        def run(f: Any) -> Any:
            return f.sum()
    else:
        x, team = _data.codes(n)
        args = (_peers_input(x), team)
        run = _pandas if method == "pandas+pingouin" else _polars
    run(*args)  # warm-up (imports, caches)
    base = _status("VmRSS")
    _reset_peak()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = run(*args)
        times.append(time.perf_counter() - t0)
        del result
    peak = max(0, _status("VmHWM") - base)
    return {"median": statistics.median(times), "peak": peak}


def _small() -> dict[str, float]:
    """Per-call latency on a 200 x 12 survey: 3 dimensions of 4 items (one reverse-keyed),
    8% missing, 8 teams under 2 departments and one cross-cut (role, 2 values)."""
    import pandas as pd
    import pingouin as pg

    import leercultuur as lc
    from leercultuur.scoring import _prepare

    rng = np.random.default_rng(5)
    items = tuple(
        lc.Item(f"Q{i}", lc.Text("v", "q"), f"dim{i % 3}", reverse=i == 0) for i in range(12)
    )
    inst = lc.Instrument(
        id="bench.small", version="1", name=lc.Text("b", "b"),
        scale=lc.ResponseScale(lo=1, hi=5), items=items, licence=lc.Licence("MIT"),
    )  # fmt: skip
    x = rng.integers(1, 6, (200, 12)).astype(np.uint8)
    x[rng.random(x.shape) < 0.08] = 0
    team = rng.integers(0, 8, 200).astype(np.int32)
    role = rng.integers(0, 2, 200).astype(np.int32)
    survey = lc.Survey.from_codes(
        x, instrument=inst, unit_of=team + 2,
        units=["afd:a", "afd:b", *[f"team:{t}" for t in range(8)]],
        parent=np.array([-1, -1, 0, 0, 0, 0, 1, 1, 1, 1], dtype=np.int32),
        attributes={"role": (role, ("nurse", "other"))},
    )  # fmt: skip
    f = _peers_input(x)

    def peers() -> None:
        df = pd.DataFrame(f)
        df[0] = 6 - df[0]
        for d in range(3):
            part = df[list(range(d, 12, 3))]
            score = part.mean(axis=1).where(part.notna().sum(axis=1) >= 2)
            score.groupby(team).agg(["count", "mean", "std"])
            pg.cronbach_alpha(part, nan_policy="listwise")

    def ours() -> None:
        lc.score(survey)

    def ours_new_design() -> None:  # as if every call had a design (units, cross-cuts) of its own
        _prepare._CELLS.clear()
        lc.score(survey)

    def ours_with_omega() -> None:  # omega total is fitted on first reading the reliabilities
        for rel in lc.score(survey).reliability.values():
            rel.omega  # noqa: B018

    def ours_json() -> None:
        lc.score(survey).to_json()

    out = {}
    for name, fn in (
        ("leercultuur", ours), ("leercultuur, new design", ours_new_design),
        ("leercultuur+omega", ours_with_omega),
        ("leercultuur+to_json", ours_json), ("pandas+pingouin", peers),
    ):  # fmt: skip
        fn()
        reps = []
        for _ in range(15):
            t0 = time.perf_counter()
            for _ in range(20):
                fn()
            reps.append((time.perf_counter() - t0) / 20)
        out[name] = statistics.median(reps)
    return out


def _print_small() -> None:
    from leercultuur.scoring import accelerator

    small = _small()
    peer = small["pandas+pingouin"]
    print(f"accelerator: {accelerator() or 'none (plain numpy)'}")
    print("200 x 12 survey (3 dims, 10 units, 1 cross-cut), median per call:")
    for name, t in small.items():
        print(f"  {name:24s} {t * 1e6:8.0f} us  (pandas+pingouin / this: {peer / t:.1f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1e4 and 1e5 only, fewer repeats")
    parser.add_argument("--small", action="store_true", help="only the 200 x 12 latency row")
    parser.add_argument("--worker", nargs=3, metavar=("METHOD", "N", "REPEATS"))
    ns = parser.parse_args()
    if ns.worker:
        method, n, reps = ns.worker
        print(json.dumps(worker(method, int(n), int(reps))))
        return
    if ns.small:
        _print_small()
        return
    sizes = [10_000, 100_000] if ns.quick else [10_000, 100_000, 1_000_000]
    repeats = {10_000: 7, 100_000: 5, 1_000_000: 3}
    if ns.quick:
        repeats = {10_000: 3, 100_000: 3}
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(HERE.parent / "src"), str(HERE), env.get("PYTHONPATH", "")]
    )
    results: dict[tuple[str, int], dict[str, float]] = {}
    for n in sizes:
        for method in METHODS:
            out = subprocess.run(
                [sys.executable, __file__, "--worker", method, str(n), str(repeats[n])],
                capture_output=True, text=True, env=env, check=True,
            )  # fmt: skip
            results[method, n] = json.loads(out.stdout.strip().splitlines()[-1])
    head = "| method | " + " | ".join(f"{n:.0e} (s)" for n in sizes)
    head += " | x floor | leercultuur faster by | exponent | peak extra MiB |"
    print(head)
    print("|" + "---|" * (len(sizes) + 5))
    last = sizes[-1]
    for method in METHODS:
        t = [results[method, n]["median"] for n in sizes]
        ratio_floor = t[-1] / results["floor_f64_sum", last]["median"]
        speedup = t[-1] / results["leercultuur", last]["median"]
        expo = math.log(t[-1] / t[-2]) / math.log(sizes[-1] / sizes[-2])
        mem = " / ".join(f"{results[method, n]['peak'] / 2**20:.0f}" for n in sizes)
        cells = " | ".join(f"{v:.4g}" for v in t)
        print(f"| {method} | {cells} | {ratio_floor:.1f} | {speedup:.2f}x | {expo:.2f} | {mem} |")
    core = results["leercultuur_core", last]["median"]
    full = results["leercultuur", last]["median"]
    floor = results["floor_f64_sum", last]["median"]
    print(f"\nfull / core at {last:.0e}: {full / core:.2f} (goal <= 1.5);"
          f" core / floor: {core / floor:.1f} (goal <= 3)")  # fmt: skip
    scores_mib = last * 8 * 8 / 2**20
    print(f"N x D float64 score matrix at {last:.0e}: {scores_mib:.0f} MiB"
          f" (memory goal: leercultuur peak <= {1.5 * scores_mib:.0f} MiB)")  # fmt: skip
    _print_small()


if __name__ == "__main__":
    main()
