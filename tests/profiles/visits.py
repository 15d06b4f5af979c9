"""Opening a rendered page in the browser and collecting what it shows, for the tests."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tests.profiles import published_values
from tests.profiles.browser import Browser, Page, PageLog

COLLECT_FIGURES = """
Array.from(document.querySelectorAll('[data-field]')).map(e => ({
  field: e.dataset.field,
  raw: e.dataset.raw === undefined ? null : e.dataset.raw,
  text: e.innerText,
  indicator: (e.closest('[data-indicator]') || {dataset: {}}).dataset.indicator || null,
  area: e.dataset.area || (e.closest('[data-area]') || {dataset: {}}).dataset.area || null,
  comparison: e.dataset.comparison === undefined ? null : e.dataset.comparison,
  target_status: e.dataset.targetStatus === undefined ? null : e.dataset.targetStatus,
  lower: e.dataset.lower || null,
  upper: e.dataset.upper || null,
}))
"""
POPULATION_CHART = """
(() => {
  const chart = document.getElementById('chart-population');
  if (!chart) return null;
  const bars = chart.data.find(t => t.type === 'bar');
  return {area: chart.closest('[data-area]').dataset.area,
          bands: Array.from(bars.y), people: bars.customdata.map(c => c[0])};
})()
"""
COMPARISON_CHARTS = """
Array.from(document.querySelectorAll('section.compare')).map(figure => ({
  indicator: figure.id.slice('compare-'.length),
  points: figure.querySelector('.plotly-graph-div').data
    .filter(t => t.error_x)
    .flatMap(t => Array.from(t.x).map((x, i) => ({x: x, text: t.text[i]}))),
}))
"""
OPEN_DEFINITIONS = "document.querySelectorAll('details').forEach(d => d.open = true); true"
TREND_CHARTS = """
Array.from(document.querySelectorAll('article.card')).map(card => {
  const chart = card.querySelector('.plotly-graph-div');
  const main = chart.data.find(t => t.mode === 'lines+markers');
  const months = chart.data.find(t => t.mode === 'markers' && t.name.startsWith('single months'));
  return {indicator: card.dataset.indicator, area: card.dataset.area,
          name: main.name, x: Array.from(main.x), y: Array.from(main.y),
          month_x: months ? Array.from(months.x) : [], month_y: months ? Array.from(months.y) : []};
})
"""


@dataclass(frozen=True)
class Visit:
    """What one page showed and did in the browser."""

    log: PageLog
    chart_count: int
    figures: list[dict[str, Any]]
    trend_charts: list[dict[str, Any]]
    population_chart: dict[str, Any] | None
    comparison_charts: list[dict[str, Any]]


def open_page(browser: Browser, path: Path) -> AbstractContextManager[Page]:
    width = 1100 if path.name == "index.html" else 800
    return browser.page(path, width=width)


def visit(browser: Browser, path: Path) -> Visit:
    with open_page(browser, path) as page:
        log = page.log()  # before anything is clicked: the page as it loads
        chart_count = page.evaluate("document.querySelectorAll('.plotly-graph-div').length")
        page.evaluate(OPEN_DEFINITIONS)  # so that every definition's figures are shown
        figures = page.evaluate(COLLECT_FIGURES)
        trend_charts = page.evaluate(TREND_CHARTS)
        population_chart = page.evaluate(POPULATION_CHART)
        comparison_charts = page.evaluate(COMPARISON_CHARTS)
    return Visit(log, chart_count, figures, trend_charts, population_chart, comparison_charts)


def value_problems(
    figures: list[dict[str, Any]], published: published_values.Published
) -> list[str]:
    return [p for f in figures for p in published_values.mismatches(f, published)]


def check_trend(chart: dict, published: published_values.Published) -> None:
    """The trend line is the published headline series, month by month; the single
    months beside a 12-month line are the published comparable (annualised) values."""
    period_type = published.headline_series[chart["indicator"]]
    series = dict(published.series[(chart["indicator"], chart["area"], period_type)])
    assert chart["x"], chart
    for x, y in zip(chart["x"], chart["y"], strict=True):
        month = date.fromisoformat(str(x)[:10])
        assert series[month] == y, (chart["indicator"], chart["area"], month, series[month], y)
    assert len(chart["x"]) <= 24
    months = dict(published.comparable.get((chart["indicator"], chart["area"]), []))
    if period_type == "month":
        assert not chart["month_x"], chart
        return
    assert len(chart["month_x"]) == min(len(months), 24), chart
    for x, y in zip(chart["month_x"], chart["month_y"], strict=True):
        month = date.fromisoformat(str(x)[:10])
        assert months[month] == y, (chart["indicator"], chart["area"], month, months[month], y)


def check_population(chart: dict, published: published_values.Published) -> None:
    """The age chart's bands and people are the published mart's, suppressed in words."""
    bands = published.bands[chart["area"]]
    assert chart["bands"] == [band for band, _ in bands]
    expected = [
        published_values.SUPPRESSED_WORDS if people is None else published_values.shown(people)
        for _, people in bands
    ]
    assert chart["people"] == expected, (chart["area"], chart["people"], expected)


def check_comparison(chart: dict, published: published_values.Published) -> None:
    """Each SDF's marker on the overview's chart sits at its published value; an SDF
    without a value has no marker."""
    codes = {name: code for code, name in published.sdfs.items()}
    drawn = {codes[p["text"].split(":")[0]]: p["x"] for p in chart["points"]}
    expected = {
        code: published.headlines[(code, chart["indicator"])]["indicator_value"]
        for code in published.sdfs
    }
    assert drawn == {c: v for c, v in expected.items() if v is not None}, chart["indicator"]
