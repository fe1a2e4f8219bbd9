"""The self-contained HTML report (every text escaped with :func:`html.escape`)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from pathlib import Path

from leercultuur.model import Lang
from leercultuur.report._analysis import Analysis, unit_cells
from leercultuur.report._texts import CSS as _CSS
from leercultuur.report._texts import TEXTS as _T
from leercultuur.scoring import CellScore, Statistic, Suppressed

__all__ = ["render_html", "write_report"]


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
