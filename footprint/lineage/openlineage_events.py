"""OpenLineage events for a dbt build, written to a JSON-lines file.

The nightly job runs `dbt build` through dagster-dbt, not through the `dbt-ol` wrapper,
so the events are made afterwards from the artifacts the build left (manifest.json,
run_results.json, catalog.json) with openlineage-dbt's own DbtLocalArtifactProcessor:
a START and COMPLETE (or FAIL) event for the dbt run as a whole, and per model its input
and output datasets with schema, documentation and exposure facets (column-level
lineage is in column_lineage.json, which sqlglot works out from the compiled SQL).
One event per line, through openlineage-python's file transport: tools that read
OpenLineage (Marquez, OpenMetadata, DataHub ...) import the file offline.
"""

from __future__ import annotations

import logging
from pathlib import Path

from openlineage.client.client import OpenLineageClient
from openlineage.client.transport.file import FileConfig, FileTransport
from openlineage.common.provider.dbt import DbtLocalArtifactProcessor, ParentRunMetadata
from openlineage.common.provider.dbt.utils import PRODUCER
from openlineage.dbt import dbt_run_event_end, dbt_run_event_failed, dbt_run_event_start

from footprint.lineage.docs_site import BUILD_RUN_RESULTS, RUN_COMMANDS, dbt_command
from footprint.paths import PROJECT_ROOT

NAMESPACE = "footprint"
EVENTS_NAME = "openlineage_events.jsonl"

PROCESSOR_LOGGER = f"{__name__}.processor"


class OpenLineageError(RuntimeError):
    """There is no dbt build to describe in the target folder."""


def _run_results(target_dir: Path) -> Path:
    for name in (BUILD_RUN_RESULTS, "run_results.json"):
        path = target_dir / name
        if path.exists() and dbt_command(path) in RUN_COMMANDS:
            return path
    raise OpenLineageError(
        f"no run_results.json of a dbt build in {target_dir}: run `dbt build` with "
        "this --target-path first"
    )


def emit_openlineage(
    target_dir: Path,
    events_file: Path,
    project_dir: Path = PROJECT_ROOT,
    namespace: str = NAMESPACE,
) -> int:
    """Append the OpenLineage events of the last dbt build to events_file; returns how many."""
    run_results = _run_results(target_dir)
    # the processor warns once per singular test that it has no model node, printing the
    # whole node: expected here (the statistics tests read no model), so errors only
    processor_log = logging.getLogger(PROCESSOR_LOGGER)
    processor_log.setLevel(logging.ERROR)
    processor = DbtLocalArtifactProcessor(
        producer=PRODUCER,
        project_dir=str(project_dir),
        target_path=str(target_dir),
        job_namespace=namespace,
        logger=processor_log,
        models=[],
        selector=None,
    )
    processor.run_result_path = str(run_results)
    start = dbt_run_event_start(
        job_name=processor.job_name, job_namespace=namespace, parent_run_metadata=None
    )
    processor.dbt_run_metadata = ParentRunMetadata(
        run_id=start.run.runId,
        job_name=start.job.name,
        job_namespace=start.job.namespace,
        root_parent_run_id=start.run.runId,
        root_parent_job_name=start.job.name,
        root_parent_job_namespace=start.job.namespace,
    )
    events = processor.parse().events()
    failed = any(event.eventType.value == "FAIL" for event in events)
    end = (dbt_run_event_failed if failed else dbt_run_event_end)(
        run_id=start.run.runId,
        job_namespace=namespace,
        job_name=start.job.name,
        parent_run_metadata=None,
    )
    events_file.parent.mkdir(parents=True, exist_ok=True)
    client = OpenLineageClient(
        transport=FileTransport(FileConfig(log_file_path=str(events_file), append=True))
    )
    try:
        for event in [start, *events, end]:
            client.emit(event)
    finally:
        client.close()
    return len(events) + 2
