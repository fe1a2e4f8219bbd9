"""The survey-side setup of :func:`leercultuur.score`: layout, design, base keys, the sums.

:func:`direct` sums a survey's sufficient statistics in one pass (the route depends on the
survey's size and on the accelerator); :func:`~leercultuur.scoring._score.summarise` uses the
layout, design and keys for the mergeable summary.
"""

from __future__ import annotations

from typing import NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from leercultuur._accel import accelerated
from leercultuur._checks import ReadOnlyMap
from leercultuur.scoring import _formulas, _small, _stats
from leercultuur.scoring._build import build_cells
from leercultuur.scoring._design import Cells, Design, Runs
from leercultuur.scoring._fast import DimMoments, fast_moments
from leercultuur.scoring._small import small_moments
from leercultuur.survey import Survey

__all__ = ["Direct", "dense_cells", "direct"]

_I = npt.NDArray[np.int64]


def _parent(ref: str) -> str | None:
    """The dimension a ``dimension.facet`` reference belongs to; None for a dimension.

    Plugin dimension ids carry their namespace (``zorg_x.reflectie``), so a dot
    alone does not make a facet: ``x.y`` is a facet of ``x`` when ``x`` is one
    of the report's dimensions (``resources.ict``) or itself namespaced
    (``zorg_x.werkdruk.tijd``).
    """
    from leercultuur.builtin.model import DIMENSIONS

    head, dot, _ = ref.rpartition(".")
    if not dot:
        return None
    return head if "." in head or head in {d.id for d in DIMENSIONS} else None


_LAYOUTS: dict[int, tuple[object, _stats.Layout]] = {}


def _layout(survey: Survey) -> _stats.Layout:
    """The survey's :class:`~leercultuur.scoring._stats.Layout`, reused per instrument object.

    The cache holds the instrument itself (a frozen record), so its ``id`` is not reused while
    the entry lives; the layout's arrays are read-only.
    """
    inst = survey.instrument
    hit = _LAYOUTS.get(id(inst))
    if hit is not None and hit[0] is inst:
        return hit[1]
    layout = _build_layout(survey)
    for arr in (*layout.columns, layout.reverse):
        arr.setflags(write=False)
    if len(_LAYOUTS) >= 16:
        _LAYOUTS.clear()
    _LAYOUTS[id(inst)] = (inst, layout)
    return layout


_DIM_ITEMS: dict[int, tuple[_stats.Layout, tuple[tuple[str, ...], ...]]] = {}


def _dim_items(layout: _stats.Layout) -> tuple[tuple[str, ...], ...]:
    """Each dimension's item ids, kept per layout (held by the entry, so its id stays its own)."""
    hit = _DIM_ITEMS.get(id(layout))
    if hit is not None and hit[0] is layout:
        return hit[1]
    ids = layout.item_ids
    out = tuple(tuple(ids[c] for c in cols.tolist()) for cols in layout.columns)
    if len(_DIM_ITEMS) >= 16:
        _DIM_ITEMS.clear()
    _DIM_ITEMS[id(layout)] = (layout, out)
    return out


def _build_layout(survey: Survey) -> _stats.Layout:
    inst = survey.instrument
    dims = set(inst.dimensions)
    dims |= {parent for d in dims if (parent := _parent(d))}
    names = tuple(sorted(dims))
    cols = tuple(np.asarray(inst.items_of(d), dtype=np.intp) for d in names)
    reverse = np.asarray([item.reverse for item in inst.items], dtype=bool)
    return _stats.Layout(inst.item_ids, names, cols, reverse, inst.scale.lo, inst.scale.hi)


def _design(survey: Survey) -> Design:
    return Design(
        tuple(survey.units),
        tuple(survey.parent.tolist()),  # Python ints
        tuple(survey.level),
        tuple((name, tuple(labels)) for name, (_c, labels) in sorted(survey.attributes.items())),
        survey.parent.astype(np.intp),
    )


def _keys(survey: Survey, design: Design, empty: bool = False) -> tuple[_I, int | None]:
    """Each respondent's base-cell key, and the dense key range if the keys can be dense."""
    codes = survey.codes[:0] if empty else survey.codes
    unit_of = survey.unit_of[:0] if empty else survey.unit_of
    attrs_codes = [
        (survey.attributes[name][0][:0] if empty else survey.attributes[name][0])
        for name, _ in design.attributes
    ]
    keys = design.base_keys(unit_of, attrs_codes)
    size = len(design.units) * design.radix
    return keys, size if size <= max(4 * codes.shape[0], 1 << 16) else None


