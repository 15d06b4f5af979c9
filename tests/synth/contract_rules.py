"""An independent reading of deliveries against their contracts, for the generator's tests.

Written from contracts/README.md rather than from the generator's code, so that the
generator's output is checked by a second implementation of the rules: file-level
checks (empty, encoding, byte-order mark, truncation, header) and, per row, the rules
ingestion applies (column count, required, type and format, Modulus 11, code lists,
seed references, ranges, patterns, period limits, not_before, exact duplicates and
natural-key duplicates within a file).
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from footprint.contracts import Column, Contract, all_contracts
from footprint.nhs_number import is_valid
from footprint.paths import SEEDS_DIR

BOM = "\ufeff"


@cache
def seed_codes(reference: str) -> frozenset[str]:
    seed, column = reference.split(".")
    with (SEEDS_DIR / f"{seed}.csv").open(newline="") as handle:
        return frozenset(row[column] for row in csv.DictReader(handle))


def period_end(contract: Contract, label: str) -> date:
    if contract.period == "day":
        return date.fromisoformat(label)
    if contract.period == "month":
        year, month = (int(p) for p in label.split("-"))
        return date(year, month, calendar.monthrange(year, month)[1])
    year, quarter = int(label[:4]), int(label[-1])
    month = 3 * quarter
    return date(year, month, calendar.monthrange(year, month)[1])


def contract_for_path(path: Path) -> Contract | None:
    for contract in all_contracts():
        if contract.pattern.fullmatch(path.name) and path.parts[-2] in (contract.feed, "resent"):
            return contract
    return None


@dataclass
class ParsedFile:
    path: Path
    contract: Contract
    period: str
    version: int
    rejection: str | None = None
    warnings: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # raw data lines (xlsx: cells joined by |)
    rows: list[dict[str, str | None] | None] = field(default_factory=list)  # None: unparseable
    shape_problems: list[str | None] = field(default_factory=list)  # per row, before rules


def read_delivery(path: Path, contract: Contract) -> ParsedFile:
    match = contract.pattern.fullmatch(path.name)
    assert match, path
    version = int(match.groupdict().get("version") or 1)
    parsed = ParsedFile(path, contract, match.group("period"), version)
    content = path.read_bytes()
    if not content:
        parsed.rejection = "empty"
        return parsed
    if contract.kind == "xlsx":
        return _read_xlsx(parsed, content)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        parsed.rejection = "not_utf8"
        return parsed
    if text.startswith(BOM):
        parsed.warnings.append("bom")
        text = text[1:]
    if not text.endswith("\n"):
        parsed.rejection = "truncated"
        return parsed
    lines = text[:-1].split("\n")
    if contract.kind == "csv":
        delimiter = contract.format["delimiter"]
        parsed.header = lines[0].split(delimiter)
        lines = lines[1:]
        _check_header(parsed)
        if parsed.rejection:
            return parsed
        parsed.lines = lines
        for line in lines:
            fields = line.split(delimiter)
            if len(fields) != len(parsed.header):
                parsed.rows.append(None)
                parsed.shape_problems.append("wrong_column_count")
            else:
                parsed.rows.append(_clean(dict(zip(parsed.header, fields, strict=True))))
                parsed.shape_problems.append(None)
    else:
        parsed.header = contract.column_names
        parsed.lines = lines
        for line in lines:
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                value = None
            if not isinstance(value, dict):
                parsed.rows.append(None)
                parsed.shape_problems.append("invalid_json")
            else:
                parsed.rows.append(_clean({k: value.get(k) for k in contract.column_names}))
                parsed.shape_problems.append(None)
    return parsed


def _read_xlsx(parsed: ParsedFile, content: bytes) -> ParsedFile:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # any damaged zip
        parsed.rejection = "unreadable_workbook"
        return parsed
    sheet = parsed.contract.format["sheet"]
    if sheet not in workbook.sheetnames:
        parsed.rejection = "no_sheet"
        return parsed
    rows = [
        ["" if v is None else str(v) for v in r]
        for r in workbook[sheet].iter_rows(values_only=True)
    ]
    workbook.close()
    parsed.header = rows[0]
    _check_header(parsed)
    if parsed.rejection:
        return parsed
    for row in rows[1:]:
        parsed.lines.append("|".join(row))
        parsed.rows.append(_clean(dict(zip(parsed.header, row, strict=True))))
        parsed.shape_problems.append(None)
    return parsed


def _check_header(parsed: ParsedFile) -> None:
    contract = parsed.contract
    missing = [c.name for c in contract.columns if c.required and c.name not in parsed.header]
    if missing:
        parsed.rejection = "missing_column"
    extra = [h for h in parsed.header if h not in contract.column_names]
    if extra:
        parsed.warnings.append("extra_column")


def _clean(row: dict[str, object]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key, value in row.items():
        text = None if value is None else str(value).strip()
        out[key] = text or None
    return out


def _parse(column: Column, value: str) -> object | None:
    try:
        if column.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", value):
                return None
            return int(value)
        if column.type in ("date", "timestamp"):
            return datetime.strptime(value, column.format)
        return value
    except ValueError:
        return None


def row_failures(parsed: ParsedFile) -> list[list[str]]:
    """Per data row, the rules it breaks (empty list: the row loads)."""
    contract = parsed.contract
    end = datetime.combine(period_end(contract, parsed.period), datetime.min.time())
    results: list[list[str]] = []
    for row, problem in zip(parsed.rows, parsed.shape_problems, strict=True):
        if row is None:
            results.append([problem or "unparseable"])
            continue
        failures: list[str] = []
        values: dict[str, object | None] = {}
        for column in contract.columns:
            text = row.get(column.name)
            values[column.name] = None
            if text is None:
                if column.required:
                    failures.append(f"required:{column.name}")
                continue
            value = _parse(column, text)
            if value is None:
                failures.append(f"type:{column.name}")
                continue
            values[column.name] = value
            if column.type == "nhs_number" and not is_valid(text):
                failures.append(f"nhs_number:{column.name}")
            elif column.values and text not in column.values:
                failures.append(f"code_list:{column.name}")
            elif column.reference and text not in seed_codes(column.reference):
                failures.append(f"unknown_code:{column.name}")
            elif (column.min is not None and value < column.min) or (
                column.max is not None and value > column.max
            ):
                failures.append(f"range:{column.name}")
            elif column.pattern and not re.fullmatch(column.pattern, text):
                failures.append(f"pattern:{column.name}")
            elif (
                column.not_after_period_end_days is not None
                and value.date() > (end + timedelta(days=column.not_after_period_end_days)).date()
            ):
                failures.append(f"after_period:{column.name}")
        for column in contract.columns:
            if column.not_before:
                a, b = values.get(column.name), values.get(column.not_before)
                if a is not None and b is not None and a < b:
                    failures.append(f"end_before_start:{column.name}")
        results.append(failures)

    seen_lines: dict[str, int] = {}
    seen_keys: dict[tuple, int] = {}
    for i, line in enumerate(parsed.lines):
        if line in seen_lines:
            results[i].append("duplicate_row")
            continue
        seen_lines[line] = i
        row = parsed.rows[i]
        if row is not None and not results[i]:
            key = tuple(row.get(k) for k in contract.natural_key)
            if key in seen_keys:
                results[i].append("duplicate_key")
            seen_keys[key] = i
    return results


def delivered_files(out: Path) -> list[tuple[Path, Contract]]:
    """Every delivered file under <out>/<org>/<feed>/ (resent/ included), sorted."""
    found = []
    for contract in all_contracts():
        folder = out / contract.organisation / contract.feed
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            found.append((path, contract))
    return found
