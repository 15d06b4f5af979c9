"""The build lock (footprint/build_lock.py) for runs of the Dagster jobs.

Every job that writes the warehouse holds the build lock for its whole run: the
per-organisation `ingest_<organisation>` jobs and the landing sensor's runs, as well
as the nightly job. A run started while `footprint run`, `footprint ingest` or another
run holds the lock fails at once, before touching anything, with the build lock's
message naming the running build. `footprint run` takes the lock itself (before dbt
parse) and runs the job in the same process, so the job's own request finds the lock
already held for it here and goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from footprint.build_lock import build_lock
from footprint.paths import warehouse_path

_held_here: set[Path] = set()  # warehouses whose lock this process holds, via run_lock


@contextmanager
def run_lock(warehouse: Path) -> Iterator[None]:
    """The build lock, unless this process already holds it (through run_lock) for the
    same warehouse: then the caller is part of that build."""
    key = warehouse.resolve()
    if key in _held_here:
        yield
        return
    with build_lock(warehouse):
        _held_here.add(key)
        try:
            yield
        finally:
            _held_here.discard(key)


class BuildLock(dg.ConfigurableResource):
    """Holds the build lock on the warehouse from the start of a run to its end (the
    jobs run in one process, so the resource is set up once per run)."""

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[BuildLock]:
        with run_lock(warehouse_path()):
            yield self
