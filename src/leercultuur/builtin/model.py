"""Built-in plugin: the report's three characteristics and four preconditions.

The descriptions paraphrase the report 'Een Leven Lang Leren' (Zorgpact
Rotterdam / deRotterdamseZorg) as Wilfred Rubens summarises it in his blog
'Hoe ontwikkel je een leercultuur voor een leven lang leren?' (CC BY 3.0).
"""

from __future__ import annotations

from collections.abc import Iterator

from leercultuur.model import Dimension, DimensionKind, Facet, Text
from leercultuur.plugins import hookimpl

__all__ = ["DIMENSIONS", "leercultuur_dimensions"]

_C = DimensionKind.CHARACTERISTIC
_P = DimensionKind.PRECONDITION

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        id="interaction",
        kind=_C,
        label=Text(nl="Interactie", en="Interaction"),
        description=Text(
            nl="Door interactie leren mensen van en met elkaar, vaak multidisciplinair.",
            en="People learn from and with each other through interaction,"
            " often across disciplines.",
        ),
    ),
    Dimension(
        id="open_culture",
        kind=_C,
        label=Text(nl="Open leercultuur", en="Open learning culture"),
        description=Text(
            nl="Leren is leuk, informeel, laagdrempelig en veilig, en lerenden worden ondersteund.",
            en="Learning is enjoyable, informal, low-threshold and safe,"
            " and learners are supported.",
        ),
    ),
    Dimension(
        id="autonomy",
        kind=_C,
        label=Text(nl="Autonomie", en="Autonomy"),
        description=Text(
            nl="Medewerkers voeren regie over hun ontwikkeling, met ondersteuning en gericht op"
            " resultaat; leren is daarbij niet vrijblijvend en de organisatie houdt een rol.",
            en="Employees direct their own development, with support and a focus on results;"
            " learning is not optional and the organisation keeps a role.",
        ),
    ),
    Dimension(
        id="safety",
        kind=_P,
        label=Text(nl="Veiligheid", en="Psychological safety"),
        description=Text(
            nl="Medewerkers en leidinggevenden durven zich kwetsbaar op te stellen.",
            en="Staff and managers dare to make themselves vulnerable.",
        ),
    ),
    Dimension(
        id="relations",
        kind=_P,
        label=Text(nl="Goede relaties", en="Good relations"),
        description=Text(
            nl="Goede relaties binnen en tussen organisaties bevorderen vertrouwen.",
            en="Good relations within and between organisations build trust.",
        ),
    ),
    Dimension(
        id="commitment",
        kind=_P,
        label=Text(nl="Commitment op alle niveaus", en="Commitment at all levels"),
        description=Text(
            nl="Alle niveaus van de organisatie staan achter de aanpak; dat blijkt uit daden,"
            " niet alleen uit woorden.",
            en="Every level of the organisation is committed to the approach, shown in deeds,"
            " not only in words.",
        ),
    ),
    Dimension(
        id="resources",
        kind=_P,
        label=Text(nl="Middelen", en="Resources"),
        description=Text(
            nl="De benodigde middelen zijn aanwezig: personeel, financiën en ICT.",
            en="The resources the approach needs are there: staff, finance and ICT.",
        ),
        facets=(
            Facet("staff", Text(nl="Personeel", en="Staff")),
            Facet("finance", Text(nl="Financiën", en="Finance")),
            Facet("ict", Text(nl="ICT", en="ICT")),
        ),
    ),
)
"""The report's seven dimensions, in the report's order."""


@hookimpl
def leercultuur_dimensions() -> Iterator[Dimension]:
    """Yield the report's three characteristics and four preconditions."""
    yield from DIMENSIONS
