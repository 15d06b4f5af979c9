"""The dbt resource skips what dagster-dbt does before each command and the job never
uses; an upgrade of dagster-dbt that renames those steps fails here, not silently."""

from __future__ import annotations

from importlib.metadata import version

from dagster_dbt import DbtCliResource
from packaging.version import Version

from orchestration.dbt_project import FootprintDbtCli, dbt_resource


def test_the_steps_it_replaces_still_exist_in_dagster_dbt():
    assert isinstance(DbtCliResource.__dict__["_cli_version"], type(FootprintDbtCli._cli_version))
    assert callable(DbtCliResource.__dict__["_initialize_dbt_core_adapter"])


def test_the_version_is_the_installed_dbt_core_without_running_dbt(monkeypatch):
    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"ran {args[0]}")

    monkeypatch.setattr("dagster_dbt.core.resource.check_output", no_subprocess)
    resource = dbt_resource()
    assert resource._cli_version == Version(version("dbt-core"))
    assert resource._initialize_dbt_core_adapter(["build"]) is None
