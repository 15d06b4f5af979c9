"""The dbt project's models, seeds and tests as Dagster assets and asset checks.

Keys and groups come from dbt itself (schema and name), never from model names
written here: a source is the ingestion asset raw/<organisation>__<feed>, a model is
<schema>/<name> (staging, intermediate, core, sdf ...), grouped by its schema.
"""

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.dbt_project import footprint_dbt


class FootprintTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]


def _failing_rows(event: dg.AssetCheckResult) -> int | None:
    value = event.metadata.get("dagster_dbt/failed_row_count")
    return getattr(value, "value", value)


@dbt_assets(
    manifest=footprint_dbt.manifest_path,
    project=footprint_dbt,
    # not the unit tests and seed tests: they check the code, and CI runs them
    selector="nightly",
    dagster_dbt_translator=FootprintTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
    ),
)
def footprint_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """`dbt build`; its tests' outcomes also go to the run's quality report, even when a
    test or a model fails."""
    from footprint.quality.build_results import run_quality
    from footprint.quality.dbt_tests import DbtTest, save_dbt_tests

    started_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    tests: list[DbtTest] = []
    try:
        for event in dbt.cli(["build"], context=context).stream():
            if isinstance(event, dg.AssetCheckResult):
                tests.append(
                    DbtTest(
                        asset=event.asset_key.to_user_string(),
                        name=event.check_name,
                        passed=event.passed,
                        blocking=event.severity == dg.AssetCheckSeverity.ERROR,
                        failing_rows=_failing_rows(event),
                    )
                )
            yield event
    finally:
        save_dbt_tests(context.run.run_id, tests, started_at)
        run_quality(context.run.run_id)
