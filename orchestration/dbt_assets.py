"""The dbt project's models, seeds and tests as Dagster assets and asset checks.

Keys and groups come from dbt itself (schema and name), never from model names
written here: a source is the ingestion asset raw/<organisation>__<feed>, a model is
<schema>/<name> (staging, intermediate, core, sdf ...), grouped by its schema.
"""

from collections.abc import Iterator, Mapping
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


@dbt_assets(
    manifest=footprint_dbt.manifest_path,
    project=footprint_dbt,
    dagster_dbt_translator=FootprintTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
    ),
)
def footprint_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    yield from dbt.cli(["build"], context=context).stream()
