"""Catalogue files: load and dump interventions, dimensions and crosswalks as TOML, JSON or YAML.

Loading is strict and all-or-nothing: every problem in the file is reported at
once with its path, and a bad file loads nothing.

>>> import leercultuur as lc
>>> from leercultuur.io import parse_catalogue
>>> text = '''
... [[interventions]]
... id = "zorg_x.intervisie"
... name = { nl = "Intervisie", en = "Peer consultation" }
... summary = { nl = "Collega's bespreken casuïstiek.", en = "Colleagues discuss cases." }
... approaches = ["workplace"]
... effects = { interaction = "strong" }
... evidence = [{ level = "none_recorded" }]
... cost = { eur_once = "veel" }
... '''
>>> parse_catalogue(text, "toml", source="catalogus.toml")
Traceback (most recent call last):
...
leercultuur.errors.CatalogueError: catalogus.toml: 1 problem
  interventions[0].cost.eur_once: expected a number, got 'veel'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import attrs

from leercultuur._checks import Check, as_tuple
from leercultuur.crosswalk import Crosswalk
from leercultuur.errors import CatalogueError, Problem, ValidationError
from leercultuur.io import _formats
from leercultuur.io._converter import structure, unstructure
from leercultuur.io._schema import schema_for
from leercultuur.model import Dimension, Intervention

__all__ = [
    "FORMAT_VERSION",
    "Catalogue",
    "catalogue_schema",
    "dump_catalogue",
    "dumps_catalogue",
    "load_catalogue",
    "parse_catalogue",
    "structure",
    "unstructure",
]

FORMAT_VERSION = 1
"""The catalogue file format version this release reads and writes."""


_version = Check(
    lambda v: isinstance(v, int) and not isinstance(v, bool) and v == FORMAT_VERSION,
    f"expected format version {FORMAT_VERSION}",
    {"const": FORMAT_VERSION},
)


@attrs.frozen
class Catalogue:
    """The contents of a catalogue file: interventions and, optionally, dimensions and crosswalks.

    A plugin yields each part from its own hook (``leercultuur_interventions``,
    ``leercultuur_dimensions``, ``leercultuur_crosswalks``).
    """

    interventions: tuple[Intervention, ...] = attrs.field(default=(), converter=as_tuple)
    dimensions: tuple[Dimension, ...] = attrs.field(default=(), converter=as_tuple)
    crosswalks: tuple[Crosswalk, ...] = attrs.field(default=(), converter=as_tuple)
    format_version: int = attrs.field(default=FORMAT_VERSION, validator=_version)


def parse_catalogue(text: str, fmt: str, *, source: str | None = None) -> Catalogue:
    """Parse catalogue *text* in *fmt* (``toml``, ``json`` or ``yaml``).

    :raises CatalogueError: listing every problem with its path.
    """
    return _structure(_formats.parse(text, fmt, source=source), source)


def load_catalogue(path: str | Path) -> Catalogue:
    """Load a catalogue file; the suffix (``.toml``, ``.json``, ``.yaml``) picks the format.

    YAML needs the ``yaml`` extra and is read with a safe loader only.

    :raises CatalogueError: listing every problem with its path; nothing is loaded.
    """
    data, _ = _formats.read(path)
    return _structure(data, str(path))


def _structure(data: Any, source: str | None) -> Catalogue:
    try:
        return structure(data, Catalogue, source=source)
    except CatalogueError:
        raise
    except ValidationError as exc:
        raise CatalogueError(exc.problems, source=source) from None


def dumps_catalogue(catalogue: Catalogue, fmt: str = "toml") -> str:
    """Serialise *catalogue* as text in *fmt*; :func:`parse_catalogue` reads it back unchanged."""
    data = unstructure(catalogue)
    data.pop("format_version", None)
    return _formats.dumps({"format_version": FORMAT_VERSION, **data}, fmt)


def dump_catalogue(catalogue: Catalogue, path: str | Path) -> None:
    """Write *catalogue* to *path* in the format its suffix names.

    The file is written whole or not at all: the text goes to a temporary file in the same
    folder, is flushed to disk, and then replaces *path* in one step; on any failure the
    temporary file is removed and an existing *path* is left as it was.

    :raises CatalogueError: if the file cannot be written.
    """
    path = Path(path)
    data = dumps_catalogue(catalogue, _formats.format_of(path)).encode("utf-8")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CatalogueError(
                [Problem("", f"cannot write the file: {exc.strerror or exc}")], source=str(path)
            ) from None
        raise


def catalogue_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a catalogue file, generated from the model."""
    return schema_for(Catalogue, title="leercultuur catalogue")
