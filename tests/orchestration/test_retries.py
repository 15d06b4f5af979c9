"""A step is retried when, and only when, the warehouse is held by another process:
DuckDB's lock conflict, made here for real by a second process holding the file.
(No `from __future__ import annotations`: Dagster reads the `context` annotation as a
class.)"""

import subprocess
import sys

import dagster as dg
import duckdb
import pytest

from orchestration import retries
from orchestration.progress import root_cause
from orchestration.retries import retry_when_warehouse_busy, warehouse_busy

HOLD = (
    "import duckdb, sys\n"
    "connection = duckdb.connect(sys.argv[1])\n"
    "print('held', flush=True)\n"
    "sys.stdin.read()\n"
)


@pytest.fixture
def held(tmp_path, monkeypatch):
    """A warehouse another process has open for writing, until the test lets go."""
    monkeypatch.setattr(retries, "BUSY_FIRST_WAIT_SECONDS", 0)
    warehouse = tmp_path / "footprint.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"

    def release() -> None:
        if holder.poll() is None:
            holder.stdin.close()
            holder.wait()

    yield warehouse, release
    release()


def _run(asset: dg.AssetsDefinition) -> dg.ExecuteInProcessResult:
    return dg.materialize([asset], raise_on_error=False, instance=dg.DagsterInstance.ephemeral())


def _events(result: dg.ExecuteInProcessResult, kind: str) -> list:
    return [e for e in result.all_events if e.event_type_value == kind]


def test_a_step_waits_for_the_warehouse_and_then_succeeds(held):
    warehouse, release = held

    @dg.asset
    def load(context: dg.AssetExecutionContext) -> None:
        if context.retry_number == 1:  # the other process lets go before the retry
            release()
        with retry_when_warehouse_busy(context):
            duckdb.connect(str(warehouse)).close()

    result = _run(load)
    assert result.success
    assert len(_events(result, "STEP_UP_FOR_RETRY")) == 1


def test_a_warehouse_held_throughout_fails_after_the_retries_naming_the_lock(held):
    warehouse, _ = held

    @dg.asset
    def load(context: dg.AssetExecutionContext) -> None:
        with retry_when_warehouse_busy(context):
            duckdb.connect(str(warehouse)).close()

    result = _run(load)
    assert not result.success
    assert len(_events(result, "STEP_UP_FOR_RETRY")) == retries.BUSY_RETRIES
    (failure,) = _events(result, "STEP_FAILURE")
    cause = root_cause(failure.step_failure_data.error)
    assert "Could not set lock on file" in cause
    assert str(warehouse) in cause


def test_any_other_error_fails_at_once_with_its_own_message(tmp_path):
    @dg.asset
    def load(context: dg.AssetExecutionContext) -> None:
        with retry_when_warehouse_busy(context):
            duckdb.connect(str(tmp_path / "footprint.duckdb")).execute("select * from missing")

    result = _run(load)
    assert not result.success
    assert _events(result, "STEP_UP_FOR_RETRY") == []
    (failure,) = _events(result, "STEP_FAILURE")
    cause = root_cause(failure.step_failure_data.error)
    assert cause.startswith("CatalogException: Catalog Error: Table with name missing")


def test_the_lock_conflict_is_recognised_through_the_errors_raised_from_it(held):
    warehouse, _ = held
    with pytest.raises(duckdb.IOException) as raised:
        duckdb.connect(str(warehouse))
    assert warehouse_busy(raised.value)
    try:
        try:
            raise raised.value
        except duckdb.IOException as error:
            raise RuntimeError("publication could not open the warehouse") from error
    except RuntimeError as wrapped:
        assert warehouse_busy(wrapped)
    assert not warehouse_busy(OSError(28, "No space left on device"))
