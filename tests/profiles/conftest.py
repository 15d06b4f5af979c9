"""Fixtures for the profile tests: a published file in the real shape (see fixture.py),
its rendered pages, and a headless Chromium when one is installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from footprint.profiles.render import render_profiles
from tests.profiles.browser import Browser, find_chromium
from tests.profiles.fixture import build_published


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published folder (footprint.duckdb, manifest.json, current/)."""
    return build_published(tmp_path_factory.mktemp("profiles-build"))


@pytest.fixture(scope="session")
def published_db(published: Path) -> Path:
    return published / "footprint.duckdb"


@pytest.fixture(scope="session")
def rendered(published_db: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return render_profiles(published_db, tmp_path_factory.mktemp("profiles-html"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with Browser(executable) as running:
        yield running
