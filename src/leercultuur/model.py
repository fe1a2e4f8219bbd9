"""The domain model of 'Een Leven Lang Leren' as frozen, validated values.

The report (Zorgpact Rotterdam / deRotterdamseZorg) describes three approaches
to learning (*leervormen*), three characteristics every good case shares
(*kenmerken*) and four preconditions (*randvoorwaarden*). Approaches are the
fixed :class:`Approach` enum; characteristics and preconditions are
:class:`Dimension` records that the built-in plugin registers, so that plugins
can add dimensions of their own.

Every record is immutable and validated on construction; an invalid value
raises :class:`~leercultuur.errors.ValidationError` naming the field:

>>> from leercultuur.model import Text, Dimension, DimensionKind
>>> safety = Dimension(
...     id="safety",
...     kind=DimensionKind.PRECONDITION,
...     label=Text(nl="Veiligheid", en="Psychological safety"),
... )
>>> safety.label.get("nl")
'Veiligheid'
>>> Dimension(id="Safety!", kind=DimensionKind.CUSTOM, label=Text(nl="x", en="x"))
Traceback (most recent call last):
...
leercultuur.errors.ValidationError: 1 problem
  id: expected an identifier such as 'safety' or 'zorg_x.leerafdeling', got 'Safety!'
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Literal, TypeVar

import attrs

from leercultuur.errors import ValidationError

__all__ = [
    "Approach",
    "Check",
    "Context",
    "ContraIndication",
    "Cost",
    "CultureProfile",
    "Dimension",
    "DimensionKind",
    "DimensionScore",
    "EffectSize",
    "Evidence",
    "EvidenceLevel",
    "Facet",
    "Intervention",
    "Lang",
    "OutcomeLevel",
    "Scale",
    "Strength",
    "Text",
]

Lang = Literal["nl", "en"]
"""A language code for user-facing text: Dutch (``"nl"``) or English (``"en"``)."""

# ``$(?!\n)``: Python's ``$`` also matches before a final newline; the lookahead refuses that,
# so that ``"safety\n"`` is no identifier, here and in the JSON Schema that reuses the pattern.
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$(?!\n)")
_K = TypeVar("_K")
_V = TypeVar("_V")


# -- validators ---------------------------------------------------------------------------------


@attrs.frozen
class Check:
    """A field validator that also knows the JSON Schema of what it accepts."""

    test: Callable[[object], bool]
    message: str
    schema: Mapping[str, Any] = attrs.field(factory=dict)
    optional: bool = False

    def __call__(self, _inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        """Raise :class:`ValidationError` naming *attribute* unless *value* passes."""
        if value is None and self.optional:
            return
        if not self.test(value):
            raise ValidationError.single(attribute.name, f"{self.message}, got {value!r}")


def _is_id(value: object) -> bool:
    return isinstance(value, str) and _ID.match(value) is not None


_ID_SCHEMA = {"type": "string", "pattern": _ID.pattern}
_identifier = Check(
    _is_id, "expected an identifier such as 'safety' or 'zorg_x.leerafdeling'", _ID_SCHEMA
)
_nonempty_text = Check(
    lambda v: isinstance(v, str) and bool(v.strip()),
    "expected non-empty text",
    {"type": "string", "minLength": 1, "pattern": r"\S"},
)


def _identifiers(_inst: object, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    for i, item in enumerate(value):
        if not _is_id(item):
            raise ValidationError.single(
                f"{attribute.name}[{i}]", f"expected an identifier, got {item!r}"
            )


def _is_real(value: object) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _number(
    low: float | None = None, high: float | None = None, *, optional: bool = False
) -> Check:
    """A validator for a finite real number within [low, high] (bools are not numbers)."""
    schema: dict[str, Any] = {"type": "number"}
    bounds = ""
    if low is not None:
        schema["minimum"] = low
        bounds = f" >= {low:g}"
    if high is not None:
        schema["maximum"] = high
        bounds = f" <= {high:g}" if low is None else f" in {low:g}..{high:g}"

    def test(value: object) -> bool:
        if not isinstance(value, int | float) or not _is_real(value):
            return False
        return (low is None or value >= low) and (high is None or value <= high)

    return Check(
        test,
        f"expected a number{bounds}",
        schema,
        optional,
    )


def _integer(low: int = 0, *, optional: bool = False) -> Check:
    return Check(
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= low,
        f"expected a whole number >= {low}",
        {"type": "integer", "minimum": low},
        optional,
    )


def _members(kind: type[enum.Enum]) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if not isinstance(item, kind):
                names = ", ".join(repr(m.name.lower()) for m in kind)
                raise ValidationError.single(
                    attribute.name, f"expected one of {names}, got {item!r}"
                )

    return check


def frozen_map(value: Mapping[_K, _V]) -> Mapping[_K, _V]:
    """Return a read-only copy of *value* with its keys in sorted order."""
    return MappingProxyType(dict(sorted(value.items(), key=lambda kv: str(kv[0]))))


def _sorted_unique(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(set(value), key=str))


def as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Convert any iterable to a tuple (an attrs converter that keeps mypy's types precise)."""
    return tuple(value)


