"""Instrument files: strict TOML, JSON and YAML through the shared loader, and a JSON Schema."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from leercultuur._checks import ID as _ID
from leercultuur.errors import CatalogueError, Problem, ValidationError
from leercultuur.instruments._model import (
    _DIM_REF,
    _ITEM_ID,
    FORMAT_VERSION,
    Instrument,
    ResponseScale,
)
from leercultuur.io import _formats
from leercultuur.io._converter import converter, structure, unstructure
from leercultuur.io._schema import schema_for

__all__ = [
    "dump_instrument",
    "dumps_instrument",
    "instrument_schema",
    "load_instrument",
    "parse_instrument",
]


_INT_KEY = re.compile(r"^[+-]?[0-9]+$")


def _structure_scale(value: object, _: type) -> ResponseScale:
    """Structure a scale, reading the label keys of a file (always text) as whole numbers."""
    if isinstance(value, Mapping) and isinstance(value.get("labels"), Mapping):
        labels = value["labels"]
        value = {
            **value,
            "labels": {
                int(k) if isinstance(k, str) and _INT_KEY.fullmatch(k) else k: v
                for k, v in labels.items()
            },
        }
    scale: ResponseScale = _scale_hook(value, ResponseScale)
    return scale


_scale_hook = converter.get_structure_hook(ResponseScale)
converter.register_structure_hook(ResponseScale, _structure_scale)
converter.register_unstructure_hook(
    ResponseScale,
    lambda s: {
        "lo": s.lo,
        "hi": s.hi,
        **({"labels": {str(k): unstructure(v) for k, v in s.labels.items()}} if s.labels else {}),
    },
)


def parse_instrument(text: str, fmt: str, *, source: str | None = None) -> Instrument:
    """Parse instrument *text* in *fmt* (``toml``, ``json`` or ``yaml``).

    :raises CatalogueError: listing every problem with its path.
    """
    return _structure(_formats.parse(text, fmt, source=source), source)


def load_instrument(path: str | Path) -> Instrument:
    """Load an instrument file; the suffix (``.toml``, ``.json``, ``.yaml``) picks the format.

    The file holds the :class:`Instrument` fields at top level and, optionally,
    ``format_version = 1``.

    :raises CatalogueError: listing every problem with its path; nothing is loaded.
    """
    data, _ = _formats.read(path)
    return _structure(data, str(path))


def _structure(data: Any, source: str | None) -> Instrument:
    if isinstance(data, Mapping) and "format_version" in data:
        data = dict(data)
        version = data.pop("format_version")
        if version != FORMAT_VERSION or isinstance(version, bool):
            raise CatalogueError(
                [Problem("format_version", f"expected {FORMAT_VERSION}, got {version!r}")], source
            )
    try:
        return structure(data, Instrument, source=source)
    except ValidationError as exc:
        raise CatalogueError(exc.problems, source=source) from None


def dumps_instrument(instrument: Instrument, fmt: str = "toml") -> str:
    """Serialise *instrument* in *fmt*; :func:`parse_instrument` reads it back unchanged."""
    data = unstructure(instrument)
    return _formats.dumps({"format_version": FORMAT_VERSION, **data}, fmt)


def dump_instrument(instrument: Instrument, path: str | Path) -> None:
    """Write *instrument* to *path* in the format its suffix names, whole or not at all."""
    path = Path(path)
    text = dumps_instrument(instrument, _formats.format_of(path))
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def instrument_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of an instrument file, generated from the model."""
    schema = schema_for(Instrument, title="leercultuur instrument")
    schema["properties"]["format_version"] = {"const": FORMAT_VERSION}
    schema["properties"]["id"]["pattern"] = _ID.pattern
    schema["properties"]["items"]["minItems"] = 1
    defs = schema["$defs"]
    defs["ResponseScale"]["properties"]["labels"]["propertyNames"] = {"pattern": _INT_KEY.pattern}
    defs["Item"]["properties"]["id"]["pattern"] = _ITEM_ID.pattern
    defs["Item"]["properties"]["dimension"]["pattern"] = _DIM_REF.pattern
    defs["ReportedReliability"]["properties"]["value"].update(minimum=-1, maximum=1)
    defs["Licence"]["properties"]["name"]["minLength"] = 1
    return schema
