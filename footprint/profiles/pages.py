"""What each page shows, gathered from the published marts into plain view objects.

The templates decide how it reads; this module decides which published rows go where
(which series a trend chart draws, which indicators the summary lists). Nothing is
recomputed: comparisons, trends and target status are the marts' own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from footprint.profiles import alternatives, charts
from footprint.profiles.marts import (
    AgeBand,
    Area,
    Headline,
    Indicator,
    Point,
    PublishedProfiles,
)

TREND_MONTHS = 24
OLDER_AGES = (65, 75)


@dataclass(frozen=True)
class IndicatorView:
    indicator: Indicator
    headline: Headline  # the area's row of the profile mart
    chart: charts.Chart
    suppressed_months: int
    months_shown: int
    line_start: date | None  # first month of the headline line with a value
    annualised: bool  # the single months are shown annualised

    @property
    def anchor(self) -> str:
        return f"indicator-{self.indicator.indicator_id}"


@dataclass(frozen=True)
class Summary:
    """Indicator names grouped by what the marts say of this SDF."""

    against_borough: dict[str, list[Indicator]]
    against_england: dict[str, list[Indicator]]
    trends: dict[str, list[Indicator]]
    targets: dict[str, list[Indicator]]
    suppressed: list[Indicator]


@dataclass(frozen=True)
class PopulationView:
    """Who lives in an area: sums of the published age bands (a suppressed band adds 0)."""

    month: date | None
    total: int
    borough_total: int
    older: dict[int, tuple[int, int]]  # from age: (people here, people in the borough)
    suppressed_bands: int


@dataclass(frozen=True)
class SdfPage:
    area: Area
    borough: Area
    key_performance_targets: list[IndicatorView]
    monitoring: list[IndicatorView]
    summary: Summary
    spine: charts.Chart
    population: PopulationView
    population_chart: charts.Chart
    latest_period_end: date | None


@dataclass(frozen=True)
class OverviewRow:
    indicator: Indicator
    sdfs: list[Headline]
    borough: Headline
    chart: charts.Chart


@dataclass(frozen=True)
class SdfSummary:
    area: Area
    better: int
    worse: int
    similar: int
    targets_met: int
    targets_not_met: int
    population: PopulationView


@dataclass(frozen=True)
class OverviewPage:
    borough: Area
    sdfs: list[Area]
    key_performance_targets: list[OverviewRow]
    monitoring: list[OverviewRow]
    summaries: list[SdfSummary]
    latest_period_end: date | None


def _months_back(latest: date, months: int) -> date:
    index = latest.year * 12 + latest.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _window(points: Sequence[Point], latest: date | None) -> list[Point]:
    if latest is None:
        return list(points)
    start = _months_back(latest, TREND_MONTHS)
    return [p for p in points if start <= p.period_month <= latest]


def _latest_month(published: PublishedProfiles, indicator: Indicator, area: Area) -> date | None:
    points = published.points(indicator.indicator_id, area.code, "month") or published.points(
        indicator.indicator_id, area.code, indicator.headline_period_type
    )
    return max((p.period_month for p in points), default=None)


def indicator_view(
    published: PublishedProfiles, indicator: Indicator, area: Area, chart_id: str
) -> IndicatorView:
    headline = published.headline(area.code, indicator.indicator_id)
    # the line is the headline series; single months, on its scale, are the dots
    period_type = indicator.headline_period_type
    latest = _latest_month(published, indicator, area)
    series = _window(published.points(indicator.indicator_id, area.code, period_type), latest)
    # a count (per day or not) of an SDF is part of the borough's, so no borough line
    borough_series = (
        _window(
            published.points(indicator.indicator_id, published.borough.code, period_type), latest
        )
        if headline.is_comparable_with_borough
        else []
    )
    monthly = (
        _window(published.points(indicator.indicator_id, area.code, "month"), latest)
        if period_type != "month"
        else []
    )
    drawn = (
        indicator,
        series,
        borough_series,
        monthly,
        f"{area.name} ({charts.period_axis_label(period_type)})",
    )
    shown = monthly or series
    return IndicatorView(
        indicator=indicator,
        headline=headline,
        chart=charts.embed(charts.trend_chart(*drawn), chart_id, alternatives.trend(*drawn)),
        suppressed_months=sum(1 for p in shown if p.is_suppressed),
        months_shown=len(shown),
        line_start=min((p.period_month for p in series if p.value is not None), default=None),
        annualised=charts.is_annualised(monthly),
    )


def _summary(published: PublishedProfiles, area: Area) -> Summary:
    against_borough: dict[str, list[Indicator]] = {}
    against_england: dict[str, list[Indicator]] = {}
    trends: dict[str, list[Indicator]] = {}
    targets: dict[str, list[Indicator]] = {}
    suppressed = []
    for indicator in published.indicators:
        headline = published.headline(area.code, indicator.indicator_id)
        if headline.is_suppressed:
            suppressed.append(indicator)
        if headline.comparison_with_borough:
            against_borough.setdefault(headline.comparison_with_borough, []).append(indicator)
        if headline.comparison_with_england:
            against_england.setdefault(headline.comparison_with_england, []).append(indicator)
        if headline.trend_judgement:
            trends.setdefault(headline.trend_judgement, []).append(indicator)
        if headline.target_status:
            targets.setdefault(headline.target_status, []).append(indicator)
    return Summary(against_borough, against_england, trends, targets, suppressed)


def _people(bands: Sequence[AgeBand], from_age: int = 0) -> int:
    return sum(b.registered_patients or 0 for b in bands if b.age_from >= from_age)


def population_view(published: PublishedProfiles, area: Area) -> PopulationView:
    bands = published.population.get(area.code, [])
    borough = published.population.get(published.borough.code, [])
    return PopulationView(
        month=max((b.population_month for b in bands if b.population_month), default=None),
        total=_people(bands),
        borough_total=_people(borough),
        older={age: (_people(bands, age), _people(borough, age)) for age in OLDER_AGES},
        suppressed_bands=sum(1 for b in bands if b.is_suppressed),
    )


def _latest_period_end(published: PublishedProfiles) -> date | None:
    return max((h.period_end_date for h in published.headlines.values()), default=None)


def sdf_page(published: PublishedProfiles, code: str) -> SdfPage:
    area = published.sdf(code)
    views = [
        indicator_view(published, indicator, area, f"chart-trend-{index}")
        for index, indicator in enumerate(published.indicators, start=1)
    ]
    bands = published.population.get(area.code, [])
    borough_bands = published.population.get(published.borough.code, [])
    targets = [v for v in views if v.indicator.is_key_performance_target]
    monitoring = [v for v in views if not v.indicator.is_key_performance_target]
    spine_rows = [
        charts.SpineRow(
            indicator=indicator,
            focus=published.headline(area.code, indicator.indicator_id),
            others=[
                published.headline(other.code, indicator.indicator_id)
                for other in published.sdfs
                if other.code != area.code
            ],
            borough=published.headline(published.borough.code, indicator.indicator_id),
        )
        for indicator in (v.indicator for v in targets + monitoring)  # as the table below it
    ]
    return SdfPage(
        area=area,
        borough=published.borough,
        key_performance_targets=targets,
        monitoring=monitoring,
        summary=_summary(published, area),
        spine=charts.embed(
            charts.spine_chart(spine_rows, area.name),
            "chart-spine",
            alternatives.spine(spine_rows, area.name),
            narrowest=charts.SPINE_NARROWEST,
        ),
        population=population_view(published, area),
        population_chart=charts.embed(
            charts.age_chart(bands, borough_bands, area.name),
            "chart-population",
            alternatives.age(
                bands,
                borough_bands,
                area.name,
                charts.age_shares(bands),
                charts.age_shares(borough_bands),
            ),
        ),
        latest_period_end=_latest_period_end(published),
    )


def overview_page(published: PublishedProfiles) -> OverviewPage:
    rows = []
    for index, indicator in enumerate(published.indicators, start=1):
        sdf_headlines = [published.headline(a.code, indicator.indicator_id) for a in published.sdfs]
        borough = published.headline(published.borough.code, indicator.indicator_id)
        chart = charts.embed(
            charts.comparison_chart(indicator, sdf_headlines, borough),
            f"chart-sdfs-{index}",
            alternatives.comparison(indicator, sdf_headlines, borough),
        )
        rows.append(OverviewRow(indicator, sdf_headlines, borough, chart))
    summaries = []
    for area in published.sdfs:
        found = [published.headline(area.code, i.indicator_id) for i in published.indicators]
        summaries.append(
            SdfSummary(
                area=area,
                better=sum(1 for h in found if h.comparison_with_borough == "better"),
                worse=sum(1 for h in found if h.comparison_with_borough == "worse"),
                similar=sum(1 for h in found if h.comparison_with_borough == "similar"),
                targets_met=sum(1 for h in found if h.target_status == "met"),
                targets_not_met=sum(1 for h in found if h.target_status == "not_met"),
                population=population_view(published, area),
            )
        )
    return OverviewPage(
        borough=published.borough,
        sdfs=published.sdfs,
        key_performance_targets=[r for r in rows if r.indicator.is_key_performance_target],
        monitoring=[r for r in rows if not r.indicator.is_key_performance_target],
        summaries=summaries,
        latest_period_end=_latest_period_end(published),
    )
