"""Scanners for identifiable data: clear NHS numbers, dates of birth, postcodes.

They read any file Footprint writes (DuckDB, Parquet, HTML, JSON, text) and every
table of a DuckDB database, and return what they found with where they found it, so a
failing test names the file, table and column to look at.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from footprint.nhs_number import is_valid

# ten digits (optionally written 3-3-4 with spaces or dashes) standing alone: not part of
# a longer number, a hex pseudonym, a decimal or an identifier such as INC0001000353
_TEN_DIGITS = re.compile(r"(?<![0-9A-Za-z._])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![0-9A-Za-z_]|\.\d)")
# a full UK postcode (outward and inward code), e.g. WN1 1AA, M14 5QR, SW1A 2AA
_POSTCODE = re.compile(
    r"(?<![0-9A-Za-z])[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}(?![0-9A-Za-z])"
)
_BIRTH_NAME = re.compile(r"birth|dob|born", re.IGNORECASE)
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Finding:
    where: str  # file, or database/table.column
    what: str  # "NHS number", "postcode", "date of birth", ...
    sample: str  # masked: enough to find it, not enough to disclose it

    def __str__(self) -> str:
        return f"{self.where}: {self.what} ({self.sample})"


def _mask(value: str) -> str:
    return value[:3] + "*" * max(len(value) - 3, 0)


def clear_nhs_numbers(text: str) -> list[str]:
    """Every standalone ten-digit number in the text that passes Modulus 11."""
    found = []
    for match in _TEN_DIGITS.finditer(text):
        digits = "".join(match.groups())
        if is_valid(digits):
            found.append(digits)
    return found


def postcodes(text: str) -> list[str]:
    return _POSTCODE.findall(text)


def scan_text(text: str, where: str) -> list[Finding]:
    findings = [Finding(where, "NHS number", _mask(n)) for n in clear_nhs_numbers(text)]
    findings += [Finding(where, "postcode", _mask(p)) for p in postcodes(text)]
    return findings


def _tables(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return connection.execute(
        "select table_catalog, table_schema, table_name from information_schema.tables "
        "where table_catalog not in ('system', 'temp') order by all"
    ).fetchall()


def _columns(
    connection: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str
) -> list[tuple[str, str]]:
    return connection.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def scan_relation(
    connection: duckdb.DuckDBPyConnection, relation: str, columns: list[tuple[str, str]], where: str
) -> list[Finding]:
    """Every column of one table or view: text and whole numbers for NHS numbers and
    postcodes, and any column named for a birth date holding full dates."""
    findings: list[Finding] = []
    for name, data_type in columns:
        column = f"{where}.{name}"
        expression = f"cast({_quote(name)} as varchar)"
        if _BIRTH_NAME.search(name):
            if data_type in ("DATE", "TIMESTAMP") or data_type.startswith("TIMESTAMP"):
                findings.append(Finding(column, "date of birth", data_type))
                continue
            (full,) = connection.execute(
                f"select count(*) from {relation} where regexp_matches({expression}, ?)",
                [_FULL_DATE.pattern],
            ).fetchone()
            if full:
                findings.append(Finding(column, "date of birth", f"{full} full dates"))
        if data_type in ("VARCHAR", "BIGINT", "HUGEINT", "UBIGINT", "JSON") or data_type.endswith(
            "[]"
        ):
            # only values with ten digits in a row (or a postcode shape) go back to Python
            candidates = connection.execute(
                f"select distinct {expression} from {relation} "
                f"where regexp_matches({expression}, '\\d{{3}}[ -]?\\d{{3}}[ -]?\\d{{4}}|"
                f"[A-Z]{{1,2}}\\d[A-Z\\d]? ?\\d[A-Z]{{2}}')"
            ).fetchall()
            for (value,) in candidates:
                findings += scan_text(value, column)
    return findings


def scan_database(path: Path) -> list[Finding]:
    """Every table and view of a DuckDB file, opened read-only."""
    findings: list[Finding] = []
    with duckdb.connect(str(path), read_only=True) as connection:
        for catalog, schema, table in _tables(connection):
            relation = f"{_quote(catalog)}.{_quote(schema)}.{_quote(table)}"
            columns = _columns(connection, catalog, schema, table)
            where = f"{path.name}:{schema}.{table}"
            findings += scan_relation(connection, relation, columns, where)
    return findings


def scan_parquet(path: Path) -> list[Finding]:
    with duckdb.connect() as connection:
        connection.read_parquet(str(path)).create_view("p")
        columns = [(n, t) for n, t, *_ in connection.execute("describe p").fetchall()]
        return scan_relation(connection, "p", columns, path.name)


def scan_tree(root: Path) -> Iterator[Finding]:
    """Every file under root: DuckDB and Parquet by their tables, scripts not at all,
    anything else as text."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix == ".duckdb":
            yield from scan_database(path)
        elif path.suffix == ".parquet":
            yield from scan_parquet(path)
        elif path.suffix in (".wal", ".lock"):
            continue
        elif path.suffix == ".xlsx":
            # a zip: its compressed bytes look like anything; its sheets are XML
            with zipfile.ZipFile(path) as book:
                text = " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
            yield from scan_text(text, str(path.relative_to(root)))
        elif path.suffix == ".js":
            # code (plotly.js, shared by a folder of pages), like the script bodies
            # page_text drops: covered by the exact search for every delivered number
            continue
        else:
            text = path.read_bytes().decode("utf-8", errors="replace")
            if path.suffix in (".html", ".htm"):
                text = page_text(text)
            yield from scan_text(text, str(path.relative_to(root)))


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")


