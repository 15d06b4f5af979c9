"""One Dagster asset per feed contract, grouped by organisation, the feeds' freshness
check and the landing sensor.
(No `from __future__ import annotations`: Dagster reads the check's `context`
annotation as a class.)"""

import json
import os
from collections.abc import Iterator
from datetime import date

import dagster as dg

from footprint.contracts import Contract, all_contracts
from footprint.ingest.deliveries import find_files
from footprint.ingest.freshness import feed_freshness
from footprint.ingest.loader import load_feed
from footprint.keys import load_key
from footprint.paths import landing_dir, warehouse_path
from orchestration.retries import retry_when_warehouse_busy


def raw_asset_key(contract: Contract) -> dg.AssetKey:
    return dg.AssetKey(["raw", contract.name])


def feed_asset(contract: Contract) -> dg.AssetsDefinition:
    """The asset that loads one feed's new deliveries into raw.<organisation>__<feed>."""

    @dg.asset(
        key=raw_asset_key(contract),
        group_name=contract.organisation,
        description=f"{contract.title}: {contract.grain} Loaded from "
        f"landing/{contract.organisation}/{contract.feed}/ "
        f"(contract: contracts/{contract.organisation}/{contract.feed}.yml).",
        kinds={"duckdb", "python"},
        tags={"organisation": contract.organisation},
        required_resource_keys={"build_lock"},  # held for the whole run (locking.py)
    )
    def load(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        with retry_when_warehouse_busy(context):
            summary = load_feed(contract, landing_dir(), warehouse_path(), load_key())
        for message in summary.messages:
            context.log.warning(message)
        return dg.MaterializeResult(
            metadata={
                "new files": summary.files_seen,
                "files loaded": summary.files_loaded,
                "files rejected": summary.files_rejected,
                "duplicate files ignored": summary.files_duplicate,
                "deliveries superseded": summary.files_superseded,
                "rows read": summary.rows_read,
                "rows loaded": summary.rows_loaded,
                "rows quarantined": summary.rows_quarantined,
                "problems": dg.MetadataValue.md(
                    "\n".join(f"- {m}" for m in summary.messages) or "none"
                ),
            }
        )

    return load


def today() -> date:
    """The date deliveries are judged against; FOOTPRINT_TODAY fixes it for replays."""
    fixed = os.environ.get("FOOTPRINT_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def freshness_checks() -> dg.AssetChecksDefinition:
    """`delivered_on_time` on every feed, in one step: warns (never blocks) when a feed
    has not delivered as often as its contract says. The results also go to the run's
    quality report."""
    contracts = {raw_asset_key(c): c for c in all_contracts()}
    specs = [
        dg.AssetCheckSpec(
            "delivered_on_time",
            asset=key,
            description=f"A delivery is expected every {c.expected_every_days} day(s).",
            blocking=False,
        )
        for key, c in contracts.items()
    ]

    @dg.multi_asset_check(name="delivered_on_time", specs=specs, can_subset=True)
    def check(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
        from footprint.quality.build_results import run_quality
        from footprint.quality.freshness import save_freshness

        judged_on = today()
        selected = [contracts[k.asset_key] for k in context.selected_asset_check_keys]
        with retry_when_warehouse_busy(context):
            results = [feed_freshness(c, warehouse_path(), judged_on) for c in selected]
        save_freshness(context.run.run_id, results, judged_on.isoformat())
        run_quality(context.run.run_id)
        for contract, result in zip(selected, results, strict=True):
            yield dg.AssetCheckResult(
                asset_key=raw_asset_key(contract),
                check_name="delivered_on_time",
                passed=result.on_time,
                severity=dg.AssetCheckSeverity.WARN,
                description=result.message,
                metadata={
                    "latest period end": str(result.latest_period_end),
                    "days late": result.days_late or 0,
                },
            )

    return check


def ingestion_assets() -> list[dg.AssetsDefinition]:
    return [feed_asset(c) for c in all_contracts()]


def organisation_jobs() -> list:
    """`ingest_<organisation>`: load one organisation's feeds alone, in one process,
    holding the build lock for the whole run as `footprint ingest` does."""
    organisations = sorted({c.organisation for c in all_contracts()})
    return [
        dg.define_asset_job(
            f"ingest_{organisation}",
            selection=dg.AssetSelection.groups(organisation),
            description=f"Load the {organisation}'s new deliveries only (refused while "
            "another build holds the warehouse).",
            executor_def=dg.in_process_executor,
        )
        for organisation in organisations
    ]


@dg.sensor(
    name="landing_sensor",
    minimum_interval_seconds=60,
    description="Starts ingestion of a feed when new or changed files appear in its folder.",
    default_status=dg.DefaultSensorStatus.STOPPED,
    target=dg.AssetSelection.groups(*sorted({c.organisation for c in all_contracts()})),
)
def landing_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    seen: dict[str, list[float]] = json.loads(context.cursor) if context.cursor else {}
    landing = landing_dir()
    changed_feeds, current = set(), {}
    for contract in all_contracts():
        for path in find_files(contract, landing):
            stat = path.stat()
            relative = path.relative_to(landing).as_posix()
            current[relative] = [stat.st_size, stat.st_mtime]
            if seen.get(relative) != current[relative]:
                changed_feeds.add(contract)
    run_requests = []
    if changed_feeds:
        keys = sorted((raw_asset_key(c) for c in changed_feeds), key=lambda k: k.to_string())
        run_requests.append(dg.RunRequest(asset_selection=keys))
    return dg.SensorResult(run_requests=run_requests, cursor=json.dumps(current, sort_keys=True))
