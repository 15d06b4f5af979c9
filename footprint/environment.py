"""Environment every Footprint process needs, set once before dbt or Dagster start.

dbt reads the warehouse path from FOOTPRINT_WAREHOUSE (it must be absolute: a
relative path silently makes an empty file wherever dbt was started); Dagster keeps
run history in DAGSTER_HOME, with telemetry off. The virtual environment's bin folder
goes first on PATH, so that whatever looks for `dbt` by name (dagster-dbt's `dagster
dev` preparation among them) finds the dbt installed beside this Python, whether the
environment was activated or `.venv/bin/dagster dev` was run directly.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from footprint.paths import PROJECT_ROOT, warehouse_path

DAGSTER_YAML = PROJECT_ROOT / "orchestration" / "dagster.yaml"


def prepare_environment() -> None:
    """Fill in defaults for anything not already set; never overrides the caller's values."""
    os.environ.setdefault("FOOTPRINT_WAREHOUSE", str(warehouse_path()))
    os.environ["FOOTPRINT_WAREHOUSE"] = str(warehouse_path())  # made absolute
    os.environ.setdefault("DBT_PROFILES_DIR", str(PROJECT_ROOT))
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join(filter(None, [bin_dir, os.environ.get("PATH")]))
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    dagster_home = os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / "dagster_home"))
    os.makedirs(dagster_home, exist_ok=True)
    instance_yaml = os.path.join(dagster_home, "dagster.yaml")
    if not os.path.exists(instance_yaml):
        shutil.copyfile(DAGSTER_YAML, instance_yaml)


def dbt_executable() -> str:
    """dbt from the same environment as this Python, activated or not."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")
