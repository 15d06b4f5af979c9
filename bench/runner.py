"""The measured steps of a benchmark run, all of them in every repeat, so that each step
of one repeat meets the same machine conditions and the ratios compare like with like.

Every step is a child process (bench.measure.run_measured) run from the code snapshot;
each repeat has fresh warehouse, published and Dagster folders of its own.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.compare import Agreement, compare
from bench.job_steps import step_seconds
from bench.measure import Sample, run_measured
from bench.workspace import VENV_BIN, Dataset, deliver_held_back_day, withdraw

log = logging.getLogger("bench")

# What each step measures, in the order of the report.
STEPS: dict[str, str] = {
    "full_job": "`footprint run` from an empty warehouse (the whole nightly job)",
    "incremental_job": "`footprint run` again after one more day of daily deliveries",
    "plain_duckdb": "plain DuckDB script: the same loads, then dbt's compiled SQL of every model",
    "pandas": "pandas: three indicators per SDF per month from the same files",
}


@dataclass
class Context:
    code: Path  # the code snapshot (dbt project root, PYTHONPATH)
    data: Dataset
    runs: Path  # one folder per repeat below this
    key_hex: str = field(default_factory=lambda: secrets.token_hex(32))

    def env(self, folder: Path) -> dict[str, str]:
        """The environment of a step whose warehouse, published and Dagster folders
        are under `folder`."""
        env = dict(os.environ)
        env.pop("VIRTUAL_ENV", None)
        env.update(
            PYTHONPATH=str(self.code),
            FOOTPRINT_LANDING=str(self.data.landing),
            FOOTPRINT_PSEUDONYMISATION_KEY=self.key_hex,
            FOOTPRINT_WAREHOUSE=str(folder / "warehouse" / "footprint.duckdb"),
            FOOTPRINT_PUBLISHED=str(folder / "published"),
            DAGSTER_HOME=str(folder / "dagster_home"),
            DBT_PROFILES_DIR=str(self.code),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            DO_NOT_TRACK="1",
        )
        return env


@dataclass
class Repeat:
    """What one repeat measured, and the per-step times of its Dagster runs."""

    samples: list[Sample]
    job_steps: dict[str, dict[str, float]]  # successful job -> Dagster step -> seconds
    agreement: list[Agreement] | None = None  # pandas against the full job's warehouse
    plain_timings: dict | None = None  # the plain script's load / transform / per-model seconds


def compile_for_plain(ctx: Context, folder: Path) -> Path:
    """`dbt compile --full-refresh` on an empty warehouse (not timed): the SQL the plain
    script runs, with every incremental model compiled as its full build."""
    target = folder / "target"
    (folder / "warehouse").mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(VENV_BIN / "dbt"), "compile", "--quiet", "--full-refresh",
         "--target-path", str(target)],
        cwd=ctx.code,
        env=ctx.env(folder),
        check=True,
    )  # fmt: skip
    return target / "manifest.json"


def one_repeat(ctx: Context, number: int, steps: set[str], compiled: Path | None) -> Repeat:
    """The selected steps once each, in STEPS order (incremental_job needs full_job)."""
    folder = ctx.runs / f"repeat{number}"
    shutil.rmtree(folder, ignore_errors=True)
    repeat = Repeat(samples=[], job_steps={})

    def measure(step: str, command: list[str], env: dict[str, str]) -> Sample | None:
        if step not in steps:
            return None
        log.info("repeat %d: %s", number, step)
        sample = run_measured(step, command, env=env, cwd=ctx.code, log=folder / f"{step}.log")
        log.info(
            "repeat %d: %s took %.1f s, peak %.0f MiB, exit %d, load %s",
            *(number, step, sample.seconds, sample.peak_rss_bytes / 2**20, sample.returncode),
            sample.load_average,
        )
        repeat.samples.append(sample)
        return sample

    job = ctx.env(folder / "job")
    footprint_run = [str(VENV_BIN / "footprint"), "run"]
    if "full_job" in steps:
        # Not timed: a deployed machine has parsed the project with its own profile
        # (the warehouse path is part of it) before its first night, so the job's own
        # `dbt parse` is the partial parse every later night does.
        (folder / "job" / "warehouse").mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(VENV_BIN / "dbt"), "parse", "--quiet"], cwd=ctx.code, env=job, check=True
        )
    full = measure("full_job", footprint_run, job)
    if full and full.returncode == 0:
        repeat.job_steps["full_job"] = step_seconds(Path(job["DAGSTER_HOME"]))
    if compiled:
        plain = folder / "plain"
        measure(
            "plain_duckdb",
            [sys.executable, "-m", "bench.plain_duckdb", "--landing", str(ctx.data.landing),
             "--project", str(ctx.code), "--manifest", str(compiled),
             "--database", str(plain / "footprint.duckdb"),
             "--timings", str(plain / "timings.json")],
            ctx.env(plain),
        )  # fmt: skip
        if (plain / "timings.json").exists():
            repeat.plain_timings = json.loads((plain / "timings.json").read_text())
    pandas = folder / "pandas"
    pandas.mkdir(parents=True, exist_ok=True)
    by_pandas = measure(
        "pandas",
        [sys.executable, "-m", "bench.pandas_baseline", "--landing", str(ctx.data.landing),
         "--seeds", str(ctx.code / "seeds"), "--out", str(pandas / "values.csv")],
        ctx.env(pandas),
    )  # fmt: skip
    if number == 1 and full and full.returncode == 0 and by_pandas and by_pandas.returncode == 0:
        repeat.agreement = compare(
            pandas / "values.csv",
            Path(job["FOOTPRINT_WAREHOUSE"]),
            ctx.code / "target" / "manifest.json",
        )
    # last: it adds a day to the job's warehouse, which pandas was compared with above
    if full and full.returncode == 0 and "incremental_job" in steps:
        delivered = deliver_held_back_day(ctx.data)
        try:
            incremental = measure("incremental_job", footprint_run, job)
        finally:
            withdraw(delivered)
        if incremental and incremental.returncode == 0:
            repeat.job_steps["incremental_job"] = step_seconds(Path(job["DAGSTER_HOME"]))
    return repeat


def run_repeats(ctx: Context, repeats: int, steps: set[str]) -> list[Repeat]:
    """Every repeat; the first repeat's folders are kept (for the profiles), the later
    ones' warehouses removed to save disk."""
    compiled = compile_for_plain(ctx, ctx.runs / "compile") if "plain_duckdb" in steps else None
    done = []
    for number in range(1, repeats + 1):
        done.append(one_repeat(ctx, number, steps, compiled))
        if number > 1:
            for child in (ctx.runs / f"repeat{number}").iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
    return done
