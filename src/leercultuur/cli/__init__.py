"""The ``leercultuur`` command (also ``python -m leercultuur``).

Exit codes: 0 when all went well, 1 for bad input (the located error is
printed on standard error, without a traceback), 2 for wrong usage.

>>> from leercultuur.cli import main
>>> main(["schema", "catalogue"]) == 0  # doctest: +ELLIPSIS
{...
True
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

import leercultuur as lc
from leercultuur import _accel
from leercultuur._loader import unknown_reference
from leercultuur.errors import LeercultuurError
from leercultuur.model import Lang

__all__ = ["Output", "build_parser", "main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2


@attrs.frozen
class Output:
    """Where and how a command writes: language, JSON or text, and the streams."""

    lang: Lang = "en"
    json: bool = False
    out: TextIO = attrs.field(factory=lambda: sys.stdout)
    err: TextIO = attrs.field(factory=lambda: sys.stderr)

    def say(self, text: str = "") -> None:
        """Write a line of text (ignored in JSON mode)."""
        if not self.json:
            print(text, file=self.out)

    def data(self, payload: Any) -> None:
        """Write *payload* as JSON (in JSON mode only)."""
        if self.json:
            json.dump(payload, self.out, ensure_ascii=False, indent=2, sort_keys=False)
            print(file=self.out)

    def t(self, nl: str, en: str) -> str:
        """Pick the Dutch or English text."""
        return nl if self.lang == "nl" else en


Command = Callable[[argparse.Namespace, Output], int]


def _cmd_schema(args: argparse.Namespace, out: Output) -> int:
    schemas: dict[str, Callable[[], dict[str, Any]]] = {
        "catalogue": lc.catalogue_schema,
        "instrument": lc.instrument_schema,
    }
    schema = schemas[args.kind]()
    json.dump(schema, out.out, ensure_ascii=False, indent=2)
    print(file=out.out)
    return EXIT_OK


def _cmd_catalogue_check(args: argparse.Namespace, out: Output) -> int:
    catalogue = lc.load_catalogue(args.file)
    registry = lc.load_registry(on_error="warn")
    known = dict(registry.dimensions)
    known.update({d.id: d for d in catalogue.dimensions})
    problems: list[lc.Problem] = []
    for i, iv in enumerate(catalogue.interventions):
        refs = [
            *(f"effects.{d}" for d in iv.effects),
            *(f"requirements.{d}" for d in iv.requirements),
            *(f"contra_indications[{j}].dimension" for j in range(len(iv.contra_indications))),
        ]
        targets = [*iv.effects, *iv.requirements, *(c.dimension for c in iv.contra_indications)]
        for place, ref in zip(refs, targets, strict=True):
            # the registry's own rule: plugin dimension ids have dots (zorg_x.werkdruk.tijd)
            problem = unknown_reference(known, ref)
            if problem:
                problems.append(lc.Problem(f"interventions[{i}].{place}", problem))
    if problems:
        raise lc.CatalogueError(problems, source=str(args.file))
    findings = list(lc.lint(catalogue.interventions, registry.evidence_rules))
    out.data(
        {
            "file": str(args.file),
            "interventions": len(catalogue.interventions),
            "dimensions": len(catalogue.dimensions),
            "findings": [
                {
                    "intervention": f.intervention,
                    "rule": f.rule.id,
                    "verdict": f.rule.verdict.value,
                    "message": f.rule.message.get(out.lang),
                    "citations": list(f.rule.citations),
                }
                for f in findings
            ],
        }
    )
    out.say(
        out.t(
            f"{args.file}: {len(catalogue.interventions)} interventies, "
            f"{len(catalogue.dimensions)} dimensies; geldig.",
            f"{args.file}: {len(catalogue.interventions)} interventions, "
            f"{len(catalogue.dimensions)} dimensions; valid.",
        )
    )
    for finding in findings:
        out.say(
            f"  {finding.intervention}: [{finding.rule.verdict.value}] {finding.explain(out.lang)}"
        )
    blocking = [f for f in findings if f.blocking]
    return EXIT_BAD_INPUT if (args.strict and blocking) else EXIT_OK


def _cmd_plugins(args: argparse.Namespace, out: Output) -> int:
    registry = lc.load_registry(on_error="warn")
    rows = []
    for info in registry.plugins:
        counts = {
            kind: sum(1 for (k, _), src in registry.sources.items() if k == kind and src == info)
            for kind in registry.records
        }
        rows.append(
            {
                "name": info.name,
                "distribution": info.distribution,
                "version": info.version,
                **counts,
            }
        )
    failures = [
        {"plugin": f.plugin, "distribution": f.distribution, "hook": f.hook, "error": f.detail}
        for f in registry.failures
    ]
    out.data({"plugins": rows, "failures": failures})
    out.say(out.t("Geladen plugins:", "Loaded plugins:"))
    for row in rows:
        where = f" ({row['distribution']} {row['version']})" if row["distribution"] else ""
        summary = ", ".join(f"{v} {k}" for k, v in row.items() if k in registry.records and v)
        out.say(f"  {row['name']}{where}: {summary or '-'}")
    if failures:
        out.say(out.t("Mislukt:", "Failed:"))
        for failure in registry.failures:
            out.say(f"  {failure}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``leercultuur`` command."""
    parser = argparse.ArgumentParser(
        prog="leercultuur",
        description="Score a learning culture, match and plan interventions"
        " (Een Leven Lang Leren).",
    )
    parser.add_argument("--lang", choices=["nl", "en"], default="en", help="output language")
    parser.add_argument("--json", action="store_true", help="machine-readable JSON output")
    # the same options after the command; SUPPRESS keeps a value given before the command
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["nl", "en"], default=argparse.SUPPRESS)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"%(prog)s {lc.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    schema = sub.add_parser("schema", parents=[common], help="print a file format's JSON Schema")
    schema.add_argument("kind", nargs="?", default="catalogue", choices=["catalogue", "instrument"])
    schema.set_defaults(func=_cmd_schema)

    catalogue = sub.add_parser("catalogue", parents=[common], help="work with catalogue files")
    catalogue_sub = catalogue.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = catalogue_sub.add_parser(
        "check", parents=[common], help="load, validate and lint a catalogue file"
    )
    check.add_argument("file", type=Path)
    check.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when an intervention rests on a debunked premise",
    )
    check.set_defaults(func=_cmd_catalogue_check)

    plugins = sub.add_parser("plugins", parents=[common], help="list loaded and failed plugins")
    plugins.set_defaults(func=_cmd_plugins)

    from leercultuur.cli import _advice, _demo, _score

    _demo.register(sub, common)
    _score.register(sub, common)
    _advice.register(sub, common)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line with *argv* (default: ``sys.argv``); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Output(lang=args.lang, json=args.json, out=stdout or sys.stdout, err=stderr or sys.stderr)
    func: Command = args.func
    # numba's kernels cost a one-off process more to load than they save: numpy unless asked
    try:
        with _accel.forced(_accel.requested() is True):
            return func(args, out)
    except LeercultuurError as exc:
        print(f"leercultuur: {exc}", file=out.err)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return EXIT_OK
