"""What other tools read: a DuckDB file 1.x readers open, read-only files, the dbt
documentation as comments, CSV and Excel per mart safe against formula injection, and a
data dictionary."""

from __future__ import annotations

import csv
import json
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from footprint.paths import PROJECT_ROOT
from footprint.publish.publisher import DATABASE_NAME, publish

# the oldest DuckDB readers: 1.0 (what many ODBC/JDBC drivers and R packages still bundle)
OLD_READER = "1.0.0"
TEXTS = [
    "Plain Surgery",
    '=HYPERLINK("http://evil.example/","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "-12.5",
    None,
]


def make_build(root: Path) -> tuple[Path, Path]:
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema lookups")
        connection.execute("create schema raw")
        connection.execute(
            "create table lookups.lookup_practices (practice_order integer, "
            "practice_name varchar, valid_from date, share decimal(6, 2), is_current boolean)"
        )
        connection.executemany(
            "insert into lookups.lookup_practices values (?, ?, ?, ?, ?)",
            [[i, text, f"2025-01-0{1 + i}", f"{i}.25", i % 2 == 0] for i, text in enumerate(TEXTS)],
        )
        connection.execute(
            "create table raw.load_manifest as select 'ccg' as organisation, "
            "'practice_map' as feed, 'ccg/p.csv' as file_path, '2025-01' as period, "
            "'ab' as sha256, 8 as rows_loaded, 0 as rows_quarantined, 'loaded' as status"
        )
    manifest = root / "manifest.json"
    node = {
        "resource_type": "model",
        "schema": "lookups",
        "name": "lookup_practices",
        "config": {"tags": ["published"]},
        "description": "Practices and\n their PCN.",
        "columns": {
            "practice_name": {"description": "Practice name, as delivered."},
            "valid_from": {"description": "First day (it's inclusive)."},
        },
    }
    manifest.write_text(json.dumps({"nodes": {"model.footprint.lookup_practices": node}}))
    return warehouse, manifest


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("exports")
    warehouse, dbt_manifest = make_build(root)
    publish(warehouse, root / "published", dbt_manifest, checks=[])
    return root / "published"


def test_descriptions_are_comments_any_sql_client_shows(published):
    with duckdb.connect(str(published / DATABASE_NAME), read_only=True) as connection:
        table = connection.execute(
            "select comment from duckdb_tables() where table_name = 'lookup_practices'"
        ).fetchall()
        columns = dict(
            connection.execute(
                "select column_name, comment from duckdb_columns() "
                "where table_name = 'lookup_practices'"
            ).fetchall()
        )
    assert table == [("Practices and their PCN.",)]
    assert columns["practice_name"] == "Practice name, as delivered."
    assert columns["valid_from"] == "First day (it's inclusive)."
    assert columns["share"] is None


def _formula_cells(cells: list) -> list:
    def number(text: str) -> bool:
        try:
            float(text)
        except ValueError:
            return False
        return True

    return [
        c for c in cells if isinstance(c, str) and c[:1] and c[:1] in "=+-@\t\r" and not number(c)
    ]


def test_csv_has_every_row_and_no_cell_starts_a_formula(published):
    with (published / "current" / "csv" / "lookups.lookup_practices.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["practice_order", "practice_name", "valid_from", "share", "is_current"]
    names = [r[1] for r in rows[1:]]
    assert len(names) == len(TEXTS)
    assert _formula_cells([c for r in rows for c in r]) == []
    # escaped, not altered: the apostrophe is all that was added
    expected = [
        "" if t is None else ("'" + t if t[:1] in "=+-@\t" and t != "-12.5" else t) for t in TEXTS
    ]
    assert sorted(names) == sorted(expected)
    assert rows[1][2] == "2025-01-01" and rows[1][3] == "0.25"


def test_excel_has_typed_cells_no_formula_and_the_dictionary(published):
    workbook = load_workbook(published / "current" / "xlsx" / "lookups.lookup_practices.xlsx")
    assert workbook.sheetnames == ["lookup_practices", "dictionary"]
    sheet = workbook["lookup_practices"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == len(TEXTS) + 1
    cells = [c for r in rows for c in r]
    assert _formula_cells(cells) == []
    assert not [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    first = rows[1]
    assert isinstance(first[0], int) and first[3] == 0.25 and first[4] is True
    assert first[2].date().isoformat() == "2025-01-01"
    dictionary = list(workbook["dictionary"].iter_rows(values_only=True))
    assert dictionary[0] == ("relation", "column", "data_type", "description")
    assert (
        "lookups.lookup_practices",
        "practice_name",
        "VARCHAR",
        "Practice name, as delivered.",
    ) in dictionary


def test_the_data_dictionary_names_every_published_column(published):
    with (published / "current" / "data_dictionary.csv").open(newline="") as handle:
        entries = list(csv.DictReader(handle))
    assert [(e["column"], e["data_type"]) for e in entries] == [
        ("", "TABLE"),
        ("practice_order", "INTEGER"),
        ("practice_name", "VARCHAR"),
        ("valid_from", "DATE"),
        ("share", "DECIMAL(6,2)"),
        ("is_current", "BOOLEAN"),
    ]
    assert entries[0]["description"] == "Practices and their PCN."
    manifest = json.loads((published / "manifest.json").read_text())
    assert manifest["data_dictionary"] == "data_dictionary.csv"


def test_published_files_are_read_only(published):
    files = [p for p in (published / "current").resolve().rglob("*") if p.is_file()]
    files += [published / DATABASE_NAME, published / "manifest.json"]
    assert len(files) > 6
    for path in files:
        assert path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0, path


@pytest.fixture(scope="module")
def old_reader() -> Path:
    """DuckDB 1.0 for Python, installed beside the project's own (never imported here)."""
    target = PROJECT_ROOT / ".venv" / "readers" / f"duckdb-{OLD_READER}"
    if not (target / "duckdb").is_dir():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--disable-pip-version-check",
                "--target",
                str(target),
                f"duckdb=={OLD_READER}",
            ],
            check=True,
        )
    return target


def test_a_duckdb_1_x_reader_opens_the_published_file(published, old_reader):
    script = (
        "import sys, duckdb\n"
        "assert duckdb.__version__ == sys.argv[2], duckdb.__version__\n"
        "c = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(c.execute('select count(*), min(valid_from) from lookups.lookup_practices')"
        ".fetchone())\n"
    )
    completed = subprocess.run(
        [sys.executable, "-S", "-c", script, str(published / DATABASE_NAME), OLD_READER],
        env={"PYTHONPATH": str(old_reader)},
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == f"({len(TEXTS)}, datetime.date(2025, 1, 1))"
