"""Validating many deliveries of a feed in one Great Expectations run.

Great Expectations spends about 4 ms of its own on each expectation of each batch,
whatever the batch's size: 730 daily deliveries validated one by one take minutes.
So the new deliveries are stacked (up to STACK_ROWS rows at a time) and each expectation
of the suite becomes checks on one of two frames:

- rows: the stacked rows. A row-level expectation runs as written. A range whose
  bounds depend on the delivery (its period) compares each row with bound columns that
  hold the row's own delivery's values.
- profile: one row per delivery with the aggregate an expectation is about (its row
  count, a column's mean or share) and, where they depend on the delivery, its bounds.

Each delivery then gets the result it would get validated alone: its own failing rows
and counts, its own aggregate. tests/quality/test_stacking.py holds the two ways equal.
Expectations of other kinds (or with `mostly` or a row condition) are validated
delivery by delivery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pandas as pd

from footprint.quality.parameters import Parameters
from footprint.quality.results import FAILED, PASSED, ExpectationResult
from footprint.quality.specs import PARAMETER, ExpectationSpec, parameter_names
from footprint.quality.validation import (
    ExampleColumns,
    Validator,
    exception_message,
    result,
    row_examples,
)
from footprint.quality.warehouse import Delivery

STACK_ROWS = 250_000  # rows validated at once: bounds memory, not much slower than more
DELIVERY = "_delivery_id"
BETWEEN = "expect_column_values_to_be_between"
# Aggregates one value per delivery, computed on that delivery's rows as Great
# Expectations computes them (nulls left out; the share in a set compared as text).
AGGREGATES: dict[str, Callable[[pd.DataFrame, dict[str, Any]], pd.Series]] = {
    "expect_table_row_count_to_be_between": lambda rows, kwargs: rows.groupby(DELIVERY).size(),
    "expect_column_mean_to_be_between": lambda rows, kwargs: rows.groupby(DELIVERY)[
        kwargs["column"]
    ].mean(),
    "expect_column_proportion_of_non_null_values_to_be_between": lambda rows, kwargs: (
        rows[kwargs["column"]].notna().groupby(rows[DELIVERY]).mean()
    ),
    "expect_column_proportion_of_values_in_set_to_be_between": lambda rows, kwargs: (
        rows[kwargs["column"]]
        .dropna()
        .astype(str)
        .isin({str(v) for v in kwargs["value_set"]})
        .groupby(rows[DELIVERY])
        .mean()
    ),
}


def stacks(deliveries: list[Delivery]) -> Iterator[list[Delivery]]:
    """Deliveries in groups of at most STACK_ROWS rows (a bigger delivery alone)."""
    stack: list[Delivery] = []
    rows = 0
    for delivery in deliveries:
        if stack and rows + delivery.rows_loaded > STACK_ROWS:
            yield stack
            stack, rows = [], 0
        stack.append(delivery)
        rows += delivery.rows_loaded
    if stack:
        yield stack


@cache
def _is_row_level(expectation_type: str) -> bool:
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation,
        ColumnPairMapExpectation,
        MulticolumnMapExpectation,
    )
    from great_expectations.expectations.registry import get_expectation_impl

    implementation = get_expectation_impl(expectation_type)
    return issubclass(
        implementation, ColumnMapExpectation | ColumnPairMapExpectation | MulticolumnMapExpectation
    )


@dataclass
class _Plan:
    """How one suite expectation is checked on the stacked frames."""

    spec: ExpectationSpec
    frame: str  # rows | profile
    checks: list[ExpectationSpec] = field(default_factory=list)
    observed: str | None = None  # the profile column holding the aggregate


def _check(
    spec: ExpectationSpec, number: int, expectation_type: str, **kwargs: Any
) -> ExpectationSpec:
    return ExpectationSpec(
        type=expectation_type,
        kwargs=kwargs,
        severity=spec.severity,
        description=spec.description,
        name=f"{spec.name} [check {number}]",
        source=spec.source,
    )


def _range_checks(
    spec: ExpectationSpec,
    column: str,
    per_delivery: set[str],
    bound_column: Callable[[str], str],
) -> list[ExpectationSpec]:
    """Checks that `column` lies within the spec's min_value/max_value: bounds that are
    the same for every delivery in one range check, a bound that depends on the delivery
    as a comparison with the column holding it."""
    kwargs = spec.kwargs
    shared: dict[str, Any] = {}
    checks: list[ExpectationSpec] = []
    for side, strict in (("min_value", "strict_min"), ("max_value", "strict_max")):
        bound = kwargs.get(side)
        if isinstance(bound, dict) and bound.get(PARAMETER) in per_delivery:
            held = bound_column(bound[PARAMETER])
            lower, upper = (held, column) if side == "min_value" else (column, held)
            checks.append(
                _check(
                    spec,
                    len(checks) + 1,
                    "expect_column_pair_values_a_to_be_greater_than_b",
                    column_A=upper,
                    column_B=lower,
                    or_equal=not kwargs.get(strict, False),
                    ignore_row_if="either_value_is_missing",
                )
            )
        elif bound is not None:
            shared[side] = bound
            shared[strict] = kwargs.get(strict, False)
    if shared:
        checks.append(_check(spec, len(checks) + 1, BETWEEN, column=column, **shared))
    return checks


def _plan(
    spec: ExpectationSpec, per_delivery: set[str], unavailable: set[str], number: int
) -> _Plan | None:
    """The checks for one expectation, or None if it must be validated per delivery."""
    if "mostly" in spec.kwargs or "row_condition" in spec.kwargs or spec.parameters & unavailable:
        return None
    varying = spec.parameters & per_delivery
    if spec.type in AGGREGATES:
        observed = f"_observed_{number}"
        checks = _range_checks(spec, observed, per_delivery, lambda p: f"_bound_{p}")
        # Great Expectations fails an aggregate that cannot be computed (no values)
        checks.append(
            _check(spec, len(checks) + 1, "expect_column_values_to_not_be_null", column=observed)
        )
        return _Plan(spec, "profile", checks, observed)
    if not _is_row_level(spec.type):
        return None
    if not varying:
        return _Plan(spec, "rows", [_check(spec, 1, spec.type, **spec.kwargs)])
    bounds_only = {k: v for k, v in spec.kwargs.items() if k not in ("min_value", "max_value")}
    if spec.type == BETWEEN and not varying & parameter_names(bounds_only):
        column = str(spec.kwargs["column"])
        return _Plan(
            spec, "rows", _range_checks(spec, column, per_delivery, lambda p: f"_bound_{p}")
        )
    return None


def _with_bounds(
    frame: pd.DataFrame,
    plans: list[_Plan],
    per_delivery: set[str],
    parameters: dict[str, Parameters],
) -> pd.DataFrame:
    """The frame with a _bound_<name> column per parameter its plans' checks compare
    with: each row's delivery's value (missing where the delivery has none)."""
    names = sorted({n for plan in plans for n in plan.spec.parameters & per_delivery})
    if not names:
        return frame
    codes, deliveries = pd.factorize(frame[DELIVERY])
    bounds = {}
    for name in names:
        values = pd.Series([parameters[d].values.get(name) for d in deliveries])
        bounds[f"_bound_{name}"] = values.take(codes).set_axis(frame.index)
    return frame.assign(**bounds)


@dataclass
class _Outcome:
    """What one stacked check found: failing row labels, or an error."""

    unexpected: set[Any] = field(default_factory=set)
    error: str | None = None
    by_delivery: dict[str, list[Any]] = field(default_factory=dict)


def _run_checks(
    validator: Validator, frame: pd.DataFrame, checks: list[ExpectationSpec], fixed: Parameters
) -> dict[str, _Outcome]:
    """Each check's failing rows: a quick pass/fail for all, then the failing rows of
    those that failed."""
    if not checks or frame.empty:
        return {c.name: _Outcome() for c in checks}
    batch = validator.batch(frame)
    quick = validator.run(batch, checks, fixed, complete=False)
    failed = [c for c in checks if not quick[c.name].success]
    detailed = validator.run(batch, failed, fixed, complete=True) if failed else {}
    outcomes = {}
    for check in checks:
        if check.name not in detailed:
            outcomes[check.name] = _Outcome()
            continue
        gx = detailed[check.name]
        error = exception_message(gx.exception_info)
        labels = (gx.result or {}).get("unexpected_index_list") or []
        outcomes[check.name] = _Outcome({label for label in labels}, error)
    return outcomes


def validate_stacked(
    validator: Validator,
    rows: pd.DataFrame,
    deliveries: Sequence[str],
    expectations: Sequence[ExpectationSpec],
    fixed: Parameters,
    parameters: dict[str, Parameters],
    example_columns: ExampleColumns,
    hidden_columns: frozenset[str] = frozenset(),
) -> dict[str, list[ExpectationResult]]:
    """Every delivery's results, in suite order, as if it had been validated alone.

    `rows` holds the deliveries' rows (with _delivery_id) under a unique index;
    `parameters` gives each delivery's parameters (fixed ones merged in)."""
    per_delivery = set().union(*(set(p.values) | set(p.unavailable) for p in parameters.values()))
    per_delivery -= set(fixed.values) | set(fixed.unavailable)
    plans: dict[str, _Plan] = {}
    alone: list[ExpectationSpec] = []
    for number, spec in enumerate(expectations, start=1):
        plan = _plan(spec, per_delivery, set(fixed.unavailable), number)
        if plan is None:
            alone.append(spec)
        else:
            plans[spec.name] = plan

    profile = pd.DataFrame({DELIVERY: list(deliveries)}, index=pd.RangeIndex(len(deliveries)))
    for plan in plans.values():
        if plan.observed:
            values = AGGREGATES[plan.spec.type](rows, dict(_resolved_kwargs(plan.spec, fixed)))
            profile[plan.observed] = profile[DELIVERY].map(values)
    for plan in plans.values():
        if plan.spec.type == "expect_table_row_count_to_be_between":
            # a delivery with no rows is absent from the groups: it counts 0
            profile[plan.observed] = profile[plan.observed].fillna(0).astype("int64")
    on_rows = [p for p in plans.values() if p.frame == "rows"]
    on_profile = [p for p in plans.values() if p.frame == "profile"]
    profile = _with_bounds(profile, on_profile, per_delivery, parameters)
    stacked_rows = _with_bounds(rows, on_rows, per_delivery, parameters)

    outcomes = {
        **_run_checks(
            validator,
            stacked_rows,
            [c for p in on_rows for c in p.checks],
            fixed,
        ),
        **_run_checks(
            validator,
            profile,
            [c for p in on_profile for c in p.checks],
            fixed,
        ),
    }
    del stacked_rows
    delivery_of = rows[DELIVERY]
    for plan in plans.values():  # failing rows (or profile positions) by delivery
        for check in plan.checks:
            outcome = outcomes[check.name]
            for label in sorted(outcome.unexpected):
                key = deliveries[label] if plan.frame == "profile" else delivery_of.at[label]
                outcome.by_delivery.setdefault(key, []).append(label)
    by_delivery = rows.groupby(DELIVERY, sort=False).groups
    results: dict[str, list[ExpectationResult]] = {}
    for position, delivery in enumerate(deliveries):
        own = rows.loc[by_delivery.get(delivery, pd.Index([]))]
        merged = parameters[delivery]
        found = {
            item.name: item
            for item in validator.validate(
                own, alone, merged, example_columns, hidden_columns, details_of_passes=False
            )
        }
        for name, plan in plans.items():
            if plan.spec.parameters - set(merged.values):  # skipped, with the reason
                found[name] = validator.validate(own, [plan.spec], merged, example_columns)[0]
                continue
            checks = [outcomes[c.name] for c in plan.checks]
            error = "; ".join(dict.fromkeys(o.error for o in checks if o.error)) or None
            unexpected = sorted(
                {label for o in checks for label in o.by_delivery.get(delivery, [])}
            )
            if plan.frame == "profile":
                observed = profile.at[position, plan.observed]
                found[name] = result(
                    plan.spec,
                    FAILED if error or unexpected else PASSED,
                    merged,
                    observed_value=None if pd.isna(observed) else observed,
                    message=error,
                )
            else:
                found[name] = _row_result(
                    plan.spec, own, unexpected, error, merged, example_columns, hidden_columns
                )
        results[delivery] = [found[spec.name] for spec in expectations]
    return results


def _resolved_kwargs(spec: ExpectationSpec, fixed: Parameters) -> dict[str, Any]:
    return {
        k: fixed.values.get(v[PARAMETER]) if isinstance(v, dict) and PARAMETER in v else v
        for k, v in spec.kwargs.items()
    }


def _row_result(
    spec: ExpectationSpec,
    own: pd.DataFrame,
    unexpected: list[Any],
    error: str | None,
    parameters: Parameters,
    example_columns: ExampleColumns,
    hidden_columns: frozenset[str],
) -> ExpectationResult:
    if not unexpected and not error:
        return result(spec, PASSED, parameters)
    column = spec.columns[0] if spec.columns else None
    counted = int(own[column].notna().sum()) if column in own else len(own)
    return result(
        spec,
        FAILED,
        parameters,
        element_count=len(own),
        unexpected_count=len(unexpected),
        unexpected_percent=100 * len(unexpected) / counted if counted else None,
        examples=row_examples(own, unexpected, example_columns(own, spec), hidden_columns),
        message=error,
    )
