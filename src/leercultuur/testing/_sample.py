"""A small synthetic :class:`~leercultuur.matching.Batch` for testing criteria."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from leercultuur.errors import ValidationError
from leercultuur.matching._catalogue import catalogue_arrays
from leercultuur.matching.batch import Batch
from leercultuur.model import Context, CultureProfile

if TYPE_CHECKING:
    from leercultuur.registry import Registry

__all__ = ["sample_batch"]

_OTHER_SECTOR = "sample_other_sector"
"""A sector no intervention names, so criteria meet the 'no sector match' case too."""


def sample_batch(
    registry: Registry | None = None,
    *,
    profiles: int = 4,
    seed: int = 0,
    allow_debunked: bool = False,
) -> Batch:
    """Build a small synthetic batch over *registry*'s interventions, to test a criterion.

    The *profiles* synthetic units (``sample:0``, ``sample:1``, ...) cover the
    cases a criterion must handle: scores spread over 0-100 on every
    registered dimension and facet, some scores unknown (the first profile
    knows none at all), budgets and learning hours from zero to generous, and
    sectors both named by interventions and named by none. The same *seed*
    gives the same batch. It is built with the same code :func:`leercultuur.match`
    uses, so a criterion that passes here gets arrays of the same shapes there.

    :param registry: where the interventions and dimensions come from; the
        built-ins alone (no installed plugins) by default.
    :param profiles: how many synthetic units (rows), at least 1.
    :param seed: the random seed.
    :param allow_debunked: passed on to the batch.
    :raises ValidationError: *profiles* is not a whole number of at least 1.

    >>> from leercultuur.testing import make_registry, sample_batch
    >>> batch = sample_batch(make_registry(), profiles=3)
    >>> batch.shape[0], batch.shape[1] == len(make_registry().interventions)
    (3, True)
    >>> bool(batch.known[0].any()), batch.units[0]
    (False, 'sample:0')
    """
    if isinstance(profiles, bool) or not isinstance(profiles, int) or profiles < 1:
        raise ValidationError.single("profiles", f"expected a whole number >= 1, got {profiles!r}")
    if registry is None:
        from leercultuur.registry import load_registry

        registry = load_registry(entry_points=False)
    catalogue = catalogue_arrays(registry)
    rng = np.random.default_rng(seed)
    columns = catalogue.columns
    sectors = (*catalogue.sectors, _OTHER_SECTOR)
    plist: list[CultureProfile] = []
    clist: list[Context] = []
    for p in range(profiles):
        known = rng.random(len(columns)) < (0.0 if p == 0 else 0.8)
        values = rng.integers(0, 101, size=len(columns))
        plist.append(
            CultureProfile.from_values(
                f"sample:{p}",
                {c: float(v) for c, v, k in zip(columns, values, known, strict=True) if k},
            )
        )
        clist.append(
            Context(
                sector=sectors[p % len(sectors)],
                fte=float(rng.integers(1, 200)),
                budget_eur=0.0 if p == 1 else float(rng.integers(0, 100_000)),
                hours_per_fte=0.0 if p == 1 else float(rng.integers(0, 80)),
                ict_maturity=None if p % 2 == 0 else float(rng.integers(0, 101)),
            )
        )
    return Batch.build(catalogue, plist, clist, allow_debunked=allow_debunked)
