"""The gate in Dagster, end to end on a small graph: the real quality checks and the real
publication asset, with stand-ins for ingestion and dbt (the tests write their rows).

A blocking failure fails the run, leaves the published file and its manifest as they
were and writes a report that names the failing check; a warning is published with
the build and shown in its report. (No `from __future__ import annotations`: Dagster
reads the `context` annotation as a class.)"""

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import pytest

from footprint.quality.dbt_tests import DbtTest, save_dbt_tests
from footprint.quality.results import PASSED, run_dir
from footprint.quality.specs import EXPECTATIONS_DIR
from orchestration.publication import publication_asset
from orchestration.quality_checks import quality_asset_checks
from tests.quality.builders import (
    AE,
    ae_delivery,
    indicator_values,
    write_dbt_manifest,
    write_deliveries,
    write_mart,
)

MART = "sdf_indicator_values"


@pytest.fixture
def gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A delivery checkpoint and a mart checkpoint, with the committed suites."""
    warehouse = tmp_path / "warehouse" / "footprint.duckdb"
    monkeypatch.setenv("FOOTPRINT_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("FOOTPRINT_PUBLISHED", str(tmp_path / "published"))
    expectations = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR / "suites", expectations / "suites")
    (expectations / "checkpoints").mkdir()
    for name in (AE, MART):
        shutil.copy(EXPECTATIONS_DIR / "checkpoints" / f"{name}.yml", expectations / "checkpoints")
    manifest = write_dbt_manifest(
        tmp_path / "target" / "manifest.json",
        {MART: ("sdf", ["published"]), "int_reporting_months": ("intermediate", [])},
    )
    return {
        "warehouse": warehouse,
        "published": tmp_path / "published",
        "expectations": expectations,
        "dbt_manifest": manifest,
    }


def nightly(gate: dict[str, Path]) -> dg.ExecuteInProcessResult:
    @dg.asset(key=dg.AssetKey(["raw", AE]))
    def raw_feed() -> None:
        """Stands in for ingestion: the test wrote the rows already."""

    @dg.asset(key=dg.AssetKey(["sdf", MART]), deps=[raw_feed])
    def mart(context: dg.AssetExecutionContext) -> None:
        """Stands in for dbt build: the test wrote the mart; one dbt test passes."""
        test = DbtTest(f"sdf/{MART}", "not_null_indicator_id", PASSED, True, 0)
        save_dbt_tests(context.run.run_id, [test], datetime.now(UTC).isoformat())

    return dg.materialize(
        [
            raw_feed,
            mart,
            publication_asset(gate["expectations"], gate["dbt_manifest"]),
            *quality_asset_checks(gate["expectations"], gate["dbt_manifest"]),
        ],
        raise_on_error=False,
        instance=dg.DagsterInstance.ephemeral(),
    )


def published_bytes(gate: dict[str, Path]) -> tuple[bytes, bytes]:
    folder = gate["published"]
    return (folder / "footprint.duckdb").read_bytes(), (folder / "manifest.json").read_bytes()


def _published(result: dg.ExecuteInProcessResult) -> bool:
    keys = {m.asset_key for m in result.get_asset_materialization_events()}
    return dg.AssetKey(["published", "footprint"]) in keys


def test_planted_blocking_fault_fails_the_run_and_keeps_the_published_version(
    gate: dict[str, Path],
) -> None:
    write_deliveries(gate["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 30)])
    write_mart(gate["warehouse"], indicator_values())
    first = nightly(gate)
    assert first.success and _published(first)
    before = published_bytes(gate)

    planted = indicator_values()
    planted.loc[5, "numerator"] = 4  # a count that disclosure control must suppress
    write_mart(gate["warehouse"], planted)
    result = nightly(gate)

    assert not result.success
    assert not _published(result)
    assert published_bytes(gate) == before
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert f"sdf/{MART}: expectations_{MART}" in failure.step_failure_data.error.message
    report = (run_dir(result.run_id, gate["warehouse"]) / "quality_report.html").read_text()
    assert "Publication blocked" in report
    assert f'href="#{MART}">{MART}</a>: <strong>no numerator between 1 and 7</strong>' in report


def test_a_warning_is_published_and_shown(gate: dict[str, Path]) -> None:
    write_deliveries(gate["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 30, age=100)])
    write_mart(gate["warehouse"], indicator_values())

    result = nightly(gate)

    assert result.success and _published(result)
    (warning,) = [
        e for e in result.get_asset_check_evaluations() if e.asset_key == dg.AssetKey(["raw", AE])
    ]
    assert not warning.passed and warning.severity == dg.AssetCheckSeverity.WARN
    manifest = json.loads((gate["published"] / "manifest.json").read_text())
    rows = {(r["checkpoint"], r["expectation"]): r for r in manifest["checks"]}
    assert rows[(AE, "mean age")]["status"] == "failed"
    assert rows[(AE, "mean age")]["severity"] == "warning"
    assert rows[("dbt_tests", "not_null_indicator_id")]["status"] == "passed"
    report = (gate["published"] / "current" / manifest["quality_report"]).read_text()
    assert "All blocking checks passed, with 1 warning" in report
    assert "<strong>mean age</strong>" in report


def test_publishing_without_the_checks_in_the_same_run_is_refused(gate: dict[str, Path]) -> None:
    write_deliveries(gate["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 30)])
    write_mart(gate["warehouse"], indicator_values())

    result = dg.materialize(
        [publication_asset(gate["expectations"], gate["dbt_manifest"])],
        raise_on_error=False,
        instance=dg.DagsterInstance.ephemeral(),
    )

    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    message = failure.step_failure_data.user_failure_data.description
    assert f"{MART} has no result in this run" in message
    assert "dbt_tests has no result in this run" in message
    assert not (gate["published"] / "footprint.duckdb").exists()
