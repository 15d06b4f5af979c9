"""The Dagster factory: one asset check per checkpoint file, on the right asset, and a
blocking failure stops what is downstream in the same run while a warning does not."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import dagster as dg

from footprint.paths import PROJECT_ROOT
from footprint.quality.specs import EXPECTATIONS_DIR, load_checkpoints
from orchestration.quality_checks import check_name, quality_asset_checks
from tests.quality.builders import (
    AE,
    MART_MODELS,
    ae_delivery,
    write_dbt_manifest,
    write_deliveries,
)


def _keys(checks: list[dg.AssetChecksDefinition]) -> dict[str, tuple[dg.AssetKey, bool]]:
    return {
        spec.name: (spec.asset_key, spec.blocking) for check in checks for spec in check.check_specs
    }


def test_one_check_per_checkpoint_file_on_the_asset_it_validates(
    quality: dict[str, Path],
) -> None:
    checks = quality_asset_checks(dbt_manifest=quality["dbt_manifest"])

    found = _keys(checks)
    checkpoints = load_checkpoints()
    assert (
        len(found)
        == len(checkpoints)
        == len(list((EXPECTATIONS_DIR / "checkpoints").glob("*.yml")))
    )
    assert sorted(check.node_def.name for check in checks) == [
        "delivery_expectations",
        "mart_expectations",
    ]
    for checkpoint in checkpoints:
        key, blocking = found[check_name(checkpoint)]
        if checkpoint.kind == "delivery":
            assert key == dg.AssetKey(["raw", checkpoint.target])
        else:
            assert key == dg.AssetKey([MART_MODELS[checkpoint.target][0], checkpoint.target])
        assert blocking == checkpoint.blocking
    assert found[f"expectations_{AE}"][0] == dg.AssetKey(["raw", AE])
    assert found["expectations_sdf_profiles"][0] == dg.AssetKey(["sdf", "sdf_profiles"])


def test_a_mart_missing_from_dbt_is_left_out(quality: dict[str, Path]) -> None:
    models = {k: v for k, v in MART_MODELS.items() if k != "sdf_profiles"}
    manifest = write_dbt_manifest(quality["root"] / "other" / "manifest.json", models)

    names = set(_keys(quality_asset_checks(dbt_manifest=manifest)))

    assert "expectations_sdf_profiles" not in names
    assert "expectations_sdf_indicator_values" in names


def test_loading_the_checks_does_not_import_great_expectations() -> None:
    code = (
        "import sys; import orchestration.quality_checks as q; "
        "assert 'great_expectations' not in sys.modules, 'imported at load'; print('ok')"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"


def _materialize(quality: dict[str, Path]) -> dg.ExecuteInProcessResult:
    """raw/trust__ae_attendances (already loaded) -> downstream, with the A&E checkpoint."""
    expectations = quality["root"] / "expectations"
    shutil.copytree(EXPECTATIONS_DIR / "suites", expectations / "suites")
    (expectations / "checkpoints").mkdir()
    shutil.copy(EXPECTATIONS_DIR / "checkpoints" / f"{AE}.yml", expectations / "checkpoints")

    @dg.asset(key=dg.AssetKey(["raw", AE]))
    def raw_feed() -> None:
        """Stands in for ingestion: the test wrote the rows already."""

    @dg.asset(deps=[raw_feed])
    def downstream() -> None:
        """Stands in for dbt and publication."""

    checks = quality_asset_checks(expectations, quality["dbt_manifest"])
    return dg.materialize(
        [raw_feed, downstream, *checks],
        raise_on_error=False,
        instance=dg.DagsterInstance.ephemeral(),
    )


def _evaluation(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    (evaluation,) = result.get_asset_check_evaluations()
    return evaluation


def _downstream_ran(result: dg.ExecuteInProcessResult) -> bool:
    keys = {m.asset_key for m in result.get_asset_materialization_events()}
    return dg.AssetKey("downstream") in keys


def test_blocking_failure_stops_downstream(quality: dict[str, Path]) -> None:
    write_deliveries(quality["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 30, sex="X")])

    result = _materialize(quality)

    evaluation = _evaluation(result)
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert "sex codes from the contract" in evaluation.metadata["failing expectations"].value
    assert not _downstream_ran(result)


def test_warning_failure_does_not_block(quality: dict[str, Path]) -> None:
    write_deliveries(quality["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 30, age=100)])

    result = _materialize(quality)

    evaluation = _evaluation(result)
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.WARN
    assert "mean age" in evaluation.metadata["failing expectations"].value
    assert _downstream_ran(result)
