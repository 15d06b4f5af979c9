"""The profiles' charts, drawn with plotly and embedded as HTML fragments.

Each page loads plotly.js once, from the file beside it (see render.plotly_asset and
templates/base.html.j2); each chart here is only a <div> and the call that draws it,
with no network access. Charts show
published values only: where they need a position (the spine chart's scale), it is
geometry for the picture, never a new statistic. Colours always come with a marker
shape and a legend or hover text in words.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

from footprint.profiles.alternatives import Alternative
from footprint.profiles.formatting import number
from footprint.profiles.marts import AgeBand, Headline, Indicator, Point


@dataclass(frozen=True)
class Look:
    """How one comparison result is drawn and named."""

    colour: str
    symbol: str  # plotly marker symbol
    mark: str  # the same shape as text
    words: str


LOOKS: dict[str, Look] = {
    "better": Look("#1a7f37", "triangle-up", "▲", "significantly better"),
    "similar": Look("#e0a526", "circle", "●", "not significantly different"),
    "worse": Look("#c0392b", "triangle-down", "▼", "significantly worse"),
    "higher": Look("#2c5aa0", "diamond", "◆", "significantly higher"),
    "lower": Look("#2c5aa0", "diamond-open", "◇", "significantly lower"),
    "not_compared": Look("#6b7280", "circle-open", "○", "not compared"),
}
LINE = "#1f3b73"  # this area's series
BAND = "rgba(31, 59, 115, 0.16)"  # its 95% interval
BOROUGH = "#555555"
ENGLAND = "#111111"
TARGET = "#7b3294"
MUTED = "#9aa3b5"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

CONFIG = {"displayModeBar": False, "responsive": True, "displaylogo": False}

TREND_SIZE = (360, 270)
SPINE_WIDTH = 700
SPINE_NARROWEST = 560  # its indicator names take 250 px: narrower, it scrolls in its box
COMPARISON_SIZE = (460, 360)
AGE_SIZE = (380, 400)


def look(comparison: str | None) -> Look:
    return LOOKS.get(comparison or "not_compared", LOOKS["not_compared"])


@dataclass(frozen=True)
class Chart:
    """A chart as a page shows it (templates/_chart.html.j2): the drawing, what it shows
    in words and its figures as a table. `{{ chart }}` in a template writes all three."""

    div_id: str
    plot: Markup  # the <div> and the script that draws it
    width: int  # as designed: the most it takes on a screen, and its size on paper
    height: int
    narrowest: int | None  # below this width it scrolls in its box rather than shrink
    alternative: Alternative

    def __html__(self) -> str:
        # late: the page's templates are set up by render, which imports this module
        from footprint.profiles.render import environment

        return environment().get_template("_chart.html.j2").module.chart(self)


def embed(
    figure: go.Figure, div_id: str, alternative: Alternative, narrowest: int | None = None
) -> Chart:
    """The figure as a <div> and its drawing script (plotly.js is on the page already),
    with its alternative in words. The drawing takes the width of its box, up to the
    figure's own width, and follows it when the window is resized."""
    width, height = figure.layout.width, figure.layout.height
    html = pio.to_html(
        go.Figure(figure).update_layout(width=None, autosize=True),
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config=CONFIG,
        default_width="100%",
        default_height=f"{height}px",
    )
    return Chart(div_id, Markup(html), width, height, narrowest, alternative)


def _layout(figure: go.Figure, width: int, height: int, **extra: object) -> go.Figure:
    """Size, fonts and the legend in words under the plot, the same on every chart."""
    figure.update_layout(
        width=width,
        height=height,
        template="simple_white",
        font={"family": FONT, "size": 11, "color": "#222222"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT, "size": 11}},
        hovermode="closest",
        showlegend=True,
        legend=_legend(),
        **extra,
    )
    return figure


def _legend() -> dict[str, object]:
    """A horizontal legend under the plot, across the whole figure, in rows of entries.
    (No entrywidth: with it, this plotly.js stacks the entries one per row.)"""
    return {
        "orientation": "h",
        "xref": "container",
        "x": 0.01,
        "yref": "container",
        "y": 0.0,
        "yanchor": "bottom",
        "font": {"size": 10},
        "tracegroupgap": 0,
    }


