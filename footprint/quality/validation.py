"""Validating one pandas batch against a suite with Great Expectations.

An ephemeral context (in memory: nothing is written to disk, analytics off, no progress
bars) with a pandas datasource; each batch is a whole DataFrame. great_expectations is
imported here, inside functions, so that importing this module stays cheap.
"""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from footprint.quality.parameters import Parameters
from footprint.quality.results import (
    FAILED,
    MAX_EXAMPLES,
    PASSED,
    SKIPPED,
    ExpectationResult,
    plain,
)
from footprint.quality.specs import PARAMETER, ExpectationSpec

if TYPE_CHECKING:
    from great_expectations.core.batch_definition import BatchDefinition

# which columns of a failing row to show, given the expectation's columns
ExampleColumns = Callable[[pd.DataFrame, ExpectationSpec], list[str]]
_SHOWN_VALUES = 20  # long value sets are shortened in results and the report


def import_great_expectations() -> Any:
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    logging.getLogger("great_expectations").setLevel(logging.ERROR)  # quiet while importing
    import great_expectations as gx

    import footprint.quality.gx_extensions  # noqa: F401  (registers our expectations)

    return gx


class Validator:
    """A Great Expectations context that validates DataFrames, one at a time."""

    def __init__(self) -> None:
        gx = import_great_expectations()
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self._gx = gx
        context = gx.get_context(
            mode="ephemeral",
            project_config=DataContextConfig(
                store_backend_defaults=InMemoryStoreBackendDefaults(),
                analytics_enabled=False,
                progress_bars=ProgressBarsConfig(globally=False),
            ),
        )
        self._batches: BatchDefinition = (
            context.data_sources.add_pandas("footprint")
            .add_dataframe_asset("batch")
            .add_batch_definition_whole_dataframe("whole")
        )
        # built once per checkpoint and reused for every batch (expectation names are
        # unique within a checkpoint's suite)
        self._built: dict[str, Any] = {}
        self._suites: dict[tuple[str, ...], Any] = {}

    def _build(self, spec: ExpectationSpec) -> Any:
        """The Great Expectations object; raises if the suite file's entry is invalid."""
        from great_expectations.expectations.expectation_configuration import (
            ExpectationConfiguration,
        )

        if spec.name not in self._built:
            self._built[spec.name] = ExpectationConfiguration(**spec.to_gx()).to_domain_obj()
        return self._built[spec.name]

    def _suite(self, specs: list[ExpectationSpec]) -> Any:
        key = tuple(s.name for s in specs)
        if key not in self._suites:
            self._suites[key] = self._gx.ExpectationSuite(
                name="batch", expectations=[copy.copy(self._build(s)) for s in specs]
            )
        return self._suites[key]

    def validate(
        self,
        frame: pd.DataFrame,
        expectations: Sequence[ExpectationSpec],
        parameters: Parameters,
        example_columns: ExampleColumns,
        hidden_columns: frozenset[str] = frozenset(),
        details_of_passes: bool = True,
    ) -> list[ExpectationResult]:
        """Every expectation's result, in suite order. An expectation whose runtime
        parameters cannot be given is skipped with the reason; one Great Expectations
        cannot build or evaluate fails with the error.

        Without details_of_passes, a first pass only says pass or fail and the failing
        expectations are run again for their details (a third faster for the many
        deliveries that pass; their observed values are then not recorded)."""
        results: dict[str, ExpectationResult] = {}
        runnable: list[ExpectationSpec] = []
        for spec in expectations:
            missing = sorted(spec.parameters - set(parameters.values))
            if missing:
                reason = "; ".join(
                    sorted({parameters.unavailable.get(m, f"no value for {m}") for m in missing})
                )
                results[spec.name] = result(spec, SKIPPED, parameters, message=reason)
                continue
            try:
                self._build(spec)
                runnable.append(spec)
            except Exception as error:  # an invalid expectation in a suite file
                message = f"Great Expectations could not build this expectation: {error}"
                results[spec.name] = result(spec, FAILED, parameters, message=message)
        if runnable:
            batch = self.batch(frame)
            detailed = runnable
            if not details_of_passes:
                passed = {
                    name
                    for name, outcome in self.run(batch, runnable, parameters, False).items()
                    if outcome.success
                }
                for spec in runnable:
                    if spec.name in passed:
                        results[spec.name] = result(spec, PASSED, parameters)
                detailed = [spec for spec in runnable if spec.name not in passed]
            if detailed:
                outcomes = self.run(batch, detailed, parameters, True)
                for spec in detailed:
                    results[spec.name] = _from_gx(
                        spec,
                        outcomes[spec.name],
                        frame,
                        parameters,
                        example_columns,
                        hidden_columns,
                    )
        return [results[spec.name] for spec in expectations]

    def batch(self, frame: pd.DataFrame) -> Any:
        """A Great Expectations batch holding the whole DataFrame."""
        return self._batches.get_batch(batch_parameters={"dataframe": frame})

    def run(
        self, batch: Any, specs: list[ExpectationSpec], parameters: Parameters, complete: bool
    ) -> dict[str, Any]:
        """Great Expectations' result for each expectation, by name."""
        result_format = (
            {"result_format": "COMPLETE", "partial_unexpected_count": 20}
            if complete
            else {"result_format": "BOOLEAN_ONLY"}
        )
        outcome = batch.validate(
            self._suite(specs),
            result_format=result_format,
            expectation_parameters=parameters.values,
        )
        return {r.expectation_config.meta["name"]: r for r in outcome.results}


