"""The Footprint code location: `dagster dev -m orchestration.definitions`."""

from __future__ import annotations

import dagster as dg

from orchestration.dbt_assets import footprint_dbt_assets
from orchestration.dbt_project import dbt_resource
from orchestration.documents import documents_asset
from orchestration.ingestion import (
    freshness_checks,
    ingestion_assets,
    landing_sensor,
    organisation_jobs,
)
from orchestration.jobs import nightly_job, nightly_schedule
from orchestration.locking import BuildLock
from orchestration.notifications import notify_on_failure
from orchestration.publication import publication_asset
from orchestration.quality_checks import quality_asset_checks

defs = dg.Definitions(
    assets=[
        *ingestion_assets(),
        footprint_dbt_assets,
        publication_asset(),
        documents_asset(),
    ],
    jobs=[nightly_job, *organisation_jobs()],
    schedules=[nightly_schedule],
    asset_checks=[freshness_checks(), *quality_asset_checks()],
    sensors=[landing_sensor, notify_on_failure],
    resources={"dbt": dbt_resource(), "build_lock": BuildLock()},
    # one writer at a time: every run (the landing sensor's too) in one process, so the
    # build lock is taken once for the whole run
    executor=dg.in_process_executor,
)
