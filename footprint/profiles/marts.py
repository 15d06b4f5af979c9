"""Read what the profiles show from the published DuckDB file, and nothing else.

Every figure comes from the published, disclosure-controlled marts (schema `sdf`) as dbt
made them: values, intervals, comparisons, trends and target status are read, never
recomputed. The queries are the .sql files beside this module; each selects its columns
by name, so a renamed or missing column fails here with the mart named.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb

SQL_DIR = Path(__file__).parent / "sql"

CATALOGUE = "sdf.sdf_indicator_catalogue"
PROFILES = "sdf.sdf_profiles"
VALUES = "sdf.sdf_indicator_values"
POPULATION = "sdf.sdf_population"
BREAKDOWNS = "sdf.sdf_indicator_breakdowns"
BUILD_INFO = "publication.build_info"
REQUIRED = (CATALOGUE, PROFILES, VALUES, POPULATION, BREAKDOWNS, BUILD_INFO)

KEY_PERFORMANCE_TARGET = "key_performance_target"


class ProfileDataError(RuntimeError):
    """The published file lacks a mart or column the profiles need."""


@dataclass(frozen=True)
class Publication:
    build_id: str
    code_version: str
    published_at: datetime


@dataclass(frozen=True)
class Indicator:
    """One row of the indicator catalogue."""

    indicator_id: str
    display_order: int
    indicator_name: str
    numerator_definition: str
    denominator_definition: str
    unit: str
    decimal_places: int
    method: str
    polarity: str
    indicator_type: str
    target_value: float | None
    framework: str
    framework_code: str
    framework_version: str
    owner_organisation: str
    source_feeds: str
    attribution: str
    headline_period_type: str
    trend_series: str
    trend_step_months: int
    england_value: float | None
    england_benchmark_period: str | None
    england_benchmark_source: str | None
    plain_definition: str
    why_partnership_can_influence: str | None

    @property
    def is_key_performance_target(self) -> bool:
        return self.indicator_type == KEY_PERFORMANCE_TARGET

    @property
    def source_organisations(self) -> list[str]:
        """Organisations whose feeds the indicator is built from (owner first)."""
        organisations = [self.owner_organisation]
        for feed in re.split(r"[;,]\s*", self.source_feeds):
            organisation = feed.strip().split(".", 1)[0]
            if organisation and organisation not in organisations:
                organisations.append(organisation)
        return organisations

    @property
    def feeds(self) -> list[str]:
        return [f.strip() for f in re.split(r"[;,]", self.source_feeds) if f.strip()]


NOT_COMPARABLE = "not_applicable"  # comparison_with_borough of the borough, and of counts


@dataclass(frozen=True)
class Headline:
    """One row of the profile mart: an area's latest headline value of one indicator."""

    area_code: str
    area_name: str
    area_type: str
    indicator_id: str
    period_type: str
    period_start_date: date
    period_end_date: date
    is_suppressed: bool
    numerator: int | None
    denominator: int | None
    value: float | None
    lower: float | None
    upper: float | None
    borough_value: float | None
    comparison_with_borough: str | None
    england_value: float | None
    comparison_with_england: str | None
    is_outlier: bool | None
    trend_period_type: str | None
    trend_first_period_month: date | None
    trend_last_period_month: date | None
    trend_points: int | None
    trend_direction: str | None
    trend_judgement: str | None
    is_trend_significant: bool | None
    target_value: float | None
    target_status: str | None
    trend_dispersion: float | None
    change_current_value: float | None
    change_previous_value: float | None
    change_type: str | None  # difference (proportions) or ratio
    change_value: float | None
    change_lower: float | None
    change_upper: float | None
    change_judgement: str | None

    @property
    def is_comparable_with_borough(self) -> bool:
        """False for the borough itself and for an SDF's count, which is part of the
        borough's total (comparison_with_borough 'not_applicable')."""
        return self.comparison_with_borough != NOT_COMPARABLE

    @property
    def borough_reading(self) -> str:
        """comparison_with_borough as a page shows it: better, similar, worse, higher,
        lower, or not_compared (no comparison, or none possible)."""
        if self.comparison_with_borough is None or not self.is_comparable_with_borough:
            return "not_compared"
        return self.comparison_with_borough


@dataclass(frozen=True)
class Point:
    """One published value of a monthly or rolling 12-month series."""

    indicator_id: str
    area_code: str
    period_type: str
    period_month: date
    period_start_date: date
    period_end_date: date
    is_suppressed: bool
    value: float | None
    lower: float | None
    upper: float | None
    annualisation_factor: float | None
    comparable: float | None  # on the rolling 12-month scale


@dataclass(frozen=True)
class AgeBand:
    """GP registered patients living in an area, in one five-year age band."""

    area_code: str
    population_month: date | None
    age_band: str
    age_from: int
    is_suppressed: bool
    registered_patients: int | None


