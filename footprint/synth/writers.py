"""Rendering deliveries as the bytes each organisation sends.

CSV: header row, Unix newlines, UTF-8 without BOM, nulls as empty fields, never quoted
(values never contain the delimiter, a quote or a newline; pyarrow refuses to write one
that does). JSON lines: one compact object per line with exactly the contract's keys
in contract order, null for a missing value. Excel: one sheet named as the contract
says, every cell a string so codes keep their leading zeros and dates keep the
contract's text format, and fixed document properties so the same rows always give
the same bytes.

Two paths give identical bytes for the same rows: a fast one from a pyarrow table and a
row-by-row one that fault injection uses on the few files it edits.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import xlsxwriter

Row = list[str | None]


def csv_from_table(header: Sequence[str], table: pa.Table, delimiter: str) -> bytes:
    buffer = io.BytesIO()
    buffer.write((delimiter.join(header) + "\n").encode())
    if table.num_rows:
        options = pa_csv.WriteOptions(
            include_header=False, delimiter=delimiter, quoting_style="none"
        )
        pa_csv.write_csv(table, buffer, options)
    return buffer.getvalue()


def csv_line(values: Sequence[str | None], delimiter: str) -> str:
    return delimiter.join("" if v is None else v for v in values)


def csv_from_lines(header: Sequence[str], lines: Sequence[str], delimiter: str) -> bytes:
    text = "".join(line + "\n" for line in [delimiter.join(header), *lines])
    return text.encode()


def jsonl_from_table(table: pa.Table) -> bytes:
    """Compact JSON objects built column-wise (values are plain text, never escaped)."""
    if table.num_rows == 0:
        return b""
    parts: list[pa.Array | str] = []
    for i, name in enumerate(table.column_names):
        values = table.column(name).combine_chunks()
        quoted = pc.binary_join_element_wise('"', values, '"', "")
        parts.append(("{" if i == 0 else ",") + f'"{name}":')
        parts.append(pc.fill_null(quoted, "null"))
    parts.append("}\n")
    lines = pc.binary_join_element_wise(*parts, "")
    return "".join(lines.to_pylist()).encode()


def json_line(header: Sequence[str], values: Sequence[str | None]) -> str:
    return json.dumps(dict(zip(header, values, strict=True)), separators=(",", ":"))


def jsonl_from_lines(lines: Sequence[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode()


def table_rows(table: pa.Table) -> list[Row]:
    """Rows of a string table as lists (None for null)."""
    columns = [table.column(name).to_pylist() for name in table.column_names]
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def xlsx_from_rows(
    sheet: str, header: Sequence[str], rows: Sequence[Sequence[str | None]], created: datetime
) -> bytes:
    """A workbook whose bytes depend only on its content and ``created``."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties(
        {"title": sheet, "author": "Footprint synthetic generator", "created": created}
    )
    worksheet = workbook.add_worksheet(sheet)
    worksheet.write_row(0, 0, list(header))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None and value != "":
                worksheet.write_string(r, c, value)
    workbook.close()
    return buffer.getvalue()
