"""Small hand-made warehouses for the quality tests: raw tables made by ingestion's own
DDL, deliveries written row by row, a fake mart and a fake dbt manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from footprint.contracts import Contract, contract_for
from footprint.ingest.loader import ensure_tables
from footprint.quality.contract_expectations import seed_values

AE = "trust__ae_attendances"


@dataclass
class DeliveryRows:
    delivery_id: str
    period: date
    rows: list[dict[str, Any]]
    status: str = "loaded"
    finished_at: datetime = field(default_factory=datetime.now)


def ae_row(number: int, day: date, **overrides: Any) -> dict[str, Any]:
    """A valid A&E attendance (raw table shape) whose distributions are plausible:
    a third arrive by ambulance, a quarter are admitted, mean age about 44."""
    arrival = datetime.combine(day, datetime.min.time()) + timedelta(minutes=7 * number % 1380)
    row = {
        "attendance_id": f"AE{number:010d}",
        "nhs_number_pseudonym": f"{number:064x}",
        "age": 20 + (number * 7) % 50,
        "sex": ["1", "2"][number % 2],
        "lsoa_code": seed_values("lsoas.lsoa_code")[number % 5],
        "practice_code": seed_values("practices.practice_code")[number % 5],
        "arrival_at": arrival,
        "departure_at": arrival + timedelta(hours=3),
        "arrival_mode": ["ambulance", "walk_in", "walk_in"][number % 3],
        "acuity": 3,
        "chief_complaint": "fall",
        "discharge_destination": ["admitted", "home", "home", "home"][number % 4],
    }
    row.update(overrides)
    return row


def ae_delivery(delivery_id: str, day: date, rows: int, **overrides: Any) -> DeliveryRows:
    return DeliveryRows(delivery_id, day, [ae_row(i, day, **overrides) for i in range(rows)])


def write_deliveries(
    warehouse: Path, deliveries: list[DeliveryRows], contract: Contract | None = None
) -> None:
    """Deliveries of one feed (daily periods) into raw.<feed> and raw.load_manifest."""
    contract = contract or contract_for(AE)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as connection:
        connection.execute("attach ? as wh", [str(warehouse)])
        ensure_tables(connection, contract)
        for delivery in deliveries:
            file_path = f"{contract.organisation}/{contract.feed}/{delivery.delivery_id}.csv"
            frame = pd.DataFrame(delivery.rows)
            frame["_delivery_id"] = delivery.delivery_id
            frame["_source_file"] = file_path
            frame["_row_number"] = range(1, len(frame) + 1)
            frame["_loaded_at"] = delivery.finished_at
            if len(frame):
                table = connection.table(f"wh.raw.{contract.name}")
                connection.from_df(frame[table.columns]).insert_into(f"wh.raw.{contract.name}")
            connection.execute(
                "insert into wh.raw.load_manifest values "
                "(?, ?, ?, ?, ?, ?, ?, null, 'ab', 'ab', 1, ?, ?, 0, ?, null, null, ?, ?)",
                [
                    delivery.delivery_id,
                    contract.organisation,
                    contract.feed,
                    file_path,
                    delivery.period.isoformat(),
                    delivery.period,
                    delivery.period,
                    len(frame),
                    len(frame),
                    delivery.status,
                    delivery.finished_at,
                    delivery.finished_at,
                ],
            )


MART_MODELS = {
    "sdf_indicator_values": ("sdf", ["published"]),
    "sdf_profiles": ("sdf", ["published"]),
    "sdf_indicator_catalogue": ("sdf", ["published"]),
    "sdf_population": ("sdf", ["published"]),
    "sdf_population_monthly": ("sdf", ["published"]),
    "sdf_indicator_funnels": ("sdf", ["published"]),
    "sdf_deep_dive_shortlist": ("sdf", ["published"]),
    "sdf_indicator_breakdowns": ("sdf", ["published"]),
    "lookup_sdfs": ("lookups", ["published"]),
    "lookup_lsoas": ("lookups", ["published"]),
    "lookup_wards": ("lookups", ["published"]),
    "lookup_practices": ("lookups", ["published"]),
    "lookup_pcns": ("lookups", ["published"]),
    "int_reporting_months": ("intermediate", []),
}


def write_dbt_manifest(path: Path, models: dict[str, tuple[str, list[str]]] = MART_MODELS) -> Path:
    """A target/manifest.json with just the models given (name: (schema, tags))."""
    nodes = {
        f"model.footprint.{name}": {
            "resource_type": "model",
            "name": name,
            "alias": name,
            "schema": schema,
            "config": {"tags": tags},
            "columns": {},
        }
        for name, (schema, tags) in models.items()
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"nodes": nodes}))
    return path


MONTHS = [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]


def indicator_values(months: list[date] = MONTHS) -> pd.DataFrame:
    """A small sdf_indicator_values that passes every blocking expectation: two
    indicators, every SDF and the borough, each month, rounded counts."""
    areas = [*seed_values("sdfs.sdf_code"), *seed_values("borough.borough_code")]
    rows = []
    indicators = (
        ("ambulance_conveyance_rate", "%", 100),
        ("ae_attendances_75_plus", "per 1,000", 1000),
    )
    for indicator, unit, multiplier in indicators:
        for period_type in ("month", "rolling_12_months"):
            for month in months:
                for number, area in enumerate(areas):
                    numerator, denominator = 100 + 5 * number, 200
                    value = numerator / denominator * multiplier
                    rows.append(
                        {
                            "indicator_id": indicator,
                            "area_type": "borough" if area.startswith("E") else "sdf",
                            "area_code": area,
                            "period_type": period_type,
                            "period_month": month,
                            "is_latest_period": month == months[-1],
                            "unit": unit,
                            "is_suppressed": False,
                            "numerator": numerator,
                            "denominator": denominator,
                            "indicator_value": value,
                            "lower_ci_95": value - 5,
                            "upper_ci_95": value + 5,
                        }
                    )
    return pd.DataFrame(rows)


def write_mart(warehouse: Path, frame: pd.DataFrame, months: list[date] = MONTHS) -> None:
    """sdf.sdf_indicator_values from `frame`, and intermediate.int_reporting_months."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema if not exists sdf")
        connection.execute("create schema if not exists intermediate")
        connection.register("mart", frame)
        connection.execute("create or replace table sdf.sdf_indicator_values as select * from mart")
        connection.execute(
            "create or replace table intermediate.int_reporting_months as "
            "select unnest(?::date[]) as month_start_date",
            [months],
        )
