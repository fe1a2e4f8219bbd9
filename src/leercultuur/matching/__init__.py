"""Matching and planning: rank interventions for profiles, explain them, sequence a roadmap.

See :func:`match` and :func:`plan`; the aggregation methods :func:`weighted_sum`
and :func:`topsis` also work on any plain decision matrix.
"""

from __future__ import annotations

from leercultuur.matching.batch import Batch, CatalogueArrays
from leercultuur.matching.criteria import Criterion, CriterionKind, Evaluation
from leercultuur.matching.match import match
from leercultuur.matching.methods import rank_order, ranks, top_k, topsis, weighted_sum
from leercultuur.matching.plan import EXPECTED_LIFT, Phase, Roadmap, plan
from leercultuur.matching.ranking import (
    Blocked,
    Gap,
    MatchResult,
    Ranking,
    Rankings,
    Recommendation,
)

__all__ = [
    "EXPECTED_LIFT",
    "Batch",
    "Blocked",
    "CatalogueArrays",
    "Criterion",
    "CriterionKind",
    "Evaluation",
    "Gap",
    "MatchResult",
    "Phase",
    "Ranking",
    "Rankings",
    "Recommendation",
    "Roadmap",
    "match",
    "plan",
    "rank_order",
    "ranks",
    "top_k",
    "topsis",
    "weighted_sum",
]