_CELLS: dict[tuple[object, ...], Cells] = {}


def dense_cells(design: Design, nk: int, fast: bool) -> Cells:
    """The cells over the dense base keys ``0 .. nk - 1`` of *design*, kept per design shape.

    They depend on the design's units, hierarchy and cross-cuts alone (not on the answers), so
    surveys of the same shape share them: their arrays are read-only and their index a
    read-only mapping (reports hold them).
    """
    key = (design.units, design.parent, design.level, design.attributes, nk, fast)
    hit = _CELLS.get(key)
    if hit is not None:
        return hit
    cells = build_cells(design, np.arange(nk, dtype=np.int64), fast=fast)
    members = cells.members
    arrays = [cells.unit, cells.pair_cell, cells.pair_base, *cells.plan]
    arrays += [members._values] if isinstance(members, Runs) else list(members)
    if cells.base_unit is not None:
        arrays.append(cells.base_unit)
    if cells.tree is not None:
        own, steps = cells.tree
        arrays += [*(own or ()), *(a for step in steps for a in step if isinstance(a, np.ndarray))]
    for arr in arrays:
        arr.setflags(write=False)
    cells = attrs.evolve(cells, index=ReadOnlyMap(cells.index))
    if len(_CELLS) >= 16:
        _CELLS.clear()
    _CELLS[key] = cells
    return cells


class Direct(NamedTuple):
    """What :func:`direct` sums in one pass over a survey (see :func:`direct`)."""

    layout: _stats.Layout
    design: Design
    keys: _I
    n_resp: _I
    moments: list[DimMoments]
    packed: _I | None
    """The compiled small-survey route's fields in the cell-sum kernel's layout, else None."""


def direct(
    survey: Survey, min_answered: float, agreement: bool, fast: bool | None = None
) -> Direct | None:
    """The one-pass route, or ``None`` if it does not apply.

    *fast*: whether to use the compiled kernels (default: :func:`leercultuur._accel.accelerated`).

    With the accelerator on: :mod:`._smallkernel` for surveys of at most
    :data:`~leercultuur.scoring._small.KERNEL_ROWS` rows, the compiled kernel of
    :mod:`._kernels` above. Else (or where a kernel declines) numpy: :mod:`._small` for small
    surveys, :mod:`._fast`.
    """
    layout = _layout(survey)
    design = _design(survey)
    columns, codes = layout.columns, survey.codes
    needs = [_formulas.needed_items(c.size, min_answered) for c in columns]
    n = codes.shape[0]
    fast = accelerated() if fast is None else fast
    rows = _small.KERNEL_ROWS  # read at each call (tests lower it)
    if fast and n <= rows:
        nk = len(design.units) * design.radix
        if nk <= max(4 * n, 1 << 16):  # the dense keys of _keys
            from leercultuur.scoring._smallkernel import kernel_small_moments

            names = design.attributes
            attr = (
                survey.attributes[names[0][0]][0][None, :]
                if len(names) == 1
                else np.stack([survey.attributes[name][0] for name, _ in names])
                if names
                else np.zeros((0, n), np.int32)
            )
            attr.setflags(write=False)  # as the survey's arrays: one kernel specialisation
            mults = design.multipliers()
            small = kernel_small_moments(
                codes, survey.unit_of, attr, (mults, design.radix, sum(mults)), nk,
                columns, layout.reverse, layout.size, needs, agreement=agreement,
            )  # fmt: skip
            if small is not None:
                n_resp, dims, packed = small
                return Direct(layout, design, np.arange(nk, dtype=np.int64), n_resp, dims, packed)
    keys, inv = _stats.base_cells(*_keys(survey, design))
    args = (codes, inv, keys.size, columns, layout.reverse, layout.size, needs)
    out = None
    if n > rows and fast:
        from leercultuur.scoring._kernels import kernel_moments

        out = kernel_moments(*args, agreement=agreement)
    if out is None:
        out = small_moments(*args, agreement=agreement)
    if out is None:
        out = fast_moments(*args, agreement=agreement)
    if out is None:
        return None
    return Direct(layout, design, keys, out[0], out[1], None)
