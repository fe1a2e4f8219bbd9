"""Sphinx configuration for the leercultuur documentation.

Build (both languages must pass with warnings as errors; ``.ci/run`` does this)::

    python -m sphinx -W --keep-going -b html docs OUT/en
    python -m sphinx -W --keep-going -b html -D language=nl docs OUT/nl

The Dutch pages come from gettext catalogues in ``docs/locale/nl/LC_MESSAGES/``. After changing
an English page that has a Dutch translation, refresh its catalogue and translate what changed::

    python -m sphinx -b gettext docs /tmp/leercultuur-pot
    sphinx-intl update -p /tmp/leercultuur-pot -l nl -d docs/locale
    # translate the new or fuzzy entries, then keep only the catalogues that are translated

Cross-references to other projects (intersphinx)
------------------------------------------------
The build machines have no internet, and intersphinx warns (an error under ``-W``) when it cannot
fetch an inventory. So the inventories are opt-in:

* ``LEERCULTUUR_DOCS_INTERSPHINX=online`` fetches every inventory from its project's site;
* ``LEERCULTUUR_DOCS_INTERSPHINX=/some/folder`` (or inventory files in ``docs/_inventories/``)
  uses the local files named ``<project>.inv`` found there, e.g. ``python.inv``, ``attrs.inv``;
* otherwise no inventory is used.

Type hints that autodoc renders name types of other projects (``collections.abc.Mapping``,
``pluggy.PluginManager``, ``attrs.Attribute`` ...). For every project whose inventory is *not*
loaded, ``nitpick_ignore_regex`` below ignores references into that project's modules, so the
offline build stays strict about leercultuur's own references while it cannot check foreign ones.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))  # document the checkout, not an installed copy

import attrs  # noqa: E402

import leercultuur  # noqa: E402

# -- project ---------------------------------------------------------------------------------------

project = "leercultuur"
author = "The leercultuur developers"
copyright = "2026, the leercultuur developers"
release = leercultuur.__version__
version = ".".join(release.split(".")[:2])
language = "en"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx_copybutton",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "README.md", "Thumbs.db", ".DS_Store"]
nitpicky = True

# -- MyST ------------------------------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3

# -- autodoc ---------------------------------------------------------------------------------------

autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
autodoc_class_signature = "mixed"

# -- internationalisation --------------------------------------------------------------------------

locale_dirs = ["locale/"]
gettext_compact = False
gettext_uuid = False
gettext_location = False  # no source paths in the catalogues: they differ per checkout

# -- HTML ------------------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"leercultuur {release}"
html_static_path: list[str] = []
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# -- intersphinx (opt-in, see the module docstring) ------------------------------------------------

INTERSPHINX_PROJECTS: dict[str, tuple[str, str]] = {
    # name: (documentation URL, regex of the module names its inventory covers)
    "python": ("https://docs.python.org/3", "|".join(sorted(sys.stdlib_module_names))),
    "attrs": ("https://www.attrs.org/en/stable", "attrs?"),
    "cattrs": ("https://catt.rs/en/stable", "cattrs?"),
    "pluggy": ("https://pluggy.readthedocs.io/en/stable", "pluggy"),
    "numpy": ("https://numpy.org/doc/stable", "numpy|np"),
    "narwhals": ("https://narwhals-dev.github.io/narwhals", "narwhals|nw"),
}


def _intersphinx_mapping() -> dict[str, tuple[str, str | None]]:
    setting = os.environ.get("LEERCULTUUR_DOCS_INTERSPHINX", "").strip()
    if setting == "online":
        return {name: (url, None) for name, (url, _) in INTERSPHINX_PROJECTS.items()}
    folder = Path(setting) if setting else HERE / "_inventories"
    return {
        name: (url, str(folder / f"{name}.inv"))
        for name, (url, _) in INTERSPHINX_PROJECTS.items()
        if (folder / f"{name}.inv").is_file()
    }


intersphinx_mapping = _intersphinx_mapping()
intersphinx_timeout = 10

nitpick_ignore_regex = [
    # References into a project whose inventory is not loaded cannot be checked offline.
    (r"py:.*", rf"(?:{modules})(?:\..+)?")
    for name, (_, modules) in INTERSPHINX_PROJECTS.items()
    if name not in intersphinx_mapping
] + [
    # autodoc names a foreign class by the private module that defines it
    # (``pluggy._manager.PluginManager``); inventories list only the public path.
    (r"py:.*", r"(?!leercultuur\.)\w+(?:\.\w+)*\._\w+(?:\.\w+)*"),
]
nitpick_ignore = [
    # Public names that land on other branches (scoring); docstrings already point at them.
    # Remove each entry once its module exists and is documented.
    ("py:func", "leercultuur.score"),
    # Type variables of generic classes and functions, which autodoc renders as references.
    ("py:class", "leercultuur.registry.T"),
    ("py:obj", "leercultuur.registry.T"),
    ("py:class", "leercultuur.io._converter.T"),
]

# -- generated files -------------------------------------------------------------------------------

GENERATED = HERE / "_generated"


def _write_if_changed(path: Path, text: str) -> None:
    """Write *text* to *path* unless it already holds it (so Sphinx sees no change)."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _generate(_app: Any) -> None:
    """Write the catalogue JSON Schema that ``reference/catalogue-format.md`` includes."""
    schema = json.dumps(leercultuur.catalogue_schema(), indent=2, ensure_ascii=False)
    _write_if_changed(GENERATED / "catalogue-schema.json", schema + "\n")


_SHORT_REF = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _resolve_short_names(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve a bare name in a leercultuur docstring (``:class:`ValidationError```).

    Docstrings refer to classes by their short name, which Sphinx looks up only next to the
    referring object. When that fails, take ``leercultuur.X`` if it is documented, else the one
    documented ``leercultuur.<module>.X``; when there are several, leave the warning standing.
    """
    if node.get("refdomain") != "py" or not _SHORT_REF.match(node.get("reftarget", "")):
        return None
    module = node.get("py:module") or ""
    if not module.startswith("leercultuur"):
        return None
    domain = env.get_domain("py")
    name = node["reftarget"]
    matches = sorted(
        full
        for full in domain.objects
        if full.startswith("leercultuur.") and full.rsplit(".", 1)[-1] == name
    )
    top = f"leercultuur.{name}"
    if top in matches:
        matches = [top]
    if len(matches) != 1:
        return None
    new = node.deepcopy()
    new["reftarget"] = matches[0]
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], matches[0], new, contnode
    )


def _attrs_factory_defaults(
    _app: Any, what: str, _name: str, obj: Any, _options: Any, signature: str | None, ret: Any
) -> tuple[str | None, Any]:
    """Show an attrs field's factory default (``{}``) instead of attrs' ``NOTHING`` marker."""
    if what == "class" and signature and attrs.has(obj):
        for field in attrs.fields(obj):
            default = field.default
            if isinstance(default, attrs.Factory) and not default.takes_self:  # type: ignore[arg-type]
                signature = signature.replace(
                    f"{field.alias}=NOTHING", f"{field.alias}={default.factory()!r}"
                )
    return signature, ret


def setup(app: Any) -> dict[str, Any]:
    """Generate files before reading and register the short-name resolver."""
    app.connect("builder-inited", _generate)
    app.connect("autodoc-process-signature", _attrs_factory_defaults)
    app.connect("missing-reference", _resolve_short_names)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