def _strength_map(value: Mapping[str, Strength]) -> Mapping[str, Strength]:
    return frozen_map(value)


def _level_map(value: Mapping[str, float]) -> Mapping[str, float]:
    return frozen_map(value)


def _score_map(value: Mapping[str, DimensionScore]) -> Mapping[str, DimensionScore]:
    return frozen_map(value)


# -- small values -------------------------------------------------------------------------------


@attrs.frozen
class Text:
    """A piece of user-facing text in Dutch and English.

    >>> Text(nl="Intervisie", en="Peer consultation").get("en")
    'Peer consultation'
    """

    nl: str = attrs.field(validator=_nonempty_text)
    en: str = attrs.field(validator=_nonempty_text)

    def get(self, lang: Lang) -> str:
        """Return the text in *lang* (``"nl"`` or ``"en"``)."""
        if lang == "nl":
            return self.nl
        if lang == "en":
            return self.en
        raise ValidationError.single("lang", f"expected 'nl' or 'en', got {lang!r}")


class DimensionKind(enum.StrEnum):
    """What role a dimension plays in the report's model."""

    CHARACTERISTIC = "characteristic"
    """A *kenmerk* every good case shares: interaction, open culture, autonomy."""
    PRECONDITION = "precondition"
    """A *randvoorwaarde*: safety, relations, commitment, resources."""
    CUSTOM = "custom"
    """A dimension a plugin adds, e.g. a validated instrument's subscale."""


class Approach(enum.StrEnum):
    """How people learn: the report's three *leervormen*.

    An approach says *how* one learns, never *what*: learning digital skills on
    the job is :attr:`WORKPLACE` with topic ``digital_skills``, not
    :attr:`DIGITAL` (the blog's critique of the report).

    >>> Approach.DIGITAL.label.nl
    'digitaal leren'
    """

    EXPERIENTIAL = "experiential"
    """*Belevingsgericht leren*: experiencing work from another perspective, e.g. the patient's."""
    DIGITAL = "digital"
    """*Digitaal leren*: learning through digital means (platforms, SPOCs, e-learning)."""
    WORKPLACE = "workplace"
    """*Praktijkleren*: learning in and from daily practice, supported there."""

    @property
    def label(self) -> Text:
        """The approach's name in Dutch and English."""
        return _APPROACH_LABELS[self]


_APPROACH_LABELS = {
    Approach.EXPERIENTIAL: Text(nl="belevingsgericht leren", en="experiential learning"),
    Approach.DIGITAL: Text(nl="digitaal leren", en="digital learning"),
    Approach.WORKPLACE: Text(nl="praktijkleren", en="workplace learning"),
}


class Strength(enum.IntEnum):
    """Expected strength of an intervention's effect on a dimension (ordinal)."""

    WEAK = 1
    MODERATE = 2
    STRONG = 3


