"""dbt docs as one self-contained HTML file that opens from disk with no network.

`dbt docs generate --static` inlines the manifest and catalog into
target/static_index.html. That page still carries dbt's Snowplow tracker (switched on
only when send_anonymous_usage_stats is true, and then loading a script from a CDN)
and a favicon link to a file that does not exist. `make_offline` switches the tracker
off in the page itself, replaces the favicon, and adds a Content-Security-Policy that
forbids every request except inline scripts, styles and data: URLs, so even a future
dbt version that fetches something cannot leave the machine.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from footprint.lineage.render import write_atomically
from footprint.paths import PROJECT_ROOT

STATIC_NAME = "static_index.html"
SITE_NAME = "index.html"
DOCS_TARGET = "docs_generate"
PARTIAL_PARSE = "partial_parse.msgpack"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; "
    "frame-src 'none'; worker-src blob:; base-uri 'none'; form-action 'none'"
)
_CSP_TAG = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
_FAVICON = re.compile(r'<link rel="shortcut icon" href="[^"]*"\s*/?>')
_TRACKING_SWITCH = "!0===e.track&&r.turn_on_tracking()"
_TRACKER_SCRIPT = re.compile(r'i\.src="//[^"]*sp\.js"')
_REMOTE_ATTRIBUTE = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*\b(?:src|href)\s*=\s*"
    r"[\"']((?:https?:)?//[^\"']+)",
    re.IGNORECASE,
)
_REMOTE_CSS = re.compile(r"(?:@import\s+(?:url\()?|url\()\s*[\"']?((?:https?:)?//[^\"')]+)")


class DocsError(RuntimeError):
    """The docs site could not be generated."""


def make_offline(html: str) -> str:
    """dbt's static page with tracking off, no favicon request and a strict CSP."""
    html = html.replace(_TRACKING_SWITCH, "!1")
    html = _TRACKER_SCRIPT.sub('i.src="data:,"', html)
    html = _FAVICON.sub('<link rel="icon" href="data:,">', html)
    if _CSP_TAG not in html:
        html = html.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + _CSP_TAG, 1)
    return html


def offline_problems(html: str) -> list[str]:
    """Anything in the page that would fetch from another machine."""
    problems = [f"remote resource {url}" for url in _REMOTE_ATTRIBUTE.findall(html)]
    problems += [f"remote CSS resource {url}" for url in _REMOTE_CSS.findall(html)]
    if _CSP_TAG not in html:
        problems.append("no Content-Security-Policy forbidding network requests")
    if _TRACKING_SWITCH in html:
        problems.append("dbt's usage tracker can still be switched on")
    return problems


def run_docs_generate(target_dir: Path) -> Path:
    """`dbt docs generate --static` into <target_dir>/docs_generate/ (the page, its
    manifest and the catalog), leaving the build's own artifacts as the build wrote them."""
    from dbt.cli.main import dbtRunner

    out = target_dir / DOCS_TARGET
    out.mkdir(parents=True, exist_ok=True)
    # the build's parse, so dbt re-parses only what changed since (a full parse of the
    # project takes several seconds)
    parsed = target_dir / PARTIAL_PARSE
    if parsed.exists():
        shutil.copyfile(parsed, out / PARTIAL_PARSE)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # tests are listed on their models' pages; compiling all their SQL again would take
    # longer than the rest of the site
    arguments = ["docs", "generate", "--static", "--quiet"]
    arguments += ["--exclude", "resource_type:test", "resource_type:unit_test"]
    arguments += ["--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)]
    result = dbtRunner().invoke([*arguments, "--target-path", str(out)])
    if not result.success:
        raise DocsError(f"`dbt {' '.join(arguments)}` failed: {result.exception or result.result}")
    return out


def write_site(docs_target: Path, out_dir: Path) -> Path:
    """The offline docs page from dbt's static page in docs_target, as out_dir/index.html."""
    static = docs_target / STATIC_NAME
    if not static.exists():
        raise DocsError(f"{static} does not exist: run `dbt docs generate --static` first")
    html = make_offline(static.read_text(encoding="utf-8"))
    problems = offline_problems(html)
    if problems:
        raise DocsError(f"the docs page would still use the network: {problems}")
    return write_atomically(out_dir / SITE_NAME, html)
