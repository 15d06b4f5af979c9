"""Retry a step only when the warehouse is held by another process.

DuckDB lets one process write a database file, or several read it; a reader tool left
open, or a second build, makes every other open fail with "Could not set lock on file"
until it lets go. That is the one transient failure of the nightly job: it is worth
waiting for. Anything else (a bad delivery, a SQL error, a full disk) fails the same
way on every attempt, so it fails the step at once with its own message. Dagster's
RetryPolicy retries every error, so the steps raise RetryRequested for this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from footprint.quality.warehouse import WarehouseBusyError

BUSY_RETRIES = 3
BUSY_FIRST_WAIT_SECONDS = 30  # doubled on each retry: 30 s, 60 s, 120 s
_LOCK_CONFLICT = ("Could not set lock on file", "Conflicting lock is held")


def warehouse_busy(error: BaseException) -> bool:
    """True when the error, or one it was raised from, is DuckDB's lock conflict."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, WarehouseBusyError) or any(s in str(seen) for s in _LOCK_CONFLICT):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@contextmanager
def retry_when_warehouse_busy(
    context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext,
) -> Iterator[None]:
    """Turn a lock conflict inside the block into a retry of the step, later."""
    try:
        yield
    except Exception as error:
        if not warehouse_busy(error):
            raise
        wait = BUSY_FIRST_WAIT_SECONDS * 2**context.retry_number
        if context.retry_number < BUSY_RETRIES:
            context.log.warning(f"The warehouse is held by another process; retrying in {wait} s")
        raise dg.RetryRequested(max_retries=BUSY_RETRIES, seconds_to_wait=wait) from error
