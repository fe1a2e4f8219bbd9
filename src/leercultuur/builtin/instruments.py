"""Built-in plugin: the learning-culture scan ``builtin.scan``, read from ``scan.toml``.

The scan was written for leercultuur from scratch, in Dutch and English, and
is released under the project's MIT licence. It is **not validated**: it has
no reported reliability or validity, which its record states
(``validated=False``, empty ``psychometrics``). It has 24 items on a 5-point
agreement scale, at least three per dimension, several reverse-keyed; the
resources items are split over the facets staff, finance and ICT.

>>> from leercultuur.builtin.instruments import SCAN
>>> SCAN.validated, SCAN.psychometrics, SCAN.scale.size
(False, (), 5)
>>> SCAN.dimensions
('autonomy', 'commitment', 'interaction', 'open_culture', 'relations', 'resources.finance', \
'resources.ict', 'resources.staff', 'safety')
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

from leercultuur.instruments import Instrument, load_instrument
from leercultuur.plugins import hookimpl

__all__ = ["SCAN", "leercultuur_instruments"]


def _load() -> Instrument:
    with resources.as_file(resources.files(__package__) / "scan.toml") as path:
        return load_instrument(path)


SCAN: Instrument = _load()
"""The built-in scan, loaded through the strict instrument loader."""


@hookimpl
def leercultuur_instruments() -> Iterator[Instrument]:
    """Yield the built-in scan."""
    yield SCAN
