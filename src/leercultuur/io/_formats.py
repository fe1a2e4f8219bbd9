"""Reading and writing JSON, TOML and YAML safely: size cap, no duplicate keys, finite numbers."""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from leercultuur.errors import CatalogueError, Problem

__all__ = ["MAX_BYTES", "dumps", "format_of", "parse", "read"]

MAX_BYTES = 16 * 1024 * 1024
"""Files larger than this (16 MiB) are refused before they are parsed."""

_FORMATS = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}


def format_of(path: Path) -> str:
    """The format a file's suffix names: ``toml``, ``json`` or ``yaml``."""
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        raise CatalogueError(
            [Problem("", f"unknown file type {path.suffix!r}; use .toml, .json, .yaml or .yml")],
            source=str(path),
        ) from None


def read(path: str | Path) -> tuple[Any, str]:
    """Read and parse *path*; return the plain data and the format name."""
    path = Path(path)
    fmt = format_of(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CatalogueError(
                [Problem("", f"file is {size} bytes; the limit is {MAX_BYTES}")], source
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(
            [Problem("", f"cannot read the file: {exc.strerror or exc}")], source
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError([Problem("", f"not UTF-8 text (byte {exc.start})")], source) from None
    return parse(text, fmt, source=source), fmt


def parse(text: str, fmt: str, *, source: str | None = None) -> Any:
    """Parse *text* in format *fmt*, rejecting duplicate keys and non-finite numbers."""
    if len(text) > MAX_BYTES:
        raise CatalogueError([Problem("", f"input exceeds {MAX_BYTES} characters")], source)
    if fmt == "toml":
        try:
            data: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise CatalogueError([Problem("", f"invalid TOML: {exc}")], source) from None
    elif fmt == "json":
        try:
            data = json.loads(
                text, object_pairs_hook=_no_duplicates, parse_constant=_parse_constant
            )
        except json.JSONDecodeError as exc:
            raise CatalogueError(
                [Problem(f"line {exc.lineno}", f"invalid JSON: {exc.msg}")], source
            ) from None
        except ValueError as exc:
            raise CatalogueError([Problem("", str(exc))], source) from None
    elif fmt == "yaml":
        data = _parse_yaml(text, source)
    else:
        raise CatalogueError([Problem("", f"unknown format {fmt!r}")], source)
    problems = list(_non_finite(data, ""))
    if problems:
        raise CatalogueError(problems, source)
    return data


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _parse_constant(name: str) -> float:
    # NaN, Infinity and -Infinity parse to floats here so that _non_finite rejects them with
    # their path rather than as an anonymous syntax error.
    return float(name)


def _non_finite(data: Any, path: str) -> Any:
    if isinstance(data, float) and not math.isfinite(data):
        yield Problem(path, f"expected a finite number, got {data!r}")
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield from _non_finite(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _non_finite(value, f"{path}[{i}]")


def _parse_yaml(text: str, source: str | None) -> Any:
    try:
        import yaml
    except ImportError:
        raise CatalogueError(
            [Problem("", "YAML needs the 'yaml' extra: pip install 'leercultuur[yaml]'")], source
        ) from None

    class StrictLoader(yaml.SafeLoader):
        """A safe loader that refuses duplicate keys and aliases (no billion laughs)."""

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if key in out:
                line = key_node.start_mark.line + 1
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} on line {line}"
                )
            out[key] = loader.construct_object(value_node)
        return out

    def no_alias(loader: yaml.SafeLoader, node: yaml.Node) -> Any:  # pragma: no cover - defensive
        raise yaml.constructor.ConstructorError(None, None, "aliases are not allowed")

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise CatalogueError(
                    [Problem(f"line {line}", "YAML aliases are not allowed")], source
                )
        return yaml.load(text, Loader=StrictLoader)
    except yaml.YAMLError as exc:
        raise CatalogueError([Problem("", f"invalid YAML: {exc}")], source) from None


# -- writing --------------------------------------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def dumps(data: Mapping[str, Any], fmt: str) -> str:
    """Serialise plain *data* as ``toml``, ``json`` or ``yaml`` text."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if fmt == "yaml":
        return _yaml_document(data)
    if fmt == "toml":
        return _toml_document(data)
    raise CatalogueError([Problem("", f"unknown format {fmt!r}")])


_TOML_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml_string(text: str) -> str:
    """A TOML basic string: control characters (U+0000-U+001F, U+007F) escaped, as TOML demands."""
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif char < " " or char == "\x7f":
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


# Characters YAML reads as line breaks or a byte-order mark; PyYAML's plain and single-quoted
# styles do not escape them, so a string holding one is written double-quoted (escaped).
_YAML_BREAKS = frozenset("\x85\u2028\u2029\ufeff")


def _yaml_document(data: Mapping[str, Any]) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        """A safe dumper that writes strings so that a safe loader reads them back unchanged."""

    def represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
        style = '"' if _YAML_BREAKS.intersection(text) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)

    Dumper.add_representer(str, represent_str)
    return str(yaml.dump(dict(data), Dumper=Dumper, allow_unicode=True, sort_keys=False))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write non-finite number {value!r}")
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_document(data: Mapping[str, Any]) -> str:
    lines: list[str] = []
    tables: list[tuple[str, list[Mapping[str, Any]]]] = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            tables.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, rows in tables:
        for row in rows:
            lines.append("")
            lines.append(f"[[{_toml_key(key)}]]")
            lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in row.items())
    return "\n".join(lines).lstrip("\n") + "\n"
