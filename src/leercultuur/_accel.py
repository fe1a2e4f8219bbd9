"""The optional compiled accelerator: numba kernels for scoring's hot loops.

leercultuur runs on numpy alone. With the ``fast`` extra installed (``pip install
"leercultuur[fast]"``, which brings numba), scoring sums its sufficient statistics in compiled
loops instead of chains of numpy calls; every published number stays the same, because the
kernels only count and add integers (Likert answers are small integers, so every sum is exact),
and the floating-point formulas after them are shared with the numpy route.

The environment variable ``LEERCULTUUR_NUMBA=0`` (also ``false``, ``no``, ``off``) switches the
kernels off, for instance where numba's compile step on first use is unwelcome; ``1`` (``true``,
``yes``, ``on``) asks for them explicitly, which matters to the command line: a one-off process
spends more on loading the kernels than they save, so ``leercultuur`` scores with numpy unless
asked (:func:`requested`).

Kernel modules import :func:`jit` and are themselves imported only by the code paths that use
them, so ``import leercultuur`` never imports numba.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

__all__ = ["ENVIRONMENT_VARIABLE", "accelerated", "accelerator", "forced", "jit", "requested"]

ENVIRONMENT_VARIABLE = "LEERCULTUUR_NUMBA"
_OFF = frozenset({"0", "false", "no", "off"})
_ON = frozenset({"1", "true", "yes", "on"})
_forced: bool | None = None

F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def _installed() -> bool:
    return importlib.util.find_spec("numba") is not None


def accelerator() -> str | None:
    """The compiled accelerator scoring uses now (``"numba 0.61.2"``), or None for plain numpy.

    None when numba is not installed or the environment variable ``LEERCULTUUR_NUMBA`` is
    ``0``, ``false``, ``no`` or ``off``.
    """
    if not accelerated():
        return None
    return f"numba {importlib.metadata.version('numba')}"


def requested() -> bool | None:
    """What ``LEERCULTUUR_NUMBA`` asks for: True (on), False (off) or None (not set, or unclear)."""
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower()
    if value in _OFF:
        return False
    return True if value in _ON else None


def accelerated() -> bool:
    """Whether scoring uses the compiled kernels (numba installed and not switched off)."""
    if _forced is not None:
        return _forced and _installed()
    return requested() is not False and _installed()


@contextlib.contextmanager
def forced(on: bool) -> Iterator[None]:
    """Use the kernels (``True``, where numba is installed) or plain numpy (``False``) inside.

    For the command line and for tests that compare the two routes; one switch for the whole
    process, so not for code that scores in several threads at once.
    """
    global _forced  # noqa: PLW0603 - one process-wide switch, restored on exit
    before, _forced = _forced, on
    try:
        yield
    finally:
        _forced = before


def jit(fn: F) -> F:
    """Compile ``fn`` with numba: no Python objects, the GIL released, cached on disk.

    Division follows numpy's rules (no ZeroDivisionError checks in the loop). Importing a
    module that uses this decorator imports numba, so only the accelerated route imports such
    modules.
    """
    import numba

    return cast("F", numba.njit(cache=True, nogil=True, error_model="numpy")(fn))
