"""Finding a feed's deliveries in landing/ and checking each file as a whole.

A file that cannot be read at all (empty, truncated, not UTF-8, unreadable workbook,
missing a required column) is rejected whole with a reason; everything else goes on
to row-level validation in DuckDB.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import logging
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import repeat
from pathlib import Path

from footprint.contracts import Column, Contract
from footprint.ingest.records import BOM as BOM_BYTES
from footprint.ingest.records import Problem, csv_header

BOM = "\ufeff"
# no row of any feed comes near this; a longer line is a broken export (or an attack),
# rejected here before the DuckDB reader (whose own limit is 10 MB) fails on it
MAX_LINE_BYTES = 1_000_000
log = logging.getLogger(__name__)


@dataclass
class Delivery:
    """One delivered file and what the file-level checks found."""

    path: Path
    relative_path: str
    sha256: str
    size_bytes: int
    period: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    version: int = 1
    header: list[str] = field(default_factory=list)
    content_sha256: str = ""  # of the records: the same rows re-sent with CRLF or a BOM
    rows: list[list[str]] | None = None  # xlsx only: cell values as text
    row_problems: list[Problem | None] | None = None  # xlsx only: a cell that cannot be read
    rows_read: int = 0
    warnings: list[str] = field(default_factory=list)
    rejection: str | None = None

    @property
    def delivery_id(self) -> str:
        """Stable id: the same bytes at the same path are always the same delivery."""
        return hashlib.sha256(f"{self.relative_path}\n{self.sha256}".encode()).hexdigest()[:16]

    def reject(self, reason: str) -> None:
        self.rejection = reason


def period_bounds(period: str, kind: str) -> tuple[date, date]:
    """First and last day covered by a period label (YYYY-MM-DD, YYYY-MM or YYYY-Qn)."""
    if kind == "day":
        day = date.fromisoformat(period)
        return day, day
    if kind == "month":
        year, month = (int(p) for p in period.split("-"))
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    year, quarter = int(period[:4]), int(period[-1])
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return (
        date(year, first_month, 1),
        date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def find_files(contract: Contract, landing: Path) -> tuple[list[Path], list[Path]]:
    """Every file under landing/<organisation>/<feed>/ (subfolders included), sorted,
    and apart from them every symbolic link found there.

    Links are never followed, so a crafted name or link cannot make ingestion read
    elsewhere: that includes an organisation or feed folder that is itself a link. Each
    is reported and recorded as a rejected delivery. Hidden files (a name starting with
    a dot) are skipped: that is how transfer tools name a file still arriving. A folder
    that cannot be read is an error naming it, never an empty feed.
    """
    root = landing.resolve()
    folder = root / contract.organisation / contract.feed
    if folder.parent.is_symlink() or folder.is_symlink():
        return [], [folder]  # recorded once per feed, under the feed's own path
    if not folder.is_dir():
        return [], []

    def unreadable(err: OSError) -> None:
        raise PermissionError(
            err.errno,
            f"{contract.name}: cannot read the folder {err.filename} ({err.strerror}); "
            f"give the user running Footprint read access to it, then run again",
        ) from err

    found, links = [], []
    for directory, subfolders, files in os.walk(folder, onerror=unreadable):
        subfolders[:] = sorted(s for s in subfolders if not s.startswith("."))
        for name in [*subfolders, *files]:
            path = Path(directory) / name
            if path.is_symlink():
                links.append(path)
            elif name in files and path.is_file() and not name.startswith("."):
                found.append(path)
        subfolders[:] = [s for s in subfolders if not (Path(directory) / s).is_symlink()]
    return sorted(found), sorted(links)


def linked_delivery(landing: Path, path: Path) -> Delivery:
    """A symbolic link in a feed's folder, recorded as a rejected delivery."""
    relative = path.relative_to(landing.resolve()).as_posix()
    delivery = Delivery(
        path=path,
        relative_path=os.fsencode(relative).decode("utf-8", "backslashreplace"),
        sha256=hashlib.sha256(b"").hexdigest(),
        size_bytes=0,
    )
    what = "a folder on its path is a symbolic link" if path.is_dir() else "a symbolic link"
    delivery.reject(
        f"{what}, not a real file or folder: links are never followed, so that nothing "
        f"outside the landing folder can be read; deliver the files themselves"
    )
    return delivery


