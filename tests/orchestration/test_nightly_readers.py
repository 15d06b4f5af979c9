"""Readers query the published file throughout a real nightly run (ingest, dbt build,
checks, publish) and never fail, and each sees one published version whole: its row
counts are the ones that version's manifest gives."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from footprint.synth.cli import main as generate

pytestmark = pytest.mark.slow


def read_version(database: Path, relations: list[str]) -> tuple[str, dict[str, int]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        [(build_id,)] = connection.execute("select build_id from publication.build_info").fetchall()
        counts = {r: connection.table(r).aggregate("count(*)").fetchall()[0][0] for r in relations}
    return build_id, counts


def _reader(database: str, relations: list[str], stop: str, results) -> None:
    seen, failures = [], []
    while not Path(stop).exists():
        try:
            seen.append(read_version(Path(database), relations))
        except Exception as error:  # any failed read is what this test looks for
            failures.append(repr(error))
        time.sleep(0.05)
    results.put((seen, failures))


def footprint_run() -> None:
    """`footprint run`, as the scheduler or a person starts it: its own process."""
    command = [str(Path(sys.executable).with_name("footprint")), "run"]
    completed = subprocess.run(command, capture_output=True, text=True, env=os.environ)
    assert completed.returncode == 0, completed.stderr[-3000:]


def test_readers_see_one_whole_version_throughout_a_nightly_run(tmp_path, monkeypatch):
    from footprint.publish.publisher import DATABASE_NAME, MANIFEST_NAME, current_build_id

    published = tmp_path / "published"
    for name, value in {
        "FOOTPRINT_LANDING": tmp_path / "landing",
        "FOOTPRINT_WAREHOUSE": tmp_path / "warehouse" / "footprint.duckdb",
        "FOOTPRINT_PUBLISHED": published,
        "DAGSTER_HOME": tmp_path / "dagster_home",
        "FOOTPRINT_PSEUDONYMISATION_KEY": "ab" * 32,
    }.items():
        monkeypatch.setenv(name, str(value))
    # 18 months: every indicator needs a full rolling year (reablement one 91 days later)
    assert generate(["--months", "18", "--scale", "0.02", "--out", str(tmp_path / "landing")]) == 0
    footprint_run()
    first = current_build_id(published)
    relations = [
        m["relation"] for m in json.loads((published / MANIFEST_NAME).read_text())["marts"]
    ]

    context = multiprocessing.get_context("spawn")
    results, stop = context.Queue(), tmp_path / "stop"
    readers = [
        context.Process(
            target=_reader, args=(str(published / DATABASE_NAME), relations, str(stop), results)
        )
        for _ in range(2)
    ]
    for reader in readers:
        reader.start()
    try:
        footprint_run()
        time.sleep(2)  # a few reads of the new version
    finally:
        stop.touch()
        outcomes = [results.get(timeout=120) for _ in readers]
        for reader in readers:
            reader.join(timeout=60)

    second = current_build_id(published)
    assert second != first
    assert [f for _, failures in outcomes for f in failures] == []
    reads = [read for seen, _ in outcomes for read in seen]
    assert len(reads) > 20
    expected = {}
    for build_id in {first, second}:
        manifest = json.loads((published / "versions" / build_id / MANIFEST_NAME).read_text())
        expected[build_id] = {m["relation"]: m["rows"] for m in manifest["marts"]}
    for build_id, counts in reads:
        assert counts == expected[build_id], build_id
    assert {build_id for build_id, _ in reads} == set(expected)
