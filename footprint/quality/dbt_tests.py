"""dbt's tests in the quality report: `dbt build` runs them (Dagster shows each as an
asset check); their outcomes are saved for the run like a checkpoint's, so the report
lists every check of the build in one place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from footprint.quality.results import (
    DBT_TESTS,
    FAILED,
    PASSED,
    BatchResult,
    CheckpointResult,
    ExpectationResult,
    save,
)


@dataclass(frozen=True)
class DbtTest:
    asset: str  # the model or source it tests, as a Dagster asset key (schema/name)
    name: str  # the test's name in dbt
    passed: bool
    blocking: bool  # dbt severity error (warn: a warning)
    failing_rows: int | None


def _expectation(test: DbtTest) -> ExpectationResult:
    return ExpectationResult(
        name=test.name,
        description=f"dbt test on {test.asset}.",
        type="dbt_test",
        severity="blocking" if test.blocking else "warning",
        source="dbt",
        status=PASSED if test.passed else FAILED,
        unexpected_count=test.failing_rows,
        observed_value=None
        if test.passed or test.failing_rows is None
        else f"{test.failing_rows:,} failing row(s); see them with "
        f"`dbt test --select {test.name} --store-failures`",
    )


def save_dbt_tests(
    run_id: str, tests: Iterable[DbtTest], started_at: str, warehouse: Path | None = None
) -> CheckpointResult:
    """Save the tests dbt ran in this run as <run folder>/dbt_tests.json."""
    tests = sorted(tests, key=lambda t: (t.asset, t.name))
    result = CheckpointResult(
        checkpoint=DBT_TESTS,
        description="dbt's data tests, run by `dbt build` (in models/**/*.yml and tests/dbt/).",
        suite="",
        kind="dbt",
        target="dbt build",
        asset_key=[],
        has_blocking=True,
        run_id=run_id,
        started_at=started_at,
        finished_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        batches=[
            BatchResult(
                batch_id="dbt build",
                label="dbt build",
                rows=len(tests),
                run_id=run_id,
                validated_at=started_at,
                expectations=[_expectation(t) for t in tests],
            )
        ],
    )
    save(result, warehouse)
    return result
