"""Delivery checkpoints: one batch per delivery, volume against the previous delivery,
and each delivery validated once unless it failed a blocking expectation."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb

from footprint.quality.results import SKIPPED, run_dir
from footprint.quality.runner import run_checkpoint
from footprint.quality.specs import EXPECTATIONS_DIR
from tests.quality.builders import AE, ae_delivery, write_deliveries


def _outcomes(result, delivery_id: str) -> dict:
    (batch,) = [b for b in result.batches if b.batch_id == delivery_id]
    return {e.name: e for e in batch.expectations}


def test_volume_is_judged_against_the_previous_delivery(quality: dict[str, Path]) -> None:
    write_deliveries(
        quality["warehouse"],
        [
            ae_delivery("d1", date(2025, 1, 6), 200),
            ae_delivery("d2", date(2025, 1, 7), 210),
            ae_delivery("d3", date(2025, 1, 8), 40),  # a partial extract
        ],
    )

    result = run_checkpoint(AE, "run-1", dbt_manifest=quality["dbt_manifest"])

    first = _outcomes(result, "d1")
    assert first["not a partial delivery"].status == SKIPPED
    assert "first delivery" in first["not a partial delivery"].message
    assert _outcomes(result, "d2")["usual volume"].status == "passed"
    partial = _outcomes(result, "d3")
    assert partial["not a partial delivery"].status == "failed"
    assert partial["not a partial delivery"].observed_value == 40
    # the band comes from d2 (210 rows), not d1: 25% of 210 rounded down, 60% and 160%
    (batch,) = [b for b in result.batches if b.batch_id == "d3"]
    assert batch.parameters["minimum_volume_min"] == 52
    assert batch.parameters["usual_volume_min"] == 126
    assert batch.parameters["usual_volume_max"] == 336
    assert result.blocking_failed


def test_each_delivery_is_validated_once(quality: dict[str, Path]) -> None:
    write_deliveries(quality["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 50)])
    first = run_checkpoint(AE, "run-1", dbt_manifest=quality["dbt_manifest"])
    write_deliveries(quality["warehouse"], [ae_delivery("d2", date(2025, 1, 7), 55)])

    second = run_checkpoint(AE, "run-2", dbt_manifest=quality["dbt_manifest"])

    assert [b.batch_id for b in first.batches] == ["d1"]
    assert [b.batch_id for b in second.batches] == ["d2"]
    assert second.success
    assert "1 new deliveries validated" in second.notes[0]


def test_a_blocking_failure_keeps_failing_until_the_delivery_is_replaced(
    quality: dict[str, Path],
) -> None:
    bad = ae_delivery("d1", date(2025, 1, 6), 30, age=130)
    write_deliveries(quality["warehouse"], [bad])
    assert run_checkpoint(AE, "run-1", dbt_manifest=quality["dbt_manifest"]).blocking_failed

    again = run_checkpoint(AE, "run-2", dbt_manifest=quality["dbt_manifest"])
    assert again.blocking_failed
    assert again.batches[0].run_id == "run-1"  # carried forward, not validated again

    # a corrected file at the same path supersedes the bad one: the gate opens
    write_deliveries(quality["warehouse"], [ae_delivery("d1-fixed", date(2025, 1, 6), 30)])
    with duckdb.connect(str(quality["warehouse"])) as connection:
        connection.execute(
            "update raw.load_manifest set status = 'superseded' where delivery_id = 'd1'"
        )
    fixed = run_checkpoint(AE, "run-3", dbt_manifest=quality["dbt_manifest"])
    assert not fixed.blocking_failed
    assert [b.batch_id for b in fixed.batches] == ["d1-fixed"]


def test_results_are_saved_as_json_for_the_run(quality: dict[str, Path]) -> None:
    write_deliveries(quality["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 30, age=130)])

    run_checkpoint(AE, "run-1", dbt_manifest=quality["dbt_manifest"])

    path = run_dir("run-1", quality["warehouse"]) / f"{AE}.json"
    document = json.loads(path.read_text())
    assert document["summary"]["blocking_failed"] is True
    assert document["asset_key"] == ["raw", AE]
    failing = [e for e in document["batches"][0]["expectations"] if e["status"] == "failed"]
    age = next(e for e in failing if e["name"] == "age range from the contract")
    assert age["severity"] == "blocking"
    assert age["unexpected_count"] == 30
    assert len(age["examples"]) == 10
    assert age["examples"][0] == {"_row_number": 1, "age": 130}


def test_pseudonyms_never_appear_in_examples(quality: dict[str, Path]) -> None:
    write_deliveries(quality["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 30)])
    with_checkpoint = quality["root"] / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, with_checkpoint)
    suite = with_checkpoint / "suites" / f"{AE}.yml"
    suite.write_text(
        suite.read_text()
        + """  - type: expect_column_values_to_be_in_set
    kwargs: {column: nhs_number_pseudonym, value_set: [nobody]}
    meta:
      name: planted pseudonym check
      severity: warning
      description: A check that fails on every pseudonym.
"""
    )

    result = run_checkpoint(
        AE, "run-1", expectations_dir=with_checkpoint, dbt_manifest=quality["dbt_manifest"]
    )

    (planted,) = result.batches[0].failed_warning
    assert planted.examples[0]["nhs_number_pseudonym"] == "(pseudonym not shown)"
    assert "0" * 60 not in json.dumps(planted.examples)


def test_no_warehouse_fails_the_checkpoint_with_a_reason(quality: dict[str, Path]) -> None:
    result = run_checkpoint(AE, "run-1", dbt_manifest=quality["dbt_manifest"])

    assert result.blocking_failed
    assert "does not exist yet" in result.error


def test_volume_is_not_judged_against_a_tiny_delivery(quality: dict[str, Path]) -> None:
    write_deliveries(
        quality["warehouse"],
        [ae_delivery("d1", date(2025, 1, 6), 12), ae_delivery("d2", date(2025, 1, 7), 2)],
    )

    result = run_checkpoint(AE, "run-1", dbt_manifest=quality["dbt_manifest"])

    partial = _outcomes(result, "d2")["not a partial delivery"]
    assert partial.status == SKIPPED
    assert "previous delivery has 12 rows, too few" in partial.message
    assert not result.blocking_failed
