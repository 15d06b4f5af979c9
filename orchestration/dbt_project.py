"""The dbt project as Dagster sees it. Under `dagster dev` the manifest is rebuilt
from the SQL on every reload; elsewhere `prepare_dbt_manifest()` builds it first."""

from __future__ import annotations

import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

from footprint.environment import dbt_executable, prepare_environment
from footprint.paths import PROJECT_ROOT

prepare_environment()

footprint_dbt = DbtProject(project_dir=PROJECT_ROOT, profiles_dir=PROJECT_ROOT)
footprint_dbt.prepare_if_dev()


class FootprintDbtCli(DbtCliResource):
    """dagster-dbt's dbt resource without two steps it takes before every dbt command,
    ~3-5 s each time, that the nightly job has no use for: running `dbt --version` (the
    dbt beside this Python is the dbt-core installed with it) and opening a dbt adapter
    in this process (dagster-dbt needs one only to fetch row counts and column metadata,
    which these assets never ask for)."""

    @cached_property
    def _cli_version(self) -> Version:
        if Path(self.dbt_executable) == Path(sys.executable).with_name("dbt"):
            return Version(installed_version("dbt-core"))
        return super()._cli_version

    def _initialize_dbt_core_adapter(self, args: Any) -> None:  # type: ignore[override]
        return None


def dbt_resource() -> DbtCliResource:
    return FootprintDbtCli(project_dir=footprint_dbt, dbt_executable=dbt_executable())
