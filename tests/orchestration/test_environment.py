"""The commands the README documents work as written: `.venv/bin/dagster dev` without an
activated environment (dagster-dbt looks for `dbt` by name), and plain `dbt` in the
project folder without FOOTPRINT_WAREHOUSE (profiles.yml falls back to an absolute
default)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from footprint.paths import PROJECT_ROOT

VENV_BIN = Path(sys.executable).parent


def _env_without_venv(**extra: str) -> dict[str, str]:
    """The environment of a shell where the virtual environment was never activated."""
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != VENV_BIN]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FOOTPRINT_", "DAGSTER_", "DBT_", "VIRTUAL_ENV"))
    }
    env.update(PATH=os.pathsep.join(path), DBT_SEND_ANONYMOUS_USAGE_STATS="false", **extra)
    return env


def test_dagster_dev_loads_the_code_location_without_an_activated_environment(tmp_path):
    (tmp_path / "dagster_home").mkdir()  # Dagster's command line wants it before anything
    env = _env_without_venv(
        DAGSTER_HOME=str(tmp_path / "dagster_home"),
        FOOTPRINT_WAREHOUSE=str(tmp_path / "warehouse" / "footprint.duckdb"),
        DAGSTER_IS_DEV_CLI="1",  # what `dagster dev` sets: the dbt manifest is prepared
    )
    assert (
        shutil.which("dbt", path=env["PATH"]) is None
        or Path(shutil.which("dbt", path=env["PATH"])).parent != VENV_BIN
    )
    result = subprocess.run(
        [str(VENV_BIN / "dagster"), "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "Validation successful" in result.stdout + result.stderr


def _dbt_debug(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(VENV_BIN / "dbt"), "debug", *args],
        cwd=cwd,
        env=_env_without_venv(PWD=str(cwd)),  # as a shell sets it
        capture_output=True,
        text=True,
    )


def _warehouse_path(output: str) -> str:
    (path,) = re.findall(r"^\S*\s+path: (\S+)$", output, re.MULTILINE)
    return path


def test_plain_dbt_uses_the_default_warehouse_beside_its_profile(tmp_path):
    """The project's profiles.yml copied to a folder of its own, so that the default
    warehouse is made there, not in the project."""
    shutil.copy(PROJECT_ROOT / "profiles.yml", tmp_path)
    (tmp_path / "warehouse").mkdir()
    result = _dbt_debug(PROJECT_ROOT, "--profiles-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:]
    assert _warehouse_path(result.stdout) == f"{tmp_path}/warehouse/footprint.duckdb"


def test_a_relative_profiles_folder_still_gives_an_absolute_warehouse_path(tmp_path):
    shutil.copy(PROJECT_ROOT / "profiles.yml", tmp_path)
    (tmp_path / "warehouse").mkdir()
    result = _dbt_debug(tmp_path, "--profiles-dir", ".", "--project-dir", str(PROJECT_ROOT))
    assert result.returncode == 0, result.stdout[-3000:]
    path = _warehouse_path(result.stdout)
    assert Path(path).is_absolute()
    assert Path(path).resolve() == tmp_path / "warehouse" / "footprint.duckdb"
