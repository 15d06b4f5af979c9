"""dbt's artifacts (manifest.json, catalog.json, compiled SQL), read once.

Lineage is worked out from what dbt wrote after a build, never from the model files:
the compiled SQL is what ran, and the manifest and catalog know every relation's columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlglot import exp

PUBLISHED_TAG = "published"
RUN_RESULTS = "run_results.json"
BUILD_COMMANDS = frozenset({"build", "run"})


class ArtifactsError(RuntimeError):
    """dbt's artifacts are missing or do not describe the node asked for."""


def build_run_results(target_dir: Path) -> dict[str, Any]:
    """run_results.json of the `dbt build` (or `dbt run`) that wrote target_dir."""
    path = Path(target_dir) / RUN_RESULTS
    results = json.loads(path.read_text()) if path.exists() else {}
    command = results.get("args", {}).get("which")
    if command not in BUILD_COMMANDS:
        raise ArtifactsError(
            f"{path} is not the result of a dbt build ({command or 'no such file'}): "
            "run `dbt build` with this --target-path first"
        )
    return results


@dataclass(frozen=True)
class Relation:
    """A dbt node that is a table or view in the warehouse."""

    unique_id: str
    resource_type: str  # model | seed | source | snapshot
    name: str
    database: str
    schema: str
    identifier: str
    tags: tuple[str, ...]

    @property
    def relation(self) -> str:
        """schema.identifier, as readers and the publish manifest name it."""
        return f"{self.schema}.{self.identifier}"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.database.lower(), self.schema.lower(), self.identifier.lower())


class DbtArtifacts:
    """The manifest (and, when present, the catalog) of one dbt target folder."""

    def __init__(self, target_dir: Path) -> None:
        self.target_dir = Path(target_dir)
        manifest_path = self.target_dir / "manifest.json"
        if not manifest_path.exists():
            raise ArtifactsError(
                f"{manifest_path} does not exist: run `dbt build` (or `dbt compile`) "
                "with this --target-path first"
            )
        self.manifest: dict[str, Any] = json.loads(manifest_path.read_text())
        catalog_path = self.target_dir / "catalog.json"
        self.catalog: dict[str, Any] | None = (
            json.loads(catalog_path.read_text()) if catalog_path.exists() else None
        )
        root = self.manifest.get("metadata", {}).get("project_name")
        self.project_name: str = root or "footprint"

    @cached_property
    def relations(self) -> dict[str, Relation]:
        """Every model, seed, snapshot and source, by unique id."""
        found: dict[str, Relation] = {}
        for node in [*self.manifest["nodes"].values(), *self.manifest["sources"].values()]:
            if node["resource_type"] not in {"model", "seed", "snapshot", "source"}:
                continue
            identifier = node.get("identifier") or node.get("alias") or node["name"]
            found[node["unique_id"]] = Relation(
                unique_id=node["unique_id"],
                resource_type=node["resource_type"],
                name=node["name"],
                database=node.get("database") or "",
                schema=node["schema"],
                identifier=identifier,
                tags=tuple(node.get("tags") or node.get("config", {}).get("tags") or ()),
            )
        return found

    @cached_property
    def by_key(self) -> dict[tuple[str, str, str], Relation]:
        return {r.key: r for r in self.relations.values()}

    def relation_of(self, table: exp.Table) -> Relation | None:
        """The dbt relation a fully qualified table in compiled SQL names, if any."""
        return self.by_key.get((table.catalog.lower(), table.db.lower(), table.name.lower()))

    def node(self, unique_id: str) -> dict[str, Any]:
        if unique_id in self.manifest["nodes"]:
            return self.manifest["nodes"][unique_id]
        if unique_id in self.manifest["sources"]:
            return self.manifest["sources"][unique_id]
        raise ArtifactsError(f"{unique_id} is not in {self.target_dir / 'manifest.json'}")

    def published_models(self) -> list[Relation]:
        """Models tagged `published`, in relation order (as the publisher copies them)."""
        models = [
            r
            for r in self.relations.values()
            if r.resource_type == "model" and PUBLISHED_TAG in r.tags
        ]
        if not models:
            raise ArtifactsError(f"no model is tagged {PUBLISHED_TAG!r} in the manifest")
        return sorted(models, key=lambda r: r.relation)

    def model_named(self, name: str) -> Relation:
        for relation in self.relations.values():
            if relation.resource_type == "model" and relation.name == name:
                return relation
        raise ArtifactsError(f"there is no model named {name!r} in the manifest")

    def columns(self, unique_id: str) -> dict[str, str]:
        """Column name -> data type, from the catalog (what was built) else the YAML."""
        if self.catalog is not None:
            section = "sources" if unique_id.startswith("source.") else "nodes"
            entry = self.catalog.get(section, {}).get(unique_id)
            if entry:
                ordered = sorted(entry["columns"].values(), key=lambda c: c.get("index", 0))
                return {c["name"].lower(): (c.get("type") or "unknown") for c in ordered}
        declared = self.node(unique_id).get("columns", {})
        return {name.lower(): (c.get("data_type") or "unknown") for name, c in declared.items()}

    def compiled_sql(self, unique_id: str) -> str:
        """The SQL that ran for a model: compiled_code, else the file under compiled/."""
        node = self.node(unique_id)
        if node.get("compiled_code"):
            return str(node["compiled_code"])
        path = self.target_dir / "compiled" / node["package_name"] / node["original_file_path"]
        if not path.exists():
            raise ArtifactsError(
                f"no compiled SQL for {unique_id}: expected {path}; run `dbt compile` "
                "or `dbt build` with this --target-path"
            )
        return path.read_text()

    def sqlglot_schema(self) -> dict[str, dict[str, dict[str, dict[str, str]]]]:
        """{database: {schema: {table: {column: type}}}} for every relation, for sqlglot."""
        schema: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
        for relation in self.relations.values():
            columns = self.columns(relation.unique_id)
            if not columns:
                continue
            database, db_schema, table = relation.key
            schema.setdefault(database, {}).setdefault(db_schema, {})[table] = columns
        return schema

    def feed(self, unique_id: str) -> str | None:
        """<organisation>/<feed> of a source loaded from a feed contract, else None."""
        meta = self.node(unique_id).get("meta") or {}
        if not (meta.get("organisation") and meta.get("contract")):
            return None
        return f"{meta['organisation']}/{Path(meta['contract']).stem}"

    def description(self, unique_id: str, column: str | None = None) -> str:
        node = self.node(unique_id)
        if column is None:
            return str(node.get("description") or "")
        for name, entry in node.get("columns", {}).items():
            if name.lower() == column.lower():
                return str(entry.get("description") or "")
        return ""
