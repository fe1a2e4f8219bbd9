"""How :func:`leercultuur.load_registry` loads plugins, plugin by plugin.

Private: the public surface is :func:`leercultuur.load_registry` and
:class:`leercultuur.Registry`. Each plugin is imported, registered and called
on its own, so that one broken plugin is named precisely and, in ``"warn"``
mode, left out entirely while the others load (reliability notes A2: pluggy's
own ``load_setuptools_entrypoints`` stops at the first import error and
silently skips a second distribution that reuses an entry-point name).
"""

from __future__ import annotations

import importlib
import sys
import warnings
from collections.abc import Iterable, Iterator, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

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
    ValidationError,
)
from leercultuur.plugins import PluginInfo

if TYPE_CHECKING:
    from leercultuur.model import Dimension
    from leercultuur.registry import RecordKind, Registry

OnError = Literal["raise", "warn"]


def load(
    *,
    entry_points: bool,
    allow: Iterable[str] | None,
    block: Iterable[str],
    on_error: OnError,
    plugins: Iterable[object],
    builtins: bool,
) -> Registry:
    """Build a registry; see :func:`leercultuur.load_registry` for the parameters."""
    if on_error not in ("raise", "warn"):
        raise ValidationError.single("on_error", f"expected 'raise' or 'warn', got {on_error!r}")
    if isinstance(allow, str) or isinstance(block, str):
        raise ValidationError.single("allow", "expected a list of plugin names, not one string")
    builder = Builder(on_error)
    if builtins:
        for module in _plugins.BUILTIN_PLUGINS:
            info = PluginInfo(module.removeprefix("leercultuur."), "leercultuur", _version())
            builder.register(importlib.import_module(module), info, builtin=True)
    for obj in plugins:
        builder.register(obj, _info_of(obj))
    if entry_points and not _plugins.autoload_disabled():
        allowed = None if allow is None else set(allow)
        blocked = set(block)
        installed = list(_plugins.installed_entry_points())
        for name in sorted((allowed or set()) - blocked - {ep.name for ep, _ in installed}):
            message = (
                f"is not installed: no entry point of that name in the group"
                f" {_plugins.ENTRY_POINT_GROUP!r}"
            )
            builder.fail(builder.error(PluginImportError, PluginInfo(name), message))
        claimed: dict[str, PluginInfo] = {}
        for ep, info in installed:
            if ep.name in blocked or (allowed is not None and ep.name not in allowed):
                continue
            first = claimed.setdefault(info.name, info)
            holder = first if first is not info else builder.infos.get(info.name)
            if holder is not None:  # refused before the second one is imported
                builder.fail(builder.error(PluginValidationError, info, _taken(holder)))
                continue
            try:
                module = ep.load()
            except Exception as exc:  # any failure while importing, named with the plugin
                message = f"cannot import {ep.value!r}: {type(exc).__name__}: {exc}"
                builder.fail(builder.error(PluginImportError, info, message), exc)
                continue
            builder.register(module, info)
    return builder.build()


def _taken(first: PluginInfo) -> str:
    return (
        f"the plugin name is already used by {first}; two plugins cannot share"
        " an entry-point name (uninstall one, or block it with block=[...])"
    )


def _info_of(obj: object) -> PluginInfo:
    """Name a plugin object; a module an installed entry point names gets that distribution."""
    name = str(getattr(obj, "__name__", None) or type(obj).__name__)
    if isinstance(obj, ModuleType):
        for ep, info in _plugins.installed_entry_points():
            if ep.module == name and info.distribution:
                return PluginInfo(name, info.distribution, info.version)
    return PluginInfo(name)


def _version() -> str:
    from leercultuur import __version__

    return __version__


