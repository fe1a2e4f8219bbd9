"""Benchmark: batched TOPSIS / weighted sum and ranking against scikit-criteria and pymcdm.

P profiles x 1000 interventions x 8 criteria, per-profile weights, 6 benefit and
2 cost criteria, uniform random values. All methods are timed in the same run,
interleaved, in a rotated order, and reported as medians and ratios; the floor is
one float64 sum over the decision tensor (performance.md section 5.2).

The peers have no batch API, so they run one profile at a time. To keep the run
short they are timed on a sample of profiles (``--peer-sample``) and their median
time per profile is multiplied by P; performance.md measured their scaling as
linear (exponents 1.01-1.04). ``--peer-sample 0`` times them on every profile.

The "criteria-major input" row passes the same values stored as (P, C, I) in memory
(a transposed view): TOPSIS then skips its transposition copy, as ``match()`` does.

Run:  PYTHONPATH=src python benchmarks/bench_matching.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable

import numpy as np

from leercultuur.matching import Batch, ranks, top_k, topsis, weighted_sum
from leercultuur.matching._catalogue import catalogue_arrays

N_ALT = 1000
N_CRIT = 8
BENEFIT = np.array([True] * 6 + [False] * 2)


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call (CPU time is less disturbed by other processes)."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def peers() -> dict[str, Callable[[np.ndarray, np.ndarray], object]]:
    import skcriteria as skc
    from pymcdm.helpers import rrankdata
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization
    from skcriteria.agg.topsis import TOPSIS as SKTOPSIS
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import VectorScaler

    objectives = [max if b else min for b in BENEFIT]
    pipe = mkpipe(VectorScaler(target="matrix"), SKTOPSIS())
    types = np.where(BENEFIT, 1, -1)
    pm = TOPSIS(normalization_function=vector_normalization)

    def skcriteria_rank(m: np.ndarray, w: np.ndarray) -> object:
        return pipe.evaluate(skc.mkdm(m, objectives, weights=w)).rank_

    def pymcdm_rank(m: np.ndarray, w: np.ndarray) -> object:
        return rrankdata(pm(m, w, types))

    def pymcdm_novalid_rank(m: np.ndarray, w: np.ndarray) -> object:
        return rrankdata(pm(m, w, types, validation=False))

    return {
        "skcriteria_loop+rank": skcriteria_rank,
        "pymcdm_loop+rank (default validation)": pymcdm_rank,
        "pymcdm_loop+rank (validation=False)": pymcdm_novalid_rank,
    }


def check(x: np.ndarray, w: np.ndarray) -> str:
    """Agreement with both peers on a few profiles (closeness and ranks)."""
    import skcriteria as skc
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization
    from skcriteria.agg.topsis import TOPSIS as SKTOPSIS
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import VectorScaler

    ours = topsis(x[:20], w[:20], BENEFIT)
    our_ranks = ranks(ours)
    worst = 0.0
    same = True
    for p in range(20):
        ref = TOPSIS(normalization_function=vector_normalization)(
            x[p], w[p] / w[p].sum(), np.where(BENEFIT, 1, -1)
        )
        res = mkpipe(VectorScaler(target="matrix"), SKTOPSIS()).evaluate(
            skc.mkdm(x[p], [max if b else min for b in BENEFIT], weights=w[p])
        )
        worst = max(worst, float(np.abs(ours[p] - ref).max()))
        worst = max(worst, float(np.abs(ours[p] - res.e_.similarity).max()))
        same &= bool(np.array_equal(our_ranks[p], res.rank_))
    return f"max |closeness - peers| = {worst:.1e}; ranks identical to scikit-criteria: {same}"


def run_size(n_prof: int, repeats: int, peer_sample: int, rng: np.random.Generator) -> None:
    x = rng.random((n_prof, N_ALT, N_CRIT))
    w = rng.random((n_prof, N_CRIT)) + 0.05
    scores = topsis(x, w, BENEFIT)
    # the same values stored criteria-major, (P, C, I), passed as a (P, I, C) view
    x_cm = np.ascontiguousarray(x.transpose(0, 2, 1)).transpose(0, 2, 1)
    ours: dict[str, Callable[[], object]] = {
        "floor_f64_sum": x.sum,
        "topsis scores": lambda: topsis(x, w, BENEFIT),
        "topsis scores (criteria-major input)": lambda: topsis(x_cm, w, BENEFIT),
        "weighted_sum scores": lambda: weighted_sum(x, w, BENEFIT),
        "topsis + full ranks": lambda: ranks(topsis(x, w, BENEFIT)),
        "topsis + top-10": lambda: top_k(topsis(x, w, BENEFIT), 10),
        "top-10 selection only": lambda: top_k(scores, 10),
        "full ranks only": lambda: ranks(scores),
    }
    sample = n_prof if peer_sample <= 0 else min(n_prof, peer_sample)
    peer_fns = peers()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in [*ours, *peer_fns]}
    names = list(times)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-criteria warns about min objectives in TOPSIS
        for rep in range(repeats):
            shift = rep % len(names)
            for name in names[shift:] + names[:shift]:
                if name in ours:
                    times[name].append(timed(ours[name]))
                else:
                    fn = peer_fns[name]

                    def loop(fn: Callable[[np.ndarray, np.ndarray], object] = fn) -> None:
                        for p in range(sample):
                            fn(x[p], w[p])

                    wall, cpu = timed(loop)
                    times[name].append((wall * n_prof / sample, cpu * n_prof / sample))
        agreement = check(x, w)
    wall = {k: statistics.median(t[0] for t in v) for k, v in times.items()}
    cpu = {k: statistics.median(t[1] for t in v) for k, v in times.items()}
    print(f"\n## {n_prof:.0e} profiles x {N_ALT} interventions x {N_CRIT} criteria")
    print(f"(median of {repeats}; peers timed on {sample} profiles and scaled to {n_prof})")
    print(
        "| method | wall s | wall / floor | CPU s | CPU / floor | peer / ours full ranking (CPU) |"
    )
    print("|---|---|---|---|---|---|")
    for name in times:
        ratio = f"{cpu[name] / cpu['topsis + full ranks']:.1f}x slower" if name in peer_fns else ""
        print(
            f"| {name} | {wall[name]:.4f} | {wall[name] / wall['floor_f64_sum']:.1f}"
            f" | {cpu[name]:.4f} | {cpu[name] / cpu['floor_f64_sum']:.1f} | {ratio} |"
        )
    print(agreement)
    same = np.array_equal(topsis(x_cm[:50], w[:50], BENEFIT), scores[:50])
    print(f"criteria-major input gives identical scores: {same}")
    print("| target (issue, performance.md 7) | wall | CPU | goal |")
    print("|---|---|---|---|")
    for name, goal in (
        ("topsis scores", "<= 8x floor"),
        ("topsis + top-10", "<= 10x floor"),
        ("topsis + full ranks", "<= 25x floor"),
    ):
        print(
            f"| {name} | {wall[name] / wall['floor_f64_sum']:.1f}x"
            f" | {cpu[name] / cpu['floor_f64_sum']:.1f}x | {goal} |"
        )
    for peer, ratio in (
        ("skcriteria_loop+rank", 15.0),
        ("pymcdm_loop+rank (default validation)", 60.0),
        ("pymcdm_loop+rank (validation=False)", 5.0),
    ):
        full = "topsis + full ranks"
        print(
            f"| {peer} / ours (full ranking) | {wall[peer] / wall[full]:.1f}x"
            f" | {cpu[peer] / cpu[full]:.1f}x | >= {ratio:g}x |"
        )


def run_small(calls: int) -> None:
    rng = np.random.default_rng(7)
    m = rng.random((12, 5)) * 100 + 1
    w = rng.random(5) + 0.1
    w = w / w.sum()
    b = np.array([True, True, False, True, False])
    import skcriteria as skc
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization
    from skcriteria.agg.topsis import TOPSIS as SKTOPSIS
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import VectorScaler

    pipe = mkpipe(VectorScaler(target="matrix"), SKTOPSIS())
    pm = TOPSIS(normalization_function=vector_normalization)
    types = np.where(b, 1, -1)
    objectives = [max if v else min for v in b]
    fns: dict[str, Callable[[], object]] = {
        "leercultuur.topsis": lambda: topsis(m, w, b),
        "scikit-criteria": lambda: pipe.evaluate(skc.mkdm(m, objectives, weights=w)),
        "pymcdm (default validation)": lambda: pm(m, w, types),
        "pymcdm (validation=False)": lambda: pm(m, w, types, validation=False),
    }
    per: dict[str, list[tuple[float, float]]] = {k: [] for k in fns}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(5):
            for name, fn in fns.items():
                n = calls if name != "scikit-criteria" else max(1, calls // 20)

                def many(fn: Callable[[], object] = fn, n: int = n) -> None:
                    for _ in range(n):
                        fn()

                wall, cpu = timed(many)
                per[name].append((wall / n * 1e6, cpu / n * 1e6))
    print("\n## one 12 x 5 TOPSIS call (median microseconds per call)")
    print("| method | wall us | CPU us | / leercultuur (CPU) |")
    print("|---|---|---|---|")
    ours = statistics.median(t[1] for t in per["leercultuur.topsis"])
    for name, v in per.items():
        wall = statistics.median(t[0] for t in v)
        cpu = statistics.median(t[1] for t in v)
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {cpu / ours:.1f} |")


def run_match(n_prof: int, repeats: int) -> None:
    """``match()`` end to end on the built-in criteria, 1000 synthetic interventions."""
    import leercultuur as lc

    rng = np.random.default_rng(11)
    dims = ["autonomy", "commitment", "interaction", "open_culture", "relations", "safety"]
    strengths = list(lc.Strength)
    catalogue = [
        lc.Intervention(
            id=f"bench.i{k:04d}",
            name=lc.Text(nl=f"I{k}", en=f"I{k}"),
            summary=lc.Text(nl="x", en="x"),
            approaches=[lc.Approach.WORKPLACE],
            effects={
                d: strengths[int(rng.integers(3))] for d in rng.choice(dims, 2, replace=False)
            },
            evidence=[lc.Evidence.none_recorded()],
            requirements={"safety": float(rng.integers(0, 60))},
            cost=lc.Cost(eur_once=float(rng.integers(0, 5000))),
            hours_per_participant=float(rng.integers(0, 40)),
        )
        for k in range(N_ALT)
    ]
    registry = lc.load_registry(entry_points=False)
    profiles = [
        lc.CultureProfile.from_values(f"u{p}", dict(zip(dims, rng.uniform(0, 100, 6), strict=True)))
        for p in range(n_prof)
    ]
    context = lc.Context(sector="hospital", fte=20, budget_eur=50_000, hours_per_fte=40)
    matrix = np.array([[p.value(d) for d in dims] for p in profiles])
    units = [p.unit for p in profiles]

    def from_arrays() -> Batch:
        return Batch.from_arrays(
            units, dims, matrix, context, registry=registry, interventions=catalogue
        )

    steps: dict[str, Callable[[], object]] = {
        "match(weighted_sum)": lambda: lc.match(
            profiles, context, registry=registry, interventions=catalogue, method="weighted_sum"
        ),
        "match(topsis)": lambda: lc.match(
            profiles, context, registry=registry, interventions=catalogue, method="topsis"
        ),
        "catalogue arrays only": lambda: catalogue_arrays(registry, catalogue),
        "Batch.build (CultureProfile objects)": lambda: Batch.build(
            catalogue_arrays(registry, catalogue), profiles, [context] * n_prof
        ),
        "Batch.from_arrays (score matrix)": from_arrays,
        "Batch.from_arrays + .match(topsis)": lambda: from_arrays().match(
            registry, method="topsis"
        ),
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeats):
        for name, fn in steps.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    print(f"\n## match() end to end: {n_prof} profiles x {N_ALT} interventions, built-in criteria")
    print("(a catalogue given as `interventions` is turned into arrays on every call)")
    print("| step | median s |")
    print("|---|---|")
    for name, ts in times.items():
        print(f"| {name} | {statistics.median(ts):.4f} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1e2 and 1e3 profiles, fewer repeats")
    parser.add_argument("--peer-sample", type=int, default=None, help="profiles timed for peers")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(2026)
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}")
    if args.quick:
        sizes = [(100, 5), (1000, 3)]
        sample = 50 if args.peer_sample is None else args.peer_sample
        calls = 200
    else:
        sizes = [(1000, 5), (10_000, 3)]
        sample = 200 if args.peer_sample is None else args.peer_sample
        calls = 2000
    for n_prof, repeats in sizes:
        run_size(n_prof, repeats, sample, rng)
    run_small(calls)
    run_match(100 if args.quick else 1000, 3)


if __name__ == "__main__":
    main()
