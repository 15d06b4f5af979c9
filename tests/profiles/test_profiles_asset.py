"""The Dagster asset that renders the profiles after publication."""

from __future__ import annotations

import dagster as dg

from orchestration.profiles import PUBLISHED, profiles_asset
from tests.profiles.fixture import SDFS, build_published


def test_the_asset_is_downstream_of_the_publication():
    asset = profiles_asset()
    assert asset.key == dg.AssetKey(["published", "profiles"])
    assert PUBLISHED in {dep.asset_key for dep in asset.specs_by_key[asset.key].deps}


def test_the_asset_renders_every_profile_into_the_published_version(tmp_path, monkeypatch):
    published = build_published(tmp_path)
    monkeypatch.setenv("FOOTPRINT_PUBLISHED", str(published))
    result = dg.materialize([profiles_asset()], raise_on_error=True)
    (materialization,) = result.asset_materializations_for_node("published__profiles")
    assert materialization.metadata["pages"].value == len(SDFS) + 1
    folder = published / "current" / "profiles"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{code}.html" for code, _ in SDFS] + ["index.html"]
    )
    assert folder.resolve().parent.parent.name == "versions"  # beside the version's data
