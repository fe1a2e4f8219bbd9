"""Survey instruments: items, their response scale, licence and reported psychometrics.

An :class:`Instrument` is a questionnaire whose items each measure one
dimension (``"safety"``) or one facet of a dimension (``"resources.ict"``).
Plugins supply instruments through the ``leercultuur_instruments`` hook; the
registry checks that every item's dimension and facet is registered.
Instrument files (TOML, JSON or YAML) go through the same strict loader as
catalogues, and every problem is reported with its path:

>>> from leercultuur.instruments import Instrument, Item, Licence, ResponseScale
>>> from leercultuur.model import Text
>>> scale = ResponseScale(lo=1, hi=5)
>>> scale.size
5
>>> item = Item(id="S1", text=Text(nl="Ik durf fouten te melden.", en="I dare to report errors."),
...             dimension="safety")
>>> inst = Instrument(id="zorg_x.mini", version="1", name=Text(nl="Mini", en="Mini"),
...                   scale=scale, items=(item, item), licence=Licence(name="MIT"))
Traceback (most recent call last):
...
leercultuur.errors.ValidationError: 1 problem
  items[1].id: duplicate item id 'S1'

Whether an instrument is validated is a plain, checked fact: ``validated=True``
requires at least one :class:`ReportedReliability` with its citation.
"""

from __future__ import annotations

from leercultuur.instruments._files import (
    dump_instrument,
    dumps_instrument,
    instrument_schema,
    load_instrument,
    parse_instrument,
)
from leercultuur.instruments._model import (
    FORMAT_VERSION,
    MAX_SCALE_POINTS,
    Instrument,
    Item,
    Licence,
    LicenceUse,
    ReportedReliability,
    ResponseScale,
)

__all__ = [
    "FORMAT_VERSION",
    "MAX_SCALE_POINTS",
    "Instrument",
    "Item",
    "Licence",
    "LicenceUse",
    "ReportedReliability",
    "ResponseScale",
    "dump_instrument",
    "dumps_instrument",
    "instrument_schema",
    "load_instrument",
    "parse_instrument",
]
