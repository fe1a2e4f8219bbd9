from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leercultuur as lc
from leercultuur.cli import main


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_schema_is_json() -> None:
    code, out, _ = run(["schema", "catalogue"])
    assert code == 0
    assert json.loads(out)["$schema"].startswith("https://json-schema.org/")


def test_catalogue_check_reports_bad_file_with_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[interventions]]\nid = "x.y"\ncost = { eur_once = "veel" }\n')
    code, _, err = run(["catalogue", "check", str(bad)])
    assert code == 1
    assert "interventions[0].cost.eur_once: expected a number, got 'veel'" in err
    assert "Traceback" not in err


def test_catalogue_check_valid_builtin_catalogue_in_dutch() -> None:
    from importlib import resources

    path = resources.files("leercultuur.builtin") / "catalogue.toml"
    code, out, _ = run(["--lang", "nl", "catalogue", "check", str(path)])
    assert code == 0
    assert "geldig" in out


def test_plugins_lists_builtins_as_json() -> None:
    code, out, _ = run(["plugins", "--json"])
    assert code == 0
    names = [p["name"] for p in json.loads(out)["plugins"]]
    assert names[:3] == ["builtin.model", "builtin.catalogue", "builtin.rules"]


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2


# -- round 2: demo, score, match, plan, schema instrument --------------------------------------

DEMO_SURVEY = ["--unit", "team", "--parent", "team=afdeling", "--attribute", "beroep"]
DEMO_SURVEY += ["--id", "respondent"]


def demo_csv() -> str:
    from leercultuur import demo

    return str(demo.survey_path())


def demo_org() -> str:
    from leercultuur import demo

    return str(demo.organisation_path())


def test_schema_instrument() -> None:
    code, out, _ = run(["schema", "instrument"])
    assert code == 0
    assert "items" in json.loads(out)["properties"]


def test_demo_writes_the_report_and_prints_the_main_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["--lang", "nl", "demo"])
    assert code == 0, err
    assert err == ""  # no progress bar when stderr is not a terminal
    report = tmp_path / "leercultuur-demo" / "rapport.html"
    assert report.is_file()
    assert str(report) in out.splitlines()[-1]
    assert "FICTIEF" in out
    assert "team:wijkteam-oost" in out
    assert "n<5" in out
    assert "alpha" in out
    assert "rwg(j)" in out
    assert "Aanbevelingen voor team:de-linde" in out
    assert "Routekaart voor" in out
    code, out, _ = run(["demo", "--lang", "en"])  # a second run makes a new folder
    assert code == 0
    assert (tmp_path / "leercultuur-demo-2" / "report.html").is_file()


def test_demo_json_and_output(tmp_path: Path) -> None:
    code, out, _ = run(["demo", "--json", "--output", str(tmp_path / "r")])
    assert code == 0
    data = json.loads(out)
    assert data["fictional"] is True
    assert data["focus"][0] in data["rankings"]
    assert data["report"] == str(tmp_path / "r" / "report.html")
    withheld = [c for c in data["scores"]["cells"] if c["status"] == "suppressed"]
    assert all(c["mean"] is None for c in withheld)


