"""The Dagster code location: ingestion assets per feed, the dbt project's assets,
quality checks, the nightly job, its schedule and the landing sensor."""
