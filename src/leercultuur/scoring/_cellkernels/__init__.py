"""Compiled kernels for everything :func:`leercultuur.score` does after its sums (numba).

Imported only by the accelerated routes of scoring (see
:mod:`leercultuur._accel`). Each kernel fuses a chain of small numpy calls of the numpy route
into one loop and gives the same values bit for bit:

- integer sums are exact in any order;
- float sums that numpy accumulates one element at a time in a known order (``bincount``) are
  accumulated in that order;
- float sums that numpy reduces pairwise (``numpy.add.reduce`` over a contiguous row) are
  summed by :func:`pairwise_sum`, which follows numpy's pairwise summation step by step;
- elementwise formulas are written as the numpy route writes them, operation by operation
  (numba compiles without fast-math, so no operation is reordered or contracted).
"""

from leercultuur.scoring._cellkernels._builder import build_cells_small, small_cells
from leercultuur.scoring._cellkernels._reduce import (
    covariance_stats,
    covariances,
    pairwise_sum,
    reliability_stats,
    unit_anova,
)
from leercultuur.scoring._cellkernels._sums import cell_sums, publish_cells

__all__ = [
    "build_cells_small",
    "cell_sums",
    "covariance_stats",
    "covariances",
    "pairwise_sum",
    "publish_cells",
    "reliability_stats",
    "small_cells",
    "unit_anova",
]
