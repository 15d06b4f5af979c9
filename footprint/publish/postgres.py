"""Publication to PostgreSQL, for tools that speak SQL over the network (optional).

When FOOTPRINT_POSTGRES_URL is set (a libpq connection string or URL for a role that may
create schemas in that database), each publication copies the published DuckDB file's
tables into PostgreSQL under the same schema and table names, with the same comments.

Readers are never blocked and never see half a version: a version is loaded into new
schemas (<schema>__<build id>) while readers go on reading the current ones, then one
short transaction renames the current schemas away and the new ones into their place.
Renaming a schema takes no lock on its tables, so a query that is running finishes on
the version it started with, and the next sees the new one. The replaced schemas are
dropped once no reader holds their tables (an attempt that would wait is left for the
next publication).

Readers log in as members of a read-only role (FOOTPRINT_POSTGRES_READER, default
footprint_reader), which is granted USAGE and SELECT on each version and nothing else.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)
READER_ROLE = "footprint_reader"
TYPES = {
    "VARCHAR": "text",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "BOOLEAN": "boolean",
}
OLD_MARK = "__replaced_"


def configured_url() -> str | None:
    return os.environ.get("FOOTPRINT_POSTGRES_URL") or None


def reader_role() -> str:
    return os.environ.get("FOOTPRINT_POSTGRES_READER") or READER_ROLE


class PostgresPublishError(RuntimeError):
    """The PostgreSQL copy could not be made; the version readers see there is unchanged."""


@contextmanager
def _connect(url: str) -> Iterator:
    import psycopg  # only a publication with PostgreSQL configured pays for the import

    try:
        connection = psycopg.connect(url, connect_timeout=10, autocommit=True)
    except psycopg.Error as err:
        raise PostgresPublishError(
            f"cannot connect to PostgreSQL (FOOTPRINT_POSTGRES_URL): {str(err).strip()}"
        ) from None
    try:
        yield connection
    finally:
        connection.close()


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class PostgresVersion:
    """One published version loaded beside the current one, ready to swap in."""

    def __init__(self, url: str, database_file: Path, name: str) -> None:
        """`name` (a build id) tells this load's schemas apart; used once only."""
        self.url = url
        self.database_file = database_file
        self.suffix = "__" + name.lower()
        self.schemas: list[str] = []

    def load(self) -> None:
        """Copy every table of the published file into new schemas, with comments and
        the reader role's grants. Readers see none of it yet."""
        reader = reader_role()
        with duckdb.connect(str(self.database_file), read_only=True) as source:
            tables = source.execute(
                "select schema_name, table_name, comment from duckdb_tables() "
                "where database_name = current_database() order by all"
            ).fetchall()
            self.schemas = sorted({schema for schema, _, _ in tables})
            with _connect(self.url) as target, target.transaction():
                self._ensure_reader(target, reader)
                for schema in self.schemas:
                    staged = _ident(schema + self.suffix)
                    target.execute(f"drop schema if exists {staged} cascade")
                    target.execute(f"create schema {staged}")
                    target.execute(f"grant usage on schema {staged} to {_ident(reader)}")
                for schema, table, comment in tables:
                    self._copy_table(source, target, schema, table, comment, reader)

    @staticmethod
    def _ensure_reader(target, reader: str) -> None:
        exists = target.execute("select 1 from pg_roles where rolname = %s", [reader]).fetchone()
        if not exists:
            target.execute(f"create role {_ident(reader)} nologin")

    def _copy_table(self, source, target, schema, table, comment, reader) -> None:
        columns = source.execute(
            "select column_name, data_type, comment from duckdb_columns() "
            "where database_name = current_database() and schema_name = ? and table_name = ? "
            "order by column_index",
            [schema, table],
        ).fetchall()
        unknown = [f"{name} {kind}" for name, kind, _ in columns if kind not in TYPES]
        if unknown:
            raise PostgresPublishError(
                f"{schema}.{table}: no PostgreSQL type is mapped for {unknown} "
                f"(footprint/publish/postgres.py TYPES)"
            )
        relation = f"{_ident(schema + self.suffix)}.{_ident(table)}"
        definition = ", ".join(f"{_ident(n)} {TYPES[k]}" for n, k, _ in columns)
        target.execute(f"create table {relation} ({definition})")
        names = ", ".join(_ident(n) for n, _, _ in columns)
        result = source.execute(f"select {names} from {_ident(schema)}.{_ident(table)}")
        with target.cursor().copy(f"copy {relation} ({names}) from stdin") as copy:
            while batch := result.fetchmany(10_000):
                for row in batch:
                    copy.write_row(row)
        if comment:
            target.execute(f"comment on table {relation} is {_literal(comment)}")
        for name, _, column_comment in columns:
            if column_comment:
                target.execute(
                    f"comment on column {relation}.{_ident(name)} is {_literal(column_comment)}"
                )
        target.execute(f"grant select on {relation} to {_ident(reader)}")

    def swap(self) -> None:
        """Put the loaded version in place of the current one, in one transaction, then
        drop what it replaced where no reader holds it."""
        with _connect(self.url) as target:
            with target.transaction():
                for schema in self.schemas:
                    current = target.execute(
                        "select 1 from pg_namespace where nspname = %s", [schema]
                    ).fetchone()
                    if current:
                        target.execute(
                            f"alter schema {_ident(schema)} "
                            f"rename to {_ident(schema + OLD_MARK + self.suffix[2:])}"
                        )
                    target.execute(
                        f"alter schema {_ident(schema + self.suffix)} rename to {_ident(schema)}"
                    )
            drop_replaced(target)


def drop_replaced(target) -> None:
    """Drop replaced versions that no reader is using; one still in use is left for the
    next publication rather than waited for (waiting would queue new readers behind it)."""
    import psycopg

    replaced = target.execute(
        "select nspname from pg_namespace where position(%s in nspname) > 0 order by 1",
        [OLD_MARK],
    ).fetchall()
    for (schema,) in replaced:
        try:
            with target.transaction():
                target.execute("set local lock_timeout = '1s'")
                target.execute(f"drop schema {_ident(schema)} cascade")
        except psycopg.errors.LockNotAvailable:
            log.info("PostgreSQL schema %s is still being read; dropped next time", schema)
