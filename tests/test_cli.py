from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

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