def _interval_text(lower: float | None, upper: float | None, indicator: Indicator) -> str:
    if lower is None or upper is None:
        return ""
    decimals = indicator.decimal_places
    return f" (95% interval {number(lower, decimals)} to {number(upper, decimals)})"


def _markers(
    x: list, y: list, name: str, marker: dict, text: list[str], **extra: object
) -> go.Scatter:
    """Points whose hover text says what each one is, in words."""
    return go.Scatter(
        x=x,
        y=y,
        mode="markers",
        name=name,
        marker=marker,
        text=text,
        hovertemplate="%{text}<extra></extra>",
        **extra,
    )


def _shape(style: Look, size: int) -> dict[str, object]:
    """A comparison's marker: its shape and colour, outlined."""
    return {
        "symbol": style.symbol,
        "size": size,
        "color": style.colour,
        "line": {"color": "#222222", "width": 1},
    }


def _wrap(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width=width))


# --- trend ------------------------------------------------------------------------


def is_annualised(monthly: Sequence[Point]) -> bool:
    """Whether dbt scaled these single months to a year (rates per head), so that they
    sit on the rolling 12-month line's scale."""
    return any(p.annualisation_factor not in (None, 1) for p in monthly)


def trend_chart(
    indicator: Indicator,
    series: Sequence[Point],
    borough_series: Sequence[Point],
    monthly: Sequence[Point],
    period_label: str,
) -> go.Figure:
    """The area's series with its 95% band, the borough's, single months where the
    series is rolling, and the target of a key performance target."""
    figure = go.Figure()
    shown = [p for p in series if p.value is not None]
    if monthly:
        annualised = is_annualised(monthly)
        figure.add_trace(
            go.Scatter(
                x=[p.period_month for p in monthly],
                y=[p.comparable for p in monthly],
                mode="markers",
                name="single months, annualised" if annualised else "single months",
                marker={"color": MUTED, "size": 5},
                hovertemplate="%{x|%b %Y} (month"
                + (", annualised" if annualised else "")
                + "): %{y:,."
                + str(indicator.decimal_places)
                + "f}<extra></extra>",
            )
        )
    if shown:
        figure.add_trace(
            go.Scatter(
                x=[p.period_month for p in shown] + [p.period_month for p in reversed(shown)],
                y=[p.upper for p in shown] + [p.lower for p in reversed(shown)],
                fill="toself",
                fillcolor=BAND,
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                name="95% interval",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=[p.period_month for p in series],
            y=[p.value for p in series],
            mode="lines+markers",
            name=period_label,
            line={"color": LINE, "width": 2},
            marker={"color": LINE, "size": 5},
            customdata=[
                [_interval_text(p.lower, p.upper, indicator) or " (suppressed, fewer than 8)"]
                if p.is_suppressed
                else [_interval_text(p.lower, p.upper, indicator)]
                for p in series
            ],
            hovertemplate="%{x|%b %Y}: %{y:,." + str(indicator.decimal_places) + "f}"
            "%{customdata[0]}<extra></extra>",
        )
    )
    if borough_series:
        figure.add_trace(
            go.Scatter(
                x=[p.period_month for p in borough_series],
                y=[p.value for p in borough_series],
                mode="lines",
                name="borough",
                line={"color": BOROUGH, "width": 1.5, "dash": "dash"},
                hovertemplate="borough %{x|%b %Y}: %{y:,." + str(indicator.decimal_places) + "f}"
                "<extra></extra>",
            )
        )
    if indicator.is_key_performance_target and indicator.target_value is not None:
        months = [p.period_month for p in (monthly or series)]
        if months:
            figure.add_trace(
                go.Scatter(
                    x=[min(months), max(months)],
                    y=[indicator.target_value, indicator.target_value],
                    mode="lines",
                    name="target",
                    line={"color": TARGET, "width": 1.5, "dash": "dot"},
                    hovertemplate="target: %{y:,}<extra></extra>",
                )
            )
    width, height = TREND_SIZE
    _layout(
        figure,
        width,
        height,
        margin={"l": 56, "r": 10, "t": 8, "b": 78},
    )
    figure.update_xaxes(tickformat="%b %y", nticks=6, ticks="outside")
    figure.update_yaxes(tickformat=",", nticks=5, ticks="outside", rangemode="normal")
    return figure