def test_score_prints_withheld_units_and_writes_files(tmp_path: Path) -> None:
    code, out, err = run(["score", demo_csv(), *DEMO_SURVEY, "--output", str(tmp_path)])
    assert code == 0, err
    line = next(x for x in out.splitlines() if x.startswith("team:wijkteam-west"))
    assert line.split()[1:-1] == ["n<5"] * 7
    assert line.split()[-1] == "3"
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"scores.csv", "reliability.csv", "report.json", "heatmap.svg"}
    import csv

    with (tmp_path / "scores.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["cell"] == "team:wijkteam-west"]
    assert len(rows) == 10
    assert {(r["status"], r["reason"], r["mean"]) for r in rows} == {
        ("suppressed", "below_threshold", "")
    }
    # n: the team's respondents with a score on each dimension (3 people, 2 on some)
    assert {r["n"] for r in rows} == {"2", "3"}


def test_score_json_equals_the_library(tmp_path: Path) -> None:
    import leercultuur as lc
    from leercultuur import demo

    code, out, _ = run(["score", demo_csv(), *DEMO_SURVEY, "--json", "--min-group-size", "6"])
    assert code == 0
    data = json.loads(out)
    data.pop("written")
    expected = json.loads(lc.score(demo.load_survey(), min_group_size=6).to_json())
    assert data == expected


def test_score_bad_value_exits_1_naming_row_and_item(tmp_path: Path) -> None:
    lines = Path(demo_csv()).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    row = lines[3].split(";")
    row[header.index("VL2")] = "9"
    lines[3] = ";".join(row)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(["score", str(bad), *DEMO_SURVEY])
    assert code == 1
    assert out == ""
    assert "row 3, item VL2: 9 is outside 1..5" in err
    assert "Traceback" not in err


def test_score_unknown_instrument_and_missing_file_exit_1(tmp_path: Path) -> None:
    code, _, err = run(["score", demo_csv(), "--unit", "team", "--instrument", "no.such"])
    assert code == 1
    assert "no.such" in err
    code, _, err = run(["score", str(tmp_path / "none.csv"), "--unit", "team"])
    assert code == 1
    assert "cannot read the file" in err


def test_score_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        run(["score", demo_csv()])  # --unit missing
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        run(["score", demo_csv(), "--unit", "team", "--parent", "team"])
    assert info.value.code == 2


def write_profile(tmp_path: Path) -> Path:
    path = tmp_path / "profiel.toml"
    path.write_text(
        'unit = "team:a"\n[scores]\nsafety = 45\ninteraction = { value = 30, n = 12 }\n',
        encoding="utf-8",
    )
    return path


def test_match_from_a_profile_file_equals_the_library(tmp_path: Path) -> None:
    import leercultuur as lc

    profile = write_profile(tmp_path)
    argv = ["match", "--no-plugins", "--profile", str(profile), "--sector", "hospital"]
    argv += ["--fte", "10"]
    argv += ["--budget", "20000", "--hours", "40", "--top", "3", "--json"]
    code, out, err = run(argv)
    assert code == 0, err
    context = lc.Context(sector="hospital", fte=10, budget_eur=20000, hours_per_fte=40)
    expected = lc.match(
        lc.CultureProfile(
            "team:a",
            {"safety": lc.DimensionScore(45), "interaction": lc.DimensionScore(30, n=12)},
        ),
        context,
    ).top(3)
    assert json.loads(out) == json.loads(expected.to_json())


def test_match_from_a_survey_cell_uses_the_units_context(tmp_path: Path) -> None:
    argv = ["--lang", "nl", "match", demo_csv(), *DEMO_SURVEY, "--cell", "team:de-linde"]
    argv += ["--organisation", demo_org(), "--output", str(tmp_path)]
    code, out, err = run(argv)
    assert code == 0, err
    assert out.startswith("Aanbevelingen voor team:de-linde")
    assert "het budget is EUR 14,000" in out  # the verpleeghuis context, not the whole org's
    assert json.loads((tmp_path / "ranking.json").read_text())["unit"] == "team:de-linde"


def test_plan_with_options_overriding_the_organisation(tmp_path: Path) -> None:
    profile = write_profile(tmp_path)
    argv = ["plan", "--profile", str(profile), "--organisation", demo_org()]
    argv += ["--budget", "5000", "--json"]
    code, out, err = run(argv)
    assert code == 0, err
    data = json.loads(out)
    assert data["budget_eur"] == 5000
    assert sum(p["cost_eur"] for p in data["phases"]) <= 5000


def test_match_input_errors(tmp_path: Path) -> None:
    profile = write_profile(tmp_path)
    code, _, err = run(["match", "--profile", str(profile)])
    assert code == 1
    assert "--organisation FILE or --sector and --fte" in err
    bad = tmp_path / "bad.toml"
    bad.write_text('unit = "team:a"\n[scores]\nsafety = 140\n', encoding="utf-8")
    code, _, err = run(["match", "--profile", str(bad), "--sector", "x", "--fte", "3"])
    assert code == 1
    assert "scores.safety" in err
    org = tmp_path / "org.toml"
    org.write_text('[context]\nsector = "x"\nfte = -1\n', encoding="utf-8")
    code, _, err = run(["match", "--profile", str(profile), "--organisation", str(org)])
    assert code == 1
    assert "context.fte" in err
    with pytest.raises(SystemExit) as info:
        run(["match"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        run(["plan", demo_csv(), *DEMO_SURVEY, "--sector", "x", "--fte", "3"])  # no --cell
    assert info.value.code == 2


def test_progress_is_quiet_off_a_terminal_and_draws_on_one() -> None:
    import time

    from leercultuur.cli._progress import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet = io.StringIO()
    with Progress(quiet, "scoring", delay=0.0):
        time.sleep(0.3)
    assert quiet.getvalue() == ""
    tty = Tty()
    with Progress(tty, "scoring", delay=0.0) as progress:
        deadline = time.monotonic() + 5
        while not progress.shown and time.monotonic() < deadline:
            time.sleep(0.05)
    assert progress.shown
    assert "scoring" in tty.getvalue()
    assert tty.getvalue().endswith("\r")


def test_python_dash_m_runs_the_demo(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "leercultuur", "demo", "--output", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "report.html").is_file()


@settings(max_examples=40, deadline=None)
@given(
    scores=st.dictionaries(
        st.sampled_from(["safety", "interaction", "autonomy", "resources.ict", "commitment"]),
        st.floats(0, 100, allow_nan=False),
        min_size=1,
    ),
    fmt=st.sampled_from(["toml", "json"]),
)
def test_profile_file_round_trips(scores: dict[str, float], fmt: str) -> None:
    import tempfile

    from leercultuur.cli.files import load_profile

    if fmt == "json":
        text = json.dumps({"unit": "team:x", "scores": scores})
    else:
        body = "\n".join(f'"{k}" = {v!r}' for k, v in scores.items())
        text = f'unit = "team:x"\n[scores]\n{body}\n'
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"p.{fmt}"
        path.write_text(text, encoding="utf-8")
        profile = load_profile(path)
    assert profile.unit == "team:x"
    assert {k: profile.value(k) for k in scores} == scores


def test_organisation_file_reports_every_problem(tmp_path: Path) -> None:
    from leercultuur.cli.files import load_organisation

    path = tmp_path / "org.toml"
    path.write_text(
        '[context]\nsector = "zorg"\nfte = 10\n[units."team:a"]\nfte = -2\n'
        '[[indicators]]\nid = "x"\ndimension = "safety"\nvalue = 1\nunit = "%"\n'
        'transform = { kind = "cubic" }\n'
        '[[indicators]]\nid = "y"\ndimension = "safety"\nvalue = 1\nunit = "%"\n'
        'transform = { kind = "linear", lo = 0 }\ncolour = "red"\n',
        encoding="utf-8",
    )
    with pytest.raises(lc.ValidationError) as info:
        load_organisation(path)
    where = [p.location for p in info.value.problems]
    assert where == [
        "units.team:a.fte",
        "indicators[0].transform.kind",
        "indicators[1].colour",
        "indicators[1].transform.hi",
    ]
    assert str(path) in str(info.value)


def test_score_with_an_instrument_file(tmp_path: Path) -> None:
    from leercultuur.builtin.instruments import SCAN

    path = tmp_path / "scan.toml"
    lc.dump_instrument(SCAN, path)
    argv = ["score", demo_csv(), *DEMO_SURVEY, "--instrument", str(path), "--json"]
    code, out, err = run(argv)
    assert code == 0, err
    by_file = json.loads(out)
    code, out, _ = run(["score", demo_csv(), *DEMO_SURVEY, "--json"])
    by_id = json.loads(out)
    assert by_file == by_id


def test_catalogue_check_knows_namespaced_dimensions_and_their_facets(tmp_path: Path) -> None:
    # a plugin's dimension id has a dot of its own: zorg_x.werkdruk, facet zorg_x.werkdruk.tijd
    text = """
[[dimensions]]
id = "zorg_x.werkdruk"
kind = "custom"
label = { nl = "Werkdruk", en = "Workload" }
facets = [{ id = "tijd", label = { nl = "Tijd", en = "Time" } }]

[[interventions]]
id = "zorg_x.rooster"
name = { nl = "Rooster", en = "Roster" }
summary = { nl = "Tijd voor leren.", en = "Time to learn." }
approaches = ["workplace"]
effects = { "zorg_x.werkdruk" = "moderate" }
requirements = { "zorg_x.werkdruk.tijd" = 20 }
evidence = [{ level = "none_recorded" }]
"""
    path = tmp_path / "catalogus.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run(["catalogue", "check", str(path)])
    assert (code, err) == (0, "")
    path.write_text(text.replace('"zorg_x.werkdruk.tijd"', '"zorg_x.werkdruk.geld"'))
    code, _, err = run(["catalogue", "check", str(path)])
    assert code == 1
    assert "requirements.zorg_x.werkdruk.geld: dimension 'zorg_x.werkdruk' has no facet" in err
