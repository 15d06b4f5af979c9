"""Ingest every feed (or one organisation's, or one feed) from landing/ into the warehouse."""

from __future__ import annotations

from footprint.build_lock import build_lock
from footprint.contracts import Contract, all_contracts
from footprint.ingest.loader import FeedLoadSummary, load_feed
from footprint.keys import load_key
from footprint.paths import landing_dir, warehouse_path


def select_contracts(organisation: str | None = None, feed: str | None = None) -> list[Contract]:
    chosen = [
        c
        for c in all_contracts()
        if (organisation is None or c.organisation == organisation)
        and (feed is None or c.name == feed)
    ]
    if not chosen:
        known = ", ".join(c.name for c in all_contracts())
        raise ValueError(
            f"no feed matches organisation={organisation!r} feed={feed!r}; feeds are: {known}"
        )
    return chosen


def ingest(organisation: str | None = None, feed: str | None = None) -> list[FeedLoadSummary]:
    key = load_key()
    landing = landing_dir()
    if not landing.is_dir():
        raise FileNotFoundError(f"the landing folder {landing} does not exist or is not a folder")
    contracts = select_contracts(organisation, feed)
    # the warehouse has one writer: a hand-run ingest refuses while a build runs
    with build_lock(warehouse_path()):
        return [load_feed(contract, landing, warehouse_path(), key) for contract in contracts]


def print_summaries(summaries: list[FeedLoadSummary]) -> None:
    print(
        f"{'feed':34} {'files':>6} {'rejected':>8} {'dup':>4} {'read':>9} "
        f"{'loaded':>9} {'quarantined':>11}"
    )
    for s in summaries:
        print(
            f"{s.feed:34} {s.files_seen:>6} {s.files_rejected:>8} {s.files_duplicate:>4} "
            f"{s.rows_read:>9} {s.rows_loaded:>9} {s.rows_quarantined:>11}"
        )
    for s in summaries:
        for message in s.messages:
            print(f"  {s.feed}: {message}")
