"""``score()``: from a survey (or merged chunk summaries) to a :class:`ScoreReport`."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Literal

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur._accel import accelerated
from leercultuur.errors import Problem, ValidationError
from leercultuur.scoring import _formulas, _stats
from leercultuur.scoring._build import build_cells
from leercultuur.scoring._cellstats import DimInput, cell_moments, publish
from leercultuur.scoring._clustering import clusterings
from leercultuur.scoring._design import Design
from leercultuur.scoring._fast import DimMoments
from leercultuur.scoring._itemstats import reliabilities
from leercultuur.scoring._prepare import (
    _design,
    _dim_items,
    _keys,
    _layout,
    dense_cells,
    direct,
)
from leercultuur.scoring._report import DimensionCells, ScoreReport
from leercultuur.scoring._results import (
    AuditEntry,
    DisclosureWarning,
)
from leercultuur.scoring.disclosure import Decision, ProtectCache, protect
from leercultuur.scoring.indicators import Indicator, indicator_scores
from leercultuur.survey import Survey

__all__ = ["Summary", "score", "summarise"]

Policy = Literal["listwise", "pairwise"]
_NO_INDICATORS = indicator_scores(())
_I = npt.NDArray[np.int64]


@attrs.frozen(eq=False, repr=False)
class Summary:
    """Exact, mergeable sufficient statistics of (a chunk of) a survey; no answers are kept.

    Add the summaries of a survey's chunks with ``+`` and score the total: the result equals
    scoring the whole survey, because every sum is an exact integer.

    >>> import leercultuur as lc
    >>> from leercultuur.builtin.instruments import SCAN
    >>> rows = [{"team": t, **{i.id: 1 + (r + j) % 5 for j, i in enumerate(SCAN.items)}}
    ...         for r, t in enumerate(["a"] * 6 + ["b"] * 6)]
    >>> s = lc.Survey.from_rows(rows, instrument=SCAN, unit="team")
    >>> parts = [summarise(c) for c in s.chunks(5)]
    >>> total = parts[0] + parts[1] + parts[2]
    >>> lc.score(total).to_json() == lc.score(s).to_json()
    True
    """

    layout: _stats.Layout
    design: Design
    stats: _stats.SufficientStats
    instrument_id: str

    def __repr__(self) -> str:
        n = int(self.stats.n_resp.sum())
        return f"<Summary {self.instrument_id}: {n} respondents, {len(self.design.units)} units>"

    def __add__(self, other: Summary) -> Summary:
        if not isinstance(other, Summary):
            return NotImplemented
        self.design.check_same(other.design)
        if (
            self.layout.item_ids != other.layout.item_ids
            or self.instrument_id != other.instrument_id
        ):
            raise ValidationError.single("survey", "the parts to merge use different instruments")
        return Summary(self.layout, self.design, self.stats + other.stats, self.instrument_id)


def summarise(survey: Survey, *, empty: bool = False, chunk_rows: int = 1 << 18) -> Summary:
    """The exact sufficient statistics of *survey* (processed in row chunks of *chunk_rows*).

    With ``empty=True`` the summary has the survey's design but counts nobody (a start value
    for ``sum``).
    """
    if not isinstance(survey, Survey):
        raise ValidationError.single("survey", f"expected a Survey, got {type(survey).__name__}")
    layout = _layout(survey)
    design = _design(survey)
    codes = survey.codes[:0] if empty else survey.codes
    keys, dense = _keys(survey, design, empty)
    stats = _stats.accumulate(codes, keys, layout, dense_size=dense, chunk_rows=chunk_rows)
    return Summary(layout, design, stats, survey.instrument.id)


def _check_options(
    min_group_size: object, min_answered: object, confidence: object, alpha_policy: object
) -> None:
    problems = []
    if not isinstance(min_group_size, int) or isinstance(min_group_size, bool):
        problems.append(
            Problem("min_group_size", f"expected a whole number, got {min_group_size!r}")
        )
    elif min_group_size < 3:
        problems.append(
            Problem(
                "min_group_size", f"groups smaller than 3 are never published, got {min_group_size}"
            )
        )
    if (
        not isinstance(min_answered, int | float)
        or isinstance(min_answered, bool)
        or not (0 < min_answered <= 1)
    ):
        problems.append(
            Problem("min_answered", f"expected a fraction in (0, 1], got {min_answered!r}")
        )
    if not isinstance(confidence, float) or not 0 < confidence < 1:
        problems.append(Problem("confidence", f"expected a number in (0, 1), got {confidence!r}"))
    if alpha_policy not in ("listwise", "pairwise"):
        problems.append(
            Problem("alpha_policy", f"expected 'listwise' or 'pairwise', got {alpha_policy!r}")
        )
    if problems:
        raise ValidationError(problems, source="score()")


def score(
    survey: Survey | Summary,
    *,
    min_group_size: int = 5,
    min_answered: float = 0.5,
    confidence: float = 0.95,
    alpha_policy: Policy = "listwise",
    indicators: Iterable[Indicator] = (),
    indicator_weight: float = 0.5,
) -> ScoreReport:
    """Score a survey: scale scores, unit and cross-cut cells, reliability, agreement, suppression.

    :param survey: a :class:`~leercultuur.Survey`, or a :class:`Summary` (merged chunks).
    :param min_group_size: the smallest group whose scores are published (k, at least 3).
    :param min_answered: the fraction of a dimension's items a respondent must answer for a
        scale score (at least one item).
    :param confidence: the confidence level of the t-based intervals.
    :param alpha_policy: missing data in Cronbach's alpha: ``"listwise"`` (respondents who
        answered every item) or ``"pairwise"`` (pairwise-complete covariances, as pingouin and
        psych do by default).
    :param indicators: objective indicators (:class:`~leercultuur.scoring.indicators.Indicator`),
        combined per dimension by :func:`~leercultuur.scoring.indicators.indicator_scores`.
    :param indicator_weight: the weight of the indicator score where a dimension has both a
        published survey score and indicators (the survey gets ``1 - indicator_weight``); see
        :meth:`ScoreReport.sources`.
    :raises ValidationError: bad options (a ``LeercultuurError``).

    Statistics (cited in :mod:`leercultuur.scoring`): reverse keying ``x' = lo + hi - x``; a
    respondent's scale score is the mean of the answered items; POMP ``100 (s - lo)/(hi - lo)``.
    """
    return _score(
        survey,
        min_group_size=min_group_size,
        min_answered=min_answered,
        confidence=confidence,
        alpha_policy=alpha_policy,
        indicators=indicators,
        indicator_weight=indicator_weight,
    )


def _score(
    survey: Survey | Summary,
    *,
    min_group_size: int = 5,
    min_answered: float = 0.5,
    confidence: float = 0.95,
    alpha_policy: Policy = "listwise",
    indicators: Iterable[Indicator] = (),
    indicator_weight: float = 0.5,
    agreement: bool = True,
) -> ScoreReport:
    """:func:`score`; ``agreement=False`` skips the rwg(j) sums (benchmarks time the core)."""
    _check_options(min_group_size, min_answered, confidence, alpha_policy)
    if not isinstance(indicator_weight, int | float) or not 0 <= indicator_weight <= 1:
        raise ValidationError.single(
            "indicator_weight", f"expected a number in [0, 1], got {indicator_weight!r}"
        )
    # no indicators (the default): the shared empty result, an immutable mapping
    ind_scores = _NO_INDICATORS if indicators == () else indicator_scores(indicators)
    summary = survey if isinstance(survey, Summary) else None
    found = None
    packed = None
    fast = accelerated()  # the compiled kernels (the same numbers)
    if not isinstance(survey, Summary):
        if not isinstance(survey, Survey):
            raise ValidationError.single(
                "survey", f"expected a Survey or Summary, got {type(survey).__name__}"
            )
        found = direct(survey, float(min_answered), agreement, fast)
    k = int(min_group_size)
    if found is not None:
        layout, design, keys, n_resp, moments, packed = found
        cells = (
            build_cells(design, keys, fast=fast)
            if packed is None
            else dense_cells(design, keys.size, fast)  # the small kernel's dense keys
        )
        fanout = cells.fanout
        if not all(m.fits(fanout) for m in moments):
            found = packed = None  # integer sums could overflow: the summary's float route
    if found is None:
        summary = summary if summary is not None else summarise(survey)  # type: ignore[arg-type]
        layout, design, keys, n_resp = (
            summary.layout, summary.design, summary.stats.keys, summary.stats.n_resp
        )  # fmt: skip
        cells = build_cells(design, keys, fast=fast)
        fanout = cells.fanout
    instrument_id = summary.instrument_id if found is None else survey.instrument.id  # type: ignore[union-attr]
    size = layout.size
    base_unit = (
        cells.base_unit if cells.base_unit is not None else (keys // design.radix).astype(np.intp)
    )
    per_dim: dict[str, DimensionCells] = {}
    audit: list[tuple[str, Decision]] = []  # each dimension's log is built when read
    extra: list[AuditEntry] = []
    unverified = False
    n_dims, n_units = len(layout.dimensions), len(design.units)
    inputs: list[DimInput] = []
    rel_dims: list[tuple[str, tuple[str, ...], _stats.DimStats | DimMoments, int]] = []
    dim_items = _dim_items(layout)
    for i, cols in enumerate(layout.columns):
        j = cols.size
        need = _formulas.needed_items(j, float(min_answered))
        d: _stats.DimStats | DimMoments
        if found is not None:
            d = moments[i]
            mom: tuple[_I, _I, _I, int] | None = (d.bn, d.t1, d.t2, d.lcm)
        else:
            d = summary.stats.dims[i]  # type: ignore[union-attr]
            mom = _formulas.exact_moments(d.cnt, d.s1, d.s2, need, fanout)
        inputs.append((j, need, d, mom))
    parent = (
        None
        if cells.tree is None
        else design.parent_array
        if design.parent_array is not None
        else np.asarray(design.parent, dtype=np.intp).reshape(-1)
    )
    sums = cell_moments(
        cells, base_unit, n_units, n_resp, inputs, parent, fast=fast, packed=packed, k=k
    )
    for i, (name, (_j, need, d, _mom)) in enumerate(zip(layout.dimensions, inputs, strict=True)):
        # the respondents with a score on the dimension
        n_scored = (
            sums.scored[i]
            if sums.scored is not None
            else int(np.add.reduce(d.bn))
            if isinstance(d, DimMoments)
            else int(d.cnt[:, need:].sum())
        )
        rel_dims.append((name, dim_items[i], d, n_scored))
    reliab = reliabilities(rel_dims, policy=alpha_policy, k=k, fast=fast)
    # ICC over the respondents' own units
    clus = clusterings(
        layout.dimensions, sums.unit_n, sums.unit_t1, sums.unit_t2, k, fast=fast, anova=sums.anova
    )
    ns = list(sums.n)
    resp_cell = sums.respondents
    # suppression; a published cell has k respondents or more on its dimension
    early = sums.early
    candidates = (
        None
        if not n_dims
        else early[2]
        if early is not None
        else np.maximum.reduce(sums.n, axis=0) >= k
    )
    atom_cache: ProtectCache = (n_resp > 0, {}, candidates)
    decisions = []
    # protect() decides from the cells' and base cells' counts (the rest is shared), so
    # dimensions with the same counts (no scores missing) get the same decision
    decided: dict[tuple[bytes, bytes], Decision] = {}
    for i, name in enumerate(layout.dimensions):
        counts = (ns[i].tobytes(), sums.base_n[i].tobytes())
        decision = decided.get(counts)
        if decision is None:
            decision = decided[counts] = protect(
                ns[i], cells.members, sums.base_n[i], cells.lazy_relations, k,
                pairs=(cells.pair_cell, cells.pair_base),
                relation_arrays=cells.get_relation_arrays, atom_cache=atom_cache,
                least=None if sums.least is None else sums.least[i],
                early=None if early is None else (early[0][i], early[1][i]),
            )  # fmt: skip
        unverified |= not decision.verified
        audit.append((name, decision))
        decisions.append(decision)
    hide = [dec.suppressed for dec in decisions]
    published = publish(sums, hide, k=k, size=size, lo=layout.lo, confidence=confidence)
    reasons: dict[int, tuple[str | None, ...]] = {}  # per decision (dimensions may share one)
    for name, dec, arrays in zip(layout.dimensions, decisions, published, strict=True):
        why = reasons.get(id(dec))
        if why is None:
            why = reasons[id(dec)] = dec.reasons
        per_dim[name] = DimensionCells(*arrays, suppressed=dec.suppressed, reasons=why)
    if unverified:
        warnings.warn(
            "the exact disclosure check was too large to complete; the relation rules were "
            "applied, see the audit log",
            DisclosureWarning,
            stacklevel=3,
        )
        extra.append(AuditEntry("*", "*", "unverified", 0, "exact check too large"))
    return ScoreReport(
        instrument=instrument_id,
        dimensions=layout.dimensions,
        cells=cells.ids,
        cell_index=cells.index,
        respondents=resp_cell,
        per_dimension=per_dim,
        reliability=reliab,
        clustering=clus,
        audit_log=tuple(audit),
        audit_extra=tuple(extra),
        min_group_size=k,
        min_answered=float(min_answered),
        confidence=float(confidence),
        alpha_policy=alpha_policy,
        indicators=ind_scores,
        indicator_weight=float(indicator_weight),
    )
