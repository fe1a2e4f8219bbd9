"""The accelerator switch: numba is used only when installed and not switched off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from leercultuur import _accel
from leercultuur.scoring import accelerator


@pytest.mark.parametrize("value", ["0", "false", "No", " off "])
def test_environment_variable_switches_kernels_off(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(_accel.ENVIRONMENT_VARIABLE, value)
    assert not _accel.accelerated()
    assert accelerator() is None


@pytest.mark.parametrize("value", ["", "1", "yes"])
def test_kernels_follow_numba_unless_switched_off(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(_accel.ENVIRONMENT_VARIABLE, value)
    assert _accel.accelerated() is _accel._installed()
    name = accelerator()
    assert (name is not None) is _accel._installed()
    if name is not None:
        assert name.startswith("numba ")


def test_forced_overrides_the_environment_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_accel.ENVIRONMENT_VARIABLE, "0")
    with _accel.forced(True):
        assert _accel.accelerated() is _accel._installed()
        with _accel.forced(False):
            assert not _accel.accelerated()
        assert _accel.accelerated() is _accel._installed()
    assert not _accel.accelerated()


def test_forced_restores_after_an_error() -> None:
    before = _accel.accelerated()
    with pytest.raises(RuntimeError), _accel.forced(not before):
        raise RuntimeError
    assert _accel.accelerated() is before


def test_importing_the_library_does_not_import_numba() -> None:
    code = "import sys, leercultuur, leercultuur.scoring; print('numba' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )  # fmt: skip
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(("value", "expected"), [("", None), ("1", True), ("ON", True),
                                                  ("0", False), ("maybe", None)])  # fmt: skip
def test_requested_reads_the_environment_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool | None
) -> None:
    monkeypatch.setenv(_accel.ENVIRONMENT_VARIABLE, value)
    assert _accel.requested() is expected


@pytest.mark.parametrize(("value", "expected"), [("", False), ("1", True), ("0", False)])
def test_the_command_line_scores_with_numpy_unless_asked(
    tmp_path: Path, value: str, expected: bool
) -> None:
    from leercultuur import demo

    code = (
        "import sys; from leercultuur.cli import main\n"
        f"code = main(['score', {str(demo.survey_path())!r}, '--unit', 'team', '--parent', "
        f"'team=afdeling', '--attribute', 'beroep', '--id', 'respondent', '--output', "
        f"{str(tmp_path)!r}])\n"
        "print(code, 'numba' in sys.modules)"
    )
    env = {**os.environ, _accel.ENVIRONMENT_VARIABLE: value}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )  # fmt: skip
    assert out.stdout.strip().splitlines()[-1] == f"0 {expected and _accel._installed()}"
