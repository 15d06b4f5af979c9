"""Which deliveries contributed to an SDF's value of an indicator for a month.

    deliveries_behind("ae_attendances_75_plus", "E38...", date(2025, 4, 1), ...)

walks from the published value (sdf.sdf_indicator_values) to the indicator model that
counted it, from there to the fact rows it counted (facts carry the delivery_id of the
staging row, which is the raw row's _delivery_id), and from the delivery ids to the
load manifest: file, organisation, feed, sha256, rows loaded and quarantined. The
reference data (seeds) behind the model are listed with the checksum dbt recorded.

It reads the build warehouse (person-level rows never leave it) and dbt's artifacts of
the build; given the published folder, it also says whether each delivery is in that
build's publish manifest, by file and sha256.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from footprint import sql
from footprint.lineage.artifacts import ArtifactsError, DbtArtifacts
from footprint.lineage.provenance_sql import DIALECT, IndicatorProvenance, PeriodFilter

SQL_DIR = Path(__file__).parent / "sql"
INDICATOR_MODEL_PREFIX = "int_indicator__"
VALUES_MODEL = "sdf_indicator_values"
CATALOGUE_SEED = "indicator_catalogue"
LOAD_MANIFEST_SOURCE = "source.footprint.raw_ingest.load_manifest"
ROLLING_FROM_MODEL = "from_model"
ROLLING_MONTHS = 12


class ProvenanceError(RuntimeError):
    """The value asked about does not exist or cannot be traced; says what to do."""


@dataclass
class Contribution:
    role: str  # numerator | denominator
    fact_model: str
    delivery_id: str
    contributing_rows: int
    organisation: str | None = None
    feed: str | None = None
    file_path: str | None = None
    period: str | None = None
    sha256: str | None = None
    rows_loaded: int | None = None
    rows_quarantined: int | None = None
    status: str | None = None
    in_publish_manifest: bool | None = None


@dataclass
class SeedInput:
    seed: str
    file: str
    sha256: str


@dataclass
class ValueProvenance:
    indicator_id: str
    area_code: str
    area_type: str
    area_name: str
    period_type: str
    period_month: date
    months_counted: tuple[date, date]
    indicator_model: str
    value: dict[str, Any]
    contributions: list[Contribution] = field(default_factory=list)
    seeds: list[SeedInput] = field(default_factory=list)
    build_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(asdict(self), default=str))


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def upstream_seeds(artifacts: DbtArtifacts, unique_id: str) -> list[SeedInput]:
    """Seeds anywhere upstream of a model, with the sha256 dbt recorded for each file."""
    seen: set[str] = set()
    pending = [unique_id]
    seeds: list[SeedInput] = []
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        node = artifacts.node(current)
        if node["resource_type"] == "seed":
            checksum = node.get("checksum", {})
            seeds.append(
                SeedInput(node["name"], node["original_file_path"], checksum.get("checksum", ""))
            )
            continue
        pending += [
            d for d in node.get("depends_on", {}).get("nodes", []) if d in artifacts.relations
        ]
    return sorted(seeds, key=lambda s: s.seed)


def _connect(warehouse: Path, database: str) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():
        raise ProvenanceError(f"the build warehouse {warehouse} does not exist")
    connection = duckdb.connect()
    script = sql.render(SQL_DIR, "attach_warehouse.sql.j2", database=database)
    sql.run_script(connection, script, {"warehouse": str(warehouse)})
    return connection


def _published_deliveries(published: Path | None) -> tuple[str | None, set[tuple[str, str]] | None]:
    if published is None:
        return None, None
    manifest_path = published / "manifest.json"
    if not manifest_path.exists():
        raise ProvenanceError(f"{manifest_path} does not exist: nothing has been published there")
    manifest = json.loads(manifest_path.read_text())
    pairs = {(d["file_path"], d["sha256"]) for d in manifest.get("deliveries", [])}
    return manifest.get("build_id"), pairs


def deliveries_behind(
    indicator_id: str,
    area_code: str,
    period_month: date,
    *,
    warehouse: Path,
    target_dir: Path,
    period_type: str = "month",
    published: Path | None = None,
) -> ValueProvenance:
    """The deliveries (with sha256) whose rows make one published indicator value."""
    artifacts = DbtArtifacts(target_dir)
    try:
        model = artifacts.model_named(f"{INDICATOR_MODEL_PREFIX}{indicator_id}")
        values = artifacts.model_named(VALUES_MODEL)
    except ArtifactsError as error:
        known = sorted(
            r.name.removeprefix(INDICATOR_MODEL_PREFIX)
            for r in artifacts.relations.values()
            if r.name.startswith(INDICATOR_MODEL_PREFIX)
        )
        raise ProvenanceError(f"{error}; indicators with a model: {', '.join(known)}") from error
    catalogue = next(
        (
            r
            for r in artifacts.relations.values()
            if r.resource_type == "seed" and r.name == CATALOGUE_SEED
        ),
        None,
    )
    month = period_month.replace(day=1)
    connection = _connect(warehouse, model.database)
    try:
        value_row = connection.execute(
            sql.render(SQL_DIR, "published_value.sql.j2", relation=values.relation),
            {
                "indicator_id": indicator_id,
                "area_code": area_code,
                "period_type": period_type,
                "period_month": month,
            },
        ).fetchone()
        if value_row is None:
            raise ProvenanceError(
                f"{values.relation} has no value of {indicator_id} for {area_code}, "
                f"{period_type} {month:%Y-%m}: check the area code (an SDF code or the "
                "borough code), the month and the period type (month or rolling_12_months)"
            )
        columns = [d[0] for d in connection.description]
        value = dict(zip(columns, value_row, strict=True))
        rolling = None
        if catalogue is not None:
            found = connection.execute(
                sql.render(SQL_DIR, "indicator_rolling.sql.j2", relation=catalogue.relation),
                {"indicator_id": indicator_id},
            ).fetchone()
            rolling = found[0] if found else None
        first = month
        if period_type != "month" and rolling != ROLLING_FROM_MODEL:
            first = add_months(month, -(ROLLING_MONTHS - 1))
        sdf_code = None if value["area_type"] == "borough" else area_code
        rewrite = IndicatorProvenance(artifacts, model.unique_id)
        query = rewrite.contributions_query(PeriodFilter(sdf_code, first, month, period_type))
        contributions = [
            Contribution(role, fact, delivery_id, rows)
            for role, fact, delivery_id, rows in connection.execute(query.sql(DIALECT)).fetchall()
        ]
        details = _delivery_details(
            connection, artifacts.relations[LOAD_MANIFEST_SOURCE].relation, contributions
        )
    finally:
        connection.close()
    build_id, published_pairs = _published_deliveries(published)
    for contribution in contributions:
        for name, detail in details.get(contribution.delivery_id, {}).items():
            setattr(contribution, name, detail)
        if published_pairs is not None:
            contribution.in_publish_manifest = (
                contribution.file_path,
                contribution.sha256,
            ) in published_pairs
    contributions.sort(
        key=lambda c: (
            c.role,
            c.fact_model,
            c.organisation or "",
            c.feed or "",
            c.period or "",
            c.file_path or "",
        )
    )
    return ValueProvenance(
        indicator_id=indicator_id,
        area_code=area_code,
        area_type=str(value.pop("area_type")),
        area_name=str(value.pop("area_name")),
        period_type=period_type,
        period_month=month,
        months_counted=(first, month),
        indicator_model=model.name,
        value=value,
        contributions=contributions,
        seeds=upstream_seeds(artifacts, model.unique_id),
        build_id=build_id,
    )


def _delivery_details(
    connection: duckdb.DuckDBPyConnection, relation: str, contributions: list[Contribution]
) -> dict[str, dict[str, Any]]:
    ids = sorted({c.delivery_id for c in contributions})
    if not ids:
        return {}
    cursor = connection.execute(
        sql.render(SQL_DIR, "deliveries.sql.j2", relation=relation), {"delivery_ids": ids}
    )
    names = [d[0] for d in cursor.description]
    details = {}
    for row in cursor.fetchall():
        record = dict(zip(names, row, strict=True))
        details[record.pop("delivery_id")] = record
    return details
