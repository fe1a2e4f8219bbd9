"""``leercultuur demo``: the whole main job on the bundled fictional example."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leercultuur.cli._progress import Progress
from leercultuur.cli._score import scores_text

if TYPE_CHECKING:
    from leercultuur.cli import Output

__all__ = ["register"]


def _cmd_demo(args: argparse.Namespace, out: Output) -> int:
    from leercultuur import demo
    from leercultuur.report import write_report
    from leercultuur.report._html import new_folder

    start = time.perf_counter()
    with Progress(out.err, "demo"):
        analysis = demo.analysis()
        folder = args.output or new_folder(Path.cwd() / "leercultuur-demo")
        path = write_report(analysis, folder, lang=out.lang)
    seconds = time.perf_counter() - start
    if out.json:
        out.data(
            {
                "organisation": analysis.title,
                "fictional": analysis.fictional,
                "scores": analysis.report.to_dict(),
                "focus": list(analysis.focus),
                "rankings": {u: r.to_dict() for u, r in analysis.rankings.items()},
                "roadmaps": {u: r.to_dict() for u, r in analysis.roadmaps.items()},
                "report": str(path),
            }
        )
        return 0
    out.say(f"{analysis.title}")
    out.say(
        out.t(
            "FICTIEF voorbeeld: de organisatie, haar teams en alle antwoorden zijn verzonnen.",
            "FICTIONAL example: the organisation, its teams and every answer are made up.",
        )
    )
    out.say()
    scores_text(analysis.report, out)
    for unit in analysis.focus:
        out.say()
        out.say(analysis.rankings[unit].explain(out.lang))
        out.say()
        out.say(analysis.roadmaps[unit].explain(out.lang))
    out.say()
    out.say(
        out.t(f"HTML-rapport: {path} ({seconds:.1f} s)", f"HTML report: {path} ({seconds:.1f} s)")
    )
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``demo`` command."""
    p = sub.add_parser(
        "demo",
        parents=[common],
        help="run the main job on the bundled fictional example and write an HTML report",
        description="Score the bundled survey of the fictional 'Zorggroep Voorbeeld', rank"
        " and plan interventions for its weakest units, and write an HTML report.",
    )
    p.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="folder for the report (default: a new ./leercultuur-demo)",
    )
    p.set_defaults(func=_cmd_demo, parser=p)
