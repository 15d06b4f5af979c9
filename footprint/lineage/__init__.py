"""Lineage and audit documents: the offline dbt docs site, column-level lineage of the
published marts, the per-build audit record, OpenLineage events, and the walk from a
published indicator value to the delivery files behind it."""
