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
from leercultuur.instruments import Instrument
from leercultuur.matching.criteria import Criterion
from leercultuur.model import Dimension, Intervention

__all__ = [
    "hookspec",
    "leercultuur_criteria",
    "leercultuur_crosswalks",
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

    **Contract.** Takes no arguments; yields dimensions (or mappings that read
    as one). Dimension ids are unique across all plugins; a plugin's own
    dimensions are namespaced (``zorg_x.reflectie``) and of kind ``custom``.
    The built-in plugin supplies the report's three characteristics and four
    preconditions; a plugin says how its own dimension bears on them with
    :func:`leercultuur_crosswalks`. Called once, when a registry is built.

    **Example.**

    >>> import leercultuur as lc
    >>> from leercultuur.testing import make_registry
    >>> class ZorgX:
    ...     @lc.hookimpl
    ...     def leercultuur_dimensions(self):
    ...         yield lc.Dimension(
    ...             id="zorg_x.reflectie",
    ...             kind=lc.DimensionKind.CUSTOM,
    ...             label=lc.Text(nl="Reflectie", en="Reflection"),
    ...         )
    >>> make_registry(ZorgX()).dimensions["zorg_x.reflectie"].label.en
    'Reflection'

    **What fails how.** An id another plugin already uses (``safety``) raises
    :class:`~leercultuur.errors.DuplicateIdError` naming both plugins; an
    invalid dimension (``id="Bad!"``) raises
    :class:`~leercultuur.errors.PluginValidationError` naming the field; see
    the table at the top of this page for the rest.

    .. versionadded:: 0.1.0
    """
    yield from ()


@hookspec
def leercultuur_interventions() -> Iterable[Intervention]:
    """Yield the :class:`~leercultuur.Intervention` records this plugin adds.

    **Contract.** Takes no arguments; yields interventions, or mappings in the
    catalogue-file form, which are read with the same strict converter as
    :func:`~leercultuur.load_catalogue`. Ids are namespaced
    (``zorg_x.leerafdeling``) and unique across plugins. Every dimension an
    intervention's effects, requirements or contra-indications name must be
    registered, by this plugin or another. Evidence is cited, or recorded as
    absent with :meth:`Evidence.none_recorded() <leercultuur.Evidence.none_recorded>`.
    Called once, when a registry is built.

    **Example.**

    >>> import leercultuur as lc
    >>> from leercultuur.testing import make_registry
    >>> class ZorgX:
    ...     @lc.hookimpl
    ...     def leercultuur_interventions(self):
    ...         yield {
    ...             "id": "zorg_x.intervisie_nacht",
    ...             "name": {"nl": "Nachtintervisie", "en": "Night-shift peer consultation"},
    ...             "summary": {"nl": "Intervisie voor de nachtdienst.",
    ...                         "en": "Peer consultation for the night shift."},
    ...             "approaches": ["workplace"],
    ...             "effects": {"interaction": "moderate"},
    ...             "evidence": [{"level": "none_recorded"}],
    ...             "cost": {"eur_once": "veel"},
    ...         }
    >>> try:
    ...     make_registry(ZorgX())
    ... except lc.PluginError as err:
    ...     print(err.plugin, err.hook)
    ...     print(err.detail)
    ZorgX leercultuur_interventions
    returned interventions[0].cost.eur_once: expected a number, got 'veel'

    **What fails how.** A field that fails validation raises
    :class:`~leercultuur.errors.PluginValidationError` naming its path, as
    above; an effect on an unregistered dimension (``opne_culture``) raises
    the same error naming the dimension and suggesting ``open_culture``; an id
    another plugin uses raises :class:`~leercultuur.errors.DuplicateIdError`.

    .. versionadded:: 0.1.0
    """
    yield from ()


@hookspec
def leercultuur_evidence_rules() -> Iterable[EvidenceRule]:
    """Yield the :class:`~leercultuur.evidence.EvidenceRule` records this plugin adds.

    **Contract.** Takes no arguments; yields evidence rules. A rule judges one
    premise (an id that interventions list in their ``premises``) and carries
    at least one citation. Matching excludes interventions resting on a
    *debunked* premise unless the caller opts in, and warns for *contested* or
    *unsupported* ones. Rule ids are namespaced and unique across plugins.

    **Example.**

    >>> import leercultuur as lc
    >>> from leercultuur.testing import make_registry
    >>> class ZorgX:
    ...     @lc.hookimpl
    ...     def leercultuur_evidence_rules(self):
    ...         yield lc.EvidenceRule(
    ...             id="zorg_x.satisfaction",
    ...             premise="zorg_x.satisfaction_proves_learning",
    ...             verdict=lc.Verdict.UNSUPPORTED,
    ...             message=lc.Text(
    ...                 nl="Tevredenheid zegt weinig over wat er geleerd is.",
    ...                 en="Satisfaction says little about what was learned.",
    ...             ),
    ...             citations=("Alliger, G. M., Tannenbaum, S. I., Bennett, W., Traver,"
    ...                        " H., & Shotland, A. (1997). A meta-analysis of the relations"
    ...                        " among training criteria. Personnel Psychology, 50(2),"
    ...                        " 341-358.",),
    ...         )
    >>> make_registry(ZorgX()).evidence_rules["zorg_x.satisfaction"].verdict
    <Verdict.UNSUPPORTED: 'unsupported'>

    **What fails how.** A rule without a citation fails validation and raises
    :class:`~leercultuur.errors.PluginValidationError` (``built an invalid
    evidence rule: citations: an evidence rule needs at least one citation``);
    an id another plugin uses raises :class:`~leercultuur.errors.DuplicateIdError`.

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


@hookspec
def leercultuur_criteria() -> Iterable[Criterion]:
    """Yield the :class:`~leercultuur.Criterion` records this plugin adds.

    **Contract.** Takes no arguments; yields :class:`~leercultuur.Criterion`
    records (a criterion holds a function, so a plain mapping cannot describe
    one). A criterion is a *constraint* (its function returns a ``(P, I)``
    boolean feasibility mask, and its ``reason`` explains an infeasible pair)
    or a *score* (its function returns ``(P, I)`` values in [0, 1], higher is
    better, weighted by ``weight`` unless the caller passes ``weights=``). The
    function receives a :class:`~leercultuur.matching.Batch` holding every
    profile and intervention as arrays and must be pure numpy over it: it is
    called once per :func:`~leercultuur.match` call, never per pair. Ids are
    namespaced (``zorg_x.short``) and unique across plugins. Called once, when
    a registry is built; the criteria of every plugin then take part in every
    match.

    **Example.**

    >>> import numpy as np
    >>> import leercultuur as lc
    >>> from leercultuur.testing import make_registry
    >>> class ZorgX:
    ...     @lc.hookimpl
    ...     def leercultuur_criteria(self):
    ...         yield lc.Criterion(
    ...             id="zorg_x.short",
    ...             label=lc.Text(nl="Kort", en="Short"),
    ...             description=lc.Text(nl="Hoe korter hoe beter.",
    ...                                 en="The shorter the better."),
    ...             kind=lc.CriterionKind.SCORE,
    ...             function=lambda batch: np.broadcast_to(
    ...                 1.0 / (1.0 + batch.catalogue.hours), batch.shape
    ...             ).copy(),
    ...             weight=0.1,
    ...         )
    >>> reg = make_registry(ZorgX())
    >>> reg.criteria["zorg_x.short"].kind
    <CriterionKind.SCORE: 'score'>
    >>> reg.source_of("zorg_x.short").name
    'ZorgX'

    **What fails how.** An id without a namespace (``id="short"``) fails
    validation while the hook runs and raises
    :class:`~leercultuur.errors.PluginValidationError` (``built an invalid
    criterion: id: expected a namespaced id such as 'builtin.need', got
    'short'``); anything that is not a ``Criterion`` raises
    :class:`~leercultuur.errors.PluginRecordError`; an id another plugin uses
    raises :class:`~leercultuur.errors.DuplicateIdError`. A function that
    returns the wrong shape, a score outside [0, 1] or NaN, or a constraint
    that does not return booleans is found when :func:`~leercultuur.match`
    runs, which raises :class:`~leercultuur.errors.PluginValidationError`
    naming the plugin and the criterion:

    >>> class Broken:
    ...     @lc.hookimpl
    ...     def leercultuur_criteria(self):
    ...         yield lc.Criterion(
    ...             id="zorg_x.broken",
    ...             label=lc.Text(nl="Stuk", en="Broken"),
    ...             description=lc.Text(nl="Drie waarden.", en="Three values."),
    ...             kind=lc.CriterionKind.SCORE,
    ...             function=lambda batch: np.ones(3),
    ...         )
    >>> profile = lc.CultureProfile.from_values("team:a", {"safety": 40})
    >>> context = lc.Context(sector="hospital", fte=10, budget_eur=50_000, hours_per_fte=40)
    >>> try:
    ...     lc.match(profile, context, registry=make_registry(Broken()))
    ... except lc.PluginError as err:
    ...     print(err.plugin, err.hook)
    ...     print(err.detail)
    Broken leercultuur_criteria
    criterion returned invalid values: criteria['zorg_x.broken']: returned shape (3,), ...

    .. versionadded:: 0.1.0
    """
    yield from ()


@hookspec
def leercultuur_instruments() -> Iterable[Instrument]:
    """Yield the survey :class:`~leercultuur.Instrument` records this plugin adds.

    **Contract.** Takes no arguments; yields instruments, or mappings in the
    instrument-file form (read with the same strict converter as
    :func:`~leercultuur.load_instrument`). Instrument ids are namespaced
    (``zorg_x.teamscan``) and unique across plugins. Every item's dimension,
    and its facet if it names one (``resources.ict``), must be registered, by
    this plugin or another; an instrument with its own subscales registers
    them as ``custom`` dimensions and relates them to the report's dimensions
    with :func:`leercultuur_crosswalks`. An instrument whose licence forbids
    redistributing its items ships ids and dimensions only and lets the user
    load the wording from their own file with
    :func:`~leercultuur.load_instrument`. Set ``validated=True`` only with
    cited :class:`~leercultuur.ReportedReliability` figures. Called once, when
    a registry is built.

    **Example.**

    >>> import leercultuur as lc
    >>> from leercultuur.testing import make_registry
    >>> def item(id, dimension, nl, en):
    ...     return lc.Item(id=id, dimension=dimension, text=lc.Text(nl=nl, en=en))
    >>> class ZorgX:
    ...     @lc.hookimpl
    ...     def leercultuur_instruments(self):
    ...         yield lc.Instrument(
    ...             id="zorg_x.teamscan",
    ...             version="1",
    ...             name=lc.Text(nl="Teamscan", en="Team scan"),
    ...             scale=lc.ResponseScale(lo=1, hi=5),
    ...             items=(
    ...                 item("V1", "safety", "Ik durf fouten te melden.",
    ...                      "I dare to report errors."),
    ...                 item("M1", "resources.ict", "De computers werken.",
    ...                      "The computers work."),
    ...             ),
    ...             licence=lc.Licence(name="MIT"),
    ...         )
    >>> scan = make_registry(ZorgX()).instruments["zorg_x.teamscan"]
    >>> [(i.id, i.dimension) for i in scan.items]
    [('V1', 'safety'), ('M1', 'resources.ict')]

    **What fails how.** An item whose dimension or facet is not registered
    (``resources.ict_x``) raises
    :class:`~leercultuur.errors.PluginValidationError` naming the instrument,
    the item and the dimension; an invalid instrument (duplicate item ids,
    ``validated=True`` without a cited reliability) raises the same error
    naming the field; an id another plugin uses raises
    :class:`~leercultuur.errors.DuplicateIdError`. Looking up an id nobody
    registered raises :class:`~leercultuur.errors.UnknownInstrumentError`.

    .. versionadded:: 0.1.0
    """
    yield from ()
