"""Plain results: per checkpoint, per batch, per expectation; saved as JSON, one file per
checkpoint, under <warehouse folder>/quality/runs/<run id>/."""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from footprint.paths import warehouse_path

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
MAX_EXAMPLES = 10
DBT_TESTS = "dbt_tests"  # the results of dbt's own tests, saved like a checkpoint's
FRESHNESS = "freshness"  # whether each feed delivered on time, saved like a checkpoint's


def quality_dir(warehouse: Path | None = None) -> Path:
    """Where quality results live: beside the warehouse, never in the repository."""
    return (warehouse or warehouse_path()).parent / "quality"


def run_dir(run_id: str, warehouse: Path | None = None) -> Path:
    return quality_dir(warehouse) / "runs" / run_id


def plain(value: Any) -> Any:
    """A JSON-safe copy: numpy and pandas scalars to Python, dates to ISO, NaN to None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return plain(value.item())
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, int | float):
        return value
    return str(value)


@dataclass
class ExpectationResult:
    name: str
    description: str
    type: str
    severity: str  # blocking | warning
    source: str  # suite | contract
    status: str  # passed | failed | skipped
    kwargs: dict[str, Any] = field(default_factory=dict)  # parameters filled in
    observed_value: Any = None
    element_count: int | None = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    examples: list[dict[str, Any]] = field(default_factory=list)  # up to MAX_EXAMPLES
    message: str | None = None  # why skipped, or the error that made it fail

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    @property
    def success(self) -> bool | None:
        return None if self.status == SKIPPED else self.status == PASSED


@dataclass
class BatchResult:
    """One validated batch: a delivery's rows, or a mart."""

    batch_id: str  # delivery id, or schema.name of the mart
    label: str  # what a person calls it: the file and period, or the mart
    rows: int
    run_id: str  # the run that validated it (earlier for a carried-forward failure)
    validated_at: str
    parameters: dict[str, Any] = field(default_factory=dict)
    expectations: list[ExpectationResult] = field(default_factory=list)

    @property
    def failed_blocking(self) -> list[ExpectationResult]:
        return [e for e in self.expectations if e.failed and e.severity == "blocking"]

    @property
    def failed_warning(self) -> list[ExpectationResult]:
        return [e for e in self.expectations if e.failed and e.severity == "warning"]


@dataclass
class CheckpointResult:
    checkpoint: str
    description: str
    suite: str
    kind: str  # delivery | mart | dbt | freshness
    target: str  # feed or dbt model
    asset_key: list[str]
    has_blocking: bool  # the suite has blocking expectations
    run_id: str
    started_at: str
    finished_at: str = ""
    batches: list[BatchResult] = field(default_factory=list)
    error: str | None = None  # the checkpoint could not run at all
    notes: list[str] = field(default_factory=list)

    @property
    def blocking_failed(self) -> bool:
        """A failure that must stop publication."""
        if self.error:
            return self.has_blocking
        return any(b.failed_blocking for b in self.batches)

    @property
    def warning_failed(self) -> bool:
        if self.error:
            return not self.has_blocking
        return any(b.failed_warning for b in self.batches)

    @property
    def success(self) -> bool:
        return not self.blocking_failed and not self.warning_failed

    def to_dict(self) -> dict[str, Any]:
        document = plain(asdict(self))
        document["summary"] = {
            "success": self.success,
            "blocking_failed": self.blocking_failed,
            "warning_failed": self.warning_failed,
            "batches": len(self.batches),
            "failed_blocking": sum(len(b.failed_blocking) for b in self.batches),
            "failed_warning": sum(len(b.failed_warning) for b in self.batches),
        }
        return document

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> CheckpointResult:
        fields = {k: v for k, v in document.items() if k != "summary"}
        fields["batches"] = [batch_from_dict(b) for b in document.get("batches", [])]
        return cls(**fields)


def batch_from_dict(document: dict[str, Any]) -> BatchResult:
    fields = dict(document)
    fields["expectations"] = [ExpectationResult(**e) for e in document.get("expectations", [])]
    return BatchResult(**fields)


def write_json(path: Path, document: Any) -> None:
    """Write a JSON-safe document (see plain) atomically: a reader sees the old file or
    the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.incoming")
    temporary.write_text(json.dumps(document, indent=2) + "\n")
    os.replace(temporary, path)


def save(result: CheckpointResult, warehouse: Path | None = None) -> Path:
    path = run_dir(result.run_id, warehouse) / f"{result.checkpoint}.json"
    write_json(path, result.to_dict())
    return path


@lru_cache(maxsize=64)
def _load_result(path: Path, modified_ns: int, size: int) -> CheckpointResult:
    return CheckpointResult.from_dict(json.loads(path.read_text()))


def load_run(run_id: str, warehouse: Path | None = None) -> list[CheckpointResult]:
    """Every checkpoint result saved for a run, by checkpoint name, to read and not to
    change: the report is rebuilt after every check of a run, so a file read before is
    not parsed again unless it changed (a first load of 24 months makes megabytes)."""
    folder = run_dir(run_id, warehouse)
    if not folder.is_dir():
        return []
    results = []
    for path in sorted(folder.glob("*.json")):
        status = path.stat()
        results.append(_load_result(path, status.st_mtime_ns, status.st_size))
    return results
