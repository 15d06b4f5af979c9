"""A small published file in the real shape, for the profile tests.

The tables are created from the column lists (names and types) of the dbt YAML of the
published marts (models/marts/sdf/*.yml), and published by the real publisher, so the
fixture cannot drift from the marts: a renamed or dropped column makes the fixture (or
the profiles' reader) fail. The rows are hand-made: three SDFs and a borough, four
indicators covering both polarities, no judgement, a key performance target met and
one not met, a missing England value, a suppressed headline and suppressed months.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import yaml

from footprint.paths import PROJECT_ROOT
from footprint.publish.publisher import publish
from tests.profiles.funnel_fixture import funnel_rows, shortlist_rows

SDF_MODELS_DIR = PROJECT_ROOT / "models" / "marts" / "sdf"
BOROUGH = ("E09999999", "Testborough")
SDFS = [("SDF1", "North Test"), ("SDF2", "Central Test & Riverside"), ("SDF3", "South Test")]
MONTHS = [date(2023 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(4, 28)]  # 24 months

CATALOGUE = [
    {
        "indicator_id": "reablement_at_home",
        "display_order": 1,
        "indicator_name": "% of people 65+ at home 91 days after discharge into reablement",
        "numerator_definition": "Episodes where the person was at home 91 days after discharge.",
        "denominator_definition": "All reablement episodes after a hospital discharge, 65+.",
        "unit": "%",
        "multiplier": 100.0,
        "decimal_places": 1,
        "method": "proportion",
        "polarity": "high_is_good",
        "indicator_type": "key_performance_target",
        "target_value": 85.0,
        "framework": "ASCOF",
        "framework_code": "2B(1)",
        "framework_version": "2022-23 (old definition)",
        "owner_organisation": "council",
        "source_feeds": "council.reablement",
        "attribution": "residence",
        "denominator_source": "events",
        "rolling_12_months": "sum",
        "lag_months": 3,
        "trend_series": "rolling_12_months",
        "trend_step_months": 3,
        "headline_period_type": "rolling_12_months",
        "england_value": 83.0,
        "england_benchmark_period": "2022-23",
        "england_benchmark_source": "ASCOF 2B(1) England value",
    },
    {
        "indicator_id": "delayed_days",
        "display_order": 2,
        "indicator_name": "Delayed discharge days per 100,000 adults",
        "numerator_definition": "Days from the medically fit date to discharge.",
        "denominator_definition": "Usual residents aged 18+.",
        "unit": "days per 100,000 adults",
        "multiplier": 100000.0,
        "decimal_places": 1,
        "method": "crude_rate",
        "polarity": "low_is_good",
        "indicator_type": "key_performance_target",
        "target_value": 2400.0,
        "framework": "ASCOF",
        "framework_code": "2C(1)",
        "framework_version": "2019-20",
        "owner_organisation": "trust",
        "source_feeds": "trust.delayed_discharges; trust.inpatient_spells",
        "attribution": "residence",
        "denominator_source": "resident_population",
        "rolling_12_months": "sum_numerator_mean_denominator",
        "lag_months": 0,
        "trend_series": "rolling_12_months",
        "trend_step_months": 3,
        "headline_period_type": "rolling_12_months",
        "england_value": None,
        "england_benchmark_period": None,
        "england_benchmark_source": None,
    },
    {
        "indicator_id": "ambulance_per_day",
        "display_order": 3,
        "indicator_name": "Ambulance incidents per day",
        "numerator_definition": "Ambulance incidents by month of the call.",
        "denominator_definition": "Days in the period.",
        "unit": "per day",
        "multiplier": 1.0,
        "decimal_places": 1,
        "method": "crude_rate",
        "polarity": "no_judgement",
        "indicator_type": "monitoring",
        "target_value": None,
        "framework": "Partnership outcomes",
        "framework_code": "PO-02",
        "framework_version": "2024",
        "owner_organisation": "ambulance",
        "source_feeds": "ambulance.incidents",
        "attribution": "residence",
        "denominator_source": "days",
        "rolling_12_months": "sum",
        "lag_months": 0,
        "trend_series": "rolling_12_months",
        "trend_step_months": 3,
        "headline_period_type": "rolling_12_months",
        "england_value": None,
        "england_benchmark_period": None,
        "england_benchmark_source": None,
    },
    {
        "indicator_id": "long_term_care",
        "display_order": 4,
        "indicator_name": "People aged 65+ in long-term care per 100,000 aged 65+",
        "numerator_definition": "People 65+ with a residential or nursing service open.",
        "denominator_definition": "Usual residents aged 65+.",
        "unit": "per 100,000 residents aged 65+",
        "multiplier": 100000.0,
        "decimal_places": 0,
        "method": "crude_rate",
        "polarity": "low_is_good",
        "indicator_type": "monitoring",
        "target_value": None,
        "framework": "ASCOF",
        "framework_code": "2A(2)",
        "framework_version": "2022-23",
        "owner_organisation": "council",
        "source_feeds": "council.asc_events",
        "attribution": "residence",
        "denominator_source": "resident_population",
        "rolling_12_months": "from_model",
        "lag_months": 0,
        "trend_series": "month",
        "trend_step_months": 3,
        "headline_period_type": "month",
        "england_value": 1900.0,
        "england_benchmark_period": "2022-23",
        "england_benchmark_source": "SALT LTS001",
    },
]

# the plain-English texts the catalogue mart takes from seeds/indicator_narratives.csv
NARRATIVES = {
    "reablement_at_home": (
        "Of people 65+ who got help at home after hospital, the share still at home 91 days on.",
        "The partnership plans and provides reablement itself.",
    ),
    "delayed_days": (
        "Days people waited in hospital after they were ready to leave, per 100,000 adults.",
        "Most waits are for care the partnership arranges after hospital.",
    ),
    "ambulance_per_day": ("How many times a day an ambulance was called out in the area.", None),
    "long_term_care": ("People 65+ living in a care home, per 100,000 people of that age.", None),
}

# level of each SDF per indicator (the borough is their mean, or their total for a count
# that is part of the borough's), and a slope per month
LEVELS = {
    "reablement_at_home": ([88.0, 80.0, 84.0], 0.0),
    "delayed_days": ([1900.0, 3100.0, 2500.0], -20.0),
    "ambulance_per_day": ([31.0, 52.0, 40.0], 0.3),
    "long_term_care": ([1500.0, 2600.0, 2000.0], 0.0),
}
DENOMINATORS = {
    "reablement_at_home": 400,
    "delayed_days": 30000,
    "ambulance_per_day": 365,
    "long_term_care": 6000,
}
# counts whose borough value is the SDFs' total, so an SDF is not compared with it
PART_OF_BOROUGH = {"ambulance_per_day"}
SUPPRESSED_HEADLINE = ("SDF3", "reablement_at_home")
SUPPRESSED_BAND = ("SDF3", "90+")
SUPPRESSED_MONTHS = {("SDF3", "reablement_at_home", m) for m in MONTHS[-6:]}
# the change against the previous 12 months: (change value, lower, upper, judgement)
CHANGES = {
    ("SDF1", "delayed_days"): (0.88, 0.80, 0.97, "improved"),
    ("SDF2", "ambulance_per_day"): (1.06, 1.02, 1.10, "higher"),
    ("SDF1", "reablement_at_home"): (-3.1, -5.0, -1.2, "worsened"),
    ("SDF3", "long_term_care"): (None, None, None, "not_enough_data"),
}
TRENDS = {
    ("SDF1", "delayed_days"): ("decreasing", True),
    ("SDF2", "ambulance_per_day"): ("increasing", True),
    ("SDF3", "long_term_care"): ("not_enough_data", False),
}


def mart_columns(models_dir: Path = SDF_MODELS_DIR) -> dict[str, list[tuple[str, str]]]:
    """Column names and types of every model in the published marts' YAML."""
    models: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(models_dir.glob("*.yml")):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            models[model["name"]] = [(c["name"], c["data_type"]) for c in model["columns"]]
    return models


