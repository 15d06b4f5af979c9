"""Reading dbt's target/manifest.json and run_results.json."""

from __future__ import annotations

import json
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

BUILT = ("model", "seed")


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def models_in_order(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Seeds and models (not ephemeral ones: dbt inlines them), parents first."""
    nodes = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in BUILT and node["config"].get("materialized") != "ephemeral"
    }
    graph = {
        uid: [p for p in node.get("depends_on", {}).get("nodes", []) if p in nodes]
        for uid, node in nodes.items()
    }
    return [nodes[uid] for uid in TopologicalSorter(graph).static_order()]


def relation(manifest: dict[str, Any], model_name: str) -> str:
    """The quoted relation ("database"."schema"."alias") dbt built a model into."""
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"] == model_name:
            return node["relation_name"]
    raise KeyError(f"no model {model_name!r} in the dbt manifest")


def node_timings(run_results: Path) -> list[dict[str, Any]]:
    """(unique_id, kind, status, seconds) for every node dbt ran, slowest first."""
    results = load(run_results)["results"]
    rows = [
        {
            "unique_id": r["unique_id"],
            "kind": r["unique_id"].split(".", 1)[0],
            "status": r["status"],
            "seconds": round(float(r.get("execution_time") or 0.0), 3),
        }
        for r in results
    ]
    return sorted(rows, key=lambda r: r["seconds"], reverse=True)
