"""The benchmark harness (bench/): measurement, medians, ratios, targets, the plain load
and a tiny run end to end. Timings are never asserted: only that they are measured and
computed right."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pytest

from bench import report
from bench.__main__ import main
from bench.job_steps import stage_of, stage_seconds
from bench.measure import Sample, run_measured, summarise
from bench.plain_duckdb import load
from bench.workspace import dataset
from footprint.contracts import all_contracts

ALLOCATE = "b = bytearray({mib} * 2**20); b[::4096] = b'x' * len(b[::4096]){after}"


def _sample(step: str, seconds: float, peak: int = 1, returncode: int = 0) -> Sample:
    return Sample(step, seconds, peak, returncode, log="log", load_average="0.00 0.00 0.00")


def test_peak_memory_covers_the_child(tmp_path: Path) -> None:
    command = [sys.executable, "-c", ALLOCATE.format(mib=200, after="")]
    sample = run_measured("alloc", command, env={}, cwd=tmp_path, log=tmp_path / "log")
    assert sample.returncode == 0
    assert 200 * 2**20 < sample.peak_rss_bytes < 400 * 2**20


def test_peak_memory_sums_processes_alive_together(tmp_path: Path) -> None:
    """A parent holding 150 MiB while its child holds 150 MiB peaks above either."""
    child = ALLOCATE.format(mib=150, after="; import time; time.sleep(1.5)")
    run_child = f"; import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    parent = ALLOCATE.format(mib=150, after=run_child)
    sample = run_measured(
        "tree", [sys.executable, "-c", parent], env={}, cwd=tmp_path, log=tmp_path / "log"
    )
    assert sample.returncode == 0, (tmp_path / "log").read_text()
    assert sample.peak_rss_bytes > 300 * 2**20


def test_failed_step_is_recorded_and_has_no_time(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "raise SystemExit(3)"]
    failed = run_measured("fails", command, env={}, cwd=tmp_path, log=tmp_path / "log")
    assert failed.returncode == 3
    summary = summarise([failed, _sample("fails", 5.0)])["fails"]
    assert (summary.failures, summary.median_seconds) == (1, 5.0)
    assert summarise([failed])["fails"].median_seconds is None


def test_median_spread_and_worst_peak_per_step() -> None:
    samples = [
        _sample("full_job", 30.0, peak=100),
        _sample("pandas", 9.0),
        _sample("full_job", 10.0, peak=300),
        _sample("full_job", 20.0, peak=200),
    ]
    summaries = summarise(samples)
    assert list(summaries) == ["full_job", "pandas"]
    full = summaries["full_job"]
    assert (full.median_seconds, full.min_seconds, full.max_seconds) == (20.0, 10.0, 30.0)
    assert full.peak_rss_bytes == 300
    assert report.medians([{"a": 1.0, "b": 4.0}, {"a": 3.0}, {"a": 2.0}]) == {"a": 2.0, "b": 4.0}


def test_ratios_and_targets() -> None:
    summaries = summarise(
        [
            _sample("full_job", 50.0, peak=5 * 2**30),
            _sample("incremental_job", 4.0, peak=2**30),
            _sample("plain_duckdb", 40.0),
            _sample("pandas", 200.0),
        ]
    )
    stages = {"full_job": {"ingest": 10.0, "dbt_build": 30.0}}
    plain = {"load_seconds": 5.0, "transform_seconds": 35.0}
    found = report.ratios(summaries, stages, plain, rows=1000, size_bytes=2_000_000)
    assert found["full_job / plain_duckdb"] == 1.25
    assert found["pandas / full_job"] == 4.0
    assert found["incremental_job / full_job"] == 0.08
    assert found["job ingest / plain load"] == 2.0
    assert found["job dbt build / plain transform"] == 0.857
    assert found["job ingest rows per second"] == 100
    assert report.ratio(1.0, None) is None and report.ratio(1.0, 0.0) is None

    status = {t["target"]: t["status"] for t in report.targets(10, summaries, found)}
    assert status == {
        "nightly job from an empty warehouse, seconds": "met (the target is set for scale 1)",
        "full job / plain DuckDB script": "met",
        "pandas / full job": "missed",
        "incremental night / full job": "met",
        "peak memory of the job, GiB": "missed",
    }


def test_dagster_steps_are_grouped_into_stages() -> None:
    feed = all_contracts()[0].name
    steps = {
        f"raw__{feed}": 2.0,
        "delivered_on_time": 0.5,
        "footprint_dbt_assets": 30.0,
        "published__footprint": 3.0,
    }
    assert stage_of("delivered_on_time") == "checks"
    assert stage_seconds(steps) == {
        "ingest": 2.0,
        "checks": 0.5,
        "dbt_build": 30.0,
        "publish": 3.0,
    }


def test_plain_load_reads_every_row(tmp_path: Path) -> None:
    data = dataset(tmp_path, 0.02, 2)  # two months: the quarterly Excel feed is there
    connection = duckdb.connect(str(tmp_path / "footprint.duckdb"))
    load(connection, data.landing, key="k")
    for contract in all_contracts():
        folder = data.landing / contract.organisation / contract.feed
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        (rows,) = connection.execute(f"select count(*) from raw.{contract.name}").fetchone()
        (manifested,) = connection.execute(
            "select sum(rows_loaded) from raw.load_manifest where organisation = ? and feed = ?",
            [contract.organisation, contract.feed],
        ).fetchone()
        assert rows == manifested
        if contract.kind in ("csv", "jsonl"):
            lines = sum(len(p.read_text().splitlines()) for p in files)
            assert rows == lines - (len(files) if contract.kind == "csv" else 0)
        else:
            assert rows > 0
    (periods,) = connection.execute(
        "select count(*) from raw.load_manifest where period_start is null or period_end is null"
    ).fetchone()
    assert periods == 0


def test_tiny_run_writes_results(tmp_path: Path) -> None:
    """Generation, hold-back of the last day, the CLI, pandas and the result files."""
    status = main(
        ["--scale", "0.02", "--months", "2", "--repeats", "2", "--steps", "pandas",
         "--workdir", str(tmp_path), "--results", str(tmp_path / "results")]
    )  # fmt: skip
    assert status == 0
    data = dataset(tmp_path, 0.02, 2)
    assert any(data.holdback.rglob("*.csv")) and any(data.holdback.rglob("*.jsonl"))
    assert not any(data.holdback.rglob("*.xlsx"))  # quarterly, not daily
    (result_file,) = (tmp_path / "results").glob("*.json")
    result = json.loads(result_file.read_text())
    assert list(result["summaries"]) == ["pandas"]
    pandas = result["summaries"]["pandas"]
    assert pandas["repeats"] == 2 and pandas["failures"] == 0 and pandas["peak_rss_bytes"] > 0
    assert len(result["samples"]) == 2
    assert "| pandas |" in (tmp_path / "results" / result_file.with_suffix(".md").name).read_text()


@pytest.mark.slow
def test_every_step_at_a_tiny_scale_and_pandas_agrees(tmp_path: Path) -> None:
    """24 months: with fewer, some indicators have no period yet and the quality gate
    rightly refuses to publish profiles without them, so the job fails."""
    status = main(
        ["--scale", "0.02", "--months", "24", "--repeats", "1",
         "--workdir", str(tmp_path), "--results", str(tmp_path / "results")]
    )  # fmt: skip
    assert status == 0
    (result_file,) = (tmp_path / "results").glob("*.json")
    result = json.loads(result_file.read_text())
    assert set(result["summaries"]) == {"full_job", "incremental_job", "plain_duckdb", "pandas"}
    assert set(result["stages"]["full_job"]) >= {"ingest", "dbt_build", "outside the steps"}
    assert result["agreement"] and all(a["equal"] for a in result["agreement"])
