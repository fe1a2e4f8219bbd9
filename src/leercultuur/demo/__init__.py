"""The bundled FICTIONAL example: a survey of "Zorggroep Voorbeeld (fictief)".

Zorggroep Voorbeeld is an invented care organisation (elderly care, 85 FTE) with three
departments (afdelingen: wijkzorg, verpleeghuis, revalidatie) and eight teams, whose 86
fictional staff answered the built-in scan ``builtin.scan``. Two teams have fewer than five
respondents, so their scores are withheld; the department *verpleeghuis* (team *de-linde*
above all) has a low psychological safety. No real organisation, team or person is
described: :mod:`leercultuur.demo.generate` drew every answer with a fixed seed.

>>> from leercultuur import demo
>>> survey = demo.load_survey()
>>> survey
<Survey builtin.scan: 86 respondents x 24 items; units: 8 team, 3 afdeling>
>>> demo.organisation().name
'Zorggroep Voorbeeld (fictief)'
>>> demo.context("afdeling:verpleeghuis").fte
28.0
>>> sorted(i.dimension for i in demo.indicators())
['resources.finance', 'resources.ict', 'resources.staff']
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from leercultuur.cli.files import Organisation, load_organisation
from leercultuur.model import Context
from leercultuur.scoring.indicators import Indicator
from leercultuur.survey import Survey, read_survey_csv

if TYPE_CHECKING:
    from leercultuur.report import Analysis

__all__ = [
    "NAME",
    "analysis",
    "context",
    "indicators",
    "load_survey",
    "organisation",
    "organisation_path",
    "run_demo",
    "survey_path",
]

NAME = "Zorggroep Voorbeeld (fictief)"
"""The fictional organisation's name, with its label."""

_DATA = Path(__file__).with_name("data")


def survey_path() -> Path:
    """The bundled CSV (semicolon-separated; see :mod:`leercultuur.demo.generate`)."""
    return _DATA / "antwoorden.csv"


def organisation_path() -> Path:
    """The bundled organisation file (context, per-department contexts, indicators)."""
    return _DATA / "organisatie.toml"


def load_survey() -> Survey:
    """Read the bundled survey: unit ``team`` under ``afdeling``, cross-cut ``beroep``."""
    from leercultuur.builtin.instruments import SCAN

    return read_survey_csv(
        survey_path(),
        instrument=SCAN,
        unit="team",
        parents={"team": "afdeling"},
        attributes=["beroep"],
        id="respondent",
    )


def organisation() -> Organisation:
    """The bundled organisation file, parsed."""
    return load_organisation(organisation_path())


def context(unit: str | None = None) -> Context:
    """The (fictional) context of *unit* (e.g. ``"afdeling:wijkzorg"``) or of the organisation.

    A team gets its department's context.
    """
    org = organisation()
    if unit is None:
        return org.context
    survey = load_survey()
    return org.contexts(survey.units, survey.parent.tolist()).get(unit, org.context)


def indicators() -> tuple[Indicator, ...]:
    """The (fictional) objective indicators: learning hours, training budget, laptops."""
    return organisation().indicators


def analysis(*, n_focus: int = 2, top: int = 5) -> Analysis:
    """Score the bundled survey with its indicators and advise its weakest units."""
    from leercultuur.report import analyse
    from leercultuur.scoring import score

    survey = load_survey()
    org = organisation()
    report = score(survey, indicators=org.indicators)
    return analyse(
        report,
        org.contexts(survey.units, survey.parent.tolist()),
        n_focus=n_focus,
        top=top,
        title=org.name or NAME,
        fictional=org.fictional,
    )


def run_demo(output: str | Path | None = None, *, lang: str = "nl") -> Path:
    """Run the main job on the example and write the HTML report into the folder *output*.

    The default folder is a new ``leercultuur-demo`` under the current directory (numbered
    if it exists). Returns the report's path.
    """
    from leercultuur.report import write_report
    from leercultuur.report._html import new_folder

    folder = new_folder(Path.cwd() / "leercultuur-demo") if output is None else Path(output)
    return write_report(analysis(), folder, lang="nl" if lang == "nl" else "en")
