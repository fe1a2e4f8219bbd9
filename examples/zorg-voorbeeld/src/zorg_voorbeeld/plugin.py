"""The plugin: a dimension of its own, crosswalks, three interventions, a criterion, a scan.

Zorggroep Voorbeeld (fictief) is a fictional care organisation. It wants to
follow how much its teams reflect on their work, which the report does not
measure as such, so it adds a dimension ``zorg_voorbeeld.reflectie``, a short
instrument of its own that measures it (``zorg_voorbeeld.reflectiescan``),
and says, through crosswalks, how that dimension bears on the report's
dimensions. Its (fictional) collective labour agreement (cao) reserves
:data:`CAO_LEERUREN` learning hours per employee per year, and the criterion
``zorg_voorbeeld.cao_leeruren`` prefers interventions that budget covers.

>>> import numpy as np
>>> cao_cover(np.array([0.0, 12.0, 48.0]))
array([1. , 1. , 0.5])
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

import leercultuur as lc
from leercultuur.crosswalk import Crosswalk
from leercultuur.instruments import Instrument, load_instrument
from leercultuur.matching import Batch, Criterion, CriterionKind

ORGANISATION = "Zorggroep Voorbeeld (fictief)"
REFLECTIE = "zorg_voorbeeld.reflectie"

CAO_LEERUREN = 24.0
"""Learning hours per employee per year in the organisation's cao (fictional, for the example)."""

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


def cao_cover(hours: NDArray[np.float64]) -> NDArray[np.float64]:
    """The share of each intervention's hours per participant the cao's learning hours cover.

    ``min(1, CAO_LEERUREN / hours)``, and 1 for an intervention that takes no
    hours: 1 means the cao budget pays for all of it, 0.5 for half.
    """
    # divide only where the hours exceed the budget: no division by zero, no overflow
    out: NDArray[np.float64] = np.divide(
        CAO_LEERUREN, hours, out=np.ones_like(hours), where=hours > CAO_LEERUREN
    )
    return out


def _cao_leeruren(batch: Batch) -> NDArray[np.float64]:
    """All (profile, intervention) pairs at once: the cover depends on the intervention only."""
    return np.broadcast_to(cao_cover(batch.catalogue.hours)[None, :], batch.shape).copy()


CAO_CRITERION = Criterion(
    id="zorg_voorbeeld.cao_leeruren",
    label=lc.Text(nl="Past in de cao-leeruren", en="Fits the cao learning hours"),
    description=lc.Text(
        nl="Welk deel van de leeruren per deelnemer de leeruren uit de (fictieve) cao dekken:"
        " 1 als de cao alles dekt, 0,5 voor de helft.",
        en="The share of the learning hours per participant that the (fictional) collective"
        " labour agreement's learning hours cover: 1 when it covers all, 0.5 for half.",
    ),
    kind=CriterionKind.SCORE,
    function=_cao_leeruren,
    weight=0.15,
)
"""The organisation's own matching criterion."""


@lc.hookimpl
def leercultuur_criteria() -> Iterator[Criterion]:
    """The organisation's own criterion: interventions its cao's learning hours cover."""
    yield CAO_CRITERION


@cache
def reflectiescan() -> Instrument:
    """The organisation's own reflection scan, read once from ``reflectiescan.toml``."""
    with resources.as_file(resources.files(__package__) / "reflectiescan.toml") as path:
        return load_instrument(path)


@lc.hookimpl
def leercultuur_instruments() -> Iterator[Instrument]:
    """The organisation's own short instrument, measuring reflection at work."""
    yield reflectiescan()
