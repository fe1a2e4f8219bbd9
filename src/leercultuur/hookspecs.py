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

from leercultuur.evidence import EvidenceRule
from leercultuur.instruments import Instrument
from leercultuur.model import Dimension, Intervention

__all__ = [
    "hookspec",
    "leercultuur_dimensions",
    "leercultuur_evidence_rules",
    "leercultuur_instruments",
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
def leercultuur_instruments() -> Iterable[Instrument]:
    """Yield the survey :class:`~leercultuur.instruments.Instrument` records this plugin adds.

    Instrument ids are namespaced (``zorg_x.teamscan``) and unique across plugins.
    Every item's dimension, and its facet if it names one (``resources.ict``),
    must be registered (by this plugin or another). An instrument whose licence
    forbids redistributing its items should ship ids and dimensions only and let
    the user load the wording from their own file with
    :func:`~leercultuur.instruments.load_instrument`. Set ``validated=True`` only
    with cited :class:`~leercultuur.instruments.ReportedReliability` figures.

    Example::

        @lc.hookimpl
        def leercultuur_instruments():
            yield lc.load_instrument("teamscan.toml")

    .. versionadded:: 0.1.0
    """
    yield from ()
