"""Column-level lineage from dbt's compiled SQL, with sqlglot.

For every model, sqlglot.lineage is run over the SQL dbt compiled (with a schema made
from catalog.json, so `select *` expands to the real columns); each output column gets
the upstream relation columns it is computed from. Walking those edges from a published
column down to the sources gives the models it flows through and the raw feed columns
(raw.<organisation>__<feed>.<column>) and seed columns it comes from.

A value computed from no column at all (`count(*)`) depends on the rows of the relations
it counts; that is recorded as the pseudo-column ROWS ("*") of the relations in the
query's FROM and inner joins, followed down the same way. Columns used only in filters
and join conditions are not value lineage and are not listed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.lineage import Node, lineage

from footprint.lineage.artifacts import DbtArtifacts

ROWS = "*"
DIALECT = "duckdb"


@dataclass(frozen=True, order=True)
class ColumnRef:
    """One column of one dbt relation (ROWS for the relation's rows)."""

    unique_id: str
    column: str


@dataclass
class ColumnTrace:
    """Everything upstream of one column."""

    target: ColumnRef
    edges: set[tuple[ColumnRef, ColumnRef]] = field(default_factory=set)  # (upstream, downstream)

    @property
    def upstream(self) -> set[ColumnRef]:
        return {up for up, _ in self.edges}

    def leaves(self) -> set[ColumnRef]:
        downstream = {down for _, down in self.edges}
        return {ref for ref in self.upstream if ref not in downstream}


class LineageError(RuntimeError):
    """sqlglot could not follow a model's SQL."""


def _cte_bodies(query: exp.Expr) -> dict[str, exp.Expr]:
    return {cte.alias_or_name.lower(): cte.this for cte in query.find_all(exp.CTE)}


def select_sources(select: exp.Select, inner_only: bool = False) -> list[exp.Expr]:
    """What a SELECT reads: its FROM and joined relations (inner and cross joins only,
    when inner_only: an outer join adds columns, not rows)."""
    found = [select.args["from_"].this] if select.args.get("from_") else []
    for join in select.args.get("joins") or []:
        if inner_only and (join.side or "").upper() in {"LEFT", "RIGHT", "FULL"}:
            continue
        found.append(join.this)
    return found


def _row_tables(select: exp.Expr, ctes: dict[str, exp.Expr], seen: set[str]) -> set[exp.Table]:
    """Base tables whose rows make the rows of `select`: FROM and inner/cross joins,
    through CTEs and set operations (left joins add columns, not rows)."""
    if isinstance(select, exp.SetOperation):
        return _row_tables(select.left, ctes, seen) | _row_tables(select.right, ctes, seen)
    if isinstance(select, exp.Subquery):
        return _row_tables(select.this, ctes, seen)
    if not isinstance(select, exp.Select):
        return set()
    tables: set[exp.Table] = set()
    for source in select_sources(select, inner_only=True):
        if isinstance(source, exp.Table):
            name = source.name.lower()
            if not source.args.get("db") and name in ctes and name not in seen:
                tables |= _row_tables(ctes[name], ctes, seen | {name})
            elif not source.args.get("db") and name in ctes:
                continue
            else:
                tables.add(source)
        elif isinstance(source, exp.Subquery):
            tables |= _row_tables(source.this, ctes, seen)
    return tables


class ColumnLineage:
    """Edges between relation columns for the whole dbt project, computed lazily."""

    def __init__(self, artifacts: DbtArtifacts) -> None:
        self.artifacts = artifacts
        self._direct: dict[str, dict[str, set[ColumnRef]]] = {}

    @cached_property
    def schema(self) -> dict[str, dict[str, dict[str, dict[str, str]]]]:
        return self.artifacts.sqlglot_schema()

    def direct(self, unique_id: str) -> dict[str, set[ColumnRef]]:
        """For a model: each output column -> the upstream columns it is computed from."""
        if unique_id not in self._direct:
            self._direct[unique_id] = self._compute_direct(unique_id)
        return self._direct[unique_id]

    def _compute_direct(self, unique_id: str) -> dict[str, set[ColumnRef]]:
        relation = self.artifacts.relations[unique_id]
        if relation.resource_type != "model":
            return {}
        sql = self.artifacts.compiled_sql(unique_id)
        try:
            parsed = sqlglot.parse_one(sql, dialect=DIALECT)
            # untrimmed: trimming copies the whole query once per output column (most of
            # the time taken), and only the FROM and joins of a node's source are read here
            nodes: dict[str, Node] = lineage(
                None, parsed, self.schema, dialect=DIALECT, trim_selects=False
            )
        except SqlglotError as error:
            raise LineageError(f"sqlglot could not follow {unique_id}: {error}") from error
        ctes = _cte_bodies(parsed)
        result: dict[str, set[ColumnRef]] = {}
        for column, root in nodes.items():
            result[column.lower()] = self._leaf_refs(root, ctes)
        rows = self._rows_behind(parsed, ctes)
        result[ROWS] = rows
        return result

    def _rows_behind(self, select: exp.Expr, ctes: dict[str, exp.Expr]) -> set[ColumnRef]:
        refs = set()
        for table in _row_tables(select, ctes, set()):
            upstream = self.artifacts.relation_of(table)
            if upstream is not None:
                refs.add(ColumnRef(upstream.unique_id, ROWS))
        return refs

    def _leaf_refs(self, root: Node, ctes: dict[str, exp.Expr]) -> set[ColumnRef]:
        refs: set[ColumnRef] = set()
        for node in root.walk():
            if node.downstream:
                continue
            if isinstance(node.source, exp.Table):
                upstream = self.artifacts.relation_of(node.source)
                if upstream is not None:
                    refs.add(ColumnRef(upstream.unique_id, node.name.split(".")[-1].lower()))
            elif isinstance(node.expression, exp.Expr) and _counts_rows(node.expression):
                refs |= self._rows_behind(node.source, ctes)
        return refs

    def trace(self, target: ColumnRef) -> ColumnTrace:
        """Every edge upstream of a column, down to sources and seeds."""
        trace = ColumnTrace(target)
        pending = [target]
        visited: set[ColumnRef] = set()
        while pending:
            current = pending.pop()
            if current in visited:
                continue
            visited.add(current)
            for upstream in self.direct(current.unique_id).get(current.column, set()):
                trace.edges.add((upstream, current))
                pending.append(upstream)
        return trace


def _counts_rows(expression: exp.Expr) -> bool:
    """An expression computed from rows rather than columns (count(*), count(1))."""
    has_columns = any(True for _ in expression.find_all(exp.Column))
    return not has_columns and any(True for _ in expression.find_all(exp.AggFunc))


def layers(artifacts: DbtArtifacts, trace: ColumnTrace) -> list[list[dict[str, Any]]]:
    """The relations on a column's lineage, in layers from the sources to the column's
    own model: raw feeds and seeds (nothing upstream) first, every model one layer
    before the furthest of the models it feeds. Each relation is {"unique_id",
    "relation", "schema", "name", "kind", "columns" (those on the path)}."""
    target = trace.target.unique_id
    feeds: dict[str, set[str]] = defaultdict(set)
    on_path: dict[str, set[str]] = defaultdict(set, {target: {trace.target.column}})
    for up, down in trace.edges:
        on_path[up.unique_id].add(up.column)
        on_path[down.unique_id].add(down.column)
        feeds[up.unique_id].add(down.unique_id)
    distance: dict[str, int] = {target: 0}

    def distance_of(unique_id: str) -> int:
        if unique_id not in distance:
            distance[unique_id] = 1 + max(distance_of(d) for d in feeds[unique_id])
        return distance[unique_id]

    starts = {u for u in on_path if artifacts.relations[u].resource_type in {"source", "seed"}}
    first = 1 + max(distance_of(u) for u in on_path if u not in starts)
    by_distance: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for unique_id in on_path:
        relation = artifacts.relations[unique_id]
        by_distance[first if unique_id in starts else distance_of(unique_id)].append(
            {
                "unique_id": unique_id,
                "relation": relation.relation,
                "schema": relation.schema,
                "name": relation.name,
                "kind": relation.resource_type,
                "columns": sorted(on_path[unique_id]),
            }
        )
    return [
        sorted(by_distance[d], key=lambda r: r["relation"])
        for d in sorted(by_distance, reverse=True)
    ]
