"""Atomic publication of the marts tagged `published` in dbt.

Layout of the published folder (readers only ever open files read-only):

    published/footprint.duckdb     the current version (same name every build)
    published/manifest.json        its publish manifest
    published/current/             -> versions/<build id>/ (Parquet, CSV, Excel, data
                                   dictionary, manifest, report)
    published/versions/<build id>/ the last N versions, for rollback
    published/editions/<edition>/  frozen quarterly and annual editions (editions.py);
                                   never pruned

The DuckDB file is written in storage format v1.0.0, which every DuckDB reader since 1.0
opens (most ODBC and JDBC drivers, BI connectors and R still bundle a 1.x); the files of
a version are made read-only once complete, as the audit record states their sha256.

A build writes everything into a staging folder first, closes the DuckDB file after a
CHECKPOINT, then swaps it in with os.replace, so a reader sees the old version or the
new one, never half of one. A failed gate never reaches this module.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from footprint import sql
from footprint.paths import PROJECT_ROOT
from footprint.publish import postgres
from footprint.publish.exports import DICTIONARY_NAME, comment_marts, write_exports

SQL_DIR = Path(__file__).parent / "sql"
DATABASE_NAME = "footprint.duckdb"
MANIFEST_NAME = "manifest.json"
KEEP_VERSIONS = 7
# the oldest DuckDB storage format that holds everything published: readable by 1.x
STORAGE_VERSION = "v1.0.0"


class PublishError(RuntimeError):
    """Publication could not complete; the previous published version is untouched."""


@dataclass(frozen=True)
class Mart:
    schema: str
    name: str
    description: str = ""
    columns: tuple[tuple[str, str], ...] = ()  # (name, description) as dbt documents them

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.name}"


def published_marts(dbt_manifest: Path) -> list[Mart]:
    """Models tagged `published` in dbt's manifest, with their dbt documentation."""
    manifest = json.loads(dbt_manifest.read_text())
    marts = [
        Mart(
            node["schema"],
            node["name"],
            " ".join(node.get("description", "").split()),
            tuple(
                (name, " ".join(column.get("description", "").split()))
                for name, column in node.get("columns", {}).items()
            ),
        )
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and "published" in node["config"].get("tags", [])
    ]
    return sorted(marts, key=lambda m: m.relation)


