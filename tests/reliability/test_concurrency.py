"""Concurrency: one build at a time (a second refuses at once, naming the first), the
lock dies with its holder, and readers query the published file through several
publications without a single failed or inconsistent read."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from footprint.paths import PROJECT_ROOT
from footprint.publish.publisher import publish
from tests.reliability.builds import make_build
from tests.reliability.conftest import footprint_env, make_landing, run_footprint

KEY_HEX = "b4" * 32

_HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from footprint.build_lock import build_lock
    with build_lock(Path(sys.argv[1])):
        print("held", flush=True)
        sys.stdin.read()  # until the test closes stdin, or kills this process
    """
)


def _hold_lock(warehouse: Path) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(warehouse)],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.mark.parametrize("command", [["run"], ["ingest"]])
def test_a_second_build_refuses_at_once_naming_the_running_one(tmp_path, command):
    make_landing(tmp_path / "landing", faults="none")
    env = footprint_env(tmp_path, key_hex=KEY_HEX)
    warehouse = tmp_path / "warehouse" / "footprint.duckdb"
    holder = _hold_lock(warehouse)
    try:
        result = run_footprint(command, env)
    finally:
        holder.stdin.close()
        holder.wait()
    assert result.returncode == 2, result.stderr
    assert f"another build is already running on {warehouse} (pid {holder.pid} since" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not warehouse.exists()  # refused before touching anything


def test_the_lock_dies_with_a_killed_build(tmp_path):
    make_landing(tmp_path / "landing", faults="none")
    env = footprint_env(tmp_path, key_hex=KEY_HEX)
    holder = _hold_lock(tmp_path / "warehouse" / "footprint.duckdb")
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    result = run_footprint(["ingest"], env)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def organisation_job_definitions():
    """The real Dagster code location (dbt parsed first, as `footprint run` does)."""
    from orchestration.run import prepare_dbt_manifest

    prepare_dbt_manifest()
    from orchestration.definitions import defs

    return defs


def test_an_ingest_job_started_from_dagster_takes_the_build_lock(
    tmp_path, monkeypatch, organisation_job_definitions
):
    """`ingest_<organisation>` (run from the Dagster UI or the landing sensor) refuses
    while another build holds the warehouse, naming it, before touching anything; a job
    run by `footprint run` (which holds the lock itself) and a job run alone both load."""
    import dagster as dg
    import duckdb

    from orchestration.locking import run_lock

    make_landing(tmp_path / "landing", faults="none")
    for name, value in footprint_env(tmp_path, key_hex=KEY_HEX).items():
        if name.startswith(("FOOTPRINT_", "DAGSTER_HOME")):
            monkeypatch.setenv(name, value)
    warehouse = tmp_path / "warehouse" / "footprint.duckdb"
    job = organisation_job_definitions.resolve_job_def("ingest_ambulance")

    def run() -> dg.ExecuteInProcessResult:
        return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)

    holder = _hold_lock(warehouse)  # a nightly build, or `footprint ingest`, elsewhere
    try:
        refused = run()
    finally:
        holder.stdin.close()
        holder.wait()
    assert not refused.success
    assert not [e for e in refused.all_events if e.is_step_start]  # no step began
    errors = " ".join(str(getattr(e.event_specific_data, "error", "")) for e in refused.all_events)
    assert f"another build is already running on {warehouse} (pid {holder.pid} since" in errors
    assert not warehouse.exists()  # refused before touching anything

    with run_lock(warehouse):  # as `footprint run` holds it around the nightly job
        assert run().success
    assert run().success  # alone: it takes the lock itself, and gives it back
    holder = _hold_lock(warehouse)  # released: another build can start
    holder.stdin.close()
    holder.wait()
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        (rows,) = connection.execute("select count(*) from raw.ambulance__incidents").fetchone()
        (loaded,) = connection.execute(
            "select sum(rows_loaded) from raw.load_manifest where feed = 'incidents'"
        ).fetchone()
    assert rows == loaded > 0


_READER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import duckdb

    published, log_path, stop = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    reads = failures = 0
    with log_path.open("a") as log:
        while not stop.exists():
            try:
                with duckdb.connect(str(published / "footprint.duckdb"), read_only=True) as c:
                    info = "select build_id from publication.build_info"
                    (build_id,) = c.execute(info).fetchone()
                    rows, low, high = c.execute(
                        "select count(*), min(numerator), max(numerator) from sdf.indicator_values"
                    ).fetchone()
                with duckdb.connect() as c:
                    parquet = c.execute(
                        "select count(*), min(numerator), max(numerator) from read_parquet(?)",
                        [str(published / "current" / "parquet" / "sdf.indicator_values.parquet")],
                    ).fetchone()
                ok = rows > 0 and low == high and parquet[0] > 0 and parquet[1] == parquet[2]
                record = {"build": build_id, "rows": rows, "value": low, "ok": ok}
            except Exception as err:
                record = {"error": f"{type(err).__name__}: {err}"}
            reads += 1
            log.write(json.dumps(record) + "\\n")
            log.flush()
    """
)


def _records(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.endswith("}")]


def _wait_for(condition, what: str, logs: list[Path]) -> None:
    """Poll a condition the reader processes will make true; a failed read ends the
    wait at once, and the cap only stops a broken test from hanging forever."""
    for _ in range(60_000):
        if condition():
            return
        errors = [r for log in logs for r in _records(log) if "error" in r]
        assert errors == [], errors[:3]
        time.sleep(0.005)
    raise AssertionError(f"gave up waiting for {what}")


def test_readers_never_fail_during_several_publications(tmp_path):
    published = tmp_path / "published"
    warehouse, manifest = make_build(tmp_path / "build", value=1, rows=200_000)
    first = publish(warehouse, published, manifest, checks=[])["build_id"]
    stop = tmp_path / "stop"
    logs = [tmp_path / f"reader{i}.jsonl" for i in range(2)]
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", _READER, str(published), str(log), str(stop)], cwd=PROJECT_ROOT
        )
        for log in logs
    ]
    builds = [first]
    try:
        for log in logs:
            _wait_for(lambda log=log: _records(log), "a reader's first read", logs)
        for value in range(2, 10):
            make_build(tmp_path / "build", value=value, rows=200_000)
            builds.append(publish(warehouse, published, manifest, checks=[])["build_id"])
            for log in logs:  # every reader reads each new version before the next
                _wait_for(
                    lambda log=log: any(r.get("build") == builds[-1] for r in _records(log)),
                    f"a reader to see build {builds[-1]}",
                    logs,
                )
    finally:
        stop.touch()
        for reader in readers:
            reader.wait()
    records = [r for log in logs for r in _records(log)]
    failed = [r for r in records if "error" in r or not r["ok"]]
    assert failed == []
    seen = {(r["build"], r["value"]) for r in records}
    # each build's rows are whole: the value a reader saw is the one that build published
    assert {b for b, _ in seen} == set(builds)
    assert len(seen) == len(builds)
    assert all(r["rows"] == 200_000 for r in records)
    print(f"{len(records)} reads across {len(builds)} publications, none failed")
