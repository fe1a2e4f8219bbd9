"""leercultuur: develop a learning culture for lifelong learning.

A typed model of the report 'Een Leven Lang Leren' (Zorgpact Rotterdam), with
honest scoring of a learning culture from surveys and indicators, explained
matching of interventions, and plugins for everything.

>>> import leercultuur as lc
>>> reg = lc.load_registry(entry_points=False)
>>> [d for d in reg.dimensions if reg.dimensions[d].kind == "characteristic"]
['autonomy', 'interaction', 'open_culture']
"""

from __future__ import annotations

from leercultuur.crosswalk import Crosswalk
from leercultuur.errors import (
    CatalogueError,
    DuplicateIdError,
    LeercultuurError,
    LeercultuurWarning,
    PluginError,
    Problem,
    UnknownDimensionError,
    UnknownInterventionError,
    ValidationError,
)
from leercultuur.evidence import EvidenceRule, Finding, Verdict, lint
from leercultuur.io import Catalogue, catalogue_schema, dump_catalogue, load_catalogue
from leercultuur.matching import (
    Blocked,
    Criterion,
    CriterionKind,
    Phase,
    Ranking,
    Rankings,
    Recommendation,
    Roadmap,
    match,
    plan,
    topsis,
    weighted_sum,
)
from leercultuur.model import (
    Approach,
    Context,
    ContraIndication,
    Cost,
    CultureProfile,
    Dimension,
    DimensionKind,
    DimensionScore,
    EffectSize,
    Evidence,
    EvidenceLevel,
    Facet,
    Intervention,
    OutcomeLevel,
    Scale,
    Strength,
    Text,
)
from leercultuur.plugins import hookimpl
from leercultuur.registry import Registry, load_registry

__version__ = "0.1.0"

__all__ = [
    "Approach",
    "Blocked",
    "Catalogue",
    "CatalogueError",
    "Context",
    "ContraIndication",
    "Cost",
    "Criterion",
    "CriterionKind",
    "Crosswalk",
    "CultureProfile",
    "Dimension",
    "DimensionKind",
    "DimensionScore",
    "DuplicateIdError",
    "EffectSize",
    "Evidence",
    "EvidenceLevel",
    "EvidenceRule",
    "Facet",
    "Finding",
    "Intervention",
    "LeercultuurError",
    "LeercultuurWarning",
    "OutcomeLevel",
    "Phase",
    "PluginError",
    "Problem",
    "Ranking",
    "Rankings",
    "Recommendation",
    "Registry",
    "Roadmap",
    "Scale",
    "Strength",
    "Text",
    "UnknownDimensionError",
    "UnknownInterventionError",
    "ValidationError",
    "Verdict",
    "__version__",
    "catalogue_schema",
    "dump_catalogue",
    "hookimpl",
    "lint",
    "load_catalogue",
    "load_registry",
    "match",
    "plan",
    "topsis",
    "weighted_sum",
]
