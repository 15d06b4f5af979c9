"""The fault catalogue: the things real deliveries get wrong, injected on purpose.

Every fault is planted so that exactly one thing is wrong and ingestion can detect it:
a row fault breaks one rule in one row (and no row carries two faults); a file fault
affects a whole file that carries no row faults. Each injected fault is recorded in the
ground-truth manifest (_generator/faults.csv: file, row, fault, detail) so that tests
can check ingestion against it. Faults draw from their own random stream, so a run
with faults contains the same people and events as the same run without: every file
not named in the manifest is byte-identical to the fault-free run's.

Row faults (quarantined row by row):
  malformed_row       a value that cannot be parsed as its type; for JSON lines, a line
                      that is not valid JSON
  wrong_column_count  a CSV row with one field too many or too few
  invalid_nhs_number  ten digits with the wrong Modulus 11 check digit
  malformed_nhs_number
                      an NHS number not written as ten digits: dashed 3-3-4, nine
                      digits, or a word such as UNKNOWN
  inexact_value       a value a lax parser would coerce: an integer written as 42.0,
                      4.2e1 or 4_2, a date with a two-digit year
  unknown_lsoa        an LSOA code not in seeds/lsoas.csv
  unknown_practice    a practice code not in seeds/practices.csv
  future_date         a date far beyond the delivery period in a column that has a
                      not_after_period_end_days rule
  end_before_start    a column earlier than its not_before partner
  duplicate_row       an exact copy of an earlier row of the same file (the manifest
                      names the copy)
File faults:
  missing_column      a required column removed from header and rows -> rejected
  extra_column        an unexpected 'notes' column -> reported, all rows load
  bom                 a UTF-8 byte-order mark -> reported, all rows load
  non_utf8            written in Windows-1252 with a character invalid in UTF-8 -> rejected
  empty_file          0 bytes -> rejected
  truncated_file      cut in the middle of a row (an Excel file: a cut zip) -> rejected
  duplicate_file      a byte-identical copy in <feed>/resent/ -> ignored as already loaded
  resent_crlf         the same rows re-sent in <feed>/resent/ with a byte-order mark and
                      Windows line endings -> ignored as already loaded
  quoted_export       a CSV with every field in double quotes -> all rows load
  refresh             a month delivered again as _v2 (rows changed, added and removed)
                      that supersedes the first delivery
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import numpy as np

from footprint.contracts import Column, Contract
from footprint.synth import writers
from footprint.synth.feeds import Delivery, file_name
from footprint.synth.reference import Reference

ROW_FAULTS = (
    "malformed_row",
    "wrong_column_count",
    "invalid_nhs_number",
    "malformed_nhs_number",
    "inexact_value",
    "unknown_lsoa",
    "unknown_practice",
    "future_date",
    "end_before_start",
    "duplicate_row",
)
FILE_FAULTS = (
    "duplicate_file",
    "resent_crlf",
    "quoted_export",
    "refresh",
    "missing_column",
    "extra_column",
    "bom",
    "non_utf8",
    "empty_file",
    "truncated_file",
)
FAULT_KINDS = ROW_FAULTS + FILE_FAULTS
ROWS_PER_KIND = 30  # row faults of each kind across a run
FILES_PER_KIND = 2  # file faults of each kind across a run
BOM = b"\xef\xbb\xbf"
NOTES = ("", "checked by duty team", "", "see case file", "awaiting update", "", "late entry")


def parse_faults(text: str | None) -> tuple[str, ...]:
    """'all', 'none' (or nothing), or a comma-separated list of fault kinds."""
    if text is None or text.strip().lower() in ("", "none"):
        return ()
    if text.strip().lower() == "all":
        return FAULT_KINDS
    kinds = tuple(dict.fromkeys(k.strip() for k in text.split(",") if k.strip()))
    unknown = [k for k in kinds if k not in FAULT_KINDS]
    if unknown:
        raise ValueError(f"unknown fault kind(s) {unknown}; choose from {', '.join(FAULT_KINDS)}")
    return kinds


@dataclass(frozen=True)
class FaultRecord:
    """One line of the ground-truth manifest."""

    file: str  # relative to the output folder, forward slashes
    row: int | None  # 1-based data row (header not counted); None for a file fault
    fault: str
    detail: str


@dataclass(frozen=True)
class WrittenFile:
    relative_path: str
    content: bytes
    rows: int  # data rows in the file as delivered


@dataclass
class _Line:
    """A row while faults are applied: values, or raw text replacing the rendered line."""

    values: list[str | None]
    raw: str | None = None
    fault: tuple[str, str] | None = None  # (kind, detail)


@dataclass
class _Plan:
    quota: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    file_faults: dict[str, str] = field(default_factory=dict)
    row_faults: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    planned: Counter[str] = field(default_factory=Counter)
    placed: Counter[str] = field(default_factory=Counter)


def created_for(delivery: Delivery) -> datetime:
    """Document date of a workbook: the morning after its period ends."""
    return datetime.combine(delivery.period.last + timedelta(days=1), time(7, 0))


def render_clean(delivery: Delivery) -> bytes:
    """The delivery's bytes with no fault, by the fast path."""
    contract = delivery.contract
    if contract.kind == "csv":
        return writers.csv_from_table(
            contract.column_names, delivery.table, contract.format["delimiter"]
        )
    if contract.kind == "jsonl":
        return writers.jsonl_from_table(delivery.table)
    return writers.xlsx_from_rows(
        contract.format["sheet"],
        contract.column_names,
        writers.table_rows(delivery.table),
        created_for(delivery),
    )


