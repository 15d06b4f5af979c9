"""The profiles of a real build: synthetic deliveries, ingestion, `dbt build`, publication,
then every page checked in the browser against the published marts. Slow (two to five
minutes): `make test-full`. FOOTPRINT_PROFILES_PUBLISHED=<published footprint.duckdb>
checks an existing build instead of making one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from footprint.paths import PROJECT_ROOT
from footprint.profiles.render import render_profiles
from footprint.publish.publisher import publish
from tests.profiles import published_values
from tests.profiles.visits import (
    check_comparison,
    check_population,
    check_trend,
    value_problems,
    visit,
)

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout[-3000:]}{result.stderr}"


@pytest.fixture(scope="module")
def real_published_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    existing = os.environ.get("FOOTPRINT_PROFILES_PUBLISHED")
    if existing:
        return Path(existing)
    root = tmp_path_factory.mktemp("real-build")
    env = os.environ | {
        "FOOTPRINT_WAREHOUSE": str(root / "warehouse.duckdb"),
        "FOOTPRINT_LANDING": str(root / "landing"),
        "FOOTPRINT_PSEUDONYMISATION_KEY": "5e" * 32,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    footprint = str(BIN / "footprint")
    _run([footprint, "generate", "--scale", "0.05", "--months", "24", "--quiet"], env)
    _run([footprint, "ingest"], env)
    target = root / "target"
    _run(
        [str(BIN / "dbt"), "build", "--profiles-dir", ".", "--target-path", str(target)],
        env,
    )
    published = root / "published"
    publish(root / "warehouse.duckdb", published, target / "manifest.json", checks=[])
    return published / "footprint.duckdb"


def test_profiles_of_a_real_build(browser, real_published_db, tmp_path):
    rendered = render_profiles(real_published_db, tmp_path)
    published = published_values.read(real_published_db)
    assert len(rendered) == len(published.sdfs) + 1
    for path in rendered:
        seen = visit(browser, path)
        assert seen.log.network_requests == [], (path.name, seen.log.network_requests)
        assert seen.log.errors == [], (path.name, seen.log.errors)
        problems = value_problems(seen.figures, published)
        assert not problems, "\n".join(problems[:20])
        for chart in seen.trend_charts:
            check_trend(chart, published)
        if path.name != "index.html":
            assert seen.population_chart is not None, path.name
            check_population(seen.population_chart, published)
        for chart in seen.comparison_charts:
            check_comparison(chart, published)
