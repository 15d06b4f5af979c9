"""Shared fixtures: a throwaway landing folder, warehouse and key for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

TEST_KEY = "5e" * 32


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Empty landing folder and warehouse path, wired through the environment."""
    landing = tmp_path / "landing"
    landing.mkdir()
    warehouse = tmp_path / "warehouse" / "footprint.duckdb"
    monkeypatch.setenv("FOOTPRINT_LANDING", str(landing))
    monkeypatch.setenv("FOOTPRINT_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("FOOTPRINT_PSEUDONYMISATION_KEY", TEST_KEY)
    return {"landing": landing, "warehouse": warehouse, "root": tmp_path}
