"""The seed files the generator builds its borough from.

Everything place-specific (SDFs, LSOAs and their deprivation, practices and the map to
SDFs over time, the Census population by LSOA, sex and age band) comes from seeds/, so
that another borough is another set of seeds and no code changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from footprint.paths import SEEDS_DIR

OPEN_TOP_BAND_SPAN = 15  # an open top age band (90+) spreads over this many years


class SeedError(ValueError):
    """A seed file the generator needs is missing or does not have the expected shape."""


def _read(seeds_dir: Path, name: str, columns: list[str]) -> pd.DataFrame:
    path = seeds_dir / f"{name}.csv"
    if not path.exists():
        raise SeedError(f"{path} does not exist; the generator needs seeds/{name}.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SeedError(f"{path} lacks column(s) {missing}; expected {columns}")
    return frame


@dataclass(frozen=True)
class Reference:
    """Seed tables as arrays indexed by position (SDF, LSOA, practice, age band)."""

    sdf_codes: list[str]
    sdf_names: list[str]
    sdf_orders: list[int]
    lsoa_codes: list[str]
    lsoa_sdf: np.ndarray  # int, index into sdf_codes
    lsoa_imd_decile: np.ndarray  # int 1..10
    practice_codes: list[str]
    practices: pd.DataFrame  # practices.csv as text, one row per validity interval
    age_band_labels: list[str]  # in age_band_order
    age_band_from: np.ndarray
    age_band_to: np.ndarray  # inclusive; open top band gets from + OPEN_TOP_BAND_SPAN
    population: pd.DataFrame  # lsoa index, sex (1/2), age band index, count

    def sdf_of_practices_on(self, day: date) -> np.ndarray:
        """SDF index of each practice on a date (-1 where it has no valid row)."""
        result = np.full(len(self.practice_codes), -1, dtype=np.int16)
        position = {code: i for i, code in enumerate(self.practice_codes)}
        sdf_position = {code: i for i, code in enumerate(self.sdf_codes)}
        for row in self.practice_map_on(day).itertuples(index=False):
            result[position[row.practice_code]] = sdf_position[row.sdf_code]
        return result

    def practice_map_on(self, day: date) -> pd.DataFrame:
        """practices.csv rows valid on a date: valid_from <= day < valid_to (empty = open)."""
        text = day.isoformat()
        frame = self.practices
        valid = (frame["valid_from"].fillna("") <= text) & (
            (frame["valid_to"] == "") | (frame["valid_to"] > text)
        )
        return frame[valid].sort_values("practice_code", kind="stable")

    def age_band_index(self, ages: np.ndarray) -> np.ndarray:
        """Seed age band index of whole-year ages."""
        index = np.searchsorted(self.age_band_from, ages, side="right") - 1
        return np.clip(index, 0, len(self.age_band_from) - 1).astype(np.int8)


def load_reference(seeds_dir: Path = SEEDS_DIR) -> Reference:
    """Read and cross-check the seeds the generator needs."""
    sdfs = _read(seeds_dir, "sdfs", ["sdf_code", "sdf_name", "sdf_order"])
    sdfs = sdfs.assign(order=sdfs["sdf_order"].astype(int)).sort_values("order", kind="stable")
    lsoas = _read(seeds_dir, "lsoas", ["lsoa_code", "lsoa_name", "sdf_code", "imd_decile"])
    lsoas = lsoas.sort_values("lsoa_code", kind="stable").reset_index(drop=True)
    practices = _read(
        seeds_dir,
        "practices",
        [
            "practice_code",
            "practice_name",
            "pcn_code",
            "pcn_name",
            "sdf_code",
            "valid_from",
            "valid_to",
        ],
    )
    bands = _read(seeds_dir, "age_bands", ["age_band", "age_band_order", "age_from", "age_to"])
    bands = bands.assign(order=bands["age_band_order"].astype(int)).sort_values("order")
    population = _read(seeds_dir, "population", ["lsoa_code", "sex", "age_band", "population"])

    sdf_codes = sdfs["sdf_code"].tolist()
    sdf_position = {code: i for i, code in enumerate(sdf_codes)}
    unknown = sorted(set(lsoas["sdf_code"]) - set(sdf_position))
    if unknown:
        raise SeedError(f"lsoas.csv refers to SDF code(s) not in sdfs.csv: {unknown}")
    unknown = sorted(set(practices["sdf_code"]) - set(sdf_position))
    if unknown:
        raise SeedError(f"practices.csv refers to SDF code(s) not in sdfs.csv: {unknown}")

    age_from = bands["age_from"].astype(int).to_numpy()
    age_to = np.array(
        [
            int(t) if t.strip() else f + OPEN_TOP_BAND_SPAN
            for f, t in zip(age_from, bands["age_to"], strict=True)
        ]
    )
    band_position = {label: i for i, label in enumerate(bands["age_band"])}
    lsoa_position = {code: i for i, code in enumerate(lsoas["lsoa_code"])}
    unknown = sorted(set(population["lsoa_code"]) - set(lsoa_position))
    if unknown:
        raise SeedError(f"population.csv refers to LSOA(s) not in lsoas.csv: {unknown[:5]}")
    unknown = sorted(set(population["age_band"]) - set(band_position))
    if unknown:
        raise SeedError(f"population.csv refers to age band(s) not in age_bands.csv: {unknown}")
    population = population[population["sex"].isin(["1", "2"])]
    cells = (
        pd.DataFrame(
            {
                "lsoa": population["lsoa_code"].map(lsoa_position).astype(np.int32),
                "sex": population["sex"].astype(np.int8),
                "band": population["age_band"].map(band_position).astype(np.int8),
                "count": pd.to_numeric(population["population"]).astype(np.int64),
            }
        )
        .sort_values(["lsoa", "sex", "band"], kind="stable")
        .reset_index(drop=True)
    )

    return Reference(
        sdf_codes=sdf_codes,
        sdf_names=sdfs["sdf_name"].tolist(),
        sdf_orders=sdfs["order"].tolist(),
        lsoa_codes=lsoas["lsoa_code"].tolist(),
        lsoa_sdf=lsoas["sdf_code"].map(sdf_position).to_numpy(np.int16),
        lsoa_imd_decile=lsoas["imd_decile"].astype(int).to_numpy(np.int8),
        practice_codes=sorted(set(practices["practice_code"])),
        practices=practices.reset_index(drop=True),
        age_band_labels=bands["age_band"].tolist(),
        age_band_from=age_from,
        age_band_to=age_to,
        population=cells,
    )


def practices_valid_throughout(reference: Reference, first: date, last: date) -> np.ndarray:
    """Mask of practices that have a valid row on every day from first to last.

    A practice that moves SDF has two rows; it stays valid across the change. Patients
    are only registered with practices that exist for the whole simulated period.
    """
    frame = reference.practices
    first_text, last_text = first.isoformat(), last.isoformat()
    position = {code: i for i, code in enumerate(reference.practice_codes)}
    valid = np.zeros(len(position), dtype=bool)
    for code, rows in frame.groupby("practice_code", sort=True):
        spans = sorted(zip(rows["valid_from"], rows["valid_to"], strict=True))
        cursor = first_text
        for valid_from, valid_to in spans:
            if valid_from <= cursor and (valid_to == "" or valid_to > cursor):
                cursor = "9999-12-31" if valid_to == "" else valid_to
        valid[position[code]] = cursor > last_text
    return valid