def _stacklevel() -> int:
    """The stack level of the first frame outside leercultuur, so a warning points at the caller."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("leercultuur."):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


class Builder:
    """Collects records plugin by plugin, leaving out (or raising for) the broken ones."""

    def __init__(self, on_error: OnError) -> None:
        self.on_error = on_error
        self.pm = _plugins.make_plugin_manager()
        self.infos: dict[str, PluginInfo] = {}
        self.builtin: list[str] = []
        self.failures: list[PluginError] = []

    def fail(self, error: PluginError, cause: BaseException | None = None) -> None:
        """Raise *error* (from *cause*), or in warn mode warn and remember it."""
        error.__cause__ = cause
        if self.on_error == "raise":
            raise error
        warnings.warn(str(error), LeercultuurWarning, stacklevel=_stacklevel())
        self.failures.append(error)

    def error(
        self, cls: type[PluginError], info: PluginInfo, message: str, hook: str | None = None
    ) -> PluginError:
        """Build a *cls* naming *info*'s plugin, distribution and version, and *hook*."""
        return cls(
            info.name, message, distribution=info.distribution, version=info.version, hook=hook
        )

    def register(self, obj: object, info: PluginInfo, *, builtin: bool = False) -> None:
        """Register *obj* as plugin *info*, or fail naming it."""
        if info.name in self.infos:
            self.fail(self.error(PluginValidationError, info, _taken(self.infos[info.name])))
            return
        unmarked = _unmarked_hooks(obj)
        if unmarked:
            self.fail(
                self.error(
                    PluginValidationError,
                    info,
                    f"{', '.join(unmarked)} looks like a hook but is not marked with"
                    " @leercultuur.hookimpl",
                )
            )
            return
        try:
            self.pm.register(obj, name=info.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self.fail(self.error(PluginValidationError, info, str(exc)), exc)
            return
        self.infos[info.name] = info
        if builtin:
            self.builtin.append(info.name)

    def _drop(self, name: str) -> None:
        self.pm.unregister(name=name)
        del self.infos[name]

    def _check_pending(self) -> None:
        """Fail every plugin that implements a hook no spec declares (a misspelt hook name)."""
        while True:
            try:
                self.pm.check_pending()
            except pluggy.PluginValidationError as exc:
                name = self.pm.get_name(exc.plugin) or "?"
                info = self.infos.get(name, PluginInfo(name))
                hooks = sorted(
                    h
                    for h in vars(self.pm.hook)
                    if not h.startswith("_") and not getattr(self.pm.hook, h).has_spec()
                    for impl in getattr(self.pm.hook, h).get_hookimpls()
                    if impl.plugin_name == name
                )
                known = sorted(h for h in vars(self.pm.hook) if _is_spec(self.pm, h))
                hint = _suggest(hooks, known)
                self.fail(
                    self.error(
                        PluginValidationError,
                        info,
                        f"unknown hook {', '.join(map(repr, hooks))}{hint}",
                    ),
                    exc,
                )
                self._drop(name)
            else:
                return

    def _collect(self, name: str, kinds: Iterable[RecordKind]) -> dict[str, list[Any]] | None:
        """Call every hook of plugin *name*; return its records per kind, or None if it failed."""
        from leercultuur.io import structure

        info = self.infos[name]
        out: dict[str, list[Any]] = {}
        for kind in kinds:
            impls = [
                impl
                for impl in getattr(self.pm.hook, kind.hook).get_hookimpls()
                if impl.plugin_name == name
            ]
            out[kind.attribute] = []
            if not impls:
                continue
            (impl,) = impls
            if impl.wrapper or impl.hookwrapper:
                message = "collection hooks cannot be wrappers; remove wrapper=True"
                self.fail(self.error(PluginValidationError, info, message, kind.hook))
                return None
            try:
                produced = impl.function()
                if produced is None:
                    produced = ()
                iterable = not isinstance(produced, str | bytes | Mapping) and isinstance(
                    produced, Iterable
                )
                raw = list(produced) if iterable else []
            except ValidationError as exc:  # a record the hook built failed its validation
                message = f"built an invalid {kind.name}: " + "; ".join(map(str, exc.problems))
                self.fail(self.error(PluginValidationError, info, message, kind.hook), exc)
                return None
            except Exception as exc:  # a plugin's bug, named with the plugin and hook
                message = f"raised {type(exc).__name__}: {exc}"
                self.fail(self.error(PluginHookError, info, message, kind.hook), exc)
                return None
            if not iterable:
                message = (
                    f"returned {type(produced).__name__}; expected an iterable"
                    f" of {kind.record_type.__name__} records"
                )
                self.fail(self.error(PluginRecordError, info, message, kind.hook))
                return None
            records: list[Any] = []
            for i, item in enumerate(raw):
                place = f"{kind.attribute}[{i}]"
                record = item
                if isinstance(item, Mapping) and kind.from_data:
                    try:
                        record = structure(item, kind.record_type, path=place)
                    except ValidationError as exc:
                        message = "returned " + "; ".join(map(str, exc.problems))
                        self.fail(self.error(PluginValidationError, info, message, kind.hook), exc)
                        return None
                elif not isinstance(record, kind.record_type):
                    accepted = kind.record_type.__name__ + (
                        " or a mapping" if kind.from_data else ""
                    )
                    message = f"returned {place}: expected {accepted}, got {type(record).__name__}"
                    self.fail(self.error(PluginRecordError, info, message, kind.hook))
                    return None
                records.append(record)
            out[kind.attribute] = records
        return out

    def order(self) -> list[str]:
        """The plugins in a fixed order: built-ins as listed, then the others by name."""
        rest = sorted(name for name in self.infos if name not in self.builtin)
        return [name for name in self.builtin if name in self.infos] + rest

    def build(self) -> Registry:
        """Call every plugin's hooks, merge and check the records, and return the registry."""
        from leercultuur.registry import KINDS, RecordMap, Registry

        self._check_pending()
        collected = {name: self._collect(name, KINDS) for name in self.order()}
        good: dict[str, dict[str, list[Any]]] = {}
        for name, recs in collected.items():
            if recs is None:
                self._drop(name)
            else:
                good[name] = recs
        while True:
            merged, sources, bad = self._merge(good, KINDS)
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
            plugins=tuple(self.infos[name] for name in self.order()),
            failures=tuple(self.failures),
        )

    def _merge(
        self, good: Mapping[str, Mapping[str, list[Any]]], kinds: tuple[RecordKind, ...]
    ) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], PluginInfo], str | None]:
        """Merge records plugin by plugin; return the name of the first plugin that conflicts.

        Plugins are merged in :meth:`order`, so which of two plugins with the same
        id is blamed never depends on the order they were installed or passed in.
        """
        merged: dict[str, dict[str, Any]] = {kind.attribute: {} for kind in kinds}
        sources: dict[tuple[str, str], PluginInfo] = {}
        for name in self.order():
            if name not in good:
                continue
            recs = good[name]
            info = self.infos[name]
            for kind in kinds:
                for record in recs[kind.attribute]:
                    rid = kind.key(record)
                    if rid in merged[kind.attribute]:
                        first = sources[(kind.attribute, rid)]
                        duplicate = DuplicateIdError(
                            kind.name,
                            rid,
                            str(first),
                            info.name,
                            distribution=info.distribution,
                            version=info.version,
                            hook=kind.hook,
                        )
                        self.fail(duplicate)
                        return merged, sources, name
                    merged[kind.attribute][rid] = record
                    sources[(kind.attribute, rid)] = info
        dimensions = merged["dimensions"]
        for name in self.order():
            if name not in good:
                continue
            for kind in kinds:
                for record in good[name][kind.attribute]:
                    rid = kind.key(record)
                    for place, ref in kind.references(record):
                        problem = unknown_reference(dimensions, ref)
                        if problem:
                            info = self.infos[name]
                            message = f"{kind.name} {rid!r} {place}: {problem}"
                            self.fail(self.error(PluginValidationError, info, message, kind.hook))
                            return merged, sources, name
        return merged, sources, None


