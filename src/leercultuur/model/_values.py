"""Values of the report's model: bilingual text, approaches, dimensions and the ordinal enums."""

from __future__ import annotations

import enum
from typing import Literal

import attrs

from leercultuur._checks import as_tuple, identifier, members, nonempty_text
from leercultuur.errors import ValidationError

__all__ = [
    "Approach",
    "Dimension",
    "DimensionKind",
    "EvidenceLevel",
    "Facet",
    "Lang",
    "OutcomeLevel",
    "Scale",
    "Strength",
    "Text",
]

Lang = Literal["nl", "en"]
"""A language code for user-facing text: Dutch (``"nl"``) or English (``"en"``)."""


@attrs.frozen
class Text:
    """A piece of user-facing text in Dutch and English.

    >>> Text(nl="Intervisie", en="Peer consultation").get("en")
    'Peer consultation'
    """

    nl: str = attrs.field(validator=nonempty_text)
    en: str = attrs.field(validator=nonempty_text)

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


@attrs.frozen
class Facet:
    """A named part of a dimension, e.g. the ICT facet of resources (*middelen*)."""

    id: str = attrs.field(validator=identifier)
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

    id: str = attrs.field(validator=identifier)
    kind: DimensionKind = attrs.field(validator=members(DimensionKind))
    label: Text
    description: Text | None = None
    facets: tuple[Facet, ...] = attrs.field(default=(), converter=as_tuple)

    def facet(self, facet_id: str) -> Facet:
        """Return the facet *facet_id*, or raise :class:`ValidationError`."""
        for facet in self.facets:
            if facet.id == facet_id:
                return facet
        raise ValidationError.single("facet", f"dimension {self.id!r} has no facet {facet_id!r}")
