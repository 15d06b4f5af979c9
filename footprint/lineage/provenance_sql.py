"""Rewrite an indicator model's compiled SQL into "which fact rows made this count".

The indicator models (models/intermediate/indicators) read facts that carry the
`delivery_id` of every row, aggregate them by SDF and month in a CTE, and shape the
result in `final`. This module does not re-implement any of that: it takes the SQL dbt
compiled and, with sqlglot,

1. carries each fact's delivery_id through every CTE between the fact and the
   aggregation, as a column __delivery__<fact>;
2. turns each aggregating CTE that reads those rows into a row-level CTE: the same
   FROM, joins and WHERE, the group keys kept, the aggregates replaced by a flag per
   aggregate saying whether the row contributes to it (count(*): every row;
   count(x): x not null; sum(x): x not zero; others: x not null);
3. selects, for one SDF and one period, the contributing rows per delivery.

Which aggregate feeds the published numerator or denominator is found with
sqlglot.lineage over the same model. A HAVING clause is dropped (its rows are listed
even when the group was filtered out); a window function keeps the row the outer
filter keeps, so a measure like high-intensity use lists the attendance that placed
the person, not all five.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage

from footprint.lineage.artifacts import DbtArtifacts
from footprint.lineage.columns import select_sources

DIALECT = "duckdb"
DELIVERY_COLUMN = "delivery_id"
PROVENANCE_PREFIX = "__delivery__"
FLAG_PREFIX = "__contributes__"
ROLES = ("numerator", "denominator")


class ProvenanceSqlError(RuntimeError):
    """The indicator model does not have the shape the rewrite understands."""


@dataclass
class PeriodFilter:
    """The rows behind one value: SDF (None for the borough) and months."""

    sdf_code: str | None
    first_month: date
    last_month: date
    period_type: str


@dataclass
class Aggregation:
    cte: str
    keys: dict[str, exp.Expr]  # output alias -> group expression
    provenance: list[tuple[str, str]]  # (column, fact model name)
    roles: dict[str, list[str]] = field(default_factory=dict)  # aggregate alias -> roles


def _is_base_table(source: exp.Expr) -> bool:
    return isinstance(source, exp.Table) and bool(source.args.get("db"))


def _has_star(select: exp.Select, alias: str) -> bool:
    for expression in select.expressions:
        if isinstance(expression, exp.Star):
            return True
        if (
            isinstance(expression, exp.Column)
            and isinstance(expression.this, exp.Star)
            and expression.table.lower() == alias
        ):
            return True
    return False


def _contains_aggregate(expression: exp.Expr) -> bool:
    for aggregate in expression.find_all(exp.AggFunc):
        if not aggregate.find_ancestor(exp.Window):
            return True
    return False


def _contribution_flag(expression: exp.Expr) -> exp.Expr:
    """A row-level condition: does this row contribute to the aggregate?"""
    aggregate = next(a for a in expression.find_all(exp.AggFunc) if not a.find_ancestor(exp.Window))
    argument = aggregate.this
    if isinstance(aggregate, exp.Count) and (
        argument is None or isinstance(argument, (exp.Star, exp.Literal))
    ):
        return exp.true()
    if isinstance(aggregate, exp.Sum) and argument is not None:
        return exp.condition(f"coalesce({argument.sql(DIALECT)}, 0) <> 0", dialect=DIALECT)
    if argument is None:
        return exp.true()
    return exp.Not(this=exp.Is(this=argument.copy(), expression=exp.null()))


class IndicatorProvenance:
    """The provenance rewrite of one compiled indicator model."""

    def __init__(self, artifacts: DbtArtifacts, unique_id: str) -> None:
        self.artifacts = artifacts
        self.unique_id = unique_id
        self.sql = artifacts.compiled_sql(unique_id)
        self.tree = sqlglot.parse_one(self.sql, dialect=DIALECT)
        with_clause = self.tree.args.get("with_")
        if with_clause is None:
            raise ProvenanceSqlError(f"{unique_id}: expected CTEs (import, logic, final)")
        self.ctes: list[exp.CTE] = list(with_clause.expressions)
        self.provenance: dict[str, list[tuple[str, str]]] = {}
        self.aggregations: list[Aggregation] = []
        self._rewrite()
        self._assign_roles()

    def _delivery_fact(self, table: exp.Table) -> str | None:
        relation = self.artifacts.relation_of(table)
        if relation is None:
            return None
        return (
            relation.name if DELIVERY_COLUMN in self.artifacts.columns(relation.unique_id) else None
        )

    def _carried(self, select: exp.Select) -> list[tuple[str, str, exp.Expr | None]]:
        """(column, fact, expression to add or None when a star already carries it)."""
        carried: list[tuple[str, str, exp.Expr | None]] = []
        for source in select_sources(select):
            if not isinstance(source, exp.Table):
                continue
            alias = source.alias_or_name.lower()
            if _is_base_table(source):
                fact = self._delivery_fact(source)
                if fact:
                    column = f"{PROVENANCE_PREFIX}{fact}"
                    if any(c == column for c, _, _ in carried):
                        column = f"{column}__{alias}"
                    expression = exp.alias_(exp.column(DELIVERY_COLUMN, table=alias), column)
                    carried.append((column, fact, expression))
            else:
                for column, fact in self.provenance.get(alias, []):
                    expression = (
                        None
                        if _has_star(select, alias)
                        else exp.alias_(exp.column(column, table=alias), column)
                    )
                    carried.append((column, fact, expression))
        return carried

    def _rewrite(self) -> None:
        for cte in self.ctes:
            name = cte.alias_or_name.lower()
            body = cte.this
            if not isinstance(body, exp.Select):
                continue
            carried = self._carried(body)
            if not carried:
                continue
            if body.args.get("group"):
                self.aggregations.append(self._aggregation(cte, carried))
                continue
            if body.args.get("distinct"):
                continue
            for _, _, expression in carried:
                if expression is not None:
                    body.append("expressions", expression)
            self.provenance[name] = [(column, fact) for column, fact, _ in carried]

    def _aggregation(
        self, cte: exp.CTE, carried: list[tuple[str, str, exp.Expr | None]]
    ) -> Aggregation:
        body: exp.Select = cte.this
        keys: dict[str, exp.Expr] = {}
        expressions: list[exp.Expr] = []
        flags: list[str] = []
        for expression in body.expressions:
            alias = expression.alias_or_name.lower()
            if _contains_aggregate(expression):
                flag = f"{FLAG_PREFIX}{alias}"
                expressions.append(exp.alias_(_contribution_flag(expression), flag))
                flags.append(alias)
            else:
                keys[alias] = expression
                expressions.append(expression.copy())
        for column, _, expression in carried:
            expressions.append(expression.copy() if expression is not None else exp.column(column))
        rows = body.copy()
        rows.set("expressions", expressions)
        for clause in ("group", "having", "order", "limit", "distinct"):
            rows.set(clause, None)
        cte.set("this", rows)
        return Aggregation(
            cte=cte.alias_or_name.lower(),
            keys=keys,
            provenance=[(column, fact) for column, fact, _ in carried],
            roles={alias: [] for alias in flags},
        )

    def _assign_roles(self) -> None:
        schema = self.artifacts.sqlglot_schema()
        original = sqlglot.parse_one(self.sql, dialect=DIALECT)
        for role in ROLES:
            node = lineage(role, original, schema, dialect=DIALECT)
            names = {n.name.lower() for n in node.walk()}
            for aggregation in self.aggregations:
                for alias, roles in aggregation.roles.items():
                    if f"{aggregation.cte}.{alias}" in names:
                        roles.append(role)

    def contributions_query(self, period: PeriodFilter) -> exp.Query:
        """role, fact_model, delivery_id, contributing_rows for one SDF and period."""
        branches: list[exp.Select] = []
        for aggregation in self.aggregations:
            if "sdf_code" not in aggregation.keys or "period_month" not in aggregation.keys:
                continue
            conditions = [
                exp.column("period_month").between(
                    exp.cast(exp.Literal.string(period.first_month.isoformat()), "date"),
                    exp.cast(exp.Literal.string(period.last_month.isoformat()), "date"),
                )
            ]
            if period.sdf_code is not None:
                conditions.append(exp.column("sdf_code").eq(exp.Literal.string(period.sdf_code)))
            if "period_type" in aggregation.keys:
                conditions.append(
                    exp.column("period_type").eq(exp.Literal.string(period.period_type))
                )
            for alias, roles in aggregation.roles.items():
                for role in roles:
                    for column, fact in aggregation.provenance:
                        branch = (
                            exp.select(
                                exp.alias_(exp.Literal.string(role), "role"),
                                exp.alias_(exp.Literal.string(fact), "fact_model"),
                                exp.alias_(exp.column(column), "delivery_id"),
                                exp.alias_(exp.func("count", exp.Star()), "contributing_rows"),
                            )
                            .from_(aggregation.cte)
                            .where(exp.and_(*conditions, exp.column(f"{FLAG_PREFIX}{alias}")))
                            .group_by("role", "fact_model", "delivery_id")
                        )
                        branches.append(branch)
        if not branches:
            raise ProvenanceSqlError(
                f"{self.unique_id}: no aggregation by sdf_code and period_month reads a "
                "fact with delivery_id"
            )
        union: exp.Query = branches[0]
        for branch in branches[1:]:
            union = exp.union(union, branch, distinct=False)
        query = exp.select("*").from_(union.subquery("contributions"))
        for cte in self.ctes:
            query = query.with_(cte.alias_or_name, as_=cte.this.copy())
        return query
