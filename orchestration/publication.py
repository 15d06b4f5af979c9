"""The publish step: downstream of every mart tagged `published` in dbt, so Dagster runs
it only when those marts were built and their blocking checks (dbt tests and Great
Expectations checkpoints) passed in the same run."""

import dagster as dg

from footprint.paths import dbt_manifest_path, published_dir, warehouse_path
from footprint.publish.publisher import published_marts


def published_mart_keys() -> list[dg.AssetKey]:
    return [dg.AssetKey([m.schema, m.name]) for m in published_marts(dbt_manifest_path())]


def publication_asset() -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["published", "footprint"]),
        deps=published_mart_keys(),
        group_name="publication",
        kinds={"duckdb", "parquet"},
        description="The published marts: a read-only DuckDB file and Parquet copies with "
        "a publish manifest, swapped in atomically; the last versions kept for rollback.",
    )
    def published(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        from footprint.publish.publisher import publish
        from footprint.quality.build_results import checks_and_report

        checks, report = checks_and_report(context.run_id)
        manifest = publish(warehouse_path(), published_dir(), dbt_manifest_path(), checks, report)
        return dg.MaterializeResult(
            metadata={
                "build id": manifest["build_id"],
                "code version": manifest["code_version"],
                "marts": dg.MetadataValue.json(manifest["marts"]),
                "deliveries behind it": len(manifest["deliveries"]),
                "path": dg.MetadataValue.path(str(published_dir() / "footprint.duckdb")),
            }
        )

    return published
