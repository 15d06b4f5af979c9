"""Feed freshness in the quality report: whether each feed delivered as often as its
contract says (footprint/ingest/freshness.py), saved for the run like a checkpoint's
results. A late feed is a warning: it never stops publication."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from footprint.ingest.freshness import Freshness
from footprint.quality.results import (
    FAILED,
    FRESHNESS,
    PASSED,
    BatchResult,
    CheckpointResult,
    ExpectationResult,
    save,
)


def _expectation(result: Freshness) -> ExpectationResult:
    return ExpectationResult(
        name=f"{result.feed} delivered on time",
        description=result.message,
        type="feed_freshness",
        severity="warning",
        source="contract",
        status=PASSED if result.on_time else FAILED,
        observed_value=None if result.on_time else f"{result.days_late} day(s) late",
    )


def save_freshness(
    run_id: str, results: Iterable[Freshness], today: str, warehouse: Path | None = None
) -> CheckpointResult:
    """Save the feeds' freshness, judged on `today`, as <run folder>/freshness.json."""
    results = sorted(results, key=lambda r: r.feed)
    checked_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    result = CheckpointResult(
        checkpoint=FRESHNESS,
        description="Whether each feed's latest delivery is as recent as its contract "
        f"expects (`expected_every_days`), judged on {today}. Warning only.",
        suite="",
        kind="freshness",
        target="deliveries",
        asset_key=[],
        has_blocking=False,
        run_id=run_id,
        started_at=checked_at,
        finished_at=checked_at,
        batches=[
            BatchResult(
                batch_id="freshness",
                label=f"deliveries as of {today}",
                rows=len(results),
                run_id=run_id,
                validated_at=checked_at,
                expectations=[_expectation(r) for r in results],
            )
        ],
    )
    save(result, warehouse)
    return result
