"""A text delivery's bytes as numbered records, exactly as a CSV reader reads them.

The bytes come from the same read that was hashed for the manifest, so what is loaded is
exactly what the sha256 describes. Most files hold no quote character and no bare
carriage return; for those a record is a line and its fields are split on the delimiter
(in DuckDB), which is the whole CSV grammar when nothing is quoted. Anything else goes
through Python's csv reader: quoted fields, delimiters and line breaks inside quotes,
doubled quotes, and CR, LF or CRLF line endings mixed in one file. A record the reader
cannot make sense of is kept with the rule it broke, to be quarantined like any bad row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

BOM = "\ufeff".encode()
FIELDS = pa.list_(pa.string())


class UnclosedQuote(ValueError):
    """A quote opened and never closed: the rest of the file would be one field."""

    def __init__(self, line: int) -> None:
        super().__init__(
            f"a quote opened on line {line} is never closed, so every later line would be "
            f"read as part of one field; ask the sender to check the export and deliver it "
            f"again"
        )


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str


def needs_csv_reader(content: bytes) -> bool:
    """Whether a file holds quoting or a bare carriage return (a line break that a line
    split would miss)."""
    return b'"' in content or has_bare_cr(content)


def has_bare_cr(content: bytes) -> bool:
    return b"\r" in content and content.count(b"\r") != content.count(b"\r\n")


def text_records(content: bytes, delimiter: str | None, header_lines: int) -> pa.Table:
    """Records of a CSV (delimiter given) or JSON lines file (delimiter None), after
    `header_lines` header records: row_number, raw_line, fields (null when the fields
    are to be split on the delimiter), problem_rule and problem_message."""
    content = content.removeprefix(BOM)
    if delimiter is None and has_bare_cr(content):
        # JSON escapes quotes and line breaks inside values; a bare CR ends a line
        content = content.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if delimiter is None or not needs_csv_reader(content):
        lines = pa.array(content.split(b"\n")[header_lines:-1], pa.binary()).cast(pa.string())
        return record_table(pc.utf8_rtrim(lines, "\r"))
    raw, fields, problems = [], [], []
    for record_text, record_fields, problem in _csv_records(content.decode(), delimiter):
        raw.append(record_text)
        fields.append(record_fields)
        problems.append(problem)
    start = header_lines
    return record_table(pa.array(raw[start:], pa.string()), fields[start:], problems[start:])


def csv_header(content: bytes, delimiter: str) -> list[str]:
    """The header record's fields, read as a CSV reader reads them."""
    text = content.removeprefix(BOM).decode()
    if not needs_csv_reader(content):
        return text.split("\n", 1)[0].rstrip("\r").split(delimiter)
    for _, fields, problem in _csv_records(text, delimiter):
        if problem is not None:
            raise ValueError(f"the header row cannot be read: {problem.message}")
        return fields or []
    return []


def _csv_records(text: str, delimiter: str):
    """(raw text, fields, problem) per record; the raw text is the record's lines as
    delivered, without the final line ending."""
    consumed: list[str] = []

    def lines():
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter, strict=True)
    while True:
        first_line = reader.line_num + 1
        try:
            fields = next(reader)
            problem = None
        except StopIteration:
            return
        except csv.Error as err:
            if "unexpected end of data" in str(err):
                raise UnclosedQuote(first_line) from None
            fields = None
            problem = Problem(
                "unreadable_row",
                f"the row cannot be read as CSV ({err}); a quoted field must be "
                f"closed and then followed by the delimiter or the end of the line",
            )
        raw = "".join(consumed).rstrip("\r\n")
        consumed.clear()
        yield raw, fields, problem


def record_table(
    raw_lines: pa.Array,
    fields: list[list[str] | None] | None = None,
    problems: list[Problem | None] | None = None,
) -> pa.Table:
    """Records as staged for row checks; fields null means split raw_line on the
    delimiter, a problem is a rule the record broke before its values were read."""
    count = len(raw_lines)
    if problems is None:
        rules = messages = pa.nulls(count, pa.string())
    else:
        rules = pa.array([p and p.rule for p in problems], pa.string())
        messages = pa.array([p and p.message for p in problems], pa.string())
    return pa.table(
        {
            "row_number": pa.array(np.arange(1, count + 1, dtype=np.int64)),
            "raw_line": raw_lines,
            "fields": pa.nulls(count, FIELDS) if fields is None else pa.array(fields, FIELDS),
            "problem_rule": rules,
            "problem_message": messages,
        }
    )
