"""The fast path of :func:`leercultuur.scoring._stats.accumulate`: answer-pattern codes.

A respondent's raw answers to a dimension's ``J`` items form one base-``(A + 1)`` number, the
*pattern code* (``A + 1`` because 0 means missing). Lookup tables over all ``(A + 1)**J``
patterns hold everything a respondent contributes: keyed values, answered count, scale sum,
listwise completeness. Per chunk that leaves, per dimension, one histogram of pattern codes
(which yields the pairwise and listwise covariance sums for alpha) and a few ``bincount``
passes per base cell, whose integer fields are packed into exact float64 weights (< 2**53).
The sums are the same integers the direct path computes.
"""

from __future__ import annotations

import functools

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["MAX_PATTERNS", "PatternTables", "group_sizes", "pack_groups", "tabulable"]

_I = npt.NDArray[np.int64]
MAX_PATTERNS = 1 << 20
"""The largest pattern table used; dimensions with more patterns take the direct path."""


def tabulable(columns: tuple[npt.NDArray[np.intp], ...], size: int) -> bool:
    """Whether every dimension's answer patterns (items of ``0..size``) fit a pattern table."""
    return all((size + 1) ** c.size <= MAX_PATTERNS for c in columns)


_BITS = 53


@attrs.frozen(eq=False)
class PatternTables:
    """Per-pattern values for one dimension (rows are pattern codes)."""

    mult: tuple[int, ...]
    keyed: _I  # (P, J) keyed codes, 0 = missing
    present: _I  # (P, J) 0/1
    answered: npt.NDArray[np.intp]  # (P,)
    total: _I  # (P,) sum of keyed codes
    complete: _I  # (P,) 0/1

    @staticmethod
    @functools.lru_cache(maxsize=64)
    def cached(n_items: int, size: int, reverse: tuple[bool, ...]) -> PatternTables:
        """:meth:`build`, memoised (tables are read-only)."""
        return PatternTables.build(n_items, size, np.asarray(reverse, dtype=bool))

    @classmethod
    def build(cls, n_items: int, size: int, reverse: npt.NDArray[np.bool_]) -> PatternTables:
        """The tables for *n_items* items on a scale of *size* options with *reverse* keying."""
        radix = size + 1
        p = np.arange(radix**n_items, dtype=np.int64)
        digits = np.stack([(p // radix**t) % radix for t in range(n_items)], axis=1)
        keyed = np.where(reverse[None, :] & (digits > 0), radix - digits, digits)
        present = (digits > 0).astype(np.int64)
        answered = present.sum(axis=1).astype(np.intp)
        return cls(
            tuple(radix**t for t in range(n_items)),
            keyed,
            present,
            answered,
            keyed.sum(axis=1),
            (answered == n_items).astype(np.int64),
        )


def pack_groups(
    fields: list[_I], maxima: list[int], rows: int
) -> list[tuple[npt.NDArray[np.float64], list[tuple[int, int]]]]:
    """Pack non-negative integer table *fields* into float64 weight tables, exactly.

    A field whose per-row value is at most ``maxima[i]`` sums to at most ``maxima[i] * rows``
    in a chunk of *rows*; fields are packed side by side while the total width stays within
    53 bits, so every partial float64 sum of a ``bincount`` is an integer below ``2**53``, hence
    exact. Returns, per group, the weight table and each field's ``(shift, bits)``.
    """
    groups = []
    start = 0
    for count in group_sizes(maxima, rows):
        current, used = [], 0
        for field, top in zip(
            fields[start : start + count], maxima[start : start + count], strict=True
        ):
            bits = max(1, (top * rows).bit_length())
            current.append((field, used, bits))
            used += bits
        groups.append(_finish(current))
        start += count
    return groups


def group_sizes(maxima: list[int], rows: int, *, bits: int = _BITS) -> list[int]:
    """How many fields each group of :func:`pack_groups` holds (no tables built).

    Groups are at most *bits* wide (53 for float64 weights, 63 for the compiled route's int64
    words).
    """
    sizes: list[int] = []
    used = 0
    width = bits
    for top in maxima:
        bits = max(1, (top * rows).bit_length())
        if sizes and used + bits <= width:
            sizes[-1] += 1
            used += bits
        else:
            sizes.append(1)
            used = bits
    return sizes


def _finish(
    current: list[tuple[_I, int, int]],
) -> tuple[npt.NDArray[np.float64], list[tuple[int, int]]]:
    table = np.zeros(current[0][0].shape, dtype=np.int64)
    for field, shift, _bits in current:
        table += field << shift
    return table.astype(np.float64), [(shift, bits) for _f, shift, bits in current]
