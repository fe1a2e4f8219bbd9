"""Interventions and the evidence, costs and contra-indications they carry."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from leercultuur._checks import (
    ID,
    as_tuple,
    frozen_map,
    identifier,
    identifiers,
    integer,
    members,
    nonempty_text,
    number,
    sorted_unique,
)
from leercultuur.errors import ValidationError
from leercultuur.model._values import Approach, EvidenceLevel, OutcomeLevel, Scale, Strength, Text

__all__ = ["ContraIndication", "Cost", "EffectSize", "Evidence", "Intervention"]


def _strength_map(value: Mapping[str, Strength]) -> Mapping[str, Strength]:
    return frozen_map(value)


def _level_map(value: Mapping[str, float]) -> Mapping[str, float]:
    return frozen_map(value)


@attrs.frozen
class EffectSize:
    """A reported effect size with its confidence interval, e.g. Cohen's d = .41."""

    value: float = attrs.field(validator=number())
    metric: str = attrs.field(default="d", validator=nonempty_text)
    ci_low: float | None = attrs.field(default=None, validator=number(optional=True))
    ci_high: float | None = attrs.field(default=None, validator=number(optional=True))

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

    level: EvidenceLevel = attrs.field(validator=members(EvidenceLevel))
    citation: str = ""
    design: str = ""
    outcome: OutcomeLevel | None = None
    effect: EffectSize | None = None
    population: str = ""
    year: int | None = attrs.field(default=None, validator=integer(1800, optional=True))
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

    eur_once: float = attrs.field(default=0.0, validator=number(0))
    eur_per_participant: float = attrs.field(default=0.0, validator=number(0))

    def total(self, participants: float) -> float:
        """The total cost for *participants* people."""
        return self.eur_once + self.eur_per_participant * participants


@attrs.frozen
class ContraIndication:
    """A condition under which an intervention should not run.

    It blocks the intervention when the unit's score on *dimension* (or
    ``dimension.facet``) is below *below* on the 0-100 scale.
    """

    dimension: str = attrs.field(validator=identifier)
    below: float = attrs.field(validator=number(0, 100))
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

    id: str = attrs.field(validator=identifier)
    name: Text
    summary: Text
    approaches: tuple[Approach, ...] = attrs.field(
        converter=sorted_unique, validator=members(Approach)
    )
    effects: Mapping[str, Strength] = attrs.field(converter=_strength_map)
    evidence: tuple[Evidence, ...] = attrs.field(converter=as_tuple)
    topics: tuple[str, ...] = attrs.field(
        default=(), converter=sorted_unique, validator=identifiers
    )
    requirements: Mapping[str, float] = attrs.field(factory=dict, converter=_level_map)
    contra_indications: tuple[ContraIndication, ...] = attrs.field(default=(), converter=as_tuple)
    cost: Cost = Cost()
    hours_per_participant: float = attrs.field(default=0.0, validator=number(0))
    duration_weeks: int = attrs.field(default=1, validator=integer(1))
    scale: Scale = attrs.field(default=Scale.TEAM, validator=members(Scale))
    sectors: tuple[str, ...] = attrs.field(
        default=(), converter=sorted_unique, validator=identifiers
    )
    premises: tuple[str, ...] = attrs.field(
        default=(), converter=sorted_unique, validator=identifiers
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
            if not isinstance(dim, str) or not ID.match(dim):
                raise ValidationError.single("effects", f"expected a dimension id, got {dim!r}")
            if not isinstance(strength, Strength):
                raise ValidationError.single(
                    f"effects.{dim}", f"expected 'weak', 'moderate' or 'strong', got {strength!r}"
                )
        for key, level in self.requirements.items():
            if not isinstance(key, str) or not ID.match(key):
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
