"""Input files of the command line: an organisation (context, indicators) and a profile.

An *organisation file* (TOML, JSON or YAML) describes the context interventions are matched
to, optional per-unit overrides, and optional objective indicators::

    name = "Zorggroep Voorbeeld (fictief)"   # optional, shown in reports
    fictional = true                          # optional, labels reports as fictional

    [context]                                 # required: a leercultuur.Context
    sector = "elderly_care"
    fte = 85
    budget_eur = 40000
    hours_per_fte = 24
    ict_maturity = 45                         # optional

    [units."afdeling:verpleeghuis"]           # optional: fields that differ for a unit
    fte = 28
    budget_eur = 14000

    [[indicators]]                            # optional
    id = "learning_hours"
    dimension = "resources.staff"
    value = 14
    unit = "h/FTE/year"
    transform = { kind = "linear", lo = 0, hi = 40 }   # or logistic (midpoint, slope)
    label = { nl = "Leeruren per fte", en = "Learning hours per FTE" }  # or steps
    source = "HR-jaarverslag"                 # optional; also weight (default 1)

A *profile file* gives one unit's scores (0-100), each a number or a table with ``value``
and optionally ``n``, ``ci_low``, ``ci_high``::

    unit = "team:a"
    [scores]
    safety = 45
    interaction = { value = 30, n = 12 }
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from leercultuur.errors import Problem, ValidationError
from leercultuur.io import _formats
from leercultuur.io._converter import structure
from leercultuur.model import Context, CultureProfile, DimensionScore, Text
from leercultuur.scoring.indicators import Indicator, Linear, Logistic, Steps, Transform

__all__ = ["Organisation", "load_organisation", "load_profile", "parse_organisation"]

_CONTEXT_FIELDS = {f.name for f in attrs.fields(Context)}
_TRANSFORMS: Mapping[str, tuple[type[Any], tuple[str, ...]]] = {
    "linear": (Linear, ("lo", "hi")),
    "logistic": (Logistic, ("midpoint", "slope")),
    "steps": (Steps, ("thresholds", "scores")),
}


@attrs.frozen
class Organisation:
    """A parsed organisation file: its context, per-unit contexts and indicators."""

    context: Context
    units: Mapping[str, Context] = attrs.field(factory=dict)
    indicators: tuple[Indicator, ...] = ()
    name: str | None = None
    fictional: bool = False

    def context_for(self, unit: str | None) -> Context:
        """The context listed for *unit* (an exact unit id), else the organisation's."""
        if unit is not None and unit in self.units:
            return self.units[unit]
        return self.context

    def contexts(self, units: Sequence[str], parent: Sequence[int]) -> dict[str, Context]:
        """Unit -> context for *units* (with each unit's *parent* index, -1 for a root).

        A unit gets its own entry, else its nearest listed ancestor's, else the
        organisation's; the key ``""`` holds the organisation's context.
        """
        out: dict[str, Context] = {"": self.context}
        for i, unit in enumerate(units):
            j = i
            while j >= 0 and units[j] not in self.units:
                j = int(parent[j])
            out[unit] = self.units[units[j]] if j >= 0 else self.context
        return out


def _problem(where: str, what: str) -> Problem:
    return Problem(where, what)


def _transform(data: object, where: str, problems: list[Problem]) -> Transform | None:
    if not isinstance(data, Mapping):
        problems.append(_problem(where, "expected a table with 'kind' and its parameters"))
        return None
    kind = data.get("kind")
    if kind not in _TRANSFORMS:
        problems.append(
            _problem(f"{where}.kind", f"expected one of {sorted(_TRANSFORMS)}, got {kind!r}")
        )
        return None
    cls, names = _TRANSFORMS[str(kind)]
    extra = sorted(set(data) - {"kind", *names})
    missing = [n for n in names if n not in data]
    if extra or missing:
        problems.extend(_problem(f"{where}.{n}", "unknown field") for n in extra)
        problems.extend(_problem(f"{where}.{n}", "required field missing") for n in missing)
        return None
    try:
        return cls(**{n: data[n] for n in names})  # type: ignore[no-any-return]
    except (ValidationError, TypeError, ValueError) as exc:
        problems.append(_problem(where, str(exc).splitlines()[-1].strip()))
        return None


