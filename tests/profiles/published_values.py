"""What the published file says, read with plain SQL (not through footprint.profiles),
and how a page is expected to show it: the independent side of the value checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

SUPPRESSED_WORDS = "suppressed (fewer than 8)"
COMPARISON_WORDS = {
    "better": "better",
    "worse": "worse",
    "similar": ("similar", "not significantly different"),
    "higher": "higher",
    "lower": "lower",
    "not_compared": "not compared",
    "not_applicable": "not compared",  # the borough itself, counts and counts per day
    "": ("not compared", "no england value", "suppressed"),
}
TARGET_WORDS = {"met": "target met", "not_met": "target not met", "": "not judged"}
CHANGE_WORDS = {
    "improved": "a significant improvement",
    "worsened": "a significant worsening",
    "higher": "a significant rise",
    "lower": "a significant fall",
    "no_significant_change": "not a significant change",
    "not_enough_data": "no comparison with the previous 12 months",
}


@dataclass(frozen=True)
class Published:
    headlines: dict[tuple[str, str], dict[str, Any]]  # (area_code, indicator_id)
    decimals: dict[str, int]
    targets: dict[str, float | None]
    headline_series: dict[str, str]
    series: dict[tuple[str, str, str], list[tuple[date, float | None]]]
    comparable: dict[tuple[str, str], list[tuple[date, float | None]]]  # single months
    population: dict[str, int]
    bands: dict[str, list[tuple[str, int | None]]]  # area -> (age band, people), youngest first
    sdfs: dict[str, str]  # code -> name
    borough: str


def _dicts(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = connection.execute(sql)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read(published_db: Path) -> Published:
    with duckdb.connect(str(published_db), read_only=True) as connection:
        headlines = _dicts(connection, "select * from sdf.sdf_profiles")
        catalogue = _dicts(connection, "select * from sdf.sdf_indicator_catalogue")
        values = _dicts(
            connection,
            "select indicator_id, area_code, period_type, period_month, indicator_value, "
            "comparable_value from sdf.sdf_indicator_values order by period_month",
        )
        bands = connection.execute(
            "select area_code, age_band, registered_patients from sdf.sdf_population "
            "order by area_code, age_band_order"
        ).fetchall()
    series: dict[tuple[str, str, str], list[tuple[date, float | None]]] = {}
    comparable: dict[tuple[str, str], list[tuple[date, float | None]]] = {}
    for row in values:
        key = (row["indicator_id"], row["area_code"], row["period_type"])
        series.setdefault(key, []).append((row["period_month"], row["indicator_value"]))
        if row["period_type"] == "month":
            comparable.setdefault(key[:2], []).append(
                (row["period_month"], row["comparable_value"])
            )
    return Published(
        headlines={(h["area_code"], h["indicator_id"]): h for h in headlines},
        decimals={c["indicator_id"]: c["decimal_places"] for c in catalogue},
        targets={c["indicator_id"]: c["target_value"] for c in catalogue},
        headline_series={c["indicator_id"]: c["headline_period_type"] for c in catalogue},
        series=series,
        comparable=comparable,
        population={
            area: sum(people or 0 for a, _, people in bands if a == area)
            for area in {a for a, _, _ in bands}
        },
        bands={
            area: [(band, people) for a, band, people in bands if a == area]
            for area in {a for a, _, _ in bands}
        },
        sdfs={h["area_code"]: h["area_name"] for h in headlines if h["area_type"] == "sdf"},
        borough=next(h["area_code"] for h in headlines if h["area_type"] == "borough"),
    )


def shown(value: float | int | None, decimals: int = 0) -> str:
    """How a number is expected to read on the page."""
    return "" if value is None else f"{value:,.{decimals}f}"


def raw(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def mismatches(element: dict[str, Any], published: Published) -> list[str]:
    """Every way one shown figure (a [data-field] element) differs from the mart."""
    field, text = element["field"], " ".join(element["text"].split())
    area, indicator = element["area"], element["indicator"]
    where = f"{field} of {indicator} for {area}"
    problems: list[str] = []

    def expect(condition: bool, message: str) -> None:
        if not condition:
            problems.append(f"{where}: {message} (shown {text!r}, data-raw {element['raw']!r})")

    if field == "area_name":
        expect(text == published.sdfs.get(area, text), "is not the SDF's published name")
        return problems
    if field == "population_total":
        population = published.population[area]
        expect(element["raw"] == raw(population), "population differs")
        expect(text == shown(population), "population shown differs")
        return problems
    if indicator is None or field == "source_organisations":
        expect(field == "source_organisations" and bool(text), "unexpected element")
        return problems
    decimals = published.decimals[indicator]
    if field == "target_value":
        target = published.targets[indicator]
        expect(element["raw"] == raw(target), "target differs from the catalogue")
        expect(text.startswith(shown(target, decimals)), "target shown differs")
        return problems
    if area == "england":
        headline = published.headlines[(published.borough, indicator)]
        value = headline["england_value"]
        expect(element["raw"] == raw(value), "England value differs")
        expect(text == (shown(value, decimals) or "none published"), "England value shown differs")
        return problems
    headline = published.headlines.get((area, indicator))
    if headline is None:
        problems.append(f"{where}: the page shows a figure the mart does not have")
        return problems
    value = headline.get(field) if field != "indicator_value" else headline["indicator_value"]
    if field == "indicator_value":
        expect(element["raw"] == raw(value), "value differs from the mart")
        if headline["is_suppressed"]:
            expect(SUPPRESSED_WORDS in text, "suppressed value not said in words")
            expect(element["raw"] == "", "a suppressed value leaked into the page")
        elif value is None:
            expect("not calculated" in text, "missing value not explained")
        else:
            formatted = shown(value, decimals)
            expect(text == formatted or formatted in text.split(), "value shown differs")
        if element.get("comparison") is not None:
            expect(
                element["comparison"] == (headline["comparison_with_borough"] or ""),
                "comparison differs",
            )
        if element.get("target_status") is not None:
            expect(
                element["target_status"] == (headline["target_status"] or ""),
                "target status differs",
            )
    elif field in {"borough_value", "england_value"}:
        expect(element["raw"] == raw(value), "differs from the mart")
        if value is not None:
            expect(text == shown(value, decimals), "shown differs")
    elif field in {"comparison_with_borough", "comparison_with_england"}:
        expect(element["raw"] == (value or ""), "comparison differs from the mart")
        words = COMPARISON_WORDS.get(value or "", value or "")
        words = (words,) if isinstance(words, str) else words
        if field == "comparison_with_england" and headline["england_value"] is None:
            words = ("no england value",)
        expect(any(w in text.lower() for w in words), f"comparison not said in words {words}")
    elif field == "target_status":
        expect(element["raw"] == (value or ""), "target status differs from the mart")
        expect(TARGET_WORDS[value or ""] in text.lower(), "target status not said in words")
    elif field == "trend_judgement":
        expect(element["raw"] == (value or ""), "trend differs from the mart")
        expect(bool(text), "trend not said in words")
    elif field == "sdfs_worse":
        worse = [
            code
            for code in published.sdfs
            if published.headlines[(code, indicator)]["comparison_with_borough"] == "worse"
        ]
        expect(set(element["raw"].split()) == set(worse), "SDFs worse than the borough differ")
        expect(all(published.sdfs[code] in text for code in worse), "an SDF worse is not named")
    elif field == "change_judgement":
        expect(element["raw"] == (value or ""), "change differs from the mart")
        change = CHANGE_WORDS.get(value or "", "suppressed")
        expect(change in text.lower(), f"change not said in words ({change!r})")
    elif field in {"numerator", "denominator"}:
        expect(element["raw"] == raw(value), "count differs from the mart")
        expect(text == (shown(value) if value is not None else SUPPRESSED_WORDS), "count shown")
    elif field == "interval":
        expect(element["lower"] == raw(headline["lower_ci_95"]), "lower limit differs")
        expect(element["upper"] == raw(headline["upper_ci_95"]), "upper limit differs")
        expect(
            text == f"95% interval {shown(headline['lower_ci_95'], decimals)} to "
            f"{shown(headline['upper_ci_95'], decimals)}",
            "interval shown differs",
        )
    else:
        problems.append(f"{where}: no check for this field")
    return problems
