"""What a BI team writes today: three indicators per SDF per month in pandas.

Reads the delivered files with read_csv / read_json / (not needed here) read_excel,
joins them to the reference CSVs and groups; no validation, no pseudonymisation, no
warehouse. Definitions follow docs/indicators.md and the catalogue:

- ae_attendances_75_plus: A&E attendances aged 75+ at arrival, by month of arrival and
  SDF of residence / GP registered patients aged 75+ living in the SDF at the start of
  the month (the month's gp_registrations delivery, age bands shared evenly) (x 1,000);
- ambulance_conveyance_rate: see-and-convey incidents / all incidents, by month of the
  call and SDF of the incident's LSOA (x 100);
- emergency_readmissions_30_days: index spells (discharged alive) followed by an
  emergency admission of the same person 0-29 days after discharge / index spells,
  by month of discharge and the SDF of the practice on the discharge date (x 100).

    python -m bench.pandas_baseline --landing L --seeds seeds --out values.csv
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

EMERGENCY_METHODS = ["21", "22", "23", "24", "25", "2A", "2B", "2C", "2D", "28"]
DIED = "79"
READMISSION_DAYS = 29
COLUMNS = ["indicator_id", "sdf_code", "period_month", "numerator", "denominator", "value"]


def _read_csvs(folder: Path, sep: str, **options: object) -> pd.DataFrame:
    files = sorted(folder.glob("*.csv"))
    return pd.concat(
        [pd.read_csv(f, sep=sep, dtype=str, keep_default_na=False, **options) for f in files],
        ignore_index=True,
    )


def _month(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.to_period("M").dt.to_timestamp()


def _shape(frame: pd.DataFrame, indicator_id: str, multiplier: float) -> pd.DataFrame:
    frame = frame.assign(indicator_id=indicator_id)
    frame["value"] = frame["numerator"] / frame["denominator"] * multiplier
    return frame[COLUMNS]


def ae_attendances_75_plus(landing: Path, seeds: Path) -> pd.DataFrame:
    attendances = _read_csvs(
        landing / "trust" / "ae_attendances",
        "|",
        usecols=["age", "lsoa_code", "arrival_at"],
    )
    attendances = attendances[pd.to_numeric(attendances["age"]) >= 75]
    lsoas = pd.read_csv(seeds / "lsoas.csv", dtype=str)[["lsoa_code", "sdf_code"]]
    counts = (
        attendances.assign(period_month=_month(attendances["arrival_at"]))
        .merge(lsoas, on="lsoa_code")
        .groupby(["sdf_code", "period_month"])
        .size()
        .rename("numerator")
        .reset_index()
    )
    registrations = []
    for path in sorted((landing / "ccg" / "gp_registrations").glob("*.csv")):
        month = pd.Timestamp(path.stem.rsplit("_", 1)[1] + "-01")
        frame = pd.read_csv(path, dtype={"lsoa_code": str, "age_band": str})
        registrations.append(frame.assign(period_month=month))
    bands = pd.read_csv(seeds / "age_bands.csv", dtype={"age_band": str})
    bands["age_to"] = bands["age_to"].fillna(120)
    bands["share"] = (
        (bands["age_to"] - bands["age_from"].clip(lower=75) + 1)
        / (bands["age_to"] - bands["age_from"] + 1)
    ).clip(lower=0)
    residents = (
        pd.concat(registrations, ignore_index=True)
        .merge(bands[["age_band", "share"]], on="age_band")
        .merge(lsoas, on="lsoa_code")
        .assign(denominator=lambda f: f["registered_patients"] * f["share"])
        .groupby(["sdf_code", "period_month"], as_index=False)["denominator"]
        .sum()
    )
    frame = counts.merge(residents, on=["sdf_code", "period_month"])
    return _shape(frame, "ae_attendances_75_plus", 1000)


def ambulance_conveyance_rate(landing: Path, seeds: Path) -> pd.DataFrame:
    files = sorted((landing / "ambulance" / "incidents").glob("*.jsonl"))
    incidents = pd.concat(
        [
            pd.read_json(f, lines=True, dtype=str)[["call_at", "lsoa_code", "outcome"]]
            for f in files
        ],
        ignore_index=True,
    )
    lsoas = pd.read_csv(seeds / "lsoas.csv", dtype=str)[["lsoa_code", "sdf_code"]]
    counts = (
        incidents.assign(
            period_month=_month(incidents["call_at"]),
            conveyed=incidents["outcome"].eq("see_and_convey").astype(int),
        )
        .merge(lsoas, on="lsoa_code")
        .groupby(["sdf_code", "period_month"])
        .agg(numerator=("conveyed", "sum"), denominator=("conveyed", "size"))
        .reset_index()
    )
    return _shape(counts, "ambulance_conveyance_rate", 100)


def _practice_sdf_on(spells: pd.DataFrame, landing: Path, seeds: Path) -> pd.Series:
    """The SDF each spell's practice belonged to on its discharge date: the monthly
    practice map (last known month), the practices seed before the map starts."""
    maps = []
    for path in sorted((landing / "ccg" / "practice_map").glob("*.csv")):
        month = pd.Timestamp(path.stem.rsplit("_", 1)[1] + "-01")
        maps.append(
            pd.read_csv(path, dtype=str)[["practice_code", "sdf_code"]].assign(valid_from=month)
        )
    history = pd.concat(maps, ignore_index=True).sort_values("valid_from")
    lookup = spells[["practice_code", "discharge_date"]].reset_index().sort_values("discharge_date")
    found = pd.merge_asof(
        lookup,
        history,
        left_on="discharge_date",
        right_on="valid_from",
        by="practice_code",
        direction="backward",
    ).set_index("index")["sdf_code"]
    seed = pd.read_csv(seeds / "practices.csv", dtype=str)
    current = seed[seed["valid_to"].isna()].set_index("practice_code")["sdf_code"]
    return found.fillna(spells["practice_code"].map(current)).reindex(spells.index)


def emergency_readmissions_30_days(landing: Path, seeds: Path) -> pd.DataFrame:
    spells = _read_csvs(
        landing / "trust" / "inpatient_spells",
        "|",
        usecols=[
            "spell_id",
            "nhs_number",
            "admission_date",
            "discharge_date",
            "admission_method",
            "discharge_destination",
            "practice_code",
        ],
    )
    spells["admission_date"] = pd.to_datetime(spells["admission_date"])
    spells["discharge_date"] = pd.to_datetime(spells["discharge_date"])
    index = spells[spells["discharge_destination"] != DIED]
    emergencies = spells[
        spells["admission_method"].isin(EMERGENCY_METHODS) & spells["nhs_number"].ne("")
    ][["nhs_number", "spell_id", "admission_date"]]
    pairs = index[index["nhs_number"].ne("")].merge(
        emergencies, on="nhs_number", suffixes=("", "_later")
    )
    days = (pairs["admission_date_later"] - pairs["discharge_date"]).dt.days
    readmitted = pairs[
        pairs["spell_id_later"].ne(pairs["spell_id"])
        & (pairs["admission_date_later"] > pairs["admission_date"])
        & days.between(0, READMISSION_DAYS)
    ]["spell_id"].unique()
    index = index.assign(
        sdf_code=_practice_sdf_on(index, landing, seeds),
        period_month=index["discharge_date"].dt.to_period("M").dt.to_timestamp(),
        readmitted=index["spell_id"].isin(readmitted).astype(int),
    )
    counts = (
        index.dropna(subset=["sdf_code"])
        .groupby(["sdf_code", "period_month"])
        .agg(numerator=("readmitted", "sum"), denominator=("readmitted", "size"))
        .reset_index()
    )
    return _shape(counts, "emergency_readmissions_30_days", 100)


INDICATORS = (ae_attendances_75_plus, ambulance_conveyance_rate, emergency_readmissions_30_days)


def compute(landing: Path, seeds: Path) -> pd.DataFrame:
    return pd.concat([indicator(landing, seeds) for indicator in INDICATORS], ignore_index=True)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pandas_baseline")
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--seeds", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(list(argv) if argv is not None else None)
    compute(args.landing, args.seeds).to_csv(args.out, index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