# --- spine ------------------------------------------------------------------------


@dataclass(frozen=True)
class SpineRow:
    indicator: Indicator
    focus: Headline  # this SDF
    others: list[Headline]  # the other SDFs
    borough: Headline


def _direction(indicator: Indicator) -> int:
    """+1 when better (or higher, for no judgement) is to the right."""
    return -1 if indicator.polarity == "low_is_good" else 1


def spine_chart(rows: Sequence[SpineRow], focus_name: str) -> go.Figure:
    """One row per indicator, centred on the borough value: the grey bar spans the
    SDFs from worst (left) to best (right), scaled so the farthest SDF reaches the edge;
    this SDF is the shaped marker, England the black diamond (hollow, at the edge, when
    England lies beyond the SDFs' range)."""
    figure = go.Figure()
    count = len(rows)
    labels, bars_x, bars_y = [], [], []
    others_x, others_y, others_text = [], [], []
    england_x, england_y, england_text = [], [], []
    england_open: list[bool] = []
    focus: dict[str, tuple[list[float], list[int], list[str]]] = {}
    notes: list[tuple[int, str]] = []
    for index, row in enumerate(rows):
        y = count - 1 - index
        labels.append(_wrap(row.indicator.indicator_name, 42))
        centre = row.borough.value
        areas = [h for h in [row.focus, *row.others] if h.value is not None]
        england = row.borough.england_value
        if not row.focus.is_comparable_with_borough:
            # centred on the borough's total, every SDF would sit at the far left
            notes.append((y, "not compared: each SDF's count is part of the borough's"))
            continue
        if centre is None or not areas:
            notes.append((y, "no borough value to compare with"))
            continue
        spread = max(abs(h.value - centre) for h in areas) or 1.0
        sign = _direction(row.indicator)

        def position(value: float, centre: float = centre, spread: float = spread) -> float:
            return 0.5 + sign * (value - centre) / (2 * spread)  # noqa: B023

        positions = [position(h.value) for h in areas]
        bars_x += [min(positions), max(positions), None]
        bars_y += [y, y, None]
        decimals = row.indicator.decimal_places
        for other in row.others:
            if other.value is not None:
                others_x.append(position(other.value))
                others_y.append(y)
                others_text.append(f"{other.area_name}: {number(other.value, decimals)}")
        if england is not None:
            at = position(england)
            beyond = at < 0 or at > 1
            england_x.append(min(max(at, -0.03), 1.03))
            england_y.append(y)
            england_open.append(beyond)
            england_text.append(
                f"England: {number(england, decimals)}"
                + (" (beyond the range of the SDFs: shown at the edge)" if beyond else "")
            )
        if row.focus.value is None:
            reason = "suppressed (fewer than 8)" if row.focus.is_suppressed else "not calculated"
            notes.append((y, f"{focus_name}: {reason}"))
            continue
        xs, ys, texts = focus.setdefault(row.focus.borough_reading, ([], [], []))
        xs.append(position(row.focus.value))
        ys.append(y)
        texts.append(
            f"{focus_name}: {number(row.focus.value, decimals)}"
            f"{_interval_text(row.focus.lower, row.focus.upper, row.indicator)}<br>"
            f"borough: {number(centre, decimals)} — {look(row.focus.borough_reading).words}"
        )

    figure.add_trace(
        go.Scatter(
            x=bars_x,
            y=bars_y,
            mode="lines",
            line={"color": "#d9dde5", "width": 14},
            name="range of the SDFs",
            hoverinfo="skip",
        )
    )
    figure.add_trace(
        _markers(
            others_x,
            others_y,
            "other SDFs",
            {"symbol": "line-ns-open", "size": 12, "color": "#7c8698", "line": {"width": 2}},
            others_text,
        )
    )
    figure.add_trace(
        _markers(
            england_x,
            england_y,
            "England",
            {
                "symbol": ["diamond-tall-open" if o else "diamond-tall" for o in england_open],
                "size": 10,
                "color": ENGLAND,
                "line": {"width": 1.5},
            },
            england_text,
        )
    )
    for comparison in (c for c in LOOKS if c in focus):
        xs, ys, texts = focus[comparison]
        style = look(comparison)
        figure.add_trace(_markers(xs, ys, f"{focus_name}: {style.words}", _shape(style, 15), texts))
    figure.add_shape(
        type="line", x0=0.5, x1=0.5, y0=-0.6, y1=count - 0.4, line={"color": BOROUGH, "width": 2}
    )
    for y, note in notes:
        figure.add_annotation(
            x=0.5, y=y, text=note, showarrow=False, bgcolor="white", font={"size": 10}
        )
    for x, text, anchor in (
        (0.0, "◀ worse (or lower)", "left"),
        (0.5, "borough", "center"),
        (1.0, "better (or higher) ▶", "right"),
    ):
        figure.add_annotation(
            x=x,
            y=count - 0.35,
            yanchor="bottom",
            xanchor=anchor,
            text=text,
            showarrow=False,
            font={"size": 10, "color": "#444444"},
        )
    _layout(
        figure,
        SPINE_WIDTH,
        110 + 46 * count,
        margin={"l": 250, "r": 12, "t": 24, "b": 80},
    )
    figure.update_xaxes(range=[-0.07, 1.07], visible=False, fixedrange=True)
    figure.update_yaxes(
        tickvals=list(range(count)),
        ticktext=list(reversed(labels)),
        range=[-0.6, count - 0.1],
        showgrid=True,
        gridcolor="#f0f0f0",
        ticks="",
        showline=False,
        fixedrange=True,
    )
    return figure


