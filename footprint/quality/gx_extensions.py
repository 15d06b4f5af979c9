"""Three expectations Great Expectations lacks, for checks the suites need:

- expect_column_proportion_of_values_in_set_to_be_between: the share of a column's
  values that are in a set lies between two bounds ("15-50% arrive by ambulance");
- expect_column_values_to_be_multiples_of: every value is a multiple of `base` (counts
  rounded to the nearest 5 under disclosure control);
- expect_every_group_to_contain_value_set: every group of rows (e.g. each indicator and
  month) holds every value of a set in one column (e.g. every SDF), with the groups
  that miss some as the failing examples.

Importing this module imports great_expectations and registers the three under those
snake_case names, so suite files use them like any other expectation. Only
footprint.quality.validation imports it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from great_expectations.core.metric_domain_types import MetricDomainTypes
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import (
    BatchExpectation,
    ColumnAggregateExpectation,
    ColumnMapExpectation,
)
from great_expectations.expectations.metrics import (
    ColumnAggregateMetricProvider,
    ColumnMapMetricProvider,
    column_aggregate_value,
    column_condition_partial,
)
from great_expectations.expectations.metrics.metric_provider import metric_value
from great_expectations.expectations.metrics.table_metric_provider import TableMetricProvider

MAX_GROUPS_REPORTED = 20


class ColumnProportionOfValuesInSet(ColumnAggregateMetricProvider):
    """Share of the non-null values of a column that are in value_set (None if none)."""

    metric_name = "column.proportion_of_values_in_set"
    value_keys = ("value_set",)
    filter_column_isnull = True

    @column_aggregate_value(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, value_set: list[Any], **kwargs: Any) -> float | None:
        if len(column) == 0:
            return None
        wanted = {str(v) for v in value_set}
        return float(column.astype(str).isin(wanted).mean())


class ExpectColumnProportionOfValuesInSetToBeBetween(ColumnAggregateExpectation):
    """Expect the share of non-null values that are in value_set to lie between
    min_value and max_value (inclusive; either may be None). Values are compared as text,
    so the codes of a contract ('1', '2') match whether a column holds text or numbers."""

    value_set: list | dict
    min_value: float | dict | None = None
    max_value: float | dict | None = None
    strict_min: bool = False
    strict_max: bool = False

    metric_dependencies = ("column.proportion_of_values_in_set",)
    success_keys = ("value_set", "min_value", "max_value", "strict_min", "strict_max")
    args_keys = ("column", "value_set", "min_value", "max_value")

    def _validate(
        self,
        metrics: dict,
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict:
        return self._validate_metric_value_between(
            metric_name="column.proportion_of_values_in_set",
            metrics=metrics,
            runtime_configuration=runtime_configuration,
            execution_engine=execution_engine,
        )


class ColumnValuesMultipleOf(ColumnMapMetricProvider):
    condition_metric_name = "column_values.multiple_of"
    condition_value_keys = ("base",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, base: int, **kwargs: Any) -> pd.Series:
        return pd.to_numeric(column, errors="coerce") % base == 0


class ExpectColumnValuesToBeMultiplesOf(ColumnMapExpectation):
    """Expect every non-null value to be a whole multiple of `base` (0 included)."""

    base: int | dict

    map_metric = "column_values.multiple_of"
    success_keys = ("base", "mostly")
    args_keys = ("column", "base")


class TableGroupsMissingValues(TableMetricProvider):
    """Groups of rows (by `group_by`) whose `value_column` lacks some of `value_set`:
    a list of {group column: value, ..., "missing": [...]}, largest gaps first."""

    metric_name = "table.groups_missing_values"
    value_keys = ("value_column", "value_set", "group_by")

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        execution_engine: PandasExecutionEngine,
        metric_domain_kwargs: dict,
        metric_value_kwargs: dict,
        metrics: dict[str, Any],
        runtime_configuration: dict,
    ) -> list[dict[str, Any]]:
        frame, _, _ = execution_engine.get_compute_domain(
            domain_kwargs=metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE
        )
        column = metric_value_kwargs["value_column"]
        group_by = list(metric_value_kwargs["group_by"])
        wanted = {str(v) for v in metric_value_kwargs["value_set"]}
        incomplete = []
        for key, rows in frame.groupby(group_by, dropna=False, sort=True):
            missing = sorted(wanted - set(rows[column].dropna().astype(str)))
            if missing:
                values = key if isinstance(key, tuple) else (key,)
                incomplete.append({**dict(zip(group_by, values, strict=True)), "missing": missing})
        return sorted(incomplete, key=lambda g: -len(g["missing"]))


class ExpectEveryGroupToContainValueSet(BatchExpectation):
    """Expect each group of rows, by `group_by`, to hold every value of `value_set` in
    `value_column` (compared as text)."""

    value_column: str
    value_set: list | dict
    group_by: list[str]

    metric_dependencies = ("table.groups_missing_values",)
    success_keys = ("value_column", "value_set", "group_by")
    domain_keys = ("batch_id", "row_condition", "condition_parser")
    args_keys = ("value_column", "value_set", "group_by")

    def _validate(
        self,
        metrics: dict,
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict:
        incomplete = metrics["table.groups_missing_values"]
        return {
            "success": not incomplete,
            "result": {
                "observed_value": len(incomplete),
                "details": {"incomplete_groups": incomplete[:MAX_GROUPS_REPORTED]},
            },
        }
