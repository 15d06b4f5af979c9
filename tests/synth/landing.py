"""Reading a generated landing folder back into tables, for cross-feed checks."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from footprint.contracts import Contract, contract_for


def feed_files(out: Path, contract: Contract) -> list[Path]:
    """The current delivery of each period (a _vN refresh replaces the first), no resends."""
    folder = out / contract.organisation / contract.feed
    latest: dict[str, tuple[int, Path]] = {}
    for path in sorted(folder.glob("*")):
        match = contract.pattern.fullmatch(path.name)
        if not path.is_file() or match is None:
            continue
        version = int(match.groupdict().get("version") or 1)
        period = match.group("period")
        if period not in latest or version > latest[period][0]:
            latest[period] = (version, path)
    return [path for _, path in sorted(latest.values(), key=lambda v: v[1].name)]


def read_file(path: Path, contract: Contract) -> pd.DataFrame:
    if contract.kind == "csv":
        return pd.read_csv(path, sep=contract.format["delimiter"], dtype=str, keep_default_na=False)
    if contract.kind == "jsonl":
        records = [json.loads(line) for line in path.read_text().splitlines()]
        return pd.DataFrame.from_records(records, columns=contract.column_names)
    frame = pd.read_excel(
        io.BytesIO(path.read_bytes()),
        sheet_name=contract.format["sheet"],
        dtype=str,
        keep_default_na=False,
        engine="openpyxl",
    )
    return frame


def load_feed(out: Path, name: str) -> pd.DataFrame:
    """Every current row of a feed, with the file it came from."""
    contract = contract_for(name)
    frames = []
    for path in feed_files(out, contract):
        frame = read_file(path, contract)
        frames.append(frame.assign(_file=path.name))
    if not frames:
        return pd.DataFrame(columns=[*contract.column_names, "_file"])
    return pd.concat(frames, ignore_index=True)
