"""The Dagster code location loads, and its assets, checks, jobs and schedules are the
ones the BI team expects. The snapshot (definitions_snapshot.json) is rewritten with
UPDATE_SNAPSHOT=1 after an intended change; review its diff like code."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from footprint.contracts import all_contracts

SNAPSHOT = Path(__file__).with_name("definitions_snapshot.json")


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    os.environ.setdefault("FOOTPRINT_WAREHOUSE", str(tmp_path_factory.mktemp("w") / "f.duckdb"))
    from orchestration.run import prepare_dbt_manifest

    prepare_dbt_manifest()
    from orchestration.definitions import defs

    return defs.get_repository_def()


def describe(repository) -> dict:
    graph = repository.asset_graph
    return {
        "assets": sorted(
            k.to_user_string() for k in graph.get_all_asset_keys() if graph.get(k).is_materializable
        ),
        "asset_checks": sorted(k.to_user_string() for k in graph.asset_check_keys),
        "jobs": sorted(j.name for j in repository.get_all_jobs() if not j.name.startswith("__")),
        "schedules": sorted(
            f"{s.name}: {s.cron_schedule} {s.execution_timezone} -> {s.job_name}"
            for s in repository.schedule_defs
        ),
        "sensors": sorted(s.name for s in repository.sensor_defs),
    }


def test_every_feed_has_an_ingestion_asset_grouped_by_organisation(repository):
    graph = repository.asset_graph
    for contract in all_contracts():
        node = graph.get(graph_key := _key("raw", contract.name))
        assert node.group_name == contract.organisation, graph_key


def test_nightly_schedule_runs_at_two_in_the_morning_uk_time(repository):
    (schedule,) = [s for s in repository.schedule_defs if s.job_name == "nightly"]
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Europe/London")


def test_definitions_match_the_snapshot(repository):
    current = describe(repository)
    if os.environ.get("UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(current, indent=2) + "\n")
    assert current == json.loads(SNAPSHOT.read_text())


def _key(*parts: str):
    import dagster as dg

    return dg.AssetKey(list(parts))


def test_an_organisation_job_runs_only_its_own_feeds_delivery_checkpoints(repository):
    job = repository.get_job("ingest_trust")
    checks = {
        key.asset_key.path[-1]
        for key in job.asset_layer.asset_graph.asset_check_keys
        if key.name.startswith("expectations_")
    }
    trust = {c.name for c in all_contracts() if c.organisation == "trust"}
    assert checks == trust
    assert "delivery_expectations" in {node.name for node in job.graph.node_defs}


def test_no_step_retries_every_error(repository):
    """Only a warehouse held by another process is worth a retry (orchestration/retries.py):
    a RetryPolicy would retry every error, hiding the cause for minutes."""
    for job in repository.get_all_jobs():
        assert job.op_retry_policy is None, job.name
        for node in job.graph.node_defs:
            assert node.retry_policy is None, (job.name, node.name)
