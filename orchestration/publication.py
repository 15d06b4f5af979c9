"""The publish step: downstream of every mart tagged `published` in dbt, so Dagster runs
it only when those marts were built and their blocking checks (dbt tests and Great
Expectations checkpoints) passed in the same run. It checks the gate once more from the
run's saved results, so that publishing alone (without the checks in the same run) is
refused, writes the quality report and publishes it with the marts."""

from pathlib import Path

import dagster as dg

from footprint.paths import dbt_manifest_path, published_dir, warehouse_path
from footprint.publish.publisher import published_marts
from footprint.quality.specs import EXPECTATIONS_DIR
from orchestration.retries import retry_when_warehouse_busy


def publication_asset(
    expectations_dir: Path = EXPECTATIONS_DIR, dbt_manifest: Path | None = None
) -> dg.AssetsDefinition:
    dbt_manifest = dbt_manifest or dbt_manifest_path()

    @dg.asset(
        key=dg.AssetKey(["published", "footprint"]),
        deps=[dg.AssetKey([m.schema, m.name]) for m in published_marts(dbt_manifest)],
        group_name="publication",
        kinds={"duckdb", "parquet"},
        description="The published marts: a read-only DuckDB file and Parquet copies with "
        "a publish manifest, swapped in atomically; the last versions kept for rollback.",
    )
    def published(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        from footprint.publish.publisher import current_build_id, publish
        from footprint.quality.build_results import run_quality

        gate = run_quality(
            context.run.run_id, expectations_dir=expectations_dir, dbt_manifest=dbt_manifest
        )
        if gate.problems:
            raise dg.Failure(
                description="Not published: the quality gate did not pass in this run. "
                + " | ".join(gate.problems)
                + f". The published version {current_build_id(published_dir())} stays. "
                f"Quality report: {gate.report}",
                allow_retries=False,
            )
        # publication reads the warehouse read-only, which fails while another process writes it
        with retry_when_warehouse_busy(context):
            manifest = publish(
                warehouse_path(), published_dir(), dbt_manifest, gate.manifest_rows, gate.report
            )
        return dg.MaterializeResult(
            metadata={
                "build id": manifest["build_id"],
                "code version": manifest["code_version"],
                "marts": dg.MetadataValue.json(manifest["marts"]),
                "deliveries behind it": len(manifest["deliveries"]),
                "path": dg.MetadataValue.path(str(published_dir() / "footprint.duckdb")),
                "quality report": dg.MetadataValue.path(
                    str(published_dir() / "current" / "quality_report.html")
                ),
            }
        )

    return published
