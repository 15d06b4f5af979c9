"""Load a feed's new deliveries: file checks, row validation, pseudonymisation, write.

One call handles every new file of one feed, in batches of up to BATCH_BYTES of files,
each read in a single DuckDB scan. Validation runs in an in-memory DuckDB connection
(no spilling: clear identifiers never reach disk), so the batch size is what bounds
memory. The warehouse file is attached and each batch written in one transaction with
its manifest rows, so a crash leaves every delivery either whole or absent.
"""

from __future__ import annotations

import csv
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from footprint import sql
from footprint.contracts import Contract
from footprint.ingest.deliveries import (
    Delivery,
    check_text_file,
    describe,
    find_files,
    load_order,
    read_delivery,
    read_workbook,
    safe_display_path,
)
from footprint.nhs_number import hmac_pads
from footprint.paths import SEEDS_DIR

log = logging.getLogger(__name__)
SQL_DIR = Path(__file__).parent / "sql"
UNIT_SEPARATOR = "\x1f"  # never appears in a delivery, so each line is read whole
# files read, checked and written together: bounds ingestion's memory (in memory, no
# spilling) at roughly 15 times this, whatever the number of new deliveries
BATCH_BYTES = 64 * 2**20
QUOTED_FIELD = '("(?:[^"]|"")*"|[^"{d}]*){d}'


@dataclass(frozen=True)
class FeedLoadSummary:
    """What one ingestion run did for one feed."""

    feed: str
    files_seen: int
    files_loaded: int
    files_rejected: int
    files_duplicate: int
    files_superseded: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    messages: tuple[str, ...]

    @property
    def nothing_new(self) -> bool:
        return self.files_seen == 0


