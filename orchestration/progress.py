"""What `footprint run` shows while the nightly job runs.

By default the console gets one line as each stage of the job starts and ends
(ingestion, quality checks, dbt build, publication, documents), a line as soon as a
step fails, with the error underneath Dagster's, and a summary. Everything else
(Dagster's events, dbt's output, every library's log) goes to the run's log file.
`footprint run --verbose`, or FOOTPRINT_LOG_LEVEL=debug|info|warning|error, shows
Dagster's log and dbt's output on the console as well, from that level.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

# runs that `footprint run` starts, which notify of their own failure
STARTED_BY_TAG = "footprint/started_by"
STARTED_BY_CLI = "footprint run"

if TYPE_CHECKING:
    import dagster as dg
    from dagster._utils.error import SerializableErrorInfo

LOG_LEVEL_ENV = "FOOTPRINT_LOG_LEVEL"
LEVELS = {name: getattr(logging, name.upper()) for name in ("debug", "info", "warning", "error")}
# as Dagster's own console log: the job's messages are "<job> - <run id> - <step> - ..."
LOG_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"


def console_level(verbose: bool) -> int | None:
    """The level from which the job's log is shown on the console; None: progress only."""
    if verbose:
        return logging.DEBUG
    name = os.environ.get(LOG_LEVEL_ENV, "").strip().lower()
    if not name:
        return None
    if name not in LEVELS:
        from footprint.preflight import PreflightError

        raise PreflightError(
            [f"{LOG_LEVEL_ENV} is {name!r}: set it to one of {', '.join(LEVELS)}, or unset it."]
        )
    return LEVELS[name]


def stage_of(step_key: str) -> str:
    """The stage of the nightly job a step belongs to, in a person's words."""
    if step_key.startswith("raw__"):
        return "ingestion"
    if step_key == "footprint_dbt_assets":
        return "dbt build"
    if step_key == "published__footprint":
        return "publication"
    if step_key == "published_documents":
        return "documents"
    if step_key == "mart_expectations":
        return "quality checks on the marts"
    return "quality checks on the deliveries"  # delivery_expectations, delivered_on_time


def root_cause(error: SerializableErrorInfo) -> str:
    """The innermost error under Dagster's wrappers, on one line: what actually failed."""
    while error.cause is not None:
        error = error.cause
    text = error.message.strip()
    prefix, _, rest = text.partition(": ")
    if rest and prefix.split(".")[-1] == error.cls_name:
        text = rest
    text = " ".join(text.split())
    # a Failure is Footprint's own sentence; other errors keep their kind
    return text if error.cls_name == "Failure" else f"{error.cls_name}: {text}"


class Progress(logging.Handler):
    """Reads Dagster's step events from the job's log and prints a line as each stage
    starts and ends, and at once when a step fails or waits to retry."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(logging.DEBUG)
        self.out = out
        self.stage: str | None = None
        self.stage_started = 0.0
        self.stage_failed = False

    def _print(self, line: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {line}", file=self.out, flush=True)

    def _end_stage(self) -> None:
        if self.stage is not None:
            outcome = "FAILED" if self.stage_failed else "done"
            self._print(f"{self.stage}: {outcome} in {time.monotonic() - self.stage_started:.0f} s")
        self.stage = None

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        if event is None or event.step_key is None:
            return
        kind, step = event.event_type_value, event.step_key
        if kind == "STEP_START" and stage_of(step) != self.stage:
            self._end_stage()
            self.stage, self.stage_failed = stage_of(step), False
            self.stage_started = time.monotonic()
            self._print(f"{self.stage}: started")
        elif kind == "STEP_FAILURE":
            self.stage_failed = True
            self._print(f"  step {step} failed: {root_cause(event.step_failure_data.error)}")
        elif kind == "STEP_UP_FOR_RETRY":
            self._print(f"  step {step} will be retried: the warehouse is held by another process")

    def finish(self) -> None:
        self._end_stage()


@contextmanager
def job_output(log_path: Path, level: int | None, progress: Progress) -> Iterator[logging.Logger]:
    """Route the job's output for its duration and give the logger Dagster should use.

    The log file gets everything: Dagster's events, dbt's output (dagster-dbt writes it
    to stdout) and the Python log. The console gets the progress lines and, at a
    console level, Dagster's log and dbt's output too.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    console = sys.stdout
    with log_path.open("a", buffering=1, encoding="utf-8") as log_file:
        to_file = logging.StreamHandler(log_file)
        to_file.setFormatter(logging.Formatter(LOG_FORMAT))
        job_log = logging.getLogger("footprint.nightly")
        job_log.propagate = False
        job_log.setLevel(logging.DEBUG)
        job_log.handlers = [to_file, progress]
        root.handlers = [to_file]
        root.setLevel(min(level or logging.INFO, logging.INFO))
        stdout: TextIO = log_file
        if level is not None:
            to_console = logging.StreamHandler(sys.stderr)
            to_console.setLevel(level)
            to_console.setFormatter(logging.Formatter(LOG_FORMAT))
            job_log.addHandler(to_console)
            root.addHandler(to_console)
            stdout = _Both(console, log_file)
        try:
            with redirect_stdout(stdout):
                yield job_log
        finally:
            root.handlers = saved_handlers
            root.setLevel(saved_level)
            job_log.handlers = []


def execute(
    job: dg.JobDefinition, instance: dg.DagsterInstance, run_id: str, job_log: logging.Logger
) -> dg.ExecuteInProcessResult:
    """The job in this process, its log to job_log (from job_output) in place of Dagster's
    console logger; a failed run returns, it does not raise."""
    import dagster as dg

    logger = dg.LoggerDefinition(lambda _: job_log)
    return job.with_logger_defs({"footprint": logger}).execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_id=run_id,
        run_config={"loggers": {"footprint": {}}},
        tags={STARTED_BY_TAG: STARTED_BY_CLI},  # it notifies by itself, not the sensor
    )


class _Both:
    """Write to the console and the log file (dbt's output, at a console level)."""

    def __init__(self, *streams: TextIO) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()
