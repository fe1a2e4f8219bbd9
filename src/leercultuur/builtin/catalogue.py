"""Built-in plugin: the catalogue of interventions, read from ``catalogue.toml``.

The file is read through :func:`leercultuur.load_catalogue`, the same strict
loader users call on their own catalogues.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources

from leercultuur.model import Intervention
from leercultuur.plugins import hookimpl

__all__ = ["catalogue", "leercultuur_interventions"]


@cache
def catalogue() -> tuple[Intervention, ...]:
    """The built-in interventions, loaded once from the packaged ``catalogue.toml``."""
    from leercultuur.io import load_catalogue

    with resources.as_file(resources.files(__package__) / "catalogue.toml") as path:
        return load_catalogue(path).interventions


@hookimpl
def leercultuur_interventions() -> Iterator[Intervention]:
    """Yield the built-in catalogue's interventions."""
    yield from catalogue()
