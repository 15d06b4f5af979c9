"""Failure notifications for runs that Dagster starts (the 02:00 schedule, the UI):
`footprint run` notifies by itself and tags its runs, so none is sent twice."""

from __future__ import annotations

import dagster as dg

from footprint import notify
from footprint.paths import published_dir
from orchestration.jobs import nightly_job
from orchestration.progress import STARTED_BY_CLI, STARTED_BY_TAG, root_cause


@dg.run_failure_sensor(
    name="notify_on_failure",
    monitored_jobs=[nightly_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Sends a failed nightly run's root cause to the webhook or e-mail "
    "configured in FOOTPRINT_NOTIFY_* (footprint/notify.py); nothing when none is.",
)
def notify_on_failure(context: dg.RunFailureSensorContext) -> None:
    if context.dagster_run.tags.get(STARTED_BY_TAG) == STARTED_BY_CLI or not notify.configured():
        return
    from footprint.publish.publisher import current_build_id

    causes = [
        f"step {event.step_key} failed: {root_cause(event.step_failure_data.error)}"
        for event in context.get_step_failure_events()
    ] or [context.failure_event.message or "the run failed"]
    failure = notify.RunFailure(
        run_id=context.dagster_run.run_id,
        started_by="Dagster",
        causes=causes,
        published_build=current_build_id(published_dir()),
    )
    for problem in notify.notify_failure(failure):
        context.log.warning(problem)
