"""The conformance checks for criteria and instruments (registered on import by the package).

Criteria are run on a synthetic batch (:func:`~leercultuur.testing.sample_batch`)
over the registry that includes the plugin; instruments are checked for a
coherent licence, cited reliability when they claim to be validated, and items
whose dimensions reach the report's dimensions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np

from leercultuur.errors import ValidationError
from leercultuur.instruments import Instrument, LicenceUse
from leercultuur.matching.batch import Batch
from leercultuur.matching.criteria import Criterion, CriterionKind
from leercultuur.model import DimensionKind, Text
from leercultuur.registry import Registry
from leercultuur.testing import Severity, conformance_check
from leercultuur.testing._sample import sample_batch

__all__: list[str] = []

Found = Iterator[tuple[Severity, str]]

_RELIABILITY = re.compile(r"alpha|omega|icc|reliab|split.?half|retest|lambda|kr.?20|glb")
"""Statistic names that report reliability (Cronbach's alpha, omega, ICC, test-retest, ...)."""

_OPEN_LICENCES = ("mit", "cc0", "cc by", "cc-by", "apache", "bsd", "public domain", "eupl")

_PROFILE_FIELDS = (
    "units",
    "sector_names",
    "scores",
    "known",
    "budget",
    "hours_available",
    "headcount",
    "sector",
)


def _reversed(batch: Batch) -> Batch:
    """The same batch with its profiles (rows) in reverse order."""
    return attrs.evolve(batch, **{name: getattr(batch, name)[::-1] for name in _PROFILE_FIELDS})


def _snapshot(batch: Batch) -> list[Any]:
    cat = batch.catalogue
    arrays = [getattr(batch, name) for name in _PROFILE_FIELDS[2:]]
    arrays += [cat.effects, cat.hours, cat.cost_once, cat.cost_per_participant, cat.evidence]
    return [np.array(a, copy=True) for a in arrays]


def _same(a: Any, b: Any) -> bool:
    return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(p) for p in exc.problems)
    return f"raised {type(exc).__name__}: {exc}"


@conformance_check("criteria", "criterion_contract")
def _criterion_contract(record: Criterion, registry: Registry) -> Found:
    """``evaluate`` on a synthetic batch: right shape and range, pure, per pair, explained."""
    batch = sample_batch(registry, profiles=5)
    before = _snapshot(batch)
    try:
        first = record.evaluate(batch)
        again = record.evaluate(batch)
        flipped = record.evaluate(_reversed(batch))
    except Exception as exc:  # any failure is the plugin's, reported not raised
        yield "problem", f"evaluate() on a sample batch {batch.shape}: {_describe(exc)}"
        return
    if not all(_same(a, b) for a, b in zip(before, _snapshot(batch), strict=True)):
        yield "problem", "evaluate() changed the batch's arrays; compute on copies"
    if not _same(first.values, again.values):
        yield (
            "problem",
            "evaluate() gave different values for the same batch; make it deterministic",
        )
    if not _same(flipped.values, np.asarray(first.values)[::-1]):
        yield (
            "problem",
            "a profile's values depend on the other profiles in the batch;"
            " compute each (profile, intervention) pair from its own row",
        )
    if record.kind is CriterionKind.SCORE:
        if record.weight == 0:
            yield "flag", "weight 0: the score counts only when a caller gives it a weight"
        return
    if first.reason is None:
        yield "flag", "a constraint without a reason: users will not learn why it blocks"
        return
    blocked = np.argwhere(~np.asarray(first.values, dtype=np.bool_))
    if blocked.size:
        p, i = (int(x) for x in blocked[0])
        try:
            text: object = first.reason(batch, p, i)
        except Exception as exc:  # the reason is the plugin's code too
            yield "problem", f"reason(batch, {p}, {i}) raised {type(exc).__name__}: {exc}"
            return
        if not isinstance(text, Text):
            yield "problem", f"reason(batch, {p}, {i}) returned {type(text).__name__}, not Text"


@conformance_check("instruments", "licence")
def _licence(record: Instrument, _registry: Registry) -> Found:
    """The licence says what the items may be used for, coherently with its name."""
    lic = record.licence
    name = lic.name.lower()
    if not lic.allowed_use:
        yield "problem", "licence.allowed_use is empty; say what the items may be used for"
    tokens = set(re.split(r"[^a-z0-9]+", name))
    noncommercial = "nc" in tokens or "noncommercial" in tokens or "non-commercial" in name
    if noncommercial and LicenceUse.COMMERCIAL in lic.allowed_use:
        yield (
            "problem",
            f"licence {lic.name!r} is non-commercial, yet allowed_use includes 'commercial'",
        )
    is_open = any(name.startswith(open_) for open_ in _OPEN_LICENCES)
    if not lic.redistribute_items:
        yield (
            "flag",
            f"licence {lic.name!r} allows redistributing the items; set redistribute_items = true"
            if is_open
            else "licence.redistribute_items is false, yet the plugin ships the item wording;"
            " ship it only with the rights holder's permission",
        )
    if lic.url is None:
        yield "flag", "no licence.url; link the licence terms so users can check them"


@conformance_check("instruments", "psychometrics")
def _psychometrics(record: Instrument, _registry: Registry) -> Found:
    """A validated instrument cites reported reliability; an unvalidated one says so."""
    if not record.validated:
        if record.description is None:
            yield "flag", "not validated; say so in the description, with how to read results"
        return
    reliabilities = [r for r in record.psychometrics if _RELIABILITY.search(r.statistic.lower())]
    if not reliabilities:
        yield (
            "problem",
            "validated = true needs a reported reliability (e.g. cronbach_alpha, omega)"
            " with its citation; found only "
            + ", ".join(sorted({r.statistic for r in record.psychometrics})),
        )
        return
    if any(r.dimension is None for r in reliabilities):
        return
    covered = {r.dimension for r in reliabilities}
    for dim in record.dimensions:
        parent = dim.rpartition(".")[0]
        if dim not in covered and parent not in covered:
            yield "flag", f"no reliability reported for the items measuring {dim!r}"


@conformance_check("instruments", "item_dimensions")
def _item_dimensions(record: Instrument, registry: Registry) -> Found:
    """Items measure registered dimensions that are the report's or are crosswalked onto it."""
    sources = {cw.source for cw in registry.crosswalks.values()}
    for dim in record.dimensions:
        base = dim if dim in registry.dimensions else dim.rpartition(".")[0]
        dimension = registry.dimensions.get(base)
        if dimension is None:  # pragma: no cover - the registry refuses such an instrument
            yield "problem", f"items measure {dim!r}, which no plugin registers"
            continue
        if dimension.kind is DimensionKind.CUSTOM and not {dim, base} & sources:
            yield (
                "flag",
                f"items measure {dim!r}, a custom dimension no crosswalk maps onto the"
                " report's dimensions; its scores will not show on them",
            )
        if len(record.items_of(dim)) < 2:
            yield "flag", f"only one item measures {dim!r}; its reliability cannot be estimated"
