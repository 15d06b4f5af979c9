"""Mart checkpoints, run with the committed suites against a small fake published mart."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from footprint.quality.contract_expectations import seed_values
from footprint.quality.results import SKIPPED
from footprint.quality.runner import run_checkpoint
from orchestration.quality_checks import check_result
from tests.quality.builders import MONTHS, indicator_values, write_mart

MART = "sdf_indicator_values"


def _run(quality: dict[str, Path]):
    return run_checkpoint(MART, "run-1", dbt_manifest=quality["dbt_manifest"])


def _outcomes(result) -> dict:
    (batch,) = result.batches
    return {e.name: e for e in batch.expectations}


def test_a_clean_mart_passes(quality: dict[str, Path]) -> None:
    write_mart(quality["warehouse"], indicator_values())

    result = _run(quality)

    assert result.error is None
    assert result.success, [e.name for b in result.batches for e in b.expectations if e.failed]
    assert result.asset_key == ["sdf", MART]


def test_a_published_count_of_4_blocks(quality: dict[str, Path]) -> None:
    frame = indicator_values()
    frame.loc[17, "numerator"] = 4
    write_mart(quality["warehouse"], frame)

    result = _run(quality)
    check = check_result(result, None)

    assert not check.passed
    assert check.severity == dg.AssetCheckSeverity.ERROR
    failure = _outcomes(result)["no numerator between 1 and 7"]
    assert failure.failed and failure.severity == "blocking"
    assert failure.unexpected_count == 1
    (example,) = failure.examples
    assert example["numerator"] == 4
    assert example["area_code"] == frame.loc[17, "area_code"]


def test_a_missing_sdf_blocks(quality: dict[str, Path]) -> None:
    frame = indicator_values()
    missing = frame.loc[0, "area_code"]
    write_mart(quality["warehouse"], frame[frame["area_code"] != missing])

    outcomes = _outcomes(_run(quality))

    every_sdf = outcomes["every SDF present"]
    assert every_sdf.failed
    assert every_sdf.examples == [{"missing value": missing}]
    grouped = outcomes["every area for every indicator and month"]
    assert grouped.failed
    assert grouped.examples[0]["missing"] == missing


def test_a_missing_month_blocks(quality: dict[str, Path]) -> None:
    frame = indicator_values()
    write_mart(quality["warehouse"], frame[frame["period_month"] != MONTHS[1]])

    months = _outcomes(_run(quality))["every reporting month present"]

    assert months.failed
    assert months.examples == [{"missing value": f"{MONTHS[1].isoformat()}T00:00:00"}]


def test_an_implausible_rate_only_warns(quality: dict[str, Path]) -> None:
    frame = indicator_values()
    latest = (
        (frame["indicator_id"] == "ambulance_conveyance_rate")
        & (frame["period_type"] == "rolling_12_months")
        & frame["is_latest_period"]
    )
    frame.loc[latest, ["indicator_value", "lower_ci_95", "upper_ci_95"]] = [97.0, 95.0, 99.0]
    write_mart(quality["warehouse"], frame)

    result = _run(quality)
    check = check_result(result, None)

    assert not result.blocking_failed
    assert [e.name for e in result.batches[0].failed_warning] == ["plausible conveyance rate"]
    assert not check.passed
    assert check.severity == dg.AssetCheckSeverity.WARN


def test_row_count_against_the_last_published_build(quality: dict[str, Path]) -> None:
    frame = indicator_values()
    write_mart(quality["warehouse"], frame)
    outcomes = _outcomes(_run(quality))
    assert outcomes["no large loss of rows"].status == SKIPPED
    assert "no earlier published build" in outcomes["no large loss of rows"].message

    quality["published"].mkdir(parents=True)
    (quality["published"] / "manifest.json").write_text(
        json.dumps({"marts": [{"relation": f"sdf.{MART}", "rows": 2 * len(frame)}]})
    )
    outcomes = _outcomes(_run(quality))

    assert outcomes["no large loss of rows"].failed
    assert outcomes["no large loss of rows"].kwargs["min_value"] == int(2 * len(frame) * 0.9)


def test_a_population_count_of_3_blocks(quality: dict[str, Path]) -> None:
    areas = [*seed_values("sdfs.sdf_code"), *seed_values("borough.borough_code")]
    frame = pd.DataFrame(
        [
            {"area_code": a, "age_band": b, "is_suppressed": False, "registered_patients": 100}
            for a in areas
            for b in ("0-4", "5-9")
        ]
    )
    frame.loc[3, "registered_patients"] = 3
    quality["warehouse"].parent.mkdir(parents=True)
    with duckdb.connect(str(quality["warehouse"])) as connection:
        connection.execute("create schema sdf")
        connection.execute("create table sdf.sdf_population as select * from frame")

    result = run_checkpoint("sdf_population", "run-1", dbt_manifest=quality["dbt_manifest"])

    failed = {e.name: e for e in result.batches[0].failed_blocking}
    assert set(failed) == {"no count between 1 and 7", "counts rounded to 5"}
    assert failed["no count between 1 and 7"].examples[0]["area_code"] == frame.loc[3, "area_code"]
