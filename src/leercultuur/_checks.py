"""Field validators and converters shared by the model's records (internal).

Each validator raises :class:`~leercultuur.errors.ValidationError` naming the
field; a :class:`Check` also carries the JSON Schema of what it accepts, which
:func:`leercultuur.catalogue_schema` reads, so that the schema and the loader
agree by construction.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

import attrs

from leercultuur.errors import ValidationError

__all__ = [
    "ID",
    "Check",
    "FrozenMap",
    "ReadOnlyMap",
    "as_tuple",
    "frozen_map",
    "identifier",
    "identifiers",
    "integer",
    "is_identifier",
    "is_real",
    "members",
    "nonempty_text",
    "number",
    "read_only",
    "sorted_unique",
]

# ``$(?!\n)``: Python's ``$`` also matches before a final newline; the lookahead refuses that,
# so that ``"safety\n"`` is no identifier, here and in the JSON Schema that reuses the pattern.
ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$(?!\n)")
"""An identifier: lower-case words joined by ``_``, namespaces separated by ``.``."""

K = TypeVar("K")
V = TypeVar("V")

Validator = Callable[[object, "attrs.Attribute[Any]", Any], None]


@attrs.frozen
class Check:
    """A field validator that also knows the JSON Schema of what it accepts."""

    test: Callable[[object], bool]
    message: str
    schema: Mapping[str, Any] = attrs.field(factory=dict)
    optional: bool = False

    def __call__(self, _inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        """Raise :class:`ValidationError` naming *attribute* unless *value* passes."""
        if value is None and self.optional:
            return
        if not self.test(value):
            raise ValidationError.single(attribute.name, f"{self.message}, got {value!r}")


def is_identifier(value: object) -> bool:
    """Whether *value* is an identifier such as ``safety`` or ``zorg_x.leerafdeling``."""
    return isinstance(value, str) and ID.match(value) is not None


def is_real(value: object) -> bool:
    """Whether *value* is a finite real number (bools and huge ints are not)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


identifier = Check(
    is_identifier,
    "expected an identifier such as 'safety' or 'zorg_x.leerafdeling'",
    {"type": "string", "pattern": ID.pattern},
)
"""Validator: an identifier."""

nonempty_text = Check(
    lambda v: isinstance(v, str) and bool(v.strip()),
    "expected non-empty text",
    {"type": "string", "minLength": 1, "pattern": r"\S"},
)
"""Validator: text with at least one non-blank character."""


def identifiers(_inst: object, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    """Validator: every item of *value* is an identifier (the message names the index)."""
    for i, item in enumerate(value):
        if not is_identifier(item):
            raise ValidationError.single(
                f"{attribute.name}[{i}]", f"expected an identifier, got {item!r}"
            )


def number(low: float | None = None, high: float | None = None, *, optional: bool = False) -> Check:
    """Validator: a finite real number within [*low*, *high*] (bools are not numbers)."""
    schema: dict[str, Any] = {"type": "number"}
    bounds = ""
    if low is not None:
        schema["minimum"] = low
        bounds = f" >= {low:g}"
    if high is not None:
        schema["maximum"] = high
        bounds = f" <= {high:g}" if low is None else f" in {low:g}..{high:g}"

    def test(value: object) -> bool:
        if not isinstance(value, int | float) or not is_real(value):
            return False
        return (low is None or value >= low) and (high is None or value <= high)

    return Check(test, f"expected a number{bounds}", schema, optional)


def integer(low: int = 0, *, optional: bool = False) -> Check:
    """Validator: a whole number >= *low* (not a bool, not a float such as ``2.0``)."""
    return Check(
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= low,
        f"expected a whole number >= {low}",
        {"type": "integer", "minimum": low},
        optional,
    )


def members(kind: type[enum.Enum]) -> Validator:
    """Validator: a member of *kind*, or a tuple of members."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if not isinstance(item, kind):
                names = ", ".join(repr(m.name.lower()) for m in kind)
                raise ValidationError.single(
                    attribute.name, f"expected one of {names}, got {item!r}"
                )

    return check


class ReadOnlyMap(Mapping[K, V], Generic[K, V]):
    """A read-only mapping that keeps its keys' order and, unlike ``MappingProxyType``, pickles.

    >>> import pickle
    >>> m = ReadOnlyMap({"b": 2, "a": 1})
    >>> list(pickle.loads(pickle.dumps(m))), m == {"a": 1, "b": 2}
    (['b', 'a'], True)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # values may be unhashable

    def __repr__(self) -> str:
        return repr(self._data)

    def __reduce__(self) -> tuple[type[ReadOnlyMap[K, V]], tuple[dict[K, V]]]:
        return (type(self), (self._data,))


class FrozenMap(ReadOnlyMap[K, V]):
    """A read-only mapping with sorted keys that can be hashed and pickled.

    >>> m = FrozenMap({"b": 2, "a": 1})
    >>> list(m), m == {"a": 1, "b": 2}, hash(m) == hash(FrozenMap({"a": 1, "b": 2}))
    (['a', 'b'], True, True)
    """

    __slots__ = ()

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        items = data.items() if isinstance(data, Mapping) else data
        super().__init__(sorted(items, key=lambda kv: str(kv[0])))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self._data.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def read_only(value: Mapping[K, V]) -> Mapping[K, V]:
    """A read-only, picklable copy of *value* in its own key order."""
    return ReadOnlyMap(value)


def frozen_map(value: Mapping[K, V]) -> Mapping[K, V]:
    """Return a read-only, hashable copy of *value* with its keys in sorted order."""
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def sorted_unique(value: Iterable[Any]) -> tuple[Any, ...]:
    """Convert an iterable to a sorted tuple without duplicates (an attrs converter)."""
    return tuple(sorted(set(value), key=str))


def as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Convert any iterable to a tuple (an attrs converter that keeps mypy's types precise)."""
    return tuple(value)