def page_text(html: str) -> str:
    """A page without the code it carries: script bodies (charting and docs libraries,
    full of 32-bit constants) and base64 images. Data a script is given as JSON is kept;
    the code itself is covered by the exact search for every delivered NHS number."""

    def keep_data(match: re.Match) -> str:
        return match.group(2) if "json" in match.group(1).lower() else " "

    return _DATA_URI.sub(" ", _SCRIPT.sub(keep_data, html))


def files_containing(roots: Iterable[Path], needles: Iterable[bytes]) -> list[str]:
    """Files under the roots whose bytes contain any of the needles."""
    needles = [n for n in needles if n]
    hits = []
    for root in roots:
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in paths:
            if path.is_file() and not path.is_symlink():
                content = path.read_bytes()
                if any(n in content for n in needles):
                    hits.append(str(path))
    return hits


_STANDALONE_TEN = re.compile(rb"(?<!\d)\d{10}(?!\d)")


def delivered_numbers_in_tree(root: Path, numbers: set[str]) -> list[str]:
    """Files (and, for DuckDB and Parquet, tables and columns) under root holding any of
    the given NHS numbers, in any text and in any column, code included."""
    import pyarrow as pa

    delivered = pa.table({"n": sorted(numbers)})
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix not in (".duckdb", ".parquet"):
            found = {m.decode() for m in _STANDALONE_TEN.findall(path.read_bytes())}
            if found & numbers:
                hits.append(str(path.relative_to(root)))
            continue
        if path.suffix == ".duckdb":
            connection = duckdb.connect(str(path), read_only=True)
            relations = [
                (f"{_quote(s)}.{_quote(t)}", f"{s}.{t}")
                for s, t in connection.execute(
                    "select table_schema, table_name from information_schema.tables"
                ).fetchall()
            ]
        else:
            connection = duckdb.connect()
            connection.read_parquet(str(path)).create_view("scanned_parquet")
            relations = [("scanned_parquet", path.name)]
        with connection:
            connection.register("delivered", delivered)
            for relation, name in relations:
                columns = [c for c, *_ in connection.execute(f"describe {relation}").fetchall()]
                for column in columns:
                    (count,) = connection.execute(
                        f"select count(*) from (select unnest(regexp_extract_all("
                        f"cast({_quote(column)} as varchar), '[0-9]{{10}}')) as n "
                        f"from {relation}) as t semi join delivered as d on t.n = d.n"
                    ).fetchone()
                    if count:
                        hits.append(f"{path.relative_to(root)}:{name}.{column}")
    return hits
