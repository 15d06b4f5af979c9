"""The lineage asset finds the target folder of its own run's `dbt build`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from orchestration.documents import build_target_dir

RUN_ID = "0123456789abcdef"


def _invocation(targets: Path, name: str, command: str, mtime: int) -> Path:
    folder = targets / name
    folder.mkdir(parents=True)
    results = folder / "run_results.json"
    results.write_text(json.dumps({"args": {"which": command}}))
    os.utime(results, (mtime, mtime))
    return folder


def test_the_newest_build_of_the_run_is_chosen(tmp_path: Path):
    _invocation(tmp_path, f"footprint_dbt_assets-{RUN_ID[:7]}-aaaaaaa", "build", 100)
    newest = _invocation(tmp_path, f"footprint_dbt_assets-{RUN_ID[:7]}-bbbbbbb", "build", 200)
    _invocation(tmp_path, f"footprint_dbt_assets-{RUN_ID[:7]}-ccccccc", "parse", 300)
    _invocation(tmp_path, "footprint_dbt_assets-fedcba9-ddddddd", "build", 400)
    assert build_target_dir(RUN_ID, tmp_path) == newest


def test_a_run_without_a_build_is_refused(tmp_path: Path):
    _invocation(tmp_path, "footprint_dbt_assets-fedcba9-ddddddd", "build", 400)
    with pytest.raises(FileNotFoundError, match="no `dbt build` of run"):
        build_target_dir(RUN_ID, tmp_path)
