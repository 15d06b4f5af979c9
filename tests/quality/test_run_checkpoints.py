"""Several checkpoints run side by side in worker processes give each the result it
gets when run alone, in the order asked for."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from footprint.quality.results import CheckpointResult
from footprint.quality.runner import run_checkpoint, run_checkpoints
from tests.quality.builders import AE, ae_delivery, indicator_values, write_deliveries, write_mart

MART = "sdf_indicator_values"


def _outcomes(result: CheckpointResult) -> list[tuple]:
    return [
        (batch.batch_id, e.name, e.status, e.unexpected_count, e.observed_value)
        for batch in result.batches
        for e in batch.expectations
    ]


def test_side_by_side_results_equal_those_run_alone(quality: dict[str, Path]) -> None:
    warehouse = quality["warehouse"]
    write_deliveries(
        warehouse,
        [
            ae_delivery("d1", date(2025, 1, 6), 30),
            ae_delivery("d2", date(2025, 1, 7), 30, sex="X"),  # fails a blocking check
        ],
    )
    mart = indicator_values()
    mart.loc[17, "numerator"] = 4  # a published count of 4 blocks
    write_mart(warehouse, mart)
    alone = quality["root"] / "alone" / "footprint.duckdb"
    shutil.copytree(warehouse.parent, alone.parent)
    options = {"dbt_manifest": quality["dbt_manifest"], "published": quality["published"]}

    side_by_side = run_checkpoints([MART, AE], "run-1", workers=2, **options)
    one_by_one = [run_checkpoint(n, "run-1", warehouse=alone, **options) for n in (MART, AE)]

    assert [r.checkpoint for r in side_by_side] == [MART, AE]
    assert [r.blocking_failed for r in side_by_side] == [True, True]
    for together, apart in zip(side_by_side, one_by_one, strict=True):
        assert together.error is None
        assert _outcomes(together) == _outcomes(apart)
    assert {b.batch_id for b in side_by_side[1].batches} == {"d1", "d2"}
