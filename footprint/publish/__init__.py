"""Publication: the published marts copied into a new read-only DuckDB file and Parquet,
with a manifest, swapped in atomically; earlier versions kept for rollback."""
