"""One real build on tiny data, shared by the lineage tests: synthetic deliveries (6
months at scale 0.05), ingestion, `dbt build`, publication, then `footprint lineage
publish`, each run as a person would run it, as a command with its own environment.
About 90 seconds on two cores."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from footprint.lineage.build import current_version
from footprint.paths import PROJECT_ROOT
from footprint.publish.publisher import publish
from tests.conftest import TEST_KEY
from tests.profiles.conftest import browser  # noqa: F401  (headless Chromium, shared)

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Build:
    root: Path
    landing: Path
    warehouse: Path
    target: Path
    published: Path
    env: dict[str, str]

    @property
    def version(self) -> Path:
        """published/current/, resolved to versions/<build id>/."""
        return current_version(self.published)

    def footprint(self, *arguments: str) -> str:
        return _run([str(BIN / "footprint"), *arguments], self.env)


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(command)} failed ({result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("lineage-build")
    made = Build(
        root=root,
        landing=root / "landing",
        warehouse=root / "warehouse" / "footprint.duckdb",
        target=root / "target",
        published=root / "published",
        env=os.environ
        | {
            "FOOTPRINT_LANDING": str(root / "landing"),
            "FOOTPRINT_WAREHOUSE": str(root / "warehouse" / "footprint.duckdb"),
            "FOOTPRINT_PUBLISHED": str(root / "published"),
            "FOOTPRINT_PSEUDONYMISATION_KEY": TEST_KEY,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
    )
    made.warehouse.parent.mkdir()
    made.footprint("generate", "--scale", "0.05", "--months", "6", "--quiet")
    made.footprint("ingest")
    _run(
        [
            str(BIN / "dbt"),
            "build",
            "--quiet",
            "--profiles-dir",
            str(PROJECT_ROOT),
            "--project-dir",
            str(PROJECT_ROOT),
            "--target-path",
            str(made.target),
        ],
        made.env,
    )
    publish(made.warehouse, made.published, made.target / "manifest.json", checks=[])
    made.footprint("lineage", "--target", str(made.target), "publish")
    return made
