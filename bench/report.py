"""The results of a benchmark run: medians, ratios, the issue's targets, as JSON and as
a markdown summary (also written into docs/benchmark.md between markers)."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path
from typing import Any

from bench.measure import Summary
from bench.runner import STEPS

GIB = 2**30
MIB = 2**20


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator to 3 places, or None when either is unknown or zero."""
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    """The median of each key over the runs that have it."""
    keys = dict.fromkeys(k for run in runs for k in run)
    return {k: round(statistics.median(run[k] for run in runs if k in run), 3) for k in keys}


def ratios(
    summaries: dict[str, Summary],
    stages: dict[str, dict[str, float]],
    plain: dict[str, float],
    rows: int,
    size_bytes: int,
) -> dict[str, float | None]:
    def median(step: str) -> float | None:
        summary = summaries.get(step)
        return summary.median_seconds if summary else None

    full, ingest = median("full_job"), stages.get("full_job", {}).get("ingest")
    return {
        "full_job / plain_duckdb": ratio(full, median("plain_duckdb")),
        "pandas / full_job": ratio(median("pandas"), full),
        "incremental_job / full_job": ratio(median("incremental_job"), full),
        "job ingest / plain load": ratio(ingest, plain.get("load_seconds")),
        "job dbt build / plain transform": ratio(
            stages.get("full_job", {}).get("dbt_build"), plain.get("transform_seconds")
        ),
        "job ingest rows per second": round(rows / ingest) if ingest else None,
        "job ingest MB per second": round(size_bytes / 1e6 / ingest, 1) if ingest else None,
    }


def targets(
    scale: float, summaries: dict[str, Summary], found: dict[str, float | None]
) -> list[dict[str, Any]]:
    """The issue's targets, each with the scale it is set for and whether it was met."""
    full = summaries.get("full_job")
    jobs = [summaries[s] for s in ("full_job", "incremental_job") if s in summaries]
    peak = max((s.peak_rss_bytes for s in jobs), default=None)
    rows = [
        ("nightly job from an empty warehouse, seconds", 1,
         full.median_seconds if full else None, 60.0, "<"),
        ("full job / plain DuckDB script", 10, found["full_job / plain_duckdb"], 1.5, "<="),
        ("pandas / full job", 10, found["pandas / full_job"], 5.0, ">="),
        ("incremental night / full job", 10, found["incremental_job / full_job"], 0.10, "<"),
        ("peak memory of the job, GiB", 10, round(peak / GIB, 2) if peak else None, 4.0, "<"),
    ]  # fmt: skip
    out = []
    for name, at_scale, value, limit, sense in rows:
        if value is None:
            status = "not measured"
        else:
            met = {"<": value < limit, "<=": value <= limit, ">=": value >= limit}[sense]
            status = "met" if met else "missed"
        if scale != at_scale:
            status += f" (the target is set for scale {at_scale:g})"
        out.append(
            {"target": name, "set_for_scale": at_scale, "value": value,
             "limit": f"{sense} {limit:g}", "status": status}
        )  # fmt: skip
    return out


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.1f}"


def markdown(result: dict[str, Any]) -> str:
    d, m = result["dataset"], result["machine"]
    lines = [
        f"### Scale {d['scale']:g}, {d['months']} months "
        f"({d['rows']:,} rows in {d['files']:,} files, {d['bytes'] / MIB:,.0f} MiB)",
        "",
        f"{result['started_at']}; {result['repeats']} repeat(s), median shown; "
        f"{m['cpus']} CPUs, {m['memory_gib']:.0f} GiB; load average (1, 5, 15 min) "
        f"{m['load_before']} before, {m['load_after']} after; code {result['code_version']}.",
        "",
        "| step | what it measures | median s | min-max s | peak MiB | failed | load after |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    loads: dict[str, list[str]] = {}
    for sample in result["samples"]:
        loads.setdefault(sample["step"], []).append(sample["load_average"].split()[0])
    for step, s in result["summaries"].items():
        spread = (
            "n/a"
            if s["min_seconds"] is None
            else f"{s['min_seconds']:,.1f}-{s['max_seconds']:,.1f}"
        )
        lines.append(
            f"| {step} | {STEPS[step]} | {_seconds(s['median_seconds'])} | {spread} | "
            f"{s['peak_rss_bytes'] / MIB:,.0f} | {s['failures']} | {', '.join(loads[step])} |"
        )
    for job, stages in result["stages"].items():
        parts = ", ".join(f"{k} {v:,.1f} s" for k, v in stages.items())
        lines += ["", f"{job} by stage (median of the Dagster step times): {parts}."]
    if result["plain"]:
        p = result["plain"]
        lines += [
            "",
            f"plain_duckdb by phase (median): load {_seconds(p.get('load_seconds'))} s, "
            f"transform {_seconds(p.get('transform_seconds'))} s.",
        ]
    lines += ["", "| ratio | value |", "| --- | ---: |"]
    lines += [f"| {k} | {_fmt(v)} |" for k, v in result["ratios"].items() if v is not None]
    lines += ["", "| target | value | limit | status |", "| --- | ---: | ---: | --- |"]
    lines += [
        f"| {t['target']} | {_fmt(t['value'])} | {t['limit']} | {t['status']} |"
        for t in result["targets"]
    ]
    if result.get("agreement"):
        lines += [
            "",
            "pandas against the full job's warehouse (monthly numerator and denominator "
            "per SDF, and fct_indicator_values):",
            "",
            "| indicator | rows compared | differing | missing in pandas | equal |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for a in result["agreement"]:
            differing = a["rows_differing"] + a["fct_indicator_values_rows_differing"]
            lines.append(
                f"| {a['indicator_id']} | {a['rows_compared']} | {differing} | "
                f"{a['warehouse_rows_with_events_missing_in_pandas']} | "
                f"{'yes' if a['equal'] else 'NO'} |"
            )
    profile = result.get("profile", {})
    if profile.get("dbt"):
        kinds = ", ".join(
            f"{k} {v['seconds']:.1f} s ({v['nodes']})" for k, v in profile["dbt"]["by_kind"].items()
        )
        lines += ["", f"dbt build in the first full job, node time summed by kind: {kinds}.", ""]
        lines += ["| slowest dbt nodes | s |", "| --- | ---: |"]
        lines += [f"| {r['unique_id']} | {r['seconds']:.2f} |" for r in profile["dbt"]["slowest"]]
    if profile.get("plain"):
        lines += ["", "| slowest models, plain DuckDB | s |", "| --- | ---: |"]
        lines += [f"| {uid} | {s:.2f} |" for uid, s in profile["plain"]]
    return "\n".join(lines) + "\n"


def write(result: dict[str, Any], results_dir: Path) -> tuple[Path, Path]:
    results_dir.mkdir(parents=True, exist_ok=True)
    stem = f"scale{result['dataset']['scale']:g}-{result['started_at'].replace(':', '')}"
    json_path = results_dir / f"{stem}.json"
    md_path = results_dir / f"{stem}.md"
    json_path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    md_path.write_text(markdown(result))
    return json_path, md_path


def update_docs(docs: Path, scale: float, summary: str) -> None:
    """Replace (or add) this scale's block between markers in docs/benchmark.md."""
    begin, end = f"<!-- bench:scale={scale:g} -->", f"<!-- /bench:scale={scale:g} -->"
    block = f"{begin}\n{summary}{end}"
    text = docs.read_text() if docs.exists() else "# Benchmark\n\n## Results\n\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text + block + "\n"
    docs.write_text(text)
