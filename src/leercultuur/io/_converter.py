"""The strict cattrs converter behind every file and plugin record leercultuur reads.

Strict means: no silent coercion (``"3"``, ``True`` or ``1.9`` where a whole
number is expected are errors), no extra keys, finite numbers only, lists
where tuples are expected (never a string split into characters), and enum
members by their documented names. Every problem is collected with its path.
"""

from __future__ import annotations

import enum
import math
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs
import cattrs
import cattrs.gen
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from leercultuur.errors import Problem, ValidationError

__all__ = ["converter", "structure", "unstructure"]

T = TypeVar("T")


class _MismatchError(ValueError):
    """A leaf problem found while structuring; carries only the message."""


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _enum_names(cls: type[enum.Enum]) -> list[str]:
    if issubclass(cls, enum.IntEnum):
        return [m.name.lower() for m in cls]
    return [str(m.value) for m in cls]


def enum_token(member: enum.Enum) -> str:
    """The name a file uses for *member*: the value of a str enum, the lower-case name otherwise."""
    return member.name.lower() if isinstance(member, enum.IntEnum) else str(member.value)


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    names = _enum_names(cls)
    if isinstance(value, str) and value in names:
        return list(cls)[names.index(value)]
    raise _MismatchError(f"expected one of {', '.join(map(repr, names))}, got {_describe(value)}")


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _MismatchError(f"expected a whole number, got {_describe(value)}")


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return number
        raise _MismatchError(f"expected a finite number, got {_describe(value)}")
    raise _MismatchError(f"expected a number, got {_describe(value)}")


def _structure_str(value: object, _: type) -> str:
    if isinstance(value, str):
        return value
    raise _MismatchError(f"expected text, got {_describe(value)}")


def _structure_bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise _MismatchError(f"expected true or false, got {_describe(value)}")


def _is_tuple(tp: Any) -> bool:
    return typing.get_origin(tp) is tuple


def _is_mapping(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    return origin is not None and isinstance(origin, type) and issubclass(origin, Mapping)


def _is_optional(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(tp)


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    for base in (enum.Enum, enum.IntEnum, enum.StrEnum):  # before int and str in their MROs
        conv.register_structure_hook(base, _structure_enum)
        conv.register_unstructure_hook(base, enum_token)

    def structure_tuple(value: object, tp: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise _MismatchError(f"expected a list, got {_describe(value)}")
        (item_type, *_) = typing.get_args(tp)
        errors: list[Exception] = []
        out = []
        for i, item in enumerate(value):
            try:
                out.append(conv.structure(item, item_type))
            except Exception as exc:
                exc.__notes__ = [*getattr(exc, "__notes__", []), f"@[{i}]"]
                errors.append(exc)
        if errors:
            raise IterableValidationError("list", errors, tp)
        return tuple(out)

    def structure_mapping(value: object, tp: Any) -> dict[Any, Any]:
        if not isinstance(value, Mapping):
            raise _MismatchError(f"expected a table, got {_describe(value)}")
        key_type, value_type = typing.get_args(tp)
        errors: list[Exception] = []
        out = {}
        for key, item in value.items():
            try:
                out[conv.structure(key, key_type)] = conv.structure(item, value_type)
            except Exception as exc:
                exc.__notes__ = [*getattr(exc, "__notes__", []), f"@.{key}"]
                errors.append(exc)
        if errors:
            raise IterableValidationError("table", errors, tp)
        return out

    def structure_optional(value: object, tp: Any) -> Any:
        if value is None:
            return None
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return conv.structure(value, inner)

    conv.register_structure_hook_func(_is_tuple, structure_tuple)
    conv.register_structure_hook_func(_is_mapping, structure_mapping)
    conv.register_structure_hook_func(_is_optional, structure_optional)
    conv.register_unstructure_hook_func(
        _is_mapping, lambda m: {k: conv.unstructure(v) for k, v in m.items()}
    )

    def make_attrs_hook(cls: type[Any]) -> Any:
        inner = cattrs.gen.make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True)

        def hook(value: object, _: type[Any]) -> Any:
            if not isinstance(value, Mapping):
                raise _MismatchError(f"expected a table, got {_describe(value)}")
            return inner(value, cls)

        return hook

    conv.register_structure_hook_factory(attrs.has, make_attrs_hook)
    return conv


converter = _make_converter()
"""The strict converter; use :func:`structure` and :func:`unstructure` rather than this."""


def _problems(exc: BaseException, path: str) -> list[Problem]:
    """Flatten a cattrs exception tree into located problems."""
    if isinstance(exc, ForbiddenExtraKeysError):
        return [
            Problem(
                _join(path, f".{key}"),
                "unknown key; allowed keys are "
                + ", ".join(repr(a.name) for a in attrs.fields(exc.cl)),
            )
            for key in sorted(exc.extra_fields)
        ]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        out: list[Problem] = []
        for sub in exc.exceptions:
            out.extend(_problems(sub, path + _note_path(sub)))
        return out
    if isinstance(exc, ValidationError):
        return [
            Problem(_join(path, "." + p.location if p.location else ""), p.message)
            for p in exc.problems
        ]
    if isinstance(exc, KeyError) and "attribute" in "".join(getattr(exc, "__notes__", [])):
        return [Problem(path, "a required key is missing")]
    message = str(exc) if isinstance(exc, _MismatchError) else f"{type(exc).__name__}: {exc}"
    return [Problem(path, message)]


def _note_path(exc: BaseException) -> str:
    """The path step cattrs (or our hooks) attached to *exc* as a PEP 678 note."""
    for note in getattr(exc, "__notes__", []):
        if isinstance(note, str) and note.startswith("@"):
            return note[1:]
        name = getattr(note, "name", None)
        if name is not None and hasattr(note, "type"):
            if "Required" in str(note) and isinstance(exc, KeyError):
                return f".{name}"
            return f".{name}"
    return ""


def _join(path: str, step: str) -> str:
    joined = path + step
    return joined[1:] if joined.startswith(".") else joined


def structure(data: object, cls: type[T], *, path: str = "", source: str | None = None) -> T:
    """Turn plain data (as parsed from a file) into a validated *cls*, or raise.

    :raises ValidationError: listing every problem, each located by its path under *path*.
    """
    try:
        return converter.structure(data, cls)
    except (ClassValidationError, IterableValidationError, ValidationError, _MismatchError) as exc:
        problems = _problems(exc, path)
        raise ValidationError([_fix_required(p) for p in problems], source=source) from None


def _fix_required(problem: Problem) -> Problem:
    if problem.message.startswith("KeyError"):
        return Problem(problem.location, "a required key is missing")
    return Problem(problem.location.lstrip("."), problem.message)


def unstructure(record: object) -> Any:
    """Turn a record into plain data (dicts, lists, str, numbers), leaving out defaults."""
    return converter.unstructure(record)
