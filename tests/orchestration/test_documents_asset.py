"""The Dagster step that writes the profiles and the lineage documents after publication."""

from __future__ import annotations

import dagster as dg

from footprint.profiles.render import plotly_asset
from orchestration.documents import LINEAGE, PROFILES, PUBLISHED, documents_asset
from tests.profiles.fixture import SDFS, build_published


def test_both_documents_are_downstream_of_the_publication():
    asset = documents_asset()
    assert set(asset.keys) == {PROFILES, LINEAGE}
    for key in asset.keys:
        assert PUBLISHED in {dep.asset_key for dep in asset.specs_by_key[key].deps}


def test_the_profiles_are_rendered_into_the_published_version(tmp_path, monkeypatch):
    published = build_published(tmp_path)
    monkeypatch.setenv("FOOTPRINT_PUBLISHED", str(published))
    result = dg.materialize([documents_asset()], selection=[PROFILES], raise_on_error=True)
    (materialization,) = result.asset_materializations_for_node("published_documents")
    assert materialization.asset_key == PROFILES
    assert materialization.metadata["pages"].value == len(SDFS) + 1
    folder = published / "current" / "profiles"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{code}.html" for code, _ in SDFS] + ["index.html", "assets"]
    )
    assert folder.resolve().parent.parent.name == "versions"  # beside the version's data
    # the plotly.js the pages load is the version's own: a rollback keeps it with its pages
    assert (folder.resolve() / plotly_asset()).is_file()


def test_a_lineage_failure_does_not_lose_the_profiles(tmp_path, monkeypatch):
    published = build_published(tmp_path)
    monkeypatch.setenv("FOOTPRINT_PUBLISHED", str(published))
    # this run has no `dbt build` (its run id is new), so the lineage cannot be written
    result = dg.materialize([documents_asset()], raise_on_error=False)
    assert not result.success
    keys = [m.asset_key for m in result.asset_materializations_for_node("published_documents")]
    assert keys == [PROFILES]
    assert (published / "current" / "profiles" / "index.html").exists()
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "no `dbt build` of run" in failure.step_failure_data.error.to_string()