def _indicator(data: object, where: str, problems: list[Problem]) -> Indicator | None:
    if not isinstance(data, Mapping):
        problems.append(_problem(where, "expected a table"))
        return None
    allowed = {"id", "dimension", "value", "transform", "unit", "label", "weight", "source"}
    problems.extend(_problem(f"{where}.{k}", "unknown field") for k in sorted(set(data) - allowed))
    transform = _transform(data.get("transform"), f"{where}.transform", problems)
    label: Text | None = None
    if "label" in data:
        try:
            label = structure(data["label"], Text, path=f"{where}.label")
        except ValidationError as exc:
            problems.extend(exc.problems)
    if transform is None:
        return None
    kwargs = {
        k: data[k] for k in ("id", "dimension", "value", "unit", "weight", "source") if k in data
    }
    try:
        return Indicator(transform=transform, label=label, **kwargs)
    except (ValidationError, TypeError, ValueError) as exc:
        problems.append(_problem(where, str(exc).splitlines()[-1].strip()))
        return None


def parse_organisation(data: object, *, source: str | None = None) -> Organisation:
    """Turn parsed organisation-file data into an :class:`Organisation`.

    :raises ValidationError: listing every problem with its path.
    """
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise ValidationError([Problem("", "expected a table at the top level")], source=source)
    allowed = {"name", "fictional", "context", "units", "indicators"}
    problems.extend(Problem(k, "unknown field") for k in sorted(set(data) - allowed))
    context: Context | None = None
    if "context" not in data:
        problems.append(Problem("context", "required field missing"))
    else:
        try:
            context = structure(data["context"], Context, path="context")
        except ValidationError as exc:
            problems.extend(exc.problems)
    units: dict[str, Context] = {}
    raw_units = data.get("units", {})
    if not isinstance(raw_units, Mapping):
        problems.append(Problem("units", "expected a table of unit id -> context fields"))
    elif context is not None:
        base = attrs.asdict(context)
        for unit, fields in raw_units.items():
            if not isinstance(fields, Mapping):
                problems.append(Problem(f"units.{unit}", "expected a table"))
                continue
            try:
                units[str(unit)] = structure(
                    {k: v for k, v in {**base, **fields}.items() if v is not None},
                    Context,
                    path=f"units.{unit}",
                )
            except ValidationError as exc:
                problems.extend(exc.problems)
    indicators: list[Indicator] = []
    raw_ind = data.get("indicators", [])
    if not isinstance(raw_ind, list):
        problems.append(Problem("indicators", "expected a list of tables"))
    else:
        for i, item in enumerate(raw_ind):
            ind = _indicator(item, f"indicators[{i}]", problems)
            if ind is not None:
                indicators.append(ind)
    name = data.get("name")
    if name is not None and not isinstance(name, str):
        problems.append(Problem("name", f"expected text, got {name!r}"))
    fictional = data.get("fictional", False)
    if not isinstance(fictional, bool):
        problems.append(Problem("fictional", f"expected true or false, got {fictional!r}"))
    if problems or context is None:
        raise ValidationError(problems, source=source)
    return Organisation(context, units, tuple(indicators), name, fictional)


def load_organisation(path: str | Path) -> Organisation:
    """Read an organisation file (TOML, JSON or YAML by extension)."""
    data, _fmt = _formats.read(path)
    return parse_organisation(data, source=str(path))


def load_profile(path: str | Path) -> CultureProfile:
    """Read a profile file (TOML, JSON or YAML by extension) into a ``CultureProfile``.

    :raises ValidationError: listing every problem with its path.
    """
    source = str(path)
    data, _fmt = _formats.read(path)
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise ValidationError([Problem("", "expected a table at the top level")], source=source)
    problems.extend(Problem(k, "unknown field") for k in sorted(set(data) - {"unit", "scores"}))
    unit = data.get("unit")
    if not isinstance(unit, str) or not unit:
        problems.append(Problem("unit", f"expected a unit id such as 'team:a', got {unit!r}"))
    raw = data.get("scores")
    scores: dict[str, DimensionScore] = {}
    if not isinstance(raw, Mapping) or not raw:
        problems.append(Problem("scores", "expected a table of dimension -> score (0-100)"))
    else:
        for dim, value in raw.items():
            entry = {"value": value} if not isinstance(value, Mapping) else value
            try:
                scores[str(dim)] = structure(entry, DimensionScore, path=f"scores.{dim}")
            except ValidationError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems, source=source)
    try:
        return CultureProfile(str(unit), scores)
    except ValidationError as exc:
        raise ValidationError(exc.problems, source=source) from None
