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
    SurveyError,
    UnknownDimensionError,
    UnknownInstrumentError,
    UnknownInterventionError,
    ValidationError,
)
from leercultuur.evidence import EvidenceRule, Finding, Verdict, lint
from leercultuur.instruments import (
    Instrument,
    Item,
    Licence,
    LicenceUse,
    ReportedReliability,
    ResponseScale,
    dump_instrument,
    instrument_schema,
    load_instrument,
)
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
from leercultuur.scoring import (
    CellScore,
    Clustering,
    Reliability,
    ScoreReport,
    ScoringWarning,
    Statistic,
    Suppressed,
    score,
)
from leercultuur.survey import Survey, read_survey_csv

__version__ = "0.1.0"

__all__ = [
    "Approach",
    "Blocked",
    "Catalogue",
    "CatalogueError",
    "CellScore",
    "Clustering",
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
    "Instrument",
    "Intervention",
    "Item",
    "LeercultuurError",
    "LeercultuurWarning",
    "Licence",
    "LicenceUse",
    "OutcomeLevel",
    "Phase",
    "PluginError",
    "Problem",
    "Ranking",
    "Rankings",
    "Recommendation",
    "Registry",
    "Reliability",
    "ReportedReliability",
    "ResponseScale",
    "Roadmap",
    "Scale",
    "ScoreReport",
    "ScoringWarning",
    "Statistic",
    "Strength",
    "Suppressed",
    "Survey",
    "SurveyError",
    "Text",
    "UnknownDimensionError",
    "UnknownInstrumentError",
    "UnknownInterventionError",
    "ValidationError",
    "Verdict",
    "__version__",
    "catalogue_schema",
    "dump_catalogue",
    "dump_instrument",
    "hookimpl",
    "instrument_schema",
    "lint",
    "load_catalogue",
    "load_instrument",
    "load_registry",
    "match",
    "plan",
    "read_survey_csv",
    "score",
    "topsis",
    "weighted_sum",
]