def _comparison(lower: float | None, upper: float | None, benchmark: float | None, polarity: str):
    if lower is None or upper is None or benchmark is None:
        return "not_compared"
    if lower > benchmark:
        return {"high_is_good": "better", "low_is_good": "worse"}.get(polarity, "higher")
    if upper < benchmark:
        return {"high_is_good": "worse", "low_is_good": "better"}.get(polarity, "lower")
    return "similar"


def _judgement(direction: str, polarity: str) -> str:
    readings = {
        ("increasing", "high_is_good"): "improving",
        ("increasing", "low_is_good"): "worsening",
        ("decreasing", "high_is_good"): "worsening",
        ("decreasing", "low_is_good"): "improving",
    }
    return readings.get((direction, polarity), direction)


def _round5(count: float) -> int:
    return int(math.floor(count / 5 + 0.5) * 5)


def _value(indicator: dict[str, Any], sdf_index: int, month_index: int, period_type: str):
    levels, slope = LEVELS[indicator["indicator_id"]]
    wobble = 0.02 * math.sin(month_index * 1.3 + sdf_index) * levels[sdf_index]
    scale = 1.0 if period_type == "rolling_12_months" else 1.0 + 0.04 * math.cos(month_index)
    value = (levels[sdf_index] + slope * month_index + wobble) * scale
    half_width = 0.04 * value if period_type == "rolling_12_months" else 0.12 * value
    return value, value - half_width, value + half_width


