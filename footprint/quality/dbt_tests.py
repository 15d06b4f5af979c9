"""dbt's tests in the quality report: `dbt build` runs them; their outcomes are read
from the build's own run_results.json and saved for the run like a checkpoint's, so the
report lists every test of the build in one place: the tests of models and seeds, the
tests of sources (the raw tables) and the singular tests in tests/dbt/, whether or not
Dagster shows them as asset checks."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from footprint.quality.results import (
    DBT_TESTS,
    FAILED,
    PASSED,
    SKIPPED,
    BatchResult,
    CheckpointResult,
    ExpectationResult,
    save,
)

# dbt's result status of a test, in the report's words
_STATUS = {"pass": PASSED, "fail": FAILED, "warn": FAILED, "error": FAILED, "skipped": SKIPPED}


@dataclass(frozen=True)
class DbtTest:
    asset: str  # what it tests, as Dagster asset keys (schema/name), comma-separated
    name: str  # the test's name in dbt
    status: str  # passed | failed | skipped
    blocking: bool  # dbt severity error (warn: a warning)
    failing_rows: int | None
    path: str = ""  # the file that defines it, e.g. tests/dbt/statistics/test_wilson.sql
    message: str | None = None  # dbt's words when it failed or could not run


def _asset(node: dict[str, Any], manifest: dict[str, Any]) -> str:
    """schema/name of the model, seed or source a test checks (several for a singular
    test that reads several)."""
    tested = [node["attached_node"]] if node.get("attached_node") else node["depends_on"]["nodes"]
    keys = []
    for unique_id in tested:
        parent = manifest["sources"].get(unique_id) or manifest["nodes"].get(unique_id)
        if parent is not None:
            keys.append(f"{parent['schema']}/{parent['name']}")
    return ", ".join(keys)


def dbt_tests_of_build(target_dir: Path) -> list[DbtTest]:
    """Every test a dbt build ran, from the run_results.json and manifest.json it wrote
    into target_dir; none when dbt stopped before writing them."""
    run_results, manifest_path = target_dir / "run_results.json", target_dir / "manifest.json"
    if not run_results.exists() or not manifest_path.exists():
        return []
    manifest = json.loads(manifest_path.read_text())
    tests = []
    for result in json.loads(run_results.read_text())["results"]:
        node = manifest["nodes"].get(result["unique_id"])
        if node is None or node["resource_type"] != "test":
            continue
        status = _STATUS.get(result["status"], FAILED)
        message = result.get("message") or (
            "not run: a model, seed or source it depends on failed" if status == SKIPPED else None
        )
        tests.append(
            DbtTest(
                asset=_asset(node, manifest),
                name=node["name"],
                status=status,
                blocking=node["config"]["severity"].lower() == "error"
                and result["status"] != "warn",
                failing_rows=result.get("failures"),
                path=node["original_file_path"],
                message=None if status == PASSED else message,
            )
        )
    return tests


def _expectation(test: DbtTest) -> ExpectationResult:
    failed_rows = test.status == FAILED and bool(test.failing_rows)
    return ExpectationResult(
        name=test.name,
        description=f"dbt test on {test.asset or 'the build'} ({test.path}).",
        type="dbt_test",
        severity="blocking" if test.blocking else "warning",
        source="dbt",
        status=test.status,
        unexpected_count=test.failing_rows,
        observed_value=f"{test.failing_rows:,} failing row(s); see them with "
        f"`dbt test --select {test.name} --store-failures`"
        if failed_rows
        else None,
        message=None if failed_rows or test.status == PASSED else test.message,
    )


def save_dbt_tests(
    run_id: str, tests: Iterable[DbtTest], started_at: str, warehouse: Path | None = None
) -> CheckpointResult:
    """Save the tests dbt ran in this run as <run folder>/dbt_tests.json."""
    tests = sorted(tests, key=lambda t: (t.asset, t.name))
    result = CheckpointResult(
        checkpoint=DBT_TESTS,
        description="dbt's data tests, run by `dbt build`: the tests of models, seeds and "
        "sources (models/**/*.yml) and the singular tests (tests/dbt/).",
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
