"""What each chart shows, without the picture: a sentence or two in words and the plotted
values as a table, for a screen reader, a reader who cannot hover or tell the colours
apart, and anyone who wants the figures.

Every chart is embedded with one (charts.embed takes it), and each is built by a
function here from the same arguments as the figure it describes: the values are the
ones plotted, read and formatted, never recomputed. A new chart adds its function here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from footprint.profiles.formatting import month, number
from footprint.profiles.marts import AgeBand, Headline, Indicator, Point

if TYPE_CHECKING:
    from footprint.profiles.charts import FunnelPoint, SpineRow

SUPPRESSED = "suppressed (fewer than 8)"
NOT_CALCULATED = "not calculated"


@dataclass(frozen=True)
class Alternative:
    """A chart in words: `description` says what it shows; the table has one row per
    plotted thing, its first cell naming the row (a row header)."""

    description: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        if not self.description:
            raise ValueError("a chart needs a description in words")
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"row {row!r} has not the {len(self.columns)} columns")


def with_unit(value: float | None, indicator: Indicator) -> str:
    """86.2 -> '86.2%'; 1402.1 -> '1,402.1 days per 100,000 adults'."""
    shown = number(value, indicator.decimal_places)
    return f"{shown}%" if indicator.unit == "%" else f"{shown} {indicator.unit}"


def _cell(value: float | None, suppressed: bool, decimals: int) -> str:
    if value is None:
        return SUPPRESSED if suppressed else NOT_CALCULATED
    return number(value, decimals)


def _interval(lower: float | None, upper: float | None, decimals: int) -> str:
    if lower is None or upper is None:
        return ""
    return f"{number(lower, decimals)} to {number(upper, decimals)}"


def _names(headlines: Sequence[Headline]) -> str:
    return ", ".join(h.area_name for h in headlines)


def _by_comparison(headlines: Sequence[Headline], words: dict[str, str]) -> str:
    """'significantly better: A, B; not significantly different: C', in the order of
    `words` (comparison -> words), for the headlines that have a value."""
    groups: dict[str, list[Headline]] = {}
    for headline in headlines:
        if headline.value is not None:
            groups.setdefault(headline.borough_reading, []).append(headline)
    return "; ".join(
        f"{phrase}: {_names(groups[key])}" for key, phrase in words.items() if key in groups
    )


def trend(
    indicator: Indicator,
    series: Sequence[Point],
    borough_series: Sequence[Point],
    monthly: Sequence[Point],
    period_label: str,
) -> Alternative:
    """The trend chart's line, interval, single months and borough line, month by month."""
    decimals = indicator.decimal_places
    shown = [p for p in series if p.value is not None]
    parts = [f"Line chart of {period_label}"]
    if shown:
        first, last = shown[0], shown[-1]
        parts[0] += (
            f", {month(series[0].period_month)} to {month(series[-1].period_month)}: "
            f"{with_unit(first.value, indicator)} in {month(first.period_month)} and "
            f"{with_unit(last.value, indicator)} in {month(last.period_month)}, "
            "with its 95% interval shaded"
        )
    else:
        parts[0] += ": every point suppressed or not calculated"
    borough_shown = [p for p in borough_series if p.value is not None]
    if borough_shown:
        parts.append(
            f"the borough (dashed line) {with_unit(borough_shown[0].value, indicator)} in "
            f"{month(borough_shown[0].period_month)} and "
            f"{with_unit(borough_shown[-1].value, indicator)} in "
            f"{month(borough_shown[-1].period_month)}"
        )
    if monthly:
        parts.append("single months as grey dots")
    if indicator.is_key_performance_target and indicator.target_value is not None:
        parts.append(f"the target {with_unit(indicator.target_value, indicator)} (dotted line)")
    suppressed = sum(1 for p in series if p.is_suppressed)
    if suppressed:
        parts.append(f"{suppressed} points suppressed (fewer than 8), left as gaps")

    columns = ["Month", period_label, "95% interval"]
    if monthly:
        columns.append("Single month")
    columns.append("Borough")
    points = {p.period_month: p for p in series}
    months_of = {p.period_month: p for p in monthly}
    borough_of = {p.period_month: p for p in borough_series}
    rows = []
    for when in sorted(set(points) | set(months_of)):
        point = points.get(when)
        row = [
            month(when),
            _cell(point.value, point.is_suppressed, decimals) if point else "",
            _interval(point.lower, point.upper, decimals) if point else "",
        ]
        if monthly:
            single = months_of.get(when)
            row.append(_cell(single.value, single.is_suppressed, decimals) if single else "")
        borough = borough_of.get(when)
        row.append(_cell(borough.value, borough.is_suppressed, decimals) if borough else "")
        rows.append(tuple(row))
    return Alternative("; ".join(parts) + ".", tuple(columns), tuple(rows))


def spine(rows: Sequence[SpineRow], focus_name: str) -> Alternative:
    """The spine chart: every SDF's value on each indicator, with
    the borough and England it is centred on and compared with."""
    words = {"better": "better", "worse": "worse", "similar": "not significantly different"}
    words |= {"higher": "higher (not judged)", "lower": "lower (not judged)"}
    counts = {key: 0 for key in words}
    for row in rows:
        if row.focus.borough_reading in counts:
            counts[row.focus.borough_reading] += 1
    said = ", ".join(f"{phrase} on {counts[key]}" for key, phrase in words.items() if counts[key])
    not_drawn = [r.indicator.indicator_name for r in rows if not r.focus.is_comparable_with_borough]
    description = (
        f"Spine chart of {len(rows)} indicators, one a row, each centred on the borough's "
        f"value, the grey bar running from the worst SDF to the best: against the borough, "
        f"{focus_name} is {said or 'not compared on any'}."
        + (
            f" Not drawn, as each SDF's count is part of the borough's: {', '.join(not_drawn)}."
            if not_drawn
            else ""
        )
    )
    others = [h.area_name for h in rows[0].others] if rows else []
    columns = ("Indicator", focus_name, "Against the borough", *others, "Borough", "England")
    table = []
    for row in rows:
        decimals = row.indicator.decimal_places
        table.append(
            (
                row.indicator.indicator_name,
                _cell(row.focus.value, row.focus.is_suppressed, decimals),
                words.get(row.focus.borough_reading, "not compared")
                if row.focus.value is not None
                else "",
                *(_cell(h.value, h.is_suppressed, decimals) for h in row.others),
                _cell(row.borough.value, row.borough.is_suppressed, decimals),
                number(row.borough.england_value, decimals) or "none published",
            )
        )
    return Alternative(description, columns, tuple(table))


