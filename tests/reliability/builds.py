"""A minimal build to publish: a warehouse with one aggregate mart tagged `published`
and one person-level table that is not, and the dbt manifest that says so."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb


def make_build(root: Path, value: int, rows: int = 2000) -> tuple[Path, Path]:
    root.mkdir(parents=True, exist_ok=True)
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        for schema in ("sdf", "core", "raw"):
            connection.execute(f"create schema if not exists {schema}")
        connection.execute(
            "create or replace table sdf.indicator_values as select 'SDF' || (range % 7) "
            "as area_code, range as indicator_row, ? * 5 as numerator, hash(range + ?) as noise "
            "from range(?)",
            [value, value, rows],
        )
        connection.execute(
            "create or replace table core.dim_persons as select md5(range::varchar) "
            "as person_pseudonym, 1940 + range % 60 as birth_year from range(100)"
        )
        connection.execute(
            "create or replace table raw.load_manifest as select 'trust' as organisation, "
            "'ae_attendances' as feed, 'trust/ae/a.csv' as file_path, '2025-03-04' as period, "
            "'ab' as sha256, 10 as rows_loaded, 1 as rows_quarantined, 'loaded' as status"
        )
    manifest = root / "manifest.json"
    nodes = {
        "model.footprint.indicator_values": ("sdf", "indicator_values", ["published"]),
        "model.footprint.dim_persons": ("core", "dim_persons", []),
    }
    manifest.write_text(
        json.dumps(
            {
                "nodes": {
                    key: {
                        "resource_type": "model",
                        "schema": schema,
                        "name": name,
                        "config": {"tags": tags},
                    }
                    for key, (schema, name, tags) in nodes.items()
                }
            }
        )
    )
    return warehouse, manifest


def content_hash(
    database: Path,
    schemas: tuple[str, ...] = ("sdf",),
    ignore: tuple[str, ...] = (),
) -> str:
    """A hash of every row of every table in the given schemas, independent of row
    order and of the file's physical layout; columns named in `ignore` (load times)
    are left out."""
    digest = hashlib.sha256()
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) and table_type = 'BASE TABLE' "
            "order by all",
            [list(schemas)],
        ).fetchall()
        for schema, table in tables:
            relation = f'"{schema}"."{table}"'
            columns = connection.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? and column_name not in "
                "(select unnest(?)) order by ordinal_position",
                [schema, table, list(ignore) or [""]],
            ).fetchall()
            row = "row(" + ", ".join(f'"{n}"' for n, _ in columns) + ")"
            rows = connection.execute(
                f"select count(*), coalesce(bit_xor(hash({row})), 0), "
                f"coalesce(sum(hash({row}) % 1000003), 0) from {relation}"
            ).fetchone()
            digest.update(repr((schema, table, columns, rows)).encode())
    return digest.hexdigest()
