"""The quality gate for one run: every result the run saved (Great Expectations
checkpoints and dbt's tests), the offline report rendered from them, whether publication
may go ahead, and the check results as plain rows for the publish manifest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from footprint.paths import dbt_manifest_path
from footprint.quality.report import summarise, write_report
from footprint.quality.results import DBT_TESTS, CheckpointResult, load_run
from footprint.quality.specs import EXPECTATIONS_DIR, load_checkpoints
from footprint.quality.warehouse import WarehouseError, dbt_models


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


def _gate_problems(results: list[CheckpointResult], missing: list[str]) -> list[str]:
    """Why the build must not be published, in words; empty when it may be."""
    problems = []
    for result in results:
        if not result.blocking_failed:
            continue
        where = "/".join(result.asset_key) or result.target
        if result.error:
            problems.append(f"{result.checkpoint} on {where} could not run: {result.error}")
            continue
        failed = sorted({e.name for b in result.batches for e in b.failed_blocking})
        problems.append(
            f"{result.checkpoint} on {where}: blocking check(s) failed: " + "; ".join(failed)
        )
    problems += [f"{name} has no result in this run" for name in missing]
    return problems


@dataclass(frozen=True)
class RunQuality:
    """The gate's view of one run: its results, the report, and what stops publication."""

    run_id: str
    results: list[CheckpointResult]
    report: Path
    problems: list[str]  # empty: every check ran and no blocking check failed

    @property
    def manifest_rows(self) -> list[dict[str, Any]]:
        return manifest_rows(self.results)


def run_quality(
    run_id: str,
    warehouse: Path | None = None,
    expectations_dir: Path = EXPECTATIONS_DIR,
    dbt_manifest: Path | None = None,
) -> RunQuality:
    """Read every result the run saved so far and (re)write its report, at
    <warehouse folder>/quality/runs/<run_id>/quality_report.html.

    Called whenever a result is saved (each checkpoint, dbt's tests) and by publication,
    so the report exists, and names what failed, even when publication never runs.
    """
    results = load_run(run_id, warehouse)
    expected = [c.name for c in load_checkpoints(expectations_dir)] + [DBT_TESTS]
    saved = {r.checkpoint for r in results}
    missing = [name for name in expected if name not in saved]
    notes = [
        f"The published mart {relation} has no quality checkpoint: add one in "
        "expectations/checkpoints/."
        for relation in unchecked_marts(expectations_dir, dbt_manifest)
    ]
    if missing:
        notes.append(
            f"No result in this run for {', '.join(missing)}: they had not run when this "
            "report was written, or a step before them failed (see the Dagster run)."
        )
    report = write_report(run_id, results, notes, warehouse)
    return RunQuality(run_id, results, report, _gate_problems(results, missing))
