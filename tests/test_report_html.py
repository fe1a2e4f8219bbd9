"""The HTML report: parsed with the standard library for its required parts."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

from leercultuur import demo
from leercultuur.report import Analysis, analyse, render_html, unit_cells, write_report

VOID = {"meta", "br", "hr", "img", "link", "input"}


class Parsed(HTMLParser):
    """Tags with their attributes, all text, and the text inside each element with an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: dict[str, list[str]] = {}
        self.stack: list[str | None] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        ident = a.get("id")
        if ident:
            self.ids[ident] = []
        if tag not in VOID:
            self.stack.append(ident)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for ident in self.stack:
            if ident:
                self.ids[ident].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:
            self.stack.pop()

    def section(self, ident: str) -> str:
        return " ".join(self.ids[ident])


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return demo.analysis()


def parse(text: str) -> Parsed:
    p = Parsed()
    p.feed(text)
    p.close()
    return p


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_has_every_required_part(analysis: Analysis, lang: str) -> None:
    text = render_html(analysis, lang)  # type: ignore[arg-type]
    p = parse(text)
    assert ("html", {"lang": lang}) in p.tags
    words = " ".join(p.text)
    assert "Zorggroep Voorbeeld (fictief)" in words
    assert (
        "Fictieve voorbeeldgegevens" if lang == "nl" else "Fictional example data"
    ) in p.section("fictional")
    anonymity = p.section("anonymity")
    assert "5" in anonymity
    assert "team:wijkteam-oost" in anonymity
    assert "team:wijkteam-west" in anonymity
    assert "n=3 < 5" in anonymity
    for section in ("scores", "reliability", "indicators", "advice"):
        assert section in p.ids
    scores = p.section("scores")
    for cell in unit_cells(analysis.report):
        assert cell in scores
    for group in ("beroep=arts", "beroep=verpleegkundige", "beroep=verzorgende"):
        assert group in scores
    assert "n<5" in scores
    reliability = p.section("reliability")
    assert "alpha" in reliability
    assert "ICC(1)" in reliability
    assert "rwg(j)" in reliability
    units = [a["data-unit"] for t, a in p.tags if t == "div" and "data-unit" in a]
    assert units == list(analysis.focus)
    items = sum(1 for t, a in p.tags if t == "ol" and a.get("class") == "recs")
    assert items == len(analysis.focus)
    first = analysis.rankings[analysis.focus[0]][0].intervention.name.get(lang)  # type: ignore[arg-type]
    assert first in p.section("advice")
    assert ("Routekaart" if lang == "nl" else "Roadmap") in p.section("advice")
    explained = [a for t, a in p.tags if t == "span" and a.get("class") == "why criteria"]
    assert len(explained) == sum(len(r) for r in analysis.rankings.values())
    charts = [a["data-chart"] for t, a in p.tags if t == "figure"]
    assert charts == ["heatmap", *["radar"] * len(analysis.focus)]


def test_report_is_self_contained(analysis: Analysis) -> None:
    p = parse(render_html(analysis, "nl"))
    tags = {t for t, _ in p.tags}
    assert "script" not in tags
    assert "link" not in tags
    assert "img" not in tags
    for _tag, a in p.tags:
        for key in ("src", "href"):
            value = a.get(key) or ""
            assert not value.startswith(("http:", "https:", "//")), value
    assert "svg" in tags


def test_text_is_escaped(analysis: Analysis) -> None:
    evil = attrs.evolve(analysis, title='<script>alert("x")</script> & Co')
    text = render_html(evil, "en")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in text


class WithheldCells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "td" and dict(attrs).get("class") == "withheld"
        if self.inside:
            self.texts.append("")

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.texts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        self.inside = False


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_withheld_cells_show_a_label_never_a_number(analysis: Analysis, lang: str) -> None:
    parser = WithheldCells()
    parser.feed(render_html(analysis, lang))  # type: ignore[arg-type]
    report = analysis.report
    expected = sum(len(report.withheld(c)) for c in unit_cells(report))
    expected += len(report.withheld("all"))
    margins = [c for c in report.cells if "|" not in c and "=" in c]
    expected += sum(len(report.withheld(c)) for c in margins)
    # in the scores tables (units, 'all', cross-cut groups), again in the agreement table
    # (units only)
    units = sum(len(report.withheld(c)) for c in unit_cells(report))
    assert len(parser.texts) == expected + units
    labels = {"n<5", "afgeschermd" if lang == "nl" else "withheld", "-", "\u2013"}
    assert set(parser.texts) <= labels


def test_analyse_picks_the_weakest_published_units(analysis: Analysis) -> None:
    report = analysis.report
    again = analyse(report, demo.context(), n_focus=3, top=2)
    assert again.focus[:2] == analysis.focus
    assert all(len(r) <= 2 for r in again.rankings.values())
    assert "team:wijkteam-oost" not in again.focus  # all withheld: no advice from it
    chosen = analyse(report, demo.context(), focus=["afdeling:wijkzorg"])
    assert chosen.focus == ("afdeling:wijkzorg",)


def test_write_report_makes_a_new_folder(
    analysis: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = write_report(analysis)
    second = write_report(analysis, lang="en")
    assert first == tmp_path / "leercultuur-rapport" / "rapport.html"
    assert second == tmp_path / "leercultuur-rapport-2" / "report.html"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_report_renders_in_headless_chromium(analysis: Analysis, tmp_path: Path) -> None:
    path = write_report(analysis, tmp_path / "r", lang="nl")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}", "--window-size=1200,2000", path.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert shot.is_file()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a blank page compresses to a few kB


def test_report_without_matplotlib_says_how_to_get_charts(
    analysis: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    p = parse(render_html(analysis, "en"))
    assert not [t for t, _ in p.tags if t in {"svg", "figure"}]
    assert "pip install 'leercultuur[plot]'" in " ".join(p.text)
    assert "team:wijkteam-oost" in p.section("anonymity")
