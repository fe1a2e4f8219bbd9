"""The instrument records: scale, items, licence, reported psychometrics."""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, cast

import attrs

from leercultuur._checks import ID as _ID
from leercultuur._checks import frozen_map, nonempty_text
from leercultuur.errors import Problem, ValidationError
from leercultuur.model import Text

__all__ = [
    "FORMAT_VERSION",
    "MAX_SCALE_POINTS",
    "Instrument",
    "Item",
    "Licence",
    "LicenceUse",
    "ReportedReliability",
    "ResponseScale",
]

FORMAT_VERSION = 1
"""The instrument file format version this release reads and writes."""

MAX_SCALE_POINTS = 254
"""The most answer options a scale may have: codes 1..254 fit a uint8 with 0 for missing."""

_DIM_REF = _ID  # a dimension or a facet: ``safety``, ``resources.ict``, ``zorg_x.werkdruk.tijd``
_ITEM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")


def _check(ok: bool, location: str, message: str) -> None:
    if not ok:
        raise ValidationError.single(location, message)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _labels(value: Mapping[int, Text]) -> Mapping[int, Text]:
    return frozen_map(value)


class LicenceUse(enum.StrEnum):
    """What a licence allows an instrument to be used for."""

    RESEARCH = "research"
    """Academic or non-commercial research."""
    EDUCATION = "education"
    """Teaching and learning."""
    INTERNAL = "internal"
    """An organisation surveying its own staff."""
    COMMERCIAL = "commercial"
    """Use in a paid product or consultancy."""


