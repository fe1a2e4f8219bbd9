"""The plugin: one dimension of its own, a crosswalk, and three interventions.

Zorggroep Voorbeeld (fictief) is a fictional care organisation. It wants to
follow how much its teams reflect on their work, which the report does not
measure as such, so it adds a dimension ``zorg_voorbeeld.reflectie`` and says,
through crosswalks, how that dimension bears on the report's dimensions.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources

import leercultuur as lc
from leercultuur.crosswalk import Crosswalk

ORGANISATION = "Zorggroep Voorbeeld (fictief)"
REFLECTIE = "zorg_voorbeeld.reflectie"

_UNVALIDATED = lc.Text(
    nl="Fictief voorbeeld: de koppeling is een aanname van de organisatie en niet gevalideerd.",
    en="Fictional example: the mapping is the organisation's assumption and is not validated.",
)


@lc.hookimpl
def leercultuur_dimensions() -> Iterator[lc.Dimension]:
    """The organisation's own dimension: reflection at work."""
    yield lc.Dimension(
        id=REFLECTIE,
        kind=lc.DimensionKind.CUSTOM,
        label=lc.Text(nl="Reflectie op het werk", en="Reflection at work"),
        description=lc.Text(
            nl="Teams staan regelmatig stil bij hun werk en wat ze ervan leren.",
            en="Teams regularly stop to consider their work and what they learn from it.",
        ),
    )


@lc.hookimpl
def leercultuur_crosswalks() -> Iterator[Crosswalk]:
    """How reflection at work bears on the report's open culture and interaction."""
    yield Crosswalk(
        id="zorg_voorbeeld.reflectie_open_culture",
        source=REFLECTIE,
        target="open_culture",
        weight=0.6,
        rationale=_UNVALIDATED,
    )
    yield Crosswalk(
        id="zorg_voorbeeld.reflectie_interaction",
        source=REFLECTIE,
        target="interaction",
        weight=0.4,
        rationale=_UNVALIDATED,
    )


@cache
def catalogue() -> tuple[lc.Intervention, ...]:
    """The organisation's interventions, read once from the packaged ``catalogue.toml``."""
    with resources.as_file(resources.files(__package__) / "catalogue.toml") as path:
        return lc.load_catalogue(path).interventions


@lc.hookimpl
def leercultuur_interventions() -> Iterator[lc.Intervention]:
    """The organisation's own interventions."""
    yield from catalogue()
