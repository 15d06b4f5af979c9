"""Deliveries validated many at once get exactly the results each would get validated
alone, whatever faults they hold and however they are grouped."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from footprint.contracts import contract_for
from footprint.quality import stacking
from footprint.quality.parameters import delivery_parameters, fixed_parameters
from footprint.quality.results import FAILED, PASSED, SKIPPED
from footprint.quality.runner import (
    _delivery_example_columns,
    delivery_expectations,
    run_checkpoint,
)
from footprint.quality.specs import checkpoint_by_name
from footprint.quality.validation import Validator
from footprint.quality.warehouse import delivery_rows, loaded_deliveries, read_only
from tests.quality.builders import AE, DeliveryRows, ae_delivery, ae_row, write_deliveries

DAY = date(2025, 3, 3)


def _day(offset: int) -> date:
    return DAY + timedelta(days=offset)


def _with_faults(delivery_id: str, day: date, rows: int, faulty: dict[int, dict]) -> DeliveryRows:
    """A delivery whose rows `faulty` (row number -> overrides) break a rule."""
    return DeliveryRows(
        delivery_id, day, [ae_row(i, day, **faulty.get(i, {})) for i in range(rows)]
    )


def _faulty_deliveries() -> list[DeliveryRows]:
    late = ae_row(0, _day(9))["arrival_at"]
    return [
        ae_delivery("d01", _day(0), 60),
        ae_delivery("d02", _day(1), 70),
        ae_delivery("d03", _day(2), 12),  # partial: under a quarter of the day before
        ae_delivery("d04", _day(3), 65),
        _with_faults("d05", _day(4), 66, {3: {"age": 130}, 40: {"age": -2}}),  # range
        _with_faults("d06", _day(5), 64, {7: {"arrival_at": late}}),  # outside its period
        _with_faults("d07", _day(6), 61, {i: {"lsoa_code": "E01999999"} for i in (1, 2, 50)}),
        ae_delivery("d08", _day(7), 62, age=85),  # mean age out of range
        ae_delivery("d09", _day(8), 63, sex="9"),  # sex not known throughout
        ae_delivery("d10", _day(9), 0),  # empty: no rows, so no mean or share
        ae_delivery("d11", _day(10), 64, arrival_mode=None),  # no arrival modes at all
        ae_delivery("d12", _day(11), 300),  # far above the usual volume
        _with_faults("d13", _day(12), 290, {i: {"acuity": 9} for i in range(0, 290, 7)}),
    ]


def _alone_and_stacked(warehouse: Path, dbt_manifest: Path) -> tuple[dict, dict]:
    checkpoint = checkpoint_by_name(AE)
    contract = contract_for(AE)
    expectations = delivery_expectations(checkpoint, contract)
    hidden = frozenset(c.loaded_name for c in contract.columns if c.is_identifier)
    validator = Validator()
    with read_only(warehouse) as connection:
        deliveries = loaded_deliveries(connection, contract)
        fixed = fixed_parameters(checkpoint, connection, dbt_manifest)
        parameters = {
            d.delivery_id: fixed.merged(delivery_parameters(checkpoint, contract, d))
            for d in deliveries
        }
        ids = [d.delivery_id for d in deliveries]
        alone = {
            i: validator.validate(
                delivery_rows(connection, contract, [i]),
                expectations,
                parameters[i],
                _delivery_example_columns,
                hidden,
                details_of_passes=False,
            )
            for i in ids
        }
        stacked = stacking.validate_stacked(
            validator,
            delivery_rows(connection, contract, ids),
            ids,
            expectations,
            fixed,
            parameters,
            _delivery_example_columns,
            hidden,
        )
    return alone, stacked


def test_stacked_results_equal_results_alone(quality: dict[str, Path]) -> None:
    write_deliveries(quality["warehouse"], _faulty_deliveries())
    alone, stacked = _alone_and_stacked(quality["warehouse"], quality["dbt_manifest"])
    assert list(stacked) == list(alone)
    statuses = set()
    for delivery, expected in alone.items():
        for one, many in zip(expected, stacked[delivery], strict=True):
            where = f"{delivery}: {one.name}"
            statuses.add(one.status)
            assert many.status == one.status, where
            assert many.kwargs == one.kwargs, where
            assert many.message == one.message, where
            if one.status == FAILED:
                assert many.unexpected_count == one.unexpected_count, where
                assert many.element_count == one.element_count, where
                assert many.unexpected_percent == pytest.approx(one.unexpected_percent), where
                assert many.examples == one.examples, where
                assert many.observed_value == pytest.approx(one.observed_value), where
    assert statuses == {PASSED, FAILED, SKIPPED}


def test_every_planted_fault_fails_in_its_own_delivery_only(quality: dict[str, Path]) -> None:
    write_deliveries(quality["warehouse"], _faulty_deliveries())
    _, stacked = _alone_and_stacked(quality["warehouse"], quality["dbt_manifest"])
    failed = {d: {e.name for e in results if e.failed} for d, results in stacked.items()}
    assert "not a partial delivery" in failed["d03"]
    assert "age range from the contract" in failed["d05"]
    assert "arrival_at within the delivery period" in failed["d06"]
    assert "lsoa_code in lsoas.lsoa_code" in failed["d07"]
    assert "mean age" in failed["d08"]
    assert "share with sex not known" in failed["d09"]
    assert {"mean age", "share arriving by ambulance"} <= failed["d10"]
    assert "share arriving by ambulance" in failed["d11"]
    assert "usual volume" in failed["d12"]
    assert "acuity range from the contract" in failed["d13"]
    assert not failed["d01"] and not failed["d02"] and not failed["d04"]
    (ages,) = [e for e in stacked["d05"] if e.name == "age range from the contract"]
    assert ages.unexpected_count == 2
    assert [row["_row_number"] for row in ages.examples] == [4, 41]


def test_how_deliveries_are_grouped_does_not_change_results(
    quality: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_deliveries(quality["warehouse"], _faulty_deliveries())
    whole = run_checkpoint(AE, "whole", dbt_manifest=quality["dbt_manifest"])
    for ledger in (quality["warehouse"].parent / "quality" / "ledger").glob("*.json"):
        ledger.unlink()
    monkeypatch.setattr(stacking, "STACK_ROWS", 100)  # most deliveries alone, some paired
    grouped = run_checkpoint(AE, "grouped", dbt_manifest=quality["dbt_manifest"])
    assert whole.error is None and grouped.error is None
    assert len(grouped.batches) == len(whole.batches) == 13

    def outcome(result):
        return {
            (b.batch_id, e.name): (e.status, e.unexpected_count, e.examples, e.observed_value)
            for b in result.batches
            for e in b.expectations
        }

    assert outcome(grouped) == outcome(whole)
