"""The published docs open from disk in headless Chromium, draw the lineage graph from the
raw feeds to the exposures, and send no request off the machine (every host name fails
to resolve in this browser, and any attempt would still be recorded)."""

from __future__ import annotations

import contextlib
import time

from footprint.lineage.report import LINEAGE_HTML
from tests.profiles.browser import BrowserError

VALUES_MODEL = "model.footprint.sdf_indicator_values"
GRAPH_OF_VALUES = f"#!/model/{VALUES_MODEL}?g_v=1&g_i=%2Bsdf_indicator_values%2B"
# the ids of the nodes cytoscape has drawn, once it has drawn some
DRAWN_NODES = """(() => {
  const cy = document.getElementById('cy')?._cyreg?.cy;
  return cy ? cy.nodes(':visible').map(n => n.id()) : [];
})()"""


def _graph_down_to_the_sources(page, timeout: float = 30.0) -> list[str]:
    """The drawn nodes, once the graph reaches the raw sources."""
    deadline = time.monotonic() + timeout
    nodes: list[str] = []
    while not any(n.startswith("source.") for n in nodes):
        assert time.monotonic() < deadline, f"graph drawn: {nodes}; {page.log().exceptions}"
        time.sleep(0.2)
        with contextlib.suppress(BrowserError):  # while the page is still loading
            nodes = page.evaluate(DRAWN_NODES) or []
    return nodes


def test_docs_site_shows_the_lineage_graph_offline(browser, build):
    site = build.version / "docs" / "index.html"
    with browser.page(site, width=1400, height=1000) as page:
        # dbt docs reads the graph selection from the address when it loads
        for url in ("about:blank", site.as_uri() + GRAPH_OF_VALUES):
            browser.send("Page.navigate", {"url": url}, session=page.session)
        nodes = _graph_down_to_the_sources(page)
        log = page.log()
    assert log.network_requests == []
    assert log.exceptions == []
    assert VALUES_MODEL in nodes
    for upstream in (
        "source.footprint.raw_trust.trust__delayed_discharges",
        "model.footprint.stg_trust__delayed_discharges",
        "model.footprint.int_indicator__delayed_discharge_days_per_100k_adults",
        "seed.footprint.sdfs",
    ):
        assert upstream in nodes, upstream
    assert {"exposure.footprint.published_marts", "exposure.footprint.bi_dashboards"} <= set(nodes)


# per layer of the column's lineage page, left to right: [(kind, name), ...]
LAYERS = """Array.from(document.querySelectorAll('.layer')).map(layer =>
  Array.from(layer.querySelectorAll('.card')).map(card =>
    [card.classList[1], card.querySelector('strong').textContent]))"""


def test_a_published_column_page_draws_its_lineage_offline(browser, build):
    audit = build.version / "audit"
    with browser.page(audit / LINEAGE_HTML) as page:
        link = page.evaluate(
            "document.querySelector('a[href$=\"sdf.sdf_indicator_values.numerator.html\"]')"
            ".getAttribute('href')"
        )
        log = page.log()
    assert log.network_requests == [] and log.errors == []
    with browser.page(audit / link, width=1400, height=1000) as page:
        layers = page.evaluate(LAYERS)
        text = page.evaluate("document.body.textContent")
        log = page.log()
    assert log.network_requests == [] and log.errors == []
    assert {kind for kind, _ in layers[0]} == {"source", "seed"}
    assert ["source", "trust__delayed_discharges"] in layers[0]
    assert layers[-1] == [["model", "sdf_indicator_values"]]
    names = [name for layer in layers for _, name in layer]
    assert names.index("stg_trust__delayed_discharges") < names.index(
        "int_indicator__delayed_discharge_days_per_100k_adults"
    )
    assert "raw.trust__delayed_discharges.medically_fit_date" in text


def test_the_audit_record_page_opens_offline(browser, build):
    with browser.page(build.version / "audit" / "audit_record.html") as page:
        text = page.evaluate("document.body.innerText")
        log = page.log()
    assert log.network_requests == [] and log.errors == []
    assert "Deliveries behind this build" in text
