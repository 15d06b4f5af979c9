"""Generator runs shared by the synth tests (session-scoped: each is made once).

The clean and faulty runs use the same options, so every file the fault manifest does
not name must be byte-identical between them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from footprint.synth.faults import FAULT_KINDS
from footprint.synth.generator import GeneratorOptions, RunSummary, generate

# 12 months from March 2025: four complete quarters (the first made whole by the
# burn-in) and the practice that changes SDF on 2025-10-01
RUN = {"scale": 0.05, "months": 12, "start_month": "2025-03", "seed": 7}


def _run(root: Path, **changes: object) -> tuple[Path, RunSummary]:
    out = root / "landing"
    summary = generate(GeneratorOptions(out=out, quiet=True, **{**RUN, **changes}))
    return out, summary


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    return _run(tmp_path_factory.mktemp("clean"))


@pytest.fixture(scope="session")
def clean(clean_run: tuple[Path, RunSummary]) -> Path:
    return clean_run[0]


@pytest.fixture(scope="session")
def faulty_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    return _run(tmp_path_factory.mktemp("faulty"), faults=FAULT_KINDS)


@pytest.fixture(scope="session")
def faulty(faulty_run: tuple[Path, RunSummary]) -> Path:
    return faulty_run[0]
