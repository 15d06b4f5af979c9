"""Render an edition's report from its frozen folder (footprint/publish/editions.py cuts it).

The report reads nothing but the issue's own files: the copied published DuckDB file
(figures at the edition's period end, the catalogue with its plain-English texts, the
build), the commentary files copied when it was cut, and edition.json. Re-rendering an
issue therefore gives the same bytes for as long as this code and its templates are
unchanged (`footprint edition check` says so).

Commentary is written by place-based staff as plain text with a little Markdown:
paragraphs, bulleted or numbered lists, *emphasis* and **strong**. Anything else,
HTML included, is shown as the characters typed (escaped), never interpreted; links and
images are not made, so a report never fetches anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
from markdown_it import MarkdownIt
from markupsafe import Markup

from footprint.profiles.marts import ProfileDataError, Publication, _rows
from footprint.profiles.render import _layout, environment, write_atomically
from footprint.publish.editions import (
    COMMENTARY_DIR,
    COMMENTARY_SUFFIX,
    RECORD_NAME,
    EditionPeriod,
)
from footprint.publish.publisher import DATABASE_NAME

TEMPLATE = "edition_report.html.j2"
PAGE_WIDTH = 1000


@dataclass(frozen=True)
class EditionIndicator:
    indicator_id: str
    display_order: int
    indicator_name: str
    unit: str
    decimal_places: int
    polarity: str
    indicator_type: str
    target_value: float | None
    headline_period_type: str
    lag_months: int
    plain_definition: str | None
    why_partnership_can_influence: str | None

    @property
    def is_key_performance_target(self) -> bool:
        return self.indicator_type == "key_performance_target"


@dataclass(frozen=True)
class EditionFigure:
    """One area's value of one indicator for the period ending with the edition."""

    area_type: str
    area_code: str
    area_name: str
    indicator_id: str
    period_type: str
    period_start_date: date
    period_end_date: date
    is_suppressed: bool
    has_sufficient_data: bool
    numerator: int | None
    denominator: int | None
    value: float | None
    lower: float | None
    upper: float | None
    borough_value: float | None
    comparison_with_borough: str | None
    england_value: float | None
    comparison_with_england: str | None
    target_value: float | None
    target_status: str | None


@dataclass
class EditionArea:
    code: str
    name: str
    area_type: str
    figures: list[EditionFigure] = field(default_factory=list)
    commentary: Markup | None = None

    @property
    def is_borough(self) -> bool:
        return self.area_type == "borough"


@cache
def _markdown() -> MarkdownIt:
    # "zero" interprets nothing and escapes everything; only these are added back
    return MarkdownIt("zero").enable(["list", "emphasis"])


def render_commentary(text: str) -> Markup:
    """Commentary text as safe HTML: paragraphs, lists and emphasis; the rest escaped."""
    return Markup(_markdown().render(text.replace("\r\n", "\n")))


def _area_order(area: EditionArea) -> tuple[int, list[Any]]:
    parts = [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", area.code)]
    return (0 if area.is_borough else 1, parts)


def read_edition(folder: Path) -> dict[str, Any]:
    """Everything the report shows, from the issue's frozen files alone."""
    record = json.loads((folder / RECORD_NAME).read_text())
    period = EditionPeriod.parse(record["edition_id"])
    with duckdb.connect(str(folder / DATABASE_NAME), read_only=True) as connection:
        (publication,) = _rows(connection, "build_info.sql", Publication)
        indicators = _rows(connection, "edition_indicators.sql", EditionIndicator)
        figures = _rows(
            connection,
            "edition_figures.sql",
            EditionFigure,
            {"period_month": period.end_month},
        )
    areas: dict[str, EditionArea] = {}
    for figure in figures:
        area = areas.setdefault(
            figure.area_code, EditionArea(figure.area_code, figure.area_name, figure.area_type)
        )
        area.figures.append(figure)
    for area in areas.values():
        shown = [f.indicator_id for f in area.figures]
        if shown != [i.indicator_id for i in indicators]:
            raise ProfileDataError(
                f"{folder}: {area.code} has figures for {', '.join(shown) or 'no indicator'} at "
                f"{period.end_month:%b %Y}, not for every catalogue indicator"
            )
        commentary = folder / COMMENTARY_DIR / f"{area.code}{COMMENTARY_SUFFIX}"
        if commentary.is_file():
            area.commentary = render_commentary(commentary.read_text(encoding="utf-8"))
    ordered = sorted(areas.values(), key=_area_order)
    return {
        "edition": record,
        "edition_period": period,
        "publication": publication,
        "indicators": indicators,
        "borough": next(a for a in ordered if a.is_borough),
        "areas": ordered,
    }


def render_edition(folder: Path) -> str:
    """The report of the issue in `folder`, as HTML."""
    template = environment().get_template(TEMPLATE)
    return template.render(
        **read_edition(folder),
        **_layout(landscape=True, page_width=PAGE_WIDTH),
    )


def render_edition_folder(folder: Path, out: Path) -> Path:
    """Render the issue in `folder` into the file `out` (atomically); returns it."""
    write_atomically(out, render_edition(folder))
    return out
