"""The hooks a leercultuur plugin can implement; the only place hooks are specified.

Every hook is a no-argument *collection hook*: it yields (or returns an
iterable of) typed, frozen records, and the :class:`~leercultuur.Registry`
gathers them from all plugins when it is built. Hooks are never called while
scoring or matching.

A plugin is any module or object with functions named like these hooks and
marked with :data:`leercultuur.hookimpl`. It may implement any subset.
"""

from __future__ import annotations

from collections.abc import Iterable

import pluggy

from leercultuur.crosswalk import Crosswalk
from leercultuur.evidence import EvidenceRule
from leercultuur.model import Dimension, Intervention

__all__ = [
    "hookspec",
    "leercultuur_crosswalks",
    "leercultuur_dimensions",
    "leercultuur_evidence_rules",
    "leercultuur_interventions",
]

PROJECT_NAME = "leercultuur"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Marker for hook specifications (for leercultuur itself)."""


@hookspec
def leercultuur_dimensions() -> Iterable[Dimension]:
    """Yield the :class:`~leercultuur.Dimension` records this plugin adds.

    Dimension ids are unique across all plugins; a plugin's own dimensions
    should be namespaced (``zorg_x.reflection``). The built-in plugin supplies
    the report's three characteristics and four preconditions.

    Example::

        @lc.hookimpl
        def leercultuur_dimensions():
            yield lc.Dimension(
                id="zorg_x.reflection",
                kind=lc.DimensionKind.CUSTOM,
                label=lc.Text(nl="Reflectie", en="Reflection"),
            )

    .. versionadded:: 0.1.0
    """
    yield from ()


@hookspec
def leercultuur_interventions() -> Iterable[Intervention]:
    """Yield the :class:`~leercultuur.Intervention` records this plugin adds.

    Every dimension an intervention's effects, requirements or
    contra-indications name must be registered (by this plugin or another).
    Ids are namespaced (``zorg_x.leerafdeling``) and unique across plugins.

    Example::

        @lc.hookimpl
        def leercultuur_interventions():
            yield from lc.load_catalogue("catalogue.toml").interventions

    .. versionadded:: 0.1.0
    """
    yield from ()


@hookspec
def leercultuur_evidence_rules() -> Iterable[EvidenceRule]:
    """Yield the :class:`~leercultuur.evidence.EvidenceRule` records this plugin adds.

    A rule judges one premise (an id that interventions list in
    :attr:`~leercultuur.Intervention.premises`) and carries at least one
    citation. Matching excludes interventions resting on a *debunked* premise
    unless the caller opts in, and warns for *contested* or *unsupported* ones.

    Example::

        @lc.hookimpl
        def leercultuur_evidence_rules():
            yield lc.EvidenceRule(
                id="zorg_x.brain_gym",
                premise="brain_gym",
                verdict=lc.Verdict.DEBUNKED,
                message=lc.Text(nl="...", en="..."),
                citations=("Author (year). Title. Journal.",),
            )

    .. versionadded:: 0.1.0
    """
    yield from ()


@hookspec
def leercultuur_crosswalks() -> Iterable[Crosswalk]:
    """Yield the :class:`~leercultuur.crosswalk.Crosswalk` records this plugin adds.

    **Contract.** A crosswalk says that a plugin's own dimension (for example a
    validated instrument's subscale) informs one of the report's dimensions,
    with a weight in (0, 1], a rationale in Dutch and English, and a citation
    when one exists. Both ends must be registered dimensions (or
    ``dimension.facet``), by this plugin or another; ids are namespaced and
    unique across plugins. The hook takes no arguments and may yield records
    or plain mappings, which are read with the same strict converter as
    catalogue files. It is called once, when a registry is built.

    **Example.**

    >>> import leercultuur as lc
    >>> from leercultuur.crosswalk import Crosswalk
    >>> from leercultuur.testing import make_registry
    >>> class ZorgX:
    ...     @lc.hookimpl
    ...     def leercultuur_dimensions(self):
    ...         yield lc.Dimension(
    ...             id="zorg_x.reflectie",
    ...             kind=lc.DimensionKind.CUSTOM,
    ...             label=lc.Text(nl="Reflectie", en="Reflection"),
    ...         )
    ...
    ...     @lc.hookimpl
    ...     def leercultuur_crosswalks(self):
    ...         yield Crosswalk(
    ...             id="zorg_x.reflectie_to_open_culture",
    ...             source="zorg_x.reflectie",
    ...             target="open_culture",
    ...             weight=0.5,
    ...             rationale=lc.Text(
    ...                 nl="Reflectie vraagt een open cultuur; niet gevalideerd.",
    ...                 en="Reflection needs an open culture; not validated.",
    ...             ),
    ...         )
    >>> reg = make_registry(ZorgX())
    >>> reg.crosswalks["zorg_x.reflectie_to_open_culture"].target
    'open_culture'
    >>> reg.source_of("zorg_x.reflectie_to_open_culture").name
    'ZorgX'

    **What fails how.** A crosswalk whose source or target is not a registered
    dimension raises :class:`~leercultuur.errors.PluginValidationError`
    (``... in leercultuur_crosswalks: crosswalk 'zorg_x.x' target: unknown
    dimension 'opne_culture'``); an id another plugin already uses raises
    :class:`~leercultuur.errors.DuplicateIdError` naming both plugins; a
    record that is not a ``Crosswalk`` (or a mapping that reads as one) raises
    :class:`~leercultuur.errors.PluginRecordError`. With
    ``load_registry(on_error="warn")`` the plugin is left out instead and the
    error is listed in :attr:`Registry.failures <leercultuur.Registry.failures>`.

    .. versionadded:: 0.1.0
    """
    yield from ()
