"""The synthetic population behind every feed.

One person record drives every organisation's view of that person: the trust, the
ambulance service, the council and the GP registers all see the same NHS number, date
of birth, sex, residence and practice, so that linkage in the warehouse has something
real to find. The population is the Census count of each LSOA x sex x age band cell
times the scale, aged forward from Census day with deaths up to the start of the
simulation and births since Census day. Some people move LSOA once (and may change
practice), a few are very frequent A&E users, and the oldest include care home residents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from footprint.synth import nhs_numbers
from footprint.synth.reference import Reference, practices_valid_throughout
from footprint.synth.scenario import Distribution, Scenario
from footprint.synth.timeline import (
    NEVER_DAY,
    NEVER_SECOND,
    SECONDS_PER_DAY,
    Timeline,
    day_number,
    year_and_month_day,
)

DAYS_PER_YEAR = 365.25
(
    CARE_HOME_AT_START,
    CARE_HOME_FROM_COMMUNITY,
    CARE_HOME_FROM_HOSPITAL,
    CARE_HOME_AFTER_REABLEMENT,
) = (1, 2, 3, 4)
CARE_HOME_ROUTES = {
    0: "",
    CARE_HOME_AT_START: "resident_at_start",
    CARE_HOME_FROM_COMMUNITY: "from_community",
    CARE_HOME_FROM_HOSPITAL: "from_hospital",
    CARE_HOME_AFTER_REABLEMENT: "after_reablement",
}


def deprivation_score(deciles: np.ndarray) -> np.ndarray:
    """IMD decile as a score from +1 (most deprived, decile 1) to -1 (least, decile 10)."""
    return (5.5 - deciles.astype(np.float64)) / 4.5


@dataclass
class Population:
    """One row per person, as parallel arrays (person index = position).

    ``care_home_*`` and ``death_second`` change as the simulation runs: people enter care
    homes after a discharge and die in hospital or at home.
    """

    nhs_number: np.ndarray  # int64, Modulus 11 valid
    dob: np.ndarray  # int32 day number
    sex: np.ndarray  # int8, 1 male / 2 female
    lsoa0: np.ndarray  # LSOA index at the start of the simulation (or at birth)
    practice0: np.ndarray  # practice index at the start
    move_day: np.ndarray  # int32 day of the one move, NEVER_DAY if none
    lsoa1: np.ndarray  # LSOA after the move (= lsoa0 if none)
    practice1: np.ndarray
    frailty: np.ndarray  # float, mean 1: individual multiplier of emergency care use
    care_home_frailty: np.ndarray  # float, mean 1: the same while living in a care home
    hiu_walk_in: np.ndarray  # extra walk-in attendances per year (high-intensity users)
    hiu_ambulance: np.ndarray  # extra ambulance incidents per year
    care_home_start: np.ndarray  # int32 day of entering long-term care, NEVER_DAY if never
    care_home_nursing: np.ndarray  # bool: nursing (else residential) care
    care_home_code: np.ndarray  # int8 index into the scenario's care home codes
    care_home_route: np.ndarray  # int8, one of CARE_HOME_ROUTES
    council_id: np.ndarray  # int64, the council's own person number
    council_traced: np.ndarray  # bool: the council holds the NHS number
    death_second: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    council_id_width: int = 7  # digits after the 'C' of a council person id
    birth_year: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    birth_month_day: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))

    def __post_init__(self) -> None:
        self.birth_year, self.birth_month_day = year_and_month_day(self.dob)

    def age_on(self, person: np.ndarray, day: np.ndarray | int) -> np.ndarray:
        """Whole years of age on a day (birthdays counted), from cached birth dates."""
        year, month_day = year_and_month_day(day)
        before_birthday = month_day < self.birth_month_day[person]
        return (year - self.birth_year[person] - before_birthday).astype(np.int16)

    def council_ids(self, person: np.ndarray) -> np.ndarray:
        """The council's person identifiers ('C' and zero-padded digits) as text."""
        return format_council_ids(self.council_id[person], self.council_id_width)

    @property
    def size(self) -> int:
        return int(self.nhs_number.size)

    @property
    def dob_second(self) -> np.ndarray:
        return self.dob.astype(np.int64) * SECONDS_PER_DAY

    @property
    def high_intensity_user(self) -> np.ndarray:
        return self.hiu_walk_in > 0

    def lsoa_on(self, person: np.ndarray, day: np.ndarray | int) -> np.ndarray:
        return np.where(day >= self.move_day[person], self.lsoa1[person], self.lsoa0[person])

    def practice_on(self, person: np.ndarray, day: np.ndarray | int) -> np.ndarray:
        return np.where(
            day >= self.move_day[person], self.practice1[person], self.practice0[person]
        )

    def in_care_home_on(self, person: np.ndarray, day: np.ndarray | int) -> np.ndarray:
        return self.care_home_start[person] <= day

    def death_day(self) -> np.ndarray:
        days = self.death_second // SECONDS_PER_DAY
        return np.where(self.death_second >= NEVER_SECOND, NEVER_DAY, days).astype(np.int64)

    def to_table(self, reference: Reference, care_home_codes: tuple[str, ...]) -> pa.Table:
        """The ground-truth person table written to _generator/population.parquet."""

        def dates(days: np.ndarray) -> pa.Array:
            days = np.asarray(days, dtype=np.int64)
            return pa.array(days.astype("datetime64[D]"), mask=days >= NEVER_DAY)

        def codes(
            labels: list[str] | tuple[str, ...], index: np.ndarray, null: np.ndarray | None = None
        ) -> pa.Array:
            indices = pa.array(np.asarray(index, dtype=np.int32), mask=null)
            dictionary = pa.array(list(labels), pa.string())
            return pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string())

        moved = self.move_day < NEVER_DAY
        in_care = self.care_home_start < NEVER_DAY
        return pa.table(
            {
                "person_index": pa.array(np.arange(self.size, dtype=np.int64)),
                "nhs_number": pa.array(self.nhs_number).cast(pa.string()),
                "date_of_birth": dates(self.dob),
                "sex": pa.array(self.sex.astype(np.int64)).cast(pa.string()),
                "lsoa_code": codes(reference.lsoa_codes, self.lsoa0),
                "practice_code": codes(reference.practice_codes, self.practice0),
                "move_date": dates(self.move_day),
                "lsoa_code_after_move": codes(reference.lsoa_codes, self.lsoa1, ~moved),
                "practice_code_after_move": codes(reference.practice_codes, self.practice1, ~moved),
                "care_home_resident": pa.array(in_care),
                "care_home_from": dates(self.care_home_start),
                "care_home_type": codes(
                    ("residential", "nursing"), self.care_home_nursing.astype(np.int32), ~in_care
                ),
                "care_home_code": codes(care_home_codes, self.care_home_code, ~in_care),
                "care_home_route": codes(
                    [CARE_HOME_ROUTES[r] for r in sorted(CARE_HOME_ROUTES)],
                    self.care_home_route,
                    ~in_care,
                ),
                "date_of_death": dates(self.death_day()),
                "high_intensity_user": pa.array(self.high_intensity_user),
                "council_person_id": pa.array(self.council_ids(np.arange(self.size)), pa.string()),
                "council_traced": pa.array(self.council_traced),
            }
        )


