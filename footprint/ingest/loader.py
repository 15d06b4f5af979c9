"""Load a feed's new deliveries: file checks, row validation, pseudonymisation, write.

One call handles every new file of one feed, in batches of up to BATCH_BYTES of files,
each read in a single DuckDB scan. Validation runs in an in-memory DuckDB connection
(no spilling: clear identifiers never reach disk), so the batch size is what bounds
memory. The warehouse file is attached and each batch written in one transaction with
its manifest rows, so a crash leaves every delivery either whole or absent.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
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
    linked_delivery,
    load_order,
    read_delivery,
    read_workbook,
    safe_display_path,
)
from footprint.ingest.records import UnclosedQuote, record_table, text_records
from footprint.nhs_number import hmac_pads
from footprint.paths import SEEDS_DIR

log = logging.getLogger(__name__)
SQL_DIR = Path(__file__).parent / "sql"
# files read, checked and written together: bounds ingestion's memory (in memory, no
# spilling) at roughly 15 times this, whatever the number of new deliveries
BATCH_BYTES = 64 * 2**20


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
        "select file_path, sha256, status, period, delivery_id, "
        "coalesce(content_sha256, sha256), rows_read from wh.raw.load_manifest "
        "where organisation = ? and feed = ?",
        [contract.organisation, contract.feed],
    ).fetchall()
    return {
        "seen": {(r[0], r[1]) for r in rows},
        # a duplicate is the same content for the same period; identical content for
        # another period (a map that did not change) is a delivery of its own
        "loaded": {(r[5], r[3]) for r in rows if r[2] in ("loaded", "superseded")},
        "current": {
            r[4]: {"file_path": r[0], "period": r[3], "rows": r[6]}
            for r in rows
            if r[2] == "loaded"
        },
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
        "file_path": [d.relative_path for d in deliveries],
        "period_end": [d.period_end for d in deliveries],
        "n_header": [len(d.header) for d in deliveries],
    }
    for column in contract.columns:
        columns[f"pos_{column.name}"] = [
            d.header.index(column.name) + 1 if column.name in d.header else None for d in deliveries
        ]
    return pa.table(columns)


def _stage_records(
    connection: duckdb.DuckDBPyConnection, contract: Contract, deliveries: list[Delivery]
) -> list[Delivery]:
    """The temp table raw_lines: every record of the batch's deliveries, read from the
    very bytes whose sha256 the manifest records. A file that changed since it was
    hashed, or whose quoting cannot be read, is rejected here. Returns those staged."""
    tables, staged = [], []
    for delivery in deliveries:
        if contract.kind == "xlsx":
            lines = pa.array(["|".join(row) for row in delivery.rows or []], pa.string())
            records = record_table(lines, delivery.rows or [], delivery.row_problems or [])
        else:
            content = read_delivery(contract, delivery.path)
            if hashlib.sha256(content).hexdigest() != delivery.sha256:
                delivery.reject(
                    "the file changed while it was being read (is it still being written?); "
                    "it is loaded on the next run once it has stopped changing"
                )
                continue
            delimiter = contract.format["delimiter"] if contract.kind == "csv" else None
            try:
                records = text_records(content, delimiter, 1 if contract.kind == "csv" else 0)
            except UnclosedQuote as err:
                delivery.reject(str(err))
                continue
        ids = pa.array([delivery.delivery_id] * records.num_rows, pa.string())
        tables.append(records.add_column(0, "delivery_id", ids))
        staged.append(delivery)
    empty = record_table(pa.array([], pa.string())).add_column(
        0, "delivery_id", pa.array([], pa.string())
    )
    connection.register("raw_lines_arrow", pa.concat_tables([empty, *tables]))
    connection.execute("create or replace temp table raw_lines as select * from raw_lines_arrow")
    connection.unregister("raw_lines_arrow")
    return staged


def _pseudonymise(connection: duckdb.DuckDBPyConnection, contract: Contract, key: bytes) -> None:
    """The temp table `pseudonyms`: each distinct valid identifier and its HMAC, in SQL."""
    inner_pad, outer_pad = hmac_pads(key)
    sql.run_script(
        connection,
        sql.render(SQL_DIR, "pseudonyms.sql.j2", contract=contract),
        {"inner_pad": inner_pad, "outer_pad": outer_pad},
    )


def _supersessions(
    contract: Contract, current: dict[str, dict], loaded: list[Delivery]
) -> list[tuple[str, str]]:
    """(superseded delivery id, superseding delivery id) pairs, in load order; `current`
    (the loaded deliveries by id) is brought up to date.

    A later delivery of the same file path replaces the earlier one; in a refresh feed,
    a later delivery of the same period does too.
    """
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
            "rows": delivery.rows_read,
        }
    return pairs


def _check_replacements(
    contract: Contract,
    batch: list[Delivery],
    current: dict[str, dict],
    counts: dict[str, tuple[int, int]],
) -> None:
    """A re-delivery that would empty a period is refused before anything changes; one
    far smaller than what it replaces is loaded with a warning."""
    for delivery in batch:
        delivery.rows_read = counts.get(delivery.delivery_id, (0, 0))[0]
        replaced = [
            old
            for old in current.values()
            if old["file_path"] == delivery.relative_path
            or (contract.mode == "refresh" and old["period"] == delivery.period)
        ]
        had = max((old["rows"] for old in replaced), default=0)
        if not had:
            continue
        shown = safe_display_path(replaced[0]["file_path"])
        if delivery.rows_read == 0:
            delivery.reject(
                f"the file holds no rows, but would replace the {had:,} rows of {shown} "
                f"and empty its period; refused, so the period keeps its rows; ask the "
                f"sender to check the export and deliver it again"
            )
        elif delivery.rows_read < had / 2:
            delivery.warnings.append(
                f"holds {delivery.rows_read:,} rows where {shown}, which it replaces, "
                f"held {had:,}: check that the export is complete"
            )


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
    """Stage a batch's records, check every row, pseudonymise; the temp table
    checked_rows holds the result. Returns (rows read, rows valid) per staged delivery."""
    staged = _stage_records(connection, contract, batch)
    if not staged:
        return {}
    connection.register("delivery_layouts_arrow", _layouts(contract, staged))
    connection.execute(
        "create or replace temp table delivery_layouts as select * from delivery_layouts_arrow"
    )
    references = _reference_tables(connection, contract)
    sql.run_script(
        connection,
        sql.render(SQL_DIR, "check_rows.sql.j2", contract=contract, reference_tables=references),
        {"delimiter": contract.format.get("delimiter", ",")},
    )
    _pseudonymise(connection, contract, key)
    counts = {d.delivery_id: (0, 0) for d in staged}
    for delivery_id, read, valid in connection.execute(
        "select delivery_id, count(*), count(*) filter (where len(failures) = 0) "
        "from checked_rows group by delivery_id"
    ).fetchall():
        counts[delivery_id] = (read, valid)
    _warn_unexpected_keys(connection, contract, staged)
    return counts


def _warn_unexpected_keys(
    connection: duckdb.DuckDBPyConnection, contract: Contract, staged: list[Delivery]
) -> None:
    """JSON keys the contract does not name are ignored, as extra CSV columns are, and
    reported on the delivery (misspelled contract names are quarantined instead)."""
    if contract.kind != "jsonl" or not staged:
        return
    found = connection.execute(
        "select delivery_id, key, count(*) from ("
        "  select delivery_id, unnest(json_keys) as key from checked_rows"
        ") where not list_contains(?, key) group by all order by all",
        [contract.column_names],
    ).fetchall()
    by_id = {d.delivery_id: d for d in staged}
    for delivery_id, key, rows in found:
        by_id[delivery_id].warnings.append(
            f"unexpected key {safe_display_path(key)!r} in {rows:,} row(s) ignored"
        )


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


def _unseen(delivery: Delivery, known: dict) -> bool:
    return (delivery.relative_path, delivery.sha256) not in known["seen"]


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

        files, links = find_files(contract, landing)
        new = [d for d in map(partial(linked_delivery, landing), links) if _unseen(d, known)]
        for path in files:
            content = read_delivery(contract, path)
            delivery = describe(contract, path, landing, content)
            if not _unseen(delivery, known):
                continue  # this exact file at this path is already accounted for
            new.append(delivery)
            if delivery.rejection:
                continue
            if (delivery.content_sha256, delivery.period) in known["loaded"]:
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
            if (delivery.content_sha256, delivery.period) in seen:
                duplicates.append(delivery)
            else:
                seen.add((delivery.content_sha256, delivery.period))
                to_read.append(delivery)

        unread = [d for d in new if d.rejection] + duplicates  # recorded with the first batch
        counts: dict[str, tuple[int, int]] = {}
        pairs: list[tuple[str, str]] = []
        for number, batch in enumerate(_batches(to_read) or [[]]):
            if batch:
                counts.update(_check_rows(connection, contract, batch, key))
                _check_replacements(contract, batch, known["current"], counts)
            loaded = [d for d in batch if not d.rejection]
            batch_pairs = _supersessions(contract, known["current"], loaded)
            pairs += batch_pairs
            finished = datetime.now(UTC).replace(tzinfo=None)
            recorded = (unread if number == 0 else []) + batch
            manifest = _manifest_rows(contract, recorded, duplicates, counts, started, finished)
            _write(connection, contract, manifest, finished, bool(loaded), batch_pairs)
    finally:
        connection.close()

    rows_read = sum(r for r, _ in counts.values())
    rows_loaded = sum(v for _, v in counts.values())
    shown = {d.delivery_id: safe_display_path(d.relative_path) for d in new}  # no control chars
    messages = (
        tuple(f"{shown[d.delivery_id]}: rejected: {d.rejection}" for d in new if d.rejection)
        + tuple(
            f"{shown[d.delivery_id]}: {w}" for d in to_read if not d.rejection for w in d.warnings
        )
        + tuple(
            f"{shown[d.delivery_id]}: the same rows for the same period were already loaded; "
            f"ignored"
            for d in duplicates
        )
    )
    for message in messages:
        log.warning("%s: %s", contract.name, message)
    log.info("%s: %d new file(s) in %.2fs", contract.name, len(new), time.perf_counter() - clock)
    return FeedLoadSummary(
        feed=contract.name,
        files_seen=len(new),
        files_loaded=sum(1 for d in to_read if not d.rejection),
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
                "the same rows for the same period were already loaded (the same content, "
                "whatever its byte-order mark or line endings)",
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
                "content_sha256": d.content_sha256,
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
            ("content_sha256", pa.string()),
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
