"""The CCG's views of the population: GP registers and the practice map.

Registered patients are counted from the same people who generate activity, at the
start of each month, by practice, LSOA, sex and age band, so that rates computed with
registrations as the denominator are consistent with the activity feeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from footprint.synth.population import Population
from footprint.synth.reference import Reference
from footprint.synth.timeline import SECONDS_PER_DAY, day_number


@dataclass(frozen=True)
class RegisterCounts:
    """Non-zero cells of the register on one day, sorted by practice, LSOA, sex, band."""

    practice: np.ndarray
    lsoa: np.ndarray
    sex: np.ndarray  # 1 or 2
    band: np.ndarray  # seed age band index
    count: np.ndarray


def register_counts(population: Population, reference: Reference, on: date) -> RegisterCounts:
    """People alive and born by ``on``, counted by where they live and are registered."""
    day = day_number(on)
    pop = population
    alive = (pop.dob < day) & (pop.death_second >= day * SECONDS_PER_DAY)
    person = np.flatnonzero(alive)
    practice = pop.practice_on(person, day).astype(np.int64)
    lsoa = pop.lsoa_on(person, day).astype(np.int64)
    sex = pop.sex[person].astype(np.int64) - 1
    band = reference.age_band_index(pop.age_on(person, day)).astype(np.int64)
    n_lsoa, n_band = len(reference.lsoa_codes), len(reference.age_band_labels)
    key = ((practice * n_lsoa + lsoa) * 2 + sex) * n_band + band
    size = len(reference.practice_codes) * n_lsoa * 2 * n_band
    if size <= 20_000_000:  # dense counting is fastest while the grid fits in memory
        dense = np.bincount(key, minlength=size)
        cells = np.flatnonzero(dense)
        found = dense[cells]
    else:
        cells, found = np.unique(key, return_counts=True)
    band_of, rest = cells % n_band, cells // n_band
    sex_of, rest = rest % 2, rest // 2
    lsoa_of, practice_of = rest % n_lsoa, rest // n_lsoa
    return RegisterCounts(practice_of, lsoa_of, sex_of + 1, band_of, found)


def practice_map(reference: Reference, on: date, columns: list[str]) -> pd.DataFrame:
    """The practice -> PCN -> SDF map as it stood on a date, in the contract's columns."""
    frame = reference.practice_map_on(on)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"practices.csv lacks column(s) {missing} that the practice map needs")
    return frame[columns].reset_index(drop=True)
