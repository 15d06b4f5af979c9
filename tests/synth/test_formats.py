"""Files are where, named and shaped as the contracts and the organisations' formats say."""

from __future__ import annotations

import io
import json
from datetime import datetime, time, timedelta
from pathlib import Path

from openpyxl import load_workbook

from footprint.contracts import all_contracts
from footprint.synth.timeline import Timeline, parse_month
from tests.synth.conftest import RUN
from tests.synth.contract_rules import delivered_files, period_end


def test_every_period_of_every_feed_is_delivered_once_under_its_name(clean: Path):
    timeline = Timeline(parse_month(RUN["start_month"]), RUN["months"])
    for contract in all_contracts():
        folder = clean / contract.organisation / contract.feed
        names = sorted(p.name for p in folder.iterdir())
        assert all(contract.pattern.fullmatch(n) for n in names), contract.name
        expected = len(timeline.periods(contract.period))
        if contract.kind == "jsonl":  # a day without incidents is not delivered
            assert 0.9 * expected <= len(names) <= expected
        else:
            assert len(names) == expected, contract.name


def test_only_feed_folders_and_generator_metadata_are_written(clean: Path):
    top = {p.name for p in clean.iterdir()}
    organisations = {c.organisation for c in all_contracts()}
    assert top == organisations | {"_generator"}
    assert {p.name for p in (clean / "_generator").iterdir()} == {
        "faults.csv",
        "truth.json",
        "population.parquet",
    }


def test_csv_files_are_plain_utf8_with_unix_newlines_and_no_quoting(clean: Path):
    for path, contract in delivered_files(clean):
        if contract.kind != "csv":
            continue
        content = path.read_bytes()
        assert not content.startswith(b"\xef\xbb\xbf"), path
        assert b"\r" not in content and b'"' not in content, path
        text = content.decode("utf-8")
        assert text.endswith("\n"), path
        lines = text[:-1].split("\n")
        delimiter = contract.format["delimiter"]
        assert lines[0].split(delimiter) == contract.column_names, path
        assert {line.count(delimiter) for line in lines} == {len(contract.column_names) - 1}


def test_json_lines_are_compact_objects_with_exactly_the_contract_keys_in_order(clean: Path):
    for path, contract in delivered_files(clean):
        if contract.kind != "jsonl":
            continue
        for line in path.read_text().splitlines():
            record = json.loads(line)
            assert list(record) == contract.column_names
            assert json.dumps(record, separators=(",", ":")) == line
            assert all(v is None or isinstance(v, str) for v in record.values())


def test_workbooks_have_the_contract_sheet_header_and_only_text_cells(clean: Path):
    workbooks = [(p, c) for p, c in delivered_files(clean) if c.kind == "xlsx"]
    assert workbooks
    for path, contract in workbooks:
        book = load_workbook(io.BytesIO(path.read_bytes()))
        assert book.sheetnames == [contract.format["sheet"]]
        sheet = book[contract.format["sheet"]]
        rows = list(sheet.iter_rows())
        assert [c.value for c in rows[0]] == contract.column_names
        assert all(c.data_type == "s" for row in rows for c in row if c.value is not None)
        # fixed document date (the morning after the quarter), never the time of the run
        label = contract.pattern.fullmatch(path.name).group("period")
        expected = datetime.combine(period_end(contract, label) + timedelta(days=1), time(7))
        assert book.properties.created == expected
