"""A small, self-contained catalogue and registry for the matching tests."""

from __future__ import annotations

from collections.abc import Iterable

import leercultuur as lc
from leercultuur.builtin import criteria as builtin_criteria
from leercultuur.builtin import model as builtin_model
from leercultuur.builtin import rules as builtin_rules

T = lc.Text
S = lc.Strength
CITE = "Kluger, A. N., & DeNisi, A. (1996). Psychological Bulletin, 119(2), 254-284."


def iv(
    ident: str,
    effects: dict[str, lc.Strength],
    *,
    requirements: dict[str, float] | None = None,
    contra: Iterable[lc.ContraIndication] = (),
    once: float = 0.0,
    per: float = 0.0,
    hours: float = 0.0,
    level: lc.EvidenceLevel = lc.EvidenceLevel.NONE_RECORDED,
    sectors: Iterable[str] = (),
    premises: Iterable[str] = (),
) -> lc.Intervention:
    """A test intervention with sensible defaults."""
    evidence = (
        lc.Evidence.none_recorded()
        if level is lc.EvidenceLevel.NONE_RECORDED
        else lc.Evidence(level=level, citation="Test citation (2020).")
    )
    return lc.Intervention(
        id=f"test.{ident}",
        name=T(nl=f"NL {ident}", en=f"EN {ident}"),
        summary=T(nl="Test.", en="Test."),
        approaches=[lc.Approach.WORKPLACE],
        effects=effects,
        evidence=[evidence],
        requirements=requirements or {},
        contra_indications=list(contra),
        cost=lc.Cost(eur_once=once, eur_per_participant=per),
        hours_per_participant=hours,
        sectors=list(sectors),
        premises=list(premises),
    )


LOW_SAFETY = lc.ContraIndication(
    dimension="safety",
    below=25,
    reason=T(nl="Feedback kan averechts werken.", en="Feedback can backfire."),
    citation=CITE,
)

CATALOGUE: tuple[lc.Intervention, ...] = (
    iv("safety_training", {"safety": S.STRONG, "relations": S.WEAK}, once=2000, hours=6),
    iv(
        "intervisie",
        {"interaction": S.STRONG, "open_culture": S.MODERATE},
        requirements={"safety": 40},
        contra=[LOW_SAFETY],
        once=1500,
        per=100,
        hours=12,
        level=lc.EvidenceLevel.CONTROLLED,
    ),
    iv(
        "elearning",
        {"autonomy": S.MODERATE},
        requirements={"resources.ict": 50},
        per=50,
        hours=8,
        sectors=["hospital"],
    ),
    iv("styles", {"autonomy": S.STRONG}, premises=["learning_style_matching"]),
    iv("fun", {"open_culture": S.STRONG}, premises=["motivation_drives_results"], hours=2),
    iv("expensive", {"commitment": S.STRONG}, once=1_000_000),
    iv("long", {"relations": S.MODERATE}, hours=500),
    iv("elderly", {"relations": S.WEAK}, sectors=["elderly_care"]),
)


class CataloguePlugin:
    """A plugin object yielding a given catalogue."""

    def __init__(self, interventions: Iterable[lc.Intervention], name: str = "test_catalogue"):
        self.__name__ = name
        self._ivs = tuple(interventions)

    @lc.hookimpl
    def leercultuur_interventions(self) -> Iterable[lc.Intervention]:
        return self._ivs


def make_registry(interventions: Iterable[lc.Intervention] = CATALOGUE) -> lc.Registry:
    """A registry with the built-in model, rules and criteria and the given interventions."""
    return lc.load_registry(
        entry_points=False,
        builtins=False,
        plugins=[builtin_model, builtin_rules, builtin_criteria, CataloguePlugin(interventions)],
    )


CONTEXT = lc.Context(sector="hospital", fte=10, budget_eur=20_000, hours_per_fte=40)
