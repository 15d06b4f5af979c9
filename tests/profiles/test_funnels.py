"""The deep-dive shortlist and the funnel plots of the SDF profiles, as a reader sees
them in headless Chromium: what each shows is the published funnel marts' rows."""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from footprint.profiles.funnels import read_funnels
from footprint.profiles.marts import ProfileDataError
from tests.profiles.visits import open_page

SHORTLIST_SHOWN = """
Array.from(document.querySelectorAll('#deep-dive li')).map(li => ({
  indicator: li.dataset.indicator,
  reason: li.dataset.raw,
  value: li.querySelector('[data-funnel-field="indicator_value"]').dataset.raw,
  text: li.innerText,
}))
"""
FUNNELS_SHOWN = """
Array.from(document.querySelectorAll('#funnels section.funnel')).map(figure => {
  const chart = figure.querySelector('.plotly-graph-div');
  return {
    indicator: figure.dataset.indicator,
    label: figure.getAttribute('aria-label'),
    position: figure.querySelector('[data-funnel-field="funnel_position"]').dataset.raw,
    drawn: chart.querySelector('.main-svg') !== null,
    traces: chart.data.map(t => ({name: t.name, x: Array.from(t.x), y: Array.from(t.y),
                                  showlegend: t.showlegend !== false})),
  };
})
"""


def _rows(published_db: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(published_db), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _page(rendered: list[Path], code: str) -> Path:
    return next(p for p in rendered if p.name == f"{code}.html")


def test_the_shortlist_is_the_published_one_in_its_order(browser, rendered, published_db):
    listed = _rows(
        published_db,
        "select area_code, indicator_id, shortlist_reason, indicator_value "
        "from sdf.sdf_deep_dive_shortlist order by area_code, shortlist_rank",
    )
    assert listed, "the fixture should shortlist something"
    codes = [p.stem for p in rendered if p.name != "index.html"]
    for code in codes:
        expected = [r for r in listed if r["area_code"] == code]
        with open_page(browser, _page(rendered, code)) as page:
            shown = page.evaluate(SHORTLIST_SHOWN)
            empty = page.evaluate(
                "document.querySelector('[data-funnel-field=\"shortlist_empty\"]') !== null"
            )
        assert [(s["indicator"], s["reason"]) for s in shown] == [
            (r["indicator_id"], r["shortlist_reason"]) for r in expected
        ], code
        assert [float(s["value"]) for s in shown] == [r["indicator_value"] for r in expected]
        assert empty == (not expected), code
        for item in shown:
            assert "worse than the borough" in item["text"], item


def test_each_funnel_plot_draws_the_published_limits_and_values(browser, rendered, published_db):
    funnels = _rows(
        published_db,
        "select f.*, c.indicator_name from sdf.sdf_indicator_funnels f "
        "join sdf.sdf_indicator_catalogue c using (indicator_id) "
        "where f.is_latest_period and c.polarity <> 'no_judgement' "
        "order by f.indicator_id, f.funnel_denominator, f.area_code",
    )
    code = "SDF2"
    with open_page(browser, _page(rendered, code)) as page:
        page.wait_for_charts()
        shown = {f["indicator"]: f for f in page.evaluate(FUNNELS_SHOWN)}
        assert page.log().network_requests == []
        assert page.log().errors == []
    assert sorted(shown) == sorted({f["indicator_id"] for f in funnels})
    for indicator, figure in shown.items():
        rows = [f for f in funnels if f["indicator_id"] == indicator]
        focus = next(r for r in rows if r["area_code"] == code)
        assert figure["drawn"], indicator
        assert rows[0]["indicator_name"] in figure["label"], figure["label"]
        assert focus["area_name"] in figure["label"], figure["label"]
        assert figure["position"] == (focus["funnel_position"] or "")
        traces = {(t["name"], t["showlegend"]): t for t in figure["traces"]}
        (marker,) = [t for (name, _), t in traces.items() if name == focus["area_name"]]
        assert marker["y"] == [focus["indicator_value"]]
        assert marker["x"] == [focus["funnel_denominator"]]
        placed = [r for r in rows if r["upper_limit_998"] is not None]
        upper = next(
            t for (name, legend), t in traces.items() if name.startswith("99.8%") and legend
        )
        # drawn through each SDF's published limit (as a short level line where every
        # SDF has the same denominator, as here)
        assert set(upper["y"]) == {r["upper_limit_998"] for r in placed}, indicator
        if placed:
            sizes = [r["funnel_denominator"] for r in placed]
            assert min(upper["x"]) <= min(sizes) and max(upper["x"]) >= max(sizes)
        else:  # a funnel with a suppressed SDF shows its values, no limits
            assert any(r["has_suppressed_sdf"] for r in rows)
            assert "left blank where any SDF's count is suppressed" in figure["label"]


def test_a_suppressed_sdf_is_not_placed_and_says_so(browser, rendered):
    with open_page(browser, _page(rendered, "SDF3")) as page:
        page.wait_for_charts()
        shown = {f["indicator"]: f for f in page.evaluate(FUNNELS_SHOWN)}
    figure = shown["reablement_at_home"]
    assert "not placed (suppressed or no value)" in figure["label"]
    assert figure["position"] == ""


def test_funnel_screenshot(browser, rendered, tmp_path):
    """The shortlist and the funnels of one SDF, for a person to look at
    (FOOTPRINT_PROFILE_SCREENSHOTS=<folder> keeps them)."""
    folder = Path(os.environ.get("FOOTPRINT_PROFILE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    with open_page(browser, _page(rendered, "SDF2")) as page:
        page.wait_for_charts()
        for section in ("deep-dive", "funnels"):
            top, height = page.evaluate(
                f"(() => {{ const r = document.getElementById('{section}')"
                ".getBoundingClientRect(); return [r.top + window.scrollY, r.height]; })()"
            )
            data = page.browser.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": top, "width": 800, "height": height, "scale": 1},
                },
                session=page.session,
            )["data"]
            png = folder / f"SDF2_{section}.png"
            png.write_bytes(base64.b64decode(data))
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_published_file_without_the_funnel_marts_is_refused(published_db, tmp_path):
    copy = tmp_path / "footprint.duckdb"
    shutil.copy(published_db, copy)
    with duckdb.connect(str(copy)) as connection:
        connection.execute("drop table sdf.sdf_deep_dive_shortlist")
    with pytest.raises(ProfileDataError, match="sdf_deep_dive_shortlist"):
        read_funnels(copy)
