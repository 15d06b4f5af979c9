"""Shared ground for the reliability suite: tiny synthetic deliveries with every fault,
ingested once under a key made for this test session, and a way to run `footprint`
as a separate process (as the scheduler does)."""

from __future__ import annotations

import csv
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from footprint.contracts import all_contracts
from footprint.ingest.loader import load_feed
from footprint.paths import PROJECT_ROOT
from footprint.synth.cli import main as generate

FOOTPRINT = str(Path(sys.executable).with_name("footprint"))
SMALL = ["--scale", "0.02", "--months", "3"]


def make_landing(folder: Path, faults: str = "all", extra: list[str] | None = None) -> Path:
    status = generate([*SMALL, "--faults", faults, "--out", str(folder), "--quiet", *(extra or [])])
    assert status == 0
    return folder


def fault_manifest(landing: Path) -> list[dict[str, str]]:
    with (landing / "_generator" / "faults.csv").open() as handle:
        return list(csv.DictReader(handle))


def footprint_env(root: Path, key_hex: str | None, **extra: str) -> dict[str, str]:
    """Environment for a `footprint` process working entirely under root."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FOOTPRINT_", "DAGSTER_"))}
    env.update(
        FOOTPRINT_LANDING=str(root / "landing"),
        FOOTPRINT_WAREHOUSE=str(root / "warehouse" / "footprint.duckdb"),
        FOOTPRINT_PUBLISHED=str(root / "published"),
        FOOTPRINT_KEY_FILE=str(root / "no-key-file"),
        DAGSTER_HOME=str(root / "dagster_home"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DAGSTER_TELEMETRY_ENABLED="false",
        DO_NOT_TRACK="1",
    )
    if key_hex:
        env["FOOTPRINT_PSEUDONYMISATION_KEY"] = key_hex
    env.update(extra)
    return env


def run_footprint(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [FOOTPRINT, *args], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, **kwargs
    )


@pytest.fixture(scope="session")
def session_key() -> bytes:
    """A key made for this session, so finding it anywhere is a real leak."""
    return secrets.token_bytes(32)


@pytest.fixture(scope="session")
def faulty_build(tmp_path_factory, session_key):
    """Deliveries with every fault kind, ingested feed by feed."""
    root = tmp_path_factory.mktemp("faulty")
    landing = make_landing(root / "landing")
    warehouse = root / "warehouse" / "footprint.duckdb"
    summaries = [load_feed(c, landing, warehouse, session_key) for c in all_contracts()]
    return {
        "landing": landing,
        "warehouse": warehouse,
        "faults": fault_manifest(landing),
        "summaries": summaries,
        "root": root,
    }
