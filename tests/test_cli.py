"""The plateau-pl command line."""

import json
import subprocess
import sys

import pytest

from plateau_pl.cli import build_parser, main


@pytest.mark.integration
def test_reproduce_quick_writes_records_and_summary(tmp_path, capsys):
    assert main(["reproduce", "--quick", "--out", str(tmp_path)]) == 0
    recs = [json.loads(x) for x in (tmp_path / "records.jsonl").read_text().splitlines()]
    assert [r["n_hidden"] for r in recs] == list(range(6))
    summary = (tmp_path / "summary.md").read_text()
    assert "| n_hidden | trace distance |" in summary and "grad_variance: slope" in summary
    assert "wrote" in capsys.readouterr().out
    # the paper's effect: the visible state approaches I/2 and gradients vanish
    assert recs[-1]["trace_distance"] < 0.5 * recs[1]["trace_distance"]
    assert recs[-1]["grad_variance"] < 0.1 * recs[1]["grad_variance"]


def test_help_lists_every_subcommand():
    text = build_parser().format_help()
    for cmd in ("reproduce", "info"):
        assert cmd in text


def test_user_error_exits_2(tmp_path, capsys):
    assert main(["reproduce", "--quick", "--device", "no.such", "--out", str(tmp_path)]) == 2
    assert "unknown device 'no.such'" in capsys.readouterr().err
    assert not (tmp_path / "records.jsonl").exists()


def test_console_script_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "plateau_pl.cli", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.startswith("plateau_pl ")
