"""Which deliveries a checkpoint has validated, so that each run validates only the
deliveries loaded since (and all of them again when the suite, its contract or the
checkpoint changes).

A delivery that failed a blocking expectation keeps failing, run after run, until it
leaves the raw table (a corrected file supersedes it): its failing result is kept here
and carried into each run's results. One JSON file per checkpoint, beside the warehouse.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from footprint.quality.results import (
    BatchResult,
    batch_from_dict,
    plain,
    quality_dir,
    write_json,
)


def fingerprint(document: Any) -> str:
    """A stable hash of what a validation depended on (expectations, parameters)."""
    text = json.dumps(document, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Ledger:
    path: Path
    fingerprint: str
    # delivery id -> {"run_id", "validated_at", "blocking_failed", "batch" (if it failed)}
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, checkpoint: str, current: str, warehouse: Path | None = None) -> Ledger:
        path = quality_dir(warehouse) / "ledger" / f"{checkpoint}.json"
        if path.exists():
            document = json.loads(path.read_text())
            if document.get("fingerprint") == current:
                return cls(path, current, document.get("deliveries", {}))
        return cls(path, current)

    def validated(self, delivery_id: str) -> bool:
        return delivery_id in self.entries

    def outstanding_failure(self, delivery_id: str) -> BatchResult | None:
        """The earlier result of a delivery that failed a blocking expectation."""
        entry = self.entries.get(delivery_id, {})
        return batch_from_dict(entry["batch"]) if entry.get("blocking_failed") else None

    def record(self, batch: BatchResult) -> None:
        failed = bool(batch.failed_blocking)
        self.entries[batch.batch_id] = {
            "run_id": batch.run_id,
            "validated_at": batch.validated_at,
            "blocking_failed": failed,
            **({"batch": asdict(batch)} if failed else {}),
        }

    def save(self, still_loaded: set[str]) -> None:
        """Forget deliveries no longer in the raw table, then write the file."""
        self.entries = {k: v for k, v in self.entries.items() if k in still_loaded}
        write_json(self.path, plain({"fingerprint": self.fingerprint, "deliveries": self.entries}))
