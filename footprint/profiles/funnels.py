"""The funnel plots and the deep-dive shortlist of an SDF profile, read from the
published marts sdf.sdf_indicator_funnels and sdf.sdf_deep_dive_shortlist.

The limits, positions and the shortlist are dbt's (models/marts/sdf); this module only
picks the rows each page shows and hands them to the charts and the template.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb

from footprint.profiles import alternatives, charts
from footprint.profiles.charts import FunnelPoint
from footprint.profiles.marts import Area, Indicator, PublishedProfiles, _rows


@dataclass(frozen=True)
class ShortlistItem:
    area_code: str
    indicator_id: str
    value: float | None
    borough_value: float | None
    funnel_position: str
    trend_judgement: str | None
    shortlist_reason: str
    shortlist_rank: int


@dataclass(frozen=True)
class PublishedFunnels:
    points: dict[str, list[FunnelPoint]]  # by indicator, in order of denominator
    shortlists: dict[str, list[ShortlistItem]]  # by SDF, in rank order


@dataclass(frozen=True)
class DeepDive:
    indicator: Indicator
    item: ShortlistItem

    @property
    def anchor(self) -> str:
        return f"funnel-{self.indicator.indicator_id}"


@dataclass(frozen=True)
class FunnelView:
    indicator: Indicator
    focus: FunnelPoint | None  # this SDF (None when it has no value)
    chart: charts.Chart

    @property
    def description(self) -> str:
        return self.chart.alternative.description

    @property
    def anchor(self) -> str:
        return f"funnel-{self.indicator.indicator_id}"


@dataclass(frozen=True)
class FunnelSection:
    shortlist: list[DeepDive]
    funnels: list[FunnelView]


def read_funnels(published_db: Path) -> PublishedFunnels:
    """The latest funnels and every SDF's shortlist, read-only."""
    with duckdb.connect(str(published_db), read_only=True) as connection:
        points = _rows(connection, "funnels.sql", FunnelPoint)
        items = _rows(connection, "shortlist.sql", ShortlistItem)
    by_indicator: dict[str, list[FunnelPoint]] = defaultdict(list)
    for point in points:
        by_indicator[point.indicator_id].append(point)
    by_sdf: dict[str, list[ShortlistItem]] = defaultdict(list)
    for item in items:
        by_sdf[item.area_code].append(item)
    return PublishedFunnels(dict(by_indicator), dict(by_sdf))


def funnel_section(
    published: PublishedProfiles, funnels: PublishedFunnels, area: Area
) -> FunnelSection:
    """The SDF's shortlist and one funnel per indicator that can be better or worse (an
    indicator with no good direction has no worse side to look for)."""
    indicators = {i.indicator_id: i for i in published.indicators}
    shortlist = [
        DeepDive(indicators[item.indicator_id], item)
        for item in funnels.shortlists.get(area.code, [])
        if item.indicator_id in indicators
    ]
    views = []
    for index, indicator in enumerate(published.indicators, start=1):
        points = funnels.points.get(indicator.indicator_id, [])
        if indicator.polarity == "no_judgement" or not points:
            continue
        focus = next((p for p in points if p.area_code == area.code), None)
        chart = charts.embed(
            charts.funnel_chart(indicator, points, area.code),
            f"chart-funnel-{index}",
            alternatives.funnel(indicator, points, area.name, area.code),
        )
        views.append(FunnelView(indicator=indicator, focus=focus, chart=chart))
    return FunnelSection(shortlist, views)
