"""Indicators recomputed in pandas straight from a synthetic run's own output, without
the warehouse. The generator's population (_generator/population.parquet: every person
with birth, death, residence and practice before and after a move) gives the GP-register
denominators (people alive at the start of each month, by age, residence and practice)
and, for each event, the person's age, residence and practice on the day. The events
it generated (a fault-free run's deliveries are exactly the simulated events) give only
who, when and what happened: the person's NHS number (or council id), the date, the
admission method or source, the outcome; an ambulance incident is counted where it
happened (its LSOA: many callers are never traced to a person). Definitions follow
docs/indicators.md and the catalogue seed; the warehouse must come to the same numbers
by its own route (ingestion, pseudonyms, the GP registrations feed, the practice map,
dbt)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from footprint.paths import SEEDS_DIR

EMERGENCY_METHODS = {"21", "22", "23", "24", "25", "2A", "2B", "2C", "2D", "28"}
KEY = ["area_code", "period_type", "period_month"]


def _read_delimited(folder: Path, pattern: str) -> pd.DataFrame:
    """Every pipe-delimited file of a feed, as text (duckdb only reads the files)."""
    with duckdb.connect() as connection:
        return connection.execute(
            "select * from read_csv($files, delim = '|', header = true, all_varchar = true)",
            {"files": str(folder / pattern)},
        ).df()


@dataclass(frozen=True)
class SyntheticRun:
    """The output folder of one `footprint generate` run without faults."""

    out: Path

    @cached_property
    def truth(self) -> dict:
        return json.loads((self.out / "_generator" / "truth.json").read_text())

    @cached_property
    def population(self) -> pd.DataFrame:
        frame = pd.read_parquet(self.out / "_generator" / "population.parquet")
        for column in ("date_of_birth", "date_of_death", "move_date"):
            frame[column] = pd.to_datetime(frame[column])
        return frame

    @cached_property
    def lsoa_sdf(self) -> dict[str, str]:
        lsoas = pd.read_csv(SEEDS_DIR / "lsoas.csv", dtype=str)
        return dict(zip(lsoas["lsoa_code"], lsoas["sdf_code"], strict=True))

    @cached_property
    def sdf_codes(self) -> list[str]:
        return sorted(pd.read_csv(SEEDS_DIR / "sdfs.csv", dtype=str)["sdf_code"])

    @cached_property
    def borough_code(self) -> str:
        return pd.read_csv(SEEDS_DIR / "borough.csv", dtype=str)["borough_code"].iloc[0]

    @cached_property
    def age_bands(self) -> pd.DataFrame:
        bands = pd.read_csv(SEEDS_DIR / "age_bands.csv")
        esp = pd.read_csv(SEEDS_DIR / "esp2013.csv")
        return bands.merge(esp, on="age_band").sort_values("age_from").reset_index(drop=True)

    @cached_property
    def months(self) -> pd.DatetimeIndex:
        """Reporting months: the delivered months (the daily and monthly feeds cover the
        period whole, so the last delivered month is the report month)."""
        period = self.truth["period"]
        return pd.date_range(period["first_day"], period["last_day"], freq="MS")

    def months_before_report(self, month: pd.Timestamp) -> int:
        last = self.months[-1]
        return (last.year - month.year) * 12 + last.month - month.month

    # ------------------------------------------------------------------ events
    @cached_property
    def ae_attendances(self) -> pd.DataFrame:
        frame = _read_delimited(self.out / "trust" / "ae_attendances", "*.csv")
        frame["arrival_at"] = pd.to_datetime(frame["arrival_at"])
        frame["age"] = frame["age"].astype(int)
        return frame

    @cached_property
    def ambulance_incidents(self) -> pd.DataFrame:
        files = sorted((self.out / "ambulance" / "incidents").glob("*.jsonl"))
        frame = pd.concat(
            [pd.read_json(path, lines=True, dtype=False) for path in files], ignore_index=True
        )
        frame["call_at"] = pd.to_datetime(frame["call_at"])
        return frame

    @cached_property
    def inpatient_spells(self) -> pd.DataFrame:
        frame = _read_delimited(self.out / "trust" / "inpatient_spells", "*.csv")
        frame["admission_date"] = pd.to_datetime(frame["admission_date"])
        frame["age_on_admission"] = frame["age_on_admission"].astype(int)
        return frame

    @cached_property
    def reablement(self) -> pd.DataFrame:
        files = sorted((self.out / "council" / "reablement").glob("*.xlsx"))
        frame = pd.concat(
            [pd.read_excel(path, dtype=str, keep_default_na=False) for path in files],
            ignore_index=True,
        )
        frame["hospital_discharge_date"] = pd.to_datetime(frame["hospital_discharge_date"])
        return frame

    # ------------------------------------------------------------------ population
    def people_on(self, people: pd.DataFrame, day: pd.Series | pd.Timestamp) -> pd.DataFrame:
        """Age in whole years (birthdays counted), the SDF of the LSOA they live in and
        the SDF of their practice, for each row of the population on its day (a move
        takes effect on its date)."""
        moved = people["move_date"].notna() & (people["move_date"] <= day)
        lsoa = people["lsoa_code"].where(~moved, people["lsoa_code_after_move"])
        practice = people["practice_code"].where(~moved, people["practice_code_after_move"])
        birth = people["date_of_birth"]
        year = day.dt.year if isinstance(day, pd.Series) else day.year
        month_day = (
            day.dt.month * 100 + day.dt.day
            if isinstance(day, pd.Series)
            else day.month * 100 + day.day
        )
        before_birthday = (birth.dt.month * 100 + birth.dt.day) > month_day
        return pd.DataFrame(
            {
                "age": year - birth.dt.year - before_birthday.astype(int),
                "sdf_code": lsoa.map(self.lsoa_sdf),
                "practice_code": practice,
                "registration_sdf_code": self.practice_sdf(practice, day),
            },
            index=people.index,
        )

    def event_people(
        self, identifiers: pd.Series, days: pd.Series, key: str = "nhs_number"
    ) -> pd.DataFrame:
        """people_on for the person behind each event (by NHS number, or the council's
        person id) on its day."""
        people = self.population.set_index(key).loc[identifiers.to_numpy()]
        people.index = identifiers.index
        return self.people_on(people, days.dt.normalize())

    def residents(self, day: pd.Timestamp) -> pd.DataFrame:
        """Everyone alive and born by the start of `day` (dying that day still counts,
        as the register is counted at the start of the day), on that day."""
        people = self.population
        alive = (people["date_of_birth"] < day) & ~(people["date_of_death"] < day)
        return self.people_on(people[alive], day)

    @cached_property
    def practices(self) -> pd.DataFrame:
        frame = pd.read_csv(SEEDS_DIR / "practices.csv", dtype=str, keep_default_na=False)
        frame["valid_from"] = pd.to_datetime(frame["valid_from"])
        frame["valid_to"] = pd.to_datetime(frame["valid_to"].replace("", "2262-01-01"))
        return frame

    def practice_sdf(self, practice: pd.Series, day: pd.Series | pd.Timestamp) -> pd.Series:
        """The SDF each practice belonged to on the day (valid_from <= day < valid_to in
        the practices seed, the generator's own practice map)."""
        frame = pd.DataFrame(
            {"practice_code": practice.to_numpy(), "day": day}, index=practice.index
        )
        frame["row"] = np.arange(len(frame))
        matched = frame.merge(self.practices, on="practice_code", how="left")
        matched = matched[
            (matched["valid_from"] <= matched["day"]) & (matched["day"] < matched["valid_to"])
        ]
        assert not matched["row"].duplicated().any(), "overlapping practice map rows"
        codes = pd.Series(index=np.arange(len(frame)), dtype=object)
        codes[matched["row"].to_numpy()] = matched["sdf_code"].to_numpy()
        return pd.Series(codes.to_numpy(), index=practice.index)

    @cached_property
    def _residents_by_month(self) -> dict[pd.Timestamp, pd.DataFrame]:
        return {month: self.residents(month) for month in self.months}

    def resident_counts(
        self, min_age: int = 0, by_age_band: bool = False, attribution: str = "residence"
    ) -> pd.DataFrame:
        """Registered people aged min_age+ per SDF and month start (and age band), by the
        SDF they live in (residence) or of their practice (registration): sdf_code,
        period_month, [age_band,] denominator."""
        rows = []
        bands = self.age_bands
        for month, people in self._residents_by_month.items():
            people = people[people["age"] >= min_age]
            if attribution == "registration":
                people = people.assign(sdf_code=people["registration_sdf_code"])
            if by_age_band:
                band = bands["age_band"].to_numpy()[
                    np.searchsorted(bands["age_from"].to_numpy(), people["age"], "right") - 1
                ]
                counts = people.assign(age_band=band).groupby(["sdf_code", "age_band"]).size()
            else:
                counts = people.groupby("sdf_code").size()
            rows.append(counts.rename("denominator").reset_index().assign(period_month=month))
        return pd.concat(rows, ignore_index=True)

    # ------------------------------------------------------------------ helpers
    def scaffold(self, by_age_band: bool = False) -> pd.DataFrame:
        """Every SDF x reporting month (x age band)."""
        frames = [
            pd.DataFrame({"sdf_code": self.sdf_codes}).merge(
                pd.DataFrame({"period_month": self.months}), how="cross"
            )
        ]
        if by_age_band:
            frames[0] = frames[0].merge(self.age_bands[["age_band"]], how="cross")
        return frames[0]

    def monthly(
        self,
        numerator: pd.DataFrame,
        denominator: pd.DataFrame,
        by_age_band: bool = False,
    ) -> pd.DataFrame:
        """numerator and denominator per SDF and month (and band), 0 where absent."""
        keys = ["sdf_code", "period_month"] + (["age_band"] if by_age_band else [])
        frame = self.scaffold(by_age_band)
        frame = frame.merge(numerator, on=keys, how="left").merge(denominator, on=keys, how="left")
        return frame.fillna({"numerator": 0, "denominator": 0})


def month_of(values: pd.Series) -> pd.Series:
    return values.dt.to_period("M").dt.to_timestamp()


def with_rolling_and_borough(
    run: SyntheticRun,
    monthly: pd.DataFrame,
    denominator_rule: str,
    lag_months: int = 0,
    borough_denominator: str = "sum",
) -> pd.DataFrame:
    """Monthly SDF rows -> SDF and borough rows, monthly and rolling 12 months (every
    window of 12 reporting months: numerators summed; denominators summed or, for a
    population, the mean of the 12 monthly counts), within the indicator's window (report
    month minus lag_months). The borough's denominator is the SDFs' summed, or for days
    ("same") the one every SDF has. Keeps age_band when present. `denominator_exact` holds the
    denominator as an exact fraction (a mean of 12 whole counts is a number of twelfths),
    for rules such as disclosure rounding that must not depend on floating point."""
    bands = ["age_band"] if "age_band" in monthly.columns else []
    monthly = monthly.sort_values("period_month")
    monthly = monthly.assign(denominator_exact=[Fraction(int(d)) for d in monthly["denominator"]])
    assert (monthly["denominator_exact"] == monthly["denominator"]).all(), "whole counts"
    rolled = []
    for _, group in monthly.groupby(["sdf_code", *bands], sort=True):
        # whole counts, summed as integers over each window of 12 reporting months
        group = group.reset_index(drop=True)
        numerator = _window_sums(group["numerator"])
        total = _window_sums(group["denominator"])
        months = 1 if denominator_rule == "sum" else 12
        rolled.append(
            group.iloc[11:].assign(
                numerator=numerator.astype(float),
                denominator=total / months,
                denominator_exact=[Fraction(int(t), months) for t in total],
            )
        )
    sdf_rows = pd.concat(
        [
            monthly.assign(period_type="month"),
            pd.concat(rolled).assign(period_type="rolling_12_months"),
        ],
        ignore_index=True,
    ).rename(columns={"sdf_code": "area_code"})
    borough = (
        sdf_rows.groupby(["period_type", "period_month", *bands], as_index=False)
        .agg(
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum" if borough_denominator == "sum" else "first"),
            denominator_exact=(
                "denominator_exact",
                exact_sum if borough_denominator == "sum" else "first",
            ),
        )
        .assign(area_code=run.borough_code)
    )
    rows = pd.concat([sdf_rows.assign(area_type="sdf"), borough.assign(area_type="borough")])
    in_window = rows["period_month"].map(run.months_before_report) >= lag_months
    return rows[in_window].reset_index(drop=True)


def _window_sums(values: pd.Series) -> np.ndarray:
    """Sums of every 12 consecutive whole numbers, in integer arithmetic."""
    whole = values.to_numpy().astype(np.int64)
    assert (whole == values.to_numpy()).all(), "counts must be whole numbers"
    cumulative = np.concatenate([[0], np.cumsum(whole)])
    return cumulative[12:] - cumulative[:-12]


def exact_sum(values: pd.Series) -> Fraction:
    return sum(values, Fraction(0))


def crude_values(rows: pd.DataFrame, method: str, multiplier: float) -> pd.DataFrame:
    """Value of a proportion or crude rate: numerator / denominator x multiplier."""
    value = np.where(rows["denominator"] > 0, rows["numerator"] / rows["denominator"], np.nan)
    return rows.assign(indicator_value=value * multiplier, method=method)


def dsr_values(rows: pd.DataFrame, run: SyntheticRun, multiplier: float) -> pd.DataFrame:
    """ESP 2013 directly standardised rate per area and period from band rows; null
    below 10 events or where a band has no population (PHEindicatormethods phe_dsr)."""
    weights = run.age_bands.set_index("age_band")["standard_population"]
    rows = rows.assign(weight=rows["age_band"].map(weights))
    rows["band_rate"] = rows["weight"] * rows["numerator"] / rows["denominator"]

    def one(group: pd.DataFrame) -> pd.Series:
        count = group["numerator"].sum()
        usable = count >= 10 and (group["denominator"] > 0).all() and len(group) == len(weights)
        value = group["band_rate"].sum() / group["weight"].sum() * multiplier if usable else np.nan
        return pd.Series(
            {
                "numerator": count,
                "denominator": group["denominator"].sum(),
                "denominator_exact": exact_sum(group["denominator_exact"]),
                "indicator_value": value,
            }
        )

    keys = ["area_type", "area_code", "period_type", "period_month"]
    return rows.groupby(keys).apply(one, include_groups=False).reset_index().assign(method="dsr")


# ------------------------------------------------------------------ indicators
def ae_attendances_75_plus(run: SyntheticRun) -> pd.DataFrame:
    """A&E attendances of people aged 75+ at arrival, by month of arrival and SDF of the
    LSOA of residence, per 1,000 residents aged 75+ (mean of the monthly counts over 12
    months)."""
    events = run.ae_attendances[["nhs_number", "arrival_at"]]
    events = events.join(run.event_people(events["nhs_number"], events["arrival_at"]))
    events = events[events["age"] >= 75]
    numerator = (
        events.assign(period_month=month_of(events["arrival_at"]))
        .groupby(["sdf_code", "period_month"])
        .size()
        .rename("numerator")
        .reset_index()
    )
    monthly = run.monthly(numerator, run.resident_counts(min_age=75))
    rows = with_rolling_and_borough(run, monthly, "mean")
    return crude_values(rows, "crude_rate", 1000)


def _incidents_by_month(run: SyntheticRun) -> pd.DataFrame:
    events = run.ambulance_incidents
    return events.assign(
        sdf_code=events["lsoa_code"].map(run.lsoa_sdf),
        period_month=month_of(events["call_at"]),
        conveyed=events["outcome"] == "see_and_convey",
    )


def ambulance_conveyance_rate(run: SyntheticRun) -> pd.DataFrame:
    """Share of ambulance incidents ending in see and convey, by month of the call and
    the SDF of the incident's LSOA (a proportion, x100)."""
    counts = (
        _incidents_by_month(run)
        .groupby(["sdf_code", "period_month"])
        .agg(numerator=("conveyed", "sum"), denominator=("conveyed", "size"))
        .reset_index()
    )
    monthly = run.monthly(
        counts[["sdf_code", "period_month", "numerator"]], counts.drop(columns="numerator")
    )
    rows = with_rolling_and_borough(run, monthly, "sum")
    return crude_values(rows, "proportion", 100)


def ambulance_incidents_per_day(run: SyntheticRun) -> pd.DataFrame:
    """Ambulance incidents per day of the period, by SDF of the incident's LSOA."""
    numerator = (
        _incidents_by_month(run).groupby(["sdf_code", "period_month"]).size().rename("numerator")
    ).reset_index()
    days = pd.DataFrame({"period_month": run.months, "denominator": run.months.days_in_month})
    days = days.merge(pd.DataFrame({"sdf_code": run.sdf_codes}), how="cross")
    monthly = run.monthly(numerator, days)
    rows = with_rolling_and_borough(run, monthly, "sum", borough_denominator="same")
    return crude_values(rows, "crude_rate", 1)


def ambulance_incidents_per_1000_residents(run: SyntheticRun) -> pd.DataFrame:
    """Ambulance incidents by SDF of the incident's LSOA per 1,000 residents of all ages
    (mean of the monthly counts over 12 months)."""
    numerator = (
        _incidents_by_month(run).groupby(["sdf_code", "period_month"]).size().rename("numerator")
    ).reset_index()
    monthly = run.monthly(numerator, run.resident_counts())
    rows = with_rolling_and_borough(run, monthly, "mean")
    return crude_values(rows, "crude_rate", 1000)


def reablement_at_home_91_days(run: SyntheticRun, lag_months: int) -> pd.DataFrame:
    """ASCOF 2B(1), old definition: reablement episodes after a hospital discharge of
    people aged 65+ at discharge (age from the year and month of birth, the council
    holding no day), by month of discharge and SDF of residence; the share at home 91
    days later, every outcome counted in the denominator. Birth month and residence on
    the discharge date come from the generator's population, by the council's person
    id (the episode rows give who, when and the outcome)."""
    episodes = run.reablement[["council_person_id", "hospital_discharge_date", "outcome_91_day"]]
    discharged = episodes["hospital_discharge_date"]
    people = run.event_people(episodes["council_person_id"], discharged, key="council_person_id")
    born = run.population.set_index("council_person_id")["date_of_birth"]
    born = born.loc[episodes["council_person_id"].to_numpy()].to_numpy()
    born = pd.Series(born, index=episodes.index)
    age = (
        (discharged.dt.year * 12 + discharged.dt.month) - (born.dt.year * 12 + born.dt.month)
    ) // 12
    episodes = episodes.assign(sdf_code=people["sdf_code"])[age >= 65]
    counts = (
        episodes.assign(
            period_month=month_of(episodes["hospital_discharge_date"]),
            at_home=episodes["outcome_91_day"] == "at_home",
        )
        .groupby(["sdf_code", "period_month"])
        .agg(numerator=("at_home", "sum"), denominator=("at_home", "size"))
        .reset_index()
    )
    monthly = run.monthly(
        counts[["sdf_code", "period_month", "numerator"]], counts.drop(columns="numerator")
    )
    rows = with_rolling_and_borough(run, monthly, "sum", lag_months=lag_months)
    return crude_values(rows, "proportion", 100)


def emergency_admissions_dsr(run: SyntheticRun) -> pd.DataFrame:
    """Emergency admissions (methods 21-2D and 28) by month of admission, five-year age
    band on admission and SDF of residence on admission, directly standardised to ESP
    2013 per 100,000 residents (12 months: admissions summed over the mean of the monthly
    populations, band by band)."""
    spells = run.inpatient_spells
    spells = spells.loc[
        spells["admission_method"].isin(EMERGENCY_METHODS), ["nhs_number", "admission_date"]
    ]
    spells = spells.join(run.event_people(spells["nhs_number"], spells["admission_date"]))
    bands = run.age_bands
    band = bands["age_band"].to_numpy()[
        np.searchsorted(bands["age_from"].to_numpy(), spells["age"], "right") - 1
    ]
    numerator = (
        spells.assign(period_month=month_of(spells["admission_date"]), age_band=band)
        .groupby(["sdf_code", "period_month", "age_band"])
        .size()
        .rename("numerator")
        .reset_index()
    )
    denominator = run.resident_counts(by_age_band=True)
    monthly = run.monthly(numerator, denominator, by_age_band=True)
    rows = with_rolling_and_borough(run, monthly, "mean")
    return dsr_values(rows, run, 100000)


def care_home_emergency_admissions(run: SyntheticRun) -> pd.DataFrame:
    """Emergency admissions (21-2D, 28) from a care home (admission source 54, 65 or 85;
    hospice 88 excluded), by month of admission and the SDF of the patient's practice on
    the admission date, per 1,000 registered patients aged 65+ of the SDF's practices
    (registration attribution; 12 months: the mean of the monthly counts)."""
    spells = run.inpatient_spells
    spells = spells[
        spells["admission_method"].isin(EMERGENCY_METHODS)
        & spells["admission_source"].isin({"54", "65", "85"})
    ]
    spells = spells[["nhs_number", "admission_date"]]
    spells = spells.join(run.event_people(spells["nhs_number"], spells["admission_date"]))
    numerator = (
        spells.assign(
            sdf_code=spells["registration_sdf_code"],
            period_month=month_of(spells["admission_date"]),
        )
        .groupby(["sdf_code", "period_month"])
        .size()
        .rename("numerator")
        .reset_index()
    )
    denominator = run.resident_counts(min_age=65, attribution="registration")
    monthly = run.monthly(numerator, denominator)
    rows = with_rolling_and_borough(run, monthly, "mean")
    return crude_values(rows, "crude_rate", 1000)


# ------------------------------------------------------------------ disclosure
def disclose_count(count: float | Fraction) -> float | None:
    """NHS Digital rule as the design states it: 0 stays 0, 1-7 suppressed, everything
    else to the nearest 5, halves up (worked exactly for a Fraction)."""
    if count == 0:
        return 0
    if 0 < count < 8:
        return None
    return float(math.floor(Fraction(count) / 5 + Fraction(1, 2)) * 5)


def round_half_up(value: float, decimals: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def emergency_readmissions_30_days(run: SyntheticRun, lag_months: int) -> pd.DataFrame:
    """Index spells (every spell discharged alive, destination not 79) followed by an
    emergency admission (21-2D, 28) of the same person, in another spell admitted 0-29
    days after the index discharge date, by month of discharge and the SDF the spell's
    practice belonged to on the discharge date (a proportion, x100). The spell's
    practice is the one the person was registered with when admitted (what the trust
    records): a person who changes practice during the stay still counts in the SDF of
    the practice on the record."""
    spells = run.inpatient_spells
    spells["discharge_date"] = pd.to_datetime(spells["discharge_date"])
    index = spells[spells["discharge_destination"] != "79"]
    emergency = spells.loc[
        spells["admission_method"].isin(EMERGENCY_METHODS),
        ["nhs_number", "spell_id", "admission_date"],
    ]
    pairs = index[["nhs_number", "spell_id", "admission_date", "discharge_date"]].merge(
        emergency, on="nhs_number", suffixes=("", "_later")
    )
    days = (pairs["admission_date_later"] - pairs["discharge_date"]).dt.days
    pairs = pairs[(pairs["spell_id_later"] != pairs["spell_id"]) & days.between(0, 29)]
    readmitted = set(pairs["spell_id"])
    index = index.assign(readmitted=index["spell_id"].isin(readmitted))
    practice = run.event_people(index["nhs_number"], index["admission_date"])["practice_code"]
    counts = (
        index.assign(
            sdf_code=run.practice_sdf(practice, index["discharge_date"]),
            period_month=month_of(index["discharge_date"]),
        )
        .groupby(["sdf_code", "period_month"])
        .agg(numerator=("readmitted", "sum"), denominator=("readmitted", "size"))
        .reset_index()
    )
    monthly = run.monthly(
        counts[["sdf_code", "period_month", "numerator"]], counts.drop(columns="numerator")
    )
    rows = with_rolling_and_borough(run, monthly, "sum", lag_months=lag_months)
    return crude_values(rows, "proportion", 100)
