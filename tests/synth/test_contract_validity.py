"""Every row of a fault-free run obeys every rule of its contract."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.synth.contract_rules import delivered_files, read_delivery, row_failures


def test_every_row_of_every_clean_file_is_valid(clean: Path):
    checked = Counter()
    broken = {}
    for path, contract in delivered_files(clean):
        parsed = read_delivery(path, contract)
        assert parsed.rejection is None and not parsed.warnings, path
        for number, failures in enumerate(row_failures(parsed), start=1):
            if failures:
                broken[(path.name, number)] = failures
        checked[contract.name] += len(parsed.rows)
    assert broken == {}
    assert all(checked[name] > 0 for name in checked)
    assert len(checked) == 9