# --- the seven SDFs side by side (borough overview) --------------------------------


def comparison_chart(
    indicator: Indicator, sdf_headlines: Sequence[Headline], borough: Headline
) -> go.Figure:
    """Each SDF's value and 95% interval, shaped by its comparison with the borough,
    against the borough (solid), England (dashed) and any target (dotted)."""
    figure = go.Figure()
    names = [h.area_name for h in sdf_headlines]
    row_of = {name: len(names) - 1 - index for index, name in enumerate(names)}  # first on top
    decimals = indicator.decimal_places
    groups: dict[str, list[Headline]] = {}
    for headline in sdf_headlines:
        if headline.value is not None:
            groups.setdefault(headline.borough_reading, []).append(headline)
    for comparison in LOOKS:  # the legend in the same order on every chart
        headlines = groups.get(comparison, [])
        if not headlines:
            continue
        style = look(comparison)
        figure.add_trace(
            _markers(
                [h.value for h in headlines],
                [row_of[h.area_name] for h in headlines],
                style.words,
                _shape(style, 12),
                [
                    f"{h.area_name}: {number(h.value, decimals)}"
                    f"{_interval_text(h.lower, h.upper, indicator)}"
                    for h in headlines
                ],
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [(h.upper - h.value) if h.upper is not None else 0 for h in headlines],
                    "arrayminus": [
                        (h.value - h.lower) if h.lower is not None else 0 for h in headlines
                    ],
                    "color": "#555555",
                    "thickness": 1.2,
                    "width": 4,
                },
            )
        )
    references = []
    if borough.value is not None:
        references.append(("borough", borough.value, BOROUGH, "solid"))
    if borough.england_value is not None:
        references.append(("England", borough.england_value, ENGLAND, "dash"))
    if indicator.is_key_performance_target and indicator.target_value is not None:
        references.append(("target", indicator.target_value, TARGET, "dot"))
    for label, value, colour, dash in references:
        figure.add_trace(
            go.Scatter(
                x=[value, value],
                y=[-0.5, len(names) - 0.5],
                mode="lines",
                name=f"{label} {number(value, decimals)}",
                line={"color": colour, "width": 1.5, "dash": dash},
                hovertemplate=f"{label}: {number(value, decimals)}<extra></extra>",
            )
        )
    for headline in sdf_headlines:
        if headline.value is None:
            text = "suppressed (fewer than 8)" if headline.is_suppressed else "not calculated"
            figure.add_annotation(
                x=0.02,
                xref="paper",
                xanchor="left",
                y=row_of[headline.area_name],
                text=text,
                showarrow=False,
                font={"size": 10},
                bgcolor="white",
            )
    width, height = COMPARISON_SIZE
    _layout(
        figure,
        width,
        height,
        margin={"l": 150, "r": 12, "t": 8, "b": 86},
    )
    figure.update_yaxes(
        range=[-0.6, len(names) - 0.4],
        ticks="",
        tickvals=[row_of[n] for n in names],
        ticktext=[_wrap(n, 22) for n in names],
        showgrid=False,
        zeroline=False,
    )
    figure.update_xaxes(tickformat=",", nticks=6, ticks="outside", showgrid=True)
    return figure


