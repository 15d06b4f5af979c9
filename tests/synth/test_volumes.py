"""Volumes per year, scaled back to scale 1, are those of a borough of ~330,000."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.synth.conftest import RUN
from tests.synth.landing import load_feed

YEARS = RUN["months"] / 12
PER_YEAR_AT_SCALE_1 = 1 / (RUN["scale"] * YEARS)


@pytest.fixture(scope="module")
def truth(clean: Path) -> dict:
    return json.loads((clean / "_generator" / "truth.json").read_text())


@pytest.mark.parametrize(
    ("feed", "low", "high"),
    [
        ("trust__ae_attendances", 80_000, 140_000),
        ("ambulance__incidents", 40_000, 70_000),
        ("trust__delayed_discharges", 500, 4_000),
        ("council__reablement", 800, 4_000),
    ],
)
def test_rows_per_year_are_in_range(truth, feed, low, high):
    per_year = truth["feeds"][feed]["rows"] * PER_YEAR_AT_SCALE_1
    assert low <= per_year <= high, f"{feed}: {per_year:,.0f} a year at scale 1"


def test_emergency_admissions_per_year_are_in_range(clean: Path):
    spells = load_feed(clean, "trust__inpatient_spells")
    emergency = spells["admission_method"].str.match(r"^2|^28$")
    per_year = emergency.sum() * PER_YEAR_AT_SCALE_1
    assert 25_000 <= per_year <= 45_000
    elective = (~emergency).sum() * PER_YEAR_AT_SCALE_1
    assert 5_000 <= elective <= 25_000


def test_social_care_has_tens_of_thousands_of_events_a_year(clean: Path):
    events = load_feed(clean, "council__asc_events")
    started = events.drop_duplicates("event_id")
    per_year = len(started) * PER_YEAR_AT_SCALE_1
    assert 10_000 <= per_year <= 90_000


def test_the_population_is_a_borough_at_scale_1(truth):
    residents = truth["population"]["resident_at_start"] / RUN["scale"]
    assert 300_000 <= residents <= 370_000
    assert truth["population"]["high_intensity_users"] > 0


def test_conveyance_and_admission_rates_are_realistic(clean: Path):
    incidents = load_feed(clean, "ambulance__incidents")
    conveyed = (incidents["outcome"] == "see_and_convey").mean()
    assert 0.5 <= conveyed <= 0.7
    assert 0.85 <= incidents["nhs_number"].notna().mean() <= 0.95
    ae = load_feed(clean, "trust__ae_attendances")
    assert 0.2 <= (ae["discharge_destination"] == "admitted").mean() <= 0.32
