"""The dbt project's models, seeds and tests as Dagster assets and asset checks.

Keys and groups come from dbt itself (schema and name), never from model names
written here: a source is the ingestion asset raw/<organisation>__<feed>, a model is
<schema>/<name> (staging, intermediate, core, sdf ...), grouped by its schema.
"""

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
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
    # not the unit tests and seed tests: they check the code, and CI runs them
    selector="nightly",
    dagster_dbt_translator=FootprintTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
    ),
)
def footprint_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """`dbt build`; every test it ran also goes to the run's quality report, even when a
    test or a model fails. A failed build fails the step with what dbt said about the
    nodes that failed, rather than with its exit code."""
    from footprint.quality.build_results import run_quality
    from footprint.quality.dbt_tests import dbt_tests_of_build, save_dbt_tests

    started_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    invocation = dbt.cli(["build"], context=context, raise_on_error=False)
    try:
        yield from invocation.stream()
    finally:
        save_dbt_tests(context.run.run_id, dbt_tests_of_build(invocation.target_path), started_at)
        run_quality(context.run.run_id)
    if not invocation.is_successful():
        raise dg.Failure(
            description=build_failure(invocation.target_path),
            allow_retries=False,  # dbt's failures are not transient
        )


def build_failure(target_dir: Path, shown: int = 5) -> str:
    """What failed in a dbt build, in dbt's words, from its run_results.json."""
    path = target_dir / "run_results.json"
    results = json.loads(path.read_text())["results"] if path.exists() else []
    failed = [r for r in results if r["status"] in ("error", "fail")]
    if not failed:
        return f"dbt build failed before running any node; dbt's log: {target_dir / 'dbt.log'}"
    lines = [
        " ".join(r["unique_id"].split(".")[0:3:2])  # e.g. "model int_persons"
        + ": "
        + " ".join(str(r.get("message") or r["status"]).split())
        for r in failed[:shown]
    ]
    more = f" (and {len(failed) - shown} more)" if len(failed) > shown else ""
    return f"dbt build: {len(failed)} node(s) failed{more}: " + "; ".join(lines)
