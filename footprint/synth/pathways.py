"""Health pathways, simulated month by month over the whole population with numpy.

Each month every person gets Poisson draws of candidate events (ambulance calls, A&E
walk-ins, direct emergency and elective admissions) from rates that depend on age,
deprivation, frailty, care home residence, season and the planted SDF levers. Earlier
events schedule later ones (readmissions, a stay in hospital at the 91-day reablement
follow-up). Candidates are then taken in time order in vectorised rounds, the earliest
per person first, so that a person is never in two places at once: an event that falls
while the person is still in A&E or in hospital, or after their death, is dropped.

Pathways follow real ones: a see-and-convey incident becomes an ambulance arrival at
A&E 20-90 minutes after the call; some attendances are admitted (an emergency spell
from the A&E departure date); some spells end in death, in a care home, or (for people
65+ going home) in reablement with a 91-day outcome; some long stays of older people
end delayed after the patient was medically fit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from footprint.synth.population import (
    CARE_HOME_AFTER_REABLEMENT,
    CARE_HOME_FROM_HOSPITAL,
    DAYS_PER_YEAR,
    Population,
    deprivation_score,
)
from footprint.synth.reference import Reference
from footprint.synth.scenario import Distribution, Scenario
from footprint.synth.timeline import (
    SECONDS_PER_DAY,
    Timeline,
    add_months,
    day_number,
)

AMBULANCE, WALK_IN, DIRECT, ELECTIVE = 0, 1, 2, 3
MODE_AMBULANCE, MODE_WALK_IN, MODE_OTHER = 0, 1, 2


@dataclass
class Triggers:
    """Candidate events: who, when, what, and what they must lead to."""

    person: np.ndarray  # int64
    second: np.ndarray  # int64
    kind: np.ndarray  # int8
    forced: np.ndarray  # bool: an ambulance call that conveys and is admitted, an admitted walk-in
    min_los: np.ndarray  # int16: the resulting stay lasts at least this many days
    readmission: np.ndarray  # bool: scheduled as a readmission of an earlier discharge

    @classmethod
    def empty(cls) -> Triggers:
        return cls.new(np.empty(0, np.int64), np.empty(0, np.int64), AMBULANCE)

    @classmethod
    def new(
        cls,
        person: np.ndarray,
        second: np.ndarray,
        kind: int | np.ndarray,
        forced: bool | np.ndarray = False,
        min_los: int | np.ndarray = 0,
        readmission: bool | np.ndarray = False,
    ) -> Triggers:
        n = person.size
        return cls(
            person=person.astype(np.int64),
            second=second.astype(np.int64),
            kind=np.broadcast_to(np.asarray(kind, np.int8), n).copy(),
            forced=np.broadcast_to(np.asarray(forced, bool), n).copy(),
            min_los=np.broadcast_to(np.asarray(min_los, np.int16), n).copy(),
            readmission=np.broadcast_to(np.asarray(readmission, bool), n).copy(),
        )

    def __len__(self) -> int:
        return int(self.person.size)

    def take(self, index: np.ndarray) -> Triggers:
        return Triggers(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @classmethod
    def concat(cls, parts: list[Triggers]) -> Triggers:
        parts = [p for p in parts if len(p)] or [cls.empty()]
        return cls(
            **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)}
        )

    def sorted(self) -> Triggers:
        return self.take(np.lexsort((self.kind, self.second, self.person)))


class Columns:
    """Accumulates record columns chunk by chunk; ``build`` concatenates them.

    The schema (column name -> dtype) makes an empty result have the same columns and
    types as a full one, so a tiny run with no events of a kind still builds every feed.
    """

    def __init__(self, schema: dict[str, type | np.dtype]) -> None:
        self.schema = schema
        self._chunks: dict[str, list[np.ndarray]] = {name: [] for name in schema}

    def add(self, **columns: np.ndarray) -> None:
        if set(columns) != set(self.schema):
            raise ValueError(f"columns {sorted(columns)} differ from {sorted(self.schema)}")
        sizes = {np.asarray(v).size for v in columns.values()}
        if len(sizes) != 1:
            raise ValueError(f"columns of different lengths: {sizes}")
        for name, values in columns.items():
            self._chunks[name].append(np.asarray(values, dtype=self.schema[name]))

    def build(self) -> dict[str, np.ndarray]:
        return {
            name: np.concatenate(chunks) if chunks else np.empty(0, self.schema[name])
            for name, chunks in self._chunks.items()
        }


INCIDENT_COLUMNS = {
    "person": np.int64,
    "call_second": np.int64,
    "category": np.int16,
    "outcome": np.int8,
    "traced": bool,
    "lsoa": np.int32,
}
ATTENDANCE_COLUMNS = {
    "person": np.int64,
    "arrival_second": np.int64,
    "departure_second": np.int64,
    "age": np.int16,
    "sex": np.int8,
    "lsoa": np.int32,
    "practice": np.int32,
    "mode": np.int8,
    "acuity": np.int8,
    "complaint": np.int16,
    "destination": np.int8,
}
SPELL_COLUMNS = {
    "person": np.int64,
    "admission_day": np.int64,
    "discharge_day": np.int64,
    "age": np.int16,
    "sex": np.int8,
    "method": np.int8,
    "source": np.int8,
    "destination": np.int8,
    "diagnosis": np.int16,
    "lsoa": np.int32,
    "practice": np.int32,
    "from_care_home": bool,
    "readmission": bool,
    "delayed": bool,
    "fit_day": np.int64,
    "delay_reason": np.int16,
    "delay_organisation": np.int8,
}
REABLEMENT_COLUMNS = {
    "person": np.int64,
    "discharge_day": np.int64,
    "start_day": np.int64,
    "outcome": np.int8,
    "lsoa": np.int32,
}


@dataclass
class Activity:
    """Everything the health pathways produced, one dict of arrays per record type."""

    incidents: dict[str, np.ndarray]
    attendances: dict[str, np.ndarray]
    spells: dict[str, np.ndarray]
    reablement: dict[str, np.ndarray]
    codes: dict[str, tuple[str, ...]]  # code tables that index columns refer to


def _dist(mapping: dict) -> Distribution:
    return Distribution.of(mapping)


class PathwaySimulator:
    """Steps the population month by month; see the module docstring."""

    def __init__(
        self,
        population: Population,
        reference: Reference,
        scenario: Scenario,
        timeline: Timeline,
        rng: np.random.Generator,
    ) -> None:
        self.pop = population
        self.ref = reference
        self.sc = scenario
        self.timeline = timeline
        self.rng = rng
        self.position = 0.0  # trend position of the month being simulated
        self.end_second = (day_number(timeline.end) + 1) * SECONDS_PER_DAY
        self.busy_until = np.zeros(population.size, dtype=np.int64)
        self.protect_until = np.zeros(population.size, dtype=np.int64)
        self.pending = Triggers.empty()
        self.lsoa_dep = deprivation_score(reference.lsoa_imd_decile)
        self.practice_sdf = np.zeros(len(reference.practice_codes), dtype=np.int16)

        amb, ae, ip = (
            scenario.section("ambulance"),
            scenario.section("ae"),
            scenario.section("inpatient"),
        )
        self.category = _dist(amb["category"])
        self.conveyance = np.array([amb["conveyance_by_category"][c] for c in self.category.codes])
        self.outcomes = ("hear_and_treat", "see_and_treat", "see_and_convey")
        self.acuity = {mode: _dist(ae["acuity"][mode]) for mode in ("ambulance", "walk_in")}
        self.acuity_values = {
            mode: np.array([int(c) for c in dist.codes]) for mode, dist in self.acuity.items()
        }
        self.acuity_admission_factor = np.zeros(10)
        for value, factor in ae["acuity_admission_factor"].items():
            self.acuity_admission_factor[int(value)] = factor
        self.complaint_codes = tuple(ip["diagnoses"])
        self.complaints = {
            mode: [self._complaint_dist(group) for group in ae["complaints"][mode]]
            for mode in ("ambulance", "walk_in")
        }
        self.not_admitted = _dist(ae["not_admitted"])
        self.ae_destinations = (ae["admitted_code"], ae["died_code"], *self.not_admitted.codes)
        self.direct_methods = _dist(ip["direct_methods"])
        self.elective_methods = _dist(ip["elective_methods"])
        self.method_codes = (
            ip["emergency_via_ae_method"],
            *self.direct_methods.codes,
            *self.elective_methods.codes,
        )
        self.source_home = _dist(ip["source_from_home"])
        self.destination_home = _dist(ip["destination_home"])
        care = scenario.section("care_homes")
        self.care_home_codes = Distribution.of(care["codes"]).codes
        self.place_codes = tuple(
            dict.fromkeys(
                (
                    *self.source_home.codes,
                    *self.destination_home.codes,
                    *self.care_home_codes,
                    ip["usual_residence"],
                    ip["died_destination"],
                    ip["hospice_destination"],
                )
            )
        )
        self.diagnoses = [_dist(ip["diagnoses"][c]) for c in self.complaint_codes]
        self.elective_diagnoses = _dist(ip["elective_diagnoses"])
        self.diagnosis_codes = tuple(
            dict.fromkeys(
                [code for d in self.diagnoses for code in d.codes]
                + list(self.elective_diagnoses.codes)
            )
        )
        self.diagnosis_index = {code: i for i, code in enumerate(self.diagnosis_codes)}
        delays = scenario.section("delayed_discharge")
        self.delay_orgs = _dist(delays["organisation"])
        self.delay_reasons = {org: _dist(delays["reasons"][org]) for org in self.delay_orgs.codes}
        self.reason_codes = tuple(
            dict.fromkeys(
                [r for d in self.delay_reasons.values() for r in d.codes]
                + [delays["care_home_reason"], delays["reablement_reason"]]
            )
        )
        reab = scenario.section("reablement")
        self.reablement_other = _dist(reab["other_outcomes"])
        self.reablement_codes = (reab["at_home_code"], *self.reablement_other.codes)

        self.incidents = Columns(INCIDENT_COLUMNS)
        self.attendances = Columns(ATTENDANCE_COLUMNS)
        self.spells = Columns(SPELL_COLUMNS)
        self.reablement = Columns(REABLEMENT_COLUMNS)

    # ------------------------------------------------------------------ helpers
    def _complaint_dist(self, weights: dict[str, float]) -> Distribution:
        full = {c: weights.get(c, 0.0) for c in self.complaint_codes}
        return Distribution.of(full)

    def _lever(
        self, name: str, sdf: np.ndarray, person: np.ndarray, day: np.ndarray | int
    ) -> np.ndarray:
        """A lever's multiplier now, by SDF of residence or of registration as it says."""
        lever = self.sc.levers[name]
        if lever.attribution == "registration":
            sdf = self._registration_sdf_on(person, day)
        return lever.multiplier(sdf, self.position)

    def _by_age(self, values: list[float]) -> np.ndarray:
        return self.sc.by_age(values)

    def _sdf_on(self, person: np.ndarray, day: np.ndarray | int) -> np.ndarray:
        """SDF of residence."""
        return self.ref.lsoa_sdf[self.pop.lsoa_on(person, day)]

    def _registration_sdf_on(self, person: np.ndarray, day: np.ndarray | int) -> np.ndarray:
        """SDF of the registered practice (as the map stood this month), else of residence.

        Indicators attributed by registration (readmissions, admissions from care homes)
        get their planted effects by the practice's SDF, as the analysis will see them.
        """
        sdf = self.practice_sdf[self.pop.practice_on(person, day)]
        return np.where(sdf >= 0, sdf, self._sdf_on(person, day))

    def _draw_by_group(self, groups: np.ndarray, dists: list[Distribution]) -> np.ndarray:
        """Draw from a different distribution per group, vectorised per group."""
        result = np.zeros(groups.size, dtype=np.int16)
        for g, dist in enumerate(dists):
            members = np.flatnonzero(groups == g)
            if members.size:
                result[members] = dist.draw(self.rng, members.size)
        return result

    def _times(self, month_first: int, days: int, count: int) -> np.ndarray:
        """Seconds of ``count`` events in a month, with weekday and time-of-day profiles."""
        weekday = (np.arange(days) + month_first + 3) % 7  # day 0 was a Thursday
        weights = np.asarray(self.sc.section("weekday_weights"))[weekday]
        day = self.rng.choice(days, size=count, p=weights / weights.sum())
        hours = np.asarray(self.sc.section("hour_weights"), dtype=np.float64)
        hour = self.rng.choice(24, size=count, p=hours / hours.sum())
        within = self.rng.integers(0, 3600, size=count)
        return (month_first + day).astype(np.int64) * SECONDS_PER_DAY + hour * 3600 + within

    # -------------------------------------------------------------- main loop
    def run(self, on_month: Callable[[], None] | None = None) -> Activity:
        for index, first in enumerate(self.timeline.sim_months):
            self.position = self.timeline.trend_position(index)
            self.practice_sdf = self.ref.sdf_of_practices_on(first)
            self._month(first.month, day_number(first), day_number(add_months(first, 1)))
            if on_month:
                on_month()
        return Activity(
            incidents=self.incidents.build(),
            attendances=self.attendances.build(),
            spells=self.spells.build(),
            reablement=self.reablement.build(),
            codes={
                "category": self.category.codes,
                "outcome": self.outcomes,
                "complaint": self.complaint_codes,
                "ae_destination": self.ae_destinations,
                "method": self.method_codes,
                "place": self.place_codes,
                "diagnosis": self.diagnosis_codes,
                "delay_reason": self.reason_codes,
                "delay_organisation": self.delay_orgs.codes,
                "reablement_outcome": self.reablement_codes,
                "care_home": self.care_home_codes,
            },
        )

    def _month(self, calendar_month: int, first: int, next_first: int) -> None:
        pop, sc, rng = self.pop, self.sc, self.rng
        days = next_first - first
        mid = first + days // 2
        years = days / DAYS_PER_YEAR
        n = pop.size
        everyone = np.arange(n)

        alive = pop.death_second > first * SECONDS_PER_DAY
        present = np.clip((next_first - np.maximum(pop.dob, first)) / days, 0.0, 1.0) * alive
        age = ((mid - pop.dob) / DAYS_PER_YEAR).astype(np.int16)
        group = sc.age_group(np.maximum(age, 0))
        lsoa = pop.lsoa_on(everyone, mid)
        sdf = self.ref.lsoa_sdf[lsoa]
        dep = self.lsoa_dep[lsoa]
        in_care = pop.in_care_home_on(everyone, mid)
        settings = sc.section("population")
        renew = np.flatnonzero(rng.random(n) < settings["frailty_renewal_per_month"])
        shape = settings["frailty_shape"]
        pop.frailty[renew] = rng.gamma(shape, 1 / shape, size=renew.size)
        care_shape = settings["care_home_frailty_shape"]
        pop.care_home_frailty[renew] = rng.gamma(care_shape, 1 / care_shape, size=renew.size)
        # a care home placement often follows a crisis: residents' use of emergency care
        # follows their own frailty, not the one that led to the placement
        frailty = np.where(in_care, pop.care_home_frailty, pop.frailty)

        season_cfg = sc.section("seasonality")
        angle = 2 * np.pi * (calendar_month - season_cfg["peak_month"]) / 12
        season = 1 + season_cfg["amplitude"] * np.cos(angle)
        season_admissions = 1 + season_cfg["admissions_amplitude"] * np.cos(angle)
        rates, beta = sc.section("rates"), sc.section("deprivation")
        care_factor = sc.section("care_home_resident_factor")

        def care(kind: str) -> np.ndarray:
            return np.where(in_care, care_factor[kind], 1.0)

        exposure = present * years

        def lever(name: str) -> np.ndarray:
            return self._lever(name, sdf, everyone, mid)

        care_lever = np.where(in_care, lever("care_home_admissions"), 1.0)
        ae_lever = lever("ae_attendances") * np.where(
            age >= 75, lever("ae_attendances_75plus"), 1.0
        )
        lam = {
            AMBULANCE: self._by_age(rates["ambulance"])[group]
            * np.exp(beta["ambulance"] * dep)
            * care("ambulance")
            * care_lever
            * ae_lever
            * lever("ambulance_incidents")
            * season
            * frailty
            * exposure
            + pop.hiu_ambulance * exposure,
            WALK_IN: self._by_age(rates["walk_in"])[group]
            * np.exp(beta["walk_in"] * dep)
            * care("walk_in")
            * ae_lever
            * season
            * frailty
            * exposure
            + pop.hiu_walk_in * exposure,
            DIRECT: self._by_age(rates["direct_emergency"])[group]
            * np.exp(beta["direct_emergency"] * dep)
            * care("direct_emergency")
            * care_lever
            * lever("emergency_admissions")
            * season_admissions
            * frailty
            * exposure,
            ELECTIVE: self._by_age(rates["elective"])[group]
            * np.exp(beta["elective"] * dep)
            * care("elective")
            * exposure,
        }
        parts = [self.pending]
        for kind, rate in lam.items():
            counts = rng.poisson(rate)
            person = np.repeat(everyone, counts)
            seconds = self._times(first, days, person.size)
            if kind == ELECTIVE:  # elective admissions are booked for the morning
                seconds = seconds // SECONDS_PER_DAY * SECONDS_PER_DAY + 8 * 3600
            parts.append(Triggers.new(person, seconds, kind))
        candidates = Triggers.concat(parts)
        later = candidates.second >= next_first * SECONDS_PER_DAY
        self.pending = candidates.take(np.flatnonzero(later))
        candidates = candidates.take(np.flatnonzero(~later)).sorted()

        self._community_deaths(first, days, group, in_care, present)
        self._rounds(candidates, next_first * SECONDS_PER_DAY)

    def _community_deaths(
        self, first: int, days: int, group: np.ndarray, in_care: np.ndarray, present: np.ndarray
    ) -> None:
        """Deaths outside hospital; a person in hospital or A&E at that moment is spared."""
        pop, rng = self.pop, self.rng
        settings = self.sc.section("population")
        annual = self._by_age(settings["annual_mortality"])[group]
        factor = np.where(in_care, self.sc.section("care_homes")["mortality_factor"], 1.0)
        hazard = -np.log1p(-np.minimum(annual * factor, 0.95)) * days / DAYS_PER_YEAR * present
        dies = rng.random(pop.size) < -np.expm1(-hazard)
        when = first * SECONDS_PER_DAY + rng.integers(0, days * SECONDS_PER_DAY, size=pop.size)
        dies &= (when >= pop.dob_second) & (when > self.busy_until) & (when > self.protect_until)
        pop.death_second = np.where(dies, np.minimum(pop.death_second, when), pop.death_second)

    def _rounds(self, candidates: Triggers, month_end_second: int) -> None:
        """Take candidates in time order, the earliest per person in each round."""
        pop = self.pop
        while len(candidates):
            person, second = candidates.person, candidates.second
            ok = (
                (second >= self.busy_until[person])
                & (second < pop.death_second[person])
                & (second >= pop.dob_second[person])
            )
            candidates = candidates.take(np.flatnonzero(ok))
            if not len(candidates):
                break
            first = np.ones(len(candidates), dtype=bool)
            first[1:] = candidates.person[1:] != candidates.person[:-1]
            now = candidates.take(np.flatnonzero(first))
            candidates = candidates.take(np.flatnonzero(~first))
            created = self._process(now)
            if len(created):
                soon = created.second < month_end_second
                self.pending = Triggers.concat([self.pending, created.take(np.flatnonzero(~soon))])
                if soon.any():
                    candidates = Triggers.concat(
                        [candidates, created.take(np.flatnonzero(soon))]
                    ).sorted()

    # ----------------------------------------------------------- one round
    def _process(self, now: Triggers) -> Triggers:
        """Turn each person's next event into records; return the events they schedule."""
        kind = now.kind
        amb = np.flatnonzero(kind == AMBULANCE)
        walk = np.flatnonzero(kind == WALK_IN)
        conveyed, arrival, forced = self._ambulance(
            now.person[amb], now.second[amb], now.forced[amb]
        )
        readmission_conveyed = now.readmission[amb][conveyed]
        walk_mode = np.where(
            self.rng.random(walk.size) < self.sc.section("ae")["walk_in_other_share"],
            MODE_OTHER,
            MODE_WALK_IN,
        )
        admitted = self._attendances(
            person=np.concatenate([now.person[amb][conveyed], now.person[walk]]),
            arrival=np.concatenate([arrival, now.second[walk]]),
            mode=np.concatenate([np.full(conveyed.size, MODE_AMBULANCE), walk_mode]),
            forced=np.concatenate([forced, now.forced[walk]]),
            readmission=np.concatenate([readmission_conveyed, now.readmission[walk]]),
        )
        direct = np.flatnonzero(kind == DIRECT)
        elective = np.flatnonzero(kind == ELECTIVE)
        n_direct = direct.size
        direct_person = now.person[direct]
        complaint_group = self._complaint_group(
            self.pop.age_on(direct_person, now.second[direct] // SECONDS_PER_DAY)
        )
        direct_complaint = self._draw_by_group(complaint_group, self.complaints["ambulance"])
        method_offset = 1
        return self._spells(
            person=np.concatenate([admitted["person"], direct_person, now.person[elective]]),
            admission_day=np.concatenate(
                [
                    admitted["day"],
                    now.second[direct] // SECONDS_PER_DAY,
                    now.second[elective] // SECONDS_PER_DAY,
                ]
            ),
            method=np.concatenate(
                [
                    np.zeros(admitted["person"].size, np.int16),
                    method_offset + self.direct_methods.draw(self.rng, n_direct),
                    method_offset
                    + len(self.direct_methods.codes)
                    + self.elective_methods.draw(self.rng, elective.size),
                ]
            ),
            complaint=np.concatenate(
                [admitted["complaint"], direct_complaint, np.full(elective.size, -1, np.int16)]
            ),
            min_los=np.concatenate(
                [
                    np.zeros(admitted["person"].size, np.int16),
                    now.min_los[direct],
                    now.min_los[elective],
                ]
            ),
            readmission=np.concatenate(
                [admitted["readmission"], now.readmission[direct], now.readmission[elective]]
            ),
        )

    def _complaint_group(self, ages: np.ndarray) -> np.ndarray:
        bounds = np.asarray(self.sc.section("ae")["complaint_age_groups"])
        return (np.searchsorted(bounds, ages, side="right") - 1).astype(np.int8)

    def _ambulance(
        self, person: np.ndarray, second: np.ndarray, forced: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Incidents; returns the conveyed ones' positions, A&E arrival times and forcing."""
        rng, settings = self.rng, self.sc.section("ambulance")
        n = person.size
        day = second // SECONDS_PER_DAY
        category = self.category.draw(rng, n)
        category = np.where(forced, 1, category).astype(np.int16)  # forced calls are C2
        sdf = self._sdf_on(person, day)
        p_convey = np.minimum(
            self.conveyance[category] * self._lever("conveyance", sdf, person, day), 0.97
        )
        convey = forced | (rng.random(n) < p_convey)
        hear = rng.random(n) < settings["hear_and_treat_share_of_not_conveyed"]
        outcome = np.where(convey, 2, np.where(hear, 0, 1)).astype(np.int8)
        self.incidents.add(
            person=person,
            call_second=second,
            category=category,
            outcome=outcome,
            traced=rng.random(n) < settings["traced"],
            lsoa=self.pop.lsoa_on(person, day),
        )
        low, high = settings["minutes_to_arrival"]
        travel = rng.integers(low * 60, high * 60 + 1, size=n)
        self.busy_until[person[~convey]] = second[~convey] + 3600
        conveyed = np.flatnonzero(convey)
        return conveyed, second[conveyed] + travel[conveyed], forced[conveyed]

    def _attendances(
        self,
        person: np.ndarray,
        arrival: np.ndarray,
        mode: np.ndarray,
        forced: np.ndarray,
        readmission: np.ndarray,
    ) -> dict[str, np.ndarray]:
        """A&E attendances; returns the admitted ones for the spell step."""
        pop, rng, settings = self.pop, self.rng, self.sc.section("ae")
        n = person.size
        day = arrival // SECONDS_PER_DAY
        age = pop.age_on(person, day)
        group = self.sc.age_group(age)
        complaint_group = self._complaint_group(age)
        by_ambulance = mode == MODE_AMBULANCE
        complaint = np.where(
            by_ambulance,
            self._draw_by_group(complaint_group, self.complaints["ambulance"]),
            self._draw_by_group(complaint_group, self.complaints["walk_in"]),
        ).astype(np.int16)
        acuity = np.where(
            by_ambulance,
            self.acuity_values["ambulance"][self.acuity["ambulance"].draw(rng, n)],
            self.acuity_values["walk_in"][self.acuity["walk_in"].draw(rng, n)],
        )
        acuity_factor = self.acuity_admission_factor[acuity]
        sdf = self._sdf_on(person, day)
        p_admit = (
            self._by_age(settings["admission_by_age"])[group]
            * acuity_factor
            * np.where(by_ambulance, settings["ambulance_admission_factor"], 1.0)
            * np.where(
                pop.high_intensity_user[person], settings["high_intensity_admission_factor"], 1.0
            )
            * self._lever("emergency_admissions", sdf, person, day)
        )
        p_die = (
            settings["death_probability"]
            * np.where(acuity == 1, settings["acuity_1_death_factor"], 1.0)
            * np.where(age >= 75, 3.0, 1.0)
        )
        protected = self.protect_until[person] > arrival
        died = ~forced & ~protected & (rng.random(n) < p_die)
        admitted = ~died & (forced | (rng.random(n) < np.minimum(p_admit, 0.95)))
        destination = np.where(
            admitted, 0, np.where(died, 1, 2 + self.not_admitted.draw(rng, n))
        ).astype(np.int8)
        low_a, high_a = settings["hours_admitted"]
        low_o, high_o = settings["hours_other"]
        hours = np.where(
            admitted,
            np.exp(rng.uniform(np.log(low_a), np.log(high_a), size=n)),
            np.exp(rng.uniform(np.log(low_o), np.log(high_o), size=n)),
        )
        departure = arrival + (hours * 3600).astype(np.int64)
        # a death already due during the attendance happens in the department
        dies_here = ~admitted & (pop.death_second[person] < departure)
        destination = np.where(dies_here, 1, destination).astype(np.int8)
        departure = np.where(dies_here, np.maximum(pop.death_second[person], arrival), departure)
        died |= dies_here
        pop.death_second[person[died]] = np.minimum(pop.death_second[person[died]], departure[died])
        self.attendances.add(
            person=person,
            arrival_second=arrival,
            departure_second=departure,
            age=age,
            sex=pop.sex[person],
            lsoa=pop.lsoa_on(person, day),
            practice=pop.practice_on(person, day),
            mode=mode.astype(np.int8),
            acuity=acuity.astype(np.int8),
            complaint=complaint,
            destination=destination,
        )
        home = ~admitted
        self.busy_until[person[home]] = departure[home]
        return {
            "person": person[admitted],
            "day": departure[admitted] // SECONDS_PER_DAY,
            "complaint": complaint[admitted],
            "readmission": readmission[admitted],
        }

    def _length_of_stay(
        self, group: np.ndarray, elective: np.ndarray, min_los: np.ndarray
    ) -> np.ndarray:
        rng, settings = self.rng, self.sc.section("inpatient")
        n = group.size
        zero = rng.random(n) < self._by_age(settings["zero_day_share"])[group]
        median = self._by_age(settings["median_los"])[group]
        stay = np.ceil(rng.lognormal(np.log(median), settings["los_sigma"]))
        emergency_los = np.where(zero, 0, np.clip(stay, 1, settings["max_los"]))
        day_case = rng.random(n) < settings["elective_day_case"]
        elective_los = np.where(
            day_case, 0, rng.integers(1, settings["elective_max_los"] + 1, size=n)
        )
        los = np.where(elective, elective_los, emergency_los)
        return np.maximum(los, min_los).astype(np.int64)

    def _spells(
        self,
        person: np.ndarray,
        admission_day: np.ndarray,
        method: np.ndarray,
        complaint: np.ndarray,
        min_los: np.ndarray,
        readmission: np.ndarray,
    ) -> Triggers:
        """Inpatient spells and what follows them: death, care home, reablement, delays."""
        pop, rng, sc = self.pop, self.rng, self.sc
        settings = sc.section("inpatient")
        n = person.size
        if n == 0:
            return Triggers.empty()
        elective = complaint < 0
        age = pop.age_on(person, admission_day)
        group = sc.age_group(age)
        sdf = self._sdf_on(person, admission_day)
        in_care = pop.in_care_home_on(person, admission_day)
        place = {code: i for i, code in enumerate(self.place_codes)}
        care_place = np.array([place[c] for c in self.care_home_codes])
        home_sources = np.array([place[c] for c in self.source_home.codes])
        source = np.where(
            in_care,
            care_place[pop.care_home_code[person]],
            np.where(
                elective,
                place[settings["usual_residence"]],
                home_sources[self.source_home.draw(rng, n)],
            ),
        ).astype(np.int8)

        diagnosis = np.empty(n, dtype=np.int16)
        for c, dist in enumerate(self.diagnoses):
            members = np.flatnonzero(complaint == c)
            if members.size:
                codes = np.array([self.diagnosis_index[d] for d in dist.codes])
                diagnosis[members] = codes[dist.draw(rng, members.size)]
        members = np.flatnonzero(elective)
        if members.size:
            codes = np.array([self.diagnosis_index[d] for d in self.elective_diagnoses.codes])
            diagnosis[members] = codes[self.elective_diagnoses.draw(rng, members.size)]

        los = self._length_of_stay(group, elective, min_los)
        protected = self.protect_until[person] > admission_day * SECONDS_PER_DAY
        p_death = self._by_age(settings["in_hospital_death"])[group] * np.where(in_care, 1.5, 1.0)
        died = ~elective & ~protected & (min_los == 0) & (rng.random(n) < p_death)

        delays = sc.section("delayed_discharge")
        long_stay = (age >= delays["from_age"]) & (los >= delays["min_los"])
        delayed = (
            ~elective
            & ~died
            & long_stay
            & (
                rng.random(n)
                < delays["share"] * self._lever("delayed_discharge", sdf, person, admission_day)
            )
        )
        delay = np.where(
            delayed,
            np.minimum(
                rng.geometric(1 / delays["mean_delay_days"], size=n), delays["max_delay_days"]
            ),
            0,
        )
        discharge_day = admission_day + los + delay
        # a death already due during the stay happens in hospital
        due = pop.death_second[person] < (discharge_day + 1) * SECONDS_PER_DAY
        death_day = np.maximum(pop.death_second[person] // SECONDS_PER_DAY, admission_day)
        discharge_day = np.where(due, death_day, discharge_day)
        delayed &= ~due
        delay = np.where(delayed, delay, 0)
        died |= due
        own_death = died & ~due
        pop.death_second[person[own_death]] = (discharge_day[own_death] + 1) * SECONDS_PER_DAY - 1

        destination = np.where(died, place[settings["died_destination"]], source).astype(np.int8)
        # not resident in a care home before: home, a new care home placement, or a hospice
        leaving = ~died & ~in_care
        p_place = self._by_age(settings["care_home_placement"])[group] * self._lever(
            "long_term_care", sdf, person, discharge_day
        )
        placed = leaving & ~elective & (rng.random(n) < p_place)
        hospice_cfg = settings["hospice"]
        hospice = (
            leaving
            & ~placed
            & (age >= hospice_cfg["from_age"])
            & (rng.random(n) < hospice_cfg["share"])
        )
        home_destinations = np.array([place[c] for c in self.destination_home.codes])
        home = leaving & ~placed & ~hospice
        destination = np.where(
            home, home_destinations[self.destination_home.draw(rng, n)], destination
        )
        nursing = rng.random(n) < sc.section("care_homes")["nursing_share"]
        new_code = Distribution.of(sc.section("care_homes")["codes"]).draw(rng, n)
        destination = np.where(placed, care_place[new_code], destination)
        destination = np.where(hospice, place[settings["hospice_destination"]], destination)
        destination = destination.astype(np.int8)
        placed_person = person[placed]
        earlier = pop.care_home_start[placed_person] <= discharge_day[placed]
        take = placed_person[~earlier]
        pop.care_home_start[take] = discharge_day[placed][~earlier]
        pop.care_home_nursing[take] = nursing[placed][~earlier]
        pop.care_home_code[take] = new_code[placed][~earlier]
        pop.care_home_route[take] = CARE_HOME_FROM_HOSPITAL
        low, high = hospice_cfg["days_to_death"]
        hospice_death = (discharge_day + rng.integers(low, high + 1, size=n)) * SECONDS_PER_DAY
        hp = person[hospice]
        pop.death_second[hp] = np.minimum(pop.death_second[hp], hospice_death[hospice])

        usual = destination == place[settings["usual_residence"]]
        stay_in_hospital, reabled = self._reablement(
            person, age, sdf, discharge_day, usual & ~in_care & ~died
        )
        created = [stay_in_hospital]
        reason, organisation = self._delay_reasons(delayed, placed, reabled)
        fit_day = discharge_day - delay
        self.spells.add(
            person=person,
            admission_day=admission_day,
            discharge_day=discharge_day,
            age=age,
            sex=pop.sex[person],
            method=method.astype(np.int8),
            source=source,
            destination=destination,
            diagnosis=diagnosis,
            lsoa=pop.lsoa_on(person, admission_day),
            practice=pop.practice_on(person, admission_day),
            from_care_home=in_care,
            readmission=readmission,
            delayed=delayed,
            fit_day=fit_day,
            delay_reason=reason,
            delay_organisation=organisation,
        )
        self.busy_until[person] = (discharge_day + 1) * SECONDS_PER_DAY

        alive = ~died & ~hospice
        p_readmit = self._by_age(settings["readmission_by_age"])[group] * self._lever(
            "readmission", sdf, person, discharge_day
        )
        readmit = alive & (rng.random(n) < p_readmit)
        gap = 1 + np.minimum(rng.exponential(settings["readmission_mean_days"], size=n), 27)
        when = (discharge_day + gap.astype(np.int64)) * SECONDS_PER_DAY + rng.integers(
            7 * 3600, 22 * 3600, size=n
        )
        via_ae = rng.random(n) < settings["readmission_via_ae"]
        by_ambulance = via_ae & (age >= 65) & (rng.random(n) < 0.6)
        kind = np.where(via_ae, np.where(by_ambulance, AMBULANCE, WALK_IN), DIRECT)
        chosen = np.flatnonzero(readmit)
        created.append(
            Triggers.new(person[chosen], when[chosen], kind[chosen], forced=True, readmission=True)
        )
        return Triggers.concat(created)

    def _reablement(
        self,
        person: np.ndarray,
        age: np.ndarray,
        sdf: np.ndarray,
        discharge_day: np.ndarray,
        eligible: np.ndarray,
    ) -> tuple[Triggers, np.ndarray]:
        """Reablement after discharge home, with the 91-day outcome made true.

        Returns the admissions that put people in hospital on their follow-up day, and
        the mask of discharges that went into reablement.
        """
        pop, rng, settings = self.pop, self.rng, self.sc.section("reablement")
        n = person.size
        referred = (
            eligible & (age >= settings["from_age"]) & (rng.random(n) < settings["referral_share"])
        )
        p_home = np.minimum(
            settings["at_home"] * self._lever("reablement_at_home", sdf, person, discharge_day),
            0.98,
        )
        at_home = rng.random(n) < p_home
        outcome = np.where(at_home, 0, 1 + self.reablement_other.draw(rng, n)).astype(np.int8)
        idx = np.flatnonzero(referred)
        if idx.size == 0:
            return Triggers.empty(), referred
        follow = settings["follow_up_days"]
        start = discharge_day[idx] + rng.integers(
            0, settings["start_within_days"] + 1, size=idx.size
        )
        self.reablement.add(
            person=person[idx],
            discharge_day=discharge_day[idx],
            start_day=start,
            outcome=outcome[idx],
            lsoa=pop.lsoa_on(person[idx], discharge_day[idx]),
        )
        code = np.array(self.reablement_codes)[outcome[idx]]
        who, day = person[idx], discharge_day[idx]
        follow_second = (day + follow + 1) * SECONDS_PER_DAY

        home = code == settings["at_home_code"]
        self.protect_until[who[home]] = np.maximum(
            self.protect_until[who[home]], follow_second[home]
        )
        died = code == "died"
        death = (day + rng.integers(10, follow, size=idx.size)) * SECONDS_PER_DAY + rng.integers(
            0, SECONDS_PER_DAY, size=idx.size
        )
        pop.death_second[who[died]] = np.minimum(pop.death_second[who[died]], death[died])
        care = np.isin(code, ["residential_care", "nursing_care"])
        entry = day + rng.integers(14, follow - 2, size=idx.size)
        care &= pop.care_home_start[who] > entry
        pop.care_home_start[who[care]] = entry[care]
        pop.care_home_nursing[who[care]] = code[care] == "nursing_care"
        pop.care_home_route[who[care]] = CARE_HOME_AFTER_REABLEMENT
        in_hospital = code == "in_hospital"
        admit = day + rng.integers(follow - 21, follow - 1, size=idx.size)
        min_los = (day + follow - admit) + rng.integers(1, 11, size=idx.size)
        chosen = np.flatnonzero(in_hospital)
        stays = Triggers.new(
            who[chosen],
            admit[chosen] * SECONDS_PER_DAY + 10 * 3600,
            DIRECT,
            min_los=min_los[chosen],
        )
        return stays, referred

    def _delay_reasons(
        self, delayed: np.ndarray, placed: np.ndarray, reablement: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Reason and responsible organisation of each delay (-1 where not delayed)."""
        rng, delays = self.rng, self.sc.section("delayed_discharge")
        n = delayed.size
        reason_index = {r: i for i, r in enumerate(self.reason_codes)}
        organisation = self.delay_orgs.draw(rng, n)
        reason = np.full(n, -1, dtype=np.int16)
        for o, org in enumerate(self.delay_orgs.codes):
            members = np.flatnonzero(organisation == o)
            dist = self.delay_reasons[org]
            codes = np.array([reason_index[r] for r in dist.codes])
            reason[members] = codes[dist.draw(rng, members.size)]
        social = self.delay_orgs.codes.index("social_care")
        both = self.delay_orgs.codes.index("both")
        care_org = np.where(rng.random(n) < 0.8, social, both)
        reason = np.where(placed, reason_index[delays["care_home_reason"]], reason)
        organisation = np.where(placed, care_org, organisation)
        reab = reablement & ~placed & (rng.random(n) < 0.6)
        reason = np.where(reab, reason_index[delays["reablement_reason"]], reason)
        organisation = np.where(reab, social, organisation)
        return (
            np.where(delayed, reason, -1).astype(np.int16),
            np.where(delayed, organisation, -1).astype(np.int8),
        )
