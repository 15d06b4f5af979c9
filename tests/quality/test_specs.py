"""Suite and checkpoint files: the committed ones load, and broken ones say what is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from footprint.contracts import all_contracts
from footprint.quality.specs import (
    EXPECTATIONS_DIR,
    ExpectationsFileError,
    load_checkpoints,
    load_suite,
)


def copy_expectations(root: Path) -> Path:
    target = root / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, target, ignore=shutil.ignore_patterns("uncommitted"))
    return target


def test_committed_checkpoints_load_with_their_suites() -> None:
    checkpoints = load_checkpoints()
    assert checkpoints, "expectations/checkpoints/ holds no checkpoint"
    for checkpoint in checkpoints:
        assert checkpoint.suite.expectations or checkpoint.suite.from_contract
        assert checkpoint.description


def test_every_feed_has_a_delivery_checkpoint() -> None:
    delivery_targets = {c.target for c in load_checkpoints() if c.kind == "delivery"}
    assert delivery_targets == {c.name for c in all_contracts()}


def test_every_expectation_has_a_severity_and_plain_description() -> None:
    for checkpoint in load_checkpoints():
        for expectation in checkpoint.suite.expectations:
            assert expectation.severity in ("blocking", "warning")
            assert expectation.description.endswith((".", ")"))


def test_included_suite_comes_first() -> None:
    shared = load_suite("published_indicators")
    values = load_suite("sdf_indicator_values")
    assert [e.name for e in values.expectations[: len(shared.expectations)]] == [
        e.name for e in shared.expectations
    ]


def test_missing_severity_names_the_file_and_expectation(tmp_path: Path) -> None:
    expectations = copy_expectations(tmp_path)
    suite = expectations / "suites" / "trust__ae_attendances.yml"
    suite.write_text(suite.read_text().replace("severity: warning", "severity: someday", 1))
    with pytest.raises(ExpectationsFileError, match=r"trust__ae_attendances\.yml.*someday"):
        load_checkpoints(expectations)


def test_parameter_the_checkpoint_does_not_provide_is_refused(tmp_path: Path) -> None:
    expectations = copy_expectations(tmp_path)
    checkpoint = expectations / "checkpoints" / "trust__ae_attendances.yml"
    checkpoint.write_text(checkpoint.read_text().replace("usual_volume:", "other_volume:"))
    with pytest.raises(ExpectationsFileError, match="usual_volume_max"):
        load_checkpoints(expectations)
