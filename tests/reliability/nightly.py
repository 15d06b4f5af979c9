"""Running the real nightly job (`footprint run`) as a separate process, killing it at a
point seen in its own output, and checking what a kill may leave behind."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from footprint.contracts import all_contracts
from footprint.paths import PROJECT_ROOT
from tests.reliability.builds import content_hash
from tests.reliability.conftest import FOOTPRINT

LOAD_TIMES = ("_loaded_at", "started_at", "finished_at", "quarantined_at", "_superseded_at")


@dataclass(frozen=True)
class KillPoint:
    name: str
    marker: str  # regex on the job's output; the job is killed once it appears
    after: float = 0.0  # seconds to wait after the marker (0: at once)
    # or, after the marker, wait until this glob (under the published folder) matches:
    # a state seen from outside, e.g. a Parquet copy written into the staging version
    published_glob: str | None = None

    def __str__(self) -> str:
        if self.published_glob:
            return f"{self.name} ({self.published_glob} present)"
        return f"{self.name} (+{self.after}s)" if self.after else self.name


def step(name: str) -> str:
    return f'Started execution of step "{re.escape(name)}"'


F_SETPIPE_SZ = 1031  # Linux: set a pipe's capacity


def start_run(env: dict[str, str], log: Path) -> subprocess.Popen:
    """`footprint run` in its own process group (dbt and all), unbuffered output, into
    a pipe of one page: the job blocks as soon as it is 4 KB of output ahead of the
    test, so a kill lands within a few lines of the point the test saw."""
    process = subprocess.Popen(
        [FOOTPRINT, "run"],
        # the kill points are markers in Dagster's log and dbt's output, which the job
        # shows on the console only when asked to (by default they go to its log file)
        env={**env, "PYTHONUNBUFFERED": "1", "FOOTPRINT_LOG_LEVEL": "debug"},
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    # elsewhere than Linux the kill may land later; the test still checks what it finds
    with contextlib.suppress(OSError):
        fcntl.fcntl(process.stdout.fileno(), F_SETPIPE_SZ, 4096)
    return process


def run_to_end(env: dict[str, str], log: Path) -> int:
    """The job to its end, its output straight into the log file."""
    with log.open("a") as out:
        return subprocess.run(
            [FOOTPRINT, "run"], env=env, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT
        ).returncode


def _wait_for(process: subprocess.Popen, folder: Path, pattern: str, timeout: float) -> bool:
    """Poll until something under folder matches the glob; False if the job ended or
    the time ran out first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if next(folder.glob(pattern), None) is not None:
            return True
        time.sleep(0.001)
    return False


def run_and_kill(env: dict[str, str], log: Path, point: KillPoint) -> bool:
    """Run until the marker shows (and, for a point with a published_glob, until that
    state is seen on disk), then SIGKILL the whole process group (the job and its dbt
    child, as a crash or an out-of-memory kill would). False when the job ended, or
    the state passed, before the point was reached."""
    process = start_run(env, log)
    pattern = re.compile(point.marker)
    reached = False
    with log.open("a") as out:
        out.write(f"\n===== kill point {point} =====\n")
        for line in process.stdout:
            out.write(line)
            if pattern.search(line):
                reached = True
                if point.after:
                    time.sleep(point.after)
                if point.published_glob:
                    published = Path(env["FOOTPRINT_PUBLISHED"])
                    reached = _wait_for(process, published, point.published_glob, 60)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                break
        process.stdout.close()
    # killed only if the kill found it running (not a job that had already ended)
    killed = reached and process.wait() == -signal.SIGKILL
    process.wait()
    with log.open("a") as out:
        out.write(f"\n===== {'killed' if killed else 'NOT killed'} at {point} =====\n")
    return killed


def open_copy(warehouse: Path, scratch: Path) -> Path:
    """A copy of the warehouse (with its write-ahead log, if a kill left one) that can be
    opened without touching the real one."""
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / warehouse.name
    for path in (copy, copy.with_name(copy.name + ".wal")):
        path.unlink(missing_ok=True)
    shutil.copy(warehouse, copy)
    wal = warehouse.with_name(warehouse.name + ".wal")
    if wal.exists():
        shutil.copy(wal, copy.with_name(copy.name + ".wal"))
    return copy


def accounting_problems(warehouse: Path) -> list[str]:
    """The load manifest's accounting: rows read = loaded + quarantined for every
    delivery, and the raw tables, their history and the quarantine hold exactly that."""
    problems = []
    with duckdb.connect(str(warehouse)) as connection:
        tables = {
            t
            for (t,) in connection.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        }
        if "raw.load_manifest" not in tables:
            return []  # killed before the first feed committed: nothing to account for
        deliveries = connection.execute(
            "select delivery_id, file_path, rows_read, rows_loaded, rows_quarantined "
            "from raw.load_manifest"
        ).fetchall()
        in_raw: dict[str, int] = {}
        for contract in all_contracts():
            for table in (f"raw.{contract.name}", f"raw_history.{contract.name}"):
                if table in tables:
                    for delivery_id, n in connection.execute(
                        f"select _delivery_id, count(*) from {table} group by 1"
                    ).fetchall():
                        in_raw[delivery_id] = in_raw.get(delivery_id, 0) + n
        quarantined = dict(
            connection.execute(
                "select delivery_id, count(*) from raw.quarantine group by 1"
            ).fetchall()
        )
        repeated = connection.execute(
            "select file_path, sha256, count(*) from raw.load_manifest group by 1, 2 "
            "having count(*) > 1"
        ).fetchall()
    problems += [f"{p} recorded {n} times" for p, _, n in repeated]
    for delivery_id, path, read, loaded, held in deliveries:
        if read != loaded + held:
            problems.append(f"{path}: read {read} != loaded {loaded} + quarantined {held}")
        if in_raw.get(delivery_id, 0) != loaded:
            problems.append(f"{path}: {in_raw.get(delivery_id, 0)} rows in raw, {loaded} loaded")
        if quarantined.get(delivery_id, 0) != held:
            problems.append(f"{path}: {quarantined.get(delivery_id, 0)} quarantined rows, {held}")
    return problems


def published_version(published: Path) -> dict | None:
    """The published version as a reader finds it, checked whole against the manifest
    of the version it claims to be; None when nothing is published yet."""
    database = published / "footprint.duckdb"
    if not database.exists():
        return None
    with duckdb.connect(str(database), read_only=True) as connection:
        (build_id,) = connection.execute("select build_id from publication.build_info").fetchone()
        manifest = json.loads((published / "versions" / build_id / "manifest.json").read_text())
        for mart in manifest["marts"]:
            (rows,) = connection.execute(f"select count(*) from {mart['relation']}").fetchone()
            assert rows == mart["rows"], (build_id, mart)
            parquet = published / "versions" / build_id / mart["parquet"]
            (parquet_rows,) = connection.execute(
                "select count(*) from read_parquet(?)", [str(parquet)]
            ).fetchone()
            assert parquet_rows == mart["rows"], (build_id, parquet)
    return {"build_id": build_id, "marts": content_hash(database, ("sdf",))}
