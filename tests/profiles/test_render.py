"""Rendering without a browser: which files, offline, atomic, the CLI, and the
errors a person can act on."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from markupsafe import escape
from plotly.offline import get_plotlyjs

from footprint.profiles import render
from footprint.profiles.marts import REQUIRED, ProfileDataError, read_published
from footprint.profiles.render import main, render_profiles, write_atomically
from tests.profiles.fixture import NARRATIVES, SDFS, SUPPRESSED_HEADLINE, mart_columns

EXTERNAL_REFERENCE = re.compile(
    r"""(?:src|href|action|poster|data)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE
)


def test_one_page_per_sdf_and_the_overview(rendered):
    names = sorted(p.name for p in rendered)
    assert names == sorted([f"{code}.html" for code, _ in SDFS] + ["index.html"])
    assert all(p.stat().st_size > 0 for p in rendered)


SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def test_pages_load_nothing_but_the_one_plotly_file_beside_them(rendered):
    """Each page inlines its stylesheet and loads plotly.js from one file in the folder:
    written once, not inlined in every page, and nothing else is referred to."""
    folder = rendered[0].parent
    asset = folder / render.plotly_asset()
    assert asset.read_text(encoding="utf-8") == get_plotlyjs()
    assert sorted(p.name for p in (folder / "assets").iterdir()) == [asset.name]
    for path in rendered:
        html = path.read_text(encoding="utf-8")
        assert SCRIPT_SRC.findall(html) == [render.plotly_asset()], path.name
        assert "plotly.js v" not in html, f"{path.name} inlines plotly.js"
        assert path.stat().st_size < 400_000, f"{path.name}: {path.stat().st_size} bytes"
        assert "<link" not in html and "<img" not in html
        assert not EXTERNAL_REFERENCE.search(html), f"{path.name} refers to the network"
        # the browser refuses any fetch but a script from beside the page
        assert "default-src 'none'; script-src 'self' 'unsafe-inline';" in html
        assert "@media print" in html and "@page" in html


def test_an_older_plotly_file_goes_once_every_page_loads_the_new_one(published_db, tmp_path):
    old = tmp_path / "assets" / "plotly-0.0.1.min.js"
    old.parent.mkdir()
    old.write_text("// an earlier version")
    render_profiles(published_db, tmp_path, ["SDF1"])
    assert old.exists(), "SDF2 and SDF3 of an earlier rendering may still load it"
    render_profiles(published_db, tmp_path)
    assert [p.name for p in old.parent.iterdir()] == [Path(render.plotly_asset()).name]


def test_suppressed_headline_is_said_in_words_and_not_leaked(rendered, published_db):
    code, indicator = SUPPRESSED_HEADLINE
    html = (rendered[0].parent / f"{code}.html").read_text(encoding="utf-8")
    card = html[html.index(f'id="indicator-{indicator}"') :]
    card = card[: card.index("</article>")]
    assert "suppressed (fewer than 8)" in card
    assert 'data-field="indicator_value" data-raw=""' in card


def test_one_sdf_only(published_db, tmp_path):
    written = render_profiles(published_db, tmp_path, ["SDF2"])
    assert written == [tmp_path / "SDF2.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["SDF2.html", "assets"]
    assert (tmp_path / render.plotly_asset()).is_file()


def test_unknown_sdf_writes_nothing(published_db, tmp_path):
    with pytest.raises(ValueError, match=r"SDF9.*published SDFs: SDF1, SDF2, SDF3"):
        render_profiles(published_db, tmp_path / "out", ["SDF1", "SDF9"])
    assert not (tmp_path / "out").exists()


def test_rendering_twice_replaces_files_and_leaves_no_temporary(published_db, tmp_path):
    render_profiles(published_db, tmp_path, ["SDF1"])
    first = (tmp_path / "SDF1.html").stat().st_ino
    render_profiles(published_db, tmp_path, ["SDF1"])
    assert (tmp_path / "SDF1.html").stat().st_ino != first  # a new file moved into place
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["SDF1.html", "assets", Path(render.plotly_asset()).name]
    )


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("old")

    def broken_replace(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(render.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomically(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]
    monkeypatch.undo()
    write_atomically(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_cli(published_db, tmp_path, capsys):
    assert main(["--published", str(published_db), "--out", str(tmp_path), "--sdf", "SDF1"]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {tmp_path / 'SDF1.html'}"
    assert main(["--published", str(tmp_path / "missing.duckdb"), "--out", str(tmp_path)]) == 2
    assert "no published file" in capsys.readouterr().err


def test_cli_defaults_to_the_published_folder(published, monkeypatch, capsys):
    monkeypatch.setenv("FOOTPRINT_PUBLISHED", str(published))
    assert main(["--sdf", "SDF3"]) == 0
    assert (published / "current" / "profiles" / "SDF3.html").is_file()
    shutil.rmtree(published / "current" / "profiles")


def test_a_missing_mart_is_named(tmp_path):
    path = tmp_path / "footprint.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema publication")
        connection.execute("create table publication.build_info as select 'b' as build_id")
    with pytest.raises(
        ProfileDataError, match=re.escape("sdf.sdf_indicator_catalogue, sdf.sdf_profiles")
    ):
        read_published(path)


def test_the_fixture_follows_the_dbt_yaml(published_db):
    """The fixture's tables (the marts the profiles read) have exactly the YAML's
    columns, in order, so the profiles are tested against the marts' real shape."""
    yaml_columns = mart_columns()
    read = [r.split(".")[1] for r in REQUIRED if r.startswith("sdf.")]
    assert len(read) == 5
    with duckdb.connect(str(published_db), read_only=True) as connection:
        for table in read:
            columns = connection.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'sdf' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            assert [c[0] for c in columns] == [name for name, _ in yaml_columns[table]]


def test_a_profile_mart_missing_a_row_is_named(published_db, tmp_path):
    copy = tmp_path / "footprint.duckdb"
    shutil.copyfile(published_db, copy)  # a writable copy of a read-only file
    with duckdb.connect(str(copy)) as connection:
        connection.execute(
            "delete from sdf.sdf_profiles "
            "where area_code = 'SDF2' and indicator_id = 'delayed_days'"
        )
    with pytest.raises(ProfileDataError, match="lacks SDF2 x delayed_days"):
        read_published(copy)


def test_every_profile_gives_each_indicator_in_plain_english(rendered):
    """The plain-English definition of every indicator, and for a key performance target
    why the partnership can influence it, are in each SDF's page (escaped as text)."""
    for path in rendered:
        if path.name == "index.html":
            continue
        html = path.read_text(encoding="utf-8")
        for indicator_id, texts in NARRATIVES.items():
            for text in texts:
                if text:
                    assert str(escape(text)) in html, (path.name, indicator_id, text[:40])
