"""Run one checkpoint: load its suite and checkpoint files, read batches with DuckDB
(read-only, as pandas), validate them with Great Expectations and save the plain result
as JSON for the run.

Delivery checkpoints validate every delivery of the feed loaded since the checkpoint
last ran (see ledger.py), many deliveries at once with one result each (stacking.py);
mart checkpoints validate the mart as dbt built it this run.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footprint.contracts import Contract, all_contracts
from footprint.paths import (
    CONTRACTS_DIR,
    SEEDS_DIR,
    dbt_manifest_path,
    published_dir,
    warehouse_path,
)
from footprint.quality.contract_expectations import contract_expectations
from footprint.quality.ledger import Ledger, fingerprint
from footprint.quality.parameters import (
    MIN_PREVIOUS_ROWS,
    Parameters,
    delivery_parameters,
    fixed_parameters,
    mart_parameters,
)
from footprint.quality.results import BatchResult, CheckpointResult, plain, save
from footprint.quality.specs import (
    EXPECTATIONS_DIR,
    CheckpointSpec,
    ExpectationsFileError,
    ExpectationSpec,
    checkpoint_by_name,
)
from footprint.quality.warehouse import (
    Delivery,
    WarehouseBusyError,
    dbt_model,
    delivery_rows,
    last_published_rows,
    loaded_deliveries,
    read_only,
    relation_rows,
)

if TYPE_CHECKING:
    import pandas as pd

    from footprint.quality.validation import Validator

log = logging.getLogger(__name__)
LINEAGE_COLUMNS = ("_delivery_id", "_source_file", "_row_number", "_loaded_at")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def feed_contract(feed: str, contracts_dir: Path = CONTRACTS_DIR) -> Contract:
    for contract in all_contracts(contracts_dir):
        if contract.name == feed:
            return contract
    known = ", ".join(c.name for c in all_contracts(contracts_dir))
    raise ExpectationsFileError(f"no contract for feed {feed!r}; known feeds: {known}")


def asset_key_path(checkpoint: CheckpointSpec, dbt_manifest: Path | None = None) -> list[str]:
    """The Dagster asset the checkpoint validates: raw/<feed>, or <schema>/<model>."""
    if checkpoint.kind == "delivery":
        return ["raw", checkpoint.target]
    model = dbt_model(dbt_manifest or dbt_manifest_path(), checkpoint.target)
    return [model.schema, model.name]


def delivery_expectations(
    checkpoint: CheckpointSpec, contract: Contract, seeds_dir: Path = SEEDS_DIR
) -> list[ExpectationSpec]:
    """The suite as validated: expectations generated from the contract, then the
    suite's own; every column named must be a column of the raw table."""
    suite = checkpoint.suite
    generated = (
        contract_expectations(contract, suite.from_contract, seeds_dir)
        if suite.from_contract
        else []
    )
    expectations = [*generated, *suite.expectations]
    known = {c.loaded_name for c in contract.columns} | set(LINEAGE_COLUMNS)
    unknown = sorted({c for e in expectations for c in e.columns} - known)
    if unknown:
        raise ExpectationsFileError(
            f"{suite.path}: columns {unknown} are not columns of raw.{contract.name} "
            f"(its columns: {sorted(known)})"
        )
    names = [e.name for e in expectations]
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise ExpectationsFileError(f"{suite.path}: expectation names {clashes} are used twice")
    return expectations


def _shown(parameters: Parameters) -> dict[str, Any]:
    """The runtime parameters worth recording with a batch (not the long code lists)."""
    return plain({k: v for k, v in parameters.values.items() if not isinstance(v, list)})


def _delivery_example_columns(frame: pd.DataFrame, spec: ExpectationSpec) -> list[str]:
    return ["_row_number", *spec.columns]


def _mart_example_columns(frame: pd.DataFrame, spec: ExpectationSpec) -> list[str]:
    """The whole row (a mart holds aggregates only), the expectation's columns first."""
    return list(dict.fromkeys([*spec.columns, *frame.columns]))


def _run_deliveries(
    checkpoint: CheckpointSpec,
    result: CheckpointResult,
    warehouse: Path,
    dbt_manifest: Path,
    contracts_dir: Path,
    seeds_dir: Path,
) -> None:
    contract = feed_contract(checkpoint.target, contracts_dir)
    expectations = delivery_expectations(checkpoint, contract, seeds_dir)
    ledger = Ledger.load(
        checkpoint.name,
        fingerprint(
            {
                "expectations": [e.to_gx() for e in expectations],
                "parameters": [asdict(p) for p in checkpoint.parameters],
                "min_previous_rows": MIN_PREVIOUS_ROWS,
            }
        ),
        warehouse,
    )
    from footprint.quality.stacking import stacks, validate_stacked

    hidden = frozenset(c.loaded_name for c in contract.columns if c.is_identifier)
    validator: Validator | None = None
    new = carried = earlier = 0
    with read_only(warehouse) as connection:
        deliveries = loaded_deliveries(connection, contract)
        fixed = fixed_parameters(checkpoint, connection, dbt_manifest, seeds_dir)
        waiting: list[Delivery] = []
        for delivery in deliveries:
            if not ledger.validated(delivery.delivery_id):
                waiting.append(delivery)
                continue
            failure = ledger.outstanding_failure(delivery.delivery_id)
            if failure:
                result.batches.append(failure)
                carried += 1
            else:
                earlier += 1
        for stack in stacks(waiting):
            if validator is None:
                from footprint.quality.validation import Validator

                validator = Validator()
            ids = [d.delivery_id for d in stack]
            frame = delivery_rows(connection, contract, ids)
            parameters = {
                d.delivery_id: fixed.merged(delivery_parameters(checkpoint, contract, d))
                for d in stack
            }
            validated_at = _now()
            outcomes = validate_stacked(
                validator,
                frame,
                ids,
                expectations,
                fixed,
                parameters,
                _delivery_example_columns,
                hidden,
            )
            del frame
            for delivery in stack:
                batch = BatchResult(
                    batch_id=delivery.delivery_id,
                    label=delivery.label,
                    rows=delivery.rows_loaded,
                    run_id=result.run_id,
                    validated_at=validated_at,
                    parameters=_shown(parameters[delivery.delivery_id]),
                    expectations=outcomes[delivery.delivery_id],
                )
                ledger.record(batch)
                result.batches.append(batch)
            new += len(stack)
    ledger.save({d.delivery_id for d in deliveries})
    note = (
        f"{new} new deliveries validated in this run; {earlier} earlier deliveries, "
        "validated in earlier runs, passed every blocking expectation and are not repeated here"
    )
    if carried:
        note += f"; {carried} earlier deliveries still fail a blocking expectation (shown)"
    result.notes.append(note + ".")


