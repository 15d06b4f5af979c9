"""The auditor's record of one published build, written beside the marts.

    published/versions/<build id>/audit/audit_record.json   (and .html, and the lineage)

Made from the publish manifest (build id, code version, deliveries with sha256, quality
checks, row counts), dbt's results of the build (tests passed and failed) and the
column lineage, so one folder answers: which code, which files, which checks, what was
published and where each published column comes from. Aggregates and file names only:
nothing person-level is written.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from footprint.lineage.artifacts import build_run_results
from footprint.lineage.render import render, write_atomically
from footprint.lineage.report import LINEAGE_HTML, LINEAGE_JSON

AUDIT_DIR = "audit"
RECORD_JSON = "audit_record.json"
RECORD_HTML = "audit_record.html"
MANIFEST_NAME = "manifest.json"


class AuditError(RuntimeError):
    """The published build to describe is missing or incomplete."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dbt_results_summary(target_dir: Path) -> dict[str, Any]:
    """Counts of the build's dbt node results by resource type and status, and what did
    not pass."""
    run_results = build_run_results(target_dir)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    failures: list[dict[str, str]] = []
    for result in run_results["results"]:
        kind = result["unique_id"].split(".", 1)[0]
        counts[kind][result["status"]] += 1
        if result["status"] in {"fail", "error", "warn"}:
            failures.append(
                {
                    "node": result["unique_id"],
                    "status": result["status"],
                    "message": result.get("message") or "",
                }
            )
    return {
        "invocation_id": run_results["metadata"]["invocation_id"],
        "command": run_results["args"]["which"],
        "generated_at": run_results["metadata"]["generated_at"],
        "results": {kind: dict(statuses) for kind, statuses in sorted(counts.items())},
        "not_passed": failures,
    }


def _feed_totals(deliveries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for delivery in deliveries:
        key = (delivery["organisation"], delivery["feed"])
        entry = totals.setdefault(
            key,
            {
                "organisation": key[0],
                "feed": key[1],
                "files": 0,
                "rows_loaded": 0,
                "rows_quarantined": 0,
            },
        )
        entry["files"] += 1
        entry["rows_loaded"] += int(delivery.get("rows_loaded") or 0)
        entry["rows_quarantined"] += int(delivery.get("rows_quarantined") or 0)
    return [totals[key] for key in sorted(totals)]


def _check_summary(checks: list[dict[str, Any]]) -> dict[str, int]:
    return dict(Counter(str(check.get("status", "unknown")) for check in checks))


def _column_sources(lineage: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            key: column[key]
            for key in ("relation", "column", "raw_columns", "seed_columns", "feeds", "page")
        }
        for column in lineage["columns"]
    ]


def audit_record(version_dir: Path, lineage: dict[str, Any], target_dir: Path) -> dict[str, Any]:
    """The audit record of the published version in version_dir."""
    manifest_path = version_dir / MANIFEST_NAME
    if not manifest_path.exists():
        raise AuditError(f"{manifest_path} does not exist: publish the build first")
    manifest = json.loads(manifest_path.read_text())
    marts = []
    for mart in manifest["marts"]:
        parquet = version_dir / mart["parquet"]
        marts.append({**mart, "parquet_sha256": _sha256(parquet) if parquet.exists() else None})
    database = version_dir / "footprint.duckdb"
    deliveries = manifest["deliveries"]
    return {
        "build_id": manifest["build_id"],
        "code_version": manifest["code_version"],
        "published_at": manifest["published_at"],
        "database_sha256": _sha256(database) if database.exists() else None,
        "marts": marts,
        "deliveries": deliveries,
        "delivery_totals": _feed_totals(deliveries),
        "quality_checks": manifest.get("checks", []),
        "quality_check_summary": _check_summary(manifest.get("checks", [])),
        "dbt_results": dbt_results_summary(target_dir),
        "column_sources": _column_sources(lineage),
        "documents": {
            "column_lineage_json": LINEAGE_JSON,
            "column_lineage_html": LINEAGE_HTML,
            "docs_site": "../docs/index.html",
            "quality_report": f"../{manifest['quality_report']}"
            if manifest.get("quality_report")
            else None,
        },
    }


def write_audit_record(version_dir: Path, lineage: dict[str, Any], target_dir: Path) -> Path:
    """Write audit/audit_record.json and .html into version_dir."""
    record = audit_record(version_dir, lineage, target_dir)
    out = version_dir / AUDIT_DIR
    write_atomically(out / RECORD_HTML, render("audit_record.html.j2", record=record))
    return write_atomically(out / RECORD_JSON, json.dumps(record, indent=2, default=str) + "\n")


def read_audit_record(version_dir: Path) -> dict[str, Any]:
    path = version_dir / AUDIT_DIR / RECORD_JSON
    if not path.exists():
        raise AuditError(f"{path} does not exist: run `footprint lineage publish` first")
    return json.loads(path.read_text())


def column_deliveries(record: dict[str, Any], relation: str, column: str) -> dict[str, Any]:
    """A published column's sources, and the delivery files (with sha256) of its feeds
    that the build was made from."""
    for entry in record["column_sources"]:
        if (entry["relation"], entry["column"]) == (relation, column.lower()):
            feeds = set(entry["feeds"])
            deliveries = [
                d for d in record["deliveries"] if f"{d['organisation']}/{d['feed']}" in feeds
            ]
            return {**entry, "build_id": record["build_id"], "deliveries": deliveries}
    published = sorted({f"{e['relation']}.{e['column']}" for e in record["column_sources"]})
    raise AuditError(
        f"{relation}.{column} is not a published column of build {record['build_id']}; "
        f"published columns: {', '.join(published)}"
    )