def _unknown_codes(known: set[str], count: int = 5) -> list[str]:
    """Codes shaped like the known ones (a known code's stem, last four digits changed)
    that are not among them: what a neighbouring area's code looks like."""
    sample = min(known)
    prefix = sample[:-4] if len(sample) > 4 else sample
    codes, number = [], 9999
    while len(codes) < count and number >= 0:
        code = f"{prefix}{number:04d}"
        if code not in known:
            codes.append(code)
        number -= 1
    return codes


def _impossible_date(fmt: str) -> str:
    """Text in the column's format naming a date that does not exist (month 13, day 45)."""
    parts = {"%Y": "2025", "%m": "13", "%d": "45", "%H": "10", "%M": "30", "%S": "00"}
    for token, value in parts.items():
        fmt = fmt.replace(token, value)
    return fmt


class FaultInjector:
    """Plans faults over a run's deliveries and renders the files that carry them."""

    def __init__(
        self, kinds: tuple[str, ...], rng: np.random.Generator, reference: Reference
    ) -> None:
        self.kinds = kinds
        self.random = random.Random(int(rng.integers(0, 2**63)))
        self.unknown = {
            "lsoas": _unknown_codes(set(reference.lsoa_codes)),
            "practices": _unknown_codes(set(reference.practice_codes)),
        }
        self.plan_ = _Plan()
        self.records: list[FaultRecord] = []
        self.max_key: dict[str, str] = {}

    # ---------------------------------------------------------------- planning
    def allocate(self, contracts: tuple[Contract, ...]) -> None:
        """Share each kind's faults among the feeds that can carry it, before any data exists.

        Allocating up front lets each feed be planned, written and released in turn, so a
        large run never holds every feed's rows in memory at once.
        """
        plan = self.plan_
        for kind in FAULT_KINDS:
            if kind not in self.kinds:
                continue
            per_kind = FILES_PER_KIND if kind in FILE_FAULTS else ROWS_PER_KIND
            plan.planned[kind] = per_kind
            feeds = sorted(c.name for c in contracts if self._kind_fits(kind, c))
            self.random.shuffle(feeds)
            for i in range(per_kind if feeds else 0):
                plan.quota[feeds[i % len(feeds)]][kind] += 1

    def plan_feed(self, deliveries: list[Delivery]) -> None:
        """Choose the files and rows of one feed that get its share of faults."""
        if not deliveries:
            return
        plan = self.plan_
        contract = deliveries[0].contract
        quota = plan.quota[contract.name]
        if len(contract.natural_key) == 1 and quota["refresh"]:
            keys = [
                v for d in deliveries for v in d.table.column(contract.natural_key[0]).to_pylist()
            ]
            self.max_key[contract.name] = max(keys) if keys else ""
        for kind in FILE_FAULTS:
            eligible = [
                d
                for d in deliveries
                if d.relative_path not in plan.file_faults and d.rows >= self._min_rows(kind)
            ]
            for _ in range(min(quota[kind], len(eligible))):
                chosen = eligible.pop(self.random.randrange(len(eligible)))
                plan.file_faults[chosen.relative_path] = kind
                plan.placed[kind] += 1
        free = [d for d in deliveries if d.relative_path not in plan.file_faults and d.rows]
        for kind in ROW_FAULTS:
            if quota[kind] and free:
                plan.placed[kind] += self._place_rows(kind, free, quota[kind])

    def shortfalls(self) -> dict[str, str]:
        """Kinds injected fewer times than planned, with why (small or short runs)."""
        plan = self.plan_
        return {
            kind: f"{plan.placed[kind]} of {planned} injected: too few deliveries or rows in "
            f"this run can carry it"
            for kind, planned in plan.planned.items()
            if plan.placed[kind] < planned
        }

    @staticmethod
    def _min_rows(kind: str) -> int:
        return {"truncated_file": 2, "refresh": 10}.get(kind, 1)

    def _kind_fits(self, kind: str, contract: Contract) -> bool:
        """Whether a feed's contract and format can carry a fault kind at all."""
        if kind in ROW_FAULTS:
            return self._row_kind_applies(kind, contract)
        if kind in ("duplicate_file", "empty_file", "truncated_file"):
            return True
        if kind == "resent_crlf":
            return contract.kind in ("csv", "jsonl")
        if kind == "quoted_export":
            return contract.kind == "csv"
        if kind == "refresh":
            return (
                "version" in contract.pattern.groupindex
                and contract.mode == "refresh"
                and len(contract.natural_key) == 1
            )
        if kind in ("missing_column", "extra_column"):
            return contract.kind in ("csv", "xlsx")
        if kind == "bom":
            return contract.kind in ("csv", "jsonl")
        if kind == "non_utf8":
            return contract.kind == "csv" and bool(self._free_text_columns(contract))
        raise ValueError(kind)

    @staticmethod
    def _free_text_columns(contract: Contract) -> list[Column]:
        return [
            c
            for c in contract.columns
            if c.type == "varchar" and not (c.values or c.reference or c.pattern or c.is_identifier)
        ]

    @staticmethod
    def _row_kind_applies(kind: str, contract: Contract) -> bool:
        columns = contract.columns
        if kind == "malformed_row":
            return contract.kind == "jsonl" or any(
                c.type in ("integer", "date", "timestamp") for c in columns
            )
        if kind == "wrong_column_count":
            return contract.kind == "csv"
        if kind in ("invalid_nhs_number", "malformed_nhs_number"):
            return any(c.type == "nhs_number" for c in columns)
        if kind == "inexact_value":
            return any(c.type in ("integer", "date", "timestamp") for c in columns)
        if kind == "unknown_lsoa":
            return any((c.reference or "").startswith("lsoas.") for c in columns)
        if kind == "unknown_practice":
            return any((c.reference or "").startswith("practices.") for c in columns)
        if kind == "future_date":
            return any(c.not_after_period_end_days is not None for c in columns)
        if kind == "end_before_start":
            return any(c.not_before for c in columns)
        return kind == "duplicate_row"

    def _place_rows(self, kind: str, files: list[Delivery], count: int) -> int:
        """Put ``count`` faults of one kind on distinct rows spread over the feed's files."""
        placed = 0
        for _ in range(count * 20):
            if placed == count:
                break
            d = files[self.random.randrange(len(files))]
            taken = {row for row, _ in self.plan_.row_faults[d.relative_path]}
            row = self.random.randrange(d.rows)
            if row in taken:
                continue
            values = [d.table.column(c)[row].as_py() for c in d.contract.column_names]
            if self._edit(kind, d, values, dry_run=True) is None:
                continue
            self.plan_.row_faults[d.relative_path].append((row, kind))
            placed += 1
        return placed

    # ---------------------------------------------------------------- rendering
    def render(self, delivery: Delivery) -> list[WrittenFile]:
        """The file(s) a delivery becomes, with any planned faults recorded."""
        path = delivery.relative_path
        kind = self.plan_.file_faults.get(path)
        if kind is None and not self.plan_.row_faults.get(path):
            return [WrittenFile(path, render_clean(delivery), delivery.rows)]
        if kind is None:
            return [self._with_row_faults(delivery)]
        return getattr(self, f"_file_{kind}")(delivery)

    def _record(self, file: str, row: int | None, fault: str, detail: str) -> None:
        self.records.append(FaultRecord(file, row, fault, detail))

    def _render_lines(
        self, contract: Contract, header: list[str], lines: list[_Line], delivery: Delivery
    ) -> bytes:
        if contract.kind == "csv":
            delimiter = contract.format["delimiter"]
            return writers.csv_from_lines(
                header,
                [
                    line.raw if line.raw is not None else writers.csv_line(line.values, delimiter)
                    for line in lines
                ],
                delimiter,
            )
        if contract.kind == "jsonl":
            return writers.jsonl_from_lines(
                [
                    line.raw if line.raw is not None else writers.json_line(header, line.values)
                    for line in lines
                ]
            )
        return writers.xlsx_from_rows(
            contract.format["sheet"], header, [line.values for line in lines], created_for(delivery)
        )

    def _with_row_faults(self, delivery: Delivery) -> WrittenFile:
        contract = delivery.contract
        lines = [_Line(values) for values in writers.table_rows(delivery.table)]
        copies: dict[int, list[_Line]] = defaultdict(list)
        for row, kind in sorted(self.plan_.row_faults[delivery.relative_path]):
            if kind == "duplicate_row":
                after = self.random.randrange(row, len(lines))
                copies[after].append(
                    _Line(list(lines[row].values), fault=(kind, "exact copy of an earlier row"))
                )
                continue
            edit = self._edit(kind, delivery, lines[row].values)
            if edit is None:
                raise AssertionError(f"planned {kind} no longer applies to {delivery.name}")
            values, raw, detail = edit
            lines[row] = _Line(values, raw, (kind, detail))
        final: list[_Line] = []
        for i, line in enumerate(lines):
            final.append(line)
            final.extend(copies.get(i, []))
        for number, line in enumerate(final, start=1):
            if line.fault:
                self._record(delivery.relative_path, number, *line.fault)
        content = self._render_lines(contract, contract.column_names, final, delivery)
        return WrittenFile(delivery.relative_path, content, len(final))

    def _edit(
        self, kind: str, delivery: Delivery, values: list[str | None], dry_run: bool = False
    ) -> tuple[list[str | None], str | None, str] | None:
        """The row with one fault of ``kind``, or None when this row cannot carry it."""
        contract = delivery.contract
        names = contract.column_names
        rnd = self.random if not dry_run else random.Random(0)
        new = list(values)

        def column_index(predicate: Callable[[Column], bool]) -> list[int]:
            return [i for i, c in enumerate(contract.columns) if predicate(c)]

        if kind == "duplicate_row":
            return new, None, "exact copy of an earlier row"
        if kind == "malformed_row":
            if contract.kind == "jsonl":
                line = writers.json_line(names, new)
                return new, line[:-1], "the line is not valid JSON (closing brace missing)"
            typed = column_index(lambda c: c.type in ("integer", "date", "timestamp"))
            i = typed[rnd.randrange(len(typed))]
            column = contract.columns[i]
            if column.type == "integer":
                new[i] = rnd.choice(["abc", "n/a", "12a", "?"])
            else:
                new[i] = _impossible_date(column.format or "%Y-%m-%d")
            return new, None, f"{column.name} {new[i]!r} is not a valid {column.type}"
        if kind == "wrong_column_count":
            delimiter = contract.format["delimiter"]
            if rnd.random() < 0.5:
                fields = [*new, "x"]
                detail = f"{len(fields)} fields where the header has {len(names)}"
            else:
                drop = rnd.randrange(1, len(new))
                fields = new[:drop] + new[drop + 1 :]
                detail = f"{len(fields)} fields where the header has {len(names)}"
            return new, writers.csv_line(fields, delimiter), detail
        if kind == "invalid_nhs_number":
            candidates = column_index(lambda c: c.type == "nhs_number")
            candidates = [i for i in candidates if new[i]]
            if not candidates:
                return None
            i = candidates[0]
            digit = (int(new[i][9]) + rnd.randrange(1, 10)) % 10
            new[i] = new[i][:9] + str(digit)
            return new, None, f"{names[i]} has check digit {digit}, which fails Modulus 11"
        if kind == "malformed_nhs_number":
            candidates = [i for i in column_index(lambda c: c.type == "nhs_number") if new[i]]
            if not candidates:
                return None
            i = candidates[0]
            number = new[i]
            form, new[i] = rnd.choice(
                [
                    ("dashed 3-3-4", f"{number[:3]}-{number[3:6]}-{number[6:]}"),
                    ("nine digits", number[:9]),
                    ("the word UNKNOWN", "UNKNOWN"),
                ]
            )
            return new, None, f"{names[i]} written as {form}"
        if kind == "inexact_value":
            typed = column_index(lambda c: c.type in ("integer", "date", "timestamp"))
            typed = [i for i in typed if new[i]]
            if not typed:
                return None
            i = typed[rnd.randrange(len(typed))]
            column = contract.columns[i]
            if column.type == "integer":
                value = new[i]
                new[i] = rnd.choice([f"{value}.0", f"{value}e0", f"{value[0]}_{value[1:]}"])
                if new[i].endswith("_"):
                    new[i] = f"{value}.0"
            else:
                parsed = datetime.strptime(new[i], column.format)
                new[i] = parsed.strftime(column.format.replace("%Y", "%y"))
            return new, None, f"{column.name} {new[i]!r} is not exactly a {column.type}"
        if kind in ("unknown_lsoa", "unknown_practice"):
            seed = "lsoas" if kind == "unknown_lsoa" else "practices"
            candidates = column_index(lambda c: (c.reference or "").startswith(f"{seed}."))
            i = candidates[0]
            new[i] = rnd.choice(self.unknown[seed])
            return new, None, f"{names[i]} {new[i]} is not in seeds/{seed}.csv"
        if kind == "future_date":
            return self._future_date(delivery, new, rnd)
        if kind == "end_before_start":
            return self._end_before_start(contract, new, rnd)
        raise ValueError(kind)

    def _future_date(
        self, delivery: Delivery, new: list[str | None], rnd: random.Random
    ) -> tuple[list[str | None], None, str] | None:
        contract = delivery.contract
        names = contract.column_names
        candidates = [
            i
            for i, c in enumerate(contract.columns)
            if c.not_after_period_end_days is not None
            and new[i]
            # moving a column that another must not precede would break that rule too,
            # unless the other column is blank in this row
            and not any(
                d.not_before == c.name and new[names.index(d.name)] for d in contract.columns
            )
        ]
        if not candidates:
            return None
        i = candidates[rnd.randrange(len(candidates))]
        column = contract.columns[i]
        value = datetime.strptime(new[i], column.format)
        limit = datetime.combine(delivery.period.last, time()) + timedelta(
            days=column.not_after_period_end_days
        )
        moved = value + (limit - value) + timedelta(days=rnd.randrange(200, 900))
        moved = moved.replace(hour=value.hour, minute=value.minute, second=value.second)
        new[i] = moved.strftime(column.format)
        return new, None, f"{column.name} {new[i]} is far beyond the delivery period"

    @staticmethod
    def _end_before_start(
        contract: Contract, new: list[str | None], rnd: random.Random
    ) -> tuple[list[str | None], None, str] | None:
        names = contract.column_names
        candidates = [
            i
            for i, c in enumerate(contract.columns)
            if c.not_before and new[i] and new[names.index(c.not_before)]
        ]
        if not candidates:
            return None
        i = candidates[rnd.randrange(len(candidates))]
        column = contract.columns[i]
        partner = contract.column(column.not_before)
        start = datetime.strptime(new[names.index(partner.name)], partner.format)
        if column.type == "timestamp":
            earlier = start - timedelta(minutes=rnd.randrange(30, 240))
        else:
            earlier = start - timedelta(days=rnd.randrange(1, 11))
        new[i] = earlier.strftime(column.format)
        return new, None, f"{column.name} {new[i]} is before {partner.name}"

    # ------------------------------------------------------------- file faults
    def _file_empty_file(self, d: Delivery) -> list[WrittenFile]:
        self._record(d.relative_path, None, "empty_file", "the file is empty (0 bytes)")
        return [WrittenFile(d.relative_path, b"", 0)]

    def _file_bom(self, d: Delivery) -> list[WrittenFile]:
        self._record(d.relative_path, None, "bom", "UTF-8 byte-order mark at the start")
        return [WrittenFile(d.relative_path, BOM + render_clean(d), d.rows)]

    def _file_truncated_file(self, d: Delivery) -> list[WrittenFile]:
        content = render_clean(d)
        if d.contract.kind == "xlsx":
            cut = len(content) * 6 // 10
            self._record(
                d.relative_path,
                None,
                "truncated_file",
                f"workbook cut after {cut} of {len(content)} bytes",
            )
            return [WrittenFile(d.relative_path, content[:cut], d.rows)]
        starts = [0, *(m.end() for m in re.finditer(b"\n", content))][:-1]
        header_lines = 1 if d.contract.kind == "csv" else 0
        row = self.random.randrange(header_lines, len(starts))
        line_end = content.index(b"\n", starts[row])
        cut = starts[row] + max(1, (line_end - starts[row]) // 2)
        self._record(
            d.relative_path,
            None,
            "truncated_file",
            f"cut in the middle of data row {row - header_lines + 1}, no final newline",
        )
        return [WrittenFile(d.relative_path, content[:cut], d.rows)]

    def _file_missing_column(self, d: Delivery) -> list[WrittenFile]:
        contract = d.contract
        required = [i for i, c in enumerate(contract.columns) if c.required]
        drop = required[self.random.randrange(len(required))]
        header = [n for i, n in enumerate(contract.column_names) if i != drop]
        lines = [
            _Line([v for i, v in enumerate(row) if i != drop])
            for row in writers.table_rows(d.table)
        ]
        self._record(
            d.relative_path,
            None,
            "missing_column",
            f"required column {contract.column_names[drop]} removed",
        )
        return [
            WrittenFile(d.relative_path, self._render_lines(contract, header, lines, d), d.rows)
        ]

    def _file_extra_column(self, d: Delivery) -> list[WrittenFile]:
        contract = d.contract
        at = self.random.randrange(1, len(contract.column_names) + 1)
        header = [*contract.column_names[:at], "notes", *contract.column_names[at:]]
        lines = [
            _Line([*row[:at], self.random.choice(NOTES), *row[at:]])
            for row in writers.table_rows(d.table)
        ]
        self._record(
            d.relative_path, None, "extra_column", f"unexpected column 'notes' at position {at + 1}"
        )
        return [
            WrittenFile(d.relative_path, self._render_lines(contract, header, lines, d), d.rows)
        ]

    def _file_non_utf8(self, d: Delivery) -> list[WrittenFile]:
        contract = d.contract
        rows = writers.table_rows(d.table)
        column = self._free_text_columns(contract)[0]
        i = contract.column_names.index(column.name)
        row = self.random.randrange(len(rows))
        text = rows[row][i] or ""
        if "'" in text:
            text = text.replace("'", "\u2019")
        elif "e" in text:
            text = text.replace("e", "\u00e9", 1)
        else:
            text = f"{text} Caf\u00e9"
        rows[row][i] = text
        delimiter = contract.format["delimiter"]
        body = "".join(
            writers.csv_line(r, delimiter) + "\n" for r in [contract.column_names, *rows]
        )
        content = body.encode("cp1252", errors="replace")
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise AssertionError("a non_utf8 fault must not decode as UTF-8")
        self._record(
            d.relative_path,
            None,
            "non_utf8",
            f"encoded as Windows-1252; {column.name} of data row {row + 1} is {text!r}",
        )
        return [WrittenFile(d.relative_path, content, d.rows)]

    def _file_duplicate_file(self, d: Delivery) -> list[WrittenFile]:
        content = render_clean(d)
        copy = f"{d.folder}/resent/{d.name}"
        self._record(copy, None, "duplicate_file", f"byte-identical copy of {d.relative_path}")
        return [WrittenFile(d.relative_path, content, d.rows), WrittenFile(copy, content, d.rows)]

    def _file_resent_crlf(self, d: Delivery) -> list[WrittenFile]:
        content = render_clean(d)
        copy = f"{d.folder}/resent/{d.name}"
        self._record(
            copy, None, "resent_crlf", f"same rows as {d.relative_path}, with BOM and CRLF"
        )
        windows = BOM + content.replace(b"\n", b"\r\n")
        return [WrittenFile(d.relative_path, content, d.rows), WrittenFile(copy, windows, d.rows)]

    def _file_quoted_export(self, d: Delivery) -> list[WrittenFile]:
        delimiter = d.contract.format["delimiter"]
        lines = [d.contract.column_names, *writers.table_rows(d.table)]
        text = "".join(
            delimiter.join('"' + (v or "").replace('"', '""') + '"' for v in row) + "\n"
            for row in lines
        )
        self._record(d.relative_path, None, "quoted_export", "every field in double quotes")
        return [WrittenFile(d.relative_path, text.encode(), d.rows)]

    def _file_refresh(self, d: Delivery) -> list[WrittenFile]:
        """First delivery with early errors; the _v2 refresh carries the true rows."""
        contract = d.contract
        key = contract.natural_key[0]
        key_index = contract.column_names.index(key)
        truth = writers.table_rows(d.table)
        n = len(truth)
        k = max(1, min(10, n // 50))
        picked = self.random.sample(range(n), min(n, 3 * k))
        added, changed = set(picked[:k]), picked[k : 2 * k]
        coded = [
            i
            for i, c in enumerate(contract.columns)
            if c.values and c.name not in contract.natural_key
        ]
        first = [list(row) for row in truth]
        for r in changed:
            i = coded[self.random.randrange(len(coded))]
            allowed = contract.columns[i].values
            first[r][i] = allowed[-1] if first[r][i] != allowed[-1] else allowed[0]
        removed = []
        match = re.fullmatch(r"(\D*)(\d+)", self.max_key[contract.name])
        prefix, digits = match.group(1), match.group(2)
        base = int(digits) + 1_000
        for j in range(max(1, k // 2)):
            phantom = list(truth[self.random.randrange(n)])
            phantom[key_index] = f"{prefix}{base + j:0{len(digits)}d}"
            removed.append(phantom)
        first_rows = [row for r, row in enumerate(first) if r not in added] + removed
        first_rows.sort(key=lambda row: row[key_index])
        v1 = self._render_lines(contract, contract.column_names, [_Line(r) for r in first_rows], d)
        v2_name = file_name(contract, d.period.label, version=2)
        v2_path = f"{d.folder}/{v2_name}"
        self._record(
            v2_path,
            None,
            "refresh",
            f"supersedes {d.relative_path}: {len(changed)} row(s) changed, {len(added)} added, "
            f"{len(removed)} removed",
        )
        return [
            WrittenFile(d.relative_path, v1, len(first_rows)),
            WrittenFile(v2_path, render_clean(d), n),
        ]
