"""Plugin markers and the plugin manager.

Nothing here runs at import time: plugins are found and loaded only when
:func:`leercultuur.load_registry` builds a registry.

Installed plugins announce themselves with an entry point in the group
``leercultuur``::

    [project.entry-points.leercultuur]
    zorg_x = "zorg_x.plugin"

Set the environment variable ``LEERCULTUUR_DISABLE_PLUGIN_AUTOLOAD`` to any
non-empty value to load no installed plugins (the built-ins still load).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import metadata

import attrs
import pluggy

from leercultuur import hookspecs

__all__ = [
    "BUILTIN_PLUGINS",
    "DISABLE_AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "PluginInfo",
    "autoload_disabled",
    "hookimpl",
    "installed_entry_points",
    "make_plugin_manager",
]

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
"""The entry-point group installed plugins register under."""

DISABLE_AUTOLOAD_ENV = "LEERCULTUUR_DISABLE_PLUGIN_AUTOLOAD"
"""Environment variable that, when non-empty, stops installed plugins from loading."""

BUILTIN_PLUGINS = (
    "leercultuur.builtin.model",
    "leercultuur.builtin.catalogue",
    "leercultuur.builtin.rules",
    "leercultuur.builtin.criteria",
    "leercultuur.builtin.instruments",
)
"""The modules registered, in this order, as the built-in plugins."""

hookimpl = pluggy.HookimplMarker(hookspecs.PROJECT_NAME)
"""Marker for hook implementations in plugins: decorate ``leercultuur_*`` functions with it."""


@attrs.frozen
class PluginInfo:
    """Who supplied something: a plugin's name and, for installed plugins, its distribution."""

    name: str
    distribution: str | None = None
    version: str | None = None

    def __str__(self) -> str:
        if self.distribution:
            return f"plugin {self.name!r} ({self.distribution} {self.version or '?'})"
        return f"plugin {self.name!r}"


def make_plugin_manager() -> pluggy.PluginManager:
    """Return a new plugin manager that knows leercultuur's hook specifications and no plugins."""
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    return pm


def autoload_disabled() -> bool:
    """Whether :data:`DISABLE_AUTOLOAD_ENV` asks that no installed plugins be loaded."""
    return bool(os.environ.get(DISABLE_AUTOLOAD_ENV, "").strip())


def installed_entry_points() -> Iterator[tuple[metadata.EntryPoint, PluginInfo]]:
    """Yield the installed plugins' entry points, sorted, with who provides each.

    The same distribution found twice on ``sys.path`` is yielded once. Two
    *different* distributions that use the same entry-point name are both
    yielded (sorted by distribution), so that the registry can reject the second
    one by name instead of silently skipping it, as pluggy's own loader would.
    """
    seen: set[tuple[str, str, str | None]] = set()
    found = []
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        info = PluginInfo(
            name=ep.name,
            distribution=dist.metadata["Name"] if dist is not None else None,
            version=dist.version if dist is not None else None,
        )
        key = (ep.name, ep.value, info.distribution)
        if key in seen:  # the same distribution found twice on sys.path
            continue
        seen.add(key)
        found.append((ep, info))
    yield from sorted(
        found, key=lambda pair: (pair[0].name, pair[1].distribution or "", pair[0].value)
    )
