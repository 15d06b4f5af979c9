"""The deaths extract (ccg.deaths, PCMD-like): the simulated deaths, registered and
delivered as the CCG receives them, with plausible rates, causes and places."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from footprint.paths import SEEDS_DIR
from footprint.synth.deaths import cause_table
from footprint.synth.reference import load_reference
from footprint.synth.scenario import load_scenario
from tests.synth.landing import load_feed


@pytest.fixture(scope="module")
def deaths(clean: Path) -> pd.DataFrame:
    frame = load_feed(clean, "ccg__deaths")
    frame["died"] = pd.to_datetime(frame["date_of_death"])
    frame["registered"] = pd.to_datetime(frame["date_of_registration"])
    frame["age"] = frame["age_at_death"].astype(int)
    return frame


@pytest.fixture(scope="module")
def people(clean: Path) -> pd.DataFrame:
    return pd.read_parquet(clean / "_generator" / "population.parquet")


def test_every_registered_death_is_a_simulated_death_delivered_in_its_registration_month(
    deaths, people
):
    assert len(deaths) > 50
    assert deaths["nhs_number"].is_unique
    died = dict(zip(people["nhs_number"], pd.to_datetime(people["date_of_death"]), strict=True))
    assert (deaths["nhs_number"].map(died) == deaths["died"]).all()
    assert (deaths["registered"] >= deaths["died"]).all()
    month = deaths["registered"].dt.strftime("%Y-%m")
    assert (deaths["_file"] == "deaths_" + month + ".csv").all()
    born = dict(zip(people["nhs_number"], pd.to_datetime(people["date_of_birth"]), strict=True))
    age = (deaths["died"] - deaths["nhs_number"].map(born)).dt.days // 365.25
    assert (abs(age - deaths["age"]) <= 1).all()


def test_most_deaths_are_registered_within_five_days_and_late_ones_are_missing(
    deaths, people, clean
):
    delay = (deaths["registered"] - deaths["died"]).dt.days
    assert 0.8 <= (delay <= 5).mean() < 1.0  # the rest wait for the coroner
    last = deaths["registered"].max()
    dead = people.dropna(subset=["date_of_death"])
    died_last_week = dead[pd.to_datetime(dead["date_of_death"]) > last - pd.Timedelta(days=3)]
    # deaths in the last days are mostly not registered yet: not in the extract
    assert len(died_last_week) > len(set(died_last_week["nhs_number"]) & set(deaths["nhs_number"]))


def test_death_rates_rise_with_age_and_the_crude_rate_is_englands(deaths, people):
    # about 1,000 per 100,000 a year in England (ONS, 2023); 12 months here
    crude = len(deaths) / len(people) * 100_000
    assert 500 < crude < 1_600
    under_65 = (deaths["age"] < 65).sum()
    over_85 = (deaths["age"] >= 85).sum()
    assert over_85 > under_65 * 0.8
    assert 70 <= deaths["age"].mean() <= 88


def test_causes_include_cancer_and_circulatory_disease_in_englands_shares(deaths):
    cause = deaths["underlying_cause"]
    cancer = cause.str.match(r"^C([0-8][0-9]|9[0-7])")
    circulatory = cause.str.match(r"^I[0-9]{2}")
    under_75 = deaths["age"] < 75
    # England: about 40% of deaths under 75 are from cancer; a quarter of all deaths
    # circulatory, a quarter cancer (wide bounds: about 150 deaths here)
    assert 0.2 <= cancer[under_75].mean() <= 0.6
    assert 0.12 <= circulatory.mean() <= 0.4
    assert 0.1 <= cancer.mean() <= 0.4


def test_thecause_table_gives_each_age_group_the_scenarios_cause_shares():
    reference = load_reference(SEEDS_DIR)
    scenario = load_scenario(reference)
    codes, probabilities = cause_table(scenario)
    shares = scenario.section("deaths")["cause_shares"]
    cancer = [i for i, c in enumerate(codes) if c[0] == "C" and int(c[1:3]) <= 97]
    circulatory = [i for i, c in enumerate(codes) if c[0] == "I"]
    assert probabilities.sum(axis=1) == pytest.approx(1.0)
    assert probabilities[:, cancer].sum(axis=1) == pytest.approx(shares["cancer"])
    assert probabilities[:, circulatory].sum(axis=1) == pytest.approx(shares["circulatory"])


def test_place_of_death_follows_the_simulation(deaths, clean):
    spells = load_feed(clean, "trust__inpatient_spells")
    died_in_hospital = set(spells.loc[spells["discharge_destination"] == "79", "nhs_number"])
    ae = load_feed(clean, "trust__ae_attendances")
    died_in_ae = set(ae.loc[ae["discharge_destination"] == "died", "nhs_number"])
    in_hospital = deaths["nhs_number"].isin(died_in_hospital | died_in_ae)
    assert (deaths.loc[in_hospital, "place_of_death"] == "hospital").all()
    assert set(deaths["place_of_death"]) >= {"hospital", "home", "care_home"}
