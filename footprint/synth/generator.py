"""One generator run: population, pathways, social care, deliveries, faults, metadata.

The output folder gets one folder per organisation and feed (landing/<org>/<feed>/)
holding one file per delivery period, and _generator/ with the ground truth: faults.csv
(every injected fault), truth.json (options, planted effects, row counts, timings) and
population.parquet (one row per synthetic person, NHS numbers in clear: synthetic
ground truth for tests, never to be copied into the warehouse).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from tqdm import tqdm

from footprint.contracts import Contract, all_contracts
from footprint.paths import CONTRACTS_DIR, SEEDS_DIR
from footprint.synth.deaths import build_deaths
from footprint.synth.faults import FaultInjector
from footprint.synth.feeds import FeedContext, build_deliveries, spell_numbers
from footprint.synth.pathways import PathwaySimulator
from footprint.synth.population import Population, build_population
from footprint.synth.random_streams import stream
from footprint.synth.reference import Reference, load_reference
from footprint.synth.scenario import Scenario, load_scenario
from footprint.synth.social_care import build_care_events
from footprint.synth.timeline import NEVER_DAY, Timeline, day_number, parse_month

GENERATOR_DIR = "_generator"
GENERATOR_VERSION = 1


class OutputNotEmptyError(RuntimeError):
    """The output folder has content and --overwrite was not given."""


@dataclass(frozen=True)
class GeneratorOptions:
    """What to generate; the same options always give the same bytes."""

    out: Path
    months: int = 24
    start_month: str = "2024-11"
    scale: float = 1.0
    seed: int = 20240401
    faults: tuple[str, ...] = ()
    quiet: bool = False
    overwrite: bool = False
    seeds_dir: Path = SEEDS_DIR
    contracts_dir: Path = CONTRACTS_DIR

    def validate(self) -> None:
        if self.months < 1:
            raise ValueError("--months must be at least 1")
        if not self.scale > 0:
            raise ValueError("--scale must be greater than 0")
        if self.seed < 0:
            raise ValueError("--seed must not be negative")
        parse_month(self.start_month)


@dataclass
class RunSummary:
    """What a run wrote and how fast."""

    out: Path
    files: int
    rows: int
    rows_by_feed: dict[str, int]
    files_by_feed: dict[str, int]
    faults: int
    elapsed_seconds: float
    rows_per_second: float
    skipped_faults: dict[str, str] = field(default_factory=dict)

    def line(self) -> str:
        return (
            f"wrote {self.files:,} files, {self.rows:,} rows to {self.out} in "
            f"{self.elapsed_seconds:.1f} s ({self.rows_per_second:,.0f} rows/s); "
            f"{self.faults} fault(s) injected"
        )


def owned_paths(out: Path, contracts: tuple[Contract, ...]) -> list[Path]:
    """What the generator writes and may therefore clear: feed folders and _generator/."""
    return [out / c.organisation / c.feed for c in contracts] + [out / GENERATOR_DIR]


def prepare_output(out: Path, contracts: tuple[Contract, ...], overwrite: bool) -> None:
    """Refuse a non-empty folder unless overwriting; then clear only what we own."""
    if out.exists() and not out.is_dir():
        raise OutputNotEmptyError(f"{out} exists and is not a folder")
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise OutputNotEmptyError(
                f"{out} is not empty; pass --overwrite to replace the generator's feed folders "
                f"and {GENERATOR_DIR}/ there (other content is kept), or choose another --out"
            )
        for path in owned_paths(out, contracts):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate(options: GeneratorOptions) -> RunSummary:
    """Generate every feed's deliveries into ``options.out``."""
    options.validate()
    started = time.perf_counter()
    out = options.out
    contracts = all_contracts(options.contracts_dir)
    prepare_output(out, contracts, options.overwrite)

    reference = load_reference(options.seeds_dir)
    scenario = load_scenario(reference)
    scenario.check_codes(
        {(c.feed, col.name): col.values for c in contracts for col in c.columns if col.values}
    )
    timeline = Timeline(parse_month(options.start_month), options.months)

    population = build_population(
        reference, scenario, timeline, options.scale, stream(options.seed, "population")
    )
    simulator = PathwaySimulator(
        population, reference, scenario, timeline, stream(options.seed, "pathways")
    )
    with tqdm(
        total=len(timeline.sim_months),
        desc="simulating",
        unit="month",
        disable=options.quiet,
        leave=False,
    ) as bar:
        activity = simulator.run(on_month=bar.update)
    care_events = build_care_events(
        population, activity, reference, scenario, timeline, stream(options.seed, "social_care")
    )
    context = FeedContext(
        population=population,
        reference=reference,
        scenario=scenario,
        timeline=timeline,
        activity=activity,
        care_events=care_events,
        spell_numbers=spell_numbers(activity),
        deaths=build_deaths(population, activity, scenario, stream(options.seed, "deaths")),
    )
    injector = FaultInjector(options.faults, stream(options.seed, "faults"), reference)
    injector.allocate(contracts)

    rows_by_feed = {c.name: 0 for c in contracts}
    files_by_feed = {c.name: 0 for c in contracts}
    written_rows = written_files = 0
    periods = sum(len(timeline.periods(c.period)) for c in contracts)
    with tqdm(
        total=periods, desc="writing", unit="file", disable=options.quiet, leave=False
    ) as bar:
        # one feed at a time: build its deliveries, place its faults, write, release
        for contract in contracts:
            deliveries = build_deliveries(context, contract)
            injector.plan_feed(deliveries)
            for delivery in deliveries:
                rows_by_feed[contract.name] += delivery.rows
                files_by_feed[contract.name] += 1
                for output in injector.render(delivery):
                    target = out / output.relative_path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(output.content)
                    written_rows += output.rows
                    written_files += 1
                bar.update()
            bar.update(len(timeline.periods(contract.period)) - len(deliveries))
            del deliveries

    meta = out / GENERATOR_DIR
    meta.mkdir(parents=True, exist_ok=True)
    _write_faults(meta / "faults.csv", injector)
    _write_population(meta / "population.parquet", population, reference, scenario)
    elapsed = time.perf_counter() - started
    summary = RunSummary(
        out=out,
        files=written_files,
        rows=written_rows,
        rows_by_feed=rows_by_feed,
        files_by_feed=files_by_feed,
        faults=len(injector.records),
        elapsed_seconds=elapsed,
        rows_per_second=written_rows / elapsed if elapsed > 0 else 0.0,
        skipped_faults=injector.shortfalls(),
    )
    truth = _truth(options, timeline, reference, scenario, population, summary, injector)
    (meta / "truth.json").write_text(json.dumps(truth, indent=2, sort_keys=False) + "\n")
    return summary


