"""Jinja filters that turn published numbers and dates into what a reader sees.

Values are rounded for display only, to the catalogue's decimal places; the published
value itself goes into a data attribute beside it (see `raw`)."""

from __future__ import annotations

from datetime import date, datetime


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234.567 -> '1,234.6' (decimals=1); None -> ''. Negative zero shows as 0."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


def raw(value: float | int | bool | None) -> str:
    """The exact published value for a data attribute: repr of the number, '' for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def month(value: date | None) -> str:
    """date(2025, 3, 1) -> 'Mar 2025'."""
    return value.strftime("%b %Y") if value else ""


def long_date(value: date | datetime | None) -> str:
    """date(2025, 3, 31) -> '31 March 2025'."""
    return f"{value.day} {value.strftime('%B %Y')}" if value else ""


def period(start: date | None, end: date | None) -> str:
    """The months a figure covers: 'Mar 2025', or 'Apr 2024 to Mar 2025'."""
    if start is None or end is None:
        return ""
    if (start.year, start.month) == (end.year, end.month):
        return month(start)
    return f"{month(start)} to {month(end)}"


def percent(part: float | int | None, whole: float | int | None, decimals: int = 1) -> str:
    if part is None or not whole:
        return ""
    return number(100 * part / whole, decimals) + "%"


FILTERS = {
    "number": number,
    "raw": raw,
    "month": month,
    "long_date": long_date,
}
GLOBALS = {"period": period, "percent": percent}
