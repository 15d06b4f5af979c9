"""The quality gate as Dagster asset checks: one per checkpoint file in
expectations/checkpoints/. They run in two steps, the deliveries' checkpoints after
ingestion and the marts' after dbt; within a step the checkpoints run side by side in
worker processes (footprint.quality.runner.run_checkpoints).

A delivery checkpoint checks the ingestion asset raw/<organisation>__<feed>; a mart
checkpoint checks the dbt asset <schema>/<model> (the key dbt_assets.py's translator
gives it). A checkpoint whose suite has blocking expectations is a blocking check: when
one of those fails (severity ERROR) Dagster does not run what is downstream of the
asset in the same run, so nothing is published. Failing warnings only are reported
with severity WARN and block nothing.

Great Expectations is imported only when a check runs, never when the definitions load.
(No `from __future__ import annotations` here: Dagster reads the check's `context`
annotation as a class.)
"""

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg

from footprint.paths import dbt_manifest_path
from footprint.quality.results import CheckpointResult
from footprint.quality.runner import asset_key_path, feed_contract
from footprint.quality.specs import EXPECTATIONS_DIR, CheckpointSpec, load_checkpoints
from footprint.quality.warehouse import WarehouseError
from orchestration.retries import retry_when_warehouse_busy

log = logging.getLogger(__name__)
MAX_ROWS_IN_METADATA = 25


def check_name(checkpoint: CheckpointSpec) -> str:
    return f"expectations_{checkpoint.name}"


def _failure_table(result: CheckpointResult) -> str:
    """Markdown: the failing expectations, blocking first, with what was found."""
    from footprint.quality.report import outcome_in_words

    rows = [
        (outcome.severity, outcome.name, batch.label, outcome_in_words(outcome))
        for batch in result.batches
        for outcome in batch.expectations
        if outcome.failed
    ]
    rows.sort(key=lambda r: r[0] != "blocking")
    if not rows:
        return "none"
    lines = ["| severity | expectation | batch | found |", "| --- | --- | --- | --- |"]
    lines += [
        "| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |"
        for row in rows[:MAX_ROWS_IN_METADATA]
    ]
    if len(rows) > MAX_ROWS_IN_METADATA:
        lines.append(f"\n… and {len(rows) - MAX_ROWS_IN_METADATA} more (see the results file).")
    return "\n".join(lines)


def _examples(result: CheckpointResult) -> dict[str, Any]:
    """The first failing examples of each failing expectation, by expectation name."""
    examples: dict[str, Any] = {}
    for batch in result.batches:
        for outcome in batch.expectations:
            if outcome.failed and outcome.examples and outcome.name not in examples:
                examples[outcome.name] = {"batch": batch.label, "examples": outcome.examples}
    return examples


def check_result(
    result: CheckpointResult, report: Path | None, key: dg.AssetCheckKey | None = None
) -> dg.AssetCheckResult:
    """Passed when nothing failed; ERROR when a blocking expectation failed (or a
    blocking checkpoint could not run); WARN when only warnings failed."""
    severity = dg.AssetCheckSeverity.ERROR if result.blocking_failed else dg.AssetCheckSeverity.WARN
    blocking = sum(len(b.failed_blocking) for b in result.batches)
    warnings = sum(len(b.failed_warning) for b in result.batches)
    if result.error:
        description = f"The checkpoint could not run: {result.error}"
    elif result.success:
        description = f"Every expectation held ({len(result.batches)} batch(es) validated)."
    else:
        description = f"{blocking} blocking and {warnings} warning expectation(s) failed."
    if report and not result.success:
        description += f" Failing rows are in the quality report: {report}"
    metadata: dict[str, Any] = {
        "batches validated": len(result.batches),
        "blocking failures": blocking,
        "warning failures": warnings,
        "failing expectations": dg.MetadataValue.md(_failure_table(result)),
        "examples": dg.MetadataValue.json(_examples(result)),
        "notes": " ".join(result.notes) or "none",
    }
    if report:
        metadata["quality report"] = dg.MetadataValue.path(str(report))
    return dg.AssetCheckResult(
        asset_key=key.asset_key if key else None,
        check_name=key.name if key else None,
        passed=result.success,
        severity=severity,
        description=description,
        metadata=metadata,
    )


def _spec(checkpoint: CheckpointSpec, asset_key: dg.AssetKey) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        check_name(checkpoint),
        asset=asset_key,
        description=checkpoint.description
        or f"Great Expectations checkpoint expectations/checkpoints/{checkpoint.name}.yml",
        blocking=checkpoint.blocking,
        metadata={
            "checkpoint": f"expectations/checkpoints/{checkpoint.name}.yml",
            "suite": f"expectations/suites/{checkpoint.suite_name}.yml",
            "blocking": checkpoint.blocking,
        },
    )


def checkpoints_check(
    name: str,
    checkpoints: dict[str, tuple[CheckpointSpec, dg.AssetKey]],
    expectations_dir: Path,
    dbt_manifest: Path,
) -> dg.AssetChecksDefinition:
    """One step for several checkpoints (those of the assets selected in the run), run
    side by side, each reported as its own asset check."""
    specs = {
        dg.AssetCheckKey(key, check_name(checkpoint)): (checkpoint, _spec(checkpoint, key))
        for checkpoint, key in checkpoints.values()
    }

    @dg.multi_asset_check(
        name=name,
        specs=[spec for _, spec in specs.values()],
        can_subset=True,
    )
    def check(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
        from footprint.quality.build_results import run_quality
        from footprint.quality.runner import run_checkpoints

        run_id = context.run.run_id
        selected = [specs[key] for key in specs if key in context.selected_asset_check_keys]
        # a check reads the warehouse read-only, which fails while another process writes it
        with retry_when_warehouse_busy(context):
            results = run_checkpoints(
                [checkpoint.name for checkpoint, _ in selected],
                run_id,
                expectations_dir=expectations_dir,
                dbt_manifest=dbt_manifest,
            )
        gate = run_quality(run_id, expectations_dir=expectations_dir, dbt_manifest=dbt_manifest)
        for (checkpoint, spec), result in zip(selected, results, strict=True):
            if result.error:
                context.log.error(f"{checkpoint.name}: {result.error}")
            yield check_result(result, gate.report, spec.key)

    return check


def quality_asset_checks(
    expectations_dir: Path = EXPECTATIONS_DIR, dbt_manifest: Path | None = None
) -> list[dg.AssetChecksDefinition]:
    """Every checkpoint file as an asset check on the asset it validates, in two steps:
    the deliveries' checkpoints after ingestion, the marts' after dbt.

    A delivery checkpoint must name a feed with a contract (else this raises). A mart
    checkpoint whose model is not in dbt's manifest is left out with a warning, so that
    the code location still loads while a mart is renamed; the quality report then
    lists the published mart that has no checkpoint.
    """
    dbt_manifest = dbt_manifest or dbt_manifest_path()
    by_kind: dict[str, dict[str, tuple[CheckpointSpec, dg.AssetKey]]] = {}
    for checkpoint in load_checkpoints(expectations_dir):
        if checkpoint.kind == "delivery":
            feed_contract(checkpoint.target)
        try:
            key = dg.AssetKey(asset_key_path(checkpoint, dbt_manifest))
        except WarehouseError as error:
            log.warning("no asset check for checkpoint %s: %s", checkpoint.name, error)
            continue
        by_kind.setdefault(checkpoint.kind, {})[checkpoint.name] = (checkpoint, key)
    return [
        checkpoints_check(f"{kind}_expectations", checkpoints, expectations_dir, dbt_manifest)
        for kind, checkpoints in sorted(by_kind.items())
    ]
