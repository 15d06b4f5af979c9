"""The limit: the same loads and the same mart SQL in one plain DuckDB connection.

No orchestration, no dbt, no Great Expectations, no row validation or quarantine:

1. load: every feed's files in one read_csv / read_json scan (the Excel feed through
   openpyxl), typed by the feed contract's column types, identifiers replaced by a
   keyed SHA-256 in SQL, plus a minimal load manifest (the models read it);
2. transform: dbt's own compiled SQL (`dbt compile`: target/manifest.json) of every
   seed and model, in dependency order, as CREATE TABLE / CREATE VIEW.

    python -m bench.plain_duckdb --landing L --database D/footprint.duckdb \
        --manifest target/manifest.json --project . [--timings T]

The database file must be called like the warehouse (footprint.duckdb): dbt's compiled
SQL names relations by catalog, and DuckDB's catalog is the file's stem.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from bench.manifest import models_in_order
from footprint import sql
from footprint.contracts import Contract, all_contracts
from footprint.ingest.deliveries import describe, read_workbook

SQL_DIR = Path(__file__).parent / "sql"


def _files(landing: Path, contract: Contract) -> list[str]:
    folder = landing / contract.organisation / contract.feed
    return sorted(str(p) for p in folder.rglob("*") if p.is_file())


def _workbook_rows(contract: Contract, landing: Path, files: list[str]) -> pa.Table:
    """The Excel deliveries' rows as text, read the way ingestion reads them."""
    columns: dict[str, list[str | None]] = {n: [] for n in [*contract.column_names, "filename"]}
    for name in files:
        path = Path(name)
        content = path.read_bytes()
        delivery = describe(contract, path, landing, content)
        read_workbook(contract, delivery, content)
        for row in delivery.rows or []:
            values = dict(zip(delivery.header, row, strict=False))
            for column in contract.column_names:
                columns[column].append(values.get(column))
            columns["filename"].append(name)
    return pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})


def load(connection: duckdb.DuckDBPyConnection, landing: Path, key: str) -> None:
    """raw.<organisation>__<feed> for every feed, and raw.load_manifest."""
    connection.execute("create schema if not exists raw")
    for contract in all_contracts():
        files = _files(landing, contract)
        if not files:
            continue
        if contract.kind == "xlsx":
            connection.register("workbook_rows", _workbook_rows(contract, landing, files))
        period_pattern = contract.pattern.pattern.replace("(?P<period>", "(")
        script = sql.render(SQL_DIR, "load_feed.sql.j2", contract=contract,
                            period_pattern=period_pattern)  # fmt: skip
        sql.run_script(connection, script, {"files": files, "key": key})


def _seed(connection: duckdb.DuckDBPyConnection, node: dict[str, Any], project: Path) -> None:
    types = node["config"].get("column_types") or {}
    options = ""
    if types:
        options = ", types = {" + ", ".join(f"'{k}': '{v}'" for k, v in types.items()) + "}"
    connection.execute(
        f"create or replace table {node['relation_name']} as "
        f"select * from read_csv('{project / node['original_file_path']}', header = true{options})"
    )


def transform(
    connection: duckdb.DuckDBPyConnection, manifest: dict[str, Any], project: Path
) -> dict[str, float]:
    """Every seed and model, dbt's compiled SQL, in dependency order; seconds per node."""
    seconds: dict[str, float] = {}
    for node in models_in_order(manifest):
        started = time.perf_counter()
        connection.execute(f"create schema if not exists {node['database']}.{node['schema']}")
        if node["resource_type"] == "seed":
            _seed(connection, node, project)
        else:
            kind = "view" if node["config"]["materialized"] == "view" else "table"
            connection.execute(
                f"create or replace {kind} {node['relation_name']} as\n{node['compiled_code']}"
            )
        seconds[node["unique_id"]] = round(time.perf_counter() - started, 4)
    return seconds


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.plain_duckdb")
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument(
        "--manifest", type=Path, required=True, help="dbt's compiled target/manifest.json"
    )
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="dbt project (seeds)")
    parser.add_argument("--key", default="benchmark-key")
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--timings", type=Path, help="write seconds per phase and node here")
    args = parser.parse_args(list(argv) if argv is not None else None)

    args.database.parent.mkdir(parents=True, exist_ok=True)
    args.database.unlink(missing_ok=True)
    connection = duckdb.connect(
        str(args.database),
        config={"memory_limit": args.memory_limit, "preserve_insertion_order": False},
    )
    timings: dict[str, Any] = {}
    started = time.perf_counter()
    load(connection, args.landing, args.key)
    timings["load_seconds"] = round(time.perf_counter() - started, 3)
    manifest = json.loads(args.manifest.read_text())
    started = time.perf_counter()
    timings["nodes"] = transform(connection, manifest, args.project)
    timings["transform_seconds"] = round(time.perf_counter() - started, 3)
    connection.execute("checkpoint")
    connection.close()
    if args.timings:
        args.timings.write_text(json.dumps(timings, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
