"""Where the time goes: dbt's per-node timings, DuckDB EXPLAIN ANALYZE of the slowest
models of the plain script, and cProfile of ingestion."""

from __future__ import annotations

import io
import pstats
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb

from bench import manifest as dbt_manifest


def dbt_node_summary(run_results: Path, top: int = 12) -> dict[str, Any]:
    """Seconds by kind of node (model, test, unit_test, seed) and the slowest nodes."""
    rows = dbt_manifest.node_timings(run_results)
    by_kind: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        by_kind[row["kind"]] += row["seconds"]
        counts[row["kind"]] += 1
    return {
        "by_kind": {k: {"nodes": counts[k], "seconds": round(v, 2)} for k, v in by_kind.items()},
        "slowest": rows[:top],
    }


def explain_analyze(database: Path, manifest_json: Path, unique_ids: list[str], out: Path) -> None:
    """EXPLAIN ANALYZE of each model's compiled SQL on the plain database (read only)."""
    nodes = dbt_manifest.load(manifest_json)["nodes"]
    connection = duckdb.connect(str(database), read_only=True)
    try:
        with out.open("w") as text:
            for uid in unique_ids:
                plan = connection.execute(
                    "explain analyze " + nodes[uid]["compiled_code"]
                ).fetchall()
                text.write(f"==== {uid}\n{plan[0][1]}\n\n")
    finally:
        connection.close()


def profile_ingestion(code: Path, env: dict[str, str], out: Path, top: int = 25) -> str:
    """One `footprint ingest` under cProfile into the warehouse `env` names."""
    stats_file = out.with_suffix(".pstats")
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "footprint.cli", "ingest"],
        cwd=code,
        env=env,
        check=True,
        capture_output=True,
    )
    buffer = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=buffer)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    out.write_text(buffer.getvalue())
    return buffer.getvalue()