class Scale(enum.StrEnum):
    """The organisational scale an intervention runs at."""

    TEAM = "team"
    DEPARTMENT = "department"
    ORGANISATION = "organisation"
    NETWORK = "network"


class EvidenceLevel(enum.IntEnum):
    """How strong a study design is as evidence, from none recorded up to systematic reviews.

    The order follows the appropriateness hierarchy of CEBMa's guideline for
    critically appraised topics (Barends, Rousseau & Briner 2017): meta-analyses
    and systematic reviews above randomised trials, above controlled
    before-after studies, above uncontrolled and cross-sectional studies, above
    case studies and expert opinion.

    >>> EvidenceLevel.RCT > EvidenceLevel.CASE_STUDY
    True
    """

    NONE_RECORDED = 0
    EXPERT_OPINION = 1
    CASE_STUDY = 2
    UNCONTROLLED = 3
    CONTROLLED = 4
    RCT = 5
    SYSTEMATIC_REVIEW = 6


class OutcomeLevel(enum.StrEnum):
    """Kirkpatrick's outcome levels; a study's level is recorded, never inferred upward."""

    REACTION = "reaction"
    LEARNING = "learning"
    BEHAVIOUR = "behaviour"
    RESULTS = "results"


# -- records ------------------------------------------------------------------------------------


@attrs.frozen
class Facet:
    """A named part of a dimension, e.g. the ICT facet of resources (*middelen*)."""

    id: str = attrs.field(validator=_identifier)
    label: Text


@attrs.frozen
class Dimension:
    """A dimension of learning culture: a characteristic, a precondition or a plugin's own.

    :param id: a short identifier; plugins namespace theirs (``zorg_x.reflection``).
    :param kind: characteristic, precondition or custom.
    :param label: the name in Dutch and English.
    :param description: what it means, in Dutch and English.
    :param facets: named parts, e.g. resources has staff, finance and ICT.
    """

    id: str = attrs.field(validator=_identifier)
    kind: DimensionKind = attrs.field(validator=_members(DimensionKind))
    label: Text
    description: Text | None = None
    facets: tuple[Facet, ...] = attrs.field(default=(), converter=as_tuple)

    def facet(self, facet_id: str) -> Facet:
        """Return the facet *facet_id*, or raise :class:`ValidationError`."""
        for facet in self.facets:
            if facet.id == facet_id:
                return facet
        raise ValidationError.single("facet", f"dimension {self.id!r} has no facet {facet_id!r}")


@attrs.frozen
class EffectSize:
    """A reported effect size with its confidence interval, e.g. Cohen's d = .41."""

    value: float = attrs.field(validator=_number())
    metric: str = attrs.field(default="d", validator=_nonempty_text)
    ci_low: float | None = attrs.field(default=None, validator=_number(optional=True))
    ci_high: float | None = attrs.field(default=None, validator=_number(optional=True))

    def __attrs_post_init__(self) -> None:
        if (self.ci_low is None) != (self.ci_high is None):
            raise ValidationError.single("ci_low", "give both interval bounds or neither")
        if (
            self.ci_low is not None
            and self.ci_high is not None
            and not self.ci_low <= self.value <= self.ci_high
        ):
            raise ValidationError.single(
                "value",
                f"{self.value:g} lies outside its interval {self.ci_low:g}..{self.ci_high:g}",
            )


