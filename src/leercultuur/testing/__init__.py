"""Helpers for testing leercultuur plugins (public API for plugin authors).

:func:`make_registry` builds a registry from plugin objects without looking at
installed plugins; :func:`check_plugin` runs the conformance checks every
plugin should pass (namespaced ids, translated texts, evidence cited or marked
absent, evidence rules, crosswalks onto the report's dimensions; criteria
evaluated on a synthetic batch for shape, range and purity; instruments with a
coherent licence, cited reliability when validated, and items that reach the
report's dimensions) and raises :class:`ConformanceError` listing every problem
at once. New record kinds add their checks with :func:`conformance_check`.
:func:`sample_batch` builds a small synthetic batch to test a criterion's
``evaluate`` on. Hypothesis strategies for model records live in
``leercultuur.testing.strategies`` (they need the ``test`` extra's hypothesis).

>>> import leercultuur as lc
>>> from leercultuur.testing import check_plugin
>>> class ZorgX:
...     @lc.hookimpl
...     def leercultuur_interventions(self):
...         yield lc.Intervention(
...             id="zorg_x.leerstijltest",
...             name=lc.Text(nl="Leerstijltest", en="Learning-style test"),
...             summary=lc.Text(
...                 nl="Iedereen krijgt les in de eigen leerstijl.",
...                 en="Everyone is taught in their own learning style.",
...             ),
...             approaches=[lc.Approach.WORKPLACE],
...             effects={"autonomy": lc.Strength.WEAK},
...             evidence=[lc.Evidence.none_recorded()],
...             premises=["learning_style_matching"],
...         )
>>> check_plugin(ZorgX())
Traceback (most recent call last):
...
leercultuur.testing.ConformanceError: plugin 'ZorgX' fails 1 conformance check
  intervention 'zorg_x.leerstijltest' [evidence_rules]: Rests on matching instruction ...
>>> report = check_plugin(ZorgX(), strict=False)
>>> report.ok, report.counts["interventions"]
(False, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal

import attrs

from leercultuur import plugins as _plugins
from leercultuur.crosswalk import Crosswalk
from leercultuur.errors import LeercultuurError
from leercultuur.evidence import lint
from leercultuur.model import Dimension, DimensionKind, EvidenceLevel, Intervention, Text
from leercultuur.plugins import PluginInfo
from leercultuur.registry import KINDS, Registry, load_registry
from leercultuur.testing._sample import sample_batch

__all__ = [
    "CheckFunction",
    "ConformanceError",
    "ConformanceReport",
    "Issue",
    "Severity",
    "check_plugin",
    "conformance_check",
    "make_registry",
    "records_of",
    "sample_batch",
]

Severity = Literal["problem", "flag"]
"""A *problem* fails the check; a *flag* is reported for a human to judge."""

CheckFunction = Callable[[Any, Registry], Iterable[tuple[Severity, str]]]
"""A conformance check: given one record and the registry, yield ``(severity, message)``."""

_CHECKS: dict[str, dict[str, CheckFunction]] = {}
_ALL = "*"
_PLUGIN = "plugin"


def make_registry(*plugins: object, builtins: bool = True) -> Registry:
    """Build a registry from the built-ins (unless *builtins* is false) and *plugins* only.

    Installed plugins are never loaded, so a test sees exactly the plugins it
    names. Any failure raises the :class:`~leercultuur.errors.PluginError` that
    :func:`~leercultuur.load_registry` would raise.

    >>> from leercultuur.testing import make_registry
    >>> len(make_registry().dimensions)
    7
    """
    return load_registry(entry_points=False, plugins=plugins, builtins=builtins)


def conformance_check(
    attribute: str, name: str | None = None
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a conformance check for the records in :class:`Registry` *attribute*.

    *attribute* is a record kind's registry attribute (``"interventions"``),
    ``"*"`` for every kind, or ``"plugin"`` for a check of the plugin as a
    whole (it receives :func:`records_of`'s mapping instead of one record). A
    record kind adds its checks here, as criteria (``criterion_contract``) and
    instruments (``licence``, ``psychometrics``, ``item_dimensions``) do.

    :param name: the check's name in reports; defaults to the function's name.
    """
    known = {kind.attribute for kind in KINDS} | {_ALL, _PLUGIN}
    if attribute not in known:
        from leercultuur.errors import ValidationError

        raise ValidationError.single(
            "attribute", f"expected one of {', '.join(map(repr, sorted(known)))}, got {attribute!r}"
        )

    def register(function: CheckFunction) -> CheckFunction:
        _CHECKS.setdefault(attribute, {})[name or function.__name__.lstrip("_")] = function
        return function

    return register


