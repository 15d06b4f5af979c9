"""Reading batches from the warehouse: read-only, some deliveries or one mart at a time.

SQL lives in footprint/quality/sql/. Table and column names come from the feed
contracts and dbt's manifest, never from a delivery; they are checked to be plain
identifiers before they are written into a query.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from footprint import sql
from footprint.contracts import Contract

if TYPE_CHECKING:
    import pandas as pd

SQL_DIR = Path(__file__).parent / "sql"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class WarehouseError(RuntimeError):
    """The warehouse cannot give a batch: missing file, table or model."""


class WarehouseBusyError(WarehouseError):
    """Another process holds the warehouse for writing: a transient failure, retried."""


def _identifier(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise WarehouseError(f"{name!r} is not a plain table or column name")
    return name


@contextmanager
def read_only(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, closed on exit (a writer can open the file again after)."""
    if not warehouse.exists():
        raise WarehouseError(f"the warehouse {warehouse} does not exist yet: run ingestion first")
    try:
        connection = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        raise WarehouseBusyError(
            f"the warehouse {warehouse} is held by another process ({error}); try again later"
        ) from error
    try:
        yield connection
    finally:
        connection.close()


def _exists(connection: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    query = (SQL_DIR / "table_exists.sql").read_text()
    (found,) = connection.execute(query, {"schema": schema, "name": name}).fetchone()
    return bool(found)


@dataclass(frozen=True)
class Delivery:
    """One loaded delivery of a feed, and the delivery before it."""

    delivery_id: str
    file_path: str
    period: str | None
    period_start: date | None
    period_end: date | None
    rows_loaded: int
    previous_delivery_id: str | None
    previous_rows: int | None

    @property
    def label(self) -> str:
        return f"{self.file_path} (period {self.period or 'unknown'})"


def loaded_deliveries(connection: duckdb.DuckDBPyConnection, contract: Contract) -> list[Delivery]:
    """Deliveries of the feed whose rows are in raw.<organisation>__<feed>, oldest first."""
    if not _exists(connection, "raw", "load_manifest"):
        return []
    rows = connection.execute(
        (SQL_DIR / "feed_deliveries.sql").read_text(),
        {"organisation": contract.organisation, "feed": contract.feed},
    ).fetchall()
    return [Delivery(*row) for row in rows]


def _vectorisable(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as int64/float64 and times as datetime64[ns] where they fit: Great
    Expectations compares only those dtypes column-wise, every other one value by value
    in Python (DuckDB gives int32, nullable Int32 and datetime64[us])."""
    import pandas as pd

    for name, dtype in frame.dtypes.items():
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(dtype):
            if isinstance(dtype, pd.DatetimeTZDtype) or dtype == "datetime64[ns]":
                continue
            wanted = "datetime64[ns]"
        elif pd.api.types.is_integer_dtype(dtype) and dtype != "int64":
            wanted = "float64" if column.isna().any() else "int64"
        elif pd.api.types.is_float_dtype(dtype) and dtype != "float64":
            wanted = "float64"
        else:
            continue
        # a year beyond 2262 does not fit: such a column is compared value by value
        with contextlib.suppress(OverflowError, ValueError, pd.errors.OutOfBoundsDatetime):
            frame[name] = column.astype(wanted)
    return frame


def delivery_rows(
    connection: duckdb.DuckDBPyConnection, contract: Contract, delivery_ids: list[str]
) -> pd.DataFrame:
    """Some deliveries' rows as one DataFrame (dates and timestamps as datetime64),
    indexed 0..n-1 in delivery and file order."""
    table = _identifier(contract.name)
    if not _exists(connection, "raw", table):
        raise WarehouseError(f"raw.{table} does not exist: the feed has never been loaded")
    query = sql.render(SQL_DIR, "delivery_rows.sql.j2", table=table)
    return _vectorisable(connection.execute(query, {"delivery_ids": delivery_ids}).df())


def relation_rows(connection: duckdb.DuckDBPyConnection, schema: str, name: str) -> pd.DataFrame:
    """Every row of one mart as a DataFrame."""
    if not _exists(connection, _identifier(schema), _identifier(name)):
        raise WarehouseError(f"{schema}.{name} does not exist in the warehouse: has dbt run?")
    query = sql.render(SQL_DIR, "relation_rows.sql.j2", schema=schema, name=name)
    return _vectorisable(connection.execute(query).df())


def distinct_values(
    connection: duckdb.DuckDBPyConnection, schema: str, name: str, column: str
) -> list[Any]:
    if not _exists(connection, _identifier(schema), _identifier(name)):
        raise WarehouseError(f"{schema}.{name} does not exist in the warehouse: has dbt run?")
    query = sql.render(
        SQL_DIR, "distinct_values.sql.j2", schema=schema, name=name, column=_identifier(column)
    )
    return [value for (value,) in connection.execute(query).fetchall()]


@dataclass(frozen=True)
class DbtModel:
    name: str
    schema: str
    relation_name: str  # alias, or the name
    columns: tuple[str, ...]  # as documented in the model's YAML (may be empty)
    tags: tuple[str, ...]


@cache
def _dbt_models(dbt_manifest: Path, modified: float) -> dict[str, DbtModel]:
    manifest = json.loads(dbt_manifest.read_text())
    models = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        models[node["name"]] = DbtModel(
            name=node["name"],
            schema=node["schema"],
            relation_name=node.get("alias") or node["name"],
            columns=tuple(node.get("columns", {})),
            tags=tuple(node.get("config", {}).get("tags", node.get("tags", []))),
        )
    return models


def dbt_models(dbt_manifest: Path) -> dict[str, DbtModel]:
    """dbt's models by name, from target/manifest.json (re-read when it changes)."""
    if not dbt_manifest.exists():
        raise WarehouseError(f"{dbt_manifest} does not exist: run `dbt parse` first")
    return _dbt_models(dbt_manifest, dbt_manifest.stat().st_mtime)


def dbt_model(dbt_manifest: Path, name: str) -> DbtModel:
    models = dbt_models(dbt_manifest)
    if name not in models:
        raise WarehouseError(f"dbt has no model {name!r} (looked in {dbt_manifest})")
    return models[name]


def last_published_rows(published_manifest: Path) -> dict[str, int]:
    """Rows per mart relation (schema.name) in the current published build; {} if none."""
    if not published_manifest.exists():
        return {}
    manifest = json.loads(published_manifest.read_text())
    return {m["relation"]: int(m["rows"]) for m in manifest.get("marts", [])}
