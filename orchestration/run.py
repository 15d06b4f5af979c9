"""Run the nightly job once, in this process, with run history in DAGSTER_HOME."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from footprint.environment import dbt_executable, prepare_environment
from footprint.paths import PROJECT_ROOT, dbt_manifest_path, published_dir, warehouse_path


class DbtParseError(RuntimeError):
    pass


def start_dbt_parse() -> subprocess.Popen[str]:
    """`dbt parse` in the background: the definitions read the manifest it writes."""
    prepare_environment()
    return subprocess.Popen(
        [dbt_executable(), "parse", "--quiet", "--target-path", str(dbt_manifest_path().parent)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish_dbt_parse(parse: subprocess.Popen[str]) -> None:
    output, _ = parse.communicate()
    if parse.returncode != 0:
        raise DbtParseError(
            f"`dbt parse` failed (exit {parse.returncode}), so the Dagster definitions "
            f"cannot be loaded. dbt said:\n{output.strip()}"
        )


def prepare_dbt_manifest() -> None:
    """dbt parse, so that the definitions can read target/manifest.json."""
    finish_dbt_parse(start_dbt_parse())


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
        parse = start_dbt_parse()
        # while dbt parses: import dagster-dbt and open the instance (its storage)
        import dagster as dg

        import orchestration.dbt_project  # noqa: F401
        from footprint.publish.publisher import current_build_id
        from footprint.quality.build_results import run_quality

        with dg.DagsterInstance.get() as instance:
            finish_dbt_parse(parse)
            from orchestration.definitions import defs

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
