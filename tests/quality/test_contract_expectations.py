"""Code lists, ranges and period dates come from the feed contract, never from a suite."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from footprint.contracts import CONTRACTS_DIR, all_contracts, load_contract
from footprint.quality.runner import delivery_expectations, run_checkpoint
from footprint.quality.specs import checkpoint_by_name
from tests.quality.builders import AE, ae_delivery, write_deliveries


def _by_name(expectations: list) -> dict:
    return {e.name: e for e in expectations}


def test_code_lists_and_ranges_equal_the_contract() -> None:
    for contract in all_contracts():
        checkpoint = checkpoint_by_name(contract.name)
        generated = _by_name(delivery_expectations(checkpoint, contract))
        for column in contract.columns:
            if column.values is not None and not column.is_identifier:
                expectation = generated[f"{column.name} codes from the contract"]
                assert expectation.source == "contract"
                assert expectation.kwargs["value_set"] == list(column.values)
            if column.min is not None or column.max is not None:
                expectation = generated[f"{column.name} range from the contract"]
                assert expectation.kwargs["min_value"] == column.min
                assert expectation.kwargs["max_value"] == column.max


def test_changing_the_contract_changes_the_suite(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(CONTRACTS_DIR, contracts)
    path = contracts / "trust" / "ae_attendances.yml"
    path.write_text(path.read_text().replace("values: ['1', '2', '9']", "values: ['1', '2']"))
    checkpoint = checkpoint_by_name(AE)

    original = load_contract(CONTRACTS_DIR / "trust" / "ae_attendances.yml")
    before = _by_name(delivery_expectations(checkpoint, original))
    after = _by_name(delivery_expectations(checkpoint, load_contract(path)))

    assert before["sex codes from the contract"].kwargs["value_set"] == ["1", "2", "9"]
    assert after["sex codes from the contract"].kwargs["value_set"] == ["1", "2"]


def test_a_row_breaking_the_changed_contract_fails_its_delivery(
    quality: dict[str, Path], tmp_path: Path
) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(CONTRACTS_DIR, contracts)
    path = contracts / "trust" / "ae_attendances.yml"
    path.write_text(path.read_text().replace("values: ['1', '2', '9']", "values: ['1', '2']"))
    write_deliveries(quality["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 40, sex="9")])

    result = run_checkpoint(
        AE, "run-1", contracts_dir=contracts, dbt_manifest=quality["dbt_manifest"]
    )

    (failure,) = result.batches[0].failed_blocking
    assert failure.name == "sex codes from the contract"
    assert failure.unexpected_count == 40
    assert failure.examples[0] == {"_row_number": 1, "sex": "9"}


def test_dates_are_judged_against_the_delivery_period(quality: dict[str, Path]) -> None:
    day = date(2025, 1, 6)
    late = datetime(2025, 1, 7, 9, 30)  # the next day: after the file's period
    delivery = ae_delivery("d1", day, 30)
    delivery.rows[4]["arrival_at"] = late
    delivery.rows[4]["departure_at"] = late
    write_deliveries(quality["warehouse"], [delivery])

    result = run_checkpoint(AE, "run-1", dbt_manifest=quality["dbt_manifest"])

    failures = {e.name: e for e in result.batches[0].failed_blocking}
    assert set(failures) == {"arrival_at within the delivery period"}
    assert failures["arrival_at within the delivery period"].examples == [
        {"_row_number": 5, "arrival_at": "2025-01-07T09:30:00"}
    ]
    assert result.batches[0].parameters["arrival_at_latest"].startswith("2025-01-06T23:59:59")
    assert result.batches[0].parameters["departure_at_latest"].startswith("2025-01-08T23:59:59")
