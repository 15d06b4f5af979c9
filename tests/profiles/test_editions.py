"""Quarterly and annual editions: cut from a small published build (tests/profiles/fixture.py:
24 months to Mar 2025, every indicator's latest period Mar 2025), frozen, kept through
version rotation, reproducible, with commentary rendered safely beside the figures."""

from __future__ import annotations

import os
import re
import shutil
import stat
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from footprint.cli import main as footprint
from footprint.profiles.editions import render_commentary, render_edition
from footprint.publish.editions import (
    EditionError,
    EditionPeriod,
    check_issue,
    covered_periods,
    cut_edition,
    issues,
)
from footprint.publish.publisher import DATABASE_NAME, publish, versions
from tests.profiles.fixture import build_published

HOSTILE = (
    "Waits **fell** after the new *discharge to assess* beds opened.\n\n"
    "- seven-day social work cover\n"
    "- <script>document.title = 'pwned'</script>\n\n"
    '<img src="https://example.org/x.png"> [more](javascript:alert(1)) & 5 < 7\n'
)


@pytest.fixture
def build(tmp_path: Path) -> Path:
    """A published folder of its own: the tests cut editions into it."""
    (tmp_path / "build").mkdir()
    return build_published(tmp_path / "build")


@pytest.fixture
def commentary(tmp_path: Path) -> Path:
    root = tmp_path / "commentary"
    (root / "2024-25-Q3").mkdir(parents=True)
    (root / "2024-25-Q3" / "SDF1.md").write_text(HOSTILE, encoding="utf-8")
    (root / "2024-25-Q3" / "E09999999.md").write_text("The borough as a whole held steady.\n")
    return root


