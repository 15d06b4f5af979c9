"""Benchmark the nightly job against plain DuckDB and pandas at a given scale.

    .venv/bin/python -m bench --scale 1 --months 24 --repeats 3

Generates (or reuses) the synthetic deliveries, snapshots the code, runs every step as
a measured child process in each of `--repeats` repeats, checks that the pandas numbers
equal the warehouse's, profiles the first repeat, and writes
bench/results/scale<S>-<time>.{json,md} (with --docs, also this scale's block in
docs/benchmark.md).
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import profile, report
from bench.job_steps import DBT_STEP, stage_seconds
from bench.measure import load_average, summarise
from bench.runner import STEPS, Context, Repeat, run_repeats
from bench.workspace import PROJECT_ROOT, dataset, snapshot_code

log = logging.getLogger("bench")


def _machine() -> dict[str, Any]:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {
        "cpus": os.cpu_count(),
        "memory_gib": pages / 2**30,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_before": load_average(),
    }


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "great-expectations", "pandas"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "absent"
    return found


def _code_version() -> str:
    result = subprocess.run(
        ["git", "describe", "--always", "--dirty", "--abbrev=12"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() or "unknown"


def _count_rows(files: list[Path]) -> int:
    rows = 0
    for path in files:
        if path.suffix in (".csv", ".jsonl"):
            with path.open("rb") as handle:
                rows += sum(1 for _ in handle) - (path.suffix == ".csv")
    return rows


def _stages(repeats: list[Repeat]) -> dict[str, dict[str, float]]:
    """Median seconds of each job's stages, and of the time outside Dagster's steps
    (process start-up, `dbt parse`, loading the definitions)."""
    runs: dict[str, list[dict[str, float]]] = {}
    for repeat in repeats:
        wall = {s.step: s.seconds for s in repeat.samples}
        for job, steps in repeat.job_steps.items():
            stages = stage_seconds(steps)
            stages["outside the steps"] = round(wall[job] - sum(steps.values()), 3)
            runs.setdefault(job, []).append(stages)
    return {job: report.medians(found) for job, found in runs.items()}


def _profile(ctx: Context, repeats: list[Repeat], explain_top: int) -> dict[str, Any]:
    """dbt's node timings of the first full job, the plain script's slowest models."""
    found: dict[str, Any] = {}
    results = sorted(
        (ctx.code / "target").glob(f"{DBT_STEP}-*/run_results.json"),
        key=lambda p: p.stat().st_mtime,
    )
    if results:  # the oldest is the first full job's
        found["dbt"] = profile.dbt_node_summary(results[0])
    if repeats[0].plain_timings:
        nodes = repeats[0].plain_timings["nodes"]
        slowest = sorted(nodes.items(), key=lambda kv: kv[1], reverse=True)[:12]
        found["plain"] = slowest
        if explain_top:
            out = ctx.runs / "explain_analyze.txt"
            profile.explain_analyze(
                ctx.runs / "repeat1" / "plain" / "footprint.duckdb",
                ctx.runs / "compile" / "target" / "manifest.json",
                [uid for uid, _ in slowest if uid.startswith("model.")][:explain_top],
                out,
            )
            found["explain_analyze"] = str(out)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--steps", default=",".join(STEPS), help=f"comma-separated subset of: {', '.join(STEPS)}"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "footprint-bench",
        help="generated data and run folders (large at scale 10)",
    )
    parser.add_argument("--results", type=Path, default=PROJECT_ROOT / "bench" / "results")
    parser.add_argument(
        "--explain-top", type=int, default=3, help="EXPLAIN ANALYZE this many of the slowest models"
    )
    parser.add_argument(
        "--profile-ingestion", action="store_true", help="also run one ingestion under cProfile"
    )
    parser.add_argument(
        "--docs", action="store_true", help="write this scale's summary into docs/benchmark.md"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    log.setLevel(logging.INFO)

    steps = {s.strip() for s in args.steps.split(",") if s.strip()}
    if steps - set(STEPS):
        parser.error(f"unknown steps {sorted(steps - set(STEPS))}; steps are {', '.join(STEPS)}")
    if "incremental_job" in steps and "full_job" not in steps:
        parser.error("incremental_job follows full_job: select both")
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    machine = _machine()
    log.info("generating or reusing scale %g x %d months", args.scale, args.months)
    data = dataset(args.workdir, args.scale, args.months)
    files = data.files()
    code = snapshot_code(args.workdir / f"scale{args.scale:g}")
    ctx = Context(code=code, data=data, runs=args.workdir / f"scale{args.scale:g}" / "runs")

    repeats = run_repeats(ctx, args.repeats, steps)
    samples = [s for r in repeats for s in r.samples]
    summaries = summarise(samples)
    stages = _stages(repeats)
    plain = report.medians(
        [
            {k: v for k, v in r.plain_timings.items() if k != "nodes"}
            for r in repeats
            if r.plain_timings
        ]
    )
    rows, size = _count_rows(files), data.size_bytes()
    found = report.ratios(summaries, stages, plain, rows, size)
    result: dict[str, Any] = {
        "started_at": started,
        "code_version": _code_version(),
        "repeats": args.repeats,
        "dataset": {"scale": args.scale, "months": args.months, "files": len(files),
                    "rows": rows, "bytes": size, "landing": str(data.landing)},
        "machine": machine,
        "versions": _versions(),
        "summaries": {step: s.as_dict() for step, s in summaries.items()},
        "stages": stages,
        "plain": plain,
        "samples": [s.as_dict() for s in samples],
        "ratios": found,
        "targets": report.targets(args.scale, summaries, found),
        "agreement": [a.as_dict() for a in repeats[0].agreement or []],
        "profile": _profile(ctx, repeats, args.explain_top),
    }  # fmt: skip
    if args.profile_ingestion:
        env = ctx.env(ctx.runs / "cprofile")
        out = ctx.runs / "ingest_cprofile.txt"
        profile.profile_ingestion(code, env, out)
        result["profile"]["ingest_cprofile"] = str(out)
    result["machine"]["load_after"] = load_average()
    json_path, md_path = report.write(result, args.results)
    if args.docs:
        report.update_docs(PROJECT_ROOT / "docs" / "benchmark.md", args.scale, md_path.read_text())
    print(md_path.read_text())
    print(f"results: {json_path}\n         {md_path}")
    return 1 if any(s.failures for s in summaries.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
