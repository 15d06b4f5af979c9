"""The fault manifest matches the files: each listed fault is really there, and nothing
else differs from the same run without faults."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from footprint.contracts import Contract
from footprint.synth.faults import FILE_FAULTS, ROW_FAULTS, ROWS_PER_KIND, parse_faults
from tests.synth.contract_rules import (
    contract_for_path,
    delivered_files,
    read_delivery,
    row_failures,
)

# the rule a row fault must break, as contract_rules names it (prefix before ':')
ROW_RULES = {
    "malformed_row": {"type", "invalid_json"},
    "wrong_column_count": {"wrong_column_count"},
    "invalid_nhs_number": {"nhs_number"},
    "malformed_nhs_number": {"nhs_number"},
    "inexact_value": {"type"},
    "unknown_lsoa": {"unknown_code:lsoa_code"},
    "unknown_practice": {"unknown_code:practice_code"},
    "future_date": {"after_period"},
    "end_before_start": {"end_before_start"},
    "duplicate_row": {"duplicate_row"},
}


@pytest.fixture(scope="module")
def manifest(faulty: Path) -> list[dict[str, str]]:
    with (faulty / "_generator" / "faults.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def _rule_matches(kind: str, failures: list[str]) -> bool:
    if len(failures) != 1:
        return False
    rule = failures[0]
    return any(rule == r or rule.split(":")[0] == r for r in ROW_RULES[kind])


def test_every_kind_is_injected_in_the_stated_amounts(manifest, faulty_run):
    counts = Counter(row["fault"] for row in manifest)
    assert set(counts) == set(ROW_FAULTS) | set(FILE_FAULTS)
    assert all(counts[k] == ROWS_PER_KIND for k in ROW_FAULTS)
    assert all(1 <= counts[k] <= 3 for k in FILE_FAULTS)
    assert faulty_run[1].skipped_faults == {}


def test_row_faults_are_spread_over_feeds_and_files(manifest):
    rows = [r for r in manifest if r["row"]]
    feeds = {r["file"].split("/")[1] for r in rows}
    assert len(feeds) == 9
    for kind in ROW_FAULTS:
        files = {r["file"] for r in rows if r["fault"] == kind}
        assert len(files) >= 10, kind


def test_each_listed_row_has_exactly_its_fault_and_every_other_row_is_valid(faulty, manifest):
    expected: dict[str, dict[int, str]] = {}
    for row in manifest:
        if row["row"]:
            expected.setdefault(row["file"], {})[int(row["row"])] = row["fault"]
    file_faulted = {r["file"] for r in manifest if not r["row"]}
    checked = 0
    for path, contract in delivered_files(faulty):
        relative = path.relative_to(faulty).as_posix()
        if relative in file_faulted or path.parent.name == "resent":
            continue
        parsed = read_delivery(path, contract)
        assert parsed.rejection is None and not parsed.warnings, relative
        faults = expected.get(relative, {})
        for number, failures in enumerate(row_failures(parsed), start=1):
            if number in faults:
                assert _rule_matches(faults[number], failures), (relative, number, failures)
                checked += 1
            else:
                assert failures == [], (relative, number, failures)
    assert checked == sum(len(v) for v in expected.values())


def test_files_with_a_file_fault_carry_no_row_fault(manifest):
    file_faulted = {r["file"] for r in manifest if not r["row"]}
    assert not file_faulted & {r["file"] for r in manifest if r["row"]}
    assert len(file_faulted) == len([r for r in manifest if not r["row"]])


def test_file_faults_are_what_the_manifest_says(faulty, clean, manifest):
    for row in (r for r in manifest if not r["row"]):
        path = faulty / row["file"]
        content = path.read_bytes()
        contract = contract_for_path(path)
        kind = row["fault"]
        original = clean / row["file"].replace("/resent/", "/")
        if kind == "empty_file":
            assert content == b""
        elif kind == "bom":
            assert content == b"\xef\xbb\xbf" + original.read_bytes()
        elif kind == "non_utf8":
            with pytest.raises(UnicodeDecodeError):
                content.decode("utf-8")
            assert content.decode("cp1252") != original.read_text()
        elif kind == "truncated_file":
            assert original.read_bytes().startswith(content) and content
            assert read_delivery(path, contract).rejection in ("truncated", "unreadable_workbook")
            if contract.kind != "xlsx":
                assert not content.endswith(b"\n")
        elif kind == "missing_column":
            assert read_delivery(path, contract).rejection == "missing_column"
        elif kind == "extra_column":
            parsed = read_delivery(path, contract)
            assert parsed.warnings == ["extra_column"] and "notes" in parsed.header
            assert _without_column(path, contract, "notes") == _rows(original, contract)
        elif kind == "duplicate_file":
            assert "/resent/" in row["file"]
            assert content == original.read_bytes()
            assert (faulty / row["file"].replace("/resent/", "/")).read_bytes() == content
        elif kind == "resent_crlf":
            assert "/resent/" in row["file"]
            assert content == b"\xef\xbb\xbf" + original.read_bytes().replace(b"\n", b"\r\n")
        elif kind == "quoted_export":
            text = content.decode()
            assert all(line.startswith('"') and line.endswith('"') for line in text.splitlines())
            delimiter = contract.format["delimiter"]
            unquoted = list(csv.reader(io.StringIO(text), delimiter=delimiter))
            assert unquoted == _rows(original, contract)
        elif kind == "refresh":
            assert path.name.endswith("_v2.csv")
            clean_month = clean / row["file"].replace("_v2.csv", ".csv")
            assert content == clean_month.read_bytes()
            first = (faulty / row["file"].replace("_v2.csv", ".csv")).read_bytes()
            assert first != content
            _check_refresh(first, content, contract, row["detail"])
        else:
            raise AssertionError(kind)


def _rows(path: Path, contract: Contract) -> list[list[str]]:
    if contract.kind == "xlsx":
        book = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
        return [
            ["" if v is None else v for v in r]
            for r in book[contract.format["sheet"]].iter_rows(values_only=True)
        ]
    delimiter = contract.format["delimiter"]
    return [line.split(delimiter) for line in path.read_text().splitlines()]


def _without_column(path: Path, contract: Contract, name: str) -> list[list[str]]:
    rows = _rows(path, contract)
    at = rows[0].index(name)
    return [r[:at] + r[at + 1 :] for r in rows]


def _check_refresh(first: bytes, second: bytes, contract: Contract, detail: str) -> None:
    delimiter = contract.format["delimiter"]
    key = contract.column_names.index(contract.natural_key[0])

    def keyed(content: bytes) -> dict[str, str]:
        lines = content.decode().splitlines()[1:]
        return {line.split(delimiter)[key]: line for line in lines}

    a, b = keyed(first), keyed(second)
    added, removed = set(b) - set(a), set(a) - set(b)
    changed = {k for k in set(a) & set(b) if a[k] != b[k]}
    assert added and removed and changed
    assert f"{len(changed)} row(s) changed, {len(added)} added, {len(removed)} removed" in detail


def test_every_file_not_named_in_the_manifest_is_identical_to_the_fault_free_run(
    faulty, clean, manifest
):
    named = {r["file"] for r in manifest}
    superseded = {r["file"].replace("_v2.csv", ".csv") for r in manifest if r["fault"] == "refresh"}
    compared = 0
    for path, _ in delivered_files(faulty):
        relative = path.relative_to(faulty).as_posix()
        if relative in named or relative in superseded:
            continue
        assert path.read_bytes() == (clean / relative).read_bytes(), relative
        compared += 1
    clean_files = {p.relative_to(clean).as_posix() for p, _ in delivered_files(clean)}
    faulty_files = {p.relative_to(faulty).as_posix() for p, _ in delivered_files(faulty)}
    copies = ("duplicate_file", "resent_crlf", "refresh")
    extra = {r["file"] for r in manifest if r["fault"] in copies}
    assert faulty_files == clean_files | extra
    assert compared > 500


def test_fault_lists_are_parsed_and_checked():
    assert parse_faults(None) == () and parse_faults("none") == ()
    assert parse_faults("all") == ROW_FAULTS + FILE_FAULTS
    assert parse_faults("bom, empty_file,bom") == ("bom", "empty_file")
    with pytest.raises(ValueError, match="unknown fault kind"):
        parse_faults("bom,gremlins")
