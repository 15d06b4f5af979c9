"""Readers query the published file throughout a real nightly run (ingest, dbt build,
checks, publish) and never fail, and each sees one published version whole: its row
counts are the ones that version's manifest gives."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import duckdb
import pytest

from footprint.synth.cli import main as generate

pytestmark = pytest.mark.slow


def read_version(database: Path, relations: list[str]) -> tuple[str, dict[str, int]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        (build_id,) = connection.execute("select build_id from publication.build_info").fetchone()
        counts = {r: connection.table(r).aggregate("count(*)").fetchone()[0] for r in relations}
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


def test_readers_see_one_whole_version_throughout_a_nightly_run(tmp_path, monkeypatch):
    from footprint.publish.publisher import DATABASE_NAME, MANIFEST_NAME
    from orchestration.run import run_nightly

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
    first = run_nightly()
    assert first.success, first.summary()
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
        second = run_nightly()
        time.sleep(2)  # a few reads of the new version
    finally:
        stop.touch()
        outcomes = [results.get(timeout=120) for _ in readers]
        for reader in readers:
            reader.join(timeout=60)

    assert second.success, second.summary()
    assert [f for _, failures in outcomes for f in failures] == []
    reads = [read for seen, _ in outcomes for read in seen]
    assert len(reads) > 20
    expected = {}
    for build_id in {first.published_build, second.published_build}:
        manifest = json.loads((published / "versions" / build_id / MANIFEST_NAME).read_text())
        expected[build_id] = {m["relation"]: m["rows"] for m in manifest["marts"]}
    for build_id, counts in reads:
        assert counts == expected[build_id], build_id
    assert {build_id for build_id, _ in reads} == set(expected)
