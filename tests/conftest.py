from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

import leercultuur as lc

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("fast", max_examples=20, deadline=None)
settings.load_profile("fast" if os.environ.get("FAST") else "ci")


@pytest.fixture(scope="session")
def registry() -> lc.Registry:
    """The built-in registry, without installed plugins."""
    return lc.load_registry(entry_points=False)
