"""Run the nightly job once, in this process, with run history in DAGSTER_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from footprint.environment import dbt_executable, prepare_environment
from footprint.paths import PROJECT_ROOT, dbt_manifest_path, published_dir, warehouse_path
from footprint.preflight import check_preconditions
from orchestration.progress import Progress, console_level, execute, job_output, root_cause


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


def run_log_path(run_id: str) -> Path:
    """The run's full log, beside the warehouse (as its quality results are)."""
    return warehouse_path().parent / "logs" / f"nightly_{run_id}.log"


@dataclass(frozen=True)
class NightlyOutcome:
    run_id: str
    success: bool
    failed_steps: dict[str, str]  # step key: the error underneath Dagster's
    gate_problems: list[str]  # what stops publication, from the quality results
    report: Path
    published_build: str | None  # current after the run (unchanged when it failed)
    log: Path

    def summary(self) -> str:
        published = published_dir()
        if self.success:
            lines = [
                f"nightly run {self.run_id} succeeded: published build {self.published_build}",
                "open next:",
                f"  SDF profiles:    {published / 'current' / 'profiles' / 'index.html'}",
                f"  lineage docs:    {published / 'current' / 'docs' / 'index.html'}",
                f"  audit record:    {published / 'current' / 'audit' / 'audit_record.html'}",
                f"  quality report:  {published / 'current' / 'quality_report.html'}",
            ]
        else:
            lines = [
                f"nightly run {self.run_id} FAILED: nothing was published; the published "
                f"version stays ({self.published_build or 'none yet'})",
                *(f"  step {step} failed: {cause}" for step, cause in self.failed_steps.items()),
                *(f"  quality gate: {problem}" for problem in self.gate_problems),
                "open next:",
                f"  quality report:  {self.report}",
            ]
        return "\n".join(
            [
                *lines,
                f"  full log:        {self.log}",
                f"  Dagster UI:      DAGSTER_HOME={os.environ['DAGSTER_HOME']} "
                f"{Path(sys.executable).with_name('dagster')} dev -m orchestration.definitions "
                "(then http://localhost:3000: the run, its steps and asset checks)",
            ]
        )


def run_nightly(verbose: bool = False) -> NightlyOutcome:
    """The whole graph once: ingest, dbt build and tests, quality checks, publish.

    Raises PreflightError, before anything starts, when the key, the landing folder or a
    folder to write is missing."""
    level = console_level(verbose)
    check_preconditions()
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

        run_id = str(uuid.uuid4())  # known before the run starts, to name its log
        log = run_log_path(run_id)
        print(f"nightly run {run_id}: full log in {log}", flush=True)
        progress = Progress(sys.stdout)
        with job_output(log, level, progress) as job_log, dg.DagsterInstance.get() as instance:
            finish_dbt_parse(parse)
            from orchestration.definitions import defs

            result = execute(defs.resolve_job_def("nightly"), instance, run_id, job_log)
            progress.finish()
        gate = run_quality(result.run_id)  # the final report, whatever ran
    return NightlyOutcome(
        run_id=result.run_id,
        success=result.success,
        failed_steps={
            event.step_key: root_cause(event.step_failure_data.error)
            for event in result.all_events
            if event.is_step_failure
        },
        gate_problems=gate.problems,
        report=gate.report,
        published_build=current_build_id(published_dir()),
        log=log,
    )
