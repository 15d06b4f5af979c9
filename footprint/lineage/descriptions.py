"""What the docs site leaves undescribed: every source, seed, model, exposure and
column (as built: the catalog's columns, not only those the YAML lists), and every
singular and unit test. A generic test (unique, not_null, relationships ...) is
described by its definition and the column it is attached to; a singular test or a
unit test needs its own description.
"""

from __future__ import annotations

from dataclasses import dataclass

from footprint.lineage.artifacts import DbtArtifacts

DESCRIBED_RESOURCES = ("model", "seed", "snapshot", "source")


@dataclass(frozen=True, order=True)
class Undescribed:
    unique_id: str
    column: str | None
    file: str

    def __str__(self) -> str:
        what = f"{self.unique_id} column {self.column}" if self.column else self.unique_id
        return f"{what} ({self.file})"


def _blank(text: object) -> bool:
    return not str(text or "").strip()


def undescribed(artifacts: DbtArtifacts) -> list[Undescribed]:
    """Everything an auditor would find without a description, sorted."""
    manifest = artifacts.manifest
    found: list[Undescribed] = []
    nodes = [*manifest["nodes"].values(), *manifest["sources"].values()]
    for node in nodes:
        resource_type = node["resource_type"]
        file = node.get("original_file_path", "")
        if node.get("package_name") != artifacts.project_name:
            continue
        if resource_type == "test":
            if not node.get("test_metadata") and _blank(node.get("description")):
                found.append(Undescribed(node["unique_id"], None, file))
            continue
        if resource_type not in DESCRIBED_RESOURCES:
            continue
        if _blank(node.get("description")):
            found.append(Undescribed(node["unique_id"], None, file))
        declared = {name.lower(): c for name, c in node.get("columns", {}).items()}
        built = artifacts.columns(node["unique_id"]) if artifacts.catalog else {}
        for column in sorted(set(declared) | set(built)):
            if _blank(declared.get(column, {}).get("description")):
                found.append(Undescribed(node["unique_id"], column, file))
    for unit_test in manifest.get("unit_tests", {}).values():
        if _blank(unit_test.get("description")):
            found.append(
                Undescribed(unit_test["unique_id"], None, unit_test.get("original_file_path", ""))
            )
    for exposure in manifest.get("exposures", {}).values():
        if _blank(exposure.get("description")):
            found.append(
                Undescribed(exposure["unique_id"], None, exposure.get("original_file_path", ""))
            )
    return sorted(found)
