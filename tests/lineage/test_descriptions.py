"""`footprint lineage undescribed` finds every node, built column and test an auditor
would read without a description."""

from __future__ import annotations

import json
from pathlib import Path

from footprint.lineage.artifacts import DbtArtifacts
from footprint.lineage.descriptions import undescribed


def _node(unique_id: str, description: str = "", **extra: object) -> dict:
    kind, package, name = unique_id.split(".")[:3]
    return {
        "unique_id": unique_id,
        "resource_type": kind,
        "package_name": package,
        "name": name,
        "schema": "core",
        "database": "wh",
        "original_file_path": f"{name}.yml",
        "description": description,
        "columns": {},
        **extra,
    }


def test_undescribed_nodes_columns_and_tests_are_listed(tmp_path: Path):
    nodes = [
        _node(
            "model.demo.fct_events",
            "One row per event.",
            columns={"event_id": {"description": "Event."}, "sdf_code": {"description": ""}},
        ),
        _node("model.demo.dim_areas"),  # no description at all
        _node("test.demo.not_null_fct_events_event_id", test_metadata={"name": "not_null"}),
        _node("test.demo.test_wilson"),  # a singular test says what it checks itself
        _node("test.demo.test_dsr", "Worked values of the DSR."),
        _node("model.other_package.helper"),  # not this project's to describe
    ]
    manifest = {
        "metadata": {"project_name": "demo"},
        "nodes": {n["unique_id"]: n for n in nodes},
        "sources": {},
        "unit_tests": {"unit_test.demo.fct_events.dedupes": _node("unit_test.demo.x.dedupes")},
        "exposures": {"exposure.demo.dashboards": _node("exposure.demo.dashboards", "BI.")},
    }
    catalog = {  # built columns the YAML does not list are reported too
        "nodes": {
            "model.demo.fct_events": {
                "columns": {
                    "event_id": {"name": "event_id", "index": 1},
                    "sdf_code": {"name": "sdf_code", "index": 2},
                    "delivery_id": {"name": "delivery_id", "index": 3},
                }
            }
        },
        "sources": {},
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    found = [(u.unique_id, u.column) for u in undescribed(DbtArtifacts(tmp_path))]
    assert found == [
        ("model.demo.dim_areas", None),
        ("model.demo.fct_events", "delivery_id"),
        ("model.demo.fct_events", "sdf_code"),
        ("test.demo.test_wilson", None),
        ("unit_test.demo.x.dedupes", None),
    ]