class Cells(HTMLParser):
    """The figures of a report: (area, indicator) -> data-value of its value cell."""

    def __init__(self) -> None:
        super().__init__()
        self.row: dict[str, str] = {}
        self.values: dict[tuple[str, str], str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "tr" and "data-indicator" in found:
            self.row = found
        if found.get("data-field") == "indicator_value":
            self.values[(self.row["data-area"], self.row["data-indicator"])] = found["data-value"]


def test_edition_ids_name_financial_year_periods():
    q2 = EditionPeriod.parse("2025-26-Q2")
    assert (q2.label, q2.kind, str(q2.start_month), str(q2.end_month)) == (
        "2025-26 Q2",
        "quarterly",
        "2025-07-01",
        "2025-09-01",
    )
    q4 = EditionPeriod.parse("2025-26-Q4")
    assert (str(q4.start_month), str(q4.end_month)) == ("2026-01-01", "2026-03-01")
    year = EditionPeriod.parse("1999-00")
    assert (year.edition_id, year.kind, str(year.start_month), str(year.end_month)) == (
        "1999-00",
        "annual",
        "1999-04-01",
        "2000-03-01",
    )
    for wrong in ("2025-27-Q2", "2025-26-Q5", "2025-26 Q2", "2025/26", "Q2 2025", ""):
        with pytest.raises(EditionError, match=r"is not an edition id.*2025-26-Q2"):
            EditionPeriod.parse(wrong)


def test_cut_freezes_data_commentary_and_report(build, commentary):
    issue = cut_edition(build, "2024-25-Q3", commentary_root=commentary)

    assert issue.folder == build / "editions" / "2024-25-Q3" / "issue-1"
    version = build / "versions" / issue.record["build_id"]
    assert (issue.folder / DATABASE_NAME).read_bytes() == (version / DATABASE_NAME).read_bytes()
    assert (issue.folder / "manifest.json").read_bytes() == (version / "manifest.json").read_bytes()
    assert sorted(p.name for p in (issue.folder / "commentary").iterdir()) == [
        "E09999999.md",
        "SDF1.md",
    ]
    assert issue.record["commentary_areas"] == ["E09999999", "SDF1"]
    assert set(issue.record["files"]) == {
        "footprint.duckdb",
        "manifest.json",
        "commentary/E09999999.md",
        "commentary/SDF1.md",
    }
    for path in [issue.folder, *issue.folder.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o222 == 0, f"{path} is writable"
    assert not (build / "editions" / ".staging").exists() or not any(
        (build / "editions" / ".staging").iterdir()
    )

    # the report's figures are the marts' values at Dec 2024, the quarter's last month
    cells = Cells()
    cells.feed(issue.report.read_text())
    with duckdb.connect(str(issue.folder / DATABASE_NAME), read_only=True) as connection:
        expected = connection.execute(
            "select v.area_code, v.indicator_id, v.indicator_value "
            "from sdf.sdf_indicator_values v join sdf.sdf_indicator_catalogue c "
            "on v.indicator_id = c.indicator_id and v.period_type = c.headline_period_type "
            "where v.period_month = date '2024-12-01'"
        ).fetchall()
    assert len(expected) == 4 * 4
    assert cells.values == {
        (area, indicator): "" if value is None else repr(value)
        for area, indicator, value in expected
    }


def test_commentary_is_shown_escaped_and_missing_commentary_said_plainly(build, commentary):
    report = cut_edition(build, "2024-25-Q3", commentary_root=commentary).report.read_text()
    sdf1 = report.split('id="area-SDF1"')[1].split("</section>")[0]
    assert "<strong>fell</strong>" in sdf1 and "<em>discharge to assess</em>" in sdf1
    assert "<li>seven-day social work cover</li>" in sdf1
    assert "&lt;script&gt;document.title" in sdf1
    assert "&lt;img src=" in sdf1 and "[more](javascript:alert(1))" in sdf1
    assert "&amp; 5 &lt; 7" in sdf1
    assert "<script" not in report and "<img" not in report and 'href="java' not in report
    assert "The borough as a whole held steady." in report.split('id="area-E09999999"')[1]
    for code, name in (("SDF2", "Central Test &amp; Riverside"), ("SDF3", "South Test")):
        section = report.split(f'id="area-{code}"')[1].split("</section>")[0]
        assert f"No commentary was written for {name} for this edition." in section
        assert 'class="commentary-text"' not in section


def test_report_has_every_definition_and_every_target_reason(build, commentary):
    report = cut_edition(build, "2024-25", commentary_root=commentary).report.read_text()
    assert "2024-25: the financial year Apr 2024 to Mar 2025" in report
    definitions = report.split('id="definitions"')[1]
    for text in (
        "share still at home 91 days on",
        "ready to leave, per 100,000 adults",
        "an ambulance was called out",
        "living in a care home",
    ):
        assert text in definitions
    targets = report.split('id="targets"')[1].split("</section>")[0]
    assert re.findall(r'data-indicator="([^"]+)"', targets) == [
        "reablement_at_home",
        "delayed_days",
    ]
    assert "plans and provides reablement itself" in targets
    assert "care the partnership arranges after hospital" in targets


def test_a_frozen_edition_is_not_cut_again_without_a_reason(build, commentary):
    first = cut_edition(build, "2024-25-Q3", commentary_root=commentary)
    frozen = first.report.read_bytes()
    (commentary / "2024-25-Q3" / "SDF2.md").write_text("Written after the board meeting.\n")

    with pytest.raises(EditionError, match=r"edition 2024-25-Q3 is frozen: issue 1 .*--reissue"):
        cut_edition(build, "2024-25-Q3", commentary_root=commentary)
    with pytest.raises(EditionError, match="--reissue"):
        cut_edition(build, "2024-25-Q3", reissue_reason="  ", commentary_root=commentary)
    assert first.report.read_bytes() == frozen

    second = cut_edition(
        build,
        "2024-25-Q3",
        reissue_reason="SDF2's commentary arrived late",
        commentary_root=commentary,
    )
    assert second.folder.name == "issue-2"
    assert (second.record["replaces_issue"], second.record["reissue_reason"]) == (
        1,
        "SDF2's commentary arrived late",
    )
    assert [i.number for i in issues(build, "2024-25-Q3")] == [1, 2]
    assert first.report.read_bytes() == frozen
    assert "Written after the board meeting." in second.report.read_text()
    assert "This issue replaces issue 1" in second.report.read_text()
    assert "SDF2&#39;s commentary arrived late" in second.report.read_text()  # escaped


def test_the_periods_a_version_covers(build):
    # 12-month values from Mar 2024 to Mar 2025, every indicator's latest period Mar 2025
    assert [p.edition_id for p in covered_periods(build / DATABASE_NAME)] == [
        "2023-24-Q4",
        "2023-24",
        "2024-25-Q1",
        "2024-25-Q2",
        "2024-25-Q3",
        "2024-25-Q4",
        "2024-25",
    ]


def test_a_period_the_version_does_not_cover_is_refused(build, commentary):
    with pytest.raises(
        EditionError,
        match=r"does not cover 2025-26 Q1 .*published to Mar 2025 "
        r"\(its data take 3 months to mature\), not yet to Jun 2025",
    ):
        cut_edition(build, "2025-26-Q1", commentary_root=commentary)
    # 12-month values start at Mar 2024: the build no longer holds Dec 2023
    with pytest.raises(EditionError, match="0 of 4 areas at Dec 2023"):
        cut_edition(build, "2023-24-Q3", commentary_root=commentary)
    with pytest.raises(EditionError, match="no kept published version nope"):
        cut_edition(build, "2024-25-Q3", build_id="nope", commentary_root=commentary)
    assert not (build / "editions" / "2025-26-Q1").exists()


def test_commentary_for_an_unknown_area_is_refused(build, commentary):
    (commentary / "2024-25-Q3" / "SDF9.md").write_text("Which SDF is this?\n")
    with pytest.raises(EditionError, match=r"SDF9\.md.*one of E09999999, SDF1, SDF2, SDF3"):
        cut_edition(build, "2024-25-Q3", commentary_root=commentary)
    assert not (build / "editions" / "2024-25-Q3").exists()
    assert not any((build / "editions" / ".staging").iterdir())


def test_version_rotation_leaves_editions(build, commentary, tmp_path):
    issue = cut_edition(build, "2024-25-Q3", commentary_root=commentary)
    cut_from = issue.record["build_id"]
    report = issue.report.read_bytes()
    warehouse = tmp_path / "build" / "warehouse.duckdb"
    manifest = tmp_path / "build" / "manifest.json"
    for _ in range(3):
        publish(warehouse, build, manifest, checks=[], keep=2)
    assert cut_from not in versions(build)  # rotated away ...
    assert issue.report.read_bytes() == report  # ... the edition kept, whole
    assert check_issue(issue) == []


def test_re_rendering_from_the_frozen_folder_gives_the_same_report(build, commentary, tmp_path):
    issue = cut_edition(build, "2024-25-Q3", commentary_root=commentary)
    # the frozen folder alone, moved elsewhere, renders the same bytes
    elsewhere = tmp_path / "archive" / "2024-25-Q3"
    shutil.copytree(issue.folder, elsewhere)
    shutil.rmtree(tmp_path / "commentary")
    assert render_edition(elsewhere) == issue.report.read_text(encoding="utf-8")
    assert check_issue(issue) == []

    tampered = tmp_path / "tampered"
    shutil.copytree(issue.folder, tampered)
    os.chmod(tampered / "commentary", 0o755)
    os.chmod(tampered / "commentary" / "SDF1.md", 0o644)
    (tampered / "commentary" / "SDF1.md").write_text("Rewritten afterwards.\n")
    problems = check_issue(type(issue)(tampered, issue.record))
    assert problems == [
        f"{tampered / 'commentary' / 'SDF1.md'} is not the file the edition was cut with"
    ]


def test_commentary_markdown_subset():
    html = str(render_commentary("One\r\ntwo\n\n1. first\n2. second\n\n# not a heading\n"))
    assert "<ol>" in html and "<li>first</li>" in html
    assert "<h1>" not in html and "# not a heading" in html


def test_edition_command(build, commentary, monkeypatch, capsys):
    monkeypatch.setenv("FOOTPRINT_PUBLISHED", str(build))
    monkeypatch.setattr("footprint.publish.editions.SEEDS_COMMENTARY", commentary)
    assert footprint(["edition", "cut", "2024-25-Q4"]) == 0
    assert "cut edition 2024-25-Q4 issue 1" in capsys.readouterr().out
    assert footprint(["edition", "cut", "2024-25-Q4"]) == 2
    assert "is frozen" in capsys.readouterr().err
    assert footprint(["edition", "cut", "2024-25-Q5"]) == 2
    assert "'2024-25-Q5' is not an edition id" in capsys.readouterr().err
    assert footprint(["edition", "check", "2024-25-Q4"]) == 0
    assert "is as it was cut" in capsys.readouterr().out
    assert footprint(["edition", "check", "2024-25-Q3"]) == 2
    assert "edition 2024-25-Q3 has not been cut" in capsys.readouterr().err
    assert footprint(["edition", "list"]) == 0
    listed = capsys.readouterr().out
    assert "2024-25-Q4 issue 1: cut" in listed
    assert (
        "covers, not yet cut: 2023-24-Q4, 2023-24, 2024-25-Q1, 2024-25-Q2, 2024-25-Q3, 2024-25\n"
        in listed
    )


def test_edition_report_in_the_browser(browser, build, commentary, tmp_path):
    """Opened offline in Chromium: no request, no error, no script run from the commentary.
    FOOTPRINT_PROFILE_SCREENSHOTS=<folder> keeps the screenshots."""
    report = cut_edition(build, "2024-25-Q3", commentary_root=commentary).report
    folder = Path(os.environ.get("FOOTPRINT_PROFILE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    for width, name in ((1100, "edition"), (390, "edition_phone")):
        with browser.page(report, width=width) as page:
            log = page.log()
            assert log.network_requests == [] and log.errors == []
            assert page.evaluate("document.title").startswith("Testborough: 2024-25 Q3")
            assert page.evaluate("document.querySelectorAll('script, img').length") == 0
            assert page.evaluate("document.querySelectorAll('tr[data-indicator]').length") == 16
            commentary_text = page.evaluate(
                "document.querySelector('[data-commentary=\"SDF1\"]').innerText"
            )
            assert "<script>document.title = 'pwned'</script>" in commentary_text
            png = page.screenshot(folder / f"{name}.png")
            if width == 1100:
                pdf = page.pdf(folder / "edition.pdf")
                assert pdf.read_bytes()[:5] == b"%PDF-"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_cut_racing_another_never_overwrites_it(build, commentary, monkeypatch):
    first = cut_edition(build, "2024-25-Q3", commentary_root=commentary)
    frozen = first.report.read_bytes()
    # as if a second cut had looked before the first one finished
    monkeypatch.setattr("footprint.publish.editions.issues", lambda *_: [])
    with pytest.raises(EditionError, match="written by another cut of 2024-25-Q3"):
        cut_edition(build, "2024-25-Q3", commentary_root=commentary)
    assert first.report.read_bytes() == frozen
    assert not any((build / "editions" / ".staging").iterdir())
