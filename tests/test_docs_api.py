"""Every public name is documented in the reference pages (docs/reference/*.md).

The pages name objects in autodoc and Python-domain directives; this test reads those
directives, qualifies them with the module in force, and checks every name in the ``__all__``
of the package and its public modules against them. A name added to ``__all__`` without a
directive fails here, before ``sphinx -W`` would only notice a missing reference by chance.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import leercultuur

# hookspecs is left to tests/test_docs_hooks.py, which checks every hook against hooks.md.
PAGES = sorted((Path(__file__).parents[1] / "docs" / "reference").glob("*.md"))
MODULES = [
    "leercultuur",
    "leercultuur.model",
    "leercultuur.errors",
    "leercultuur.io",
    "leercultuur.evidence",
    "leercultuur.registry",
    "leercultuur.plugins",
    "leercultuur.crosswalk",
    "leercultuur.testing",
    "leercultuur.instruments",
    "leercultuur.survey",
    "leercultuur.scoring",
    "leercultuur.scoring.disclosure",
    "leercultuur.scoring.indicators",
    "leercultuur.matching",
    "leercultuur.matching.criteria",
    "leercultuur.matching.plan",
    "leercultuur.plot",
]
_DIRECTIVE = re.compile(
    r"^\s*\.\. (auto)?(module|currentmodule|class|function|data|exception|attribute)::\s+([^\s(]+)",
    re.M,
)


def documented() -> set[str]:
    """The fully qualified names the reference pages document."""
    names: set[str] = set()
    for page in PAGES:
        module = ""
        for match in _DIRECTIVE.finditer(page.read_text(encoding="utf-8")):
            kind, target = match.group(2), match.group(3)
            if kind in ("module", "currentmodule"):
                module = target
                names.add(target)
            elif target.startswith("leercultuur.") or target == "leercultuur":
                names.add(target)
            else:
                names.add(f"{module}.{target}")
    return names


def public_names() -> list[tuple[str, str]]:
    return [
        (module, name)
        for module in MODULES
        for name in importlib.import_module(module).__all__  # type: ignore[attr-defined]
    ]


def test_the_pages_are_read() -> None:
    names = documented()
    assert "leercultuur.load_registry" in names
    assert "leercultuur.model.Check" in names


@pytest.mark.parametrize(("module", "name"), public_names())
def test_public_name_is_documented(module: str, name: str) -> None:
    names = documented()
    obj = getattr(importlib.import_module(module), name)
    home = getattr(obj, "__module__", None)
    candidates = {f"{module}.{name}", f"leercultuur.{name}"}
    # documented where a parent package re-exports it (leercultuur.matching.Evaluation)
    parts = module.split(".")
    for cut in range(1, len(parts)):
        parent = ".".join(parts[:cut])
        if getattr(importlib.import_module(parent), name, None) is obj:
            candidates.add(f"{parent}.{name}")
    if isinstance(home, str) and home.startswith("leercultuur"):
        candidates.add(f"{home}.{name}")
    assert candidates & names, (
        f"{module}.{name} is public but not documented in docs/reference/; add a directive"
    )


def test_top_level_is_complete() -> None:
    # every top-level name is importable, so a stale __all__ entry fails here
    for name in leercultuur.__all__:
        assert hasattr(leercultuur, name)


_DATA_VALUE = re.compile(
    r"^\s*\.\. (?:auto)?(?:module|currentmodule)::\s+(\S+)|^\s*\.\. data::\s+(\w+)\s*\n"
    r"(?:\s+:type:.*\n)?\s+:value:\s+(.+)$",
    re.M,
)


def written_values() -> list[tuple[str, str, str]]:
    """``(module, name, value)`` of every hand-written ``.. data::`` with a ``:value:``."""
    out = []
    for page in PAGES:
        module = ""
        for match in _DATA_VALUE.finditer(page.read_text(encoding="utf-8")):
            if match.group(1):
                module = match.group(1)
            else:
                out.append((module, match.group(2), match.group(3).strip()))
    return out


def test_hand_written_values_are_found() -> None:
    assert ("leercultuur.instruments", "MAX_SCALE_POINTS", "254") in written_values()


@pytest.mark.parametrize(("module", "name", "value"), written_values())
def test_hand_written_value_matches_the_code(module: str, name: str, value: str) -> None:
    # constants re-exported from a private module are written out by hand (autodoc finds no
    # docstring for them there); the value on the page must stay the code's
    assert repr(getattr(importlib.import_module(module), name)) == value