def unknown_reference(dimensions: Mapping[str, Dimension], ref: str) -> str | None:
    """Why *ref* (``dimension`` or ``dimension.facet``) names nothing registered, or None.

    Dimension ids may themselves contain dots (``zorg_x.reflectie``), so the
    whole *ref* is tried as a dimension first, then as ``dimension.facet``.
    """
    if ref in dimensions:
        return None
    dim_id, _, facet = ref.rpartition(".")
    if dim_id in dimensions:
        if facet in {f.id for f in dimensions[dim_id].facets}:
            return None
        return f"dimension {dim_id!r} has no facet {facet!r}"
    return f"unknown dimension {ref!r}" + _suggest([ref], list(dimensions))


def _suggest(names: Iterable[str], known: Iterable[str]) -> str:
    import difflib

    known = list(known)
    close = list(dict.fromkeys(c for n in names for c in difflib.get_close_matches(n, known, n=1)))
    return f"; did you mean {', '.join(map(repr, close))}?" if close else ""


def _is_spec(pm: pluggy.PluginManager, name: str) -> bool:
    return not name.startswith("_") and bool(getattr(pm.hook, name).has_spec())


def _unmarked_hooks(obj: object) -> list[str]:
    """Names on *obj* that look like hooks (``leercultuur_*`` functions) but lack the marker."""
    if obj is None:
        return []
    marker = f"{_plugins.ENTRY_POINT_GROUP}_impl"
    names: Iterator[str] = (n for n in dir(obj) if n.startswith("leercultuur_") and n != marker)
    out = []
    for name in names:
        try:
            value = getattr(obj, name)
        except Exception:  # a property that raises is not a hook
            continue
        if isinstance(value, ModuleType) or not callable(value):
            continue
        if not hasattr(value, marker):
            out.append(name)
    return sorted(out)
