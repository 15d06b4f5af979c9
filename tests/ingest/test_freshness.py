"""A feed is late when its newest delivery period is older than its contract allows."""

from __future__ import annotations

from datetime import date

from footprint.ingest.freshness import feed_freshness
from tests.ingest.test_loader import AE, ae_row, load, write_ae


def test_a_feed_is_late_only_after_its_expected_interval(workspace):
    assert feed_freshness(AE, workspace["warehouse"], date(2025, 3, 5)).message.endswith(
        "nothing has been delivered yet"
    )
    write_ae(workspace["landing"], "2025-03-04", [ae_row(1)])
    load(AE, workspace)
    on_time = feed_freshness(AE, workspace["warehouse"], date(2025, 3, 5))
    assert on_time.on_time and on_time.latest_period_end == date(2025, 3, 4)
    late = feed_freshness(AE, workspace["warehouse"], date(2025, 3, 10))
    assert late.days_late == 5
    assert "late — the latest delivery covers up to 2025-03-04, 6 days ago" in late.message
