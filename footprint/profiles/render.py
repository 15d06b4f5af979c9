"""Render the SDF profiles and the borough overview from the published file.

    python -m footprint.profiles.render [--published DB] [--out DIR] [--sdf CODE ...]

One HTML file per SDF (<code>.html) and, when every SDF is rendered, the borough
overview (index.html). Each page inlines its stylesheet and loads plotly.js from one
file beside the pages (assets/plotly-<version>.min.js, written once per folder rather
than inlined in every page), so the folder opens from files, offline, fetches nothing
from the network, and prints to PDF. Each file is written to a temporary file beside it
and moved into place with os.replace, so a reader never sees half a page.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from footprint.paths import published_dir
from footprint.profiles import breakdowns, charts, formatting, pages
from footprint.profiles.funnels import PublishedFunnels, funnel_section, read_funnels
from footprint.profiles.marts import ProfileDataError, PublishedProfiles, read_published
from footprint.publish.publisher import DATABASE_NAME

TEMPLATES_DIR = Path(__file__).parent / "templates"
OVERVIEW_NAME = "index.html"
DEFAULT_OUT = Path("current") / "profiles"  # in the published folder, beside the version's data
PROFILE_WIDTH = 760
OVERVIEW_WIDTH = 1000


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html", "html.j2", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters.update(formatting.FILTERS)
    env.globals.update(formatting.GLOBALS)
    env.globals["looks"] = charts.LOOKS
    return env


ASSETS_DIR = "assets"
PLOTLY_PATTERN = "plotly-*.min.js"


def plotly_asset() -> str:
    """Where the pages find plotly.js, relative to them (a URL path: '/' on every system).
    The version is in the name, so a page never runs against another plotly.js."""
    return f"{ASSETS_DIR}/{PLOTLY_PATTERN.replace('*', get_plotlyjs_version())}"


def write_plotly(out_dir: Path) -> Path:
    """plotly.js as shipped with the plotly package, beside the pages; an older version's
    file is removed once no page of the folder can still need it (see render_profiles)."""
    path = out_dir / plotly_asset()
    write_atomically(path, get_plotlyjs())
    return path


def profile_name(sdf_code: str) -> str:
    return f"{sdf_code}.html"


def _layout(landscape: bool, page_width: int) -> dict[str, Any]:
    return {
        "landscape": landscape,
        "page_width": page_width,
        "trend_width": charts.TREND_SIZE[0],
        "comparison_width": charts.COMPARISON_SIZE[0],
        "age_width": charts.AGE_SIZE[0],
        "funnel_width": charts.FUNNEL_SIZE[0],
    }


def render_sdf(published: PublishedProfiles, funnels: PublishedFunnels, sdf_code: str) -> str:
    template = environment().get_template("sdf_profile.html.j2")
    return template.render(
        page=pages.sdf_page(published, sdf_code),
        funnels=funnel_section(published, funnels, published.sdf(sdf_code)),
        breakdowns=breakdowns.sdf_breakdowns(published, sdf_code),
        publication=published.publication,
        plotly_src=plotly_asset(),
        **_layout(landscape=False, page_width=PROFILE_WIDTH),
    )


def render_overview(published: PublishedProfiles) -> str:
    template = environment().get_template("borough_overview.html.j2")
    return template.render(
        page=pages.overview_page(published),
        publication=published.publication,
        plotly_src=plotly_asset(),
        **_layout(landscape=True, page_width=OVERVIEW_WIDTH),
    )


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, then rename it over `path`: a reader
    sees the old page or the new one, and a failure leaves the old page and no litter."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with open(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def render_profiles(
    published_db: Path, out_dir: Path, sdf_codes: list[str] | None = None
) -> list[Path]:
    """Render the profile of each SDF in `sdf_codes` (all when None, plus the borough
    overview) from the published DuckDB file into `out_dir`, with the plotly.js they
    load; returns the pages written."""
    published = read_published(Path(published_db))
    funnels = read_funnels(Path(published_db))
    codes = [a.code for a in published.sdfs] if sdf_codes is None else list(sdf_codes)
    for code in codes:
        published.sdf(code)  # an unknown code fails before anything is written
    out_dir = Path(out_dir)
    plotly = write_plotly(out_dir)  # before the pages, so that no page lacks it
    written: list[Path] = []
    for code in codes:
        path = out_dir / profile_name(code)
        write_atomically(path, render_sdf(published, funnels, code))
        written.append(path)
    if sdf_codes is None:
        path = out_dir / OVERVIEW_NAME
        write_atomically(path, render_overview(published))
        written.append(path)
        for old in plotly.parent.glob(PLOTLY_PATTERN):  # every page now loads this version
            if old != plotly:
                old.unlink()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="footprint profiles",
        description="Render the SDF profiles (one HTML file per SDF) and the borough overview "
        "from the published DuckDB file.",
    )
    parser.add_argument(
        "--published",
        type=Path,
        help="the published DuckDB file (default: footprint.duckdb in FOOTPRINT_PUBLISHED)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="folder to write the HTML files into (default: the current published version's "
        "profiles/ folder)",
    )
    parser.add_argument(
        "--sdf",
        action="append",
        dest="sdf_codes",
        metavar="CODE",
        help="render only this SDF (repeatable); the overview is rendered only for all SDFs",
    )
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    published_db = args.published or published_dir() / DATABASE_NAME
    out_dir = args.out or published_dir() / DEFAULT_OUT
    try:
        paths = render_profiles(published_db, out_dir, args.sdf_codes)
    except (ProfileDataError, FileNotFoundError, ValueError) as err:
        print(f"footprint profiles: {err}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
