"""Every demo runs end to end in quick mode, so none of them rots."""

import pathlib
import runpy

import pytest

DEMOS = sorted((pathlib.Path(__file__).resolve().parents[1] / "demos").glob("*.py"))


def test_there_are_demos():
    assert DEMOS


@pytest.mark.integration
@pytest.mark.parametrize("path", DEMOS, ids=lambda p: p.name)
def test_demo_runs_in_quick_mode(path, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PLATEAU_PL_QUICK", "1")
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(path), run_name="__main__")
    assert capsys.readouterr().out.strip()