def read_delivery(contract: Contract, path: Path) -> bytes:
    """A delivered file's bytes; a file that cannot be read is an error naming it."""
    try:
        return path.read_bytes()
    except OSError as err:
        raise type(err)(
            err.errno,
            f"{contract.name}: cannot read the delivered file {path} ({err.strerror}); "
            f"nothing of this feed was loaded; fix the file's permissions, then run again",
        ) from err


def describe(contract: Contract, path: Path, landing: Path, content: bytes) -> Delivery:
    """Hash a file and name its period from the file name."""
    relative = path.relative_to(landing.resolve()).as_posix()
    delivery = Delivery(
        path=path,
        # a name that is not UTF-8 is recorded with its odd bytes written as \xNN
        relative_path=os.fsencode(relative).decode("utf-8", "backslashreplace"),
        sha256=hashlib.sha256(content).hexdigest(),
        content_sha256=content_fingerprint(contract, content),
        size_bytes=len(content),
    )
    match = contract.pattern.fullmatch(path.name)
    if match is None:
        delivery.reject(
            f"file name {path.name!r} does not match the feed's pattern "
            f"{contract.pattern.pattern!r} (contracts/{contract.organisation}/{contract.feed}.yml)"
        )
        return delivery
    delivery.period = match.group("period")
    version = match.groupdict().get("version")
    delivery.version = int(version) if version else 1
    try:
        delivery.period_start, delivery.period_end = period_bounds(delivery.period, contract.period)
    except ValueError:
        delivery.reject(f"file name {path.name!r} names an impossible period {delivery.period!r}")
    return delivery


def content_fingerprint(contract: Contract, content: bytes) -> str:
    """sha256 of a text file's content with a byte-order mark and CRLF line endings
    normalised away: a re-export of the same rows is recognised as the same delivery."""
    if contract.kind == "xlsx":
        return hashlib.sha256(content).hexdigest()
    return hashlib.sha256(content.removeprefix(BOM_BYTES).replace(b"\r\n", b"\n")).hexdigest()


def check_text_file(contract: Contract, delivery: Delivery, content: bytes) -> None:
    """Empty, encoding, byte-order mark, truncation and (for CSV) header checks."""
    if not content:
        delivery.reject("the file is empty (0 bytes)")
        return
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as err:
        line = content[: err.start].count(b"\n") + 1
        delivery.reject(
            f"the file is not UTF-8: byte 0x{content[err.start]:02x} on line {line} "
            f"cannot be decoded; ask the sender to export as UTF-8"
        )
        return
    if text.startswith(BOM):
        delivery.warnings.append("byte-order mark at the start of the file removed")
        text = text[1:]
    if not text.endswith(("\n", "\r")):
        delivery.reject(
            "the file is truncated: its last line has no line ending, so the final "
            "row may be cut short; ask the sender to deliver the file again"
        )
        return
    if len(content) > MAX_LINE_BYTES:
        lengths = list(map(len, content.replace(b"\r", b"\n").split(b"\n")))
        longest = max(lengths)
        if longest > MAX_LINE_BYTES:
            line = lengths.index(longest) + 1
            delivery.reject(
                f"line {line} is {longest:,} bytes long, more than the {MAX_LINE_BYTES:,} "
                f"a row may have; ask the sender to check the export and deliver it again"
            )
            return
    if contract.kind == "csv":
        try:
            header = csv_header(content, contract.format["delimiter"])
        except ValueError as err:
            delivery.reject(str(err))
            return
        check_header(contract, delivery, header)


def check_header(contract: Contract, delivery: Delivery, header: list[str]) -> None:
    """Missing required columns reject the file; extra columns are reported and ignored."""
    header = [h.strip() for h in header]
    delivery.header = header
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        delivery.reject(f"the header names these columns more than once: {duplicated}")
        return
    missing_required = [c.name for c in contract.columns if c.required and c.name not in header]
    if missing_required:
        delivery.reject(
            f"the header lacks required column(s) {missing_required}; "
            f"expected {contract.column_names}"
        )
        return
    missing_optional = [c.name for c in contract.columns if c.name not in header]
    if missing_optional:
        delivery.warnings.append(f"optional column(s) {missing_optional} absent, loaded as blank")
    extra = [h for h in header if h not in contract.column_names]
    if extra:
        delivery.warnings.append(f"unexpected column(s) {extra} ignored")


