"""Small builders for hand-made deliveries, so each test states exactly what it sends."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from footprint.contracts import Contract
from footprint.nhs_number import check_digit
from footprint.paths import SEEDS_DIR


def valid_nhs_number(stem: int) -> str:
    """A 999-range NHS number with a correct Modulus 11 check digit."""
    while True:
        first_nine = f"999{stem:06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            return first_nine + str(digit)
        stem += 1


def invalid_nhs_number(stem: int) -> str:
    good = valid_nhs_number(stem)
    return good[:9] + str((int(good[9]) + 1) % 10)


def seed_codes(seed: str, column: str) -> list[str]:
    with (SEEDS_DIR / f"{seed}.csv").open() as fh:
        return sorted({row[column] for row in csv.DictReader(fh)})


def write_delimited(path: Path, header: list[str], rows: list[list[str]], delimiter: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def feed_folder(landing: Path, contract: Contract) -> Path:
    folder = landing / contract.organisation / contract.feed
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def query(warehouse: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, parameters or []).fetchall()
