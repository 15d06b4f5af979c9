"""Is a feed late? Judged by the newest delivery period it has sent, against the
contract's `expected_every_days`, not by when ingestion last ran."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from footprint.contracts import Contract

SQL = Path(__file__).parent / "sql" / "latest_delivery.sql"


@dataclass(frozen=True)
class Freshness:
    feed: str
    latest_period_end: date | None
    days_late: int | None  # None when on time
    message: str

    @property
    def on_time(self) -> bool:
        return self.days_late is None


def feed_freshness(contract: Contract, warehouse: Path, today: date) -> Freshness:
    if not warehouse.exists():
        latest = None
    else:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            latest, _ = connection.execute(
                SQL.read_text(), {"organisation": contract.organisation, "feed": contract.feed}
            ).fetchone()
    allowed = contract.expected_every_days
    if latest is None:
        return Freshness(
            contract.name, None, allowed, f"{contract.title}: nothing has been delivered yet"
        )
    gap = (today - latest).days
    if gap <= allowed:
        return Freshness(
            contract.name, latest, None, f"{contract.title}: on time (latest period ends {latest})"
        )
    return Freshness(
        contract.name,
        latest,
        gap - allowed,
        f"{contract.title}: late — the latest delivery covers up to {latest}, "
        f"{gap} days ago; one is expected every {allowed} day(s)",
    )
