"""Helpers for tests that build the dbt project on synthetic deliveries: run the
`footprint` and `dbt` commands against a throwaway landing folder and warehouse, and
compare two warehouses' tables by content."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from footprint.paths import PROJECT_ROOT

BIN = Path(sys.executable).parent
TEST_KEY = "5e" * 32
# the schemas whose tables an incremental build must reproduce exactly
COMPARED_SCHEMAS = ("core", "sdf")


@dataclass(frozen=True)
class Workspace:
    """One landing folder and one warehouse file, with dbt's target and logs beside."""

    root: Path
    landing: Path

    @property
    def warehouse(self) -> Path:
        # the file name is the catalog name dbt-duckdb writes into views: keep it
        return self.root / "warehouse" / "footprint.duckdb"

    def env(self) -> dict[str, str]:
        return os.environ | {
            "FOOTPRINT_LANDING": str(self.landing),
            "FOOTPRINT_WAREHOUSE": str(self.warehouse),
            "FOOTPRINT_PSEUDONYMISATION_KEY": TEST_KEY,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }

    def run(self, *command: str) -> str:
        result = subprocess.run(
            list(command), cwd=PROJECT_ROOT, env=self.env(), capture_output=True, text=True
        )
        assert result.returncode == 0, (
            f"{' '.join(command[:2])} failed:\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
        )
        return result.stdout

    def ingest(self) -> None:
        self.run(str(BIN / "footprint"), "ingest")

    def dbt_build(self, *extra: str) -> str:
        """`dbt build` of models and seeds (the data tests have their own runs)."""
        return self.run(
            str(BIN / "dbt"),
            "build",
            "--profiles-dir",
            str(PROJECT_ROOT),
            "--target-path",
            str(self.root / "target"),
            "--log-path",
            str(self.root / "logs"),
            "--resource-type",
            "model",
            "--resource-type",
            "seed",
            *extra,
        )


def tables(warehouse: Path, schemas: tuple[str, ...] = COMPARED_SCHEMAS) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and list_contains($schemas, table_schema) "
            "order by 1",
            {"schemas": list(schemas)},
        ).fetchall()
    return [row[0] for row in rows]


FLOATING_TYPES = ("DOUBLE", "FLOAT", "REAL")
RELATIVE_TOLERANCE = 1e-9


def differences(built: Path, rebuilt: Path, table: str) -> tuple[int, int]:
    """(rows that differ, row count of `built`) between two warehouses' copies of a table.

    Rows are paired in the order of every column that is not floating point (the grain
    columns of every mart are among them); paired rows must agree exactly on those
    columns and within RELATIVE_TOLERANCE on the floating-point ones (a sum of doubles
    depends on the order rows are read in, which an incremental table does not share
    with a rebuilt one, so the last bits may differ). A row in one copy only counts
    as different."""
    with duckdb.connect() as connection:
        connection.execute("attach $path as built (read_only)", {"path": str(built)})
        connection.execute("attach $path as rebuilt (read_only)", {"path": str(rebuilt)})
        schema, name = table.split(".")
        columns = connection.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = 'built' and table_schema = $schema and table_name = $name "
            "order by ordinal_position",
            {"schema": schema, "name": name},
        ).fetchall()
        exact = [f'"{column}"' for column, kind in columns if kind not in FLOATING_TYPES]
        floating = [f'"{column}"' for column, kind in columns if kind in FLOATING_TYPES]
        order = ", ".join(f"{column} nulls first" for column in exact)
        same = [f"one.{c} is not distinct from other.{c}" for c in exact] + [
            f"(one.{c} is not distinct from other.{c} or abs(one.{c} - other.{c}) "
            f"<= {RELATIVE_TOLERANCE} * greatest(abs(one.{c}), abs(other.{c})))"
            for c in floating
        ]
        query = f"""
            with one as (
                select *, row_number() over (order by {order}) as row_position
                from built.{table}
            ),
            other as (
                select *, row_number() over (order by {order}) as row_position
                from rebuilt.{table}
            )
            select
                count(*) filter (where one.row_position is null or other.row_position is null
                    or not ({" and ".join(same)})),
                count(one.row_position)
            from one
            full join other on one.row_position = other.row_position
        """
        return connection.execute(query).fetchone()
