"""Runtime parameters: the values a suite's {$PARAMETER: name} arguments take for one
batch. A parameter that cannot be given (no previous delivery, no earlier published
build) comes with the reason, and the expectations that need it are skipped."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import duckdb

from footprint.contracts import Contract
from footprint.paths import SEEDS_DIR
from footprint.quality.contract_expectations import period_parameters, seed_values
from footprint.quality.specs import CheckpointSpec, ParameterSource
from footprint.quality.warehouse import Delivery, dbt_model, distinct_values

# Below this many rows, a delivery's volume varies too much by chance (a Poisson count of
# 10 is under 5 about 1 time in 35) to call the next one partial or unusual against it.
MIN_PREVIOUS_ROWS = 20


@dataclass
class Parameters:
    values: dict[str, Any] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)  # name -> why

    def set(self, name: str, value: Any, reason_if_missing: str) -> None:
        if value is None:
            self.unavailable[name] = reason_if_missing
        else:
            self.values[name] = value

    def merged(self, other: Parameters) -> Parameters:
        return Parameters(
            {**self.values, **other.values}, {**self.unavailable, **other.unavailable}
        )


def band(
    name: str, reference_rows: int | None, fractions: list[float | None], reason: str
) -> Parameters:
    """<name>_min and <name>_max: the reference row count times each fraction (rounded
    outwards); a side whose fraction is null is not made."""
    parameters = Parameters()
    low, high = fractions
    known = reference_rows is not None
    if low is not None:
        value = math.floor(reference_rows * low) if known else None
        parameters.set(f"{name}_min", value, reason)
    if high is not None:
        value = math.ceil(reference_rows * high) if known else None
        parameters.set(f"{name}_max", value, reason)
    return parameters


def _as_parameter_value(value: Any) -> Any:
    """Dates become datetimes: a batch holds dates as datetime64, which compares with
    datetime but not with date."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time.min)
    return value


def fixed_parameters(
    checkpoint: CheckpointSpec,
    connection: duckdb.DuckDBPyConnection,
    dbt_manifest: Path,
    seeds_dir: Path = SEEDS_DIR,
) -> Parameters:
    """Parameters that are the same for every batch of the checkpoint (seeds, models)."""
    parameters = Parameters()
    for source in checkpoint.parameters:
        if source.kind == "seed":
            references = source.argument if isinstance(source.argument, list) else [source.argument]
            values = sorted({v for r in references for v in seed_values(r, seeds_dir)})
            parameters.set(source.name, values or None, f"the seeds {references} are empty")
        elif source.kind == "model":
            model = dbt_model(dbt_manifest, source.argument["name"])
            values = distinct_values(
                connection, model.schema, model.relation_name, source.argument["column"]
            )
            parameters.set(
                source.name,
                [_as_parameter_value(v) for v in values] or None,
                f"{model.schema}.{model.relation_name} has no {source.argument['column']} values",
            )
    return parameters


def _bands(checkpoint: CheckpointSpec, kind: str) -> list[ParameterSource]:
    return [p for p in checkpoint.parameters if p.kind == kind]


def delivery_parameters(
    checkpoint: CheckpointSpec, contract: Contract, delivery: Delivery
) -> Parameters:
    """The delivery period and the volume bands against the previous delivery."""
    parameters = Parameters()
    no_period = "the load manifest gives no period for this delivery"
    parameters.set("period_start", _as_parameter_value(delivery.period_start), no_period)
    parameters.set("period_end", _as_parameter_value(delivery.period_end), no_period)
    for name, value in period_parameters(
        contract, checkpoint.suite.from_contract, delivery.period_start, delivery.period_end
    ).items():
        parameters.set(name, value, no_period)
    previous = delivery.previous_rows
    reason = "this is the feed's first delivery: there is no previous one to compare with"
    if previous is not None and previous < MIN_PREVIOUS_ROWS:
        reason = (
            f"the previous delivery has {previous} rows, too few to judge this one's volume "
            f"by (at least {MIN_PREVIOUS_ROWS} are needed)"
        )
        previous = None
    for source in _bands(checkpoint, "previous_delivery_rows"):
        parameters = parameters.merged(band(source.name, previous, source.argument, reason))
    return parameters


def mart_parameters(
    checkpoint: CheckpointSpec, relation: str, published: dict[str, int]
) -> Parameters:
    """Row-count bands against the mart in the last published build."""
    parameters = Parameters()
    for source in _bands(checkpoint, "last_published_rows"):
        parameters = parameters.merged(
            band(
                source.name,
                published.get(relation),
                source.argument,
                f"no earlier published build holds {relation}",
            )
        )
    return parameters
