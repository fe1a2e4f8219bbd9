"""``leercultuur match`` and ``leercultuur plan``: rank and sequence interventions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

import leercultuur as lc
from leercultuur.cli._inputs import (
    add_context_options,
    add_survey_options,
    organisation,
    read_context,
    read_profile,
    registry,
)

if TYPE_CHECKING:
    from leercultuur.cli import Output

__all__ = ["register"]


def _inputs(args: argparse.Namespace, out: Output) -> tuple[lc.CultureProfile, lc.Context]:
    org = organisation(args)
    profile, survey = read_profile(args, out.err, org)
    return profile, read_context(args, org, profile.unit, survey)


def _write(out: Output, folder: Path | None, name: str, text: str) -> None:
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    if not out.json:
        out.say(out.t(f"Geschreven: {path}", f"Wrote: {path}"))


def _cmd_match(args: argparse.Namespace, out: Output) -> int:
    profile, context = _inputs(args, out)
    ranking = lc.match(
        profile,
        context,
        registry=registry(args),
        method=args.method,
        allow_debunked=args.allow_debunked,
    ).top(args.top)
    payload = ranking.to_dict()
    out.data(payload)
    out.say(ranking.explain(out.lang))
    _write(out, args.output, "ranking.json", ranking.to_json(indent=2))
    return 0


def _cmd_plan(args: argparse.Namespace, out: Output) -> int:
    profile, context = _inputs(args, out)
    roadmap = lc.plan(
        profile,
        context,
        registry=registry(args),
        max_phases=args.max_phases,
        max_per_phase=args.max_per_phase,
        target=args.target,
        allow_debunked=args.allow_debunked,
    )
    out.data(roadmap.to_dict())
    out.say(roadmap.explain(out.lang))
    _write(out, args.output, "roadmap.json", roadmap.to_json(indent=2))
    return 0


def _profile_options(p: argparse.ArgumentParser) -> None:
    add_survey_options(p, required=False)
    g = p.add_argument_group("profile")
    g.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="a profile file (TOML/JSON/YAML) instead of a survey",
    )
    g.add_argument(
        "--cell", metavar="UNIT", help="with a survey: the unit (or cell) to advise, e.g. team:ic-1"
    )
    add_context_options(p)
    p.add_argument(
        "--allow-debunked",
        action="store_true",
        help="rank interventions resting on a debunked premise (with a warning)",
    )
    p.add_argument("--output", type=Path, metavar="DIR", help="also write the result as JSON here")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``match`` and ``plan`` commands."""
    m = sub.add_parser(
        "match",
        parents=[common],
        help="rank interventions for a unit's profile and context",
        description="Rank the interventions that fit a unit's profile and context, with the"
        " reasons for each and the blocked ones.",
    )
    _profile_options(m)
    m.add_argument("--top", type=int, default=5, metavar="N", help="show the N best (default 5)")
    m.add_argument("--method", choices=["weighted_sum", "topsis"], default="weighted_sum")
    m.set_defaults(func=_cmd_match, parser=m)
    p = sub.add_parser(
        "plan",
        parents=[common],
        help="sequence interventions into a roadmap, preconditions first",
        description="Sequence interventions into phases within the budget and hours:"
        " unmet preconditions first, then what they unlock.",
    )
    _profile_options(p)
    p.add_argument("--max-phases", type=int, default=3, metavar="N")
    p.add_argument("--max-per-phase", type=int, default=3, metavar="N")
    p.add_argument(
        "--target",
        type=float,
        default=60.0,
        metavar="0-100",
        help="a precondition below this counts as unmet (default 60)",
    )
    p.set_defaults(func=_cmd_plan, parser=p)
