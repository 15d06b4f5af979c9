"""Every check of a build reaches the quality report and the audit record: the dbt tests
of sources and the singular tests in tests/dbt/ (which Dagster does not show as asset
checks), as well as the tests of models, and each feed's freshness."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from footprint.ingest.freshness import Freshness
from footprint.lineage.audit import audit_record
from footprint.lineage.build import current_version
from footprint.publish.publisher import publish
from footprint.quality.build_results import run_quality
from footprint.quality.dbt_tests import dbt_tests_of_build, save_dbt_tests
from footprint.quality.freshness import save_freshness
from footprint.quality.results import FAILED, PASSED, SKIPPED
from tests.reliability.builds import make_build

SOURCE = "source.footprint.raw_trust.trust__ae_attendances"
MODEL = "model.footprint.sdf_indicator_values"
SOURCE_TEST = "source_not_null_raw_trust_trust__ae_attendances_nhs_number_pseudonym"
SINGULAR_TEST = "test_wilson"
MODEL_TEST = "not_null_sdf_indicator_values_indicator_id"


def _test_node(name: str, path: str, attached: str | None, depends: list[str], severity: str):
    return {
        "resource_type": "test",
        "name": name,
        "original_file_path": path,
        "attached_node": attached,
        "depends_on": {"nodes": depends},
        "config": {"severity": severity},
    }


def write_build_target(target: Path) -> Path:
    """What `dbt build` leaves in its target folder: three tests, one of each kind."""
    target.mkdir(parents=True)
    nodes = {
        MODEL: {"resource_type": "model", "schema": "sdf", "name": "sdf_indicator_values"},
        f"test.footprint.{SOURCE_TEST}.1a": _test_node(
            SOURCE_TEST, "models/staging/trust/_trust__sources.yml", None, [SOURCE], "ERROR"
        ),
        f"test.footprint.{SINGULAR_TEST}": _test_node(
            SINGULAR_TEST, "tests/dbt/statistics/test_wilson.sql", None, [MODEL], "ERROR"
        ),
        f"test.footprint.{MODEL_TEST}.2b": _test_node(
            MODEL_TEST, "models/marts/sdf/_sdf__models.yml", MODEL, [MODEL], "warn"
        ),
    }
    sources = {SOURCE: {"schema": "raw", "name": "trust__ae_attendances"}}
    (target / "manifest.json").write_text(json.dumps({"nodes": nodes, "sources": sources}))
    results = [
        {"unique_id": f"test.footprint.{SOURCE_TEST}.1a", "status": "pass", "failures": 0},
        {"unique_id": f"test.footprint.{SINGULAR_TEST}", "status": "fail", "failures": 2},
        {"unique_id": f"test.footprint.{MODEL_TEST}.2b", "status": "skipped", "failures": None},
        {"unique_id": MODEL, "status": "success", "failures": None},
    ]
    (target / "run_results.json").write_text(
        json.dumps(
            {
                "metadata": {"invocation_id": "i-1", "generated_at": "2025-03-05T02:10:00Z"},
                "args": {"which": "build"},
                "results": results,
            }
        )
    )
    return target


def test_every_dbt_test_is_read_from_the_build_with_what_it_tests(tmp_path):
    tests = {t.name: t for t in dbt_tests_of_build(write_build_target(tmp_path / "target"))}
    assert set(tests) == {SOURCE_TEST, SINGULAR_TEST, MODEL_TEST}  # not the model
    assert tests[SOURCE_TEST].asset == "raw/trust__ae_attendances"
    assert (tests[SOURCE_TEST].status, tests[SOURCE_TEST].blocking) == (PASSED, True)
    assert tests[SINGULAR_TEST].asset == "sdf/sdf_indicator_values"
    assert tests[SINGULAR_TEST].path == "tests/dbt/statistics/test_wilson.sql"
    assert (tests[SINGULAR_TEST].status, tests[SINGULAR_TEST].failing_rows) == (FAILED, 2)
    assert (tests[MODEL_TEST].status, tests[MODEL_TEST].blocking) == (SKIPPED, False)


def test_no_artifacts_means_no_tests_rather_than_an_error(tmp_path):
    assert dbt_tests_of_build(tmp_path) == []


def test_source_and_singular_tests_and_freshness_reach_the_report_and_the_audit_record(
    tmp_path, monkeypatch
):
    warehouse, dbt_manifest = make_build(tmp_path / "build", value=10)
    monkeypatch.setenv("FOOTPRINT_WAREHOUSE", str(warehouse))
    target = write_build_target(tmp_path / "target")
    run_id = "run-every-check"
    save_dbt_tests(run_id, dbt_tests_of_build(target), "2025-03-05T02:00:00+00:00")
    late = Freshness(
        "trust__ae_attendances", date(2025, 3, 1), 2, "A&E attendances: late by 2 days"
    )
    on_time = Freshness("ccg__practice_map", date(2025, 3, 1), None, "Practice map: on time")
    save_freshness(run_id, [late, on_time], "2025-03-05")
    no_checkpoints = tmp_path / "expectations"
    (no_checkpoints / "checkpoints").mkdir(parents=True)

    gate = run_quality(run_id, expectations_dir=no_checkpoints, dbt_manifest=dbt_manifest)

    report = gate.report.read_text()
    for name in (SOURCE_TEST, SINGULAR_TEST, "trust__ae_attendances delivered on time"):
        assert name in report
    assert "A&amp;E attendances: late by 2 days" in report
    # the singular test failed and is blocking; freshness is a warning and never blocks
    assert gate.problems == [f"dbt_tests on dbt build: blocking check(s) failed: {SINGULAR_TEST}"]

    published = tmp_path / "published"
    publish(warehouse, published, dbt_manifest, gate.manifest_rows, gate.report)
    record = audit_record(current_version(published), {"columns": []}, target)
    checks = {(c["checkpoint"], c["expectation"]): c for c in record["quality_checks"]}
    assert checks["dbt_tests", SOURCE_TEST]["status"] == "passed"
    assert checks["dbt_tests", SINGULAR_TEST]["status"] == "failed"
    assert checks["freshness", "trust__ae_attendances delivered on time"]["status"] == "failed"
    assert checks["freshness", "ccg__practice_map delivered on time"]["severity"] == "warning"
