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
    # Type variables of generic classes and functions, which autodoc renders as references.
    ("py:class", "leercultuur.registry.T"),
    ("py:obj", "leercultuur.registry.T"),
    ("py:class", "leercultuur.io._converter.T"),
    # The ``method`` argument's type alias, ``Literal["weighted_sum", "topsis"]``; the
    # functions' docstrings list the two values.
    ("py:class", "Method"),
]

# -- generated files -------------------------------------------------------------------------------

GENERATED = HERE / "_generated"


def _write_if_changed(path: Path, text: str) -> None:
    """Write *text* to *path* unless it already holds it (so Sphinx sees no change)."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _generate(_app: Any) -> None:
    """Write the JSON Schemas that ``reference/catalogue-format.md`` and
    ``reference/instrument-format.md`` include."""
    schema = json.dumps(leercultuur.catalogue_schema(), indent=2, ensure_ascii=False)
    _write_if_changed(GENERATED / "catalogue-schema.json", schema + "\n")
    schema = json.dumps(leercultuur.instrument_schema(), indent=2, ensure_ascii=False)
    _write_if_changed(GENERATED / "instrument-schema.json", schema + "\n")


_SHORT_REF = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DOTTED_REF = re.compile(r"^leercultuur(?:\.[A-Za-z_][A-Za-z0-9_]*)+$")


def _public(full: str) -> bool:
    """Whether *full* is a documented public path, not a private module's canonical alias."""
    return "._" not in full


def _import(full: str) -> Any:
    """The object at the dotted path *full*, or ``None`` when there is none."""
    import importlib

    parts = full.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for part in parts[cut:]:
                obj = getattr(obj, part)
        except AttributeError:
            return None
        return obj
    return None


def _resolve_to(app: Any, env: Any, node: Any, contnode: Any, target: str) -> Any:
    domain = env.get_domain("py")
    new = node.deepcopy()
    new["reftarget"] = target
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], target, new, contnode
    )


def _resolve_short_names(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve a leercultuur reference that Sphinx's own lookup missed.

    * A bare name in a leercultuur docstring (``:class:`ValidationError```): Sphinx looks it up
      only next to the referring object. Take ``leercultuur.X`` if it is documented, else the
      one documented public ``leercultuur.<module>.X``; when there are several, leave the
      warning standing.
    * A dotted path through a package that re-exports the object
      (``leercultuur.instruments.Instrument`` for the documented ``leercultuur.Instrument``):
      take the documented public path of the very same object.
    * A bare attribute of an attrs record (``:attr:`units``` in ``Survey``'s docstring, where
      the fields are described with ``:ivar:``): link to the record.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    domain = env.get_domain("py")
    if _DOTTED_REF.match(target) and "." in target:
        obj = _import(target)
        if obj is None:
            return None
        name = target.rsplit(".", 1)[-1]
        same = sorted(
            full
            for full, entry in domain.objects.items()
            if _public(full)
            and not entry.aliased
            and full.rsplit(".", 1)[-1] == name
            and _import(full) is obj
        )
        return _resolve_to(app, env, node, contnode, same[0]) if len(same) == 1 else None
    if not _SHORT_REF.match(target):
        return None
    module = node.get("py:module") or ""
    if not module.startswith("leercultuur"):
        return None
    if node["reftype"] == "attr" and node.get("py:class"):
        cls = _import(f"{module}.{node['py:class']}")
        fields = attrs.fields_dict(cls) if isinstance(cls, type) and attrs.has(cls) else {}
        if isinstance(cls, type) and (target in fields or target in getattr(cls, "__slots__", ())):
            owners = sorted(f for f in domain.objects if _public(f) and _import(f) is cls)
            if owners:
                new = node.deepcopy()
                new["reftype"] = "class"
                return domain.resolve_xref(
                    env, node["refdoc"], app.builder, "class", owners[0], new, contnode
                )
    matches = sorted(
        full
        for full in domain.objects
        if _public(full) and full.startswith("leercultuur.") and full.rsplit(".", 1)[-1] == target
    )
    top = f"leercultuur.{target}"
    if top in matches:
        matches = [top]
    # one object documented under a public path plus its canonical alias counts once
    primary = [full for full in matches if not domain.objects[full].aliased]
    if len(primary) != 1 or any(_import(full) is not _import(primary[0]) for full in matches):
        return None
    return _resolve_to(app, env, node, contnode, primary[0])


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
