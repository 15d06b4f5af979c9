"""One synthetic run without faults, ingested and built with `dbt build` in a throwaway
folder (the helpers of tests/dbt_build: the same commands the nightly job runs)."""

from __future__ import annotations

from pathlib import Path

from footprint.synth.cli import main as generate
from tests.dbt_build.warehouse import Workspace


def build_clean_run(root: Path, scale: float, months: int = 24) -> Workspace:
    """Generate `months` months at `scale` (default seed, default start month), ingest
    and build the warehouse; the generator's truth is in <landing>/_generator/."""
    workspace = Workspace(root=root, landing=root / "landing")
    status = generate(
        ["--scale", str(scale), "--months", str(months), "--out", str(workspace.landing), "--quiet"]
    )
    assert status == 0
    workspace.ingest()
    workspace.dbt_build()
    return workspace