# --- population -------------------------------------------------------------------


def age_shares(rows: Sequence[AgeBand]) -> list[float | None]:
    """Each band's % of the people of all bands (geometry for the bars, and their table)."""
    total = sum(r.registered_patients or 0 for r in rows)
    return [
        100 * r.registered_patients / total if total and r.registered_patients is not None else None
        for r in rows
    ]


def age_chart(bands: Sequence[AgeBand], borough: Sequence[AgeBand], area_name: str) -> go.Figure:
    """Share of the area's registered residents in each five-year age band (bars) against
    the borough's (line). A suppressed band is drawn as no bar and says so on hover."""
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            x=age_shares(bands),
            y=[b.age_band for b in bands],
            orientation="h",
            name=area_name,
            marker={"color": LINE},
            customdata=[
                ["suppressed (fewer than 8)" if b.is_suppressed else number(b.registered_patients)]
                for b in bands
            ],
            hovertemplate="%{y}: %{x:.1f}% (%{customdata[0]} people)<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=age_shares(borough),
            y=[b.age_band for b in borough],
            mode="lines+markers",
            name="borough",
            line={"color": "#e08a1e", "width": 2},
            marker={"symbol": "diamond", "size": 6, "color": "#e08a1e"},
            hovertemplate="borough %{y}: %{x:.1f}%<extra></extra>",
        )
    )
    width, height = AGE_SIZE
    _layout(
        figure,
        width,
        height,
        margin={"l": 48, "r": 12, "t": 8, "b": 70},
        bargap=0.15,
    )
    figure.update_xaxes(title_text="% of people", ticksuffix="%", ticks="outside")
    figure.update_yaxes(categoryorder="array", categoryarray=[b.age_band for b in bands])
    return figure


def period_axis_label(period_type: str) -> str:
    return {"month": "single months", "rolling_12_months": "rolling 12 months"}.get(
        period_type, period_type.replace("_", " ")
    )


# --- funnel plots (SDFs against the borough, overdispersion-adjusted limits) ------------

FUNNEL_SIZE = (360, 290)
LIMIT_95 = "#6f86b8"
LIMIT_998 = "#1f3b73"
FUNNEL_POSITION_WORDS = {
    "within": "within the limits",
    "better_95": "better than the borough, beyond the 95% limits",
    "worse_95": "worse than the borough, beyond the 95% limits",
    "better_998": "better than the borough, beyond the 99.8% limits (an outlier)",
    "worse_998": "worse than the borough, beyond the 99.8% limits (an outlier)",
    "higher_95": "higher than the borough, beyond the 95% limits",
    "lower_95": "lower than the borough, beyond the 95% limits",
    "higher_998": "higher than the borough, beyond the 99.8% limits (an outlier)",
    "lower_998": "lower than the borough, beyond the 99.8% limits (an outlier)",
}


@dataclass(frozen=True)
class FunnelPoint:
    """One SDF in the funnel of one indicator (a row of sdf.sdf_indicator_funnels)."""

    indicator_id: str
    area_code: str
    area_name: str
    is_suppressed: bool
    funnel_denominator: int | None
    value: float | None
    borough_value: float | None
    n_units: int
    phi: float | None
    is_overdispersion_adjusted: bool | None
    lower_limit_95: float | None
    upper_limit_95: float | None
    lower_limit_998: float | None
    upper_limit_998: float | None
    funnel_position: str | None
    is_outlier: bool | None


def funnel_position_words(position: str | None) -> str:
    return FUNNEL_POSITION_WORDS.get(
        position or "",
        "not placed: the funnel is left blank where any SDF's count is suppressed",
    )


