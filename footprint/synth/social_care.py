"""Adult social care as the council records it: requests, assessments, services, reviews.

Events are derived from the simulated people after the health pathways have run,
because they depend on what happened to them: long-term residential and nursing care
for everyone who lives in a care home (from before the period, or entering from the
community, after a hospital discharge or after reablement), reablement after hospital
discharge, and the council's own front door (requests that lead to nothing, to advice,
to short-term support or to an assessment and long-term support at home). Services end
at death with the outcome 'died'.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footprint.synth.pathways import Activity
from footprint.synth.population import (
    CARE_HOME_AT_START,
    CARE_HOME_FROM_COMMUNITY,
    DAYS_PER_YEAR,
    Population,
    deprivation_score,
)
from footprint.synth.reference import Reference
from footprint.synth.scenario import Distribution, Scenario
from footprint.synth.timeline import NEVER_DAY, Timeline, day_number

EVENT_TYPES = ("request", "assessment", "service", "review")
REQUEST, ASSESSMENT, SERVICE, REVIEW = range(4)
SERVICES = (
    "reablement",
    "home_care",
    "residential",
    "nursing",
    "direct_payment",
    "day_care",
    "equipment",
)
OUTCOMES = (
    "no_services",
    "universal_services",
    "short_term_support",
    "long_term_support",
    "ongoing",
    "ended",
    "died",
    "moved_away",
)
NO_SERVICE = -1
LONG_TERM_SUPPORT = OUTCOMES.index("long_term_support")
SHORT_TERM_SUPPORT = OUTCOMES.index("short_term_support")
ENDED, DIED, MOVED_AWAY = (OUTCOMES.index(o) for o in ("ended", "died", "moved_away"))


@dataclass
class CareEvents:
    """Council events as parallel arrays; ``end`` is NEVER_DAY while open."""

    person: np.ndarray
    event_type: np.ndarray  # index into EVENT_TYPES
    start: np.ndarray  # day number
    end: np.ndarray
    service: np.ndarray  # index into SERVICES, -1 for non-service events
    outcome: np.ndarray  # final outcome index into OUTCOMES, -1 if none

    @property
    def size(self) -> int:
        return int(self.person.size)


class _Builder:
    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(
        self,
        person: np.ndarray,
        event_type: int,
        start: np.ndarray,
        end: np.ndarray | int,
        service: np.ndarray | int,
        outcome: np.ndarray | int | list[int],
    ) -> None:
        n = np.asarray(person).size
        if n == 0:
            return
        self.parts.append(
            tuple(
                np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)).copy()
                for v in (person, event_type, start, end, service, outcome)
            )
        )

    def build(self) -> CareEvents:
        if not self.parts:
            empty = np.empty(0, np.int64)
            return CareEvents(empty, empty, empty, empty, empty, empty)
        columns = [np.concatenate(c) for c in zip(*self.parts, strict=True)]
        return CareEvents(*columns)


def build_care_events(
    population: Population,
    activity: Activity,
    reference: Reference,
    scenario: Scenario,
    timeline: Timeline,
    rng: np.random.Generator,
) -> CareEvents:
    """Every council event that is open at some point of the simulated period."""
    pop = population
    settings = scenario.section("social_care")
    sim_start, end = day_number(timeline.sim_start), day_number(timeline.end)
    death = pop.death_day()
    events = _Builder()

    _care_home_events(pop, death, sim_start, end, settings, events, rng)
    _reablement_events(activity, scenario, events, rng)
    _front_door_events(pop, reference, scenario, death, sim_start, end, events, rng)
    _existing_clients(pop, reference, scenario, death, sim_start, end, events, rng)
    built = events.build()

    # nothing happens after death or after the end of the period; ends stop at death
    alive_at_start = built.start <= death[built.person]
    keep = alive_at_start & (built.start <= end)
    built = CareEvents(*(getattr(built, f)[keep] for f in CareEvents.__dataclass_fields__))
    person_death = death[built.person]
    cut = (built.end > person_death) & (person_death < NEVER_DAY)
    built.end = np.where(cut, person_death, built.end)
    built.outcome = np.where(cut, DIED, built.outcome)
    order = np.lexsort((built.service, built.event_type, built.person, built.start))
    return CareEvents(*(getattr(built, f)[order] for f in CareEvents.__dataclass_fields__))


def _reviews(
    person: np.ndarray,
    start: np.ndarray,
    stop: np.ndarray,
    sim_start: int,
    end: int,
    every: int,
    events: _Builder,
    rng: np.random.Generator,
) -> None:
    """Annual reviews of long-term support between start and stop (exclusive)."""
    if person.size == 0:
        return
    longest = int(((np.minimum(stop, end) - start).max()) // every) + 1
    for k in range(1, max(longest, 1) + 1):
        day = start + k * every + rng.integers(-20, 21, size=person.size)
        ok = (day >= sim_start) & (day < stop) & (day <= end)
        finish = day + rng.integers(0, 15, size=person.size)
        events.add(person[ok], REVIEW, day[ok], finish[ok], NO_SERVICE, LONG_TERM_SUPPORT)


def _care_home_events(
    pop: Population,
    death: np.ndarray,
    sim_start: int,
    end: int,
    settings: dict,
    events: _Builder,
    rng: np.random.Generator,
) -> None:
    """Long-term residential and nursing care, with the request and assessment before."""
    resident = (pop.care_home_start <= end) & (pop.care_home_start < death)
    who = np.flatnonzero(resident)
    start = pop.care_home_start[who].astype(np.int64)
    service = np.where(
        pop.care_home_nursing[who], SERVICES.index("nursing"), SERVICES.index("residential")
    )
    events.add(who, SERVICE, start, NEVER_DAY, service, NO_SERVICE)

    new = pop.care_home_route[who] != CARE_HOME_AT_START
    n = who.size
    lead = np.where(
        pop.care_home_route[who] == CARE_HOME_FROM_COMMUNITY,
        rng.integers(10, 61, size=n),
        rng.integers(3, 13, size=n),
    )
    request = start - lead
    assess = np.minimum(request + rng.integers(1, 6, size=n), start)
    events.add(who[new], REQUEST, request[new], request[new], NO_SERVICE, LONG_TERM_SUPPORT)
    events.add(who[new], ASSESSMENT, assess[new], start[new], NO_SERVICE, LONG_TERM_SUPPORT)
    stop = np.minimum(death[who], NEVER_DAY).astype(np.int64)
    _reviews(who, start, stop, sim_start, end, settings["review_every_days"], events, rng)


def _reablement_events(
    activity: Activity,
    scenario: Scenario,
    events: _Builder,
    rng: np.random.Generator,
) -> None:
    """Reablement services after hospital discharge, and the referral that started them."""
    episodes = activity.reablement
    settings = scenario.section("reablement")
    who = episodes["person"].astype(np.int64)
    n = who.size
    if n == 0:
        return
    low, high = settings["service_days"]
    start = episodes["start_day"].astype(np.int64)
    finish = start + rng.integers(low, high + 1, size=n)
    codes = np.array(activity.codes["reablement_outcome"])[episodes["outcome"]]
    outcome = np.where(
        np.isin(codes, ["residential_care", "nursing_care"]), LONG_TERM_SUPPORT, ENDED
    )
    referral = episodes["discharge_day"] - rng.integers(0, 3, size=n)
    events.add(who, REQUEST, referral, referral, NO_SERVICE, SHORT_TERM_SUPPORT)
    events.add(who, SERVICE, start, finish, SERVICES.index("reablement"), outcome)


def _age_groups(pop: Population, scenario: Scenario, day: int) -> np.ndarray:
    ages = ((day - pop.dob) / DAYS_PER_YEAR).astype(np.int16)
    return scenario.age_group(np.maximum(ages, 0))


def _long_term_service(
    who: np.ndarray,
    start: np.ndarray,
    services: Distribution,
    pop: Population,
    settings: dict,
    sim_start: int,
    end: int,
    events: _Builder,
    rng: np.random.Generator,
    clock_start: np.ndarray | None = None,
) -> None:
    """Home care, direct payments, day care (open-ended) or equipment (short).

    Durations run from ``clock_start`` (default: the start), so that support already
    running when the period begins lasts a fresh random time from then.
    """
    n = who.size
    if n == 0:
        return
    service_names = np.array(services.codes)[services.draw(rng, n)]
    service = np.array([SERVICES.index(s) for s in service_names])
    duration = rng.exponential(settings["long_term_mean_days"], size=n).astype(np.int64) + 1
    low, high = settings["equipment_days"]
    equipment = service_names == "equipment"
    duration = np.where(equipment, rng.integers(low, high + 1, size=n), duration)
    finish = (start if clock_start is None else np.maximum(start, clock_start)) + duration
    moved = rng.random(n) < settings["moved_away_share"]
    outcome = np.where(moved & ~equipment, MOVED_AWAY, ENDED)
    # moving into a care home ends support at home
    entry = pop.care_home_start[who].astype(np.int64)
    into_care = (entry > start) & (entry < finish)
    finish = np.where(into_care, entry, finish)
    outcome = np.where(into_care, ENDED, outcome)
    events.add(who, SERVICE, start, finish, service, outcome)
    long_term = ~equipment
    _reviews(
        who[long_term],
        start[long_term],
        finish[long_term],
        sim_start,
        end,
        settings["review_every_days"],
        events,
        rng,
    )


def _front_door_events(
    pop: Population,
    reference: Reference,
    scenario: Scenario,
    death: np.ndarray,
    sim_start: int,
    end: int,
    events: _Builder,
    rng: np.random.Generator,
) -> None:
    """Requests for support from the community and what they lead to."""
    settings = scenario.section("social_care")
    days = end - sim_start + 1
    mid = sim_start + days // 2
    group = _age_groups(pop, scenario, mid)
    dep = deprivation_score(reference.lsoa_imd_decile[pop.lsoa0])
    rate = scenario.by_age(settings["requests_per_year"])[group] * np.exp(
        scenario.section("deprivation")["social_care"] * dep
    )
    counts = rng.poisson(rate * days / DAYS_PER_YEAR)
    who = np.repeat(np.arange(pop.size), counts)
    day = sim_start + rng.integers(0, days, size=who.size)
    adult = day >= pop.dob[who] + int(18 * DAYS_PER_YEAR)
    keep = adult & (day < death[who]) & (day < pop.care_home_start[who])
    who, day = who[keep], day[keep]
    n = who.size

    pathway = Distribution.of(settings["request_pathway"])
    route = np.array(pathway.codes)[pathway.draw(rng, n)]
    assessment = route == "assessment"
    assessment_outcomes = Distribution.of(settings["assessment_outcome"])
    assessed = np.array(assessment_outcomes.codes)[assessment_outcomes.draw(rng, n)]
    final = np.where(assessment, assessed, route)
    events.add(who, REQUEST, day, day, NO_SERVICE, [OUTCOMES.index(o) for o in final])

    a_start = day + rng.integers(1, 22, size=n)
    a_end = a_start + rng.integers(5, 46, size=n)
    events.add(
        who[assessment],
        ASSESSMENT,
        a_start[assessment],
        a_end[assessment],
        NO_SERVICE,
        [OUTCOMES.index(o) for o in assessed[assessment]],
    )

    short = final == "short_term_support"
    short_start = np.where(assessment, a_end, day) + rng.integers(1, 15, size=n)
    short_services = Distribution.of(settings["short_term_services"])
    short_names = np.array(short_services.codes)[short_services.draw(rng, n)]
    low, high = settings["equipment_days"]
    short_len = np.where(
        short_names == "equipment",
        rng.integers(low, high + 1, size=n),
        rng.integers(14, 43, size=n),
    )
    events.add(
        who[short],
        SERVICE,
        short_start[short],
        short_start[short] + short_len[short],
        [SERVICES.index(s) for s in short_names[short]],
        ENDED,
    )

    long_term = final == "long_term_support"
    services = Distribution.of(settings["long_term_services"])
    start = a_end + rng.integers(0, 15, size=n)
    _long_term_service(
        who[long_term], start[long_term], services, pop, settings, sim_start, end, events, rng
    )


def _existing_clients(
    pop: Population,
    reference: Reference,
    scenario: Scenario,
    death: np.ndarray,
    sim_start: int,
    end: int,
    events: _Builder,
    rng: np.random.Generator,
) -> None:
    """People already receiving long-term support at home when the period starts."""
    settings = scenario.section("social_care")
    group = _age_groups(pop, scenario, sim_start)
    dep = deprivation_score(reference.lsoa_imd_decile[pop.lsoa0])
    share = scenario.by_age(settings["existing_clients_share"])[group] * np.exp(
        scenario.section("deprivation")["social_care"] * dep
    )
    eligible = (
        (pop.dob <= sim_start - int(18 * DAYS_PER_YEAR))
        & (death > sim_start)
        & (pop.care_home_start > sim_start)
    )
    who = np.flatnonzero(eligible & (rng.random(pop.size) < share))
    start = sim_start - rng.integers(30, 2500, size=who.size)
    services = Distribution.of(settings["existing_services"])
    _long_term_service(
        who,
        start,
        services,
        pop,
        settings,
        sim_start,
        end,
        events,
        rng,
        clock_start=np.full(who.size, sim_start),
    )