def _value_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for indicator in CATALOGUE:
        iid, polarity = indicator["indicator_id"], indicator["polarity"]
        for period_type in ("month", "rolling_12_months"):
            months = MONTHS if period_type == "month" else MONTHS[11:]
            for month_index, month in enumerate(MONTHS):
                if month not in months:
                    continue
                values = [_value(indicator, s, month_index, period_type) for s in range(len(SDFS))]
                borough = sum(v[0] for v in values)
                if iid not in PART_OF_BOROUGH:
                    borough /= len(values)
                areas = [("sdf", *sdf, values[i]) for i, sdf in enumerate(SDFS)]
                areas.append(("borough", *BOROUGH, (borough, borough * 0.98, borough * 1.02)))
                # delayed days: a month's own rate, a twelfth or so of the year's
                annualised = (iid, period_type) == ("delayed_days", "month")
                factor = _annualisation(month) if annualised else 1.0
                for area_type, code, name, (comparable, low, high) in areas:
                    value, lower, upper = comparable / factor, low / factor, high / factor
                    suppressed = (code, iid, month) in SUPPRESSED_MONTHS
                    is_sdf = area_type == "sdf"
                    england = (
                        indicator["england_value"]
                        if period_type == indicator["headline_period_type"]
                        else None
                    )
                    denominator = DENOMINATORS[iid] * (1 if is_sdf else len(SDFS))
                    numerator = value * denominator / indicator["multiplier"]
                    start = month if period_type == "month" else MONTHS[month_index - 11]
                    is_latest = month == MONTHS[-1]
                    status = None
                    if indicator["target_value"] is not None and (
                        period_type == indicator["headline_period_type"]
                    ):
                        good = value >= indicator["target_value"]
                        if polarity == "low_is_good":
                            good = value <= indicator["target_value"]
                        status = "met" if good else "not_met"
                    row = {
                        "indicator_id": iid,
                        "area_type": area_type,
                        "area_code": code,
                        "area_name": name,
                        "period_type": period_type,
                        "period_month": month,
                        "period_start_date": start,
                        "period_end_date": _month_end(month),
                        "is_latest_period": is_latest,
                        "method": indicator["method"],
                        "unit": indicator["unit"],
                        "polarity": polarity,
                        "is_suppressed": suppressed,
                        "numerator": None if suppressed else _round5(numerator),
                        "denominator": _round5(denominator),
                        "indicator_value": None if suppressed else value,
                        "lower_ci_95": None if suppressed else lower,
                        "upper_ci_95": None if suppressed else upper,
                        "borough_value": borough,
                        "comparison_with_borough": None
                        if suppressed
                        else (
                            _comparison(lower, upper, borough, polarity)
                            if is_sdf and iid not in PART_OF_BOROUGH
                            else "not_applicable"
                        ),
                        "england_value": england,
                        "comparison_with_england": None
                        if suppressed
                        else _comparison(lower, upper, england, polarity),
                        "indicator_type": indicator["indicator_type"],
                        "target_value": indicator["target_value"],
                        "target_status": None if suppressed else status,
                        "annualisation_factor": factor,
                        "comparable_value": None if suppressed else comparable,
                        "comparable_lower_ci_95": None if suppressed else low,
                        "comparable_upper_ci_95": None if suppressed else high,
                    }
                    rows.append(row)
    return rows


