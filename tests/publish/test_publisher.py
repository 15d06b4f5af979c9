"""Publication: atomic swap, Parquet and manifest, rollback, readers during a publish."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import duckdb
import pytest

from footprint.publish.publisher import PublishError, publish, rollback, versions


def make_build(root: Path, value: int) -> tuple[Path, Path]:
    """A warehouse with one published mart whose every row holds `value`, and a dbt
    manifest that tags it published."""
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema if not exists sdf")
        connection.execute("create schema if not exists raw")
        connection.execute(
            "create or replace table sdf.indicator_values as "
            "select range as row_id, ? as value from range(1000)",
            [value],
        )
        connection.execute(
            "create or replace table raw.load_manifest as select 'trust' as organisation, "
            "'ae_attendances' as feed, 'trust/ae/a.csv' as file_path, '2025-03-04' as period, "
            "'ab' as sha256, 10 as rows_loaded, 1 as rows_quarantined, 'loaded' as status"
        )
    manifest = root / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "nodes": {
                    "model.footprint.indicator_values": {
                        "resource_type": "model",
                        "schema": "sdf",
                        "name": "indicator_values",
                        "config": {"tags": ["published"]},
                    },
                    "model.footprint.fct_person": {
                        "resource_type": "model",
                        "schema": "core",
                        "name": "fct_person",
                        "config": {"tags": []},
                    },
                }
            }
        )
    )
    return warehouse, manifest


def read_published(published: Path) -> tuple[str, int, int]:
    with duckdb.connect(str(published / "footprint.duckdb"), read_only=True) as connection:
        (build_id,) = connection.execute("select build_id from publication.build_info").fetchone()
        count, value = connection.execute(
            "select count(*), max(value) from sdf.indicator_values"
        ).fetchone()
    return build_id, count, value


def test_publish_writes_tables_parquet_and_manifest(tmp_path):
    warehouse, manifest = make_build(tmp_path, value=1)
    published = tmp_path / "published"
    document = publish(warehouse, published, manifest, checks=[{"name": "x", "success": True}])

    build_id, count, value = read_published(published)
    assert (build_id, count, value) == (document["build_id"], 1000, 1)
    with duckdb.connect(str(published / "footprint.duckdb"), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name, table_type from information_schema.tables "
            "order by 1, 2"
        ).fetchall()
    assert tables == [
        ("publication", "build_info", "BASE TABLE"),
        ("sdf", "indicator_values", "BASE TABLE"),
    ]
    parquet = published / "current" / "parquet" / "sdf.indicator_values.parquet"
    assert duckdb.sql(f"select count(*) from '{parquet}'").fetchall() == [(1000,)]
    on_disk = json.loads((published / "manifest.json").read_text())
    assert on_disk["marts"] == [
        {
            "relation": "sdf.indicator_values",
            "rows": 1000,
            "parquet": "parquet/sdf.indicator_values.parquet",
            "csv": "csv/sdf.indicator_values.csv",
            "xlsx": "xlsx/sdf.indicator_values.xlsx",
        }
    ]
    assert on_disk["deliveries"][0]["sha256"] == "ab"
    assert on_disk["checks"] == [{"name": "x", "success": True}]


def test_rollback_restores_the_previous_version(tmp_path):
    published = tmp_path / "published"
    first = publish(*make_build(tmp_path, value=1)[:1], published, make_build(tmp_path, 1)[1], [])
    second = publish(*make_build(tmp_path, value=2)[:1], published, tmp_path / "manifest.json", [])
    assert read_published(published)[0] == second["build_id"]
    assert rollback(published) == first["build_id"]
    assert read_published(published) == (first["build_id"], 1000, 1)
    assert json.loads((published / "manifest.json").read_text())["build_id"] == first["build_id"]
    with pytest.raises(PublishError, match="no version earlier"):
        rollback(published)


def test_only_the_last_versions_are_kept(tmp_path):
    published = tmp_path / "published"
    warehouse, manifest = make_build(tmp_path, value=1)
    ids = [publish(warehouse, published, manifest, [], keep=2)["build_id"] for _ in range(4)]
    assert versions(published) == ids[-2:]


def _reader(published: str, stop_at: float, results: multiprocessing.Queue) -> None:
    seen, failures = [], []
    while time.monotonic() < stop_at:
        try:
            seen.append(read_published(Path(published)))
        except Exception as err:  # any failed read is what this test looks for
            failures.append(repr(err))
    results.put((seen, failures))


def test_readers_never_fail_and_never_see_half_a_version(tmp_path):
    published = tmp_path / "published"
    warehouse, manifest = make_build(tmp_path, value=0)
    expected = {publish(warehouse, published, manifest, [])["build_id"]: 0}

    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    stop_at = time.monotonic() + 12
    readers = [
        context.Process(target=_reader, args=(str(published), stop_at, results)) for _ in range(2)
    ]
    for reader in readers:
        reader.start()
    time.sleep(2)  # let the readers start reading the first version
    for value in range(1, 6):
        make_build(tmp_path, value)
        expected[publish(warehouse, published, manifest, [])["build_id"]] = value
    outcomes = [results.get(timeout=60) for _ in readers]
    for reader in readers:
        reader.join(timeout=30)

    reads = [r for seen, _ in outcomes for r in seen]
    assert [f for _, failures in outcomes for f in failures] == []
    assert len(reads) > 20
    for build_id, count, value in reads:
        assert count == 1000 and expected[build_id] == value
    assert len({build_id for build_id, _, _ in reads}) >= 2


def test_rollback_command(tmp_path, monkeypatch, capsys):
    from footprint.cli import main

    published = tmp_path / "published"
    monkeypatch.setenv("FOOTPRINT_PUBLISHED", str(published))
    warehouse, manifest = make_build(tmp_path, value=1)
    first = publish(warehouse, published, manifest, [])["build_id"]
    make_build(tmp_path, value=2)
    publish(warehouse, published, manifest, [])

    assert main(["rollback"]) == 0
    assert f"published version is now {first}" in capsys.readouterr().out
    assert read_published(published) == (first, 1000, 1)
    assert main(["rollback", "--to", "19990101T000000000000Z"]) == 2
    assert "is not kept" in capsys.readouterr().err
