"""Every rendered page opened in headless Chromium: it draws with no console error and no
network request, and every figure it shows equals the published mart's value."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.profiles import published_values
from tests.profiles.visits import (
    Visit,
    check_comparison,
    check_population,
    check_trend,
    open_page,
    value_problems,
    visit,
)


@pytest.fixture(scope="module")
def visits(browser, rendered) -> dict[str, Visit]:
    return {path.name: visit(browser, path) for path in sorted(rendered)}


def test_every_page_draws_offline_without_errors(visits, rendered):
    assert sorted(visits) == sorted(p.name for p in rendered)
    for (name, seen), path in zip(sorted(visits.items()), sorted(rendered), strict=True):
        assert seen.chart_count > 0, name
        assert seen.log.network_requests == [], f"{name} fetched {seen.log.network_requests}"
        assert seen.log.requests[0] == path.resolve().as_uri(), seen.log.requests
        assert seen.log.errors == [], f"{name}: {seen.log.errors}"


def test_profile_values_equal_the_published_marts(visits, published_db):
    published = published_values.read(published_db)
    for name, seen in visits.items():
        if name == "index.html":
            continue
        code = Path(name).stem
        problems = value_problems(seen.figures, published)
        assert not problems, "\n".join(problems[:20])
        headline_cards = {
            f["indicator"]
            for f in seen.figures
            if f["field"] == "indicator_value" and f["area"] == code
        }
        expected = {i for (a, i) in published.headlines if a == code}
        assert headline_cards == expected, f"{code}: indicators shown differ from the mart"
        assert len(seen.trend_charts) == len(expected)
        for chart in seen.trend_charts:
            check_trend(chart, published)
        assert seen.population_chart is not None and seen.population_chart["area"] == code
        check_population(seen.population_chart, published)


def test_overview_values_equal_the_published_marts(visits, published_db):
    published = published_values.read(published_db)
    figures = visits["index.html"].figures
    problems = value_problems(figures, published)
    assert not problems, "\n".join(problems[:20])
    cells = {(f["area"], f["indicator"]) for f in figures if f["field"] == "indicator_value"}
    assert cells == set(published.headlines), "the overview misses or adds an SDF x indicator"
    charts = visits["index.html"].comparison_charts
    assert len(charts) == len(published.decimals)
    for chart in charts:
        check_comparison(chart, published)


SPINE = """
(() => {
  const chart = document.getElementById('chart-spine');
  const name = document.querySelector('h1').innerText.trim();
  const mine = chart.data.filter(t => t.name.startsWith(name + ':'));
  return {rows: chart.layout.yaxis.tickvals.length,
          marked: mine.flatMap(t => Array.from(t.y)),
          // a row's note sits on the row; the axis words above the top row do not
          notes: chart.layout.annotations.filter(a => Number.isInteger(a.y))
                   .map(a => ({y: a.y, text: a.text}))};
})()
"""


def test_the_spine_marks_this_sdf_on_every_row_or_says_why_not(browser, rendered, published_db):
    """Each row carries the SDF's marker, or a note: suppressed, or a count that is part
    of the borough's total (centred on that total, every SDF would sit at the far left)."""
    published = published_values.read(published_db)
    for path in rendered:
        if path.name == "index.html":
            continue
        code = path.stem
        mine = {i: h for (a, i), h in published.headlines.items() if a == code}
        counts = [h for h in mine.values() if h["comparison_with_borough"] == "not_applicable"]
        assert counts, "the fixture should hold a count that is part of the borough's"
        with open_page(browser, path) as page:
            spine = page.evaluate(SPINE)
        assert spine["rows"] == len(mine)
        drawn = [h for h in mine.values() if h["indicator_value"] is not None]
        assert len(spine["marked"]) == len(drawn) - len(counts), spine
        not_compared = [n for n in spine["notes"] if n["text"].startswith("not compared")]
        assert len(not_compared) == len(counts), spine["notes"]
        rows = sorted(spine["marked"] + [n["y"] for n in spine["notes"]])
        assert rows == list(range(len(mine))), f"{code}: a row with no marker and no note"


def test_suppressed_values_are_said_in_words(visits, published_db):
    published = published_values.read(published_db)
    suppressed = [k for k, h in published.headlines.items() if h["is_suppressed"]]
    assert suppressed, "the fixture should hold a suppressed headline"
    for area, indicator in suppressed:
        shown = [
            " ".join(f["text"].split())
            for name in (f"{area}.html", "index.html")
            for f in visits[name].figures
            if f["field"] == "indicator_value" and (f["area"], f["indicator"]) == (area, indicator)
        ]
        assert len(shown) >= 3  # the overview cell, the card and the tables
        assert all("suppressed (fewer than 8)" in text for text in shown), shown


def test_definitions_are_one_click_away_and_print(browser, rendered):
    path = next(p for p in rendered if p.name != "index.html")
    with open_page(browser, path) as page:
        hidden = page.evaluate(
            "Array.from(document.querySelectorAll('details dl')).every(d => !d.checkVisibility())"
        )
        assert hidden, "definitions should start folded"
        page.browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=page.session)
        printed = page.evaluate(
            "Array.from(document.querySelectorAll('details dl')).every(d => d.checkVisibility())"
        )
        assert printed, "every definition should print"
        page.browser.send("Emulation.setEmulatedMedia", {"media": ""}, session=page.session)
        page.evaluate("document.querySelector('details summary').click(); true")
        opened = page.evaluate("document.querySelector('details').open")
        assert opened


def test_screenshots_and_pdf(browser, rendered, tmp_path):
    """Screenshots of one profile and the overview, for a person to look at; and a PDF.
    FOOTPRINT_PROFILE_SCREENSHOTS=<folder> keeps them."""
    folder = Path(os.environ.get("FOOTPRINT_PROFILE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    profile = next(p for p in sorted(rendered) if p.name != "index.html")
    overview = next(p for p in rendered if p.name == "index.html")
    for path in (profile, overview):
        with open_page(browser, path) as page:
            png = page.screenshot(folder / f"{path.stem}.png")
            pdf = page.pdf(folder / f"{path.stem}.pdf")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert pdf.read_bytes()[:5] == b"%PDF-"
