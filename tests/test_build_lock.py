"""Two builds at once: the second refuses clearly; the lock is released afterwards."""

from __future__ import annotations

import pytest

from footprint.build_lock import BuildRunningError, build_lock


def test_a_second_build_refuses_while_the_first_runs(tmp_path):
    warehouse = tmp_path / "footprint.duckdb"
    refused = pytest.raises(BuildRunningError, match=r"already running .*\(pid \d+ since")
    with build_lock(warehouse), refused, build_lock(warehouse):
        pass
    with build_lock(warehouse):  # released when the first build ended
        pass
