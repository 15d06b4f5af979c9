"""Hand-made rows of the published funnel marts (sdf_indicator_funnels,
sdf_deep_dive_shortlist) for the profile fixture, built from its indicator values.

The limits are fixed multiples of the borough value (the fixture checks what the pages
show, not the statistics: those are dbt's, tested in tests/dbt/statistics), so that one
SDF lies beyond the 99.8% limits on each side where the SDFs differ most. A funnel with
a suppressed SDF has its dispersion, limits and positions blank, as the mart has.
"""

from __future__ import annotations

from typing import Any

# limits as multiples of the borough value: lower 99.8%, lower 95%, upper 95%, upper 99.8%
LIMIT_MULTIPLES = (0.8, 0.9, 1.1, 1.2)
FUNNEL_METHODS = ("proportion", "crude_rate", "dsr")


def _position(value: float, limits: tuple[float, ...], polarity: str) -> str:
    lower_998, lower_95, upper_95, upper_998 = limits
    if lower_95 <= value <= upper_95:
        return "within"
    level = "998" if value < lower_998 or value > upper_998 else "95"
    higher = value > upper_95
    reading = {
        "high_is_good": "better" if higher else "worse",
        "low_is_good": "worse" if higher else "better",
    }.get(polarity, "higher" if higher else "lower")
    return f"{reading}_{level}"


def funnel_rows(values: list[dict[str, Any]], catalogue: list[dict[str, Any]]) -> list[dict]:
    headline = {c["indicator_id"]: c["headline_period_type"] for c in catalogue}
    rows = []
    for v in values:
        if (
            v["area_type"] != "sdf"
            or v["method"] not in FUNNEL_METHODS
            or v["period_type"] != headline[v["indicator_id"]]
        ):
            continue
        rows.append(v)
    funnel_suppressed = {(v["indicator_id"], v["period_month"]) for v in rows if v["is_suppressed"]}
    out = []
    for v in rows:
        blank = (v["indicator_id"], v["period_month"]) in funnel_suppressed
        limits = tuple(m * v["borough_value"] for m in LIMIT_MULTIPLES)
        value = v["indicator_value"]
        position = None if blank or value is None else _position(value, limits, v["polarity"])
        out.append(
            {
                key: v[key]
                for key in (
                    "indicator_id",
                    "period_type",
                    "period_month",
                    "period_start_date",
                    "period_end_date",
                    "is_latest_period",
                    "area_code",
                    "area_name",
                    "method",
                    "polarity",
                    "is_suppressed",
                    "numerator",
                    "denominator",
                    "indicator_value",
                    "borough_value",
                )
            }
            | {
                "funnel_data_type": "proportion" if v["method"] == "proportion" else "rate",
                "has_suppressed_sdf": blank,
                "funnel_denominator": v["denominator"],
                "z": None if value is None else (value - v["borough_value"]) / 10,
                "n_units": sum(
                    1
                    for r in rows
                    if (r["indicator_id"], r["period_month"])
                    == (v["indicator_id"], v["period_month"])
                ),
                "phi": None if blank else 4.0,
                "tau2": None if blank else 0.01,
                "is_overdispersion_adjusted": None if blank else True,
                "lower_limit_998": None if blank else limits[0],
                "lower_limit_95": None if blank else limits[1],
                "upper_limit_95": None if blank else limits[2],
                "upper_limit_998": None if blank else limits[3],
                "funnel_position": position,
                "is_outlier": None if position is None else position.endswith("_998"),
            }
        )
    return out


def shortlist_rows(
    funnels: list[dict[str, Any]], catalogue: list[dict[str, Any]], trends: dict
) -> list[dict]:
    """Worse beyond 99.8%, or worse beyond 95% and worsening, latest period, ranked."""
    by_id = {c["indicator_id"]: c for c in catalogue}
    listed: dict[str, list[dict]] = {}
    for f in funnels:
        position = f["funnel_position"]
        if not f["is_latest_period"] or position not in ("worse_95", "worse_998"):
            continue
        indicator = by_id[f["indicator_id"]]
        worsening = trends.get((f["area_code"], f["indicator_id"])) == "worsening"
        outlier = position == "worse_998"
        if not (outlier or worsening):
            continue
        reason = (
            "worse_outlier_and_worsening"
            if outlier and worsening
            else ("worse_outlier" if outlier else "worse_and_worsening")
        )
        listed.setdefault(f["area_code"], []).append(
            {
                "area_code": f["area_code"],
                "area_name": f["area_name"],
                "indicator_id": f["indicator_id"],
                "indicator_name": indicator["indicator_name"],
                "display_order": indicator["display_order"],
                "unit": indicator["unit"],
                "polarity": f["polarity"],
                "period_type": f["period_type"],
                "period_start_date": f["period_start_date"],
                "period_end_date": f["period_end_date"],
                "indicator_value": f["indicator_value"],
                "borough_value": f["borough_value"],
                "lower_limit_998": f["lower_limit_998"],
                "upper_limit_998": f["upper_limit_998"],
                "funnel_position": position,
                "trend_judgement": "worsening" if worsening else "no_significant_change",
                "shortlist_reason": reason,
                "_order": (not outlier, not worsening),
            }
        )
    rows = []
    for items in listed.values():
        items.sort(key=lambda r: (r["_order"], r["display_order"]))
        for rank, item in enumerate(items, start=1):
            item.pop("_order")
            rows.append(item | {"shortlist_rank": rank})
    return rows
