"""The provenance rewrite counts exactly the rows the indicator model counted, per delivery.

A small project in dbt's artifact shape: a fact with delivery_id, a seed of SDFs and an
indicator model with the real models' shape (import CTE, a window function, an
aggregation, a scaffold left-joined in `final`).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from footprint.lineage.artifacts import DbtArtifacts
from footprint.lineage.columns import ROWS, ColumnLineage, ColumnRef
from footprint.lineage.provenance_sql import IndicatorProvenance, PeriodFilter

INDICATOR_SQL = """
with events as (
    select * from "wh"."core"."fct_events" where event_id is not null
),
scaffold as (
    select sdfs.sdf_code, months.period_month
    from "wh"."reference"."sdfs" as sdfs
    cross join (select date '2025-01-01' as period_month
                union all select date '2025-02-01') as months
),
latest as (
    select events.sdf_code, events.event_month, events.is_hit,
        row_number() over (partition by events.event_id order by events.version desc) as recency
    from events
),
monthly as (
    select sdf_code, event_month as period_month,
        sum(case when is_hit then 1 else 0 end) as hits, count(*) as events
    from latest where recency = 1
    group by sdf_code, event_month
),
final as (
    select 'demo' as indicator_id, scaffold.sdf_code, 'month' as period_type,
        scaffold.period_month, cast(null as varchar) as age_band,
        coalesce(monthly.hits, 0) as numerator, coalesce(monthly.events, 0) as denominator
    from scaffold
    left join monthly
        on scaffold.sdf_code = monthly.sdf_code and scaffold.period_month = monthly.period_month
)
select * from final
"""

EVENTS = [  # event_id, version, sdf_code, event_month, is_hit, delivery_id
    (1, 1, "S1", date(2025, 1, 1), True, "d1"),
    (2, 1, "S1", date(2025, 1, 1), False, "d1"),
    (3, 1, "S1", date(2025, 1, 1), True, "d2"),
    (3, 2, "S1", date(2025, 1, 1), True, "d3"),  # a later version: only this one counts
    (4, 1, "S2", date(2025, 1, 1), True, "d2"),
    (5, 1, "S1", date(2025, 2, 1), True, "d4"),
]


def _node(kind: str, name: str, schema: str, columns: list[str], **extra: object) -> dict:
    return {
        "unique_id": f"{kind}.demo.{name}",
        "resource_type": kind,
        "name": name,
        "alias": name,
        "database": "wh",
        "schema": schema,
        "package_name": "demo",
        "original_file_path": f"{name}.sql",
        "tags": [],
        "config": {"tags": []},
        "columns": {c: {"name": c, "description": c} for c in columns},
        **extra,
    }


@pytest.fixture
def project(tmp_path: Path) -> tuple[DbtArtifacts, Path]:
    nodes = [
        _node(
            "model",
            "fct_events",
            "core",
            ["event_id", "version", "sdf_code", "event_month", "is_hit", "delivery_id"],
            compiled_code='select * from "wh"."raw"."events"',
        ),
        _node("seed", "sdfs", "reference", ["sdf_code"]),
        _node(
            "model",
            "int_indicator__demo",
            "intermediate",
            [
                "indicator_id",
                "sdf_code",
                "period_type",
                "period_month",
                "age_band",
                "numerator",
                "denominator",
            ],
            compiled_code=INDICATOR_SQL,
        ),
    ]
    target = tmp_path / "target"
    target.mkdir()
    manifest = {
        "metadata": {"project_name": "demo"},
        "nodes": {n["unique_id"]: n for n in nodes},
        "sources": {},
    }
    (target / "manifest.json").write_text(json.dumps(manifest))
    database = tmp_path / "wh.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema core; create schema reference")
        connection.execute(
            "create table core.fct_events (event_id int, version int, sdf_code varchar, "
            "event_month date, is_hit boolean, delivery_id varchar)"
        )
        connection.executemany("insert into core.fct_events values (?, ?, ?, ?, ?, ?)", EVENTS)
        connection.execute(
            "create table reference.sdfs as select * from (values ('S1'), ('S2')) t(sdf_code)"
        )
    return DbtArtifacts(target), database


def _contributions(artifacts: DbtArtifacts, database: Path, period: PeriodFilter) -> dict:
    rewrite = IndicatorProvenance(artifacts, "model.demo.int_indicator__demo")
    query = rewrite.contributions_query(period).sql("duckdb")
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(query).fetchall()
    return {(role, delivery): count for role, _, delivery, count in rows}


def test_roles_are_found_by_lineage(project):
    artifacts, _ = project
    rewrite = IndicatorProvenance(artifacts, "model.demo.int_indicator__demo")
    (aggregation,) = rewrite.aggregations
    assert aggregation.roles == {"hits": ["numerator"], "events": ["denominator"]}
    assert aggregation.provenance == [("__delivery__fct_events", "fct_events")]


def test_rows_per_delivery_add_up_to_the_model_values(project):
    artifacts, database = project
    january = PeriodFilter("S1", date(2025, 1, 1), date(2025, 1, 1), "month")
    assert _contributions(artifacts, database, january) == {
        ("numerator", "d1"): 1,  # event 1 (event 2 is not a hit)
        ("numerator", "d3"): 1,  # event 3, version 2: the superseded version in d2 is not counted
        ("denominator", "d1"): 2,
        ("denominator", "d3"): 1,
    }
    with duckdb.connect(str(database), read_only=True) as connection:
        numerator, denominator = connection.execute(
            f"select numerator, denominator from ({INDICATOR_SQL}) "
            "where sdf_code = 'S1' and period_month = date '2025-01-01'"
        ).fetchone()
    assert (numerator, denominator) == (2, 3)


def test_the_borough_and_a_window_of_months(project):
    artifacts, database = project
    borough = PeriodFilter(None, date(2025, 1, 1), date(2025, 2, 1), "rolling_12_months")
    found = _contributions(artifacts, database, borough)
    assert sum(n for (role, _), n in found.items() if role == "numerator") == 4
    assert {d for _, d in found} == {"d1", "d2", "d3", "d4"}


def test_column_lineage_follows_count_star_to_the_rows(project):
    artifacts, _ = project
    lineage = ColumnLineage(artifacts)
    numerator = lineage.trace(ColumnRef("model.demo.int_indicator__demo", "numerator"))
    denominator = lineage.trace(ColumnRef("model.demo.int_indicator__demo", "denominator"))
    assert ColumnRef("model.demo.fct_events", "is_hit") in numerator.upstream
    assert ColumnRef("model.demo.fct_events", ROWS) in denominator.upstream
