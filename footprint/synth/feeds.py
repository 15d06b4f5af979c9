"""From simulated people and events to each feed's deliveries, one table per file.

A feed's columns, their order, date formats and file names all come from its contract:
each builder below returns values keyed by column name and the table is assembled in
the contract's order (a builder that misses or adds a column fails loudly). Values are
formatted once per feed with pyarrow compute and each delivery is a zero-copy slice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from footprint.contracts import Column, Contract
from footprint.synth.deaths import PLACES, Deaths
from footprint.synth.pathways import MODE_AMBULANCE, MODE_OTHER, MODE_WALK_IN, Activity
from footprint.synth.population import Population
from footprint.synth.reference import Reference
from footprint.synth.registrations import practice_map, register_counts
from footprint.synth.scenario import Scenario
from footprint.synth.social_care import EVENT_TYPES, OUTCOMES, SERVICES, CareEvents
from footprint.synth.timeline import SECONDS_PER_DAY, Period, Timeline

EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "xlsx": ".xlsx"}
ID_BASE = 1_000_000  # identifiers count up from here, ten digits wide


@dataclass
class Delivery:
    """One file to write: a contract, the period it covers and its rows as text."""

    contract: Contract
    period: Period
    table: pa.Table  # string columns in contract order; null = empty / JSON null
    version: int = 1

    @property
    def name(self) -> str:
        return file_name(self.contract, self.period.label, self.version)

    @property
    def folder(self) -> str:
        return f"{self.contract.organisation}/{self.contract.feed}"

    @property
    def relative_path(self) -> str:
        return f"{self.folder}/{self.name}"

    @property
    def rows(self) -> int:
        return self.table.num_rows


def file_name(contract: Contract, label: str, version: int = 1) -> str:
    """The delivery's file name; checked against the contract's pattern."""
    suffix = "" if version == 1 else f"_v{version}"
    name = f"{contract.feed}_{label}{suffix}{EXTENSIONS[contract.kind]}"
    if not contract.pattern.fullmatch(name):
        raise ValueError(
            f"generated file name {name!r} does not match {contract.pattern.pattern!r} "
            f"({contract.path})"
        )
    return name


@dataclass
class FeedContext:
    """Everything the builders read."""

    population: Population
    reference: Reference
    scenario: Scenario
    timeline: Timeline
    activity: Activity
    care_events: CareEvents
    spell_numbers: np.ndarray  # spell id number of every simulated spell
    deaths: Deaths


# ------------------------------------------------------------------ formatting
def _lookup(
    codes: tuple[str, ...] | list[str], index: np.ndarray, null: np.ndarray | None = None
) -> pa.Array:
    """Code of each index, as text (null where ``null``)."""
    indices = pa.array(np.asarray(index, dtype=np.int32), mask=null)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(codes), pa.string())).cast(
        pa.string()
    )


def _numbers(values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64), mask=null).cast(pa.string())


def _identifiers(prefix: str, numbers: np.ndarray) -> pa.Array:
    digits = pc.utf8_lpad(pa.array(np.asarray(numbers, np.int64)).cast(pa.string()), 10, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


# positions of strftime fields in pyarrow's ISO text of a timestamp: 'YYYY-MM-DD HH:MM:SS'
_ISO_FIELDS = {
    "%Y": (0, 4),
    "%m": (5, 7),
    "%d": (8, 10),
    "%H": (11, 13),
    "%M": (14, 16),
    "%S": (17, 19),
}


def format_datetimes(values: pa.Array, fmt: str) -> pa.Array:
    """Dates or timestamps as text in a strftime format.

    pyarrow's strftime is slow (tens of times slower than a cast), so formats made only
    of %Y %m %d %H %M %S and literal text are assembled from slices of the ISO text;
    anything else falls back to strftime.
    """
    tokens = re.findall(r"%.|[^%]+", fmt)
    is_date = pa.types.is_date(values.type)
    usable = {"%Y", "%m", "%d"} if is_date else set(_ISO_FIELDS)
    fields = [t for t in tokens if t.startswith("%")]
    if not fields or any(t not in usable for t in fields):
        return pc.strftime(values, format=fmt)
    iso = values.cast(pa.string())
    parts = [
        pc.utf8_slice_codeunits(iso, *_ISO_FIELDS[t]) if t in _ISO_FIELDS else t for t in tokens
    ]
    return pc.binary_join_element_wise(*parts, "")


def _timestamps(seconds: np.ndarray, column: Column) -> pa.Array:
    return format_datetimes(pa.array(np.asarray(seconds).astype("datetime64[s]")), column.format)


def _dates(days: np.ndarray, column: Column | str, null: np.ndarray | None = None) -> pa.Array:
    fmt = column if isinstance(column, str) else column.format
    values = pa.array(np.asarray(days, dtype=np.int64).astype("datetime64[D]"), mask=null)
    return format_datetimes(values, fmt)


def _plain_text(values: pa.Array, delimiter: str) -> pa.Array:
    """Free text made safe for an unquoted delimited file."""
    for bad in (delimiter, '"', "\r", "\n"):
        values = pc.replace_substring(values, bad, " ")
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(values, "  +", " "))


def _ranks(*keys: np.ndarray) -> np.ndarray:
    """Rank of each row when sorted by the keys (first key most significant)."""
    order = np.lexsort(tuple(reversed(keys)))
    ranks = np.empty(order.size, dtype=np.int64)
    ranks[order] = np.arange(order.size)
    return ranks


def _month_index(days: np.ndarray, timeline: Timeline) -> np.ndarray:
    months = np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]")
    first = np.datetime64(timeline.start, "M")
    return (months - first).astype(np.int64)


def _quarter_index(days: np.ndarray, periods: list[Period]) -> np.ndarray:
    """Index of the delivered quarter containing each day, -1 outside them all."""
    firsts = np.array([p.first_day for p in periods], dtype=np.int64)
    lasts = np.array([p.last_day for p in periods], dtype=np.int64)
    index = np.searchsorted(firsts, days, side="right") - 1
    inside = (
        (index >= 0) & (days <= lasts[np.clip(index, 0, None)])
        if periods
        else np.zeros(np.asarray(days).size, bool)
    )
    return np.where(inside, index, -1)


def _birth_year_month(ctx: FeedContext, person: np.ndarray) -> pa.Array:
    return _dates(ctx.population.dob[person], "%Y-%m")


def _sex(ctx: FeedContext, person: np.ndarray) -> pa.Array:
    return _numbers(ctx.population.sex[person])


# ------------------------------------------------------------------ builders
Built = tuple[dict[str, pa.Array], np.ndarray, np.ndarray]  # columns, period index, sort key


def _ae_attendances(ctx: FeedContext, contract: Contract, periods: list[Period]) -> Built:
    att = ctx.activity.attendances
    pop, ref = ctx.population, ctx.reference
    arrival = att["arrival_second"]
    numbers = ID_BASE + _ranks(arrival, att["person"])
    period = arrival // SECONDS_PER_DAY - periods[0].first_day
    person = att["person"]
    modes = ctx.scenario.section("ae")["arrival_codes"]
    mode_codes = [""] * 3
    mode_codes[MODE_AMBULANCE] = modes["ambulance"]
    mode_codes[MODE_WALK_IN] = modes["walk_in"]
    mode_codes[MODE_OTHER] = modes["other"]
    columns = {
        "attendance_id": _identifiers("AE", numbers),
        "nhs_number": _numbers(pop.nhs_number[person]),
        "age": _numbers(att["age"]),
        "sex": _numbers(att["sex"]),
        "lsoa_code": _lookup(ref.lsoa_codes, att["lsoa"]),
        "practice_code": _lookup(ref.practice_codes, att["practice"]),
        "arrival_at": _timestamps(arrival, contract.column("arrival_at")),
        "departure_at": _timestamps(att["departure_second"], contract.column("departure_at")),
        "arrival_mode": _lookup(mode_codes, att["mode"]),
        "acuity": _numbers(att["acuity"]),
        "chief_complaint": _lookup(ctx.activity.codes["complaint"], att["complaint"]),
        "discharge_destination": _lookup(ctx.activity.codes["ae_destination"], att["destination"]),
    }
    return columns, period, numbers


def _incidents(ctx: FeedContext, contract: Contract, periods: list[Period]) -> Built:
    inc = ctx.activity.incidents
    call = inc["call_second"]
    numbers = ID_BASE + _ranks(call, inc["person"])
    columns = {
        "incident_id": _identifiers("INC", numbers),
        "call_at": _timestamps(call, contract.column("call_at")),
        "category": _lookup(ctx.activity.codes["category"], inc["category"]),
        "lsoa_code": _lookup(ctx.reference.lsoa_codes, inc["lsoa"]),
        "outcome": _lookup(ctx.activity.codes["outcome"], inc["outcome"]),
        "nhs_number": _numbers(ctx.population.nhs_number[inc["person"]], null=~inc["traced"]),
    }
    return columns, call // SECONDS_PER_DAY - periods[0].first_day, numbers


def spell_numbers(activity: Activity) -> np.ndarray:
    """Spell id numbers, in order of admission, for every simulated spell."""
    spells = activity.spells
    return ID_BASE + _ranks(spells["admission_day"], spells["person"], spells["discharge_day"])


def _inpatient_spells(ctx: FeedContext, contract: Contract, periods: list[Period]) -> Built:
    sp, codes, ref = ctx.activity.spells, ctx.activity.codes, ctx.reference
    person = sp["person"]
    columns = {
        "spell_id": _identifiers("SP", ctx.spell_numbers),
        "nhs_number": _numbers(ctx.population.nhs_number[person]),
        "age_on_admission": _numbers(sp["age"]),
        "sex": _numbers(sp["sex"]),
        "admission_date": _dates(sp["admission_day"], contract.column("admission_date")),
        "discharge_date": _dates(sp["discharge_day"], contract.column("discharge_date")),
        "admission_method": _lookup(codes["method"], sp["method"]),
        "admission_source": _lookup(codes["place"], sp["source"]),
        "discharge_destination": _lookup(codes["place"], sp["destination"]),
        "primary_diagnosis": _lookup(codes["diagnosis"], sp["diagnosis"]),
        "lsoa_code": _lookup(ref.lsoa_codes, sp["lsoa"]),
        "practice_code": _lookup(ref.practice_codes, sp["practice"]),
    }
    return columns, _month_index(sp["discharge_day"], ctx.timeline), ctx.spell_numbers


def _deaths(ctx: FeedContext, contract: Contract, periods: list[Period]) -> Built:
    deaths, pop, ref = ctx.deaths, ctx.population, ctx.reference
    person, day = deaths.person, deaths.death_day
    columns = {
        "nhs_number": _numbers(pop.nhs_number[person]),
        "date_of_death": _dates(day, contract.column("date_of_death")),
        "date_of_registration": _dates(
            deaths.registration_day, contract.column("date_of_registration")
        ),
        "sex": _sex(ctx, person),
        "age_at_death": _numbers(deaths.age),
        "lsoa_code": _lookup(ref.lsoa_codes, pop.lsoa_on(person, day)),
        "practice_code": _lookup(ref.practice_codes, pop.practice_on(person, day)),
        "underlying_cause": _lookup(deaths.cause_codes, deaths.cause),
        "place_of_death": _lookup(PLACES, deaths.place),
    }
    key = _ranks(deaths.registration_day, day, person)
    return columns, _month_index(deaths.registration_day, ctx.timeline), key


def _delayed_discharges(ctx: FeedContext, contract: Contract, periods: list[Period]) -> Built:
    sp, codes = ctx.activity.spells, ctx.activity.codes
    delayed = np.flatnonzero(sp["delayed"])
    columns = {
        "spell_id": _identifiers("SP", ctx.spell_numbers[delayed]),
        "medically_fit_date": _dates(sp["fit_day"][delayed], contract.column("medically_fit_date")),
        "discharge_date": _dates(sp["discharge_day"][delayed], contract.column("discharge_date")),
        "delay_reason": _lookup(codes["delay_reason"], sp["delay_reason"][delayed]),
        "responsible_organisation": _lookup(
            codes["delay_organisation"], sp["delay_organisation"][delayed]
        ),
    }
    period = _month_index(sp["discharge_day"][delayed], ctx.timeline)
    return columns, period, ctx.spell_numbers[delayed]


def _reablement(ctx: FeedContext, contract: Contract, periods: list[Period]) -> Built:
    rb, pop = ctx.activity.reablement, ctx.population
    person = rb["person"]
    discharge = rb["discharge_day"]
    follow_up = discharge + ctx.scenario.section("reablement")["follow_up_days"]
    numbers = ID_BASE + _ranks(discharge, person)
    columns = {
        "episode_id": _identifiers("RB", numbers),
        "nhs_number": _numbers(pop.nhs_number[person], null=~pop.council_traced[person]),
        "council_person_id": pa.array(pop.council_ids(person), pa.string()),
        "birth_year_month": _birth_year_month(ctx, person),
        "sex": _sex(ctx, person),
        "lsoa_code": _lookup(ctx.reference.lsoa_codes, rb["lsoa"]),
        "hospital_discharge_date": _dates(discharge, contract.column("hospital_discharge_date")),
        "reablement_start_date": _dates(rb["start_day"], contract.column("reablement_start_date")),
        "follow_up_date": _dates(follow_up, contract.column("follow_up_date")),
        "outcome_91_day": _lookup(ctx.activity.codes["reablement_outcome"], rb["outcome"]),
    }
    return columns, _quarter_index(follow_up, periods), numbers


def _asc_events(ctx: FeedContext, contract: Contract, periods: list[Period]) -> Built:
    """Every event open during a quarter, re-sent each quarter with its state at the end."""
    ev, pop = ctx.care_events, ctx.population
    numbers = ID_BASE + np.arange(ev.size)  # events are already in start order
    rows, quarters = [], []
    for q, period in enumerate(periods):
        open_in = np.flatnonzero((ev.start <= period.last_day) & (ev.end >= period.first_day))
        rows.append(open_in)
        quarters.append(np.full(open_in.size, q))
    row = np.concatenate(rows) if rows else np.empty(0, np.int64)
    quarter = np.concatenate(quarters) if quarters else np.empty(0, np.int64)
    last = np.array([p.last_day for p in periods], dtype=np.int64)[quarter]
    closed = ev.end[row] <= last
    person = ev.person[row]
    service_event = ev.event_type[row] == EVENT_TYPES.index("service")
    outcome = np.where(
        closed, ev.outcome[row], np.where(service_event, OUTCOMES.index("ongoing"), -1)
    )
    columns = {
        "event_id": _identifiers("EV", numbers[row]),
        "nhs_number": _numbers(pop.nhs_number[person], null=~pop.council_traced[person]),
        "council_person_id": pa.array(pop.council_ids(person), pa.string()),
        "birth_year_month": _birth_year_month(ctx, person),
        "sex": _sex(ctx, person),
        "lsoa_code": _lookup(ctx.reference.lsoa_codes, pop.lsoa_on(person, ev.start[row])),
        "event_type": _lookup(EVENT_TYPES, ev.event_type[row]),
        "start_date": _dates(ev.start[row], contract.column("start_date")),
        "end_date": _dates(
            np.where(closed, ev.end[row], 0), contract.column("end_date"), null=~closed
        ),
        "service_type": _lookup(SERVICES, np.maximum(ev.service[row], 0), null=ev.service[row] < 0),
        "outcome": _lookup(OUTCOMES, np.maximum(outcome, 0), null=outcome < 0),
    }
    return columns, quarter, numbers[row]


def _gp_registrations(ctx: FeedContext, contract: Contract, periods: list[Period]) -> Built:
    parts: list[dict[str, np.ndarray]] = []
    for m, period in enumerate(periods):
        counts = register_counts(ctx.population, ctx.reference, period.first)
        parts.append(
            {
                "practice": counts.practice,
                "lsoa": counts.lsoa,
                "sex": counts.sex,
                "band": counts.band,
                "count": counts.count,
                "period": np.full(counts.count.size, m),
            }
        )
    cells = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    ref = ctx.reference
    columns = {
        "practice_code": _lookup(ref.practice_codes, cells["practice"]),
        "lsoa_code": _lookup(ref.lsoa_codes, cells["lsoa"]),
        "sex": _numbers(cells["sex"]),
        "age_band": _lookup(ref.age_band_labels, cells["band"]),
        "registered_patients": _numbers(cells["count"]),
    }
    return columns, cells["period"], np.arange(cells["count"].size)


def _practice_map(ctx: FeedContext, contract: Contract, periods: list[Period]) -> Built:
    delimiter = contract.format.get("delimiter", ",")
    frames = [practice_map(ctx.reference, p.first, contract.column_names) for p in periods]
    period = np.concatenate([np.full(len(f), m) for m, f in enumerate(frames)])
    columns = {
        name: _plain_text(
            pa.array(np.concatenate([f[name].to_numpy(dtype=object) for f in frames]), pa.string()),
            delimiter,
        )
        for name in contract.column_names
    }
    return columns, period, np.arange(period.size)


BUILDERS: dict[str, Callable[[FeedContext, Contract, list[Period]], Built]] = {
    "trust__ae_attendances": _ae_attendances,
    "trust__inpatient_spells": _inpatient_spells,
    "trust__delayed_discharges": _delayed_discharges,
    "ambulance__incidents": _incidents,
    "council__asc_events": _asc_events,
    "council__reablement": _reablement,
    "ccg__gp_registrations": _gp_registrations,
    "ccg__practice_map": _practice_map,
    "ccg__deaths": _deaths,
}


def build_deliveries(ctx: FeedContext, contract: Contract) -> list[Delivery]:
    """One delivery per period of the feed, rows in period then identifier order.

    JSON lines days without a single row are not delivered (an empty file would be
    indistinguishable from the empty-file fault); CSV and Excel periods without rows
    are delivered with just the header.
    """
    builder = BUILDERS.get(contract.name)
    if builder is None:
        raise KeyError(f"the generator has no builder for feed {contract.name!r}")
    periods = ctx.timeline.periods(contract.period)
    columns, period, key = builder(ctx, contract, periods)
    if set(columns) != set(contract.column_names):
        raise ValueError(
            f"{contract.name}: generated columns {sorted(columns)} differ from the contract's "
            f"{contract.column_names}"
        )
    inside = np.flatnonzero((period >= 0) & (period < len(periods)))
    order = inside[np.lexsort((key[inside], period[inside]))]
    table = pa.table({name: columns[name].take(pa.array(order)) for name in contract.column_names})
    bounds = np.searchsorted(period[order], np.arange(len(periods) + 1))
    deliveries = []
    for i, p in enumerate(periods):
        length = int(bounds[i + 1] - bounds[i])
        if length == 0 and contract.kind == "jsonl":
            continue
        deliveries.append(Delivery(contract, p, table.slice(int(bounds[i]), length)))
    return deliveries