@attrs.frozen
class Issue:
    """One finding of a conformance check on one record."""

    kind: str
    record: str
    check: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.kind} {self.record!r} [{self.check}]: {self.message}"


@attrs.frozen
class ConformanceReport:
    """What :func:`check_plugin` found: the records checked and every issue.

    :param plugin: the plugin checked.
    :param counts: how many records of each kind (registry attribute) it supplies.
    :param issues: every problem and flag, sorted by kind, record and check.
    """

    plugin: PluginInfo
    counts: Mapping[str, int]
    issues: tuple[Issue, ...]

    @property
    def problems(self) -> tuple[Issue, ...]:
        """The issues that fail the check."""
        return tuple(i for i in self.issues if i.severity == "problem")

    @property
    def flags(self) -> tuple[Issue, ...]:
        """The issues reported for a human to judge."""
        return tuple(i for i in self.issues if i.severity == "flag")

    @property
    def ok(self) -> bool:
        """Whether the plugin passes: no problems (flags are allowed)."""
        return not self.problems

    def __str__(self) -> str:
        total = sum(self.counts.values())
        head = f"{self.plugin}: {total} records, {len(self.problems)} problems"
        head += f", {len(self.flags)} flags"
        return "\n  ".join([head, *(f"{i.severity}: {i}" for i in self.issues)])


class ConformanceError(LeercultuurError, AssertionError):
    """A plugin failed conformance checks; the message lists every problem."""

    def __init__(self, report: ConformanceReport) -> None:
        self.report = report
        n = len(report.problems)
        head = f"{report.plugin} fails {n} conformance check" + ("" if n == 1 else "s")
        super().__init__("\n  ".join([head, *map(str, report.problems)]))


def records_of(registry: Registry, plugin: str) -> dict[str, list[Any]]:
    """The records plugin *plugin* supplied to *registry*, per registry attribute, by id."""
    out: dict[str, list[Any]] = {kind.attribute: [] for kind in KINDS}
    for (attribute, rid), info in sorted(registry.sources.items()):
        if info.name == plugin:
            out[attribute].append(registry.records[attribute][rid])
    return out


def check_plugin(
    plugin: object, *, strict: bool = True, builtins: bool = True
) -> ConformanceReport:
    """Load *plugin* next to the built-ins and run every conformance check on its records.

    :param plugin: a plugin object (module, class or instance), or the name of an
        installed plugin's entry point (then only that installed plugin is loaded).
    :param strict: raise :class:`ConformanceError` when there is any problem;
        otherwise just return the report.
    :param builtins: load the built-in plugins too (a plugin usually refers to the
        report's dimensions, so leave this on).
    :raises PluginError: the plugin does not even load (import error, a raising
        hook, a record of the wrong type or failing validation, a duplicate id).
    :raises ConformanceError: in strict mode, listing every problem.
    """
    builtin_names = {m.removeprefix("leercultuur.") for m in _plugins.BUILTIN_PLUGINS}
    if isinstance(plugin, str):
        registry = load_registry(allow=[plugin], builtins=builtins)
    else:
        registry = make_registry(plugin, builtins=builtins)
    own = [p for p in registry.plugins if p.name not in builtin_names or not builtins]
    if len(own) != 1:
        from leercultuur.errors import ValidationError

        found = ", ".join(str(p) for p in own) or "none"
        raise ValidationError.single("plugin", f"expected one plugin to check, found {found}")
    (info,) = own
    records = records_of(registry, info.name)
    issues: list[Issue] = []
    names = {kind.attribute: kind.name for kind in KINDS}
    for attribute, recs in records.items():
        checks = {**_CHECKS.get(_ALL, {}), **_CHECKS.get(attribute, {})}
        for record in recs:
            rid = str(getattr(record, "id", "?"))
            for check_name, check in sorted(checks.items()):
                for severity, message in check(record, registry):
                    issues.append(Issue(names[attribute], rid, check_name, severity, message))
    for check_name, whole in sorted(_CHECKS.get(_PLUGIN, {}).items()):
        for severity, message in whole(records, registry):
            issues.append(Issue(_PLUGIN, info.name, check_name, severity, message))
    report = ConformanceReport(
        plugin=info,
        counts={attribute: len(recs) for attribute, recs in records.items()},
        issues=tuple(sorted(issues, key=lambda i: (i.kind, i.record, i.check, i.message))),
    )
    if strict and not report.ok:
        raise ConformanceError(report)
    return report


