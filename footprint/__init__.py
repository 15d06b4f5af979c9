"""Footprint: the partnership data warehouse (ingestion, publication and rendering).

Business logic lives in the dbt project at the repository root; this package
generates synthetic deliveries, validates and loads files, and publishes outputs.
"""
