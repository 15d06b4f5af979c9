"""A throwaway warehouse, published folder and dbt manifest for each quality test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.quality.builders import write_dbt_manifest

os.environ["GX_ANALYTICS_ENABLED"] = "false"


@pytest.fixture
def quality(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    warehouse = tmp_path / "warehouse" / "footprint.duckdb"
    published = tmp_path / "published"
    monkeypatch.setenv("FOOTPRINT_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("FOOTPRINT_PUBLISHED", str(published))
    return {
        "warehouse": warehouse,
        "published": published,
        "dbt_manifest": write_dbt_manifest(tmp_path / "target" / "manifest.json"),
        "root": tmp_path,
    }