def _annualisation(month: date) -> float:
    """Days in the 12 months ending with the month over the days in the month."""
    end = _month_end(month)
    start = date(month.year - 1 + (month.month // 12), month.month % 12 + 1, 1)
    return ((end - start).days + 1) / end.day


def _month_end(month: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _profile_rows(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    catalogue = {c["indicator_id"]: c for c in CATALOGUE}
    rows = []
    for value in values:
        indicator = catalogue[value["indicator_id"]]
        if not value["is_latest_period"] or (
            value["period_type"] != indicator["headline_period_type"]
        ):
            continue
        code, iid = value["area_code"], value["indicator_id"]
        suppressed = (code, iid) == SUPPRESSED_HEADLINE
        direction, significant = TRENDS.get((code, iid), ("no_significant_change", False))
        last = MONTHS[-1]
        row = {
            key: value[key]
            for key in (
                "area_code",
                "area_name",
                "area_type",
                "indicator_id",
                "unit",
                "method",
                "polarity",
                "indicator_type",
                "period_type",
                "period_start_date",
                "period_end_date",
                "is_suppressed",
                "numerator",
                "denominator",
                "borough_value",
                "england_value",
                "target_value",
            )
        }
        row |= {
            key: indicator[key]
            for key in (
                "indicator_name",
                "display_order",
                "framework",
                "framework_code",
                "framework_version",
                "owner_organisation",
                "attribution",
            )
        }
        row |= {
            "indicator_value": value["indicator_value"],
            "lower_ci_95": value["lower_ci_95"],
            "upper_ci_95": value["upper_ci_95"],
            "comparison_with_borough": value["comparison_with_borough"],
            "comparison_with_england": value["comparison_with_england"],
            "is_outlier": None  # the funnel's flag (sdf_indicator_funnels); none drawn here
            if value["is_suppressed"] or value["area_type"] != "sdf" or iid in PART_OF_BOROUGH
            else not (value["lower_ci_95"] <= value["borough_value"] <= value["upper_ci_95"]),
            "target_status": value["target_status"],
            "trend_period_type": indicator["trend_series"],
            "trend_first_period_month": MONTHS[-13],
            "trend_last_period_month": last,
            "trend_points": 3 if direction == "not_enough_data" else 5,
            "trend_direction": direction,
            "trend_judgement": _judgement(direction, indicator["polarity"]),
            "is_trend_significant": significant,
            "trend_dispersion": 3.2 if iid == "delayed_days" else 1.0,
        }
        difference = indicator["method"] == "proportion"
        change, low, high, judgement = CHANGES.get(
            (code, iid),
            (0.4, -1.5, 2.3, "no_significant_change")
            if difference
            else (1.01, 0.95, 1.07, "no_significant_change"),
        )
        row |= {
            "change_current_value": None if change is None else value["indicator_value"],
            "change_previous_value": None
            if change is None or value["indicator_value"] is None
            else value["indicator_value"] - change
            if difference
            else value["indicator_value"] / change,
            "change_type": "difference" if difference else "ratio",
            "change_value": change,
            "change_lower_ci_95": low,
            "change_upper_ci_95": high,
            "change_judgement": judgement,
        }
        if suppressed:
            row |= {
                "is_suppressed": True,
                "numerator": None,
                "indicator_value": None,
                "lower_ci_95": None,
                "upper_ci_95": None,
                "comparison_with_borough": None,
                "comparison_with_england": None,
                "is_outlier": None,
                "target_status": None,
                "change_current_value": None,
                "change_previous_value": None,
                "change_value": None,
                "change_lower_ci_95": None,
                "change_upper_ci_95": None,
                "change_judgement": None,
            }
        rows.append(row)
    return rows


def _population_rows() -> list[dict[str, Any]]:
    """Five-year bands, older SDFs further down the list; one band of SDF3 suppressed."""
    bands = [(f"{a}-{a + 4}", a) for a in range(0, 90, 5)] + [("90+", 90)]
    rows = []
    borough_totals = [0] * len(bands)
    for index, (code, name) in enumerate(SDFS):
        for order, (band, age_from) in enumerate(bands, start=1):
            older = 1.0 + 0.3 * index if age_from >= 65 else 1.0
            count = _round5(2000 * math.exp(-order / 12) * older)
            suppressed = (code, band) == SUPPRESSED_BAND
            borough_totals[order - 1] += 0 if suppressed else count
            rows.append(("sdf", code, name, band, order, age_from, suppressed, count))
    for order, (band, age_from) in enumerate(bands, start=1):
        rows.append(("borough", *BOROUGH, band, order, age_from, False, borough_totals[order - 1]))
    return [
        {
            "area_type": area_type,
            "area_code": code,
            "area_name": name,
            "population_month": MONTHS[-1],
            "age_band": band,
            "age_band_order": order,
            "age_from": age_from,
            "is_suppressed": suppressed,
            "registered_patients": None if suppressed else count,
        }
        for area_type, code, name, band, order, age_from, suppressed, count in rows
    ]


# SDF1's delayed discharge days inside the SDF: (type, code, name, IMD decile, value,
# comparison, suppression); one primary-suppressed row per breakdown, so one secondary
BREAKDOWNS = [
    ("practice", "P1", "Alpha Surgery", None, 1750.0, "better", None),
    ("practice", "P2", "Beta Practice", None, None, None, "primary"),
    ("practice", "P3", "Gamma Medical Centre", None, None, None, "secondary"),
    ("lsoa", "L1", "Test 001A", 2, 2650.0, "worse", None),
    ("lsoa", "L2", "Test 001B", 7, 1500.0, "better", None),
    ("lsoa", "L3", "Test 002A", 4, None, None, "primary"),
    ("lsoa", "L4", "Test 002B", 9, None, None, "secondary"),
]


def _breakdown_rows(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    (sdf,) = [
        v
        for v in values
        if (v["area_code"], v["indicator_id"], v["period_type"])
        == ("SDF1", "delayed_days", "rolling_12_months")
        and v["is_latest_period"]
    ]
    keep = ("indicator_id", "period_type", "period_month", "period_start_date", "period_end_date")
    keep += ("method", "unit", "polarity")
    return [
        {key: sdf[key] for key in keep}
        | {
            "sdf_code": "SDF1",
            "breakdown_type": kind,
            "breakdown_code": code,
            "breakdown_name": name,
            "imd_decile": decile,
            "data_coverage": 1.0,
            "has_sufficient_data": True,
            "is_suppressed": suppression is not None,
            "is_secondary_suppressed": suppression == "secondary",
            "numerator": None if suppression else 100,
            "denominator": None if suppression else 5000,
            "indicator_value": value,
            "lower_ci_95": value and value * 0.9,
            "upper_ci_95": value and value * 1.1,
            "comparison_with_sdf": comparison,
            "sdf_value": sdf["indicator_value"],
        }
        for kind, code, name, decile, value, comparison, suppression in BREAKDOWNS
    ]


def _insert(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    columns: list[tuple[str, str]],
    rows: list[dict[str, Any]],
) -> None:
    names = [name for name, _ in columns]
    unknown = {key for row in rows for key in row} - set(names)
    if unknown:
        raise KeyError(f"{table}: the fixture sets columns the YAML lacks: {sorted(unknown)}")
    definition = ", ".join(f'"{name}" {data_type}' for name, data_type in columns)
    connection.execute(f"create table sdf.{table} ({definition})")
    incoming = pa.Table.from_pylist([{name: row.get(name) for name in names} for row in rows])
    connection.register("incoming", incoming)
    connection.execute(f"insert into sdf.{table} select * from incoming")  # cast to the YAML types
    connection.unregister("incoming")


def build_published(root: Path) -> Path:
    """Build a warehouse with the published marts and publish it; returns the folder."""
    columns = mart_columns()
    values = _value_rows()
    profiles = _profile_rows(values)
    funnels = funnel_rows(values, CATALOGUE)
    trends = {(p["area_code"], p["indicator_id"]): p["trend_judgement"] for p in profiles}
    content = {
        "sdf_indicator_catalogue": [
            c
            | dict(
                zip(
                    ("plain_definition", "why_partnership_can_influence"),
                    NARRATIVES[c["indicator_id"]],
                    strict=True,
                )
            )
            for c in CATALOGUE
        ],
        "sdf_indicator_values": values,
        "sdf_profiles": profiles,
        "sdf_population": _population_rows(),
        "sdf_indicator_funnels": funnels,
        "sdf_deep_dive_shortlist": shortlist_rows(funnels, CATALOGUE, trends),
        "sdf_indicator_breakdowns": _breakdown_rows(values),
    }
    missing = set(content) - set(columns)
    if missing:
        raise KeyError(f"the published marts' YAML lacks {sorted(missing)}")
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema sdf")
        connection.execute("create schema raw")
        for table, rows in content.items():
            _insert(connection, table, columns[table], rows)
        connection.execute(
            "create table raw.load_manifest as select 'trust' as organisation, "
            "'ae_attendances' as feed, 'trust/ae/a.csv' as file_path, '2025-03-04' as period, "
            "'ab' as sha256, 10 as rows_loaded, 0 as rows_quarantined, 'loaded' as status"
        )
    manifest = root / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "nodes": {
                    f"model.footprint.{table}": {
                        "resource_type": "model",
                        "schema": "sdf",
                        "name": table,
                        "config": {"tags": ["published"]},
                    }
                    for table in content
                }
            }
        )
    )
    published = root / "published"
    publish(warehouse, published, manifest, checks=[])
    return published
