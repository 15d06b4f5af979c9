"""The nightly job over the whole graph and its schedule."""

from __future__ import annotations

import dagster as dg

# In one process: the warehouse is a single DuckDB file with a single writer.
nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    description="Ingest new deliveries, build and test the dbt project, run the quality "
    "gate and publish the marts.",
    executor_def=dg.in_process_executor,
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_at_2am",
    job=nightly_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/London",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 UK time (GMT or BST).",
)
