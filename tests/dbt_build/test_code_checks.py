"""The nightly job builds with the `nightly` selector, which leaves out the checks that
depend on the code alone (unit tests, data tests of the seeds). CI runs those here, and
checks that the two selectors together cover every node of the project exactly once."""

from __future__ import annotations

import json

import pytest

from footprint.paths import PROJECT_ROOT
from footprint.synth.cli import main as generate
from tests.dbt_build.warehouse import BIN, Workspace

RESOURCE_TYPES = ("model", "seed", "test", "unit_test", "snapshot")


def _nodes(workspace: Workspace, *selection: str) -> set[str]:
    types = [argument for t in RESOURCE_TYPES for argument in ("--resource-type", t)]
    output = workspace.run(
        str(BIN / "dbt"), "ls", "--quiet", "--output", "json", "--output-keys", "unique_id",
        "--target-path", str(workspace.root / "target"), *types, *selection,
    )  # fmt: skip
    return {json.loads(line)["unique_id"] for line in output.splitlines() if line.strip()}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("code_checks")
    built = Workspace(root=root, landing=root / "landing")
    arguments = ["--scale", "0.02", "--months", "2", "--out", str(built.landing), "--quiet"]
    assert generate(arguments) == 0
    built.ingest()
    built.dbt_build()  # models and seeds: what the unit tests read the columns of
    return built


def test_the_selectors_cover_every_node_once(workspace: Workspace) -> None:
    every = _nodes(workspace)
    nightly = _nodes(workspace, "--selector", "nightly")
    code_checks = _nodes(workspace, "--selector", "code_checks")
    assert not nightly & code_checks
    assert nightly | code_checks == every
    assert any(n.startswith("unit_test.") for n in code_checks)
    assert any(n.startswith("test.") for n in code_checks)
    assert not any(n.startswith("unit_test.") for n in nightly)


def test_the_code_checks_pass(workspace: Workspace) -> None:
    target = workspace.root / "target"
    workspace.run(
        str(BIN / "dbt"), "test", "--selector", "code_checks",
        "--profiles-dir", str(PROJECT_ROOT),
        "--target-path", str(target),
    )  # fmt: skip
    results = json.loads((target / "run_results.json").read_text())["results"]
    kinds = {r["unique_id"].split(".")[0] for r in results}
    assert kinds == {"unit_test", "test"}
    assert all(r["status"] == "pass" for r in results), [
        r["unique_id"] for r in results if r["status"] != "pass"
    ]