def _uses(_inst: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for i, use in enumerate(value):
        if not isinstance(use, LicenceUse):
            names = ", ".join(repr(u.value) for u in LicenceUse)
            raise ValidationError.single(
                f"{attribute.name}[{i}]", f"expected one of {names}, got {use!r}"
            )


def _use_tuple(value: Iterable[LicenceUse]) -> tuple[LicenceUse, ...]:
    return tuple(value)


@attrs.frozen
class Licence:
    """The terms under which an instrument's items may be used.

    :param name: the licence's name, e.g. ``"MIT"``, ``"CC BY 4.0"`` or ``"by permission"``.
    :param allowed_use: what the items may be used for.
    :param redistribute_items: whether the item wording may be copied and shipped;
        if not, a plugin supplies the ids and dimensions and the user brings the wording.
    :param url: where the licence terms can be read.
    """

    name: str = attrs.field(validator=nonempty_text)
    allowed_use: tuple[LicenceUse, ...] = attrs.field(
        default=(), converter=_use_tuple, validator=_uses
    )
    redistribute_items: bool = False
    url: str | None = None


@attrs.frozen
class ReportedReliability:
    """One psychometric figure reported for an instrument in a cited source.

    :param statistic: e.g. ``"cronbach_alpha"``, ``"omega"``, ``"icc1"``, ``"cfi"``.
    :param value: the reported value, in -1..1.
    :param sample: who was measured, e.g. ``"N = 8,310 Brazilian employees"``.
    :param citation: where it was reported.
    :param dimension: the scale (dimension or facet) it refers to; ``None`` for the whole.
    """

    statistic: str = attrs.field(validator=nonempty_text)
    value: float = attrs.field()
    sample: str = attrs.field(validator=nonempty_text)
    citation: str = attrs.field(validator=nonempty_text)
    dimension: str | None = None

    @value.validator
    def _value(self, _attribute: attrs.Attribute[float], value: float) -> None:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        _check(
            ok and math.isfinite(value) and -1 <= value <= 1,
            "value",
            f"expected a number in -1..1, got {value!r}",
        )


@attrs.frozen
class ResponseScale:
    """The answer options of every item: whole numbers ``lo..hi``, optionally labelled.

    :param lo: the lowest answer, e.g. 1.
    :param hi: the highest answer, e.g. 5; ``lo < hi`` and at most 254 options.
    :param labels: a label per answer, e.g. ``{1: Text("helemaal oneens", "strongly disagree")}``.
    """

    lo: int = attrs.field()
    hi: int = attrs.field()
    labels: Mapping[int, Text] = attrs.field(factory=dict, converter=_labels)

    @property
    def size(self) -> int:
        """The number of answer options ``A = hi - lo + 1``."""
        return self.hi - self.lo + 1

    def __attrs_post_init__(self) -> None:
        problems = []
        for name in ("lo", "hi"):
            if not _is_int(getattr(self, name)):
                problems.append(
                    Problem(name, f"expected a whole number, got {getattr(self, name)!r}")
                )
        if not problems:
            if self.lo >= self.hi:
                problems.append(Problem("hi", f"expected hi > lo = {self.lo}, got {self.hi}"))
            elif self.size > MAX_SCALE_POINTS:
                problems.append(
                    Problem("hi", f"at most {MAX_SCALE_POINTS} answer options, got {self.size}")
                )
            for key, label in self.labels.items():
                if not _is_int(key) or not self.lo <= key <= self.hi:
                    problems.append(
                        Problem(f"labels.{key}", f"not an answer in {self.lo}..{self.hi}")
                    )
                elif not isinstance(cast("object", label), Text):
                    problems.append(Problem(f"labels.{key}", f"expected a Text, got {label!r}"))
        if problems:
            raise ValidationError(problems)


@attrs.frozen
class Item:
    """One question of an instrument.

    :param id: a short code that is also the survey column name, e.g. ``"VL1"``.
    :param text: the question in Dutch and English.
    :param dimension: the dimension (``"safety"``) or facet (``"resources.ict"``) it measures.
    :param reverse: reverse-keyed: the answer ``x`` scores as ``lo + hi - x``.
    """

    id: str = attrs.field()
    text: Text
    dimension: str = attrs.field()
    reverse: bool = False

    @id.validator
    def _id(self, _attribute: attrs.Attribute[str], value: str) -> None:
        _check(
            isinstance(value, str) and _ITEM_ID.fullmatch(value) is not None,
            "id",
            f"expected a short code such as 'VL1' (a letter, then letters, digits or _;"
            f" at most 32), got {value!r}",
        )

    @dimension.validator
    def _dimension(self, _attribute: attrs.Attribute[str], value: str) -> None:
        _check(
            isinstance(value, str) and _DIM_REF.fullmatch(value) is not None,
            "dimension",
            f"expected a dimension id or 'dimension.facet', got {value!r}",
        )


def _items(value: Iterable[Item]) -> tuple[Item, ...]:
    return tuple(value)


def _reliabilities(value: Iterable[ReportedReliability]) -> tuple[ReportedReliability, ...]:
    return tuple(value)


@attrs.frozen
class Instrument:
    """A survey instrument: items on one response scale, with licence and psychometrics.

    :param id: namespaced identifier, e.g. ``"builtin.scan"``.
    :param version: the instrument's version, e.g. ``"1.0"``.
    :param name: its name in Dutch and English.
    :param scale: the response scale all items share.
    :param items: the items, in survey column order; ids unique.
    :param licence: the terms of use of the items.
    :param psychometrics: reliabilities reported in cited sources.
    :param validated: whether it has been validated; requires ``psychometrics``.
    :param description: what it is, in Dutch and English.
    """

    id: str = attrs.field()
    version: str = attrs.field(validator=nonempty_text)
    name: Text
    scale: ResponseScale
    items: tuple[Item, ...] = attrs.field(converter=_items)
    licence: Licence
    psychometrics: tuple[ReportedReliability, ...] = attrs.field(
        default=(), converter=_reliabilities
    )
    validated: bool = False
    description: Text | None = None

    @id.validator
    def _id(self, _attribute: attrs.Attribute[str], value: str) -> None:
        _check(
            isinstance(value, str) and _ID.match(value) is not None,
            "id",
            f"expected an identifier such as 'builtin.scan', got {value!r}",
        )

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not self.items:
            problems.append(Problem("items", "an instrument needs at least one item"))
        seen: set[str] = set()
        for i, item in enumerate(self.items):
            if item.id in seen:
                problems.append(Problem(f"items[{i}].id", f"duplicate item id {item.id!r}"))
            seen.add(item.id)
        if self.validated and not self.psychometrics:
            problems.append(
                Problem("validated", "validated = true needs at least one cited psychometric")
            )
        for i, rel in enumerate(self.psychometrics):
            if rel.dimension is not None and not self.items_of(rel.dimension):
                problems.append(
                    Problem(f"psychometrics[{i}].dimension", f"no item measures {rel.dimension!r}")
                )
        if problems:
            raise ValidationError(problems)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions and facets the items measure, sorted, each once."""
        return tuple(sorted({item.dimension for item in self.items}))

    @property
    def item_ids(self) -> tuple[str, ...]:
        """The item ids in column order."""
        return tuple(item.id for item in self.items)

    def item_index(self, item_id: str) -> int:
        """Return the column index of item *item_id*.

        :raises ValidationError: no such item (the message names close matches).
        """
        for i, item in enumerate(self.items):
            if item.id == item_id:
                return i
        import difflib

        close = difflib.get_close_matches(item_id, self.item_ids, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValidationError.single("item", f"{self.id} has no item {item_id!r}{hint}")

    def items_of(self, dimension: str) -> tuple[int, ...]:
        """Return the column indices of the items measuring *dimension*.

        A dimension includes the items of its facets (``"resources"`` covers
        ``"resources.staff"``, ``"resources.finance"`` and ``"resources.ict"``); a
        facet id selects just its own items. A dimension no item measures gives ``()``.

        >>> from leercultuur.builtin.instruments import SCAN
        >>> len(SCAN.items_of("resources")) == sum(
        ...     len(SCAN.items_of(f"resources.{f}")) for f in ("staff", "finance", "ict"))
        True
        """
        prefix = dimension + "."
        return tuple(
            i
            for i, item in enumerate(self.items)
            if item.dimension == dimension or item.dimension.startswith(prefix)
        )
