"""What a published version offers besides the DuckDB file and Parquet: the dbt
documentation as COMMENT ON, and a CSV and an Excel workbook per mart with a data
dictionary, for people and tools that open spreadsheets.

Spreadsheets evaluate a cell that starts with =, +, - or @ (and a tab or carriage return
before one) as a formula, so text that would do so is written with a leading apostrophe,
as OWASP advises; numbers stay numbers. Names delivered as free text (practice and PCN
names) are where such text could come from.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from footprint.publish.publisher import Mart

DICTIONARY_NAME = "data_dictionary.csv"
DICTIONARY_HEADER = ["relation", "column", "data_type", "description"]
FORMULA_START = r"^[=+\-@\t\r]"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_marts(connection: duckdb.DuckDBPyConnection, marts: list[Mart]) -> None:
    """dbt's descriptions as COMMENT ON, so that any SQL client shows them."""
    for mart in marts:
        table = f"published.{mart.relation}"
        if mart.description:
            connection.execute(f"comment on table {table} is {_quote(mart.description)}")
        for column, description in mart.columns:
            if description:
                connection.execute(f'comment on column {table}."{column}" is {_quote(description)}')


def _columns(connection: duckdb.DuckDBPyConnection, mart: Mart) -> list[tuple[str, str]]:
    return connection.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = 'published' and schema_name = ? and table_name = ? "
        "order by column_index",
        [mart.schema, mart.name],
    ).fetchall()


def _safe_select(mart: Mart, columns: list[tuple[str, str]]) -> str:
    """The mart's rows with text that would start a formula escaped."""
    fields = []
    for name, data_type in columns:
        if data_type == "VARCHAR":
            fields.append(
                f"case when regexp_matches(\"{name}\", '{FORMULA_START}') "
                f'and try_cast("{name}" as double) is null '
                f'then \'\'\'\' || "{name}" else "{name}" end as "{name}"'
            )
        else:
            fields.append(f'"{name}"')
    return f"select {', '.join(fields)} from published.{mart.relation} order by all"


def write_exports(
    connection: duckdb.DuckDBPyConnection, marts: list[Mart], folder: Path
) -> dict[str, dict[str, str]]:
    """csv/<relation>.csv and xlsx/<relation>.xlsx per mart, and the data dictionary;
    returns each mart's export paths, relative to the version folder."""
    (folder / "csv").mkdir(exist_ok=True)
    (folder / "xlsx").mkdir(exist_ok=True)
    dictionary: list[list[str]] = []
    exports = {}
    for mart in marts:
        columns = _columns(connection, mart)
        described = dict(mart.columns)
        entries = [[mart.relation, "", "TABLE", mart.description]] + [
            [mart.relation, name, data_type, described.get(name, "")] for name, data_type in columns
        ]
        dictionary += entries
        query = _safe_select(mart, columns)
        csv_path = f"csv/{mart.relation}.csv"
        target = _quote(str(folder / csv_path))
        connection.execute(f"copy ({query}) to {target} (format csv, header true)")
        xlsx_path = f"xlsx/{mart.relation}.xlsx"
        _write_workbook(folder / xlsx_path, mart, connection.execute(query), entries)
        exports[mart.relation] = {"csv": csv_path, "xlsx": xlsx_path}
    with (folder / DICTIONARY_NAME).open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DICTIONARY_HEADER)
        writer.writerows(dictionary)
    return exports


def _write_workbook(
    path: Path, mart: Mart, result: duckdb.DuckDBPyConnection, entries: list[list[str]]
) -> None:
    """The mart's rows on a sheet named after it, its dictionary on a second sheet.
    Every cell is written by type, so text is never read back as a formula."""
    import xlsxwriter  # only publication pays for the import

    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
        },
    )
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    times = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(mart.name[:31])
    names = [d[0] for d in result.description]
    sheet.write_row(0, 0, names, bold)
    sheet.freeze_panes(1, 0)
    row = 1
    while batch := result.fetchmany(10_000):
        for values in batch:
            for column, value in enumerate(values):
                _write_cell(sheet, row, column, value, dates, times)
            row += 1
    about = workbook.add_worksheet("dictionary")
    about.write_row(0, 0, DICTIONARY_HEADER, bold)
    for number, entry in enumerate(entries, start=1):
        about.write_row(number, 0, [_escape(text) for text in entry])
    workbook.close()


def _escape(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write_cell(sheet, row: int, column: int, value, dates, times) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, float(value) if isinstance(value, Decimal) else value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, column, value, times)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, datetime(value.year, value.month, value.day), dates)
    else:
        sheet.write_string(row, column, str(value))
