"""`footprint lineage ...`: lineage and audit documents, and tracing a published value.

footprint lineage publish                  docs site, column lineage, audit record and
                                           OpenLineage events into the current published version
footprint lineage column RELATION.COLUMN [--json]
    a published column's raw feed and seed columns, and the delivery files (sha256)
    of those feeds behind the current published build (reads only the published folder)
footprint lineage deliveries INDICATOR AREA MONTH [--period-type rolling_12_months] [--json]
    the delivery files (organisation, sha256, rows) whose rows make one published value
footprint lineage undescribed              what the docs leave undescribed (exit 1 if any)
footprint lineage guide [--check]          regenerate the auditor's guide indicator section

--target DIR is dbt's target folder of the build (default target/); the warehouse and
published folder come from FOOTPRINT_WAREHOUSE and FOOTPRINT_PUBLISHED.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from footprint.paths import PROJECT_ROOT, published_dir, warehouse_path

DEFAULT_TARGET = PROJECT_ROOT / "target"


def _month(text: str) -> date:
    for pattern in ("%Y-%m", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date().replace(day=1)
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"{text!r} is not a month: write it as YYYY-MM")


def _deliveries(args: argparse.Namespace) -> int:
    from footprint.lineage.provenance import ProvenanceError, deliveries_behind

    published = args.published if (args.published / "manifest.json").exists() else None
    try:
        result = deliveries_behind(
            args.indicator,
            args.area,
            args.month,
            warehouse=args.warehouse,
            target_dir=args.target,
            period_type=args.period_type,
            published=published,
        )
    except ProvenanceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
        return 0
    value = result.value
    shown = "suppressed" if value.get("is_suppressed") else value.get("indicator_value")
    print(
        f"{result.indicator_id} for {result.area_name} ({result.area_code}), "
        f"{result.period_type} {result.period_month:%Y-%m}: value {shown}, "
        f"numerator {value.get('numerator')}, denominator {value.get('denominator')}"
    )
    first, last = result.months_counted
    print(f"model {result.indicator_model}; rows counted from {first:%Y-%m} to {last:%Y-%m}")
    if result.build_id:
        print(f"published build {result.build_id}")
    print(f"\n{len(result.contributions)} deliveries:")
    for c in result.contributions:
        flag = "" if c.in_publish_manifest in (None, True) else "  NOT IN PUBLISH MANIFEST"
        print(
            f"  {c.role:<11} {c.contributing_rows:>6} rows  {c.organisation}/{c.feed}  "
            f"{c.file_path}  sha256 {c.sha256}  (loaded {c.rows_loaded}, "
            f"quarantined {c.rows_quarantined}){flag}"
        )
    print("\nreference data (seeds):")
    for seed in result.seeds:
        print(f"  {seed.file}  sha256 {seed.sha256}")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from footprint.lineage.build import publish_lineage

    outputs = publish_lineage(args.target, args.published)
    print(f"docs site: {outputs.docs_site}")
    print(f"audit record: {outputs.audit_record}")
    print(f"column lineage: {outputs.column_lineage}")
    print(f"OpenLineage events ({outputs.events_written}): {outputs.openlineage_events}")
    return 0


def _column(args: argparse.Namespace) -> int:
    from footprint.lineage.audit import AuditError, column_deliveries, read_audit_record
    from footprint.lineage.build import current_version

    relation, _, column = args.column.rpartition(".")
    try:
        found = column_deliveries(
            read_audit_record(current_version(args.published)), relation, column
        )
    except (AuditError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(found, indent=2))
        return 0
    print(f"{args.column} in published build {found['build_id']}")
    for title, key in (("raw feed columns", "raw_columns"), ("seed columns", "seed_columns")):
        print(f"\n{title}:")
        for name in found[key] or ["none"]:
            print(f"  {name}")
    print(
        f"\n{len(found['deliveries'])} delivery files of {', '.join(found['feeds']) or 'no feed'}:"
    )
    for d in found["deliveries"]:
        print(
            f"  {d['file_path']}  sha256 {d['sha256']}  "
            f"(loaded {d['rows_loaded']}, quarantined {d['rows_quarantined']})"
        )
    return 0


def _undescribed(args: argparse.Namespace) -> int:
    from footprint.lineage.artifacts import DbtArtifacts
    from footprint.lineage.descriptions import undescribed

    missing = undescribed(DbtArtifacts(args.target))
    for item in missing:
        print(item)
    print(f"{len(missing)} undescribed", file=sys.stderr)
    return 1 if missing else 0


def _guide(args: argparse.Namespace) -> int:
    from footprint.lineage.guide import GUIDE_PATH, guide_is_current, write_guide

    if args.check:
        if guide_is_current():
            return 0
        print(f"{GUIDE_PATH} is out of date: run `footprint lineage guide`", file=sys.stderr)
        return 1
    print(f"{'updated' if write_guide() else 'unchanged'}: {GUIDE_PATH}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="footprint lineage", description=__doc__.split("\n")[0])
    top.add_argument("--target", type=Path, default=DEFAULT_TARGET, help="dbt target folder")
    commands = top.add_subparsers(dest="command", required=True)

    deliveries = commands.add_parser("deliveries", help="deliveries behind a published value")
    deliveries.add_argument("indicator", help="indicator id, e.g. ambulance_conveyance_rate")
    deliveries.add_argument("area", help="SDF code, or the borough code")
    deliveries.add_argument("month", type=_month, help="YYYY-MM")
    deliveries.add_argument(
        "--period-type", default="month", choices=["month", "rolling_12_months"]
    )
    deliveries.add_argument("--warehouse", type=Path, default=warehouse_path())
    deliveries.add_argument("--published", type=Path, default=published_dir())
    deliveries.add_argument("--json", action="store_true")
    deliveries.set_defaults(handler=_deliveries)

    publish = commands.add_parser("publish", help="all lineage documents into published/current")
    publish.add_argument("--published", type=Path, default=published_dir())
    publish.set_defaults(handler=_publish)

    column = commands.add_parser("column", help="a published column's sources and deliveries")
    column.add_argument(
        "column", help="schema.mart.column, e.g. sdf.sdf_indicator_values.numerator"
    )
    column.add_argument("--published", type=Path, default=published_dir())
    column.add_argument("--json", action="store_true")
    column.set_defaults(handler=_column)

    commands.add_parser("undescribed", help="list undescribed nodes").set_defaults(
        handler=_undescribed
    )

    guide = commands.add_parser("guide", help="regenerate the auditor's guide indicators")
    guide.add_argument("--check", action="store_true", help="fail if out of date")
    guide.set_defaults(handler=_guide)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    raise SystemExit(main())
