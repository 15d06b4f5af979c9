"""Benchmark of the nightly job against plain DuckDB and pandas (see docs/benchmark.md)."""
