"""Everything an auditor reads about one published build, in one call for the nightly job.

    publish_lineage(target_dir, published)   after footprint.publish.publisher.publish

writes into the version that was just published (published/current/ points there):

    audit/openlineage_events.jsonl   OpenLineage events of the dbt build
    docs/index.html                  dbt docs, one file, opens offline
    audit/column_lineage.json/.html/.md
    audit/audit_record.json/.html

The OpenLineage events are made first: `dbt docs generate` replaces run_results.json
(docs_site keeps the build's copy as run_results.build.json either way).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from footprint.lineage.artifacts import DbtArtifacts
from footprint.lineage.audit import AUDIT_DIR, write_audit_record
from footprint.lineage.docs_site import build_docs_site
from footprint.lineage.openlineage_events import EVENTS_NAME, emit_openlineage
from footprint.lineage.report import write_column_lineage
from footprint.paths import PROJECT_ROOT

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


def publish_lineage(
    target_dir: Path,
    published: Path,
    profiles_dir: Path = PROJECT_ROOT,
    generate_docs: bool = True,
) -> LineageOutputs:
    """Write the docs site, column lineage, audit record and OpenLineage events of the
    build in target_dir into the currently published version."""
    version_dir = current_version(published)
    audit_dir = version_dir / AUDIT_DIR
    events_file = audit_dir / EVENTS_NAME
    events_file.unlink(missing_ok=True)
    written = emit_openlineage(target_dir, events_file)
    site = build_docs_site(target_dir, version_dir / DOCS_DIR, profiles_dir, generate=generate_docs)
    lineage = write_column_lineage(DbtArtifacts(target_dir), audit_dir)
    record = write_audit_record(version_dir, lineage, target_dir)
    return LineageOutputs(
        version_dir=version_dir,
        docs_site=site,
        column_lineage=audit_dir / "column_lineage.json",
        audit_record=record,
        openlineage_events=events_file,
        events_written=written,
    )
