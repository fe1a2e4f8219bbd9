"""``leercultuur score``: score a survey file; print or write the published scores."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leercultuur.cli._inputs import add_survey_options, organisation, score_survey
from leercultuur.report import unit_cells
from leercultuur.scoring import CellScore, ScoreReport

if TYPE_CHECKING:
    from leercultuur.cli import Output

__all__ = ["register", "scores_text", "write_outputs"]


def _label(dim: str, lang: str) -> str:
    from leercultuur.plot import dimension_label

    return dimension_label(dim, "nl" if lang == "nl" else "en")


def scores_text(report: ScoreReport, out: Output) -> None:
    """Print the unit x dimension table of published means (withheld cells labelled)."""
    import textwrap

    from leercultuur.plot import dimension_order, suppressed_label, top_dimensions

    dims = top_dimensions(report)
    cells = [*unit_cells(report), *(["all"] if "all" in report.cell_index else [])]
    width = max(len(c) for c in cells) + 2
    heads = [textwrap.wrap(_label(d, out.lang), 11, break_long_words=False) for d in dims]
    col = max([12, *(len(word) + 1 for h in heads for word in h)])
    depth = max(map(len, heads), default=1)
    for line in range(depth):  # labels wrapped over lines, aligned at the bottom
        words = [h[line - depth + len(h)] if line >= depth - len(h) else "" for h in heads]
        tail = f"{'n':>6}" if line == depth - 1 else ""
        out.say((" " * width + "".join(f"{w:>{col}}" for w in words) + tail).rstrip())
    for cell in cells:
        scores = report.scores(cell)
        row = []
        for d in dims:
            e = scores[d]
            if isinstance(e, CellScore):
                row.append(f"{e.mean:{col}.0f}")
            else:
                row.append(f"{suppressed_label(e, report.min_group_size, out.lang):>{col}}")
        n = int(report.respondents[report.cell_index[cell]])
        out.say(f"{cell:<{width}}" + "".join(row) + f"{n:6d}")
    out.say(
        out.t(
            f"Anonimiteitsdrempel k = {report.min_group_size}: groepen met minder respondenten"
            " worden niet getoond.",
            f"Anonymity threshold k = {report.min_group_size}: smaller groups are not shown.",
        )
    )
    out.say()
    out.say(out.t("Betrouwbaarheid en overeenstemming:", "Reliability and agreement:"))
    for d in dimension_order(report.dimensions):
        rel, clu = report.reliability.get(d), report.clustering.get(d)
        alpha = "-" if rel is None or rel.value is None else f"{rel.value:.2f}"
        omega = "-" if rel is None or rel.omega.value is None else f"{rel.omega.value:.2f}"
        icc = "-" if clu is None or clu.icc1.value is None else f"{clu.icc1.value:.2f}"
        out.say(f"  {_label(d, out.lang):<32} alpha {alpha:>5}  omega {omega:>5}  ICC(1) {icc:>5}")
    rwg = [
        e.rwg.value
        for c in unit_cells(report)
        for e in report.scores(c).values()
        if isinstance(e, CellScore) and e.rwg.value is not None
    ]
    if rwg:
        rwg.sort()
        out.say(f"  rwg(j): median {rwg[len(rwg) // 2]:.2f} ({len(rwg)} cells)")


def write_outputs(report: ScoreReport, folder: Path, lang: str) -> list[Path]:
    """Write the report's files into *folder*; return the paths written.

    They are ``scores.csv``, ``reliability.csv``, ``report.json`` and, with matplotlib,
    ``heatmap.svg``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    data = report.to_dict()
    for kind, name in (("cells", "scores.csv"), ("reliability", "reliability.csv")):
        rows: list[dict[str, Any]] = data[kind]
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else [])
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    path = folder / "report.json"
    path.write_text(report.to_json(indent=2) + "\n", encoding="utf-8")
    written.append(path)
    try:
        from leercultuur import plot

        svg = plot.to_svg(plot.heatmap(report, lang="nl" if lang == "nl" else "en"))
    except ImportError:  # pragma: no cover - matplotlib is in the test group
        return written
    path = folder / "heatmap.svg"
    path.write_text(svg, encoding="utf-8")
    written.append(path)
    return written


def _cmd_score(args: argparse.Namespace, out: Output) -> int:
    org = organisation(args)
    _survey, report = score_survey(args, out.err, org)
    written = write_outputs(report, args.output, out.lang) if args.output else []
    if out.json:
        payload = report.to_dict()
        payload["written"] = [str(p) for p in written]
        out.data(payload)
        return 0
    scores_text(report, out)
    for path in written:
        out.say(out.t(f"Geschreven: {path}", f"Wrote: {path}"))
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``score`` command."""
    p = sub.add_parser(
        "score",
        parents=[common],
        help="score a survey CSV: published scores per unit, reliability, agreement",
        description="Score a survey CSV and print the published scores per unit (withheld"
        " cells labelled), reliability and agreement.",
    )
    add_survey_options(p, required=True)
    p.add_argument(
        "--organisation",
        type=Path,
        metavar="FILE",
        help="organisation file whose indicators are scored with the survey",
    )
    p.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="write scores.csv, reliability.csv, report.json, heatmap.svg here",
    )
    p.set_defaults(func=_cmd_score, parser=p)
