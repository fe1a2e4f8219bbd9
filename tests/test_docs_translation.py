"""The committed Dutch translations of the docs are complete: no empty, fuzzy or stale entries.

Sphinx silently falls back to English for an untranslated or fuzzy message, so a page that was
edited without refreshing its catalogue would turn half Dutch, half English without a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).parents[1] / "docs" / "locale" / "nl" / "LC_MESSAGES"
CATALOGUES = sorted(LOCALE.rglob("*.po"))
_STRING = re.compile(r'^"(.*)"$')


def entries(path: Path) -> list[tuple[list[str], str, str]]:
    """The (comment lines, msgid, msgstr) of every entry after the header."""
    out = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        comments: list[str] = []
        parts: dict[str, list[str]] = {}
        current = None
        for line in block.strip().splitlines():
            if line.startswith("#"):
                comments.append(line)
            elif line.startswith(("msgid ", "msgstr ")):
                current, _, rest = line.partition(" ")
                parts[current] = [_STRING.match(rest).group(1)]  # type: ignore[union-attr]
            elif current and _STRING.match(line):
                parts[current].append(_STRING.match(line).group(1))  # type: ignore[union-attr]
        msgid = "".join(parts.get("msgid", []))
        if msgid or comments:
            out.append((comments, msgid, "".join(parts.get("msgstr", []))))
    return [e for e in out if e[1]]


def test_the_translated_pages_have_catalogues() -> None:
    names = {p.relative_to(LOCALE).as_posix() for p in CATALOGUES}
    assert {
        "index.po",
        "tutorial/index.po",
        "explanation/model.po",
        "explanation/anonymity.po",
        "explanation/matching.po",
        "glossary.po",
    } <= names


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_catalogue_is_complete(path: Path) -> None:
    found = entries(path)
    assert found, f"{path.name} has no messages"
    for comments, msgid, msgstr in found:
        assert not any(c.startswith("#~") for c in comments), f"stale entry {msgid[:60]!r}"
        assert not any("fuzzy" in c for c in comments), f"fuzzy entry {msgid[:60]!r}"
        assert msgstr, f"untranslated entry {msgid[:60]!r}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_cross_references_survive_translation(path: Path) -> None:
    role = re.compile(r"\{\w+\}`[^`]+`|\]\([^)]+\)")
    for _, msgid, msgstr in entries(path):
        assert sorted(role.findall(msgid)) == sorted(role.findall(msgstr)), (
            f"references differ in {msgid[:60]!r}"
        )


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The message templates (.pot) of the current English pages, built by Sphinx."""
    pytest.importorskip("sphinx", reason="building the templates needs the docs group")
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("pot")
    docs = LOCALE.parents[2]
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "gettext", str(docs), str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_catalogue_matches_the_english_page(path: Path, templates: Path) -> None:
    # An English paragraph edited without refreshing the catalogue appears in English on the
    # Dutch site, silently; so every message of the page must have its translation, and the
    # catalogue must hold nothing the page no longer says.
    pot = templates / path.relative_to(LOCALE).with_suffix(".pot")
    assert pot.is_file(), f"{path.name}: no English page for this catalogue"
    wanted = {msgid for _, msgid, _ in entries(pot)}
    have = {msgid for _, msgid, _ in entries(path)}
    assert not wanted - have, f"untranslated after an edit: {sorted(wanted - have)[0][:80]!r}"
    assert not have - wanted, f"no longer on the page: {sorted(have - wanted)[0][:80]!r}"
