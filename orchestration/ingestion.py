"""One Dagster asset per feed contract, grouped by organisation, and the landing sensor."""

import json
import os
from datetime import date

import dagster as dg

from footprint.contracts import Contract, all_contracts
from footprint.ingest.deliveries import find_files
from footprint.ingest.freshness import feed_freshness
from footprint.ingest.loader import load_feed
from footprint.keys import load_key
from footprint.paths import landing_dir, warehouse_path

# A DuckDB file held by another process (a reader tool, a second build) is the usual
# transient failure: wait and try again rather than fail the night.
INGEST_RETRY = dg.RetryPolicy(max_retries=3, delay=30, backoff=dg.Backoff.EXPONENTIAL)


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
        retry_policy=INGEST_RETRY,
        required_resource_keys={"build_lock"},  # held for the whole run (locking.py)
    )
    def load(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
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


def freshness_check(contract: Contract) -> dg.AssetChecksDefinition:
    """Warns (never blocks) when a feed has not delivered as often as its contract says."""

    @dg.asset_check(
        asset=raw_asset_key(contract),
        name="delivered_on_time",
        description=f"A delivery is expected every {contract.expected_every_days} day(s).",
        blocking=False,
    )
    def check() -> dg.AssetCheckResult:
        result = feed_freshness(contract, warehouse_path(), today())
        return dg.AssetCheckResult(
            passed=result.on_time,
            severity=dg.AssetCheckSeverity.WARN,
            description=result.message,
            metadata={
                "latest period end": str(result.latest_period_end),
                "days late": result.days_late or 0,
            },
        )

    return check


def freshness_checks() -> list[dg.AssetChecksDefinition]:
    return [freshness_check(c) for c in all_contracts()]


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
