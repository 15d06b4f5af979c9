"""Deaths as the CCG's Primary Care Mortality Database extract records them.

Every simulated death (in the community, in A&E, in hospital or in a hospice after a
discharge) is registered a few days later, or months later when referred to the
coroner, and delivered in the month of registration: deaths near the end of the period
are not yet registered, as in the real extract. The underlying cause is drawn by age
group from the scenario's cause shares (cancer C00-C97 and circulatory I00-I99 among
them); the place of death follows from where the simulation had the person die.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.synth.pathways import Activity
from footprint.synth.population import Population
from footprint.synth.scenario import Distribution, Scenario
from footprint.synth.timeline import NEVER_DAY

PLACES = ("hospital", "care_home", "hospice", "home", "elsewhere")
HOSPITAL, CARE_HOME, HOSPICE, HOME, ELSEWHERE = range(len(PLACES))


@dataclass
class Deaths:
    """One row per death, as parallel arrays; ``cause`` indexes ``cause_codes``."""

    person: np.ndarray
    death_day: np.ndarray
    registration_day: np.ndarray
    age: np.ndarray
    cause: np.ndarray
    place: np.ndarray
    cause_codes: tuple[str, ...]


def cause_table(scenario: Scenario) -> tuple[tuple[str, ...], np.ndarray]:
    """Every cause code and its probability in each age group (rows sum to 1)."""
    settings = scenario.section("deaths")
    shares = {group: scenario.by_age(values) for group, values in settings["cause_shares"].items()}
    codes: list[str] = []
    columns: list[np.ndarray] = []
    for group, weights in settings["cause_codes"].items():
        within = Distribution.of(weights)
        codes.extend(within.codes)
        columns.extend(shares[group] * p for p in within.probabilities)
    table = np.column_stack(columns)
    return tuple(codes), table / table.sum(axis=1, keepdims=True)


def _people_with(records: dict[str, np.ndarray], column: str, code: int) -> np.ndarray:
    return np.unique(records["person"][records[column] == code])


def build_deaths(
    population: Population,
    activity: Activity,
    scenario: Scenario,
    rng: np.random.Generator,
) -> Deaths:
    settings = scenario.section("deaths")
    inpatient, ae = scenario.section("inpatient"), scenario.section("ae")
    death_day = population.death_day()
    person = np.flatnonzero(death_day < NEVER_DAY)
    day = death_day[person]
    n = person.size

    places = activity.codes["place"]
    died_in_hospital = np.union1d(
        _people_with(activity.spells, "destination", places.index(inpatient["died_destination"])),
        _people_with(
            activity.attendances,
            "destination",
            activity.codes["ae_destination"].index(ae["died_code"]),
        ),
    )
    went_to_hospice = _people_with(
        activity.spells, "destination", places.index(inpatient["hospice_destination"])
    )
    place = np.where(
        population.in_care_home_on(person, day),
        CARE_HOME,
        np.where(rng.random(n) < settings["elsewhere_share"], ELSEWHERE, HOME),
    )
    place = np.where(np.isin(person, went_to_hospice), HOSPICE, place)
    place = np.where(np.isin(person, died_in_hospital), HOSPITAL, place).astype(np.int8)

    low, high = settings["registered_within_days"]
    coroner_low, coroner_high = settings["coroner_days"]
    delay = np.where(
        rng.random(n) < settings["referred_to_coroner"],
        rng.integers(coroner_low, coroner_high + 1, size=n),
        rng.integers(low, high + 1, size=n),
    )

    age = population.age_on(person, day)
    codes, probabilities = cause_table(scenario)
    group = scenario.age_group(age)
    # one uniform draw per death, read against the cumulative shares of its age group
    cumulative = np.cumsum(probabilities, axis=1)[group]
    cause = np.minimum((cumulative < rng.random(n)[:, None]).sum(axis=1), len(codes) - 1)
    return Deaths(
        person=person.astype(np.int64),
        death_day=day,
        registration_day=day + delay,
        age=age,
        cause=cause.astype(np.int16),
        place=place,
        cause_codes=codes,
    )
