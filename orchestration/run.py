"""Run the nightly job once, in this process, with run history in DAGSTER_HOME."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from footprint.environment import prepare_environment
from footprint.paths import published_dir, warehouse_path


def prepare_dbt_manifest() -> None:
    """dbt parse, so that the definitions can read target/manifest.json."""
    from orchestration.dbt_project import dbt_resource, footprint_dbt

    target = footprint_dbt.project_dir / footprint_dbt.target_path
    dbt_resource().cli(["parse", "--quiet"], target_path=target).wait()


@dataclass(frozen=True)
class NightlyOutcome:
    run_id: str
    success: bool
    failed_steps: list[str]  # "<step>: <Dagster's error message>"
    gate_problems: list[str]  # what stops publication, from the quality results
    report: Path
    published_build: str | None  # current after the run (unchanged when it failed)

    def summary(self) -> str:
        if self.success:
            lines = [f"nightly run {self.run_id} succeeded: published build {self.published_build}"]
        else:
            lines = [
                f"nightly run {self.run_id} FAILED: nothing was published; the published "
                f"version stays ({self.published_build or 'none yet'})",
                *(f"  failed step {step}" for step in self.failed_steps),
                *(f"  quality gate: {problem}" for problem in self.gate_problems),
            ]
        return "\n".join([*lines, f"quality report: {self.report}"])


def run_nightly() -> NightlyOutcome:
    """The whole graph once: ingest, dbt build and tests, quality checks, publish."""
    prepare_environment()
    from orchestration.locking import run_lock

    # the job's own BuildLock resource finds the lock held here, for this build
    with run_lock(warehouse_path()):
        prepare_dbt_manifest()
        import dagster as dg

        from footprint.publish.publisher import current_build_id
        from footprint.quality.build_results import run_quality
        from orchestration.definitions import defs

        with dg.DagsterInstance.get() as instance:
            result = defs.resolve_job_def("nightly").execute_in_process(
                instance=instance, raise_on_error=False
            )
        gate = run_quality(result.run_id)  # the final report, whatever ran
    failed_steps = [
        f"{event.step_key}: {' '.join(event.step_failure_data.error.message.split())}"
        for event in result.all_events
        if event.is_step_failure
    ]
    return NightlyOutcome(
        run_id=result.run_id,
        success=result.success,
        failed_steps=failed_steps,
        gate_problems=gate.problems,
        report=gate.report,
        published_build=current_build_id(published_dir()),
    )
