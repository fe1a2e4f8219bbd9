"""Crosswalks: how a plugin's own dimension bears on the report's dimensions.

A plugin may measure something the report does not name, e.g. a subscale of
a validated instrument. A :class:`Crosswalk` says, with a weight and a
rationale (and a citation when there is one), that this dimension informs one
of the report's dimensions. :func:`translate` applies crosswalks to scores:
each target gets the weighted mean of the sources that map onto it.

>>> import leercultuur as lc
>>> from leercultuur.crosswalk import Crosswalk, translate
>>> cw = Crosswalk(
...     id="zorg_x.reflectie_to_open_culture",
...     source="zorg_x.reflectie",
...     target="open_culture",
...     weight=0.5,
...     rationale=lc.Text(nl="Reflectie vraagt openheid.", en="Reflection needs openness."),
... )
>>> translate({"zorg_x.reflectie": 60.0}, [cw])
{'open_culture': 60.0}
>>> Crosswalk(
...     id="zorg_x.loop", source="safety", target="safety", weight=1.0,
...     rationale=lc.Text(nl="x", en="x"),
... )
Traceback (most recent call last):
...
leercultuur.errors.ValidationError: 1 problem
  target: a crosswalk maps a dimension onto another one, got 'safety' twice
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from leercultuur._checks import Check, identifier, is_real
from leercultuur.errors import ValidationError
from leercultuur.model import Text

__all__ = ["Crosswalk", "translate"]


def _is_weight(value: object) -> bool:
    return isinstance(value, int | float) and is_real(value) and 0 < value <= 1


_weight = Check(
    _is_weight,
    "expected a weight in (0, 1]",
    {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
)


@attrs.frozen
class Crosswalk:
    """Maps a plugin's dimension onto one of the report's dimensions, with a weight and a reason.

    :param id: namespaced identifier, e.g. ``zorg_x.reflectie_to_open_culture``.
    :param source: the plugin's dimension (or ``dimension.facet``), e.g. an instrument's subscale.
    :param target: the report's dimension (or ``dimension.facet``) it informs.
    :param weight: how much the source counts towards the target, in (0, 1].
    :param rationale: why the source bears on the target, in Dutch and English.
    :param citation: the study that supports the mapping; empty when none is recorded
        (the rationale then has to say so).
    """

    id: str = attrs.field(validator=identifier)
    source: str = attrs.field(validator=identifier)
    target: str = attrs.field(validator=identifier)
    weight: float = attrs.field(validator=_weight)
    rationale: Text
    citation: str = ""

    def __attrs_post_init__(self) -> None:
        if "." not in self.id:
            raise ValidationError.single(
                "id", f"expected a namespaced id such as 'zorg_x.reflectie', got {self.id!r}"
            )
        if self.source == self.target:
            raise ValidationError.single(
                "target",
                f"a crosswalk maps a dimension onto another one, got {self.target!r} twice",
            )


def translate(
    scores: Mapping[str, float], crosswalks: Mapping[str, Crosswalk] | Iterable[Crosswalk]
) -> dict[str, float]:
    """Apply *crosswalks* to *scores* (dimension id -> value on 0-100).

    Each target receives the weighted mean ``sum(w_i * s_i) / sum(w_i)`` of the
    source scores that map onto it; crosswalks whose source has no score (or a
    NaN score) are skipped, and a target with no scored source is left out.
    The result is sorted by target id, so the order of *crosswalks* never
    changes it.
    """
    values = crosswalks.values() if isinstance(crosswalks, Mapping) else crosswalks
    sums: dict[str, tuple[float, float]] = {}
    for cw in sorted(values, key=lambda c: c.id):
        score = scores.get(cw.source)
        if score is None or not math.isfinite(score):
            continue
        total, weights = sums.get(cw.target, (0.0, 0.0))
        sums[cw.target] = (total + cw.weight * score, weights + cw.weight)
    return {target: total / w for target, (total, w) in sorted(sums.items())}
