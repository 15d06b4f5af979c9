"""The dbt project as Dagster sees it. Under `dagster dev` the manifest is rebuilt
from the SQL on every reload; elsewhere `prepare_dbt_manifest()` builds it first."""

from __future__ import annotations

from dagster_dbt import DbtProject

from footprint.environment import prepare_environment
from footprint.paths import PROJECT_ROOT

prepare_environment()

footprint_dbt = DbtProject(project_dir=PROJECT_ROOT, profiles_dir=PROJECT_ROOT)
footprint_dbt.prepare_if_dev()
