"""Shared options of the commands that read a survey, a profile or a context."""

from __future__ import annotations

import argparse
from pathlib import Path

import attrs

import leercultuur as lc
from leercultuur.cli._progress import Progress
from leercultuur.cli.files import Organisation, load_organisation, load_profile
from leercultuur.errors import Problem, ValidationError
from leercultuur.instruments import Instrument
from leercultuur.model import Context, CultureProfile
from leercultuur.scoring import ScoreReport

__all__ = [
    "add_context_options",
    "add_registry_option",
    "add_survey_options",
    "read_context",
    "read_profile",
    "read_survey",
    "registry",
    "score_survey",
]


def _pair(text: str) -> tuple[str, str]:
    col, sep, parent = text.partition("=")
    if not sep or not col or not parent:
        raise argparse.ArgumentTypeError(f"expected COL=PARENTCOL, got {text!r}")
    return col, parent


def add_survey_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """Add SURVEY.csv and the options that say how to read and score it."""
    parser.add_argument(
        "survey",
        type=Path,
        nargs=None if required else "?",
        metavar="SURVEY.csv",
        help="survey answers: a CSV file with a header row (',' or ';')",
    )
    g = parser.add_argument_group("survey")
    g.add_argument(
        "--instrument",
        default="builtin.scan",
        metavar="ID|FILE",
        help="the instrument: a registered id or a file (default builtin.scan)",
    )
    g.add_argument("--unit", metavar="COL", help="the column naming each respondent's unit")
    g.add_argument(
        "--parent",
        action="append",
        type=_pair,
        default=[],
        metavar="COL=PARENTCOL",
        help="a level column's parent column, e.g. team=afdeling (repeatable)",
    )
    g.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="COL",
        help="a cross-cut column such as beroep (repeatable)",
    )
    g.add_argument("--id", dest="id_column", metavar="COL", help="the respondent id column")
    g.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="COL",
        help="a further column to skip (repeatable)",
    )
    g.add_argument(
        "--min-group-size",
        type=int,
        default=5,
        metavar="N",
        help="the smallest group whose scores are published (default 5)",
    )
    add_registry_option(parser)


def add_context_options(parser: argparse.ArgumentParser) -> None:
    """Add the organisation file and the context options."""
    g = parser.add_argument_group("context")
    g.add_argument(
        "--organisation",
        type=Path,
        metavar="FILE",
        help="organisation file (TOML/JSON/YAML): context, per-unit contexts, indicators",
    )
    g.add_argument("--sector", help="sector, e.g. elderly_care or hospital")
    g.add_argument("--fte", type=float, help="size of the unit in FTE")
    g.add_argument("--budget", type=float, metavar="EUR", help="learning budget in EUR")
    g.add_argument("--hours", type=float, metavar="H", help="learning hours per FTE")
    g.add_argument("--ict-maturity", type=float, metavar="0-100", help="ICT maturity")


def add_registry_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--no-plugins``: use the built-in records only."""
    parser.add_argument(
        "--no-plugins",
        action="store_true",
        help="use the built-in instruments, interventions and criteria only",
    )


def registry(args: argparse.Namespace) -> lc.Registry:
    """The registry: built-ins and installed plugins, or the built-ins only (``--no-plugins``).

    A broken plugin is left out with a warning.
    """
    if getattr(args, "no_plugins", False):
        return lc.load_registry(entry_points=False)
    return lc.load_registry(on_error="warn")


def _instrument(spec: str, args: argparse.Namespace) -> Instrument:
    path = Path(spec)
    if path.suffix.lower() in {".toml", ".json", ".yaml", ".yml"} or path.exists():
        return lc.load_instrument(path)
    return registry(args).instruments[spec]


def read_survey(args: argparse.Namespace) -> lc.Survey:
    """Read the survey named by the options."""
    if not args.unit:
        args.parser.error("--unit COL is required with a survey")
    instrument = _instrument(args.instrument, args)
    return lc.read_survey_csv(
        args.survey,
        instrument=instrument,
        unit=args.unit,
        parents=dict(args.parent),
        attributes=args.attribute,
        id=args.id_column,
        ignore=args.ignore,
    )


def organisation(args: argparse.Namespace) -> Organisation | None:
    """The organisation file, if one was given."""
    return None if args.organisation is None else load_organisation(args.organisation)


def score_survey(
    args: argparse.Namespace, err: object, org: Organisation | None
) -> tuple[lc.Survey, ScoreReport]:
    """Read and score the survey, with a progress indicator on *err* for slow runs."""
    with Progress(err, "reading") as progress:  # type: ignore[arg-type]
        survey = read_survey(args)
        progress.stage("scoring")
        report = lc.score(
            survey,
            min_group_size=args.min_group_size,
            indicators=() if org is None else org.indicators,
        )
    return survey, report


def read_profile(
    args: argparse.Namespace, err: object, org: Organisation | None
) -> tuple[CultureProfile, lc.Survey | None]:
    """The profile: from ``--profile FILE``, or from the scored survey's ``--cell``."""
    if args.profile is not None and args.survey is not None:
        args.parser.error("give either --profile FILE or a SURVEY.csv with --cell, not both")
    if args.profile is not None:
        return load_profile(args.profile), None
    if args.survey is None:
        args.parser.error("give --profile FILE, or a SURVEY.csv with --unit and --cell")
    if not args.cell:
        args.parser.error("--cell UNIT is required with a survey (e.g. --cell team:ic-1)")
    survey, report = score_survey(args, err, org)
    return report.profile(args.cell), survey


def read_context(
    args: argparse.Namespace,
    org: Organisation | None,
    unit: str,
    survey: lc.Survey | None,
) -> Context:
    """The context of *unit*: the organisation file's (per unit) with options overriding."""
    base: Context | None = None
    if org is not None:
        if survey is not None:
            base = org.contexts(survey.units, survey.parent.tolist()).get(unit, org.context)
        else:
            base = org.context_for(unit)
    overrides = {
        k: v
        for k, v in {
            "sector": args.sector,
            "fte": args.fte,
            "budget_eur": args.budget,
            "hours_per_fte": args.hours,
            "ict_maturity": args.ict_maturity,
        }.items()
        if v is not None
    }
    if base is not None:
        return attrs.evolve(base, **overrides)
    missing = [
        opt for opt, key in (("--sector", "sector"), ("--fte", "fte")) if key not in overrides
    ]
    if missing:
        raise ValidationError(
            [Problem("context", f"give --organisation FILE or {' and '.join(missing)}")]
        )
    return Context(**overrides)