def _resolved(value: Any, parameters: Parameters) -> Any:
    """Arguments with {$PARAMETER: name} replaced by the value, long lists shortened."""
    if isinstance(value, dict):
        if PARAMETER in value:
            return _resolved(parameters.values.get(value[PARAMETER]), parameters)
        return {k: _resolved(v, parameters) for k, v in value.items()}
    if isinstance(value, list | tuple):
        shown = [_resolved(v, parameters) for v in value[:_SHOWN_VALUES]]
        if len(value) > _SHOWN_VALUES:
            shown.append(f"... {len(value)} values in all")
        return shown
    return value


def result(
    spec: ExpectationSpec, status: str, parameters: Parameters, **details: Any
) -> ExpectationResult:
    return ExpectationResult(
        name=spec.name,
        description=spec.description,
        type=spec.type,
        severity=spec.severity,
        source=spec.source,
        status=status,
        kwargs=plain(_resolved(dict(spec.kwargs), parameters)),
        **details,
    )


def exception_message(exception_info: Any) -> str | None:
    """Great Expectations reports errors either flat or keyed by metric."""
    if not isinstance(exception_info, dict):
        return None
    if "raised_exception" in exception_info:
        infos = [exception_info]
    else:
        infos = [i for i in exception_info.values() if isinstance(i, dict)]
    messages = [str(i.get("exception_message")) for i in infos if i.get("raised_exception")]
    return "; ".join(dict.fromkeys(messages)) or None


def row_examples(
    frame: pd.DataFrame, indexes: list[Any], columns: list[str], hidden: frozenset[str]
) -> list[dict[str, Any]]:
    labels = [i for i in indexes[:MAX_EXAMPLES] if not isinstance(i, dict)]
    if not labels:  # indexes given as {column: value} mappings
        return plain([dict(i) for i in indexes[:MAX_EXAMPLES]])
    rows = frame.loc[labels, [c for c in columns if c in frame.columns]]
    examples = plain(rows.to_dict(orient="records"))
    for example in examples:
        for column in hidden & set(example):
            example[column] = "(pseudonym not shown)"
    return examples


def _value_examples(spec: ExpectationSpec, details: dict[str, Any]) -> list[dict[str, Any]]:
    """For expectations about the set of values a column holds: the missing or extra ones."""
    incomplete = (details.get("details") or {}).get("incomplete_groups")
    if incomplete:
        return plain(
            [
                {**group, "missing": ", ".join(map(str, group["missing"]))}
                for group in incomplete[:MAX_EXAMPLES]
            ]
        )
    if details.get("partial_missing_list"):
        return plain([{"missing value": v} for v in details["partial_missing_list"][:MAX_EXAMPLES]])
    value_set = spec.kwargs.get("value_set")
    observed = details.get("observed_value")
    if spec.type.startswith("expect_column_distinct_values") and isinstance(observed, list):
        allowed = {str(v) for v in value_set} if isinstance(value_set, list) else set()
        extra = [v for v in observed if str(v) not in allowed]
        return plain([{"unexpected value": v} for v in extra[:MAX_EXAMPLES]])
    return []


def _from_gx(
    spec: ExpectationSpec,
    gx_result: Any,
    frame: pd.DataFrame,
    parameters: Parameters,
    example_columns: ExampleColumns,
    hidden_columns: frozenset[str],
) -> ExpectationResult:
    details: dict[str, Any] = dict(gx_result.result or {})
    error = exception_message(gx_result.exception_info)
    status = PASSED if gx_result.success and not error else FAILED
    examples: list[dict[str, Any]] = []
    if status == FAILED:
        if details.get("unexpected_index_list"):
            examples = row_examples(
                frame,
                list(details["unexpected_index_list"]),
                example_columns(frame, spec),
                hidden_columns,
            )
        else:
            examples = _value_examples(spec, details)
    observed = details.get("observed_value")
    if isinstance(observed, list) and len(observed) > _SHOWN_VALUES:
        observed = [*observed[:_SHOWN_VALUES], f"... {len(observed)} values in all"]
    return result(
        spec,
        status,
        parameters,
        observed_value=plain(observed),
        element_count=details.get("element_count"),
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=details.get("unexpected_percent"),
        examples=examples,
        message=error,
    )
