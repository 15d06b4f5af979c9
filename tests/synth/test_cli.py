"""The command line: options, the output-folder guard and python -m."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from footprint.synth.cli import build_parser, main

TINY = ["--scale", "0.01", "--months", "1", "--start-month", "2025-01", "--quiet"]


def test_defaults_match_the_documented_run():
    args = build_parser().parse_args([])
    assert (args.months, args.start_month, args.scale, args.seed) == (24, "2024-11", 1.0, 20240401)
    assert args.faults is None and not args.quiet and not args.overwrite and args.out is None


def test_a_run_prints_its_speed_and_records_it(tmp_path: Path, capsys):
    out = tmp_path / "landing"
    assert main([*TINY, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "rows/s" in printed
    run = json.loads((out / "_generator" / "truth.json").read_text())["run"]
    assert run["rows_per_second"] > 0 and run["elapsed_seconds"] > 0


def test_a_non_empty_folder_is_refused_unless_overwriting_and_then_only_ours_is_cleared(
    tmp_path: Path, capsys
):
    out = tmp_path / "landing"
    (out / "trust" / "ae_attendances").mkdir(parents=True)
    stale = out / "trust" / "ae_attendances" / "stale.csv"
    stale.write_text("x\n")
    foreign = out / "notes.txt"
    foreign.write_text("keep me\n")
    assert main([*TINY, "--out", str(out)]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert stale.exists()
    assert main([*TINY, "--out", str(out), "--overwrite"]) == 0
    assert not stale.exists() and foreign.read_text() == "keep me\n"
    assert (out / "_generator" / "faults.csv").exists()


def test_bad_options_are_explained_not_raised(tmp_path: Path, capsys):
    assert main([*TINY, "--out", str(tmp_path / "a"), "--faults", "gremlins"]) == 2
    assert "unknown fault kind" in capsys.readouterr().err
    assert main([*TINY, "--out", str(tmp_path / "b"), "--scale", "0"]) == 2
    assert main([*TINY, "--out", str(tmp_path / "c"), "--start-month", "2025/01"]) == 2


def test_python_dash_m_runs_the_same_command(tmp_path: Path):
    out = tmp_path / "landing"
    result = subprocess.run(
        [sys.executable, "-m", "footprint.synth", *TINY, "--out", str(out), "--faults", "bom"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert "fault(s) injected" in result.stdout
    faults = (out / "_generator" / "faults.csv").read_text().splitlines()
    assert faults[0] == "file,row,fault,detail" and len(faults) > 1
