"""Delivery periods and the burn-in before the first delivered month."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from footprint.synth.timeline import Timeline, ages_in_years, day_number, parse_month


def test_the_default_run_covers_november_2024_to_october_2026():
    timeline = Timeline(parse_month("2024-11"), 24)
    assert timeline.end == date(2026, 10, 31)
    assert len(timeline.periods("day")) == 730
    months = timeline.periods("month")
    assert [months[0].label, months[-1].label] == ["2024-11", "2026-10"]
    quarters = [p.label for p in timeline.periods("quarter")]
    assert quarters[0] == "2024-Q4" and quarters[-1] == "2026-Q3" and len(quarters) == 8


def test_the_simulation_starts_at_a_quarter_boundary_at_least_three_months_early():
    timeline = Timeline(parse_month("2024-11"), 24)
    assert timeline.sim_start == date(2024, 7, 1)
    assert timeline.burn_in_months == 4
    assert len(timeline.sim_months) == 28
    assert timeline.trend_position(0) == 0.0
    assert timeline.trend_position(4) == 0.0
    assert timeline.trend_position(27) == 1.0


def test_a_quarter_still_running_at_the_end_is_not_delivered():
    timeline = Timeline(parse_month("2025-01"), 4)  # January to April 2025
    assert [p.label for p in timeline.periods("quarter")] == ["2025-Q1"]


def test_whole_year_ages_count_birthdays():
    dob = np.array([day_number(date(2000, 2, 29)), day_number(date(1950, 12, 31))])
    assert ages_in_years(dob, day_number(date(2024, 2, 28))).tolist() == [23, 73]
    assert ages_in_years(dob, day_number(date(2024, 2, 29))).tolist() == [24, 73]
    assert ages_in_years(dob, day_number(date(2024, 12, 31))).tolist() == [24, 74]


def test_a_bad_start_month_is_explained():
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month("Nov 2024")
