"""Issue 4: indicators recomputed independently of the warehouse agree with the marts.

A small synthetic run without faults is built once for the module (generate, ingest,
`dbt build`). Eight indicators of the three organisations that send activity (the
trust's A&E; its inpatient spells by residence (a DSR), by registration and linked
person by person into readmissions; the ambulance service's incidents, per day and per
1,000 residents; the council's
reablement episodes) are recomputed in pandas from the
generator's own output (tests/truth/population_truth.py: the population parquet for the
GP-register denominators and for each person's age, residence and practice on the day
of an event; the generated events for who, when and what) and compared, SDF by SDF,
borough, month and rolling 12 months, with
- core.fct_indicator_values: numerators and denominators exactly equal (a mean of
  monthly populations to 12 significant figures), values equal to the catalogue's
  decimal places;
- the published sdf.sdf_indicator_values: counts exactly as the disclosure rule makes
  them from the recomputed counts, values to the catalogue's decimal places, and
  suppressed wherever the recomputed numerator is 1-7.
A fault-free run delivers every day and month, so data coverage must be 1 throughout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from footprint.paths import SEEDS_DIR
from tests.truth import population_truth as truth
from tests.truth.build import build_clean_run

SCALE = 0.05  # about 16,500 people: every indicator has events in every SDF and month
MONTHS = 24
KEY = ["area_type", "area_code", "period_type", "period_month"]
CATALOGUE = pd.read_csv(SEEDS_DIR / "indicator_catalogue.csv").set_index("indicator_id")

RECOMPUTED: dict[str, Callable[[truth.SyntheticRun], pd.DataFrame]] = {
    "ae_attendances_75_plus": truth.ae_attendances_75_plus,
    "ambulance_incidents_per_day": truth.ambulance_incidents_per_day,
    "ambulance_incidents_per_1000_residents": truth.ambulance_incidents_per_1000_residents,
    "ambulance_conveyance_rate": truth.ambulance_conveyance_rate,
    "reablement_at_home_91_days": lambda run: truth.reablement_at_home_91_days(
        run, lag_months=int(CATALOGUE.loc["reablement_at_home_91_days", "lag_months"])
    ),
    "emergency_admissions_dsr": truth.emergency_admissions_dsr,
    "care_home_emergency_admissions": truth.care_home_emergency_admissions,
    "emergency_readmissions_30_days": lambda run: truth.emergency_readmissions_30_days(
        run, lag_months=int(CATALOGUE.loc["emergency_readmissions_30_days", "lag_months"])
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[truth.SyntheticRun, Path]:
    workspace = build_clean_run(tmp_path_factory.mktemp("truth"), SCALE, MONTHS)
    return truth.SyntheticRun(workspace.landing), workspace.warehouse


def _mart(warehouse: Path, table: str, indicator_id: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        frame = connection.execute(
            f"select * from {table} where indicator_id = $id", {"id": indicator_id}
        ).df()
    frame["period_month"] = pd.to_datetime(frame["period_month"])
    return frame


def _paired(expected: pd.DataFrame, mart: pd.DataFrame) -> pd.DataFrame:
    """Recomputed and mart rows side by side; both must have exactly the same rows."""
    paired = expected.merge(mart, on=KEY, how="outer", suffixes=("", "_mart"), indicator=True)
    unmatched = paired[paired["_merge"] != "both"]
    assert unmatched.empty, f"rows in one side only:\n{unmatched[[*KEY, '_merge']].head(10)}"
    return paired


def _same_to_decimals(expected: pd.Series, published: pd.Series, decimals: int) -> pd.Series:
    """Equal when both round (half up) to the same number at the published decimals, or
    differ only in the last bits of a double (a value exactly on a rounding tie)."""
    same = []
    for one, other in zip(expected, published, strict=True):
        if pd.isna(one) or pd.isna(other):
            same.append(pd.isna(one) and pd.isna(other))
            continue
        same.append(
            truth.round_half_up(one, decimals) == truth.round_half_up(other, decimals)
            or abs(one - other) <= 1e-9 * max(1.0, abs(one))
        )
    return pd.Series(same, index=expected.index)


def _show(frame: pd.DataFrame, columns: list[str]) -> str:
    return frame[[*KEY, *columns]].head(10).to_string()


@pytest.mark.parametrize("indicator_id", sorted(RECOMPUTED))
def test_core_values_equal_the_recomputation(built, indicator_id):
    run, warehouse = built
    expected = RECOMPUTED[indicator_id](run)
    # the recomputation covers every SDF and the borough, both period types, 12+ months
    assert set(expected["area_code"]) == {*run.sdf_codes, run.borough_code}
    assert (expected["period_type"] == "rolling_12_months").sum() >= len(run.sdf_codes) + 1
    assert expected["numerator"].sum() > 0
    paired = _paired(expected, _mart(warehouse, "core.fct_indicator_values", indicator_id))

    assert (paired["data_coverage"] == 1).all(), "a fault-free run covers every period whole"
    wrong = paired[paired["numerator"] != paired["numerator_mart"]]
    assert wrong.empty, f"numerators differ:\n{_show(wrong, ['numerator', 'numerator_mart'])}"
    close = np.isclose(paired["denominator"], paired["denominator_mart"], rtol=1e-12, atol=0)
    wrong = paired[~close]
    assert wrong.empty, f"denominators differ:\n{_show(wrong, ['denominator', 'denominator_mart'])}"
    decimals = int(CATALOGUE.loc[indicator_id, "decimal_places"])
    same = _same_to_decimals(paired["indicator_value"], paired["indicator_value_mart"], decimals)
    wrong = paired[~same]
    assert wrong.empty, (
        f"values differ at {decimals} decimals:\n"
        f"{_show(wrong, ['indicator_value', 'indicator_value_mart'])}"
    )


@pytest.mark.parametrize("indicator_id", sorted(RECOMPUTED))
def test_published_values_are_the_recomputation_under_disclosure_control(built, indicator_id):
    run, warehouse = built
    expected = RECOMPUTED[indicator_id](run)
    expected = expected.assign(
        is_suppressed=[truth.disclose_count(n) is None for n in expected["numerator"]],
        numerator=[truth.disclose_count(n) for n in expected["numerator"]],
        denominator=[truth.disclose_count(d) for d in expected["denominator_exact"]],
    )
    expected.loc[expected["is_suppressed"], "indicator_value"] = np.nan
    paired = _paired(expected, _mart(warehouse, "sdf.sdf_indicator_values", indicator_id))

    wrong = paired[paired["is_suppressed"] != paired["is_suppressed_mart"]]
    assert wrong.empty, f"suppression differs:\n{_show(wrong, ['is_suppressed'])}"
    for column in ("numerator", "denominator"):
        one, other = paired[column].astype(float), paired[f"{column}_mart"].astype(float)
        wrong = paired[~((one == other) | (one.isna() & other.isna()))]
        assert wrong.empty, (
            f"published {column}s differ:\n{_show(wrong, [column, column + '_mart'])}"
        )
    decimals = int(CATALOGUE.loc[indicator_id, "decimal_places"])
    same = _same_to_decimals(paired["indicator_value"], paired["indicator_value_mart"], decimals)
    wrong = paired[~same]
    assert wrong.empty, (
        f"published values differ at {decimals} decimals:\n"
        f"{_show(wrong, ['indicator_value', 'indicator_value_mart'])}"
    )
