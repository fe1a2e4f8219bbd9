"""The exceptions and warnings leercultuur raises.

Everything the library raises derives from :class:`LeercultuurError`; each
subclass also derives from the builtin exception a caller would expect, so
``except KeyError`` keeps working around a registry lookup and ``except
ValueError`` around a validation.

Errors about bad input name the place of every problem (a file, a row, a
field, a plugin) and list all problems at once, never the first one only:

>>> from leercultuur.errors import Problem, ValidationError
>>> err = ValidationError(
...     [Problem("interventions[3].cost.eur_once", "expected a number >= 0, got 'veel'")],
...     source="catalogus.toml",
... )
>>> print(err)
catalogus.toml: 1 problem
  interventions[3].cost.eur_once: expected a number >= 0, got 'veel'

Messages never quote an individual survey respondent's answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "CatalogueError",
    "DuplicateIdError",
    "LeercultuurError",
    "LeercultuurWarning",
    "PluginError",
    "PluginHookError",
    "PluginImportError",
    "PluginRecordError",
    "PluginValidationError",
    "Problem",
    "SurveyError",
    "UnknownDimensionError",
    "UnknownIdError",
    "UnknownInstrumentError",
    "UnknownInterventionError",
    "ValidationError",
]


class LeercultuurError(Exception):
    """Base class of every exception leercultuur raises."""


class LeercultuurWarning(UserWarning):
    """Base class of the warnings leercultuur emits."""


@attrs.frozen
class Problem:
    """One located problem in some input.

    :param location: where the problem is, e.g. ``interventions[3].cost.eur_once``
        or ``row 17, item VL3``.
    :param message: what is wrong there, e.g. ``expected a number >= 0``.
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


def _render(problems: Sequence[Problem], source: str | None) -> str:
    count = len(problems)
    head = f"{count} problem" + ("" if count == 1 else "s")
    if source:
        head = f"{source}: {head}"
    return "\n  ".join([head, *(str(p) for p in problems)])


class ValidationError(LeercultuurError, ValueError):
    """Input failed validation; :attr:`problems` lists every problem with its place.

    :param problems: the located problems, at least one.
    :param source: what was being read (a file name, ``plugin 'x'``), if anything.
    """

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__(_render(self.problems, source))

    @classmethod
    def single(cls, location: str, message: str, source: str | None = None) -> ValidationError:
        """Build the error for one problem at *location*."""
        return cls([Problem(location, message)], source=source)

    def __str__(self) -> str:
        return _render(self.problems, self.source)


class CatalogueError(ValidationError):
    """A catalogue or instrument file could not be loaded; nothing of it was loaded."""


class UnknownIdError(LeercultuurError, KeyError):
    """A lookup by id found nothing; the message names close matches when there are any."""

    kind = "record"

    def __init__(self, record_id: str, known: Iterable[str] = ()) -> None:
        self.record_id = record_id
        import difflib

        close = difflib.get_close_matches(record_id, list(known), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        self.message = f"unknown {self.kind} {record_id!r}{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class UnknownDimensionError(UnknownIdError):
    """No dimension with this id is registered."""

    kind = "dimension"


class UnknownInterventionError(UnknownIdError):
    """No intervention with this id is registered."""

    kind = "intervention"


class PluginError(LeercultuurError):
    """A plugin failed; the message names the plugin, its distribution and version, and the hook.

    :param plugin: the plugin's registered name (its entry-point name for installed plugins).
    :param message: what went wrong.
    :param distribution: the distribution that provides it, if known.
    :param version: that distribution's version, if known.
    :param hook: the hook that was being called, if any.
    """

    def __init__(
        self,
        plugin: str,
        message: str,
        *,
        distribution: str | None = None,
        version: str | None = None,
        hook: str | None = None,
    ) -> None:
        self.plugin = plugin
        self.distribution = distribution
        self.version = version
        self.hook = hook
        self.detail = message
        super().__init__(self._render())

    def _render(self) -> str:
        who = f"plugin {self.plugin!r}"
        if self.distribution:
            who += f" ({self.distribution} {self.version or '?'})"
        if self.hook:
            who += f" in {self.hook}"
        return f"{who}: {self.detail}"

    def __str__(self) -> str:
        return self._render()


class PluginImportError(PluginError, ImportError):
    """An installed plugin could not be imported."""


class PluginHookError(PluginError, RuntimeError):
    """A plugin's hook raised an exception."""


class PluginRecordError(PluginError, TypeError):
    """A plugin's hook returned something that is not a record of the hook's type."""


class PluginValidationError(PluginError, ValueError):
    """A plugin is malformed (e.g. a misspelt hook) or returned a record that fails validation."""


class DuplicateIdError(PluginValidationError):
    """Two plugins supplied a record with the same id; the message names both."""

    def __init__(
        self,
        kind: str,
        record_id: str,
        first: str,
        second: str,
        *,
        distribution: str | None = None,
        version: str | None = None,
        hook: str | None = None,
    ) -> None:
        self.kind = kind
        self.record_id = record_id
        self.first = first
        super().__init__(
            second,
            f"duplicate {kind} id {record_id!r}, already supplied by {first}",
            distribution=distribution,
            version=version,
            hook=hook,
        )


class UnknownInstrumentError(UnknownIdError):
    """No survey instrument with this id is registered."""

    kind = "instrument"


class SurveyError(ValidationError):
    """Survey responses failed validation; every problem is listed with its row and item.

    Messages name rows, items and the offending value, never a respondent's valid answers.
    """
