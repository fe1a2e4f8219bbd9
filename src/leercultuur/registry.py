"""The registry: every record the plugins supply, checked, typed and read-only.

:func:`load_registry` is the only place that calls the plugin hooks. It calls
each plugin's hooks on their own, so that a failure names the plugin, checks
every record's type, rejects duplicate ids naming both plugins, checks that
every dimension an intervention names is registered, and records which
plugin supplied each record.

>>> import leercultuur as lc
>>> reg = lc.load_registry(entry_points=False)
>>> sorted(d for d in reg.dimensions if reg.dimensions[d].kind == "precondition")
['commitment', 'relations', 'resources', 'safety']
>>> reg.source_of("safety").name
'builtin.model'
>>> reg.interventions["zorg_x.onbekend"]
Traceback (most recent call last):
...
leercultuur.errors.UnknownInterventionError: unknown intervention 'zorg_x.onbekend'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, Literal, TypeVar, cast

import attrs

from leercultuur.crosswalk import Crosswalk
from leercultuur.errors import (
    PluginError,
    UnknownDimensionError,
    UnknownIdError,
    UnknownInstrumentError,
    UnknownInterventionError,
)
from leercultuur.evidence import EvidenceRule
from leercultuur.instruments import Instrument
from leercultuur.matching.criteria import Criterion
from leercultuur.model import Dimension, Intervention
from leercultuur.plugins import PluginInfo

__all__ = ["RecordKind", "RecordMap", "Registry", "load_registry"]

T = TypeVar("T")
OnError = Literal["raise", "warn"]


class RecordMap(Mapping[str, T], Generic[T]):
    """A read-only mapping of id -> record, sorted by id; a missing id raises a typed error."""

    __slots__ = ("_error", "_items")

    def __init__(self, items: Iterable[tuple[str, T]], error: type[UnknownIdError]) -> None:
        self._items = dict(sorted(items, key=lambda kv: kv[0]))
        self._error = error

    def __getitem__(self, key: str) -> T:
        try:
            return self._items[key]
        except KeyError:
            raise self._error(key, self._items) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"RecordMap({list(self._items)!r})"


@attrs.frozen
class RecordKind:
    """One kind of record the registry collects through one collection hook.

    :param name: singular name used in messages, e.g. ``"intervention"``.
    :param attribute: the :class:`Registry` attribute holding them, e.g. ``"interventions"``.
    :param hook: the hook that yields them.
    :param record_type: the class each record must be an instance of.
    :param error: the error an unknown id raises.
    :param key: how to get a record's id.
    :param references: the dimension ids (with their place) a record refers to.
    :param from_data: whether a hook may yield plain mappings, read with the strict converter
        (not for records that hold code, such as criteria).
    """

    name: str
    attribute: str
    hook: str
    record_type: type[Any]
    error: type[UnknownIdError] = UnknownIdError
    key: Callable[[Any], str] = attrs.field(default=lambda record: str(record.id))
    references: Callable[[Any], Iterable[tuple[str, str]]] = attrs.field(default=lambda _: ())
    from_data: bool = True


def _intervention_references(iv: Intervention) -> Iterator[tuple[str, str]]:
    for dim in iv.effects:
        yield f"effects.{dim}", dim
    for key in iv.requirements:
        yield f"requirements.{key}", key
    for i, contra in enumerate(iv.contra_indications):
        yield f"contra_indications[{i}].dimension", contra.dimension


KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        "dimension", "dimensions", "leercultuur_dimensions", Dimension, UnknownDimensionError
    ),
    RecordKind(
        "intervention",
        "interventions",
        "leercultuur_interventions",
        Intervention,
        UnknownInterventionError,
        references=_intervention_references,
    ),
    RecordKind("evidence rule", "evidence_rules", "leercultuur_evidence_rules", EvidenceRule),
    RecordKind(
        "crosswalk",
        "crosswalks",
        "leercultuur_crosswalks",
        Crosswalk,
        references=lambda cw: (("source", cw.source), ("target", cw.target)),
    ),
    RecordKind("criterion", "criteria", "leercultuur_criteria", Criterion, from_data=False),
    RecordKind(
        "instrument",
        "instruments",
        "leercultuur_instruments",
        Instrument,
        UnknownInstrumentError,
        references=lambda inst: (
            (f"items[{i}].dimension", item.dimension) for i, item in enumerate(inst.items)
        ),
    ),
)
"""The record kinds, in the order they are collected."""


@attrs.frozen(eq=False)
class Registry:
    """Everything the loaded plugins supply, checked and read-only.

    Build one with :func:`load_registry` (or :func:`leercultuur.testing.make_registry`).
    """

    records: Mapping[str, RecordMap[Any]] = attrs.field(repr=False)
    sources: Mapping[tuple[str, str], PluginInfo] = attrs.field(repr=False)
    plugins: tuple[PluginInfo, ...]
    failures: tuple[PluginError, ...] = ()

    @property
    def dimensions(self) -> RecordMap[Dimension]:
        """The registered dimensions by id."""
        return cast("RecordMap[Dimension]", self.records["dimensions"])

    @property
    def interventions(self) -> RecordMap[Intervention]:
        """The registered interventions by id."""
        return cast("RecordMap[Intervention]", self.records["interventions"])

    @property
    def evidence_rules(self) -> RecordMap[EvidenceRule]:
        """The registered evidence rules by id."""
        return cast("RecordMap[EvidenceRule]", self.records["evidence_rules"])

    @property
    def crosswalks(self) -> RecordMap[Crosswalk]:
        """The registered crosswalks by id."""
        return cast("RecordMap[Crosswalk]", self.records["crosswalks"])

    @property
    def criteria(self) -> RecordMap[Criterion]:
        """The registered matching criteria by id."""
        return cast("RecordMap[Criterion]", self.records["criteria"])

    @property
    def instruments(self) -> RecordMap[Instrument]:
        """The registered survey instruments by id."""
        return cast("RecordMap[Instrument]", self.records["instruments"])

    def source_of(self, record_id: str) -> PluginInfo:
        """Return the plugin that supplied the record *record_id* (of any kind)."""
        for kind in KINDS:
            found = self.sources.get((kind.attribute, record_id))
            if found is not None:
                return found
        known = [rid for _, rid in self.sources]
        raise UnknownIdError(record_id, known)

    def check_dimension(self, ref: str) -> None:
        """Raise :class:`UnknownDimensionError` unless *ref* (``dim`` or ``dim.facet``) exists.

        Dimension ids may contain dots (``zorg_x.reflectie``): the whole *ref* is
        tried as a dimension first, then as ``dimension.facet``.
        """
        if ref in self.dimensions:
            return
        dim_id, _, facet = ref.rpartition(".")
        if dim_id not in self.dimensions:
            raise UnknownDimensionError(ref, self.dimensions)
        dimension = self.dimensions[dim_id]
        if facet not in {f.id for f in dimension.facets}:
            raise UnknownDimensionError(ref, [f"{dim_id}.{f.id}" for f in dimension.facets])

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(v)} {k}" for k, v in self.records.items())
        return f"<Registry {counts} from {len(self.plugins)} plugins>"


def load_registry(
    *,
    entry_points: bool = True,
    allow: Iterable[str] | None = None,
    block: Iterable[str] = (),
    on_error: OnError = "raise",
    plugins: Iterable[object] = (),
    builtins: bool = True,
) -> Registry:
    """Build a :class:`Registry` from the built-in plugin and the installed plugins.

    The built-in plugins register first, then *plugins*, then every installed
    entry point, each imported and called on its own: a failure names the
    plugin, its distribution and version, and the hook. Nothing is loaded at
    import time. Hooks may yield records or plain mappings; mappings are read
    with the same strict converter as catalogue files. Records are kept sorted
    by id and duplicates are judged in a fixed plugin order (built-ins, then by
    name), so the order plugins are installed or passed in never changes the
    result.

    :param entry_points: load installed plugins (entry-point group ``leercultuur``); the
        environment variable ``LEERCULTUUR_DISABLE_PLUGIN_AUTOLOAD`` turns this off too.
    :param allow: if given, load only the installed plugins with these entry-point names; a
        name that is not installed fails as a :class:`~leercultuur.errors.PluginImportError`.
    :param block: never load the installed plugins with these names.
    :param on_error: ``"raise"`` raises the first :class:`~leercultuur.errors.PluginError`;
        ``"warn"`` leaves a broken plugin out, warns, and lists it in
        :attr:`Registry.failures`.
    :param plugins: further plugin objects (modules, classes or instances) to register.
    :param builtins: register the built-in plugins (turn off only to test a plugin alone).
    :raises PluginError: a plugin failed, in ``"raise"`` mode: a
        :class:`~leercultuur.errors.PluginImportError`,
        :class:`~leercultuur.errors.PluginHookError`,
        :class:`~leercultuur.errors.PluginRecordError`,
        :class:`~leercultuur.errors.PluginValidationError` (also for a misspelt hook or an
        unknown dimension) or :class:`~leercultuur.errors.DuplicateIdError`.
    """
    from leercultuur import _loader

    return _loader.load(
        entry_points=entry_points,
        allow=allow,
        block=block,
        on_error=on_error,
        plugins=plugins,
        builtins=builtins,
    )
