"""Ingestion against the generator's ground truth: every injected fault is caught and
nothing else is, and every row of every file is accounted for."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from footprint.contracts import all_contracts
from footprint.ingest.loader import load_feed
from footprint.synth.cli import main as generate
from tests.conftest import TEST_KEY
from tests.ingest.helpers import query

KEY = bytes.fromhex(TEST_KEY)
# the quarantine rule each row-level fault kind must produce
ROW_RULES = {
    "malformed_row": {"type", "invalid_json"},
    "wrong_column_count": {"wrong_column_count"},
    "invalid_nhs_number": {"nhs_number"},
    "malformed_nhs_number": {"nhs_number"},
    "inexact_value": {"type"},
    "unknown_lsoa": {"unknown_code"},
    "unknown_practice": {"unknown_code"},
    "future_date": {"after_period"},
    "end_before_start": {"end_before_start"},
    "duplicate_row": {"duplicate_row"},
}
# how the load manifest must record each file-level fault kind
FILE_OUTCOMES = {
    "missing_column": ("rejected", "lacks required column"),
    "non_utf8": ("rejected", "not UTF-8"),
    "empty_file": ("rejected", "empty"),
    "truncated_file": ("rejected", "truncated"),
    "extra_column": ("loaded", "unexpected column"),
    "bom": ("loaded", "byte-order mark"),
    "duplicate_file": ("duplicate", "already loaded"),
    "resent_crlf": ("duplicate", "already loaded"),
}


def ingest_all(landing: Path, warehouse: Path) -> list:
    return [load_feed(c, landing, warehouse, KEY) for c in all_contracts()]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    status = generate(
        ["--scale", "0.05", "--months", "6", "--faults", "all", "--out", str(landing), "--quiet"]
    )
    assert status == 0
    ingest_all(landing, warehouse)
    with (landing / "_generator" / "faults.csv").open() as fh:
        faults = list(csv.DictReader(fh))
    return landing, warehouse, faults


def test_every_fault_kind_is_injected(loaded):
    _, _, faults = loaded
    kinds = {f["fault"] for f in faults}
    assert set(ROW_RULES) | set(FILE_OUTCOMES) | {"refresh", "quoted_export"} <= kinds


def test_every_row_fault_is_quarantined_with_its_rule_and_nothing_else_is(loaded):
    _, warehouse, faults = loaded
    expected = {(f["file"], int(f["row"])): f["fault"] for f in faults if f["row"]}
    quarantined = {
        (path, row): rule
        for path, row, rule in query(
            warehouse, "select file_path, row_number, rule from raw.quarantine"
        )
    }
    assert set(quarantined) == set(expected)
    wrong = {
        k: (expected[k], quarantined[k])
        for k in expected
        if quarantined[k] not in ROW_RULES[expected[k]]
    }
    assert wrong == {}


def test_every_file_fault_is_recorded_in_the_load_manifest(loaded):
    _, warehouse, faults = loaded
    manifest = {
        path: (status, message or "")
        for path, status, message in query(
            warehouse, "select file_path, status, message from raw.load_manifest"
        )
    }
    for fault in (f for f in faults if f["fault"] in FILE_OUTCOMES):
        status, words = FILE_OUTCOMES[fault["fault"]]
        assert manifest[fault["file"]][0] == status, fault
        assert words in manifest[fault["file"]][1], fault
    flagged = {
        path
        for path, (status, message) in manifest.items()
        if status in ("rejected", "duplicate") or message
    }
    assert flagged == {f["file"] for f in faults if f["fault"] in FILE_OUTCOMES}


def test_a_refresh_supersedes_the_first_delivery_of_its_month(loaded):
    _, warehouse, faults = loaded
    for fault in (f for f in faults if f["fault"] == "refresh"):
        first = fault["file"].replace("_v2.csv", ".csv")
        rows = dict(
            query(
                warehouse,
                "select file_path, status from raw.load_manifest where file_path in (?, ?)",
                [first, fault["file"]],
            )
        )
        assert rows == {first: "superseded", fault["file"]: "loaded"}


def test_rows_read_equal_the_data_rows_in_each_file_and_are_all_accounted_for(loaded):
    landing, warehouse, _ = loaded
    deliveries = query(
        warehouse,
        "select file_path, rows_read, rows_loaded, rows_quarantined, "
        "status, delivery_id from raw.load_manifest",
    )
    in_raw = Counter()
    for contract in all_contracts():
        for delivery_id, n in query(
            warehouse,
            f"select _delivery_id, count(*) from "
            f"raw.{contract.name} group by 1 union all "
            f"select _delivery_id, count(*) from "
            f"raw_history.{contract.name} group by 1",
        ):
            in_raw[delivery_id] += n
    in_quarantine = Counter(
        dict(query(warehouse, "select delivery_id, count(*) from raw.quarantine group by 1"))
    )
    for path, read, loaded_rows, quarantined, status, delivery_id in deliveries:
        assert read == loaded_rows + quarantined, path
        assert (in_raw[delivery_id], in_quarantine[delivery_id]) == (loaded_rows, quarantined)
        if status in ("loaded", "superseded") and not path.endswith(".xlsx"):
            lines = (landing / path).read_bytes().count(b"\n")
            header = 0 if path.endswith(".jsonl") else 1
            assert read == lines - header, path


def test_loading_the_same_landing_folder_again_changes_nothing(loaded):
    landing, warehouse, _ = loaded
    before = query(warehouse, "select count(*) from raw.load_manifest")
    summaries = ingest_all(landing, warehouse)
    assert all(s.nothing_new for s in summaries)
    assert query(warehouse, "select count(*) from raw.load_manifest") == before
