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
>>> reg.interventions["builtin.no_such_thing"]
Traceback (most recent call last):
...
leercultuur.errors.UnknownInterventionError: unknown intervention 'builtin.no_such_thing'
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, Literal, TypeVar, cast

import attrs
import pluggy

from leercultuur import plugins as _plugins
from leercultuur.errors import (
    DuplicateIdError,
    LeercultuurWarning,
    PluginError,
    PluginHookError,
    PluginImportError,
    PluginRecordError,
    PluginValidationError,
    UnknownDimensionError,
    UnknownIdError,
    UnknownInstrumentError,
    UnknownInterventionError,
    ValidationError,
)
from leercultuur.evidence import EvidenceRule
from leercultuur.instruments import Instrument
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
    """

    name: str
    attribute: str
    hook: str
    record_type: type[Any]
    error: type[UnknownIdError] = UnknownIdError
    key: Callable[[Any], str] = attrs.field(default=lambda record: str(record.id))
    references: Callable[[Any], Iterable[tuple[str, str]]] = attrs.field(default=lambda _: ())


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
        """Raise :class:`UnknownDimensionError` unless *ref* (``dim`` or ``dim.facet``) exists."""
        dim_id, _, facet = ref.partition(".")
        dimension = self.dimensions[dim_id]
        if facet and facet not in {f.id for f in dimension.facets}:
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

    :param entry_points: load installed plugins (entry-point group ``leercultuur``); the
        environment variable ``LEERCULTUUR_DISABLE_PLUGIN_AUTOLOAD`` turns this off too.
    :param allow: if given, load only the installed plugins with these entry-point names.
    :param block: never load the installed plugins with these names.
    :param on_error: ``"raise"`` raises the first :class:`~leercultuur.errors.PluginError`;
        ``"warn"`` leaves a broken plugin out, warns, and lists it in
        :attr:`Registry.failures`.
    :param plugins: further plugin objects (modules, classes or instances) to register.
    :param builtins: register the built-in plugins (turn off only to test a plugin alone).
    :raises PluginError: a plugin failed, in ``"raise"`` mode.
    """
    if on_error not in ("raise", "warn"):
        raise ValidationError.single("on_error", f"expected 'raise' or 'warn', got {on_error!r}")
    builder = _Builder(on_error)
    if builtins:
        for module in _plugins.BUILTIN_PLUGINS:
            info = PluginInfo(module.removeprefix("leercultuur."), "leercultuur", _version())
            builder.register(importlib.import_module(module), info)
    for obj in plugins:
        name = getattr(obj, "__name__", None) or type(obj).__name__
        builder.register(obj, PluginInfo(name))
    if entry_points and not _plugins.autoload_disabled():
        allowed = None if allow is None else set(allow)
        blocked = set(block)
        for ep, info in _plugins.installed_entry_points():
            if ep.name in blocked or (allowed is not None and ep.name not in allowed):
                continue
            try:
                module = ep.load()
            except Exception as exc:  # any import failure, named with the plugin
                builder.fail(
                    builder.error(PluginImportError, info, f"cannot import {ep.value!r}: {exc!r}")
                )
                continue
            builder.register(module, info)
    return builder.build()


def _version() -> str:
    from leercultuur import __version__

    return __version__