def format_council_ids(ids: np.ndarray, width: int) -> np.ndarray:
    digits = pc.utf8_lpad(pa.array(np.asarray(ids, dtype=np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise("C", digits, "").to_numpy(zero_copy_only=False)


def _census_persons(
    reference: Reference, scale: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LSOA, sex and age band of each person: Census cells times the scale.

    Fractions are rounded at random so that small scales keep the right totals.
    """
    cells = reference.population
    expected = cells["count"].to_numpy(np.float64) * scale
    counts = np.floor(expected).astype(np.int64)
    counts += rng.random(counts.size) < (expected - counts)
    return (
        np.repeat(cells["lsoa"].to_numpy(np.int32), counts),
        np.repeat(cells["sex"].to_numpy(np.int8), counts),
        np.repeat(cells["band"].to_numpy(np.int8), counts),
    )


def _census_ages(reference: Reference, bands: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Age in (fractional) years on Census day, uniform within the band.

    The open top band decays exponentially instead, so that few people pass 100.
    """
    low = reference.age_band_from[bands].astype(np.float64)
    high = reference.age_band_to[bands].astype(np.float64) + 1
    ages = low + rng.random(bands.size) * (high - low)
    top = bands == len(reference.age_band_from) - 1
    decay = np.minimum(rng.exponential(3.5, size=int(top.sum())), high[top] - low[top] - 1e-6)
    ages[top] = low[top] + decay
    return ages


def build_population(
    reference: Reference,
    scenario: Scenario,
    timeline: Timeline,
    scale: float,
    rng: np.random.Generator,
) -> Population:
    """Everyone who lives in the borough at some point of the simulation."""
    settings = scenario.section("population")
    census_day = day_number(scenario.census_date)
    sim_start = day_number(timeline.sim_start)
    end = day_number(timeline.end)

    # residents counted by the Census, aged forward to the start of the simulation
    lsoa, sex, band = _census_persons(reference, scale, rng)
    age_at_census = _census_ages(reference, band, rng)
    dob = (census_day - np.floor(age_at_census * DAYS_PER_YEAR)).astype(np.int32)
    years = max(0.0, (sim_start - census_day) / DAYS_PER_YEAR)
    mortality = scenario.by_age(settings["annual_mortality"])
    mid_age = (age_at_census + years / 2).astype(np.int16)
    hazard = -np.log1p(-mortality[scenario.age_group(mid_age)])
    survives = rng.random(dob.size) < np.exp(-hazard * years)
    lsoa, sex, dob = lsoa[survives], sex[survives], dob[survives]

    # births since Census day, by LSOA in proportion to its under-fives
    cells = reference.population
    under_fives = cells[cells["band"] == 0].groupby("lsoa")["count"].sum()
    per_lsoa = np.zeros(len(reference.lsoa_codes))
    per_lsoa[under_fives.index.to_numpy()] = under_fives.to_numpy()
    birth_years = max(0.0, (end - census_day) / DAYS_PER_YEAR)
    births = rng.poisson(per_lsoa * scale * settings["births_per_year_per_under_5"] * birth_years)
    birth_lsoa = np.repeat(np.arange(per_lsoa.size, dtype=np.int32), births)
    birth_dob = rng.integers(census_day, end + 1, size=birth_lsoa.size).astype(np.int32)
    birth_sex = np.where(rng.random(birth_lsoa.size) < 0.512, 1, 2).astype(np.int8)

    lsoa = np.concatenate([lsoa, birth_lsoa])
    sex = np.concatenate([sex, birth_sex])
    dob = np.concatenate([dob, birth_dob])
    n = lsoa.size

    practice0 = _registered_practices(reference, scenario, timeline, lsoa, rng)
    move_day, lsoa1, practice1 = _moves(reference, scenario, timeline, lsoa, practice0, dob, rng)
    frailty = rng.gamma(settings["frailty_shape"], 1 / settings["frailty_shape"], size=n)
    care_shape = settings["care_home_frailty_shape"]
    care_home_frailty = rng.gamma(care_shape, 1 / care_shape, size=n)

    age_at_start = ((sim_start - dob) / DAYS_PER_YEAR).astype(np.int16)
    deprivation = deprivation_score(reference.lsoa_imd_decile[lsoa])
    hiu_walk_in, hiu_ambulance = _high_intensity_users(scenario, age_at_start, deprivation, rng)
    care = _care_homes(reference, scenario, timeline, lsoa, age_at_start, deprivation, dob, rng)

    # 'C' and seven digits while that leaves room to draw ids sparsely, more beyond
    width = 7 if n < 5_000_000 else len(str(n)) + 1
    council_id = rng.choice(10**width, size=n, replace=False).astype(np.int64)
    council_traced = rng.random(n) < settings["council_traced"]
    numbers = nhs_numbers.allocate(n, rng)

    return Population(
        nhs_number=numbers,
        dob=dob,
        sex=sex,
        lsoa0=lsoa.astype(np.int32),
        practice0=practice0,
        move_day=move_day,
        lsoa1=lsoa1,
        practice1=practice1,
        frailty=frailty,
        care_home_frailty=care_home_frailty,
        hiu_walk_in=hiu_walk_in,
        hiu_ambulance=hiu_ambulance,
        care_home_start=care[0],
        care_home_nursing=care[1],
        care_home_code=care[2],
        care_home_route=care[3],
        council_id=council_id,
        council_traced=council_traced,
        death_second=np.full(n, NEVER_SECOND, dtype=np.int64),
        council_id_width=width,
    )


def _practice_weights(
    reference: Reference, scenario: Scenario, timeline: Timeline, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Relative list size of each practice (0 for practices not open throughout)."""
    valid = practices_valid_throughout(reference, timeline.sim_start, timeline.end)
    if not valid.any():
        raise ValueError("practices.csv has no practice open throughout the generated period")
    sigma = scenario.section("population")["practice_size_sigma"]
    weights = rng.lognormal(0.0, sigma, size=valid.size) * valid
    return weights, reference.sdf_of_practices_on(timeline.sim_start)


def _pick_practices(
    sdf_of_person: np.ndarray,
    weights: np.ndarray,
    practice_sdf: np.ndarray,
    outside_share: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """A practice for each person: mostly one in their own SDF, weighted by list size."""
    result = np.empty(sdf_of_person.size, dtype=np.int32)
    outside = rng.random(sdf_of_person.size) < outside_share
    everyone = weights / weights.sum()
    for sdf in np.unique(sdf_of_person):
        local = weights * (practice_sdf == sdf)
        chosen = (sdf_of_person == sdf) & ~outside
        if local.sum() == 0:
            chosen[:] = False
        members = np.flatnonzero(chosen)
        if members.size:
            result[members] = rng.choice(local.size, size=members.size, p=local / local.sum())
        rest = np.flatnonzero((sdf_of_person == sdf) & ~chosen)
        if rest.size:
            result[rest] = rng.choice(weights.size, size=rest.size, p=everyone)
    return result


def _registered_practices(
    reference: Reference,
    scenario: Scenario,
    timeline: Timeline,
    lsoa: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    weights, practice_sdf = _practice_weights(reference, scenario, timeline, rng)
    share = scenario.section("population")["practice_outside_sdf"]
    return _pick_practices(reference.lsoa_sdf[lsoa], weights, practice_sdf, share, rng)


def _moves(
    reference: Reference,
    scenario: Scenario,
    timeline: Timeline,
    lsoa: np.ndarray,
    practice: np.ndarray,
    dob: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One move of LSOA for a share of people during the delivered period."""
    settings = scenario.section("population")
    n = lsoa.size
    first, last = day_number(timeline.start), day_number(timeline.end)
    move_day = rng.integers(first, last + 1, size=n).astype(np.int32)
    moves = (rng.random(n) < settings["movers"]) & (dob < move_day)
    move_day = np.where(moves, move_day, NEVER_DAY).astype(np.int32)

    lsoa_sdf = reference.lsoa_sdf
    order = np.argsort(lsoa_sdf, kind="stable")  # LSOAs grouped by SDF
    group_start = np.searchsorted(lsoa_sdf[order], np.arange(len(reference.sdf_codes)))
    group_size = np.bincount(lsoa_sdf, minlength=len(reference.sdf_codes))
    old_sdf = lsoa_sdf[lsoa]
    n_lsoa = lsoa_sdf.size

    within = (rng.random(n) < settings["move_within_sdf"]) & (group_size[old_sdf] > 1)
    # within the SDF: another LSOA of the same group
    rank = np.empty(n_lsoa, dtype=np.int64)
    rank[order] = np.arange(n_lsoa) - group_start[lsoa_sdf[order]]
    position = rank[lsoa]
    step = 1 + (rng.random(n) * np.maximum(group_size[old_sdf] - 1, 1)).astype(np.int64)
    same_sdf_choice = order[group_start[old_sdf] + (position + step) % group_size[old_sdf]]
    # anywhere else: any other LSOA
    other_choice = (lsoa + 1 + (rng.random(n) * (n_lsoa - 1)).astype(np.int64)) % n_lsoa
    new_lsoa = np.where(within, same_sdf_choice, other_choice)
    lsoa1 = np.where(moves, new_lsoa, lsoa).astype(np.int32)

    weights, practice_sdf = _practice_weights(reference, scenario, timeline, rng)
    new_sdf = lsoa_sdf[lsoa1]
    changed_sdf = new_sdf != old_sdf
    switch = moves & np.where(
        changed_sdf,
        rng.random(n) < settings["change_practice_if_sdf_changes"],
        rng.random(n) < settings["change_practice_if_same_sdf"],
    )
    practice1 = practice.copy()
    members = np.flatnonzero(switch)
    if members.size:
        practice1[members] = _pick_practices(new_sdf[members], weights, practice_sdf, 0.0, rng)
    return move_day, lsoa1, practice1


def _high_intensity_users(
    scenario: Scenario, age: np.ndarray, deprivation: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """A small explicit group with very frequent A&E use, commoner where deprived."""
    settings = scenario.section("population")["high_intensity_users"]
    low, high = settings["ages"]
    beta = scenario.section("deprivation")["high_intensity_users"]
    weight = np.exp(beta * deprivation) * ((age >= low) & (age < high))
    eligible_mean = weight[weight > 0].mean() if (weight > 0).any() else 1.0
    chosen = rng.random(age.size) < settings["share_of_adults"] * weight / eligible_mean
    walk_in = np.where(chosen, rng.uniform(*settings["walk_in_per_year"], size=age.size), 0.0)
    ambulance = np.where(chosen, rng.uniform(*settings["ambulance_per_year"], size=age.size), 0.0)
    return walk_in, ambulance


def _care_homes(
    reference: Reference,
    scenario: Scenario,
    timeline: Timeline,
    lsoa: np.ndarray,
    age: np.ndarray,
    deprivation: np.ndarray,
    dob: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Care home residents at the start and people who will enter from the community.

    Entries after a hospital discharge or a reablement episode are decided during the
    simulation; here only the start-of-period residents and community entries are drawn.
    """
    settings = scenario.section("care_homes")
    lever = scenario.levers["long_term_care"]
    sdf = reference.lsoa_sdf[lsoa]
    beta = scenario.section("deprivation")["care_homes"]
    group = scenario.age_group(np.maximum(age, 0))
    relative = (
        np.exp(beta * deprivation)
        * lever.multiplier(sdf, 0.0)
        * (dob < day_number(timeline.sim_start))
    )
    n = lsoa.size
    sim_start = day_number(timeline.sim_start)
    end = day_number(timeline.end)

    share = scenario.by_age(settings["resident_share_at_start"])[group] * relative
    resident = rng.random(n) < share
    start = np.where(resident, sim_start - rng.integers(30, 2000, size=n), NEVER_DAY)
    route = np.where(resident, CARE_HOME_AT_START, 0)

    rate = scenario.by_age(settings["community_entries_per_year"])[group] * relative
    wait = rng.exponential(1.0, size=n) / np.maximum(rate, 1e-12) * DAYS_PER_YEAR
    enters = ~resident & (rate > 0) & (sim_start + wait <= end)
    start = np.where(enters, sim_start + wait.astype(np.int64), start).astype(np.int32)
    route = np.where(enters, CARE_HOME_FROM_COMMUNITY, route).astype(np.int8)

    nursing = rng.random(n) < settings["nursing_share"]
    codes = Distribution.of(settings["codes"])
    code = codes.draw(rng, n).astype(np.int8)
    return start, nursing, code, route
