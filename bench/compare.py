"""Like for like: the pandas baseline's numbers against the warehouse's own.

Each indicator's monthly numerator and denominator per SDF are compared with its dbt
model (int_indicator__<id>, what fct_indicator_values is computed from) and the
numerator with fct_indicator_values (area type sdf, period type month).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd

from bench import manifest as dbt_manifest
from bench.pandas_baseline import INDICATORS

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Agreement:
    indicator_id: str
    rows_compared: int
    rows_differing: int
    warehouse_rows_with_events_missing_in_pandas: int
    fct_indicator_values_rows_compared: int
    fct_indicator_values_rows_differing: int

    @property
    def equal(self) -> bool:
        return (
            self.rows_compared > 0
            and self.rows_differing == 0
            and self.warehouse_rows_with_events_missing_in_pandas == 0
            and self.fct_indicator_values_rows_compared > 0
            and self.fct_indicator_values_rows_differing == 0
        )

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "equal": self.equal}


def _warehouse_rows(connection: duckdb.DuckDBPyConnection, relation: str) -> pd.DataFrame:
    frame = connection.execute(
        f"select sdf_code, period_month, numerator, denominator from {relation} "
        "where period_type = 'month'"
    ).df()
    frame["period_month"] = pd.to_datetime(frame["period_month"])
    return frame


def _fct_rows(connection: duckdb.DuckDBPyConnection, relation: str, indicator: str) -> pd.DataFrame:
    frame = connection.execute(
        f"select area_code as sdf_code, period_month, numerator from {relation} "
        "where indicator_id = ? and period_type = 'month' and area_type = 'sdf'",
        [indicator],
    ).df()
    frame["period_month"] = pd.to_datetime(frame["period_month"])
    return frame


def compare(values_csv: Path, warehouse: Path, manifest_json: Path) -> list[Agreement]:
    manifest = dbt_manifest.load(manifest_json)
    pandas_values = pd.read_csv(values_csv, parse_dates=["period_month"])
    connection = duckdb.connect(str(warehouse), read_only=True)
    agreements = []
    try:
        fct = dbt_manifest.relation(manifest, "fct_indicator_values")
        for indicator in (f.__name__ for f in INDICATORS):
            ours = pandas_values[pandas_values["indicator_id"] == indicator]
            theirs = _warehouse_rows(
                connection, dbt_manifest.relation(manifest, f"int_indicator__{indicator}")
            )
            keys = ["sdf_code", "period_month"]
            both = ours.merge(theirs, on=keys, suffixes=("_pandas", "_warehouse"))
            differing = both[
                ((both["numerator_pandas"] - both["numerator_warehouse"]).abs() > TOLERANCE)
                | ((both["denominator_pandas"] - both["denominator_warehouse"]).abs() > TOLERANCE)
            ]
            missing = theirs.merge(ours[keys], on=keys, how="left", indicator=True)
            missing = missing[(missing["_merge"] == "left_only") & (missing["numerator"] > 0)]
            published = _fct_rows(connection, fct, indicator).merge(
                ours[[*keys, "numerator"]], on=keys, suffixes=("_warehouse", "_pandas")
            )
            fct_differing = published[
                (published["numerator_warehouse"] - published["numerator_pandas"]).abs() > TOLERANCE
            ]
            agreements.append(
                Agreement(
                    indicator_id=indicator,
                    rows_compared=len(both),
                    rows_differing=len(differing),
                    warehouse_rows_with_events_missing_in_pandas=len(missing),
                    fct_indicator_values_rows_compared=len(published),
                    fct_indicator_values_rows_differing=len(fct_differing),
                )
            )
    finally:
        connection.close()
    return agreements
