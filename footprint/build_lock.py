"""One build at a time: the warehouse is a single DuckDB file with a single writer.

A second build started while one runs refuses at once with a message naming the
running build, rather than queueing behind it or corrupting it. The lock is an flock
on a file beside the warehouse, so it is released by the kernel if the build dies.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class BuildRunningError(RuntimeError):
    """Another build holds the warehouse."""


@contextmanager
def build_lock(warehouse: Path) -> Iterator[None]:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    path = warehouse.with_name(f"{warehouse.name}.build.lock")
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildRunningError(
                f"another build is already running on {warehouse} ({holder}); "
                f"wait for it to finish, then run again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
