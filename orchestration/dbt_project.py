"""The dbt project as Dagster sees it. Under `dagster dev` the manifest is rebuilt
from the SQL on every reload; elsewhere `prepare_dbt_manifest()` builds it first."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from footprint.environment import prepare_environment
from footprint.paths import PROJECT_ROOT

prepare_environment()

footprint_dbt = DbtProject(project_dir=PROJECT_ROOT, profiles_dir=PROJECT_ROOT)
footprint_dbt.prepare_if_dev()


def dbt_executable() -> str:
    """dbt from the same environment as this Python, activated or not."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=footprint_dbt, dbt_executable=dbt_executable())