def read_workbook(contract: Contract, delivery: Delivery, content: bytes) -> None:
    """Read an Excel delivery's sheet into text rows (openpyxl, read-only).

    The workbook is opened twice, for the values Excel saved and for which cells are
    formulas: a formula with no saved value would otherwise read as a blank cell.
    """
    from openpyxl import load_workbook  # only Excel feeds pay for the import

    if not content:
        delivery.reject("the file is empty (0 bytes)")
        return
    sheet_name = contract.format["sheet"]
    try:
        values_book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        formulas_book = (
            load_workbook(io.BytesIO(content), read_only=True, data_only=False)
            if _has_formulas(content)
            else None
        )
    except Exception as err:  # openpyxl raises many kinds for a damaged zip
        delivery.reject(f"the file is not a readable Excel workbook ({type(err).__name__}: {err})")
        return
    try:
        if sheet_name not in values_book.sheetnames:
            delivery.reject(
                f"the workbook has no sheet {sheet_name!r} (it has {values_book.sheetnames})"
            )
            return
        cells = formulas_book[sheet_name].iter_rows() if formulas_book else repeat(())
        values = values_book[sheet_name].iter_rows(values_only=True)
        rows = list(zip(values, cells, strict=False))  # repeat(()) never ends
    finally:
        values_book.close()
        if formulas_book:
            formulas_book.close()
    while rows and not any(v not in (None, "") for v in rows[-1][0]):
        rows.pop()  # trailing blank rows are formatting, not data
    if not rows:
        delivery.reject(f"sheet {sheet_name!r} is empty")
        return
    check_header(contract, delivery, ["" if v is None else str(v) for v in rows[0][0]])
    columns = {
        i: contract.column(h) for i, h in enumerate(delivery.header) if h in contract.column_names
    }
    delivery.rows, delivery.row_problems = [], []
    for values, cells in rows[1:]:
        delivery.rows.append(
            ["" if v is None else _cell_text(v, columns.get(i)) for i, v in enumerate(values)]
        )
        delivery.row_problems.append(_uncalculated_formula(values, cells))


def _has_formulas(content: bytes) -> bool:
    """Whether any worksheet of the workbook holds a formula (an <f> element), read from
    the file's XML so that a workbook without formulas is parsed once, not twice."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return any(
            re.search(rb"<(?:\w+:)?f[ >/]", archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _uncalculated_formula(values: tuple, cells: tuple) -> Problem | None:
    for value, cell in zip(values, cells, strict=False):
        if value is None and getattr(cell, "data_type", None) == "f":
            return Problem(
                "formula_without_value",
                f"cell {cell.coordinate} holds a formula ({str(cell.value)[:40]}) with no "
                f"saved result, so its value is unknown; open the workbook in Excel, let it "
                f"calculate, save it and deliver it again",
            )
    return None


def _cell_text(value: object, column: Column | None) -> str:
    """Cells are read as the text the sender typed. A cell Excel holds as a date is
    written in the contract's format for its column, unless that would drop a time of
    day (a date column given a date and time stays as it is, and is quarantined)."""
    if isinstance(value, datetime):
        dated = column is not None and column.type in ("date", "timestamp") and column.format
        if dated and (column.type == "timestamp" or value.time() == time(0)):
            return value.strftime(column.format)
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        if column is not None and column.type == "date" and column.format:
            return value.strftime(column.format)
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def load_order(delivery: Delivery) -> tuple:
    """Deliveries load in period order, then version, then path."""
    return (delivery.period or "", delivery.version, delivery.relative_path)


_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.\-/ ()]+$")


def safe_display_path(relative_path: str) -> str:
    """A file path fit to print in messages (control characters replaced)."""
    if _SAFE_NAME.match(relative_path):
        return relative_path
    return "".join(ch if ch.isprintable() else "?" for ch in relative_path)
