"""Built-in plugin: the matching criteria of section 8 of the design.

Constraints block an intervention with a reason; scores lie in [0, 1] and are
aggregated with their weights (the defaults below sum to 1):

========================= ========== ====== =================================================
id                        kind       weight meaning
========================= ========== ====== =================================================
``builtin.readiness``     constraint        required precondition levels met; no contra-indication
``builtin.budget``        constraint        total cost within the unit's budget
``builtin.hours``         constraint        hours per participant within the hours per FTE
``builtin.evidence_rules`` constraint       no debunked premise (unless the caller opts in)
``builtin.need``          score      0.40   how much it strengthens the unit's weakest dimensions
``builtin.evidence``      score      0.20   the strength of its best evidence
``builtin.affordability`` score      0.15   the share of the budget it leaves
``builtin.time``          score      0.15   the share of the learning hours it leaves
``builtin.sector_fit``    score      0.10   named for the unit's sector (1), open (0.75), other (0)
========================= ========== ====== =================================================
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from leercultuur.matching.batch import Batch
from leercultuur.matching.criteria import Criterion, CriterionKind
from leercultuur.model import Text
from leercultuur.plugins import hookimpl

__all__ = ["CRITERIA", "leercultuur_criteria", "need_scores"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
_TINY = 1e-300


def need_scores(gap: FloatArray, effects: FloatArray) -> FloatArray:
    """Need: ``1 - prod_d (1 - gap[p, d] * effect[i, d] / 3)`` for every pair, in [0, 1].

    *gap* is ``(P, D)`` in [0, 1] (``(100 - score) / 100``, 0 where unknown) and
    *effects* ``(I, D)`` the expected strength 0..3. Each targeted dimension
    closes a share ``strength / 3`` of its gap; the need score is the chance
    that at least one targeted gap is closed if the shares were independent.
    It grows with every gap and every effect, is 0 when nothing targeted has a
    gap, and 1 when a strong effect meets a full gap. Computed as three matrix
    products of logarithms, one per strength level.

    >>> import numpy as np
    >>> need_scores(np.array([[0.5, 0.0]]), np.array([[3.0, 0.0], [0.0, 3.0]])).round(3).tolist()
    [[0.5, 0.0]]
    """
    total = np.zeros((gap.shape[0], effects.shape[0]))
    for k in (1, 2, 3):
        chosen = (effects == k).astype(np.float64)
        if not chosen.any():
            continue
        logs = np.log(np.maximum(1.0 - gap * (k / 3.0), _TINY))
        total += logs @ chosen.T
    out: FloatArray = np.clip(-np.expm1(total), 0.0, 1.0) + 0.0  # + 0.0 turns -0.0 into 0.0
    return out


def _need(batch: Batch) -> FloatArray:
    return need_scores(batch.gap, batch.catalogue.effects)


def _readiness(batch: Batch) -> BoolArray:
    cat = batch.catalogue
    ok = np.ones(batch.shape, dtype=np.bool_)
    for j in np.flatnonzero(cat.required.any(axis=0) | cat.contra_set.any(axis=0)):
        score = batch.scores[:, j][:, None]
        known = batch.known[:, j][:, None]
        short = cat.required[None, :, j] & known & (score < cat.requirement[None, :, j])
        contra = cat.contra_set[None, :, j] & known & (score < cat.contra[None, :, j])
        ok &= ~(short | contra)
    return ok


def _readiness_reason(batch: Batch, p: int, i: int) -> Text:
    cat = batch.catalogue
    iv = cat.interventions[i]
    nl: list[str] = []
    en: list[str] = []
    col = {c: j for j, c in enumerate(cat.columns)}
    for key, level in iv.requirements.items():
        j = col[key]
        if batch.known[p, j] and batch.scores[p, j] < level:
            have = batch.scores[p, j]
            name = cat.label(key)
            nl.append(f"vereist {name.nl} >= {level:g}, de eenheid scoort {have:.1f}")
            en.append(f"requires {name.en} >= {level:g}, the unit scores {have:.1f}")
    for ci in iv.contra_indications:
        j = col[ci.dimension]
        if batch.known[p, j] and batch.scores[p, j] < ci.below:
            cite = f" ({ci.citation})" if ci.citation else ""
            name = cat.label(ci.dimension)
            nl.append(f"contra-indicatie bij {name.nl} < {ci.below:g}: {ci.reason.nl}{cite}")
            en.append(f"contra-indicated when {name.en} < {ci.below:g}: {ci.reason.en}{cite}")
    return Text(nl="; ".join(nl) or "niet gereed", en="; ".join(en) or "not ready")


def _budget(batch: Batch) -> BoolArray:
    return batch.cost <= batch.budget[:, None]


def _budget_reason(batch: Batch, p: int, i: int) -> Text:
    cost = float(batch.cost[p, i])
    budget = float(batch.budget[p])
    return Text(
        nl=f"kost EUR {cost:,.0f}, het budget is EUR {budget:,.0f}",
        en=f"costs EUR {cost:,.0f}, the budget is EUR {budget:,.0f}",
    )


def _share_left(need: FloatArray, available: FloatArray) -> FloatArray:
    """``1 - need / available`` clipped to [0, 1]; 1 when nothing is needed."""
    share = np.divide(need, available, out=np.full_like(need, np.inf), where=available > 0)
    share = np.where(need <= 0, 0.0, share)
    out: FloatArray = np.clip(1.0 - share, 0.0, 1.0)
    return out


def _affordability(batch: Batch) -> FloatArray:
    return _share_left(batch.cost, np.broadcast_to(batch.budget[:, None], batch.shape))


def _hours(batch: Batch) -> BoolArray:
    return batch.catalogue.hours[None, :] <= batch.hours_available[:, None]


def _hours_reason(batch: Batch, p: int, i: int) -> Text:
    need = float(batch.catalogue.hours[i])
    have = float(batch.hours_available[p])
    return Text(
        nl=f"vraagt {need:g} uur per deelnemer, er is {have:g} uur per fte",
        en=f"takes {need:g} hours per participant, {have:g} hours per FTE are available",
    )


def _time(batch: Batch) -> FloatArray:
    need = np.broadcast_to(batch.catalogue.hours[None, :], batch.shape)
    return _share_left(need, np.broadcast_to(batch.hours_available[:, None], batch.shape))


def _sector_fit(batch: Batch) -> FloatArray:
    cat = batch.catalogue
    named = np.zeros(batch.shape, dtype=np.bool_)
    if cat.sectors:
        has = batch.sector >= 0
        named[has] = cat.sector_fit[:, batch.sector[has]].T
    out: FloatArray = np.where(named, 1.0, np.where(cat.any_sector[None, :], 0.75, 0.0))
    return out


def _evidence(batch: Batch) -> FloatArray:
    return np.broadcast_to(batch.catalogue.evidence[None, :] / 6.0, batch.shape).copy()


def _evidence_rules(batch: Batch) -> BoolArray:
    blocked = batch.catalogue.debunked & (not batch.allow_debunked)
    return np.broadcast_to(~blocked[None, :], batch.shape).copy()


def _evidence_rules_reason(batch: Batch, p: int, i: int) -> Text:
    found = [f for f in batch.catalogue.findings[i] if f.blocking]
    return Text(
        nl="; ".join(f.explain("nl") for f in found) or "ontkracht uitgangspunt",
        en="; ".join(f.explain("en") for f in found) or "debunked premise",
    )


_C = CriterionKind.CONSTRAINT
_S = CriterionKind.SCORE

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        id="builtin.readiness",
        label=Text(nl="Gereedheid", en="Readiness"),
        description=Text(
            nl="De randvoorwaarden die de interventie vraagt zijn op niveau en geen"
            " contra-indicatie is van toepassing. Onbekende scores blokkeren niet.",
            en="The precondition levels the intervention requires are met and no"
            " contra-indication applies. Unknown scores do not block.",
        ),
        kind=_C,
        function=_readiness,
        reason=_readiness_reason,
    ),
    Criterion(
        id="builtin.budget",
        label=Text(nl="Budget", en="Budget"),
        description=Text(
            nl="Eenmalige kosten plus kosten per deelnemer maal het aantal deelnemers passen"
            " binnen het budget.",
            en="One-off cost plus cost per participant times the participants fits the budget.",
        ),
        kind=_C,
        function=_budget,
        reason=_budget_reason,
    ),
    Criterion(
        id="builtin.hours",
        label=Text(nl="Uren", en="Hours"),
        description=Text(
            nl="De leeruren per deelnemer passen binnen de leeruren per fte.",
            en="The learning hours per participant fit the learning hours per FTE.",
        ),
        kind=_C,
        function=_hours,
        reason=_hours_reason,
    ),
    Criterion(
        id="builtin.evidence_rules",
        label=Text(nl="Bewijsregels", en="Evidence rules"),
        description=Text(
            nl="Interventies die berusten op een ontkracht uitgangspunt vallen af, tenzij"
            " de gebruiker ze toestaat.",
            en="Interventions resting on a debunked premise are excluded unless the caller"
            " allows them.",
        ),
        kind=_C,
        function=_evidence_rules,
        reason=_evidence_rules_reason,
    ),
    Criterion(
        id="builtin.need",
        label=Text(nl="Behoefte", en="Need"),
        description=Text(
            nl="Hoeveel de interventie de zwakste dimensies van de eenheid versterkt:"
            " kloof maal verwacht effect.",
            en="How much the intervention strengthens the unit's weakest dimensions:"
            " gap times expected effect.",
        ),
        kind=_S,
        function=_need,
        weight=0.40,
    ),
    Criterion(
        id="builtin.evidence",
        label=Text(nl="Bewijskracht", en="Evidence strength"),
        description=Text(
            nl="Het sterkste bewijsniveau van de interventie, van geen (0) tot systematische"
            " review (1).",
            en="The intervention's strongest evidence level, from none (0) to systematic"
            " review (1).",
        ),
        kind=_S,
        function=_evidence,
        weight=0.20,
    ),
    Criterion(
        id="builtin.affordability",
        label=Text(nl="Betaalbaarheid", en="Affordability"),
        description=Text(
            nl="Het deel van het budget dat overblijft.",
            en="The share of the budget left over.",
        ),
        kind=_S,
        function=_affordability,
        weight=0.15,
    ),
    Criterion(
        id="builtin.time",
        label=Text(nl="Tijd", en="Time"),
        description=Text(
            nl="Het deel van de leeruren per fte dat overblijft.",
            en="The share of the learning hours per FTE left over.",
        ),
        kind=_S,
        function=_time,
        weight=0.15,
    ),
    Criterion(
        id="builtin.sector_fit",
        label=Text(nl="Sectorpassing", en="Sector fit"),
        description=Text(
            nl="1 als de interventie de sector van de eenheid noemt, 0,75 als ze voor elke"
            " sector is, anders 0.",
            en="1 when the intervention names the unit's sector, 0.75 when it suits any"
            " sector, 0 otherwise.",
        ),
        kind=_S,
        function=_sector_fit,
        weight=0.10,
    ),
)
"""The built-in criteria."""


@hookimpl
def leercultuur_criteria() -> Iterator[Criterion]:
    """Yield the built-in criteria."""
    yield from CRITERIA
