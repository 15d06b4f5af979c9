"""The pages beyond a desktop screen, in headless Chromium: every chart in words and as a
table of the values it plots, a phone (390 x 844) with nothing wider than the screen,
and print to A4 PDF in a few pages with the charts at their designed size.
FOOTPRINT_PROFILE_SCREENSHOTS=<folder> keeps the phone screenshots and the PDFs."""

from __future__ import annotations

import math
import os
import re
from datetime import date
from pathlib import Path

import pytest

from footprint.profiles import charts
from tests.profiles import published_values
from tests.profiles.published_values import SUPPRESSED_WORDS, shown
from tests.profiles.visits import open_page

PHONE = (390, 844)
CHARTS = r"""
Array.from(document.querySelectorAll('.plotly-graph-div')).map(div => {
  const figure = div.closest('figure.chart');
  const plot = div.closest('.chart-plot');
  const caption = figure && figure.querySelector('figcaption');
  const table = figure && figure.querySelector('details.chart-data table');
  return {
    id: div.id,
    indicator: (div.closest('[data-indicator]') || {dataset: {}}).dataset.indicator
      || (div.closest('section.compare') || {id: ''}).id.replace('compare-', '') || null,
    figure: figure !== null,
    labelled_by: plot && plot.getAttribute('role') === 'img'
      ? plot.getAttribute('aria-labelledby') : null,
    caption_id: caption && caption.id,
    caption: caption ? caption.innerText.trim() : '',
    columns: table ? Array.from(table.tHead.rows[0].cells).map(c => c.textContent.trim()) : [],
    rows: table ? Array.from(table.tBodies[0].rows).map(
      r => Array.from(r.cells).map(c => c.textContent.trim().replace(/\s+/g, ' '))) : [],
    traces: div.data.map(t => ({mode: t.mode || null, type: t.type, x: t.x ? Array.from(t.x) : [],
      y: t.y ? Array.from(t.y) : [], text: t.text ? Array.from(t.text) : [],
      custom: t.customdata ? Array.from(t.customdata).map(c => c[0]) : []})),
  };
})
"""
PLOT_WIDTHS = """
Array.from(document.querySelectorAll('.chart-plot')).map(plot => ({
  designed: Number(plot.dataset.width),
  drawn: Number(plot.querySelector('.main-svg').getAttribute('width')),
  box: plot.closest('.chart-box').clientWidth,
  scrolls: plot.style.minWidth !== '',
}))
"""


