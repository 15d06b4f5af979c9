"""Everything an auditor reads about one published build, in one call for the nightly job.

    publish_lineage(target_dir, published)   after footprint.publish.publisher.publish

writes into the version that was just published (published/current/ points there):

    audit/openlineage_events.jsonl   OpenLineage events of the dbt build
    docs/index.html                  dbt docs, one file, opens offline
    audit/column_lineage.json/.html/.md
    audit/audit_record.json/.html

The OpenLineage events and the audit record describe the build from its own artifacts
(manifest.json, run_results.json); `dbt docs generate` writes into a folder of its own
inside the target folder, and the column lineage reads its manifest and catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from footprint.lineage.artifacts import DbtArtifacts
from footprint.lineage.audit import AUDIT_DIR, write_audit_record
from footprint.lineage.docs_site import run_docs_generate, write_site
from footprint.lineage.openlineage_events import EVENTS_NAME, emit_openlineage
from footprint.lineage.report import write_column_lineage

DOCS_DIR = "docs"


@dataclass(frozen=True)
class LineageOutputs:
    version_dir: Path
    docs_site: Path
    column_lineage: Path
    audit_record: Path
    openlineage_events: Path
    events_written: int


def current_version(published: Path) -> Path:
    """The folder of the version readers see now (published/current -> versions/<id>)."""
    current = published / "current"
    if not current.exists():
        raise FileNotFoundError(f"{current} does not exist: publish a build first")
    return current.resolve()


def publish_lineage(target_dir: Path, published: Path) -> LineageOutputs:
    """Write the docs site, column lineage, audit record and OpenLineage events of the
    build in target_dir into the currently published version."""
    version_dir = current_version(published)
    audit_dir = version_dir / AUDIT_DIR
    events_file = audit_dir / EVENTS_NAME
    events_file.unlink(missing_ok=True)
    written = emit_openlineage(target_dir, events_file)
    docs_target = run_docs_generate(target_dir)
    site = write_site(docs_target, version_dir / DOCS_DIR)
    lineage = write_column_lineage(DbtArtifacts(docs_target), audit_dir)
    record = write_audit_record(version_dir, lineage, target_dir)
    return LineageOutputs(
        version_dir=version_dir,
        docs_site=site,
        column_lineage=audit_dir / "column_lineage.json",
        audit_record=record,
        openlineage_events=events_file,
        events_written=written,
    )
