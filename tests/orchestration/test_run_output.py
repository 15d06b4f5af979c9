"""What `footprint run` shows: one line as each stage starts and ends, the error under
Dagster's as soon as a step fails, and everything else in the run's log file, unless a
console level is asked for. A small job stands in for the nightly one, with its step
names. (No `from __future__ import annotations`: Dagster reads the `context` annotation
as a class.)"""

import logging
import re
import sys
import uuid
from pathlib import Path

import dagster as dg
import pytest

from footprint.preflight import PreflightError
from orchestration.progress import Progress, console_level, execute, job_output
from orchestration.run import NightlyOutcome


class PublishProblem(RuntimeError):
    pass


@dg.asset(key=dg.AssetKey(["raw", "trust__ae_attendances"]))
def feed() -> None:
    print("1 of 2 START sql table model staging.stg_trust ...... [RUN]")  # as dbt's output


@dg.asset(key=dg.AssetKey(["published", "footprint"]), deps=[feed])
def published() -> None:
    try:
        raise OSError(28, "No space left on device")
    except OSError as error:
        raise PublishProblem("could not write the staging copy") from error


def _run(tmp_path: Path, level: int | None) -> tuple[dg.ExecuteInProcessResult, str]:
    job = dg.Definitions(
        assets=[feed, published], jobs=[dg.define_asset_job("nightly")]
    ).resolve_job_def("nightly")
    log = tmp_path / "logs" / "nightly_run.log"
    progress = Progress(sys.stdout)
    with job_output(log, level, progress) as job_log:
        logging.getLogger("some.library").info("a library's chatter")
        result = execute(job, dg.DagsterInstance.ephemeral(), str(uuid.uuid4()), job_log)
        progress.finish()
    return result, log.read_text()


def test_quiet_by_default_one_line_per_stage_and_the_cause_at_once(tmp_path, capsys):
    result, log = _run(tmp_path, level=None)
    assert not result.success
    out, err = capsys.readouterr()
    # without the time of day and the seconds taken
    lines = [re.sub(r"in \d+ s$", "in N s", line.split(" ", 1)[1]) for line in out.splitlines()]
    assert lines == [
        "ingestion: started",
        "ingestion: done in N s",
        "publication: started",
        "  step published__footprint failed: OSError: [Errno 28] No space left on device",
        "publication: FAILED in N s",
    ]
    assert err == ""
    # everything else is in the log file
    assert 'Started execution of step "raw__trust__ae_attendances"' in log
    assert "1 of 2 START sql table model staging.stg_trust" in log
    assert "a library's chatter" in log
    assert "PublishProblem: could not write the staging copy" in log


def test_a_console_level_brings_back_dagsters_log_and_dbts_output(tmp_path, capsys):
    _, log = _run(tmp_path, level=logging.DEBUG)
    out, err = capsys.readouterr()
    assert 'Started execution of step "raw__trust__ae_attendances"' in err
    assert "1 of 2 START sql table model staging.stg_trust" in out
    assert "ingestion: started" in out
    assert "1 of 2 START sql table model staging.stg_trust" in log  # and still in the file


@pytest.mark.parametrize(
    ("verbose", "value", "level"),
    [(False, None, None), (True, None, logging.DEBUG), (False, "Info", logging.INFO)],
)
def test_the_console_level_comes_from_verbose_or_the_environment(
    monkeypatch, verbose, value, level
):
    if value is None:
        monkeypatch.delenv("FOOTPRINT_LOG_LEVEL", raising=False)
    else:
        monkeypatch.setenv("FOOTPRINT_LOG_LEVEL", value)
    assert console_level(verbose) == level


def test_an_unknown_log_level_is_named(monkeypatch):
    monkeypatch.setenv("FOOTPRINT_LOG_LEVEL", "loud")
    with pytest.raises(PreflightError, match="FOOTPRINT_LOG_LEVEL is 'loud': set it to one of"):
        console_level(False)


def _outcome(tmp_path: Path, success: bool) -> NightlyOutcome:
    return NightlyOutcome(
        run_id="run-1",
        success=success,
        failed_steps={} if success else {"footprint_dbt_assets": "dbt build: 1 node(s) failed"},
        gate_problems=[],
        report=tmp_path / "quality_report.html",
        published_build="B1",
        log=tmp_path / "nightly_run-1.log",
    )


def test_the_summary_says_what_to_open_next(tmp_path, monkeypatch):
    monkeypatch.setenv("FOOTPRINT_PUBLISHED", str(tmp_path / "published"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    current = tmp_path / "published" / "current"
    summary = _outcome(tmp_path, success=True).summary()
    for path in (
        current / "profiles" / "index.html",
        current / "docs" / "index.html",
        current / "quality_report.html",
        tmp_path / "nightly_run-1.log",
    ):
        assert str(path) in summary
    assert f"DAGSTER_HOME={tmp_path / 'dagster_home'}" in summary
    assert "dagster dev -m orchestration.definitions" in summary

    failed = _outcome(tmp_path, success=False).summary()
    assert "step footprint_dbt_assets failed: dbt build: 1 node(s) failed" in failed
    assert str(tmp_path / "quality_report.html") in failed
    assert str(current / "profiles") not in failed