def ensure_tables(connection: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    sql.run_script(connection, sql.render(SQL_DIR, "warehouse_tables.sql.j2", contract=contract))


def _connect(warehouse: Path, memory_limit: str) -> duckdb.DuckDBPyConnection:
    """In-memory connection with the warehouse attached as `wh`.

    Spilling to disk is switched off: clear identifiers live only in memory here.
    """
    connection = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": ""})
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    connection.execute("attach ? as wh", [str(warehouse)])
    sql.run_script(connection, (SQL_DIR / "macros.sql").read_text())
    return connection


def _known_deliveries(connection: duckdb.DuckDBPyConnection, contract: Contract) -> dict:
    rows = connection.execute(
        "select file_path, sha256, status, period, delivery_id from wh.raw.load_manifest "
        "where organisation = ? and feed = ?",
        [contract.organisation, contract.feed],
    ).fetchall()
    return {
        "seen": {(r[0], r[1]) for r in rows},
        # a duplicate is the same content for the same period; identical content for
        # another period (a map that did not change) is a delivery of its own
        "loaded": {(r[1], r[3]) for r in rows if r[2] in ("loaded", "superseded")},
        "current": [
            {"file_path": r[0], "period": r[3], "delivery_id": r[4]}
            for r in rows
            if r[2] == "loaded"
        ],
    }


def _reference_tables(connection: duckdb.DuckDBPyConnection, contract: Contract) -> dict:
    """Seed code lists the contract refers to, as temp tables."""
    names = {}
    for column in contract.columns:
        if column.reference and column.reference not in names:
            seed, seed_column = column.reference.split(".")
            table = f"ref__{seed}__{seed_column}"
            path = SEEDS_DIR / f"{seed}.csv"
            if not path.exists():
                raise FileNotFoundError(
                    f"{contract.path}: column {column.name} refers to {column.reference}, "
                    f"but {path} does not exist"
                )
            check_seed(path, seed_column)
            script = sql.render(
                SQL_DIR, "reference_table.sql.j2", table=table, seed_column=seed_column
            )
            sql.run_script(connection, script, {"seed_path": str(path)})
            names[column.reference] = table
    return names


def check_seed(path: Path, column: str) -> None:
    """A seed code list must be well formed before it judges deliveries: every row has
    the header's fields and a code. A bad row is an error naming the file and line."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, strict=True)
        header = next(reader, [])
        if column not in header:
            raise ValueError(f"{path}: the header has no column {column!r} ({header})")
        position = header.index(column)
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader, None)
            except csv.Error as err:
                raise ValueError(
                    f"{path}, line {line}: {err} (a quote opened and never closed?); "
                    f"correct the seed, then run again"
                ) from None
            if row is None:
                return
            if len(row) != len(header):
                raise ValueError(
                    f"{path}, line {line}: {len(row)} field(s) where the header has "
                    f"{len(header)}; correct the seed, then run again"
                )
            if not row[position].strip():
                raise ValueError(
                    f"{path}, line {line}: no {column}; correct the seed, then run again"
                )


def _layouts(contract: Contract, deliveries: list[Delivery]) -> pa.Table:
    """One row per delivery: where each contract column sits in that file's header."""
    columns: dict[str, list] = {
        "delivery_id": [d.delivery_id for d in deliveries],
        "filename": [str(d.path) for d in deliveries],
        "file_path": [d.relative_path for d in deliveries],
        "period_end": [d.period_end for d in deliveries],
        "n_header": [len(d.header) for d in deliveries],
    }
    for column in contract.columns:
        columns[f"pos_{column.name}"] = [
            d.header.index(column.name) + 1 if column.name in d.header else None for d in deliveries
        ]
    return pa.table(columns)


def _stage_lines(
    connection: duckdb.DuckDBPyConnection, contract: Contract, deliveries: list[Delivery]
) -> None:
    if contract.kind == "xlsx":
        delivery_ids, row_numbers, lines, fields = [], [], [], []
        for delivery in deliveries:
            for index, row in enumerate(delivery.rows or [], start=1):
                delivery_ids.append(delivery.delivery_id)
                row_numbers.append(index)
                lines.append("|".join(row))
                fields.append(row)
        table = pa.table(
            {
                "delivery_id": pa.array(delivery_ids, pa.string()),
                "row_number": pa.array(row_numbers, pa.int64()),
                "raw_line": pa.array(lines, pa.string()),
                "fields": pa.array(fields, pa.list_(pa.string())),
            }
        )
        connection.register("raw_lines_arrow", table)
        connection.execute(
            "create or replace temp table raw_lines as select * from raw_lines_arrow"
        )
        return
    script = sql.render(
        SQL_DIR,
        "read_lines.sql.j2",
        unit_separator=UNIT_SEPARATOR,
        bom="\ufeff",
        header_lines=1 if contract.kind == "csv" else 0,
    )
    sql.run_script(connection, script, {"files": [str(d.path) for d in deliveries]})


def _pseudonymise(connection: duckdb.DuckDBPyConnection, contract: Contract, key: bytes) -> None:
    """The temp table `pseudonyms`: each distinct valid identifier and its HMAC, in SQL."""
    inner_pad, outer_pad = hmac_pads(key)
    sql.run_script(
        connection,
        sql.render(SQL_DIR, "pseudonyms.sql.j2", contract=contract),
        {"inner_pad": inner_pad, "outer_pad": outer_pad},
    )


def _supersessions(
    contract: Contract, known: dict, loaded: list[Delivery]
) -> list[tuple[str, str]]:
    """(superseded delivery id, superseding delivery id) pairs, in load order.

    A later delivery of the same file path replaces the earlier one; in a refresh feed,
    a later delivery of the same period does too.
    """
    current = {c["delivery_id"]: c for c in known["current"]}
    pairs = []
    for delivery in loaded:
        for old_id, old in list(current.items()):
            same_path = old["file_path"] == delivery.relative_path
            same_period = contract.mode == "refresh" and old["period"] == delivery.period
            if same_path or same_period:
                pairs.append((old_id, delivery.delivery_id))
                del current[old_id]
        current[delivery.delivery_id] = {
            "file_path": delivery.relative_path,
            "period": delivery.period,
            "delivery_id": delivery.delivery_id,
        }
    return pairs


def _batches(deliveries: list[Delivery]) -> list[list[Delivery]]:
    """Deliveries in load order, cut into batches of at most BATCH_BYTES of files (one
    file may exceed it alone), so that memory stays bounded whatever the backlog."""
    batches: list[list[Delivery]] = []
    size = BATCH_BYTES
    for delivery in deliveries:
        if size + delivery.size_bytes > BATCH_BYTES:
            batches.append([])
            size = 0
        batches[-1].append(delivery)
        size += delivery.size_bytes
    return batches


def _check_rows(
    connection: duckdb.DuckDBPyConnection, contract: Contract, batch: list[Delivery], key: bytes
) -> dict[str, tuple[int, int]]:
    """Read a batch's files in one scan, check every row, pseudonymise; the temp table
    checked_rows holds the result. Returns (rows read, rows valid) per delivery."""
    connection.register("delivery_layouts_arrow", _layouts(contract, batch))
    connection.execute(
        "create or replace temp table delivery_layouts as select * from delivery_layouts_arrow"
    )
    connection.execute(
        "create or replace temp table delivery_files as "
        "select filename, delivery_id from delivery_layouts"
    )
    _stage_lines(connection, contract, batch)
    references = _reference_tables(connection, contract)
    delimiter = contract.format.get("delimiter", ",")
    sql.run_script(
        connection,
        sql.render(SQL_DIR, "check_rows.sql.j2", contract=contract, reference_tables=references),
        {"delimiter": delimiter, "quoted_field_pattern": QUOTED_FIELD.format(d=delimiter)},
    )
    _pseudonymise(connection, contract, key)
    return {
        r[0]: (r[1], r[2])
        for r in connection.execute(
            "select delivery_id, count(*), count(*) filter (where len(failures) = 0) "
            "from checked_rows group by delivery_id"
        ).fetchall()
    }


def _write(
    connection: duckdb.DuckDBPyConnection,
    contract: Contract,
    manifest: pa.Table,
    loaded_at: datetime,
    loads_rows: bool,
    pairs: list[tuple[str, str]],
) -> None:
    """One transaction: the batch's valid and quarantined rows, its manifest rows and the
    deliveries it supersedes."""
    connection.execute("begin transaction")
    if loads_rows:
        sql.run_script(
            connection,
            sql.render(SQL_DIR, "load_rows.sql.j2", contract=contract),
            {"loaded_at": loaded_at, "organisation": contract.organisation, "feed": contract.feed},
        )
    connection.register("manifest_arrow", manifest)
    connection.execute("insert into wh.raw.load_manifest by name select * from manifest_arrow")
    supersede = sql.render(SQL_DIR, "supersede.sql.j2", contract=contract)
    for old_id, new_id in pairs:
        sql.run_script(connection, supersede, {"delivery_id": old_id, "superseded_by": new_id})
    connection.execute("commit")


def load_feed(
    contract: Contract,
    landing: Path,
    warehouse: Path,
    key: bytes,
    memory_limit: str = "4GB",
) -> FeedLoadSummary:
    """Load every new or changed file of one feed; already-loaded files are a no-op."""
    started = datetime.now(UTC).replace(tzinfo=None)
    clock = time.perf_counter()
    connection = _connect(warehouse, memory_limit)
    try:
        ensure_tables(connection, contract)
        known = _known_deliveries(connection, contract)

        new: list[Delivery] = []
        for path in find_files(contract, landing):
            content = read_delivery(contract, path)
            delivery = describe(contract, path, landing, content)
            if (delivery.relative_path, delivery.sha256) in known["seen"]:
                continue  # this exact file at this path is already accounted for
            new.append(delivery)
            if delivery.rejection:
                continue
            if (delivery.sha256, delivery.period) in known["loaded"]:
                continue  # marked duplicate below
            if contract.kind == "xlsx":
                read_workbook(contract, delivery, content)
            else:
                check_text_file(contract, delivery, content)
                if contract.kind == "jsonl":
                    delivery.header = contract.column_names
        new.sort(key=load_order)

        duplicates, to_read, seen = [], [], set(known["loaded"])
        for delivery in new:
            if delivery.rejection:
                continue
            if (delivery.sha256, delivery.period) in seen:
                duplicates.append(delivery)
            else:
                seen.add((delivery.sha256, delivery.period))
                to_read.append(delivery)

        pairs = _supersessions(contract, known, to_read)
        unread = [d for d in new if d.rejection] + duplicates  # recorded with the first batch
        counts: dict[str, tuple[int, int]] = {}
        for number, batch in enumerate(_batches(to_read) or [[]]):
            if batch:
                counts.update(_check_rows(connection, contract, batch, key))
            finished = datetime.now(UTC).replace(tzinfo=None)
            recorded = (unread if number == 0 else []) + batch
            manifest = _manifest_rows(contract, recorded, duplicates, counts, started, finished)
            ids = {d.delivery_id for d in batch}
            superseded = [(old, new_id) for old, new_id in pairs if new_id in ids]
            _write(connection, contract, manifest, finished, bool(batch), superseded)
    finally:
        connection.close()

    rows_read = sum(r for r, _ in counts.values())
    rows_loaded = sum(v for _, v in counts.values())
    shown = {d.delivery_id: safe_display_path(d.relative_path) for d in new}  # no control chars
    messages = (
        tuple(f"{shown[d.delivery_id]}: rejected: {d.rejection}" for d in new if d.rejection)
        + tuple(f"{shown[d.delivery_id]}: {w}" for d in to_read for w in d.warnings)
        + tuple(
            f"{shown[d.delivery_id]}: the same file was already loaded; ignored" for d in duplicates
        )
    )
    for message in messages:
        log.warning("%s: %s", contract.name, message)
    log.info("%s: %d new file(s) in %.2fs", contract.name, len(new), time.perf_counter() - clock)
    return FeedLoadSummary(
        feed=contract.name,
        files_seen=len(new),
        files_loaded=len(to_read),
        files_rejected=sum(1 for d in new if d.rejection),
        files_duplicate=len(duplicates),
        files_superseded=len(pairs),
        rows_read=rows_read,
        rows_loaded=rows_loaded,
        rows_quarantined=rows_read - rows_loaded,
        messages=messages,
    )


def _manifest_rows(
    contract: Contract,
    new: list[Delivery],
    duplicates: list[Delivery],
    counts: dict[str, tuple[int, int]],
    started: datetime,
    finished: datetime,
) -> pa.Table:
    duplicate_ids = {d.delivery_id for d in duplicates}
    rows = []
    for d in new:
        read, loaded = counts.get(d.delivery_id, (0, 0))
        if d.rejection:
            status, message = "rejected", d.rejection
        elif d.delivery_id in duplicate_ids:
            status, message = (
                "duplicate",
                "the same file (same sha256, same period) was already loaded",
            )
        else:
            status, message = "loaded", "; ".join(d.warnings) or None
        rows.append(
            {
                "delivery_id": d.delivery_id,
                "organisation": contract.organisation,
                "feed": contract.feed,
                "file_path": d.relative_path,
                "period": d.period,
                "period_start": d.period_start,
                "period_end": d.period_end,
                "version": d.version,
                "sha256": d.sha256,
                "size_bytes": d.size_bytes,
                "rows_read": read,
                "rows_loaded": loaded,
                "rows_quarantined": read - loaded,
                "status": status,
                "message": message,
                "superseded_by": None,
                "started_at": started,
                "finished_at": finished,
            }
        )
    schema = pa.schema(
        [
            ("delivery_id", pa.string()),
            ("organisation", pa.string()),
            ("feed", pa.string()),
            ("file_path", pa.string()),
            ("period", pa.string()),
            ("period_start", pa.date32()),
            ("period_end", pa.date32()),
            ("version", pa.int32()),
            ("sha256", pa.string()),
            ("size_bytes", pa.int64()),
            ("rows_read", pa.int64()),
            ("rows_loaded", pa.int64()),
            ("rows_quarantined", pa.int64()),
            ("status", pa.string()),
            ("message", pa.string()),
            ("superseded_by", pa.string()),
            ("started_at", pa.timestamp("us")),
            ("finished_at", pa.timestamp("us")),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)
