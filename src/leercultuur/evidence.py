"""Evidence rules: flag interventions that rest on debunked or contested premises.

An intervention lists the claims it rests on as premise ids
(:attr:`~leercultuur.Intervention.premises`). An :class:`EvidenceRule` says
what the evidence says about one premise, with citations; :func:`lint` applies
the rules to interventions. The built-in rules cover the myths the blog and
the literature name: learning-style matching, 70-20-10 as a norm, and
satisfaction scores as proof of learning.

>>> import leercultuur as lc
>>> reg = lc.load_registry(entry_points=False)
>>> rule = reg.evidence_rules["builtin.learning_styles"]
>>> rule.verdict
<Verdict.DEBUNKED: 'debunked'>
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping

import attrs

from leercultuur._checks import as_tuple, identifier
from leercultuur.errors import ValidationError
from leercultuur.model import Intervention, Lang, Text

__all__ = ["EvidenceRule", "Finding", "Verdict", "lint"]


class Verdict(enum.StrEnum):
    """What the evidence says about a premise."""

    DEBUNKED = "debunked"
    """Well-designed studies contradict it; an intervention resting on it is excluded by default."""
    CONTESTED = "contested"
    """Studies disagree; recommendations resting on it carry a warning."""
    UNSUPPORTED = "unsupported"
    """No sound evidence for it is known; recommendations resting on it carry a warning."""


def _citations(
    _inst: object, attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]
) -> None:
    if not value or not all(isinstance(c, str) and c.strip() for c in value):
        raise ValidationError.single(attribute.name, "an evidence rule needs at least one citation")


@attrs.frozen
class EvidenceRule:
    """What the evidence says about one premise, with the sources that say it.

    :param id: namespaced identifier, e.g. ``builtin.learning_styles``.
    :param premise: the premise id it judges, e.g. ``learning_style_matching``.
    :param verdict: debunked, contested or unsupported.
    :param message: the warning shown with an intervention that rests on the premise.
    :param citations: the sources (at least one).
    """

    id: str = attrs.field(validator=identifier)
    premise: str = attrs.field(validator=identifier)
    verdict: Verdict
    message: Text
    citations: tuple[str, ...] = attrs.field(converter=as_tuple, validator=_citations)


@attrs.frozen
class Finding:
    """One rule that fired on one intervention."""

    intervention: str
    rule: EvidenceRule

    @property
    def blocking(self) -> bool:
        """Whether the finding excludes the intervention unless the caller opts in."""
        return self.rule.verdict is Verdict.DEBUNKED

    def explain(self, lang: Lang = "en") -> str:
        """The warning with its citations, in *lang*."""
        return f"{self.rule.message.get(lang)} ({'; '.join(self.rule.citations)})"


def lint(
    interventions: Iterable[Intervention],
    rules: Mapping[str, EvidenceRule] | Iterable[EvidenceRule],
) -> Iterator[Finding]:
    """Yield a :class:`Finding` for every rule whose premise an intervention rests on.

    Findings come in the order of *interventions*, then of rule id.
    """
    values = rules.values() if isinstance(rules, Mapping) else rules
    by_premise: dict[str, list[EvidenceRule]] = {}
    for rule in sorted(values, key=lambda r: r.id):
        by_premise.setdefault(rule.premise, []).append(rule)
    for iv in interventions:
        for premise in iv.premises:
            for rule in by_premise.get(premise, ()):
                yield Finding(iv.id, rule)
