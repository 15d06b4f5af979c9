"""What is written beside each published build: the SDF profiles and the lineage and
audit documents. Both are downstream of the published asset, so they describe what was
just published and are never made when publication was refused.

They are independent of each other and take seconds each, so one step makes both: the
profiles render in a worker process while the lineage is written here, each on its own
core. A failure of one does not lose the other.
(No `from __future__ import annotations`: Dagster reads the `context` annotation as a
class.)"""

import contextlib
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import dagster as dg

from footprint.lineage.artifacts import RUN_RESULTS, ArtifactsError, build_run_results
from footprint.paths import PROJECT_ROOT, published_dir

PUBLISHED = dg.AssetKey(["published", "footprint"])
PROFILES = dg.AssetKey(["published", "profiles"])
LINEAGE = dg.AssetKey(["published", "lineage"])
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


def render_profiles() -> dict[str, Any]:
    """Every SDF profile and the overview, from the published marts."""
    from footprint.profiles.render import DEFAULT_OUT, render_profiles
    from footprint.publish.publisher import DATABASE_NAME, current_build_id

    folder = published_dir()
    written = render_profiles(folder / DATABASE_NAME, folder / DEFAULT_OUT)
    return {
        "build id": current_build_id(folder),
        "pages": len(written),
        "overview": dg.MetadataValue.path(str(written[-1])),
    }


def write_lineage(run_id: str) -> dict[str, Any]:
    """The docs site, column lineage, audit record and OpenLineage events of the build."""
    from footprint.lineage.build import publish_lineage

    outputs = publish_lineage(build_target_dir(run_id), published_dir())
    return {
        "version": str(outputs.version_dir),
        "docs site": dg.MetadataValue.path(str(outputs.docs_site)),
        "audit record": dg.MetadataValue.path(str(outputs.audit_record)),
        "column lineage": dg.MetadataValue.path(str(outputs.column_lineage)),
        "OpenLineage events": outputs.events_written,
    }


def documents_asset() -> dg.AssetsDefinition:
    @dg.multi_asset(
        name="published_documents",
        specs=[
            dg.AssetSpec(
                PROFILES,
                deps=[PUBLISHED],
                group_name="publication",
                kinds={"html"},
                skippable=True,
                description="One HTML profile per SDF and the borough overview, rendered "
                "from the published marts into the published version's profiles/ folder, "
                "with the plotly.js they load (profiles/assets/), so that each version's "
                "pages open offline from files.",
            ),
            dg.AssetSpec(
                LINEAGE,
                deps=[PUBLISHED],
                group_name="publication",
                kinds={"dbt", "html"},
                skippable=True,
                description="What an auditor reads about the published build, beside it "
                "in published/current/: the offline dbt docs site (docs/index.html), the "
                "column lineage of every published column, the audit record (deliveries "
                "with sha256, checks, row counts) and the build's OpenLineage events "
                "(audit/).",
            ),
        ],
        can_subset=True,
    )
    def published_documents(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
        selected = context.selected_asset_keys
        lineage_error: Exception | None = None
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as worker:
            profiles = worker.submit(render_profiles) if PROFILES in selected else None
            if LINEAGE in selected:
                try:
                    metadata = write_lineage(context.run.run_id)
                    yield dg.MaterializeResult(asset_key=LINEAGE, metadata=metadata)
                except Exception as error:  # raised below, once the profiles are recorded
                    lineage_error = error
            if profiles is not None:
                metadata = profiles.result()
                context.log.info(f"rendered {metadata['pages']} profile pages")
                yield dg.MaterializeResult(asset_key=PROFILES, metadata=metadata)
        if lineage_error is not None:
            raise lineage_error

    return published_documents
