"""The main job in one value: scores, the weakest units, their rankings and roadmaps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from leercultuur.matching import Ranking, Roadmap, match, plan
from leercultuur.model import Context
from leercultuur.registry import Registry
from leercultuur.scoring import CellScore, ScoreReport

__all__ = ["Analysis", "analyse", "unit_cells"]


def unit_cells(report: ScoreReport) -> tuple[str, ...]:
    """The report's unit cells (``"level:name"``), without cross-cut cells and ``"all"``."""
    return tuple(c for c in report.cells if "|" not in c and "=" not in c and c != "all")


def published_mean(report: ScoreReport, cell: str) -> float | None:
    """The mean of *cell*'s published survey scores over the top-level dimensions, or None."""
    values = [
        e.mean
        for dim, e in report.scores(cell).items()
        if "." not in dim and isinstance(e, CellScore)
    ]
    return sum(values) / len(values) if values else None


@attrs.frozen
class Analysis:
    """Everything a report on one scored survey shows (only published aggregates).

    :ivar report: the :class:`~leercultuur.ScoreReport`.
    :ivar focus: the units recommendations were made for (weakest first).
    :ivar rankings: unit -> its :class:`~leercultuur.Ranking` (cut to *top*).
    :ivar roadmaps: unit -> its :class:`~leercultuur.Roadmap`.
    :ivar contexts: unit -> the :class:`~leercultuur.Context` used for it.
    :ivar title: the organisation's name; *fictional* labels made-up data.
    """

    report: ScoreReport
    focus: tuple[str, ...]
    rankings: Mapping[str, Ranking]
    roadmaps: Mapping[str, Roadmap]
    contexts: Mapping[str, Context]
    title: str = "leercultuur"
    fictional: bool = False


def analyse(
    report: ScoreReport,
    contexts: Mapping[str, Context] | Context,
    *,
    focus: Sequence[str] | None = None,
    n_focus: int = 2,
    top: int = 5,
    registry: Registry | None = None,
    title: str = "leercultuur",
    fictional: bool = False,
) -> Analysis:
    """Rank and plan interventions for the weakest published units of *report*.

    :param contexts: one :class:`~leercultuur.Context` for every unit, or unit -> context
        (a unit missing from the mapping gets the entry ``""`` if present).
    :param focus: the units to advise; by default the *n_focus* units with the lowest mean
        published score over the top-level dimensions (units with every such score withheld
        are skipped, so no advice is ever derived from a withheld score).
    :param top: how many recommendations each ranking keeps.
    """
    if focus is None:
        means = [(m, c) for c in unit_cells(report) if (m := published_mean(report, c)) is not None]
        focus = [c for _m, c in sorted(means)[: max(0, n_focus)]]
    chosen: dict[str, Context] = {}
    for unit in focus:
        report.scores(unit)  # raises UnknownCellError for an unknown unit
        if isinstance(contexts, Context):
            chosen[unit] = contexts
        else:
            chosen[unit] = contexts.get(unit) or contexts[""]
    rankings: dict[str, Ranking] = {}
    roadmaps: dict[str, Roadmap] = {}
    for unit, ctx in chosen.items():
        profile = report.profile(unit)
        rankings[unit] = match(profile, ctx, registry=registry).top(top)
        roadmaps[unit] = plan(profile, ctx, registry=registry)
    return Analysis(report, tuple(focus), rankings, roadmaps, chosen, title, fictional)