class _Builder:
    """Collects records plugin by plugin, leaving out (or raising for) the broken ones."""

    def __init__(self, on_error: OnError) -> None:
        self.on_error = on_error
        self.pm = _plugins.make_plugin_manager()
        self.infos: dict[str, PluginInfo] = {}
        self.failures: list[PluginError] = []

    def fail(self, error: PluginError) -> None:
        if self.on_error == "raise":
            raise error
        warnings.warn(str(error), LeercultuurWarning, stacklevel=4)
        self.failures.append(error)

    def error(
        self, cls: type[PluginError], info: PluginInfo, message: str, hook: str | None = None
    ) -> PluginError:
        return cls(
            info.name, message, distribution=info.distribution, version=info.version, hook=hook
        )

    def register(self, obj: object, info: PluginInfo) -> None:
        if info.name in self.infos:
            first = self.infos[info.name]
            self.fail(
                self.error(
                    PluginValidationError, info, f"the plugin name is already used by {first}"
                )
            )
            return
        try:
            self.pm.register(obj, name=info.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self.fail(self.error(PluginValidationError, info, str(exc)))
            return
        self.infos[info.name] = info

    def _drop(self, name: str) -> None:
        self.pm.unregister(name=name)
        del self.infos[name]

    def _check_pending(self) -> None:
        while True:
            try:
                self.pm.check_pending()
            except pluggy.PluginValidationError as exc:
                name = self.pm.get_name(exc.plugin) or "?"
                info = self.infos.get(name, PluginInfo(name))
                self.fail(self.error(PluginValidationError, info, f"unknown hook: {exc}"))
                self._drop(name)
            else:
                return

    def _collect(self, name: str) -> dict[str, list[Any]] | None:
        """Call every hook of plugin *name*; return its records per kind, or None if it failed."""
        info = self.infos[name]
        out: dict[str, list[Any]] = {}
        for kind in KINDS:
            impls = [
                impl
                for impl in getattr(self.pm.hook, kind.hook).get_hookimpls()
                if impl.plugin_name == name
            ]
            if not impls:
                out[kind.attribute] = []
                continue
            try:
                produced = impls[0].function()
                records = [] if produced is None else list(produced)
            except ValidationError as exc:
                self.fail(self.error(PluginValidationError, info, str(exc), kind.hook))
                return None
            except Exception as exc:  # a plugin's bug, named with the plugin and hook
                self.fail(self.error(PluginHookError, info, f"raised {exc!r}", kind.hook))
                return None
            for i, record in enumerate(records):
                if not isinstance(record, kind.record_type):
                    self.fail(
                        self.error(
                            PluginRecordError,
                            info,
                            f"returned {kind.attribute}[{i}]: expected {kind.record_type.__name__},"
                            f" got {type(record).__name__}",
                            kind.hook,
                        )
                    )
                    return None
            out[kind.attribute] = records
        return out

    def build(self) -> Registry:
        self._check_pending()
        collected = {name: self._collect(name) for name in list(self.infos)}
        for name, recs in collected.items():
            if recs is None:
                self._drop(name)
        good = {name: recs for name, recs in collected.items() if recs is not None}
        while True:
            merged, sources, bad = self._merge(good)
            if bad is None:
                break
            del good[bad]
            self._drop(bad)
        records = {
            kind.attribute: RecordMap(merged[kind.attribute].items(), kind.error) for kind in KINDS
        }
        return Registry(
            records=records,
            sources=sources,
            plugins=tuple(self.infos.values()),
            failures=tuple(self.failures),
        )

    def _merge(
        self, good: Mapping[str, Mapping[str, list[Any]]]
    ) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], PluginInfo], str | None]:
        """Merge records plugin by plugin; return the name of the first plugin that conflicts."""
        merged: dict[str, dict[str, Any]] = {kind.attribute: {} for kind in KINDS}
        sources: dict[tuple[str, str], PluginInfo] = {}
        for name, recs in good.items():
            info = self.infos[name]
            for kind in KINDS:
                for record in recs[kind.attribute]:
                    rid = kind.key(record)
                    if rid in merged[kind.attribute]:
                        first = sources[(kind.attribute, rid)]
                        self.fail(
                            DuplicateIdError(
                                kind.name,
                                rid,
                                str(first),
                                info.name,
                                distribution=info.distribution,
                                version=info.version,
                                hook=kind.hook,
                            )
                        )
                        return merged, sources, name
                    merged[kind.attribute][rid] = record
                    sources[(kind.attribute, rid)] = info
        dimensions = merged["dimensions"]
        for kind in KINDS:
            for rid, record in merged[kind.attribute].items():
                for place, ref in kind.references(record):
                    problem = _unknown_reference(dimensions, ref)
                    if problem:
                        info = sources[(kind.attribute, rid)]
                        self.fail(
                            self.error(
                                PluginValidationError,
                                info,
                                f"{kind.name} {rid!r} {place}: {problem}",
                                kind.hook,
                            )
                        )
                        return merged, sources, info.name
        return merged, sources, None


def _unknown_reference(dimensions: Mapping[str, Dimension], ref: str) -> str | None:
    dim_id, _, facet = ref.partition(".")
    if dim_id not in dimensions:
        return f"unknown dimension {dim_id!r}"
    if facet and facet not in {f.id for f in dimensions[dim_id].facets}:
        return f"dimension {dim_id!r} has no facet {facet!r}"
    return None
