"""The column lineage of every published column, as JSON (for tools) and as a page.

    {"columns": [{"relation": "sdf.sdf_indicator_values", "column": "numerator",
                  "models": ["sdf_indicator_values", "fct_indicator_values", ...],
                  "raw_columns": ["raw.trust__ae_attendances.age_at_arrival", ...],
                  "seed_columns": ["reference.sdfs.sdf_code", ...],
                  "feeds": ["trust/ae_attendances", ...],
                  "page": "columns/sdf.sdf_indicator_values.numerator.html",
                  "layers": [[{"relation": "raw.trust__ae_attendances", "kind": "source",
                               "columns": ["*"], ...}, ...], ...],
                  "computed_in": ["int_indicator__....indicator_id"],
                  "edges": [["stg_....column", "fct_....column"], ...]}]}

raw_columns name the raw table as ingestion loads it (raw.<organisation>__<feed>);
`<table>.*` means the value counts that table's rows (count(*)), so every row's
_delivery_id is behind it. computed_in lists columns whose value is made in a model
from no column at all (a constant such as the indicator id). feeds are the
<organisation>/<feed> folders those raw tables are delivered into (the contract's), the
prefix of every delivery's file path in the load and publish manifests.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from footprint.lineage.artifacts import DbtArtifacts
from footprint.lineage.columns import ColumnLineage, ColumnRef, layers
from footprint.lineage.render import render, write_atomically

LINEAGE_JSON = "column_lineage.json"
LINEAGE_HTML = "column_lineage.html"
COLUMNS_DIR = "columns"


def _name(artifacts: DbtArtifacts, ref: ColumnRef) -> str:
    relation = artifacts.relations[ref.unique_id]
    return f"{relation.relation}.{ref.column}"


def column_lineage(artifacts: DbtArtifacts) -> dict[str, Any]:
    """The lineage document for every column of every published model."""
    lineage = ColumnLineage(artifacts)
    columns: list[dict[str, Any]] = []
    for model in artifacts.published_models():
        for column in artifacts.columns(model.unique_id):
            trace = lineage.trace(ColumnRef(model.unique_id, column))
            path = layers(artifacts, trace)
            leaves = trace.leaves()
            by_type: dict[str, list[str]] = {"source": [], "seed": [], "model": []}
            feeds: set[str] = set()
            for leaf in leaves:
                kind = artifacts.relations[leaf.unique_id].resource_type
                by_type.setdefault(kind, []).append(_name(artifacts, leaf))
                if kind == "source" and (feed := artifacts.feed(leaf.unique_id)):
                    feeds.add(feed)
            columns.append(
                {
                    "relation": model.relation,
                    "column": column,
                    "description": artifacts.description(model.unique_id, column),
                    "models": [
                        r["name"] for layer in reversed(path) for r in layer if r["kind"] == "model"
                    ],
                    "raw_columns": sorted(by_type["source"]),
                    "seed_columns": sorted(by_type["seed"]),
                    "feeds": sorted(feeds),
                    "computed_in": sorted(by_type["model"]),
                    "page": f"{COLUMNS_DIR}/{model.relation}.{column}.html",
                    "layers": path,
                    "edges": sorted(
                        [_name(artifacts, up), _name(artifacts, down)] for up, down in trace.edges
                    ),
                }
            )
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "published_models": [m.relation for m in artifacts.published_models()],
        "columns": columns,
    }


def write_column_lineage(artifacts: DbtArtifacts, out_dir: Path) -> dict[str, Any]:
    """Write column_lineage.json, the index page column_lineage.html and one page per
    published column (columns/<schema>.<mart>.<column>.html) into out_dir."""
    document = column_lineage(artifacts)
    write_atomically(out_dir / LINEAGE_JSON, json.dumps(document, indent=2) + "\n")
    write_atomically(out_dir / LINEAGE_HTML, render("column_lineage.html.j2", doc=document))
    for column in document["columns"]:
        page = render("column.html.j2", doc=document, c=column)
        write_atomically(out_dir / column["page"], page)
    return document
