"""The breakdowns inside an SDF on its profile, opened in headless Chromium: every
published row shows its value, or shows it is suppressed (and why, secondary
suppression marked apart), with no network request and no console error."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from tests.profiles.visits import open_page

CELLS = """
Array.from(document.querySelectorAll('#breakdowns tbody tr[data-code]')).flatMap(row =>
  Array.from(row.querySelectorAll('td.num')).filter(td => td.dataset.raw !== undefined
      || td.dataset.suppressed !== undefined).map(td => ({
    breakdown_type: row.closest('details').dataset.breakdown,
    code: row.dataset.code,
    raw: td.dataset.raw === undefined ? null : td.dataset.raw,
    suppressed: td.dataset.suppressed === undefined ? null : td.dataset.suppressed,
    text: td.innerText.trim(),
  })))
"""


def _published(published_db: Path, sdf_code: str) -> list[tuple]:
    with duckdb.connect(str(published_db), read_only=True) as connection:
        return connection.execute(
            "select breakdown_type, breakdown_code, is_suppressed, is_secondary_suppressed, "
            "indicator_value from sdf.sdf_indicator_breakdowns where sdf_code = $sdf",
            {"sdf": sdf_code},
        ).fetchall()


def test_breakdowns_show_the_published_rows(browser, rendered, published_db, tmp_path):
    profile = next(p for p in rendered if p.name == "SDF1.html")
    folder = Path(os.environ.get("FOOTPRINT_PROFILE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    with open_page(browser, profile) as page:
        log = page.log()
        cells = page.evaluate(CELLS)
        hidden = page.evaluate(
            "Array.from(document.querySelectorAll('#breakdowns details'))"
            ".map(d => [d.dataset.breakdown, (d.querySelector('p.meta') || {}).innerText || ''])"
        )
        footnote = page.evaluate("document.querySelector('#breakdowns > p.meta').innerText")
        page.evaluate("document.getElementById('breakdowns').scrollIntoView(); true")
        page.screenshot(folder / "SDF1_breakdowns.png", full_page=False)
    assert log.network_requests == [] and log.errors == []

    shown = {(c["breakdown_type"], c["code"]): c for c in cells}
    published = _published(published_db, "SDF1")
    listed = 0
    for kind, code, is_suppressed, is_secondary, value in published:
        cell = shown.get((kind, code))
        if cell is None:
            # a practice with nothing to show is counted below its table instead
            assert kind == "practice" and is_suppressed, (kind, code)
            continue
        listed += 1
        if is_suppressed:
            expected = "secondary" if is_secondary else "primary"
            assert (cell["suppressed"], cell["raw"]) == (expected, None), cell
            assert cell["text"] == ("suppressed†" if is_secondary else "suppressed*"), cell
        else:
            assert cell["raw"] == repr(value), cell
    assert listed == len(shown)
    assert ["practice", "2 more practices not listed: every figure suppressed or empty."] in hidden
    assert "Suppressed: fewer than 8" in footnote
    assert "secondary suppression" in footnote


def test_no_breakdowns_no_section(browser, rendered, published_db):
    assert _published(published_db, "SDF2") == []
    profile = next(p for p in rendered if p.name == "SDF2.html")
    with open_page(browser, profile) as page:
        assert page.evaluate("document.getElementById('breakdowns') === null")
