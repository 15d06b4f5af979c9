"""The same options give byte-identical files; a different seed gives different ones."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from footprint.synth.generator import GeneratorOptions, generate
from tests.synth.conftest import RUN


def _digests(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "truth.json"
    }


def _truth_without_run(out: Path) -> dict:
    truth = json.loads((out / "_generator" / "truth.json").read_text())
    truth.pop("run")
    return truth


def test_a_second_run_with_the_same_options_is_byte_identical(clean: Path, tmp_path: Path):
    again = tmp_path / "again"
    generate(GeneratorOptions(out=again, quiet=True, **RUN))
    first, second = _digests(clean), _digests(again)
    assert first == second
    assert any(name.endswith(".xlsx") for name in first)
    assert any(name.endswith(".parquet") for name in first)
    assert _truth_without_run(clean) == _truth_without_run(again)


def test_another_seed_gives_other_people_and_events(clean: Path, tmp_path: Path):
    other = tmp_path / "other"
    generate(
        GeneratorOptions(out=other, quiet=True, **{**RUN, "seed": RUN["seed"] + 1, "months": 1})
    )
    name = "trust/ae_attendances/ae_attendances_2025-03-01.csv"
    assert (other / name).read_bytes() != (clean / name).read_bytes()
