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

from leercultuur._checks import Check
from leercultuur.model._intervention import (
    ContraIndication,
    Cost,
    EffectSize,
    Evidence,
    Intervention,
)
from leercultuur.model._profile import Context, CultureProfile, DimensionScore
from leercultuur.model._values import (
    Approach,
    Dimension,
    DimensionKind,
    EvidenceLevel,
    Facet,
    Lang,
    OutcomeLevel,
    Scale,
    Strength,
    Text,
)

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
