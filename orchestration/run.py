"""Run the nightly job once, in this process, with run history in DAGSTER_HOME."""

from __future__ import annotations

from footprint.build_lock import build_lock
from footprint.environment import prepare_environment
from footprint.paths import warehouse_path


def prepare_dbt_manifest() -> None:
    """dbt parse, so that the definitions can read target/manifest.json."""
    from orchestration.dbt_project import dbt_resource, footprint_dbt

    target = footprint_dbt.project_dir / footprint_dbt.target_path
    dbt_resource().cli(["parse", "--quiet"], target_path=target).wait()


def run_nightly() -> bool:
    """The whole graph once; False when any step failed (the published version stays)."""
    prepare_environment()
    with build_lock(warehouse_path()):
        prepare_dbt_manifest()
        import dagster as dg

        from orchestration.definitions import defs

        with dg.DagsterInstance.get() as instance:
            result = defs.resolve_job_def("nightly").execute_in_process(
                instance=instance, raise_on_error=False
            )
    return result.success