def code_version() -> str:
    """The git commit the build ran from (with -dirty for uncommitted changes)."""
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
        return result.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def new_build_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def _deliveries(connection: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    rows = connection.execute((SQL_DIR / "deliveries_behind_build.sql").read_text()).fetchall()
    names = [
        "organisation",
        "feed",
        "file_path",
        "period",
        "sha256",
        "rows_loaded",
        "rows_quarantined",
    ]
    return [dict(zip(names, row, strict=True)) for row in rows]


def _write_json(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")


def _swap(source: Path, target: Path) -> None:
    """Make `target` the same file as `source`, atomically (hard link, else copy)."""
    temporary = target.with_name(f".{target.name}.incoming")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copy2(source, temporary)
    os.replace(temporary, target)


def _point_current(published: Path, version: Path) -> None:
    link = published / "current"
    temporary = published / ".current.incoming"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(version.relative_to(published), target_is_directory=True)
    os.replace(temporary, link)


def publish(
    warehouse: Path,
    published: Path,
    dbt_manifest: Path,
    checks: list[dict[str, Any]],
    quality_report: Path | None = None,
    keep: int = KEEP_VERSIONS,
) -> dict[str, Any]:
    """Publish the marts; returns the publish manifest."""
    marts = published_marts(dbt_manifest)
    if not marts:
        raise PublishError(f"no model is tagged 'published' in {dbt_manifest}")
    build_id = new_build_id()
    version_code = code_version()
    published_at = datetime.now(UTC).replace(tzinfo=None)
    staging = published / ".staging" / build_id
    # one build at a time (build_lock): anything left in .staging is from a build that
    # died or failed, and only takes space the new version needs
    shutil.rmtree(staging.parent, ignore_errors=True)
    (staging / "parquet").mkdir(parents=True)
    try:
        connection = duckdb.connect()
        try:
            connection.execute("attach ? as wh (read_only)", [str(warehouse)])
            connection.execute(
                f"attach ? as published (storage_version '{STORAGE_VERSION}')",
                [str(staging / DATABASE_NAME)],
            )
            row_counts: dict[str, int] = {}
            for mart in marts:
                script = sql.render(SQL_DIR, "copy_mart.sql.j2", schema=mart.schema, name=mart.name)
                sql.run_script(connection, script)
                (count,) = connection.execute(
                    sql.render(SQL_DIR, "count_rows.sql.j2", relation=mart.relation)
                ).fetchone()
                row_counts[mart.relation] = count
                connection.execute(
                    sql.render(SQL_DIR, "to_parquet.sql.j2", relation=mart.relation),
                    {"path": str(staging / "parquet" / f"{mart.relation}.parquet")},
                )
            comment_marts(connection, marts)
            exports = write_exports(connection, marts, staging)
            sql.run_script(
                connection,
                sql.render(SQL_DIR, "build_info.sql.j2"),
                {"build_id": build_id, "code_version": version_code, "published_at": published_at},
            )
            deliveries = _deliveries(connection)
            connection.execute("checkpoint published")
            connection.execute("detach published")
        finally:
            connection.close()

        manifest = {
            "build_id": build_id,
            "code_version": version_code,
            "published_at": published_at.isoformat(),
            "marts": [
                {
                    "relation": m.relation,
                    "rows": row_counts[m.relation],
                    "parquet": f"parquet/{m.relation}.parquet",
                    **exports[m.relation],
                }
                for m in marts
            ],
            "data_dictionary": DICTIONARY_NAME,
            "postgres": postgres.configured_url() is not None,
            "deliveries": deliveries,
            "checks": checks,
            "quality_report": "quality_report.html" if quality_report else None,
        }
        if quality_report:
            shutil.copy2(quality_report, staging / "quality_report.html")
        _write_json(staging / MANIFEST_NAME, manifest)
        for path in staging.rglob("*"):
            if path.is_file():
                path.chmod(0o444)  # the audit record states these bytes

        postgres_version = None
        if url := postgres.configured_url():
            postgres_version = postgres.PostgresVersion(url, staging / DATABASE_NAME, build_id)
            postgres_version.load()

        version = published / "versions" / build_id
        version.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # e.g. a full disk: free it again
        raise
    _activate(published, version)
    if postgres_version:
        postgres_version.swap()
    _prune(published, keep)
    return manifest


def _activate(published: Path, version: Path) -> None:
    """Swap a complete version in: the database first, then its manifest and Parquet."""
    _swap(version / DATABASE_NAME, published / DATABASE_NAME)
    _swap(version / MANIFEST_NAME, published / MANIFEST_NAME)
    _point_current(published, version)


def versions(published: Path) -> list[str]:
    """Build ids of the kept versions, oldest first."""
    folder = published / "versions"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / MANIFEST_NAME).exists())


def current_build_id(published: Path) -> str | None:
    path = published / MANIFEST_NAME
    return json.loads(path.read_text())["build_id"] if path.exists() else None


def rollback(published: Path, to_build_id: str | None = None) -> str:
    """Make an earlier kept version current again; returns its build id."""
    kept = versions(published)
    current = current_build_id(published)
    if to_build_id is None:
        earlier = [b for b in kept if current is None or b < current]
        if not earlier:
            raise PublishError(
                f"there is no version earlier than {current} to roll back to; kept versions: {kept}"
            )
        to_build_id = earlier[-1]
    if to_build_id not in kept:
        raise PublishError(f"version {to_build_id!r} is not kept; kept versions: {kept}")
    version = published / "versions" / to_build_id
    postgres_version = None
    if url := postgres.configured_url():
        # loaded under a fresh name: the rolled-back build's own may still be in use
        postgres_version = postgres.PostgresVersion(url, version / DATABASE_NAME, new_build_id())
        postgres_version.load()
    _activate(published, version)
    if postgres_version:
        postgres_version.swap()
    return to_build_id


def _prune(published: Path, keep: int) -> None:
    current = current_build_id(published)
    for build_id in versions(published)[:-keep]:
        if build_id != current:
            shutil.rmtree(published / "versions" / build_id)
