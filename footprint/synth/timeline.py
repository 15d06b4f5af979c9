"""Calendar arithmetic for the generator: months, delivery periods and clocks.

Time is kept as integers so that a whole population can be stepped with numpy:
days since 1970-01-01 (``int32``) for dates and seconds since 1970-01-01 (``int64``)
for timestamps. The simulation starts before the first delivered month (a burn-in of
at least three months, extended back to a quarter boundary) so that the first
delivered files already contain long stays admitted earlier, readmissions of earlier
discharges and complete quarters of council activity.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

EPOCH = date(1970, 1, 1)
SECONDS_PER_DAY = 86_400
NEVER_DAY = np.iinfo(np.int32).max  # "no such date yet" for int32 day columns
NEVER_SECOND = np.iinfo(np.int64).max // 4  # "no such moment" for int64 second columns
BURN_IN_MONTHS = 3


def day_number(value: date) -> int:
    """Days since 1970-01-01."""
    return (value - EPOCH).days


def from_day_number(value: int) -> date:
    return EPOCH + timedelta(days=int(value))


def add_months(value: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``value``."""
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(value: date) -> date:
    return date(value.year, value.month, calendar.monthrange(value.year, value.month)[1])


def quarter_start(value: date) -> date:
    return date(value.year, 3 * ((value.month - 1) // 3) + 1, 1)


def parse_month(text: str) -> date:
    """'YYYY-MM' as the first day of that month."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as err:
        raise ValueError(f"start month {text!r} is not in the form YYYY-MM") from err


def period_label(kind: str, start: date) -> str:
    """A delivery period's label as the file names carry it."""
    if kind == "day":
        return start.isoformat()
    if kind == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if kind == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    raise ValueError(f"unknown period kind {kind!r}")


@dataclass(frozen=True)
class Period:
    """One delivery period: its label and first and last day (inclusive)."""

    label: str
    first: date
    last: date

    @property
    def first_day(self) -> int:
        return day_number(self.first)

    @property
    def last_day(self) -> int:
        return day_number(self.last)


@dataclass(frozen=True)
class Timeline:
    """The generated period and the longer simulated one around it."""

    start: date  # first day of the first delivered month
    months: int

    def __post_init__(self) -> None:
        if self.months < 1:
            raise ValueError("months must be at least 1")
        if self.start.day != 1:
            raise ValueError("the timeline starts on the first day of a month")

    @property
    def end(self) -> date:
        """Last day of the last delivered month."""
        return month_end(add_months(self.start, self.months - 1))

    @property
    def sim_start(self) -> date:
        return quarter_start(add_months(self.start, -BURN_IN_MONTHS))

    @property
    def sim_months(self) -> list[date]:
        """First day of every simulated month, burn-in included."""
        first = self.sim_start
        count = (self.start.year - first.year) * 12 + self.start.month - first.month
        return [add_months(first, i) for i in range(count + self.months)]

    @property
    def burn_in_months(self) -> int:
        return len(self.sim_months) - self.months

    def trend_position(self, sim_month_index: int) -> float:
        """0 at the first delivered month, 1 at the last; 0 throughout the burn-in."""
        delivered = sim_month_index - self.burn_in_months
        if delivered <= 0 or self.months == 1:
            return 0.0
        return min(1.0, delivered / (self.months - 1))

    def periods(self, kind: str) -> list[Period]:
        """Delivery periods of one kind covered by the generated period.

        Days and months are those inside the period. Quarters are the complete
        calendar quarters that end inside it (the burn-in makes the first one whole);
        a quarter still running at the end is not delivered yet.
        """
        if kind == "day":
            days = (self.end - self.start).days + 1
            return [
                Period(period_label("day", d), d, d)
                for d in (self.start + timedelta(days=i) for i in range(days))
            ]
        if kind == "month":
            firsts = [add_months(self.start, i) for i in range(self.months)]
            return [Period(period_label("month", f), f, month_end(f)) for f in firsts]
        if kind == "quarter":
            found = []
            first = quarter_start(self.start)
            while True:
                last = month_end(add_months(first, 2))
                if last > self.end:
                    break
                if last >= self.start:
                    found.append(Period(period_label("quarter", first), first, last))
                first = add_months(first, 3)
            return found
        raise ValueError(f"unknown period kind {kind!r}")


def year_and_month_day(days: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
    """Calendar year and a month-day key (month * 32 + day) of day numbers, vectorised."""
    dates = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    months = dates.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    month_day = (months.astype(np.int64) % 12) * 32 + (dates - months).astype(np.int64)
    return year, month_day


def ages_in_years(dob_days: np.ndarray, at_days: np.ndarray | int) -> np.ndarray:
    """Whole years between dates of birth and dates (both day numbers), vectorised."""
    dob_year, dob_md = year_and_month_day(dob_days)
    at_year, at_md = year_and_month_day(at_days)
    return (at_year - dob_year - (at_md < dob_md)).astype(np.int16)


def datetime_from_second(value: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(seconds=int(value))
