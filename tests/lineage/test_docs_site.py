"""Post-processing of dbt's static docs page so that it makes no network request."""

from __future__ import annotations

from footprint.lineage.docs_site import CONTENT_SECURITY_POLICY, make_offline, offline_problems

DBT_PAGE = (
    '<!doctype html><html><head><meta charset="utf-8">'
    '<link rel="shortcut icon" href="${require(\'./assets/favicons/favicon.ico\')}"/>'
    "<script>init:function(e){r.initialized||(r.initialized=!0,"
    "!0===e.track&&r.turn_on_tracking())},turn_on_tracking:function(){"
    'i.src="//d1fc8wv8zag5ca.cloudfront.net/2.9.0/sp.js"}</script></head><body></body></html>'
)


def test_the_dbt_page_as_generated_would_reach_the_network():
    problems = offline_problems(DBT_PAGE)
    assert any("Content-Security-Policy" in p for p in problems)
    assert any("tracker" in p for p in problems)


def test_offline_page_has_no_tracker_favicon_or_remote_script():
    html = make_offline(DBT_PAGE)
    assert offline_problems(html) == []
    assert "cloudfront" not in html
    assert "turn_on_tracking()" not in html.split("turn_on_tracking:function")[0]
    assert CONTENT_SECURITY_POLICY in html
    assert html.index("Content-Security-Policy") < html.index("<script>")
    assert '<link rel="icon" href="data:,">' in html


def test_make_offline_is_idempotent():
    once = make_offline(DBT_PAGE)
    assert make_offline(once) == once


def test_remote_resources_are_reported():
    html = make_offline(DBT_PAGE).replace(
        "</head>",
        '<script src="https://cdn.example.org/x.js"></script>'
        "<style>@import url(https://fonts.googleapis.com/css?family=Lato);</style></head>",
    )
    problems = offline_problems(html)
    assert "remote resource https://cdn.example.org/x.js" in problems
    assert any("fonts.googleapis.com" in p for p in problems)
