"""JSON Schema generated from the attrs model, so the schema and the loader cannot drift apart.

Field types give the shape; the field validators (:class:`leercultuur.model.Check`)
give bounds and patterns; the model's other rules (plain-function validators and
``__attrs_post_init__`` checks) are added by hand in :data:`_EXTRA`, and the tests
check that the schema and the loader accept and reject the same files.

Two rules are beyond JSON Schema and are left to the loader: an effect size's
value must lie inside its own interval (a comparison between two fields), and a
whole number must be written without a fraction (JSON Schema counts ``2.0`` as an
integer; the loader, like TOML, does not).
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from leercultuur._checks import ID, Check
from leercultuur.io._converter import enum_token
from leercultuur.model import EffectSize, Evidence, EvidenceLevel, Intervention

__all__ = ["schema_for"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_ID_PATTERN = {"type": "string", "pattern": ID.pattern}
_IDS = {"items": _ID_PATTERN}

_EXTRA: dict[type, dict[str, Any]] = {
    Intervention: {
        "properties": {
            "id": {"pattern": r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$(?!\n)"},
            "approaches": {"minItems": 1},
            "evidence": {"minItems": 1},
            "effects": {"propertyNames": _ID_PATTERN},
            "requirements": {
                "propertyNames": _ID_PATTERN,
                "additionalProperties": {"minimum": 0, "maximum": 100},
            },
            "topics": _IDS,
            "sectors": _IDS,
            "premises": _IDS,
        }
    },
    EffectSize: {
        "allOf": [
            {
                "if": {"properties": {"ci_low": {"type": "number"}}, "required": ["ci_low"]},
                "then": {"properties": {"ci_high": {"type": "number"}}, "required": ["ci_high"]},
            },
            {
                "if": {"properties": {"ci_high": {"type": "number"}}, "required": ["ci_high"]},
                "then": {"properties": {"ci_low": {"type": "number"}}, "required": ["ci_low"]},
            },
        ]
    },
    Evidence: {
        "if": {
            "properties": {"level": {"const": enum_token(EvidenceLevel.NONE_RECORDED)}},
        },
        "else": {
            "required": ["citation"],
            "properties": {"citation": {"pattern": r"\S"}},
        },
    },
}


def schema_for(cls: type[Any], *, title: str) -> dict[str, Any]:
    """The JSON Schema of the file form of attrs class *cls*."""
    defs: dict[str, Any] = {}
    root = _class_schema(cls, defs)
    return {"$schema": _DIALECT, "title": title, **root, "$defs": defs}


def _class_schema(cls: type[Any], defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        tp = hints[field.name]
        optional = type(None) in typing.get_args(tp)
        schema = _type_schema(tp, defs)
        validator = field.validator
        if isinstance(validator, Check):
            schema = _merge(schema, dict(validator.schema))
        if optional:  # the loader reads an explicit null as "not given"
            schema = {"anyOf": [schema, {"type": "null"}]}
        if field.default is attrs.NOTHING:
            required.append(field.name)
        properties[field.name] = schema
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    if cls.__doc__:
        out["description"] = cls.__doc__.strip().splitlines()[0]
    extra = _EXTRA.get(cls, {})
    for key, value in extra.items():
        out[key] = _merge(out.get(key, {}), value) if isinstance(value, Mapping) else value
    return out


def _merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [enum_token(m) for m in tp]}
    if isinstance(tp, type) and attrs.has(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            defs[name] = _class_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        return {"type": "object", "additionalProperties": _type_schema(args[1], defs)}
    if type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return _type_schema(inner, defs)
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - model types are covered
