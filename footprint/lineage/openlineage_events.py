"""OpenLineage events for a dbt build, written to a JSON-lines file.

The nightly job runs `dbt build` through dagster-dbt, not through the `dbt-ol` wrapper,
so the events are made afterwards from the artifacts the build left (manifest.json,
run_results.json) with openlineage-dbt's own DbtLocalArtifactProcessor:
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

from footprint.lineage.artifacts import RUN_RESULTS, build_run_results
from footprint.paths import PROJECT_ROOT

NAMESPACE = "footprint"
EVENTS_NAME = "openlineage_events.jsonl"

PROCESSOR_LOGGER = f"{__name__}.processor"


def emit_openlineage(target_dir: Path, events_file: Path) -> int:
    """Append the OpenLineage events of the last dbt build to events_file; returns how many."""
    build_run_results(target_dir)  # refuses a folder that holds no build
    # the processor warns once per singular test that it has no model node, printing the
    # whole node: expected here (the statistics tests read no model), so errors only
    processor_log = logging.getLogger(PROCESSOR_LOGGER)
    processor_log.setLevel(logging.ERROR)
    processor = DbtLocalArtifactProcessor(
        producer=PRODUCER,
        project_dir=str(PROJECT_ROOT),
        target_path=str(target_dir),
        job_namespace=NAMESPACE,
        logger=processor_log,
        models=[],
        selector=None,
    )
    processor.run_result_path = str(target_dir / RUN_RESULTS)
    start = dbt_run_event_start(
        job_name=processor.job_name, job_namespace=NAMESPACE, parent_run_metadata=None
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
        job_namespace=NAMESPACE,
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
