"""Where things live. Every path is absolute so that dbt and DuckDB never create
files relative to wherever a command happened to be started."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTRACTS_DIR = PROJECT_ROOT / "contracts"
SEEDS_DIR = PROJECT_ROOT / "seeds"


def _env_path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name, default)).expanduser().resolve()


def landing_dir() -> Path:
    """Folder the organisations deliver into: landing/<org>/<feed>/<file>."""
    return _env_path("FOOTPRINT_LANDING", PROJECT_ROOT / "landing")


def warehouse_path() -> Path:
    """The build DuckDB file (person-level; never published)."""
    return _env_path("FOOTPRINT_WAREHOUSE", PROJECT_ROOT / "warehouse" / "footprint.duckdb")


def published_dir() -> Path:
    """Where readers find the published marts: footprint.duckdb, manifest.json, current/."""
    return _env_path("FOOTPRINT_PUBLISHED", PROJECT_ROOT / "published")


def dbt_manifest_path() -> Path:
    return PROJECT_ROOT / "target" / "manifest.json"