@attrs.frozen
class Evidence:
    """One piece of evidence for (or against) an intervention, with its citation.

    A record with level :attr:`EvidenceLevel.NONE_RECORDED` says plainly that no
    evidence is recorded; every other level needs a citation.

    >>> Evidence.none_recorded().level
    <EvidenceLevel.NONE_RECORDED: 0>
    """

    level: EvidenceLevel = attrs.field(validator=_members(EvidenceLevel))
    citation: str = ""
    design: str = ""
    outcome: OutcomeLevel | None = None
    effect: EffectSize | None = None
    population: str = ""
    year: int | None = attrs.field(default=None, validator=_integer(1800, optional=True))
    url: str = ""
    note: str = ""

    def __attrs_post_init__(self) -> None:
        if self.level is not EvidenceLevel.NONE_RECORDED and not self.citation.strip():
            raise ValidationError.single("citation", "evidence needs a citation")
        if self.outcome is not None and not isinstance(self.outcome, OutcomeLevel):
            raise ValidationError.single(
                "outcome", f"expected an outcome level, got {self.outcome!r}"
            )

    @classmethod
    def none_recorded(cls, note: str = "") -> Evidence:
        """Say explicitly that no evidence is recorded for an intervention."""
        return cls(level=EvidenceLevel.NONE_RECORDED, note=note)


@attrs.frozen
class Cost:
    """What an intervention costs: once, and per participant (EUR)."""

    eur_once: float = attrs.field(default=0.0, validator=_number(0))
    eur_per_participant: float = attrs.field(default=0.0, validator=_number(0))

    def total(self, participants: float) -> float:
        """The total cost for *participants* people."""
        return self.eur_once + self.eur_per_participant * participants


@attrs.frozen
class ContraIndication:
    """A condition under which an intervention should not run.

    It blocks the intervention when the unit's score on *dimension* (or
    ``dimension.facet``) is below *below* on the 0-100 scale.
    """

    dimension: str = attrs.field(validator=_identifier)
    below: float = attrs.field(validator=_number(0, 100))
    reason: Text
    citation: str = ""


@attrs.frozen
class Intervention:
    """A learning intervention an organisation can run, with what it needs and what it does.

    :param id: namespaced identifier, e.g. ``builtin.intervisie``.
    :param name: name in Dutch and English.
    :param summary: one or two sentences in Dutch and English.
    :param approaches: how one learns in it (at least one).
    :param topics: what one learns, e.g. ``digital_skills`` (a separate axis).
    :param effects: dimension id -> expected :class:`Strength` of its effect.
    :param requirements: dimension id, or ``dimension.facet``, -> minimum level (0-100).
    :param contra_indications: conditions that block it.
    :param cost: one-off and per-participant cost.
    :param hours_per_participant: learning hours it takes per participant.
    :param duration_weeks: how long it runs.
    :param scale: team, department, organisation or network.
    :param sectors: the sectors it suits; empty means any.
    :param evidence: evidence records; :meth:`Evidence.none_recorded` if there is none.
    :param premises: identifiers of the claims it rests on (checked by evidence rules).
    :param source: where the description comes from.
    """

    id: str = attrs.field(validator=_identifier)
    name: Text
    summary: Text
    approaches: tuple[Approach, ...] = attrs.field(
        converter=_sorted_unique, validator=_members(Approach)
    )
    effects: Mapping[str, Strength] = attrs.field(converter=_strength_map, hash=False)
    evidence: tuple[Evidence, ...] = attrs.field(converter=as_tuple)
    topics: tuple[str, ...] = attrs.field(
        default=(), converter=_sorted_unique, validator=_identifiers
    )
    requirements: Mapping[str, float] = attrs.field(factory=dict, converter=_level_map, hash=False)
    contra_indications: tuple[ContraIndication, ...] = attrs.field(default=(), converter=as_tuple)
    cost: Cost = Cost()
    hours_per_participant: float = attrs.field(default=0.0, validator=_number(0))
    duration_weeks: int = attrs.field(default=1, validator=_integer(1))
    scale: Scale = attrs.field(default=Scale.TEAM, validator=_members(Scale))
    sectors: tuple[str, ...] = attrs.field(
        default=(), converter=_sorted_unique, validator=_identifiers
    )
    premises: tuple[str, ...] = attrs.field(
        default=(), converter=_sorted_unique, validator=_identifiers
    )
    source: str = ""

    def __attrs_post_init__(self) -> None:
        if "." not in self.id:
            raise ValidationError.single(
                "id", f"expected a namespaced id such as 'builtin.intervisie', got {self.id!r}"
            )
        if not self.approaches:
            raise ValidationError.single(
                "approaches", "an intervention needs at least one approach"
            )
        if not self.evidence:
            raise ValidationError.single(
                "evidence", "list evidence records, or Evidence.none_recorded() if there is none"
            )
        for dim, strength in self.effects.items():
            if not isinstance(dim, str) or not _ID.match(dim):
                raise ValidationError.single("effects", f"expected a dimension id, got {dim!r}")
            if not isinstance(strength, Strength):
                raise ValidationError.single(
                    f"effects.{dim}", f"expected 'weak', 'moderate' or 'strong', got {strength!r}"
                )
        for key, level in self.requirements.items():
            if not isinstance(key, str) or not _ID.match(key) or key.count(".") > 1:
                raise ValidationError.single(
                    "requirements", f"expected 'dimension' or 'dimension.facet', got {key!r}"
                )
            if (
                not isinstance(level, int | float)
                or isinstance(level, bool)
                or not 0 <= level <= 100
            ):
                raise ValidationError.single(
                    f"requirements.{key}", f"expected a number in 0..100, got {level!r}"
                )

    @property
    def evidence_level(self) -> EvidenceLevel:
        """The strongest evidence level among its records."""
        return max(e.level for e in self.evidence)


