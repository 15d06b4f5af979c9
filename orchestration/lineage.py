"""The lineage and audit documents of each published build, written into the version the
publish step has just made current: the offline docs site, the column lineage, the
audit record and the OpenLineage events (footprint.lineage.build.publish_lineage).
(No `from __future__ import annotations`: Dagster reads the `context` annotation as a
class.)"""

import contextlib
import os
from pathlib import Path

import dagster as dg

from footprint.lineage.artifacts import RUN_RESULTS, ArtifactsError, build_run_results
from footprint.paths import PROJECT_ROOT, published_dir

PUBLISHED_KEY = dg.AssetKey(["published", "footprint"])
# where dagster-dbt puts each invocation's target folder (DBT_TARGET_PATH, under the project)
DBT_TARGETS = PROJECT_ROOT / os.environ.get("DBT_TARGET_PATH", "target")


def build_target_dir(run_id: str, targets: Path = DBT_TARGETS) -> Path:
    """The target folder of this run's `dbt build`.

    dagster-dbt gives every dbt invocation its own folder under target/, named
    <op>-<first 7 characters of the run id>-<random>; the newest one of this run that
    holds the results of a build (or run) is the one published.
    """
    candidates = []
    for folder in targets.glob(f"*-{run_id[:7]}-*"):
        with contextlib.suppress(ArtifactsError):
            build_run_results(folder)
            candidates.append(folder)
    if not candidates:
        raise FileNotFoundError(
            f"no `dbt build` of run {run_id} under {targets}: the lineage documents describe "
            "the build that was published, so they run in the same job as the dbt assets"
        )
    return max(candidates, key=lambda folder: (folder / RUN_RESULTS).stat().st_mtime)


def lineage_asset() -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["published", "lineage"]),
        deps=[PUBLISHED_KEY],
        group_name="publication",
        kinds={"dbt", "html"},
        description="What an auditor reads about the published build, beside it in "
        "published/current/: the offline dbt docs site (docs/index.html), the column "
        "lineage of every published column, the audit record (deliveries with sha256, "
        "checks, row counts) and the build's OpenLineage events (audit/).",
    )
    def published_lineage(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        from footprint.lineage.build import publish_lineage

        outputs = publish_lineage(build_target_dir(context.run_id), published_dir())
        return dg.MaterializeResult(
            metadata={
                "version": str(outputs.version_dir),
                "docs site": dg.MetadataValue.path(str(outputs.docs_site)),
                "audit record": dg.MetadataValue.path(str(outputs.audit_record)),
                "column lineage": dg.MetadataValue.path(str(outputs.column_lineage)),
                "OpenLineage events": outputs.events_written,
            }
        )

    return published_lineage