def _funnel_look(position: str | None) -> Look:
    """The highlighted SDF's marker: worse or better beyond a limit, else similar."""
    reading = (position or "not_compared").split("_")[0]
    return look("similar" if reading == "within" else reading)


def funnel_chart(indicator: Indicator, points: Sequence[FunnelPoint], focus_code: str) -> go.Figure:
    """The SDFs' values against their denominators, the borough line and the 95% and
    99.8% limits drawn through each SDF's published limits; the focus SDF highlighted."""
    figure = go.Figure()
    decimals = indicator.decimal_places
    placed = sorted(
        (p for p in points if p.funnel_denominator is not None and p.lower_limit_998 is not None),
        key=lambda p: p.funnel_denominator or 0,
    )
    adjusted = any(p.is_overdispersion_adjusted for p in placed)
    suffix = " (adjusted)" if adjusted else ""
    # SDFs of one size (a per-day rate) would make each limit a single point: a short level
    # line shows it instead
    spread = {p.funnel_denominator for p in placed}
    if len(spread) == 1:
        (size,) = spread
        placed = [placed[0], placed[0]]
        line_x = [0.99 * (size or 0), 1.01 * (size or 0)]
    else:
        line_x = [p.funnel_denominator for p in placed]
    for label, colour, dash, lower, upper in (
        ("99.8% limits", LIMIT_998, "solid", "lower_limit_998", "upper_limit_998"),
        ("95% limits", LIMIT_95, "dash", "lower_limit_95", "upper_limit_95"),
    ):
        for side, limit in (("lower", lower), ("upper", upper)):
            figure.add_trace(
                go.Scatter(
                    x=line_x,
                    y=[getattr(p, limit) for p in placed],
                    mode="lines",
                    name=label + suffix,
                    legendgroup=label,
                    showlegend=side == "upper",
                    line={"color": colour, "width": 1.5, "dash": dash, "shape": "spline"},
                    hovertemplate=f"{label} ({side}) at %{{x:,}}: %{{y:,.{decimals}f}}"
                    "<extra></extra>",
                )
            )
    borough = next((p.borough_value for p in points if p.borough_value is not None), None)
    xs = [p.funnel_denominator for p in points if p.funnel_denominator is not None]
    if borough is not None and xs:
        low, high = min(xs), max(xs)
        if low == high:
            low, high = 0.99 * low, 1.01 * high
        figure.add_trace(
            go.Scatter(
                x=[low, high],
                y=[borough, borough],
                mode="lines",
                name=f"borough {number(borough, decimals)}",
                line={"color": BOROUGH, "width": 1.5},
                hovertemplate=f"borough: {number(borough, decimals)}<extra></extra>",
            )
        )
    shown = [p for p in points if p.value is not None and p.funnel_denominator is not None]
    others = [p for p in shown if p.area_code != focus_code]
    if others:
        figure.add_trace(
            _markers(
                [p.funnel_denominator for p in others],
                [p.value for p in others],
                "other SDFs",
                {"color": MUTED, "size": 8, "line": {"color": "#555555", "width": 1}},
                [
                    f"{p.area_name}: {number(p.value, decimals)}, "
                    f"{funnel_position_words(p.funnel_position)}"
                    for p in others
                ],
            )
        )
    for p in shown:
        if p.area_code == focus_code:
            figure.add_trace(
                _markers(
                    [p.funnel_denominator],
                    [p.value],
                    p.area_name,
                    _shape(_funnel_look(p.funnel_position), 14),
                    [
                        f"{p.area_name}: {number(p.value, decimals)}, "
                        f"{funnel_position_words(p.funnel_position)}"
                    ],
                )
            )
    width, height = FUNNEL_SIZE
    _layout(figure, width, height, margin={"l": 56, "r": 10, "t": 8, "b": 96})
    # a DSR sits at the population that gives its value at its events
    x_title = (
        "population (standardised equivalent)"
        if indicator.method == "dsr"
        else "people or events counted"
    )
    figure.update_xaxes(
        tickformat=",", nticks=5, ticks="outside", title={"text": x_title, "font": {"size": 10}}
    )
    figure.update_yaxes(tickformat=",", nticks=5, ticks="outside")
    return figure
