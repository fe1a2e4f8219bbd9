"""Fake installed plugins, healthy and broken, announced by the dist-info directories beside."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import leercultuur as lc
from leercultuur.crosswalk import Crosswalk

_NONE = [lc.Evidence.none_recorded(note="test data")]


def _intervention(iv_id: str, **changes: Any) -> lc.Intervention:
    fields: dict[str, Any] = {
        "id": iv_id,
        "name": lc.Text(nl="Testinterventie", en="Test intervention"),
        "summary": lc.Text(nl="Alleen voor tests.", en="For tests only."),
        "approaches": [lc.Approach.WORKPLACE],
        "effects": {"interaction": lc.Strength.WEAK},
        "evidence": _NONE,
    }
    fields.update(changes)
    return lc.Intervention(**fields)


class Healthy:
    @lc.hookimpl
    def leercultuur_dimensions(self) -> Iterator[lc.Dimension]:
        yield lc.Dimension(
            id="lc_healthy.focus",
            kind=lc.DimensionKind.CUSTOM,
            label=lc.Text(nl="Focus", en="Focus"),
        )

    @lc.hookimpl
    def leercultuur_interventions(self) -> Iterator[lc.Intervention]:
        yield _intervention(
            "lc_healthy.walk",
            effects={"lc_healthy.focus": lc.Strength.STRONG, "safety": lc.Strength.WEAK},
            requirements={"resources.ict": 20, "lc_healthy.focus": 10},
        )

    @lc.hookimpl
    def leercultuur_crosswalks(self) -> Iterator[Crosswalk]:
        yield Crosswalk(
            id="lc_healthy.focus_autonomy",
            source="lc_healthy.focus",
            target="autonomy",
            weight=1.0,
            rationale=lc.Text(nl="Alleen voor tests.", en="For tests only."),
        )


class Raising:
    @lc.hookimpl
    def leercultuur_interventions(self) -> Iterator[lc.Intervention]:
        raise KeyError("boom")


class WrongType:
    @lc.hookimpl
    def leercultuur_interventions(self) -> Iterator[object]:
        yield _intervention("lc_wrong_type.ok")
        yield "lc_wrong_type.not_a_record"


class InvalidRecord:
    @lc.hookimpl
    def leercultuur_interventions(self) -> Iterator[object]:
        yield _intervention("lc_invalid.first")
        yield _intervention("lc_invalid.second")
        yield {
            "id": "lc_invalid.third",
            "name": {"nl": "Derde", "en": "Third"},
            "summary": {"nl": "Te duur.", "en": "Too dear."},
            "approaches": ["workplace"],
            "effects": {"interaction": "weak"},
            "evidence": [{"level": "none_recorded"}],
            "cost": {"eur_once": "veel"},
        }


class Duplicate:
    @lc.hookimpl
    def leercultuur_interventions(self) -> Iterator[lc.Intervention]:
        yield _intervention("lc_healthy.walk")


class Misspelt:
    @lc.hookimpl
    def leercultuur_intervention(self) -> Iterator[lc.Intervention]:
        yield _intervention("lc_misspelt.walk")


class UnknownDimension:
    @lc.hookimpl
    def leercultuur_interventions(self) -> Iterator[lc.Intervention]:
        yield _intervention("lc_unknown_dim.walk", effects={"opne_culture": lc.Strength.WEAK})


class Twin:
    def __init__(self, tag: str) -> None:
        self.tag = tag

    @lc.hookimpl
    def leercultuur_interventions(self) -> Iterator[lc.Intervention]:
        yield _intervention(f"lc_twin_{self.tag}.walk")


healthy = Healthy()
raising = Raising()
wrong_type = WrongType()
invalid_record = InvalidRecord()
duplicate = Duplicate()
misspelt = Misspelt()
unknown_dimension = UnknownDimension()
twin_a = Twin("a")
twin_b = Twin("b")