@attrs.frozen
class Context:
    """The circumstances of the unit an intervention is matched to.

    :param sector: the unit's sector, e.g. ``hospital`` or ``elderly_care``.
    :param fte: its size in full-time equivalents.
    :param budget_eur: the learning budget available (EUR).
    :param hours_per_fte: learning hours available per FTE per year.
    :param ict_maturity: ICT maturity on 0-100, if known.
    :param participants: how many people an intervention would reach; defaults to the FTE
        rounded up.
    """

    sector: str = attrs.field(validator=_identifier)
    fte: float = attrs.field(validator=_number(0))
    budget_eur: float = attrs.field(default=0.0, validator=_number(0))
    hours_per_fte: float = attrs.field(default=0.0, validator=_number(0))
    ict_maturity: float | None = attrs.field(default=None, validator=_number(0, 100, optional=True))
    participants: int | None = attrs.field(default=None, validator=_integer(1, optional=True))

    @property
    def headcount(self) -> int:
        """The number of participants used for costs: *participants*, or the FTE rounded up."""
        return self.participants if self.participants is not None else max(1, math.ceil(self.fte))


@attrs.frozen
class DimensionScore:
    """A unit's score on one dimension (0-100) with its sample size and uncertainty."""

    value: float = attrs.field(validator=_number(0, 100))
    n: int = attrs.field(default=0, validator=_integer(0))
    ci_low: float | None = attrs.field(default=None, validator=_number(0, 100, optional=True))
    ci_high: float | None = attrs.field(default=None, validator=_number(0, 100, optional=True))


@attrs.frozen
class CultureProfile:
    """A unit's learning culture: a :class:`DimensionScore` per dimension (or ``dimension.facet``).

    Built by hand, or by :func:`leercultuur.score` from survey responses.

    >>> p = CultureProfile.from_values("team:a", {"safety": 35, "autonomy": 70})
    >>> p.value("safety")
    35.0
    """

    unit: str = attrs.field(validator=_nonempty_text)
    scores: Mapping[str, DimensionScore] = attrs.field(converter=_score_map, hash=False)

    @classmethod
    def from_values(cls, unit: str, values: Mapping[str, float], n: int = 0) -> CultureProfile:
        """Build a profile from plain 0-100 values (no uncertainty recorded)."""
        scores: dict[str, DimensionScore] = {
            k: DimensionScore(float(v), n=n) for k, v in values.items()
        }
        return cls(unit, scores)

    def value(self, dimension: str) -> float | None:
        """The score on *dimension* (or ``dimension.facet``), or ``None`` if it is unknown."""
        score = self.scores.get(dimension)
        return None if score is None else score.value