def _run_mart(
    checkpoint: CheckpointSpec,
    result: CheckpointResult,
    warehouse: Path,
    dbt_manifest: Path,
    published: Path,
    seeds_dir: Path,
) -> None:
    from footprint.quality.validation import Validator

    model = dbt_model(dbt_manifest, checkpoint.target)
    relation = f"{model.schema}.{model.relation_name}"
    previous = last_published_rows(published / "manifest.json")
    with read_only(warehouse) as connection:
        fixed = fixed_parameters(checkpoint, connection, dbt_manifest, seeds_dir)
        frame = relation_rows(connection, model.schema, model.relation_name)
    parameters = fixed.merged(mart_parameters(checkpoint, relation, previous))
    batch = BatchResult(
        batch_id=relation,
        label=f"The mart {relation}",
        rows=len(frame),
        run_id=result.run_id,
        validated_at=_now(),
        parameters=_shown(parameters),
        expectations=Validator().validate(
            frame, list(checkpoint.suite.expectations), parameters, _mart_example_columns
        ),
    )
    result.batches.append(batch)


def run_checkpoint(
    name: str,
    run_id: str,
    *,
    expectations_dir: Path = EXPECTATIONS_DIR,
    warehouse: Path | None = None,
    dbt_manifest: Path | None = None,
    published: Path | None = None,
    contracts_dir: Path = CONTRACTS_DIR,
    seeds_dir: Path = SEEDS_DIR,
) -> CheckpointResult:
    """Validate, save <warehouse folder>/quality/runs/<run_id>/<name>.json, return the
    result. A checkpoint that cannot run at all (no warehouse, no table, a broken suite)
    returns a result with `error` set, which fails it."""
    warehouse = warehouse or warehouse_path()
    dbt_manifest = dbt_manifest or dbt_manifest_path()
    checkpoint = checkpoint_by_name(name, expectations_dir)
    result = CheckpointResult(
        checkpoint=checkpoint.name,
        description=checkpoint.description,
        suite=checkpoint.suite_name,
        kind=checkpoint.kind,
        target=checkpoint.target,
        asset_key=[],
        has_blocking=checkpoint.blocking,
        run_id=run_id,
        started_at=_now(),
    )
    try:
        result.asset_key = asset_key_path(checkpoint, dbt_manifest)
        if checkpoint.kind == "delivery":
            _run_deliveries(checkpoint, result, warehouse, dbt_manifest, contracts_dir, seeds_dir)
        else:
            _run_mart(
                checkpoint, result, warehouse, dbt_manifest, published or published_dir(), seeds_dir
            )
    except WarehouseBusyError:
        raise  # transient: the Dagster check retries it
    except Exception as error:  # recorded, so the gate fails with a reason in the report
        log.exception("checkpoint %s could not run", name)
        result.error = f"{type(error).__name__}: {error}"
    result.finished_at = _now()
    save(result, warehouse)
    return result


def run_checkpoints(
    names: list[str], run_id: str, *, workers: int | None = None, **options: Any
) -> list[CheckpointResult]:
    """Several checkpoints of one run, in the order of `names`, each run as
    run_checkpoint(name, run_id, **options) does.

    Validation is Python (one core per checkpoint), so the checkpoints are shared
    between worker processes, one per core, largest relation first. The workers are
    forked once Great Expectations is imported here, so that none imports it again
    (~4 s). Each reads the warehouse with its own read-only connection and saves its
    own result and ledger file.
    """
    workers = min(workers or os.cpu_count() or 1, len(names))
    if workers <= 1:
        return [run_checkpoint(name, run_id, **options) for name in names]
    from footprint.quality.validation import import_great_expectations

    import_great_expectations()
    largest_first = sorted(names, key=lambda name: -_relation_size(name, options))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {
            name: pool.submit(run_checkpoint, name, run_id, **options) for name in largest_first
        }
        return [futures[name].result() for name in names]


def _relation_size(name: str, options: dict[str, Any]) -> int:
    """Rows in the relation a checkpoint validates (DuckDB's estimate; 0 if unknown)."""
    try:
        checkpoint = checkpoint_by_name(name, options.get("expectations_dir", EXPECTATIONS_DIR))
        schema, relation = asset_key_path(checkpoint, options.get("dbt_manifest"))
        with read_only(options.get("warehouse") or warehouse_path()) as connection:
            row = connection.execute(
                "select estimated_size from duckdb_tables() "
                "where schema_name = ? and table_name = ?",
                [schema, relation],
            ).fetchone()
    except Exception:  # only an ordering hint: the checkpoint reports its own errors
        return 0
    return row[0] if row else 0
