"""A plugin whose import fails, as when a dependency of an installed plugin is missing."""

import lc_fake_dependency_that_is_not_installed  # noqa: F401
