"""Expectations generated from a feed's contract, so that a code list, range or pattern
is written once (contracts/<organisation>/<feed>.yml) and never copied into a suite.

A suite asks for them in its `from_contract:` section, with a severity per kind of rule.
Columns are named as they are loaded (an NHS number becomes <name>_pseudonym); values
that are replaced by a pseudonym on load have no code list, range or pattern to check.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

from footprint.contracts import Column, Contract
from footprint.paths import SEEDS_DIR
from footprint.quality.specs import PARAMETER, ContractRules, ExpectationSpec

DATE_TYPES = ("date", "timestamp")


@cache
def seed_values(reference: str, seeds_dir: Path = SEEDS_DIR) -> tuple[str, ...]:
    """Distinct values of a seed column, e.g. 'lsoas.lsoa_code', sorted."""
    seed, column = reference.split(".")
    with (seeds_dir / f"{seed}.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if column not in (reader.fieldnames or []):
            raise KeyError(f"seeds/{seed}.csv has no column {column!r} (asked for {reference})")
        return tuple(sorted({row[column] for row in reader if row[column] != ""}))


def _code_list(column: Column, severity: str) -> ExpectationSpec:
    codes = list(column.values or ())
    return ExpectationSpec(
        type="expect_column_values_to_be_in_set",
        kwargs={"column": column.loaded_name, "value_set": codes},
        severity=severity,
        description=f"{column.name} is one of the contract's codes ({', '.join(codes)}).",
        name=f"{column.name} codes from the contract",
        source="contract",
    )


def _reference(column: Column, severity: str, seeds_dir: Path) -> ExpectationSpec:
    codes = list(seed_values(column.reference or "", seeds_dir))
    return ExpectationSpec(
        type="expect_column_values_to_be_in_set",
        kwargs={"column": column.loaded_name, "value_set": codes},
        severity=severity,
        description=f"{column.name} is a code listed in the reference data "
        f"({column.reference}, {len(codes)} codes).",
        name=f"{column.name} in {column.reference}",
        source="contract",
    )


def _range(column: Column, severity: str) -> ExpectationSpec:
    bounds = {"min_value": column.min, "max_value": column.max}
    if column.min is not None and column.max is not None:
        wording = f"between {column.min:g} and {column.max:g}"
    elif column.min is not None:
        wording = f"at least {column.min:g}"
    else:
        wording = f"at most {column.max:g}"
    return ExpectationSpec(
        type="expect_column_values_to_be_between",
        kwargs={"column": column.loaded_name, **bounds},
        severity=severity,
        description=f"{column.name} is {wording}, as the contract says.",
        name=f"{column.name} range from the contract",
        source="contract",
    )


def _pattern(column: Column, severity: str) -> ExpectationSpec:
    return ExpectationSpec(
        type="expect_column_values_to_match_regex",
        kwargs={"column": column.loaded_name, "regex": column.pattern},
        severity=severity,
        description=f"{column.name} has the form the contract gives ({column.pattern}).",
        name=f"{column.name} pattern from the contract",
        source="contract",
    )


def earliest_parameter(column: Column) -> str:
    return f"{column.loaded_name}_earliest"


def latest_parameter(column: Column) -> str:
    return f"{column.loaded_name}_latest"


def _period_dates(column: Column, severity: str, days_before: int | None) -> ExpectationSpec:
    after = column.not_after_period_end_days or 0
    latest = "the end of the delivery period" + (f" plus {after} day(s)" if after else "")
    if days_before is None:
        wording = f"no later than {latest}"
    elif days_before == 0:
        wording = f"within the delivery period (up to {latest})"
    else:
        wording = f"from {days_before} day(s) before the delivery period starts up to {latest}"
    kwargs: dict = {
        "column": column.loaded_name,
        "max_value": {PARAMETER: latest_parameter(column)},
    }
    if days_before is not None:
        kwargs["min_value"] = {PARAMETER: earliest_parameter(column)}
    return ExpectationSpec(
        type="expect_column_values_to_be_between",
        kwargs=kwargs,
        severity=severity,
        description=f"{column.name} falls {wording}.",
        name=f"{column.name} within the delivery period",
        source="contract",
    )


def period_bound_columns(contract: Contract) -> list[Column]:
    """Date columns the contract ties to the delivery period."""
    return [
        c
        for c in contract.columns
        if c.type in DATE_TYPES and c.not_after_period_end_days is not None
    ]


def contract_expectations(
    contract: Contract, rules: ContractRules, seeds_dir: Path = SEEDS_DIR
) -> list[ExpectationSpec]:
    """The expectations `rules` asks for, in the contract's column order."""
    unknown = set(rules.days_before_period_start) - {c.name for c in contract.columns}
    if unknown:
        raise KeyError(
            f"days_before_period_start names {sorted(unknown)}, which are not columns of "
            f"{contract.path}"
        )
    expectations: list[ExpectationSpec] = []
    for column in contract.columns:
        if column.is_identifier:
            continue  # loaded as a pseudonym: its clear-text rules do not apply
        if rules.code_lists and column.values is not None:
            expectations.append(_code_list(column, rules.code_lists))
        if rules.references and column.reference:
            expectations.append(_reference(column, rules.references, seeds_dir))
        if rules.ranges and (column.min is not None or column.max is not None):
            expectations.append(_range(column, rules.ranges))
        if rules.patterns and column.pattern:
            expectations.append(_pattern(column, rules.patterns))
        if rules.period_dates and column in period_bound_columns(contract):
            days_before = rules.days_before_period_start.get(column.name, 0)
            expectations.append(_period_dates(column, rules.period_dates, days_before))
    return expectations


def period_parameters(
    contract: Contract,
    rules: ContractRules | None,
    period_start: date | None,
    period_end: date | None,
) -> dict[str, datetime | None]:
    """Bounds for the period-date expectations of one delivery, as datetimes (a date
    column is compared at midnight; a timestamp may run to the end of its last day)."""
    if rules is None or not rules.period_dates:
        return {}
    values: dict[str, datetime | None] = {}
    for column in period_bound_columns(contract):
        after = column.not_after_period_end_days or 0
        days_before = rules.days_before_period_start.get(column.name, 0)
        if period_end is None or period_start is None:
            values[latest_parameter(column)] = None
            values[earliest_parameter(column)] = None
            continue
        last_day = period_end + timedelta(days=after)
        values[latest_parameter(column)] = datetime.combine(
            last_day, time.max if column.type == "timestamp" else time.min
        )
        if days_before is not None:
            values[earliest_parameter(column)] = datetime.combine(
                period_start - timedelta(days=days_before), time.min
            )
    return values