def _folder(tmp_path: Path) -> Path:
    """Where the screenshots and PDFs go: FOOTPRINT_PROFILE_SCREENSHOTS, or the test's."""
    folder = Path(os.environ.get("FOOTPRINT_PROFILE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _month(value: str) -> str:
    return date.fromisoformat(str(value)[:10]).strftime("%b %Y")


def _check_trend(chart: dict, published: published_values.Published) -> None:
    """The table's second column is the drawn line, month by month, in words where
    suppressed."""
    decimals = published.decimals[chart["indicator"]]
    line = next(t for t in chart["traces"] if t["mode"] == "lines+markers")
    table = {row[0]: row[1] for row in chart["rows"]}
    assert len(line["x"]) > 0
    for x, y in zip(line["x"], line["y"], strict=True):
        expected = shown(y, decimals) if y is not None else SUPPRESSED_WORDS
        assert table[_month(x)] == expected, (chart["id"], x, table[_month(x)], expected)


def _check_comparison(chart: dict, published: published_values.Published) -> None:
    """Each SDF's row holds the value its marker is drawn at; an SDF without a marker
    says why in words."""
    decimals = published.decimals[chart["indicator"]]
    table = {row[0]: row[1] for row in chart["rows"]}
    drawn = {
        text.split(":")[0]: x
        for trace in chart["traces"]
        for x, text in zip(trace["x"], trace["text"], strict=False)
        if text
    }
    for name in published.sdfs.values():
        if name in drawn:
            assert table[name] == shown(drawn[name], decimals), (chart["id"], name)
        else:
            assert table[name] in {SUPPRESSED_WORDS, "not calculated"}, (chart["id"], name)


def _check_population(chart: dict) -> None:
    bars = next(t for t in chart["traces"] if t["type"] == "bar")
    assert [row[0] for row in chart["rows"]] == bars["y"]
    assert [row[1] for row in chart["rows"]] == bars["custom"]
    assert [row[2] for row in chart["rows"]] == [
        "" if x is None else f"{x:.1f}%" for x in bars["x"]
    ]


def test_every_chart_says_what_it_shows_and_has_its_figures_as_a_table(
    browser, rendered, published_db
):
    published = published_values.read(published_db)
    kinds: set[str] = set()
    for path in rendered:
        with open_page(browser, path) as page:
            found = page.evaluate(CHARTS)
        assert found, path.name
        for chart in found:
            where = f"{path.name} {chart['id']}"
            assert chart["figure"], f"{where}: not drawn through the chart partial"
            assert chart["labelled_by"] == chart["caption_id"], where
            assert len(chart["caption"].split()) >= 8, f"{where}: {chart['caption']!r}"
            assert chart["rows"], f"{where}: no figures"
            assert all(len(r) == len(chart["columns"]) for r in chart["rows"]), where
            if chart["id"].startswith("chart-trend-"):
                _check_trend(chart, published)
                kinds.add("trend")
            elif chart["id"].startswith("chart-sdfs-"):
                _check_comparison(chart, published)
                kinds.add("comparison")
            elif chart["id"] == "chart-population":
                _check_population(chart)
                kinds.add("population")
            elif chart["id"].startswith("chart-funnel-"):
                assert {row[0] for row in chart["rows"]} == set(published.sdfs.values())
                kinds.add("funnel")
            elif chart["id"] == "chart-spine":
                assert len(chart["rows"]) == len(published.decimals)
                names = set(published.sdfs.values())
                assert names <= set(chart["columns"]), chart["columns"]
                kinds.add("spine")
    assert kinds == {"trend", "comparison", "population", "spine", "funnel"}


def test_folded_tables_open_on_a_click(browser, rendered):
    path = next(p for p in sorted(rendered) if p.name != "index.html")
    with open_page(browser, path) as page:
        assert page.evaluate(
            "Array.from(document.querySelectorAll('details.chart-data table'))"
            ".every(t => !t.checkVisibility())"
        )
        page.evaluate("document.querySelector('details.chart-data summary').click(); true")
        assert page.evaluate("document.querySelector('details.chart-data table').checkVisibility()")


@pytest.mark.parametrize("name", ["SDF2.html", "index.html"])
def test_a_phone_reads_without_sideways_scrolling(browser, rendered, tmp_path, name):
    path = next(p for p in rendered if p.name == name)
    width, height = PHONE
    with browser.page(path, width=width, height=height, mobile=True) as page:
        inner, scroll = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
        assert inner == width, "the page is laid out wider than the phone and zoomed out"
        assert scroll <= inner, f"{name} scrolls sideways: {scroll} px on a {inner} px screen"
        plots = page.evaluate(PLOT_WIDTHS)
        for plot in plots:
            if plot["scrolls"]:  # too many labels to shrink: it scrolls in its own box
                assert plot["drawn"] >= charts.SPINE_NARROWEST and plot["box"] <= inner
            else:
                assert plot["drawn"] <= plot["box"] <= inner, plot
        assert any(p["drawn"] < p["designed"] for p in plots), "no chart followed the screen"
        shot = page.screenshot(_folder(tmp_path) / f"{path.stem}-phone.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height (points) of each page of a PDF as Chromium writes it."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(boxes) == len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    return [(float(w), float(h)) for w, h in boxes]


@pytest.mark.parametrize("name", ["SDF1.html", "index.html"])
def test_printing_gives_a_few_a4_pages_with_the_charts_at_their_designed_size(
    browser, rendered, published_db, tmp_path, name
):
    """Printed from a phone, the worst case: the charts are redrawn at their designed
    size for paper and back at the screen's after; the charts' tables stay off paper."""
    indicators = len(published_values.read(published_db).decimals)
    path = next(p for p in rendered if p.name == name)
    with browser.page(path, width=PHONE[0], height=PHONE[1], mobile=True) as page:
        page.evaluate(
            # after the page's own listener, as the page is laid out for paper
            "window.printed = []; addEventListener('beforeprint', () => "
            "printed.push(...Array.from(document.querySelectorAll('.chart-plot')).map("
            "p => [Number(p.dataset.width), Number(p.querySelector('.main-svg')"
            ".getAttribute('width'))]))); true"
        )
        on_screen = page.evaluate(PLOT_WIDTHS)
        pdf = page.pdf(_folder(tmp_path) / f"{path.stem}.pdf").read_bytes()
        printed = page.evaluate("printed")
        after = page.evaluate(PLOT_WIDTHS)
        page.browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=page.session)
        tables_printed = page.evaluate(
            "Array.from(document.querySelectorAll('details.chart-data'))"
            ".some(d => d.checkVisibility())"
        )
    assert printed and all(designed == drawn for designed, drawn in printed), printed
    assert [p["drawn"] for p in after] == [p["drawn"] for p in on_screen]
    assert not tables_printed
    pages = _pdf_pages(pdf)
    a4 = (595, 842) if name != "index.html" else (842, 595)
    assert all(abs(w - a4[0]) < 3 and abs(h - a4[1]) < 3 for w, h in pages), pages
    # a few pages: the summary, population, targets, spine and funnels, two indicators a
    # page and how to read them (7 for the fixture's 4 indicators)
    assert len(pages) <= 5 + math.ceil(indicators / 2), f"{name}: {len(pages)} pages"
