"""One population behind all feeds: people and pathways are consistent across organisations."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from footprint.contracts import contract_for
from footprint.nhs_number import is_valid
from footprint.synth.timeline import Timeline, parse_month
from tests.synth.conftest import RUN
from tests.synth.contract_rules import period_end
from tests.synth.landing import load_feed

TIMELINE = Timeline(parse_month(RUN["start_month"]), RUN["months"])
FIRST = pd.Timestamp(TIMELINE.start)
LAST = pd.Timestamp(TIMELINE.end)
CARE_HOME_SOURCES = {"54", "65", "85"}


@pytest.fixture(scope="module")
def feeds(clean: Path) -> dict[str, pd.DataFrame]:
    names = [
        "trust__ae_attendances",
        "trust__inpatient_spells",
        "trust__delayed_discharges",
        "ambulance__incidents",
        "council__asc_events",
        "council__reablement",
        "ccg__gp_registrations",
        "ccg__practice_map",
    ]
    frames = {name.split("__")[1]: load_feed(clean, name) for name in names}
    ae = frames["ae_attendances"]
    ae["arrival"] = pd.to_datetime(ae["arrival_at"])
    ae["departure"] = pd.to_datetime(ae["departure_at"])
    inc = frames["incidents"]
    inc["call"] = pd.to_datetime(inc["call_at"])
    sp = frames["inpatient_spells"]
    sp["admitted"] = pd.to_datetime(sp["admission_date"])
    sp["discharged"] = pd.to_datetime(sp["discharge_date"])
    return frames


@pytest.fixture(scope="module")
def people(clean: Path) -> pd.DataFrame:
    return pd.read_parquet(clean / "_generator" / "population.parquet")


def test_every_nhs_number_in_every_feed_passes_modulus_11_and_is_a_known_person(feeds, people):
    known = set(people["nhs_number"])
    assert all(is_valid(n) for n in people["nhs_number"])
    assert people["nhs_number"].is_unique
    assert set(people["nhs_number"].str[:3]) == {"999"}
    for name in ("ae_attendances", "inpatient_spells", "incidents", "asc_events", "reablement"):
        numbers = feeds[name]["nhs_number"].dropna()
        numbers = numbers[numbers != ""]
        assert len(numbers) > 0, name
        assert all(is_valid(n) for n in numbers.unique()), name
        assert set(numbers) <= known, name


def test_every_traced_conveyance_arrives_at_a_and_e_20_to_90_minutes_later(feeds):
    inc, ae = feeds["incidents"], feeds["ae_attendances"]
    conveyed = inc[
        (inc["outcome"] == "see_and_convey") & inc["nhs_number"].notna() & (inc["call"] < LAST)
    ]
    assert len(conveyed) > 100
    arrivals = ae[ae["arrival_mode"] == "ambulance"]
    pairs = conveyed.merge(arrivals, on="nhs_number", suffixes=("_inc", "_ae"))
    minutes = (pairs["arrival"] - pairs["call"]).dt.total_seconds() / 60
    matched = pairs[
        (minutes >= 20) & (minutes <= 90) & (pairs["lsoa_code_inc"] == pairs["lsoa_code_ae"])
    ]
    assert set(matched["incident_id"]) == set(conveyed["incident_id"])


def test_hear_and_treat_and_see_and_treat_do_not_arrive_by_ambulance(feeds):
    inc, ae = feeds["incidents"], feeds["ae_attendances"]
    treated = inc[(inc["outcome"] != "see_and_convey") & inc["nhs_number"].notna()]
    pairs = treated.merge(ae[ae["arrival_mode"] == "ambulance"], on="nhs_number")
    minutes = (pairs["arrival"] - pairs["call"]).dt.total_seconds() / 60
    assert not ((minutes >= 20) & (minutes <= 90)).any()


def test_every_admitted_attendance_becomes_an_emergency_spell_from_its_departure_date(feeds):
    ae, sp = feeds["ae_attendances"], feeds["inpatient_spells"]
    # stays last at most 120 days (90 + 30 delayed), so these have all been discharged
    admitted = ae[
        (ae["discharge_destination"] == "admitted")
        & (ae["departure"] < LAST - pd.Timedelta(days=121))
    ]
    assert len(admitted) > 100
    via_ae = sp[sp["admission_method"] == "21"]
    pairs = admitted.assign(day=admitted["departure"].dt.normalize()).merge(
        via_ae, left_on=["nhs_number", "day"], right_on=["nhs_number", "admitted"]
    )
    assert set(pairs["attendance_id"]) == set(admitted["attendance_id"])


def test_every_spell_admitted_via_a_and_e_has_the_attendance(feeds):
    ae, sp = feeds["ae_attendances"], feeds["inpatient_spells"]
    via_ae = sp[(sp["admission_method"] == "21") & (sp["admitted"] > FIRST)]
    admitted = ae[ae["discharge_destination"] == "admitted"]
    pairs = via_ae.merge(
        admitted.assign(admitted=admitted["departure"].dt.normalize()),
        on=["nhs_number", "admitted"],
    )
    assert set(pairs["spell_id"]) == set(via_ae["spell_id"])


def test_spells_of_a_person_never_overlap(feeds):
    sp = feeds["inpatient_spells"].sort_values(["nhs_number", "admitted"])
    same = sp["nhs_number"].eq(sp["nhs_number"].shift())
    assert not (same & (sp["admitted"] <= sp["discharged"].shift())).any()


def test_delayed_discharges_are_spells_of_older_people_with_a_fit_date_inside_the_stay(feeds):
    delays, sp = feeds["delayed_discharges"], feeds["inpatient_spells"]
    assert len(delays) > 10
    joined = delays.merge(sp, on="spell_id", suffixes=("", "_spell"))
    assert len(joined) == len(delays)
    assert (joined["discharge_date"] == joined["discharge_date_spell"]).all()
    assert (joined["_file"].str[-11:-4] == joined["_file_spell"].str[-11:-4]).all()
    fit = pd.to_datetime(joined["medically_fit_date"])
    assert (fit >= joined["admitted"]).all() and (fit < joined["discharged"]).all()
    assert (joined["age_on_admission"].astype(int) >= 65).all()
    assert ((joined["discharged"] - fit).dt.days <= 30).all()
    assert (joined["discharge_destination"] != "79").all()


def test_reablement_follows_a_discharge_home_of_a_person_aged_65_plus(feeds):
    rb, sp = feeds["reablement"], feeds["inpatient_spells"]
    traced = rb[(rb["nhs_number"] != "") & (pd.to_datetime(rb["hospital_discharge_date"]) >= FIRST)]
    assert len(traced) > 10
    pairs = traced.merge(
        sp,
        left_on=["nhs_number", "hospital_discharge_date"],
        right_on=["nhs_number", "discharge_date"],
    )
    pairs = pairs[
        (pairs["age_on_admission"].astype(int) >= 65) & (pairs["discharge_destination"] == "19")
    ]
    assert set(pairs["episode_id"]) == set(traced["episode_id"])
    follow_up = pd.to_datetime(rb["follow_up_date"]) - pd.to_datetime(rb["hospital_discharge_date"])
    assert (follow_up.dt.days == 91).all()
    start = pd.to_datetime(rb["reablement_start_date"]) - pd.to_datetime(
        rb["hospital_discharge_date"]
    )
    assert start.dt.days.between(0, 3).all()


def test_reablement_appears_as_a_service_in_the_council_events(feeds):
    rb, ev = feeds["reablement"], feeds["asc_events"]
    services = ev[ev["service_type"] == "reablement"]
    starts = pd.to_datetime(services["start_date"], format="%d/%m/%Y").dt.strftime("%Y-%m-%d")
    keys = set(zip(services["council_person_id"], starts, strict=True))
    first_quarter = pd.Timestamp("2025-01-01")
    recent = rb[pd.to_datetime(rb["reablement_start_date"]) >= first_quarter]
    assert len(recent) > 10
    missing = [
        k
        for k in zip(recent["council_person_id"], recent["reablement_start_date"], strict=True)
        if k not in keys
    ]
    assert missing == []


def test_ninety_one_day_outcomes_are_true_in_the_other_feeds(feeds, people):
    rb = feeds["reablement"].merge(people, on="council_person_id", suffixes=("", "_person"))
    follow = pd.to_datetime(rb["follow_up_date"])
    died = rb[rb["outcome_91_day"] == "died"]
    assert (pd.to_datetime(died["date_of_death"]) <= pd.to_datetime(died["follow_up_date"])).all()
    at_home = rb[rb["outcome_91_day"] == "at_home"]
    alive = at_home["date_of_death"].isna() | (
        pd.to_datetime(at_home["date_of_death"]) > pd.to_datetime(at_home["follow_up_date"])
    )
    assert alive.all()
    in_care = rb[rb["outcome_91_day"].isin(["residential_care", "nursing_care"])]
    assert (pd.to_datetime(in_care["care_home_from"]) <= follow[in_care.index]).all()


def test_care_home_admissions_come_from_care_home_residents(feeds, people):
    sp = feeds["inpatient_spells"].merge(people, on="nhs_number")
    from_care = sp[sp["admission_source"].isin(CARE_HOME_SOURCES)]
    assert len(from_care) > 10
    assert (pd.to_datetime(from_care["care_home_from"]) <= from_care["admitted"]).all()
    # resident from the day of entry: a spell that ends in a placement started before it
    residents = sp[pd.to_datetime(sp["care_home_from"]) < sp["admitted"]]
    assert residents["admission_source"].isin(CARE_HOME_SOURCES).all()


def test_long_term_care_residents_have_an_open_council_placement(feeds, people):
    ev = feeds["asc_events"]
    last_quarter = ev["_file"].max()
    placements = ev[
        (ev["_file"] == last_quarter) & ev["service_type"].isin(["residential", "nursing"])
    ]
    label = contract_for("council__asc_events").pattern.fullmatch(last_quarter).group("period")
    quarter_end = pd.Timestamp(period_end(contract_for("council__asc_events"), label))
    residents = people[
        (pd.to_datetime(people["care_home_from"]) <= quarter_end)
        & (people["date_of_death"].isna() | (pd.to_datetime(people["date_of_death"]) > quarter_end))
    ]
    assert set(residents["council_person_id"]) <= set(placements["council_person_id"])


def test_open_council_events_are_resent_each_quarter_until_they_close(feeds):
    ev = feeds["asc_events"]
    files = sorted(ev["_file"].unique())
    assert len(files) == 4
    for earlier, later in pairwise(files):
        still_open = set(ev[(ev["_file"] == earlier) & (ev["end_date"] == "")]["event_id"])
        assert still_open <= set(ev[ev["_file"] == later]["event_id"])
    closed = ev[ev["end_date"] != ""]
    assert (closed["outcome"] != "ongoing").all()
    assert (
        ev[(ev["end_date"] == "") & (ev["event_type"] == "service")]["outcome"] == "ongoing"
    ).all()


def test_council_records_carry_the_persons_details(feeds, people):
    ev = feeds["asc_events"].merge(people, on="council_person_id", suffixes=("", "_person"))
    assert len(ev) == len(feeds["asc_events"])
    traced = ev["nhs_number"] != ""
    assert (ev.loc[traced, "nhs_number"] == ev.loc[traced, "nhs_number_person"]).all()
    assert 0.9 < traced.mean() < 0.99
    assert (ev["birth_year_month"] == ev["date_of_birth"].astype(str).str[:7]).all()
    assert (ev["sex"] == ev["sex_person"]).all()
    assert ev["council_person_id"].str.fullmatch(r"C\d{7}").all()


def test_activity_uses_the_residence_and_practice_of_the_day(feeds, people):
    ae = feeds["ae_attendances"].merge(people, on="nhs_number", suffixes=("", "_person"))
    moved = pd.to_datetime(ae["move_date"]) <= ae["arrival"].dt.normalize()
    lsoa = np.where(moved, ae["lsoa_code_after_move"], ae["lsoa_code_person"])
    practice = np.where(moved, ae["practice_code_after_move"], ae["practice_code_person"])
    assert (ae["lsoa_code"] == lsoa).all()
    assert (ae["practice_code"] == practice).all()
    assert moved.sum() > 0
    dob = pd.to_datetime(ae["date_of_birth"])
    arrival = ae["arrival"]
    age = (
        arrival.dt.year
        - dob.dt.year
        - ((arrival.dt.month * 100 + arrival.dt.day) < (dob.dt.month * 100 + dob.dt.day))
    )
    assert (ae["age"].astype(int) == age).all()
    assert (ae["sex"] == ae["sex_person"]).all()


def test_nothing_happens_after_death_and_deaths_show_in_the_feeds(feeds, people):
    dead = people.dropna(subset=["date_of_death"])
    assert len(dead) > 10
    death = dict(zip(dead["nhs_number"], pd.to_datetime(dead["date_of_death"]), strict=True))
    ae, sp, inc = feeds["ae_attendances"], feeds["inpatient_spells"], feeds["incidents"]
    for frame, column in ((ae, "arrival"), (sp, "admitted"), (inc, "call")):
        when = frame["nhs_number"].map(death)
        assert not (frame[column].dt.normalize() > when).any()
    died_in_ae = ae[ae["discharge_destination"] == "died"]
    assert (died_in_ae["departure"].dt.normalize() == died_in_ae["nhs_number"].map(death)).all()
    died_in_hospital = sp[sp["discharge_destination"] == "79"]
    assert len(died_in_hospital) > 0
    assert (died_in_hospital["discharged"] == died_in_hospital["nhs_number"].map(death)).all()
    ev = feeds["asc_events"]
    assert (ev["outcome"] == "died").any()


def test_gp_registers_count_the_living_population_at_the_start_of_each_month(feeds, people):
    reg = feeds["gp_registrations"]
    reg["registered_patients"] = reg["registered_patients"].astype(int)
    dob = pd.to_datetime(people["date_of_birth"])
    death = pd.to_datetime(people["date_of_death"])
    for label, month in reg.groupby(reg["_file"].str[-11:-4]):
        day = pd.Timestamp(f"{label}-01")
        alive = ((dob < day) & (death.isna() | (death >= day))).sum()
        assert month["registered_patients"].sum() == alive
    assert set(reg["sex"]) == {"1", "2"}
    assert (reg["registered_patients"] >= 1).all()


def test_the_practice_map_follows_the_seed_including_the_practice_that_moves(feeds):
    seeds = pd.read_csv(
        Path(__file__).parents[2] / "seeds" / "practices.csv", dtype=str, keep_default_na=False
    )
    movers = seeds[seeds.duplicated("practice_code", keep=False)]
    assert not movers.empty
    pm = feeds["practice_map"]
    for code, rows in movers.groupby("practice_code"):
        change = rows["valid_to"][rows["valid_to"] != ""].min()
        before = pm[(pm["practice_code"] == code) & (pm["_file"].str[-11:-4] < change[:7])]
        after = pm[(pm["practice_code"] == code) & (pm["_file"].str[-11:-4] >= change[:7])]
        old = rows[rows["valid_to"] == change]["sdf_code"].iloc[0]
        new = rows[rows["valid_from"] == change]["sdf_code"].iloc[0]
        assert set(before["sdf_code"]) == {old} and set(after["sdf_code"]) == {new}


def test_a_few_people_are_high_intensity_users_of_a_and_e(feeds, people):
    ae = feeds["ae_attendances"]
    counts = ae.groupby("nhs_number").size()
    assert (counts >= 5).sum() >= 5
    flagged = set(people[people["high_intensity_user"]]["nhs_number"])
    assert flagged and (counts.reindex(list(flagged)).fillna(0) >= 5).mean() > 0.5