@dataclass(frozen=True)
class BreakdownCell:
    """One published row of an SDF's breakdown: an indicator for one practice, PCN,
    LSOA, ward or deprivation decile inside the SDF."""

    sdf_code: str
    indicator_id: str
    breakdown_type: str
    breakdown_code: str
    breakdown_name: str | None
    imd_decile: int | None
    period_start_date: date
    period_end_date: date
    is_suppressed: bool
    is_secondary_suppressed: bool
    value: float | None
    comparison_with_sdf: str | None
    sdf_value: float | None


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    area_type: str

    @property
    def is_borough(self) -> bool:
        return self.area_type == "borough"


@dataclass
class PublishedProfiles:
    """Everything the profiles show, as published."""

    publication: Publication
    indicators: list[Indicator]
    sdfs: list[Area]
    borough: Area
    headlines: dict[tuple[str, str], Headline]
    series: dict[tuple[str, str, str], list[Point]]
    population: dict[str, list[AgeBand]]
    breakdowns: list[BreakdownCell]

    def headline(self, area_code: str, indicator_id: str) -> Headline:
        return self.headlines[(area_code, indicator_id)]

    def points(self, indicator_id: str, area_code: str, period_type: str) -> list[Point]:
        return self.series.get((indicator_id, area_code, period_type), [])

    def sdf(self, code: str) -> Area:
        for area in self.sdfs:
            if area.code == code:
                return area
        known = ", ".join(a.code for a in self.sdfs)
        raise ValueError(f"SDF {code!r} is not in the published profiles; published SDFs: {known}")


Row = TypeVar("Row")


def _rows(
    connection: duckdb.DuckDBPyConnection,
    query: str,
    kind: type[Row],
    parameters: dict[str, Any] | None = None,
) -> list[Row]:
    sql = (SQL_DIR / query).read_text()
    try:
        cursor = connection.execute(sql, parameters or {})
    except duckdb.CatalogException as err:
        raise ProfileDataError(
            f"the published file lacks a mart that {query} reads: {err}"
        ) from err
    except duckdb.BinderException as err:
        raise ProfileDataError(
            f"the published file does not have a column that {query} reads: {err}"
        ) from err
    names = [column[0] for column in cursor.description]
    return [kind(**dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


def _natural_key(code: str) -> list[Any]:
    """SDF2 before SDF10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def _areas(headlines: list[Headline]) -> tuple[list[Area], Area]:
    areas = {(h.area_code, h.area_name, h.area_type) for h in headlines}
    boroughs = [Area(*a) for a in areas if a[2] == "borough"]
    if len(boroughs) != 1:
        raise ProfileDataError(
            f"{PROFILES} should hold exactly one area of type 'borough', found {len(boroughs)}"
        )
    sdfs = sorted((Area(*a) for a in areas if a[2] == "sdf"), key=lambda a: _natural_key(a.code))
    return sdfs, boroughs[0]


def read_published(published_db: Path) -> PublishedProfiles:
    """Read the published marts (read-only) into the shape the profiles render."""
    if not published_db.is_file():
        raise FileNotFoundError(f"no published file at {published_db}: run the publication first")
    with duckdb.connect(str(published_db), read_only=True) as connection:
        tables = {
            row[0]
            for row in connection.execute((SQL_DIR / "published_tables.sql").read_text()).fetchall()
        }
        missing = [t for t in REQUIRED if t not in tables]
        if missing:
            raise ProfileDataError(
                f"{published_db} lacks {', '.join(missing)}; the profiles read the marts tagged "
                "'published' in models/marts/sdf and the build info the publisher writes"
            )
        (publication,) = _rows(connection, "build_info.sql", Publication)
        indicators = _rows(connection, "catalogue.sql", Indicator)
        headlines = _rows(connection, "headlines.sql", Headline)
        points = _rows(connection, "series.sql", Point)
        bands = _rows(connection, "population.sql", AgeBand)
        breakdowns = _rows(connection, "breakdowns.sql", BreakdownCell)

    sdfs, borough = _areas(headlines)
    shown = {(h.area_code, h.indicator_id) for h in headlines}
    missing = [
        f"{area.code} x {indicator.indicator_id}"
        for area in [*sdfs, borough]
        for indicator in indicators
        if (area.code, indicator.indicator_id) not in shown
    ]
    if missing:
        raise ProfileDataError(
            f"{PROFILES} should hold a row for every area and catalogue indicator; it lacks "
            f"{', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}"
        )
    series: dict[tuple[str, str, str], list[Point]] = defaultdict(list)
    for point in points:
        series[(point.indicator_id, point.area_code, point.period_type)].append(point)
    population: dict[str, list[AgeBand]] = defaultdict(list)
    for band in bands:
        population[band.area_code].append(band)
    return PublishedProfiles(
        publication=publication,
        indicators=indicators,
        sdfs=sdfs,
        borough=borough,
        headlines={(h.area_code, h.indicator_id): h for h in headlines},
        series=dict(series),
        population=dict(population),
        breakdowns=breakdowns,
    )
