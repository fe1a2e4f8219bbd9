"""The :class:`Survey` value: coded answers, units, their hierarchy and cross-cuts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from leercultuur.errors import Problem, SurveyError
from leercultuur.instruments import Instrument
from leercultuur.survey._cells import Array, Problems
from leercultuur.survey._frames import dataframe_columns
from leercultuur.survey._parse import CrossCuts, build, check_tree

__all__ = ["Survey"]

Units = Iterable[str] | Mapping[str, str | None] | None
AttributeArrays = Mapping[str, tuple[npt.NDArray[np.int32], tuple[str, ...]]]


def _frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


class Survey:
    """Survey responses on one instrument, coded compactly and checked; immutable.

    :ivar instrument: the :class:`~leercultuur.instruments.Instrument` answered.
    :ivar codes: ``uint8`` array, shape ``(n_respondents, n_items)``, C-contiguous, columns
        in ``instrument.items`` order: ``code = answer - lo + 1`` (1..A), 0 = missing.
    :ivar unit_of: ``int32`` array, shape ``(n,)``: each respondent's own unit, an index
        into :attr:`units`.
    :ivar units: sorted unit ids ``"<level>:<name>"`` (``"team:ic-1"``), with every
        ancestor unit even without respondents of its own.
    :ivar parent: ``int32`` array, shape ``(len(units),)``: each unit's parent, -1 for a root.
    :ivar level: the level of each unit (``"team"``, ``"afdeling"``).
    :ivar attributes: cross-cuts: name -> (``int32`` codes of shape ``(n,)``, -1 = unknown;
        labels).
    :ivar respondent_ids: the respondents' ids, if an id column was given.

    Build one with :meth:`from_rows`, :meth:`from_dataframe`, :func:`read_survey_csv` or
    :meth:`from_codes`. Bad input raises one :class:`~leercultuur.errors.SurveyError`
    listing every problem. Rows are numbered from 1 in the order of the data rows (the
    first row after a CSV header is row 1). Neither the repr nor any message shows a
    respondent's valid answers:

    >>> from leercultuur.builtin.instruments import SCAN
    >>> rows = [{"team": t, **{i.id: 4 for i in SCAN.items}} for t in ("a", "a", "b")]
    >>> s = Survey.from_rows(rows, instrument=SCAN, unit="team")
    >>> s
    <Survey builtin.scan: 3 respondents x 24 items; units: 2 team>
    >>> rows[2]["VL3"] = 9
    >>> Survey.from_rows(rows, instrument=SCAN, unit="team")
    Traceback (most recent call last):
    ...
    leercultuur.errors.SurveyError: 1 problem
      row 3, item VL3: 9 is outside 1..5
    """

    __slots__ = (
        "attributes",
        "codes",
        "instrument",
        "level",
        "parent",
        "respondent_ids",
        "unit_of",
        "units",
    )

    instrument: Instrument
    codes: npt.NDArray[np.uint8]
    unit_of: npt.NDArray[np.int32]
    units: tuple[str, ...]
    parent: npt.NDArray[np.int32]
    level: tuple[str, ...]
    attributes: AttributeArrays
    respondent_ids: tuple[str, ...] | None

    def __init__(
        self,
        *,
        instrument: Instrument,
        codes: npt.NDArray[np.uint8],
        unit_of: npt.NDArray[np.int32],
        units: tuple[str, ...],
        parent: npt.NDArray[np.int32],
        level: tuple[str, ...],
        attributes: AttributeArrays,
        respondent_ids: tuple[str, ...] | None,
    ) -> None:
        """Store already-checked arrays; use the ``from_*`` constructors instead."""
        values: dict[str, object] = {
            "instrument": instrument,
            "codes": _frozen(np.ascontiguousarray(codes, dtype=np.uint8)),
            "unit_of": _frozen(np.asarray(unit_of, dtype=np.int32)),
            "units": tuple(units),
            "parent": _frozen(np.asarray(parent, dtype=np.int32)),
            "level": tuple(level),
            "attributes": MappingProxyType(
                {
                    k: (_frozen(np.asarray(c, np.int32)), tuple(lab))
                    for k, (c, lab) in attributes.items()
                }
            ),
            "respondent_ids": None if respondent_ids is None else tuple(respondent_ids),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle by value (for copies and worker processes)."""
        state = {name: getattr(self, name) for name in self.__slots__}
        state["attributes"] = dict(self.attributes)
        return (_rebuild, (state,))

    def __setattr__(self, name: str, value: object) -> None:
        """Refuse: a survey is immutable."""
        raise AttributeError(f"Survey is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        """Refuse: a survey is immutable."""
        raise AttributeError(f"Survey is immutable; cannot delete {name!r}")

    @property
    def n_respondents(self) -> int:
        """The number of respondents (rows)."""
        return int(self.codes.shape[0])

    @property
    def n_items(self) -> int:
        """The number of items (columns)."""
        return int(self.codes.shape[1])

    def unit_counts(self) -> npt.NDArray[np.int64]:
        """The number of respondents whose own unit is each unit (not counting descendants)."""
        return np.bincount(self.unit_of, minlength=len(self.units)).astype(np.int64)

    def __repr__(self) -> str:
        counts = Counter(self.level)
        levels = ", ".join(f"{counts[lv]} {lv}" for lv in dict.fromkeys(self._levels_top_down()))
        return (
            f"<Survey {self.instrument.id}: {self.n_respondents} respondents x"
            f" {self.n_items} items; units: {levels}>"
        )

    def _levels_top_down(self) -> list[str]:
        own = sorted({self.level[u] for u in np.unique(self.unit_of).tolist()})
        return own + sorted(set(self.level) - set(own))

    def chunks(self, rows: int) -> Iterator[Survey]:
        """Yield consecutive slices of at most *rows* respondents sharing units and hierarchy.

        Concatenating the chunks' :attr:`codes` gives this survey's codes.
        """
        if not isinstance(rows, int) or isinstance(rows, bool) or rows < 1:
            raise SurveyError([Problem("rows", f"expected a whole number >= 1, got {rows!r}")])
        for start in range(0, self.n_respondents, rows):
            stop = start + rows
            yield Survey(
                instrument=self.instrument,
                codes=self.codes[start:stop],
                unit_of=self.unit_of[start:stop],
                units=self.units,
                parent=self.parent,
                level=self.level,
                attributes={k: (c[start:stop], lab) for k, (c, lab) in self.attributes.items()},
                respondent_ids=None
                if self.respondent_ids is None
                else self.respondent_ids[start:stop],
            )

    # -- constructors ---------------------------------------------------------------------------

    @classmethod
    def from_codes(
        cls,
        codes: npt.ArrayLike,
        *,
        instrument: Instrument,
        unit_of: npt.ArrayLike,
        units: Iterable[str],
        parent: npt.ArrayLike,
        level: Iterable[str] | None = None,
        attributes: AttributeArrays | None = None,
        respondent_ids: Iterable[str] | None = None,
    ) -> Survey:
        """Build a survey from already-coded arrays (codes 0..A, 0 = missing).

        *units* need not be sorted: they are sorted and *unit_of* and *parent*
        re-indexed. *level* defaults to the part of each unit id before ``":"``.

        :raises SurveyError: listing every problem (shapes, ranges, cycles).
        """
        problems = Problems()
        size = instrument.scale.size
        arr = np.asarray(codes)
        unit_list = list(units)
        if arr.ndim != 2 or arr.shape[1] != len(instrument.items) or arr.dtype.kind not in "iu":
            problems.add(
                (0,),
                "codes",
                f"expected whole numbers of shape (n, "
                f"{len(instrument.items)}), got {arr.dtype} of shape {arr.shape}",
            )
            problems.raise_if_any(None)
        n = arr.shape[0]
        bad = np.argwhere((arr < 0) | (arr > size)) if arr.size else np.zeros((0, 2), np.intp)
        for i, j in bad[:20].tolist():
            problems.add(
                (1, i, j),
                f"row {i + 1}, item {instrument.items[j].id}",
                f"code {int(arr[i, j])} is outside 0..{size}",
            )
        problems.count_unlisted("codes", max(len(bad) - 20, 0))
        if len(set(unit_list)) != len(unit_list) or not all(isinstance(u, str) for u in unit_list):
            problems.add((0,), "units", "expected distinct unit ids (text)")
            problems.raise_if_any(None)
        uo = np.asarray(unit_of) if np.size(unit_of) else np.zeros(0, np.int32)
        par = np.asarray(parent) if np.size(parent) else np.zeros(0, np.int32)
        m = len(unit_list)
        if uo.shape != (n,) or uo.dtype.kind not in "iu" or (n and (uo.min() < 0 or uo.max() >= m)):
            problems.add((0,), "unit_of", f"expected {n} whole numbers in 0..{m - 1}")
        if (
            par.shape != (m,)
            or par.dtype.kind not in "iu"
            or (m and (par.min() < -1 or par.max() >= m))
        ):
            problems.add((0,), "parent", f"expected {m} whole numbers in -1..{m - 1}")
        levels = [u.partition(":")[0] for u in unit_list] if level is None else list(level)
        if len(levels) != m:
            problems.add((0,), "level", f"expected {m} level names, got {len(levels)}")
        attrs_in = dict(attributes or {})
        for name, (acodes, labels) in attrs_in.items():
            a = np.asarray(acodes)
            if (
                a.shape != (n,)
                or a.dtype.kind not in "iu"
                or (n and (a.min() < -1 or a.max() >= len(labels)))
            ):
                problems.add(
                    (0,),
                    f"attributes.{name}",
                    f"expected {n} whole numbers in -1..{len(labels) - 1}",
                )
        ids = None if respondent_ids is None else tuple(str(r) for r in respondent_ids)
        if ids is not None and len(ids) != n:
            problems.add((0,), "respondent_ids", f"expected {n} ids, got {len(ids)}")
        problems.raise_if_any(None)
        check_tree(par.tolist(), unit_list, problems)
        problems.raise_if_any(None)
        order = sorted(range(m), key=unit_list.__getitem__)
        new_index = np.empty(m, dtype=np.int32)
        new_index[order] = np.arange(m, dtype=np.int32)
        par_sorted = par[order]
        return cls(
            instrument=instrument,
            codes=arr.astype(np.uint8),
            unit_of=new_index[uo] if m else uo.astype(np.int32),
            units=tuple(unit_list[i] for i in order),
            parent=np.where(par_sorted >= 0, new_index[np.maximum(par_sorted, 0)], -1),
            level=tuple(levels[i] for i in order),
            attributes={k: (np.asarray(c), tuple(lab)) for k, (c, lab) in attrs_in.items()},
            respondent_ids=ids,
        )

    @classmethod
    def _from_columns(
        cls,
        columns: Mapping[str, Array],
        n: int,
        source: str | None,
        problems: Problems | None = None,
        **options: Any,
    ) -> Survey:
        built = build(columns, n, source=source, problems=problems, **options)
        return cls(
            instrument=options["instrument"],
            codes=built.codes,
            unit_of=built.unit_of,
            units=built.units,
            parent=built.parent,
            level=built.level,
            attributes=built.attributes,
            respondent_ids=built.respondent_ids,
        )

    @classmethod
    def from_rows(
        cls,
        records: Iterable[Mapping[str, object]],
        *,
        instrument: Instrument,
        unit: str,
        parents: Mapping[str, str] | None = None,
        attributes: CrossCuts = (),
        id: str | None = None,
        ignore: Iterable[str] = (),
        units: Units = None,
    ) -> Survey:
        """Build a survey from one mapping per respondent (column name -> value).

        Item columns are named by item id and hold whole numbers ``lo..hi`` (or
        text such as ``"4"``); ``None``, NaN and empty text are missing. A key a
        record lacks counts as missing there.

        :param unit: the column naming each respondent's own unit (e.g. ``"team"``).
        :param parents: each level column's parent column, e.g.
            ``{"team": "afdeling", "afdeling": "organisatie"}``.
        :param attributes: cross-cut columns (e.g. ``["beroep"]``), or a mapping of each to
            its values (``{"beroep": ["arts", "verpleegkundige"]}``) so that surveys read in
            parts share their cross-cuts and their summaries add up; a value outside the
            declared ones is a problem.
        :param id: the respondent id column; ids must be unique.
        :param ignore: further columns to skip.
        :param units: the known unit ids (``"team:ic-1"``), or a mapping of unit id to
            parent unit id (``None`` for a root); other units are then an error.
        :raises SurveyError: listing every problem with its row and item.
        """
        problems = Problems()
        rows: list[Any] = list(records)
        names: dict[Any, None] = {}
        for r, record in enumerate(rows):
            if isinstance(record, Mapping):
                names.update(dict.fromkeys(record))
            else:
                problems.add(
                    (1, r, -1), f"row {r + 1}", f"expected a mapping, got {type(record).__name__}"
                )
        for name in names:
            if not isinstance(name, str):
                problems.add((0,), f"column {name!r}", "column names must be text")
        problems.raise_if_any(None)
        columns = {
            name: np.fromiter((rec.get(name) for rec in rows), dtype=object, count=len(rows))
            for name in names
        }
        return cls._from_columns(
            columns,
            len(rows),
            None,
            problems,
            instrument=instrument,
            unit=unit,
            parents=parents,
            attributes=attributes,
            id=id,
            ignore=ignore,
            units=units,
        )

    @classmethod
    def from_dataframe(
        cls,
        df: object,
        *,
        instrument: Instrument,
        unit: str,
        parents: Mapping[str, str] | None = None,
        attributes: CrossCuts = (),
        id: str | None = None,
        ignore: Iterable[str] = (),
        units: Units = None,
    ) -> Survey:
        """Build a survey from a pandas, polars or pyarrow table (any eager narwhals frame).

        Parameters as for :meth:`from_rows`. Numeric columns are checked with
        whole-array operations (no Python loop per cell); null and NaN are missing.

        :raises SurveyError: listing every problem with its row and item.
        """
        columns, n_rows, problems = dataframe_columns(df)
        return cls._from_columns(
            columns,
            n_rows,
            None,
            problems,
            instrument=instrument,
            unit=unit,
            parents=parents,
            attributes=attributes,
            id=id,
            ignore=ignore,
            units=units,
        )


def _rebuild(state: dict[str, Any]) -> Survey:
    """Rebuild a pickled :class:`Survey` from its fields."""
    return Survey(**state)
