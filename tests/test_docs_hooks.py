"""Every hook in hookspecs.py is documented on docs/reference/hooks.md, with the full contract."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from leercultuur import hookspecs

PAGE = Path(__file__).parents[1] / "docs" / "reference" / "hooks.md"
HOOKS = sorted(
    name
    for name, obj in vars(hookspecs).items()
    if name.startswith("leercultuur_") and inspect.isfunction(obj)
)


def test_there_are_hooks() -> None:
    assert {"leercultuur_dimensions", "leercultuur_crosswalks"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_on_the_reference_page(hook: str) -> None:
    text = PAGE.read_text(encoding="utf-8")
    directive = re.compile(rf"\.\. autofunction:: leercultuur\.hookspecs\.{hook}\s*$", re.M)
    assert directive.search(text), f"{hook} is missing from {PAGE.name}; add an autofunction"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_docstring_states_the_contract(hook: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert ">>> " in doc, f"{hook}: add a runnable example"
    assert "What fails how" in doc, f"{hook}: say what fails and how"
    assert ".. versionadded::" in doc, f"{hook}: add '.. versionadded::'"
    assert hook in hookspecs.__all__