def comparison(
    indicator: Indicator, sdf_headlines: Sequence[Headline], borough: Headline
) -> Alternative:
    """The overview's chart of one indicator: each SDF's value, interval and comparison,
    and the borough, England and target lines."""
    decimals = indicator.decimal_places
    references = [("Borough", borough.value)]
    if borough.england_value is not None:
        references.append(("England", borough.england_value))
    if indicator.is_key_performance_target and indicator.target_value is not None:
        references.append(("Target", indicator.target_value))
    against = ", ".join(
        f"{name.lower() if name != 'England' else name} {with_unit(value, indicator)}"
        for name, value in references
        if value is not None
    )
    grouped = _by_comparison(
        sdf_headlines,
        {
            "better": "significantly better than the borough",
            "similar": "not significantly different",
            "worse": "significantly worse",
            "higher": "significantly higher (not judged)",
            "lower": "significantly lower (not judged)",
            "not_compared": "not compared",
        },
    )
    missing = [h for h in sdf_headlines if h.value is None]
    description = (
        f"{indicator.indicator_name}: the latest value of each of the {len(sdf_headlines)} "
        f"SDFs with its 95% interval, against {against or 'no reference value'}. "
        + (f"{grouped[0].upper()}{grouped[1:]}." if grouped else "")
        + (f" No value for {_names(missing)}." if missing else "")
    )
    rows = [
        (
            h.area_name,
            _cell(h.value, h.is_suppressed, decimals),
            _interval(h.lower, h.upper, decimals),
            (h.comparison_with_borough or "not compared").replace("_", " ")
            if h.value is not None
            else "",
        )
        for h in sdf_headlines
    ]
    rows += [(name, number(value, decimals), "", "") for name, value in references]
    return Alternative(
        description.strip(),
        ("Area", indicator.unit, "95% interval", "Against the borough"),
        tuple(rows),
    )


def age(
    bands: Sequence[AgeBand],
    borough: Sequence[AgeBand],
    area_name: str,
    shares: Sequence[float | None],
    borough_shares: Sequence[float | None],
) -> Alternative:
    """The age chart: people and shares of each band, here and in the borough (the
    shares as the chart draws them, see charts.age_shares)."""
    borough_of = dict(zip((b.age_band for b in borough), borough_shares, strict=True))
    when: date | None = max((b.population_month for b in bands if b.population_month), default=None)
    description = (
        f"Bar chart of the share of {area_name}'s registered people in each of "
        f"{len(bands)} age bands, {bands[0].age_band} to {bands[-1].age_band}"
        + (f" ({month(when)})" if when else "")
        + ", with the borough's shares as a line."
        if bands
        else f"No age bands are published for {area_name}."
    )
    rows = tuple(
        (
            band.age_band,
            SUPPRESSED if band.is_suppressed else number(band.registered_patients),
            "" if share is None else f"{number(share, 1)}%",
            ""
            if borough_of.get(band.age_band) is None
            else f"{number(borough_of[band.age_band], 1)}%",
        )
        for band, share in zip(bands, shares, strict=True)
    )
    return Alternative(
        description, ("Age band", "People", f"% of {area_name}", "% of the borough"), rows
    )


def funnel(
    indicator: Indicator, points: Sequence[FunnelPoint], area_name: str, focus_code: str
) -> Alternative:
    """The funnel plot: each SDF's value and denominator, the published limits at it and
    where it lies."""
    # late: charts imports this module for Alternative
    from footprint.profiles.charts import funnel_position_words

    decimals = indicator.decimal_places
    borough = next((p.borough_value for p in points if p.borough_value is not None), None)
    adjusted = any(p.is_overdispersion_adjusted for p in points)
    focus = next((p for p in points if p.area_code == focus_code), None)
    where = (
        f" {area_name}: {number(focus.value, decimals)}, "
        f"{funnel_position_words(focus.funnel_position)}."
        if focus is not None and focus.value is not None
        else f" {area_name} is not placed (suppressed or no value)."
    )
    description = (
        f"Funnel plot of {indicator.indicator_name}: the {len(points)} SDFs' values against "
        f"their denominators, the borough value {number(borough, decimals)} and the 95% and "
        f"99.8% control limits"
        f"{', widened for the usual variation between SDFs' if adjusted else ''}.{where}"
    )
    rows = tuple(
        (
            p.area_name,
            _cell(p.value, p.is_suppressed, decimals),
            SUPPRESSED
            if p.funnel_denominator is None and p.is_suppressed
            else number(p.funnel_denominator),
            _interval(p.lower_limit_95, p.upper_limit_95, decimals),
            _interval(p.lower_limit_998, p.upper_limit_998, decimals),
            funnel_position_words(p.funnel_position),
        )
        for p in points
    )
    return Alternative(
        description,
        ("SDF", indicator.unit, "Denominator", "95% limits", "99.8% limits", "Where it lies"),
        rows,
    )
