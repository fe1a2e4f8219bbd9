"""The self-contained HTML report (every text escaped with :func:`html.escape`)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from pathlib import Path

from leercultuur.model import Lang
from leercultuur.report._analysis import Analysis, unit_cells
from leercultuur.scoring import CellScore, Statistic, Suppressed

__all__ = ["render_html", "write_report"]

_CSS = """
:root { --ink:#1d2733; --muted:#5b6773; --line:#dde3ea; --accent:#1b6ca8; --soft:#f4f7fa; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
  color:var(--ink); background:#fff; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 64px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 20px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 8px; }
.sub { color: var(--muted); margin: 0; }
.banner { background:#fff4d6; border:1px solid #e7c766; border-radius:6px; padding:10px 14px;
  margin: 14px 0; font-weight: 600; }
.facts { display:flex; flex-wrap:wrap; gap:12px; margin: 14px 0; padding:0; list-style:none; }
.facts li { background: var(--soft); border-radius: 6px; padding: 8px 14px; }
.facts b { display:block; font-size: 20px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 12.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--soft); font-weight: 600; vertical-align: bottom; }
td.withheld { color: var(--muted); font-style: italic;
  background: repeating-linear-gradient(45deg,#fff,#fff 4px,#eef1f4 4px,#eef1f4 8px); }
td.low { color: #a3261b; font-weight: 600; }
.note { color: var(--muted); font-size: 13px; }
figure { margin: 12px 0; }
figure svg { max-width: 100%; height: auto; }
.unit { border: 1px solid var(--line); border-radius: 8px; padding: 4px 20px 16px; margin: 18px 0; }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.25fr); gap: 20px; }
ol.recs { padding-left: 22px; } ol.recs li { margin-bottom: 10px; }
.why { color: var(--muted); font-size: 13px; display:block; }
.warn { color: #8a4b00; font-size: 13px; display:block; }
.phase { background: var(--soft); border-radius: 6px; padding: 8px 14px; margin: 8px 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px;
  border-top: 1px solid var(--line); padding-top: 10px; }
@media print { .unit { break-inside: avoid; } }
"""

_T: dict[str, tuple[str, str]] = {
    "fictional": (
        "Fictieve voorbeeldgegevens: deze organisatie, haar teams en alle antwoorden zijn"
        " verzonnen.",
        "Fictional example data: this organisation, its teams and every answer are made up.",
    ),
    "subtitle": ("Leercultuur: scores, aanbevelingen en routekaart",
                 "Learning culture: scores, recommendations and roadmap"),
    "respondents": ("respondenten", "respondents"),
    "units": ("eenheden", "units"),
    "threshold": ("anonimiteitsdrempel", "anonymity threshold"),
    "withheld_n": ("eenheden geheel afgeschermd", "units fully withheld"),
    "partly_n": ("eenheden deels afgeschermd", "units partly withheld"),
    "privacy": ("Anonimiteit", "Anonymity"),
    "privacy_text": (
        "Scores van een groep met minder dan {k} respondenten worden niet getoond (n<{k}); waar"
        " een kleine groep anders uit andere cijfers af te leiden zou zijn, zijn ook die"
        " afgeschermd. Geen enkel cijfer in dit rapport toont de antwoorden van één persoon.",
        "Scores of a group with fewer than {k} respondents are not shown (n<{k}); where a small"
        " group could otherwise be derived from other figures, those are withheld too. No"
        " figure in this report shows one person's answers.",
    ),
    "suppressed_units": ("Afgeschermde eenheden", "Units withheld"),
    "none": ("geen", "none"),
    "all_dims": ("alle dimensies", "all dimensions"),
    "scores": ("Scores per eenheid", "Scores per unit"),
    "scores_text": (
        "Gemiddelde score van 0 tot 100 (POMP) per eenheid en dimensie, met het aantal"
        " respondenten in de laatste kolom; een gearceerde cel is afgeschermd, een score onder"
        " 40 is rood.",
        "Mean score from 0 to 100 (POMP) per unit and dimension, with the number of"
        " respondents in the last column; a hatched cell is withheld, a score below 40 is red.",
    ),
    "unit": ("Eenheid", "Unit"),
    "group": ("Groep", "Group"),
    "crosscut": ("Per groep over de eenheden heen", "Per group across the units"),
    "crosscut_text": (
        "Dezelfde scores per kenmerk van de respondenten (zoals beroep) voor de hele"
        " organisatie, met dezelfde afscherming.",
        "The same scores per respondent attribute (such as profession) for the whole"
        " organisation, with the same protection.",
    ),
    "reliability": ("Betrouwbaarheid en overeenstemming", "Reliability and agreement"),
    "reliability_text": (
        "Cronbachs alfa en McDonalds omega over alle respondenten; ICC(1) en ICC(2) voor de"
        " verschillen tussen eenheden; rwg(j) voor de overeenstemming binnen een eenheid"
        " (0 = geen, 1 = volledig). De scan is niet gevalideerd: lees deze cijfers als"
        " controle op je eigen gegevens.",
        "Cronbach's alpha and McDonald's omega over all respondents; ICC(1) and ICC(2) for the"
        " differences between units; rwg(j) for the agreement within a unit (0 = none, 1 ="
        " full). The scan is not validated: read these figures as a check on your own data.",
    ),
    "dimension": ("Dimensie", "Dimension"),
    "agreement": ("Overeenstemming binnen eenheden, rwg(j)", "Agreement within units, rwg(j)"),
    "indicators": ("Indicatoren", "Indicators"),
    "indicator": ("Indicator", "Indicator"),
    "value": ("Waarde", "Value"),
    "score": ("Score", "Score"),
    "transform": ("Omzetting", "Transform"),
    "source": ("Bron", "Source"),
    "advice": ("Aanbevelingen voor de zwakste eenheden", "Recommendations for the weakest units"),
    "advice_text": (
        "Voor de eenheden met de laagste gepubliceerde gemiddelde score: het profiel tegenover"
        " de hele organisatie, de best passende interventies met hun onderbouwing, en een"
        " routekaart die de randvoorwaarden eerst aanpakt.",
        "For the units with the lowest published mean score: the profile against the whole"
        " organisation, the best-fitting interventions with their reasons, and a roadmap that"
        " addresses the preconditions first.",
    ),
    "context": ("Context", "Context"),
    "top": ("Best passende interventies", "Best-fitting interventions"),
    "strengthens": ("Versterkt", "Strengthens"),
    "criteria": ("Criteria (waarde × gewicht)", "Criteria (value × weight)"),
    "warning": ("Let op", "Note"),
    "roadmap": ("Routekaart", "Roadmap"),
    "phase": ("Fase", "Phase"),
    "focus": ("randvoorwaarden", "preconditions"),
    "hours": ("uur", "hours"),
    "expected": ("Verwacht daarna", "Expected after"),
    "no_recs": ("Geen haalbare interventies.", "No feasible interventions."),
    "no_phase": ("Geen haalbare fase binnen budget en uren.",
                 "No feasible phase within budget and hours."),
    "footer": (
        "Gemaakt met leercultuur {v}, naar het rapport 'Een Leven Lang Leren' (Zorgpact"
        " Rotterdam). Uitkomsten zijn gespreksstof, geen oordeel.",
        "Made with leercultuur {v}, after the report 'Een Leven Lang Leren' (Zorgpact"
        " Rotterdam). Results are for conversation, not a verdict.",
    ),
    "no_charts": ("(grafieken vereisen matplotlib: pip install 'leercultuur[plot]')",
                  "(charts need matplotlib: pip install 'leercultuur[plot]')"),
    "strength": ("zwak|matig|sterk", "weak|moderate|strong"),
}  # fmt: skip


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _fmt(x: float | None, digits: int = 2) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:.{digits}f}"


def _stat(s: Statistic, digits: int = 2) -> str:
    return _fmt(s.value, digits)


class _Writer:
    def __init__(self, analysis: Analysis, lang: Lang) -> None:
        from leercultuur.plot import dimension_label, dimension_order

        self.a = analysis
        self.lang = lang
        self.r = analysis.report
        self.k = self.r.min_group_size
        self._dimension_label = dimension_label
        self.dimensions = dimension_order(self.r.dimensions)  # the report's order
        self.parts: list[str] = []

    def label(self, dimension: str) -> str:
        return self._dimension_label(dimension, self.lang)

    def t(self, key: str, **kw: object) -> str:
        text = _T[key][0 if self.lang == "nl" else 1]
        return text.format(**kw) if kw else text

    def add(self, *chunks: str) -> None:
        self.parts.extend(chunks)

    def table(self, head: Iterable[str], rows: Iterable[Iterable[str]], raw: bool = False) -> None:
        self.add(
            '<div class="scroll"><table><thead><tr>',
            *(f"<th>{_e(h)}</th>" for h in head),
            "</tr></thead><tbody>",
        )
        for row in rows:
            cells = row if raw else (f"<td>{_e(c)}</td>" for c in row)
            self.add("<tr>", *cells, "</tr>")
        self.add("</tbody></table></div>")

    def chart(self, make: str, *args: object, **kwargs: object) -> None:
        try:
            from leercultuur import plot
        except ImportError:  # pragma: no cover - plot imports no third party at import time
            return
        try:
            fig = getattr(plot, make)(self.r, *args, lang=self.lang, **kwargs)
        except plot.MissingExtraError:  # pragma: no cover - matplotlib is in the test group
            self.add(f'<p class="note">{_e(self.t("no_charts"))}</p>')
            return
        svg = plot.to_svg(fig)
        svg = svg[svg.index("<svg") :]
        self.add(f'<figure class="chart" data-chart="{_e(make)}">', svg, "</figure>")

    def suppressed_units(self) -> list[tuple[str, str]]:
        out = []
        for cell in unit_cells(self.r):
            withheld = self.r.withheld(cell)
            if not withheld:
                continue
            if len(withheld) == len(self.r.dimensions):
                n = next(iter(withheld.values())).respondents or 0
                reason = f"n={n} < {self.k}" if n < self.k else self.t("all_dims")
                out.append((cell, reason))
            else:
                out.append((cell, ", ".join(self.label(d) for d in withheld)))
        return out

    def header(self) -> None:
        import leercultuur

        a, r = self.a, self.r
        # the organisation: the 'all' cell, or with a single root unit that unit (the largest)
        cells = ["all"] if "all" in r.cell_index else list(unit_cells(r))
        total = max((int(r.respondents[r.cell_index[c]]) for c in cells), default=0)
        self.version = leercultuur.__version__
        self.add(f"<header><h1>{_e(a.title)}</h1><p class='sub'>{_e(self.t('subtitle'))}</p>")
        self.add("</header>")
        if a.fictional:
            self.add(f'<div class="banner" id="fictional">{_e(self.t("fictional"))}</div>')
        suppressed = self.suppressed_units()
        fully = sum(1 for c in unit_cells(r) if len(r.withheld(c)) == len(r.dimensions))
        facts = [
            (str(total), self.t("respondents")),
            (str(len(unit_cells(r))), self.t("units")),
            (f"k = {self.k}", self.t("threshold")),
            (str(fully), self.t("withheld_n")),
            (str(len(suppressed) - fully), self.t("partly_n")),
        ]
        self.add('<ul class="facts">')
        self.add(*(f"<li><b>{_e(v)}</b>{_e(k)}</li>" for v, k in facts))
        self.add("</ul>")
        self.add(f'<section id="anonymity"><h2>{_e(self.t("privacy"))}</h2>')
        self.add(f"<p>{_e(self.t('privacy_text', k=self.k))}</p>")
        self.add(f"<h3>{_e(self.t('suppressed_units'))}</h3>")
        if suppressed:
            self.add('<ul class="suppressed">')
            self.add(*(f"<li><code>{_e(c)}</code>: {_e(why)}</li>" for c, why in suppressed))
            self.add("</ul>")
        else:
            self.add(f"<p>{_e(self.t('none'))}</p>")
        self.add("</section>")

    def scores(self) -> None:
        r = self.r
        self.add(f'<section id="scores"><h2>{_e(self.t("scores"))}</h2>')
        self.add(f'<p class="note">{_e(self.t("scores_text"))}</p>')
        self.chart("heatmap")
        cells = [*unit_cells(r), *(["all"] if "all" in r.cell_index else [])]
        self.score_table(cells, self.t("unit"))
        margins = [c for c in r.cells if "|" not in c and "=" in c]
        if margins:
            self.add(f"<h3>{_e(self.t('crosscut'))}</h3>")
            self.add(f'<p class="note">{_e(self.t("crosscut_text"))}</p>')
            self.score_table(margins, self.t("group"))
        self.add("</section>")

    def score_table(self, cells: list[str], head: str) -> None:
        from leercultuur.plot import suppressed_label

        r = self.r
        dims = self.dimensions
        rows = []
        for cell in cells:
            scores = r.scores(cell)
            tds = [f"<td><code>{_e(cell)}</code></td>"]
            for d in dims:
                e = scores[d]
                if isinstance(e, Suppressed):
                    label = suppressed_label(e, self.k, self.lang)
                    tds.append(f'<td class="withheld">{_e(label)}</td>')
                else:
                    cls = ' class="low"' if e.mean < 40 else ""
                    tds.append(f'<td{cls} title="n={e.n}">{e.mean:.0f}</td>')
            tds.append(f"<td>{int(r.respondents[r.cell_index[cell]])}</td>")
            rows.append(tds)
        self.table([head, *(self.label(d) for d in dims), "n"], rows, raw=True)

    def reliability(self) -> None:
        r = self.r
        self.add(f'<section id="reliability"><h2>{_e(self.t("reliability"))}</h2>')
        self.add(f'<p class="note">{_e(self.t("reliability_text"))}</p>')
        rows = []
        for d in self.dimensions:
            rel, clu = r.reliability.get(d), r.clustering.get(d)
            rows.append(
                [
                    self.label(d),
                    "–" if rel is None else _fmt(rel.value),
                    "–" if rel is None else _stat(rel.omega),
                    "–" if rel is None else str(rel.n_items),
                    "–" if clu is None else _stat(clu.icc1),
                    "–" if clu is None else _stat(clu.icc2),
                ]
            )
        head = [self.t("dimension"), "alpha", "omega", "items", "ICC(1)", "ICC(2)"]
        self.table(head, rows)
        self.add(f"<h3>{_e(self.t('agreement'))}</h3>")
        dims = self.dimensions
        rows2 = []
        for cell in unit_cells(r):
            scores = r.scores(cell)
            tds = [f"<td><code>{_e(cell)}</code></td>"]
            for d in dims:
                e = scores[d]
                if isinstance(e, CellScore):
                    tds.append(f"<td>{_e(_stat(e.rwg))}</td>")
                else:
                    tds.append('<td class="withheld">–</td>')
            rows2.append(tds)
        self.table([self.t("unit"), *(self.label(d) for d in dims)], rows2, raw=True)
        self.add("</section>")

    def indicators(self) -> None:
        if not self.r.indicators:
            return
        self.add(f'<section id="indicators"><h2>{_e(self.t("indicators"))}</h2>')
        rows = []
        for dim, ind in self.r.indicators.items():
            for c in ind.contributions:
                rows.append(
                    [
                        c.label.get(self.lang) if c.label else c.indicator,
                        self.label(dim),
                        f"{c.value:g} {c.unit}",
                        f"{c.score:.0f}",
                        c.transform.get(self.lang),
                        c.source or "–",
                    ]
                )
        head = [self.t("indicator"), self.t("dimension"), self.t("value"), self.t("score"),
                self.t("transform"), self.t("source")]  # fmt: skip
        self.table(head, rows)
        self.add("</section>")

    def advice(self) -> None:
        a, lang = self.a, self.lang
        strength = self.t("strength").split("|")
        self.add(f'<section id="advice"><h2>{_e(self.t("advice"))}</h2>')
        self.add(f'<p class="note">{_e(self.t("advice_text"))}</p>')
        for unit in a.focus:
            ctx = a.contexts[unit]
            self.add(f'<div class="unit" data-unit="{_e(unit)}"><h3>{_e(unit)}</h3>')
            self.add(
                f'<p class="note">{_e(self.t("context"))}: {_e(ctx.sector)}, {ctx.fte:g} fte,'
                f" EUR {ctx.budget_eur:,.0f}, {ctx.hours_per_fte:g} {_e(self.t('hours'))}/fte</p>"
            )
            self.add('<div class="cols"><div>')
            self.chart("radar", unit)
            self.add(f"</div><div><h3>{_e(self.t('top'))}</h3>")
            ranking = a.rankings[unit]
            if not len(ranking):
                self.add(f"<p>{_e(self.t('no_recs'))}</p>")
            self.add('<ol class="recs">')
            result = ranking.result
            criteria = {c.id: c.label.get(lang) for c in result.scorers}
            weights = {c.id: float(w) for c, w in zip(result.scorers, result.weights, strict=True)}
            for rec in ranking:
                iv = rec.intervention
                gaps = ", ".join(
                    f"{self.label(g.dimension)} {g.score:.0f} ({strength[int(g.strength) - 1]})"
                    for g in rec.gaps
                )
                self.add(
                    f"<li><b>{_e(iv.name.get(lang))}</b> <small>score {rec.score:.2f}</small>"
                    f'<span class="why">{_e(iv.summary.get(lang))}</span>'
                )
                if gaps:
                    self.add(f'<span class="why">{_e(self.t("strengthens"))}: {_e(gaps)}</span>')
                parts = " · ".join(
                    f"{criteria.get(c, c)} {v:.2f} × {weights.get(c, 0.0):.2f}"
                    for c, v in rec.values.items()
                )
                self.add(f'<span class="why criteria">{_e(self.t("criteria"))}: {_e(parts)}</span>')
                for w in rec.warnings:
                    self.add(
                        f'<span class="warn">{_e(self.t("warning"))}: {_e(w.get(lang))}</span>'
                    )
                self.add("</li>")
            self.add("</ol></div></div>")
            self.roadmap(unit)
            self.add("</div>")
        self.add("</section>")

    def roadmap(self, unit: str) -> None:
        road = self.a.roadmaps[unit]
        lang = self.lang
        self.add(f'<div class="roadmap"><h3>{_e(self.t("roadmap"))}</h3>')
        self.add(
            f'<p class="note">EUR {road.cost_eur:,.0f} / {road.budget_eur:,.0f};'
            f" {road.total_hours:g} / {road.hours:g} {_e(self.t('hours'))}</p>"
        )
        if not road.phases:
            self.add(f"<p>{_e(self.t('no_phase'))}</p>")
        for ph in road.phases:
            focus = ", ".join(self.label(f) for f in ph.focus) or "–"
            names = "; ".join(r.intervention.name.get(lang) for r in ph.recommendations)
            self.add(
                f'<div class="phase"><b>{_e(self.t("phase"))} {ph.number}</b>'
                f" ({_e(self.t('focus'))}: {_e(focus)}; EUR {ph.cost_eur:,.0f},"
                f" {ph.hours:g} {_e(self.t('hours'))})<br>{_e(names)}"
            )
            if ph.expected:
                exp = ", ".join(f"{self.label(k)} {v:.0f}" for k, v in ph.expected.items())
                self.add(f'<span class="why">{_e(self.t("expected"))}: {_e(exp)}</span>')
            self.add("</div>")
        from leercultuur.matching.plan import ASSUMPTION

        self.add(f'<p class="note">{_e(ASSUMPTION.get(lang))}</p></div>')

    def render(self) -> str:
        self.header()
        self.scores()
        self.reliability()
        self.indicators()
        self.advice()
        title = self.a.title + (" – leercultuur" if self.a.title != "leercultuur" else "")
        footer = self.t("footer", v=self.version)
        if self.a.fictional:
            footer = f"{self.t('fictional')} {footer}"
        body = "".join(self.parts)
        return (
            f'<!DOCTYPE html>\n<html lang="{self.lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body><main>"
            f"{body}<footer>{_e(footer)}</footer></main></body></html>\n"
        )


def render_html(analysis: Analysis, lang: Lang = "nl") -> str:
    """The self-contained HTML report of *analysis* in *lang* (``"nl"`` or ``"en"``).

    It states the anonymity threshold and the withheld units, shows the scores per unit
    (withheld cells hatched), reliability and agreement, indicators, and for each focus unit
    a radar chart, the top recommendations with their reasons and the roadmap. Charts are
    inline SVG when matplotlib is installed.
    """
    return _Writer(analysis, "nl" if lang == "nl" else "en").render()


def new_folder(base: Path) -> Path:
    """*base*, or ``base-2``, ``base-3``, ... whichever does not exist yet."""
    candidate, i = base, 1
    while candidate.exists():
        i += 1
        candidate = base.with_name(f"{base.name}-{i}")
    return candidate


def write_report(
    analysis: Analysis, output: str | Path | None = None, *, lang: Lang = "nl"
) -> Path:
    """Write ``rapport.html`` (Dutch) or ``report.html`` (English) into the folder *output*.

    Without *output*, a new folder ``leercultuur-rapport`` (numbered if it exists) is made
    under the current directory. Returns the file's path.
    """
    folder = new_folder(Path.cwd() / "leercultuur-rapport") if output is None else Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ("rapport.html" if lang == "nl" else "report.html")
    path.write_text(render_html(analysis, lang), encoding="utf-8")
    return path
