"""What publication takes from the quality gate: the run's check results as plain rows
for the publish manifest, and the offline report to publish beside the marts."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from footprint.paths import dbt_manifest_path
from footprint.quality.report import summarise, write_report
from footprint.quality.results import CheckpointResult, load_run
from footprint.quality.specs import EXPECTATIONS_DIR, load_checkpoints
from footprint.quality.warehouse import WarehouseError, dbt_models

log = logging.getLogger(__name__)


def manifest_rows(results: list[CheckpointResult]) -> list[dict[str, Any]]:
    """One row per checkpoint and expectation (over all its batches), no examples:
    the publish manifest is public, the examples stay in the report."""
    rows: list[dict[str, Any]] = []
    for result in results:
        common = {"checkpoint": result.checkpoint, "asset": "/".join(result.asset_key)}
        if result.error:
            rows.append(
                {
                    **common,
                    "expectation": "checkpoint ran",
                    "severity": "blocking" if result.has_blocking else "warning",
                    "status": "failed",
                    "message": result.error,
                }
            )
        for summary in summarise(result).expectations:
            rows.append(
                {
                    **common,
                    "expectation": summary.name,
                    "description": summary.description,
                    "severity": summary.severity,
                    "status": summary.status,
                    "batches_passed": summary.passed,
                    "batches_failed": summary.failed,
                    "batches_not_checked": summary.skipped,
                }
            )
    return rows


def unchecked_marts(
    expectations_dir: Path = EXPECTATIONS_DIR, dbt_manifest: Path | None = None
) -> list[str]:
    """Models tagged `published` in dbt that no checkpoint validates."""
    try:
        models = dbt_models(dbt_manifest or dbt_manifest_path())
    except WarehouseError:
        return []
    checked = {c.target for c in load_checkpoints(expectations_dir) if c.kind == "mart"}
    return sorted(
        f"{m.schema}.{m.relation_name}"
        for m in models.values()
        if "published" in m.tags and m.name not in checked
    )


def checks_and_report(
    run_id: str,
    warehouse: Path | None = None,
    expectations_dir: Path = EXPECTATIONS_DIR,
    dbt_manifest: Path | None = None,
) -> tuple[list[dict[str, Any]], Path]:
    """(rows for publisher.publish(checks=...), path of quality_report.html) for a run.

    Reads every checkpoint result the run saved and writes the report beside them, at
    <warehouse folder>/quality/runs/<run_id>/quality_report.html.
    """
    results = load_run(run_id, warehouse)
    notes = [
        f"The published mart {relation} has no quality checkpoint: add one in "
        "expectations/checkpoints/."
        for relation in unchecked_marts(expectations_dir, dbt_manifest)
    ]
    if not results:
        log.warning("no quality results were saved for run %s", run_id)
    report = write_report(run_id, results, notes, warehouse)
    return manifest_rows(results), report
