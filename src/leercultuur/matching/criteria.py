"""Criteria: constraints (feasible or not, with a reason) and scores in [0, 1].

A :class:`Criterion` evaluates all (profile, intervention) pairs of a
:class:`~leercultuur.matching.batch.Batch` at once. Plugins add their own
through the ``leercultuur_criteria`` hook:

>>> import numpy as np
>>> import leercultuur as lc
>>> short = lc.Criterion(
...     id="zorg_x.short",
...     label=lc.Text(nl="Kort", en="Short"),
...     description=lc.Text(nl="Hoe korter hoe beter.", en="The shorter the better."),
...     kind=lc.CriterionKind.SCORE,
...     function=lambda batch: np.broadcast_to(
...         1.0 / (1.0 + batch.catalogue.hours), batch.shape).copy(),
... )
>>> short.kind
<CriterionKind.SCORE: 'score'>
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from leercultuur._checks import identifier, number
from leercultuur.errors import ValidationError
from leercultuur.model import Text

if TYPE_CHECKING:
    from leercultuur.matching.batch import Batch

__all__ = ["Criterion", "CriterionKind", "Evaluation", "Reason"]

Reason = Callable[["Batch", int, int], Text]
"""Explains, for profile ``p`` and intervention ``i`` of a batch, why a constraint failed."""


class CriterionKind(enum.StrEnum):
    """Whether a criterion filters interventions or scores them."""

    CONSTRAINT = "constraint"
    """Feasible or not; an infeasible intervention is blocked, with the criterion's reason."""
    SCORE = "score"
    """A value in [0, 1], higher is better, aggregated with the other scores."""


@attrs.frozen(eq=False)
class Evaluation:
    """What a criterion found for every (profile, intervention) pair.

    :ivar values: ``(P, I)`` booleans (feasible) for a constraint, floats in [0, 1] for a score.
    :ivar reason: for a constraint, why pair ``(p, i)`` is infeasible.
    """

    values: NDArray[np.float64] | NDArray[np.bool_]
    reason: Reason | None = None


def _namespaced(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
    if "." not in value:
        raise ValidationError.single(
            attribute.name, f"expected a namespaced id such as 'builtin.need', got {value!r}"
        )


@attrs.frozen(eq=False)
class Criterion:
    """A criterion for matching interventions to a unit.

    :param id: namespaced identifier, e.g. ``builtin.need``.
    :param label: short name in Dutch and English.
    :param description: what it measures, in Dutch and English.
    :param kind: :attr:`CriterionKind.CONSTRAINT` or :attr:`CriterionKind.SCORE`.
    :param function: ``function(batch)`` returns ``(P, I)`` values, or an :class:`Evaluation`.
    :param reason: for a constraint, ``reason(batch, p, i)`` says why a pair is infeasible.
    :param weight: a score's default weight (ignored for constraints).
    """

    id: str = attrs.field(validator=attrs.validators.and_(identifier, _namespaced))
    label: Text
    description: Text
    kind: CriterionKind
    function: Callable[[Batch], object] = attrs.field(repr=False)
    reason: Reason | None = attrs.field(default=None, repr=False)
    weight: float = attrs.field(default=1.0, validator=number(0))

    def evaluate(self, batch: Batch) -> Evaluation:
        """Evaluate every (profile, intervention) pair of *batch* at once.

        :raises ValidationError: the function returned the wrong shape, or (for a
            score) values outside [0, 1] or NaN; the message names the criterion.
        """
        out = self.function(batch)
        ev = out if isinstance(out, Evaluation) else Evaluation(np.asarray(out), self.reason)
        values: NDArray[Any] = np.asarray(ev.values)
        where = f"criteria[{self.id!r}]"
        if values.shape != batch.shape:
            raise ValidationError.single(
                where, f"returned shape {values.shape}, expected {batch.shape}"
            )
        if self.kind is CriterionKind.CONSTRAINT:
            if values.dtype != np.bool_:
                raise ValidationError.single(where, "a constraint must return booleans")
            return Evaluation(values, ev.reason or self.reason)
        floats: NDArray[np.float64] = values.astype(np.float64, copy=False)
        if floats.size and not (np.all(floats >= 0.0) and np.all(floats <= 1.0)):
            raise ValidationError.single(where, "a score must return values in [0, 1], not NaN")
        return Evaluation(floats, ev.reason)