def _write_faults(path: Path, injector: FaultInjector) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "row", "fault", "detail"])
    for record in sorted(injector.records, key=lambda r: (r.file, r.row or 0, r.fault)):
        writer.writerow(
            [record.file, "" if record.row is None else record.row, record.fault, record.detail]
        )
    path.write_text(buffer.getvalue())


def _write_population(
    path: Path, population: Population, reference: Reference, scenario: Scenario
) -> None:
    codes = tuple(str(c) for c in scenario.section("care_homes")["codes"])
    pq.write_table(population.to_table(reference, codes), path, compression="zstd")


def _truth(
    options: GeneratorOptions,
    timeline: Timeline,
    reference: Reference,
    scenario: Scenario,
    population: Population,
    summary: RunSummary,
    injector: FaultInjector,
) -> dict[str, Any]:
    """Ground truth for tests and analyses; everything but ``run`` is deterministic."""
    start, end = day_number(timeline.start), day_number(timeline.end)
    death = population.death_day()
    fault_counts: dict[str, int] = {}
    for record in injector.records:
        fault_counts[record.fault] = fault_counts.get(record.fault, 0) + 1
    alive_at_start = (population.dob < start) & (death >= start)
    return {
        "generator_version": GENERATOR_VERSION,
        "options": {
            "months": options.months,
            "start_month": options.start_month,
            "scale": options.scale,
            "seed": options.seed,
            "faults": list(options.faults),
        },
        "period": {
            "first_day": timeline.start.isoformat(),
            "last_day": timeline.end.isoformat(),
            "simulation_starts": timeline.sim_start.isoformat(),
            "burn_in_months": timeline.burn_in_months,
            "quarters_delivered": [p.label for p in timeline.periods("quarter")],
            "notes": (
                "Daily and monthly feeds cover the period's days and months. Quarterly "
                "feeds cover the complete calendar quarters ending inside the period; the "
                "simulation starts earlier (burn-in) so the first quarter is complete too."
            ),
        },
        "population": {
            "persons": population.size,
            "resident_at_start": int(alive_at_start.sum()),
            "births_in_period": int(((population.dob >= start) & (population.dob <= end)).sum()),
            "deaths_in_period": int(((death >= start) & (death <= end)).sum()),
            "movers": int((population.move_day < NEVER_DAY).sum()),
            "high_intensity_users": int(population.high_intensity_user.sum()),
            "care_home_residents_at_start": int(
                (alive_at_start & (population.care_home_start < start)).sum()
            ),
            "care_home_entries_in_period": int(
                (
                    (population.care_home_start >= start)
                    & (population.care_home_start <= end)
                    & (population.care_home_start < death)
                ).sum()
            ),
        },
        "planted": {
            "levers": {name: lever.describe(reference) for name, lever in scenario.levers.items()},
            "trend_shape": "linear in month from the first to the last delivered month",
            "knock_on_effects": " ".join(scenario.section("knock_on_effects")),
            "deprivation": {
                "score": "(5.5 - imd_decile) / 4.5, from +1 most deprived to -1 least",
                "log_rate_per_unit_score": scenario.section("deprivation"),
            },
            "rates_per_person_year_by_age_group": {
                "age_groups": scenario.section("age_groups"),
                **scenario.section("rates"),
            },
            "seasonality": scenario.section("seasonality"),
            "benchmarks": {"reablement_at_home_base": scenario.section("reablement")["at_home"]},
        },
        "feeds": {
            name: {"files": summary.files_by_feed[name], "rows": summary.rows_by_feed[name]}
            for name in summary.rows_by_feed
        },
        "faults": {
            "injected": dict(sorted(fault_counts.items())),
            "not_injected": summary.skipped_faults,
        },
        "run": {
            "out": str(options.out),
            "files_written": summary.files,
            "rows_written": summary.rows,
            "elapsed_seconds": round(summary.elapsed_seconds, 3),
            "rows_per_second": round(summary.rows_per_second, 1),
            "seeds_dir": str(options.seeds_dir),
        },
    }
