"""From what was published back to what was delivered, on a real build (conftest.build).

Every expectation is checked against the files themselves: the delivery files on disk
(hashed here), the warehouse the build made, the published file and its manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from datetime import date
from pathlib import Path

import duckdb

from footprint.contracts import all_contracts
from footprint.lineage.audit import column_deliveries, read_audit_record
from footprint.lineage.provenance import deliveries_behind

VALUES = "sdf.sdf_indicator_values"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _delivered_files(landing: Path, feeds: list[str]) -> dict[str, str]:
    """<organisation>/<feed>/<file> -> sha256 of every file delivered into those feeds."""
    return {
        path.relative_to(landing).as_posix(): _sha256(path)
        for feed in feeds
        for path in (landing / feed).rglob("*")
        if path.is_file()
    }


def test_a_published_column_walks_to_raw_columns_and_the_delivery_files(build):
    record = read_audit_record(build.version)
    found = column_deliveries(record, VALUES, "numerator")

    assert (
        found["build_id"] == json.loads((build.published / "manifest.json").read_text())["build_id"]
    )
    # the value is counted from the feeds' rows and computed from their columns
    for raw in (
        "raw.trust__delayed_discharges.medically_fit_date",
        "raw.trust__delayed_discharges.discharge_date",
        "raw.council__reablement.outcome_91_day",
        "raw.ambulance__incidents.outcome",
        "raw.trust__ae_attendances.*",
    ):
        assert raw in found["raw_columns"], raw
    assert "trust/delayed_discharges" in found["feeds"]
    # shown or withheld by the denominator too (a rate over 1-7 people hides its count)
    assert "ccg/gp_registrations" in found["feeds"]

    # the deliveries are exactly the files delivered into those feeds, with their sha256
    delivered = _delivered_files(build.landing, found["feeds"])
    listed = {d["file_path"]: d["sha256"] for d in found["deliveries"]}
    assert listed == delivered
    assert all(d["rows_loaded"] > 0 for d in found["deliveries"])


def test_the_column_lineage_steps_lead_from_the_mart_to_the_raw_column(build):
    lineage = json.loads((build.version / "audit" / "column_lineage.json").read_text())
    (column,) = [
        c for c in lineage["columns"] if (c["relation"], c["column"]) == (VALUES, "numerator")
    ]
    upstream: dict[str, set[str]] = {}
    for up, down in column["edges"]:
        upstream.setdefault(down, set()).add(up)
    path = {f"{VALUES}.numerator": None}
    pending = deque([f"{VALUES}.numerator"])
    while pending:
        current = pending.popleft()
        for up in upstream.get(current, ()):
            if up not in path:
                path[up] = current
                pending.append(up)
    raw = "raw.trust__delayed_discharges.medically_fit_date"
    assert raw in path
    steps, step = [], raw
    while step is not None:
        steps.append(step.rsplit(".", 1)[0])
        step = path[step]
    relations = [s.split(".", 1)[1] for s in steps]
    assert relations[0] == "trust__delayed_discharges"
    assert relations[1] == "stg_trust__delayed_discharges"
    assert "int_indicator__delayed_discharge_days_per_100k_adults" in relations
    assert relations[-1] == "sdf_indicator_values"
    assert {"stg_trust__delayed_discharges", "sdf_indicator_values"} <= set(column["models"])


def test_one_published_value_walks_to_the_rows_of_each_delivery(build):
    with duckdb.connect(str(build.published / "footprint.duckdb"), read_only=True) as published:
        borough, month = published.execute(
            "select area_code, max(period_month) from sdf.sdf_indicator_values "
            "where area_type = 'borough' and indicator_id = 'ambulance_conveyance_rate' "
            "and period_type = 'month' group by area_code"
        ).fetchone()
    result = deliveries_behind(
        "ambulance_conveyance_rate",
        borough,
        month,
        warehouse=build.warehouse,
        target_dir=build.target,
        published=build.published,
    )
    with duckdb.connect(str(build.warehouse), read_only=True) as warehouse:
        numerator, denominator = warehouse.execute(
            "select sum(numerator), sum(denominator) "
            "from intermediate.int_indicator__ambulance_conveyance_rate "
            "where period_type = 'month' and period_month = ?",
            [month],
        ).fetchone()
    counted = {
        role: sum(c.contributing_rows for c in result.contributions if c.role == role)
        for role in ("numerator", "denominator")
    }
    assert counted == {"numerator": numerator, "denominator": denominator}
    assert numerator > 0
    delivered = _delivered_files(build.landing, ["ambulance/incidents"])
    for contribution in result.contributions:
        assert contribution.period.startswith(f"{month:%Y-%m}"), contribution
        assert delivered[contribution.file_path] == contribution.sha256
        assert contribution.in_publish_manifest is True
    assert {s.seed for s in result.seeds} >= {"sdfs", "lsoas"}
    assert result.build_id == read_audit_record(build.version)["build_id"]
    assert result.period_month == date(month.year, month.month, 1)


def test_the_audit_record_names_the_build_its_files_checks_and_marts(build):
    record = read_audit_record(build.version)
    manifest = json.loads((build.version / "manifest.json").read_text())
    assert record["build_id"] == manifest["build_id"]
    assert record["code_version"] == manifest["code_version"]
    feeds = [f"{c.organisation}/{c.feed}" for c in all_contracts()]
    delivered = _delivered_files(build.landing, feeds)
    assert {d["file_path"]: d["sha256"] for d in record["deliveries"]} == delivered
    assert record["database_sha256"] == _sha256(build.version / "footprint.duckdb")
    for mart in record["marts"]:
        assert mart["parquet_sha256"] == _sha256(build.version / mart["parquet"])
    results = record["dbt_results"]
    assert results["command"] == "build"
    assert results["results"]["test"].get("pass", 0) > 100
    assert results["results"]["model"] == {"success": results["results"]["model"]["success"]}
    html = (build.version / "audit" / "audit_record.html").read_text()
    assert record["build_id"] in html
    assert record["deliveries"][0]["sha256"] in html


def test_the_column_command_prints_the_walk(build):
    out = build.footprint("lineage", "column", f"{VALUES}.denominator")
    assert "raw.ccg__gp_registrations" in out
    some_file = next((build.landing / "ccg" / "gp_registrations").iterdir())
    assert f"{some_file.relative_to(build.landing).as_posix()}  sha256 {_sha256(some_file)}" in out


def test_openlineage_events_describe_the_build(build):
    lines = (build.version / "audit" / "openlineage_events.jsonl").read_text().splitlines()
    events = [json.loads(line) for line in lines]
    assert events[0]["eventType"] == "START"
    assert events[-1]["eventType"] == "COMPLETE"
    assert events[0]["run"]["runId"] == events[-1]["run"]["runId"]
    outputs = {
        output["name"].rsplit(".", 2)[-2] + "." + output["name"].rsplit(".", 1)[-1]: event
        for event in events
        for output in event.get("outputs", [])
    }
    event = outputs[VALUES]
    (output,) = event["outputs"]
    fields = {f["name"] for f in output["facets"]["schema"]["fields"]}
    assert {"numerator", "denominator", "indicator_value"} <= fields
    assert event["run"]["facets"]["parent"]["run"]["runId"] == events[0]["run"]["runId"]
    source_inputs = {
        i["name"] for e in events for i in e.get("inputs", []) if "raw.trust__" in i["name"]
    }
    assert any(name.endswith("raw.trust__ae_attendances") for name in source_inputs)
