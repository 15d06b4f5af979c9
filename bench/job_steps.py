"""Where the nightly job's time went: the steps of its latest Dagster run.

`footprint run` runs the whole graph in one process (in-process executor), one step
after another, and Dagster records each step's start and end. The steps are grouped
into the job's stages by their key: one ingestion asset per feed contract
(`raw__<organisation>__<feed>`), the dbt build (`footprint_dbt_assets`, one step
streaming `dbt build`), publication (`published__...`) and the checks (every other
step: freshness and Great Expectations asset checks).
"""

from __future__ import annotations

from pathlib import Path

from footprint.contracts import all_contracts

DBT_STEP = "footprint_dbt_assets"


def stage_of(step_key: str) -> str:
    """The stage of the nightly job a Dagster step belongs to."""
    if step_key in {f"raw__{c.name}" for c in all_contracts()}:
        return "ingest"
    if step_key == DBT_STEP:
        return "dbt_build"
    if step_key.startswith("published"):
        return "publish"
    return "checks"


def step_seconds(dagster_home: Path) -> dict[str, float]:
    """Seconds of each step of the latest run recorded in this Dagster home."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {}
        stats = instance.get_run_step_stats(runs[0].run_id)
    return {
        s.step_key: round(s.end_time - s.start_time, 3)
        for s in stats
        if s.start_time is not None and s.end_time is not None
    }


def stage_seconds(steps: dict[str, float]) -> dict[str, float]:
    """Seconds per stage, summed over its steps (the steps run one after another)."""
    stages: dict[str, float] = {}
    for key, seconds in steps.items():
        stage = stage_of(key)
        stages[stage] = round(stages.get(stage, 0.0) + seconds, 3)
    return stages
