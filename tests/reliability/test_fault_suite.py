"""Every fault kind in the generator's catalogue, delivered at once: each is reported
with what is wrong and where, and no valid row is lost.

The generator's ground truth (_generator/faults.csv) names every planted fault; a
valid row is any row of a delivered file that the ground truth does not name.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict

import duckdb
import pytest
from openpyxl import load_workbook

from footprint.contracts import all_contracts
from footprint.synth.faults import FAULT_KINDS, FILE_FAULTS, ROW_FAULTS

REJECTING = {"missing_column", "non_utf8", "empty_file", "truncated_file"}


def _query(warehouse, sql, parameters=None):
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, parameters or []).fetchall()


def _data_rows(path) -> int:
    """Data rows in a delivered file, counted independently of the loader."""
    content = path.read_bytes()
    if path.suffix == ".xlsx":
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        rows = [r for r in workbook.worksheets[0].iter_rows(values_only=True)]
        while rows and not any(v not in (None, "") for v in rows[-1]):
            rows.pop()
        return len(rows) - 1
    return content.count(b"\n") - (0 if path.suffix == ".jsonl" else 1)


def _rows_in_warehouse(warehouse) -> Counter:
    """Rows per delivery id in the raw tables and their history."""
    counts: Counter = Counter()
    for contract in all_contracts():
        for table in (f"raw.{contract.name}", f"raw_history.{contract.name}"):
            for delivery_id, n in _query(
                warehouse, f"select _delivery_id, count(*) from {table} group by 1"
            ):
                counts[delivery_id] += n
    return counts


def test_the_catalogue_is_what_this_suite_covers():
    assert set(FAULT_KINDS) == set(ROW_FAULTS) | set(FILE_FAULTS)
    assert len(FAULT_KINDS) == 20


@pytest.mark.parametrize("kind", ROW_FAULTS)
def test_a_row_fault_is_quarantined_naming_file_row_and_column(faulty_build, kind):
    planted = [f for f in faulty_build["faults"] if f["fault"] == kind]
    assert planted, f"the generator planted no {kind} at this scale"
    columns = {c.name for contract in all_contracts() for c in contract.columns}
    for fault in planted:
        found = _query(
            faulty_build["warehouse"],
            "select rule, message, organisation, feed from raw.quarantine "
            "where file_path = ? and row_number = ?",
            [fault["file"], int(fault["row"])],
        )
        assert len(found) == 1, fault
        rule, message, organisation, feed = found[0]
        assert fault["file"].startswith(f"{organisation}/{feed}/")
        assert rule and len(message) > 15, found
        named_column = fault["detail"].split(" ", 1)[0]
        if named_column in columns:
            assert named_column in message, (fault, message)


@pytest.mark.parametrize("kind", FILE_FAULTS)
def test_a_file_fault_is_recorded_and_reported_with_its_file(faulty_build, kind):
    planted = [f for f in faulty_build["faults"] if f["fault"] == kind]
    assert planted, f"the generator planted no {kind} at this scale"
    messages = [m for s in faulty_build["summaries"] for m in s.messages]
    in_raw = _rows_in_warehouse(faulty_build["warehouse"])
    for fault in planted:
        ((delivery_id, status, message, loaded),) = _query(
            faulty_build["warehouse"],
            "select delivery_id, status, message, rows_loaded from raw.load_manifest "
            "where file_path = ?",
            [fault["file"]],
        )
        if kind in REJECTING:
            assert status == "rejected" and message
            # what a person running ingestion sees names the file and the reason
            assert f"{fault['file']}: rejected: {message}" in messages
            assert in_raw[delivery_id] == 0 and loaded == 0
        elif kind in ("duplicate_file", "resent_crlf"):
            assert status == "duplicate"
            assert any(m.startswith(fault["file"]) and "already loaded" in m for m in messages)
            original = fault["detail"].split(" of " if kind == "duplicate_file" else " as ")[1]
            original = original.split(",")[0]
            ((original_status, original_loaded),) = _query(
                faulty_build["warehouse"],
                "select status, rows_loaded from raw.load_manifest where file_path = ?",
                [original],
            )
            assert original_status in ("loaded", "superseded") and original_loaded > 0
        elif kind == "refresh":
            first = fault["detail"].split()[1].rstrip(":")
            ((first_id, first_status, first_loaded, superseded_by),) = _query(
                faulty_build["warehouse"],
                "select delivery_id, status, rows_loaded, superseded_by "
                "from raw.load_manifest where file_path = ?",
                [first],
            )
            assert (status, first_status, superseded_by) == ("loaded", "superseded", delivery_id)
            # the superseded rows are kept in history, not dropped
            assert in_raw[first_id] == first_loaded > 0
        elif kind == "quoted_export":  # ordinary CSV: every row loads, nothing to report
            assert status == "loaded" and loaded == _data_rows(
                faulty_build["landing"] / fault["file"]
            )
        else:  # reported, every row loads
            assert status == "loaded" and message
            assert any(m.startswith(fault["file"]) for m in messages)


def test_no_valid_row_is_lost(faulty_build):
    """Every row the ground truth does not name is loaded, in every delivered file."""
    landing, warehouse = faulty_build["landing"], faulty_build["warehouse"]
    planted_rows: dict[str, int] = defaultdict(int)
    for fault in faulty_build["faults"]:
        if fault["row"]:
            planted_rows[fault["file"]] += 1
    in_raw = _rows_in_warehouse(warehouse)
    deliveries = _query(
        warehouse,
        "select delivery_id, file_path, status, rows_read, rows_loaded, rows_quarantined "
        "from raw.load_manifest",
    )
    delivered = {
        p.relative_to(landing).as_posix()
        for p in landing.rglob("*")
        if p.is_file() and not p.relative_to(landing).as_posix().startswith("_generator/")
    }
    assert {d[1] for d in deliveries} == delivered, "a delivered file is missing from the manifest"
    checked = 0
    for delivery_id, path, status, read, loaded, quarantined in deliveries:
        assert read == loaded + quarantined, path
        assert in_raw[delivery_id] == loaded, path
        if status in ("loaded", "superseded"):
            assert read == _data_rows(landing / path), path
            assert loaded == read - planted_rows[path], path
            checked += 1
    assert checked > 100
