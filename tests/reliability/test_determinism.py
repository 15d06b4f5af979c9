"""Determinism and idempotence of ingestion: the same deliveries give the same
warehouse content, in whatever order the feeds run; loading again changes nothing."""

from __future__ import annotations

from footprint.contracts import all_contracts
from footprint.ingest.loader import load_feed
from tests.reliability.builds import content_hash

RAW = ("raw", "raw_history")
LOAD_TIMES = ("_loaded_at", "started_at", "finished_at", "quarantined_at", "_superseded_at")


def test_the_same_deliveries_give_the_same_warehouse(tmp_path, faulty_build, session_key):
    again = tmp_path / "again.duckdb"
    for contract in reversed(all_contracts()):  # another order of feeds
        load_feed(contract, faulty_build["landing"], again, session_key)
    first = content_hash(faulty_build["warehouse"], RAW, ignore=LOAD_TIMES)
    assert content_hash(again, RAW, ignore=LOAD_TIMES) == first


def test_loading_again_changes_nothing_at_all(tmp_path, faulty_build, session_key):
    warehouse = tmp_path / "warehouse.duckdb"
    contracts = all_contracts()
    for contract in contracts:
        load_feed(contract, faulty_build["landing"], warehouse, session_key)
    before = content_hash(warehouse, RAW)  # load times included
    summaries = [load_feed(c, faulty_build["landing"], warehouse, session_key) for c in contracts]
    assert all(s.nothing_new for s in summaries)
    assert content_hash(warehouse, RAW) == before


def test_the_hash_sees_a_single_changed_value(tmp_path, faulty_build):
    """The comparison above can fail: one changed cell changes the hash."""
    import shutil

    import duckdb

    copy = tmp_path / "copy.duckdb"
    shutil.copy(faulty_build["warehouse"], copy)
    before = content_hash(copy, RAW, ignore=LOAD_TIMES)
    with duckdb.connect(str(copy)) as connection:
        connection.execute(
            "update raw.trust__ae_attendances set acuity = acuity + 1 "
            "where rowid = (select min(rowid) from raw.trust__ae_attendances)"
        )
    assert content_hash(copy, RAW, ignore=LOAD_TIMES) != before