# -- the checks ---------------------------------------------------------------------------------


@conformance_check(_PLUGIN)
def _supplies_records(
    records: Mapping[str, list[Any]], _registry: Registry
) -> Iterator[tuple[Severity, str]]:
    """A plugin supplies at least one record."""
    if not any(records.values()):
        yield "problem", "no records; are the hooks marked with @leercultuur.hookimpl?"


@conformance_check(_PLUGIN)
def _one_namespace(
    records: Mapping[str, list[Any]], _registry: Registry
) -> Iterator[tuple[Severity, str]]:
    """All of a plugin's ids share one namespace, so users can tell where a record comes from."""
    spaces = sorted(
        {str(r.id).partition(".")[0] for recs in records.values() for r in recs if "." in r.id}
    )
    if len(spaces) > 1:
        yield "flag", f"ids use {len(spaces)} namespaces ({', '.join(spaces)}); use one"


@conformance_check(_ALL)
def _namespaced(record: Any, _registry: Registry) -> Iterator[tuple[Severity, str]]:
    """Ids are namespaced with the plugin's own prefix, never ``builtin.``."""
    rid = str(getattr(record, "id", ""))
    namespace, dot, _ = rid.partition(".")
    if not dot:
        yield "problem", f"id {rid!r} is not namespaced; use 'your_plugin.{rid}'"
    elif namespace == "builtin":
        yield "problem", f"id {rid!r} uses the namespace 'builtin', reserved for leercultuur"


def _texts(value: Any, path: str = "") -> Iterator[tuple[str, Text]]:
    if isinstance(value, Text):
        yield path, value
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _texts(getattr(value, field.name), f"{path}.{field.name}".lstrip("."))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")


@conformance_check(_ALL)
def _bilingual(record: Any, _registry: Registry) -> Iterator[tuple[Severity, str]]:
    """Every user-facing text has Dutch and English; identical sentences look untranslated."""
    for path, text in _texts(record):
        if not text.nl.strip() or not text.en.strip():  # pragma: no cover - Text forbids it
            yield "problem", f"{path}: needs both Dutch and English text"
        elif text.nl.strip() == text.en.strip() and len(text.nl.split()) >= 4:
            yield "flag", f"{path}: the Dutch and English texts are identical; translated?"


@conformance_check("interventions")
def _evidence(record: Intervention, _registry: Registry) -> Iterator[tuple[Severity, str]]:
    """Evidence is cited, or marked as none recorded, never both."""
    levels = {e.level for e in record.evidence}
    if EvidenceLevel.NONE_RECORDED in levels and len(levels) > 1:
        yield (
            "problem",
            "evidence says both that none is recorded and that some is;"
            " keep only the cited records",
        )
    for i, contra in enumerate(record.contra_indications):
        if not contra.citation.strip():
            yield "flag", f"contra_indications[{i}] has no citation"


@conformance_check("interventions")
def _evidence_rules(record: Intervention, registry: Registry) -> Iterator[tuple[Severity, str]]:
    """Evidence rules pass: a debunked premise fails; a contested or unsupported one is flagged."""
    for finding in lint([record], registry.evidence_rules):
        yield ("problem" if finding.blocking else "flag"), finding.explain("en")


@conformance_check("dimensions")
def _custom_kind(record: Dimension, _registry: Registry) -> Iterator[tuple[Severity, str]]:
    """A plugin's dimension is custom; the report's characteristics and preconditions are fixed."""
    if record.kind is not DimensionKind.CUSTOM:
        yield "flag", f"kind is {record.kind.value!r}; plugins normally add 'custom' dimensions"


@conformance_check("crosswalks")
def _crosswalk_ends(record: Crosswalk, registry: Registry) -> Iterator[tuple[Severity, str]]:
    """A crosswalk maps onto one of the report's dimensions and cites or explains its mapping."""
    target = registry.dimensions.get(record.target) or registry.dimensions.get(
        record.target.rpartition(".")[0]
    )
    if target is not None and target.kind is DimensionKind.CUSTOM:
        yield "problem", f"target {record.target!r} is not one of the report's dimensions"
    if not record.citation.strip():
        yield "flag", "no citation recorded; the rationale should say the mapping is unvalidated"


# The criterion and instrument checks register themselves with conformance_check.
from leercultuur.testing import _kinds  # noqa: E402, F401
