"""The quality report: one HTML file for the BI team that works offline (inline CSS, no
scripts, no web fonts), written beside the run's results as quality_report.html.

It lists every check of the build, passed or failed, blocking or warning, with the
failing rows' examples; the summary at the top names any failing blocking check in
words. Deliveries are summarised per expectation ("failed in 2 of 730 deliveries")
so that a first build over two years of daily files stays readable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from footprint.quality.results import (
    FAILED,
    PASSED,
    SKIPPED,
    CheckpointResult,
    ExpectationResult,
    run_dir,
)

TEMPLATES = Path(__file__).parent / "templates"
REPORT_NAME = "quality_report.html"


@dataclass
class Failure:
    batch: str
    outcome: str  # what was found, in words
    examples: list[dict[str, Any]]
    columns: list[str]


@dataclass
class ExpectationSummary:
    """One expectation of a checkpoint, over every batch it was run on."""

    name: str
    description: str
    severity: str
    source: str
    type: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    skip_reasons: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.failed:
            return FAILED
        return PASSED if self.passed else SKIPPED

    @property
    def blocking(self) -> bool:
        return self.severity == "blocking"


@dataclass
class CheckpointSummary:
    result: CheckpointResult
    expectations: list[ExpectationSummary]
    unit: str  # "delivery" or "mart", for wording

    @property
    def status(self) -> str:
        if self.result.blocking_failed:
            return "blocking"
        if self.result.warning_failed:
            return "warning"
        return PASSED

    @property
    def failed_blocking(self) -> list[ExpectationSummary]:
        return [e for e in self.expectations if e.status == FAILED and e.blocking]

    @property
    def failed_warning(self) -> list[ExpectationSummary]:
        return [e for e in self.expectations if e.status == FAILED and not e.blocking]


def _number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _cell(value: Any) -> str:
    """A value in an examples table: blank shown as such, midnight dates as dates."""
    if value is None:
        return "(blank)"
    text = str(value)
    return text.removesuffix("T00:00:00")


def _counted(count: int, singular: str, plural: str) -> str:
    return f"{_number(count)} {singular if count == 1 else plural}"


def _expected_range(result: ExpectationResult, show: Callable[[Any], str]) -> str | None:
    low, high = result.kwargs.get("min_value"), result.kwargs.get("max_value")
    if low is not None and high is not None:
        return f"expected {show(low)} to {show(high)}"
    if low is not None:
        return f"expected at least {show(low)}"
    if high is not None:
        return f"expected at most {show(high)}"
    return None


def outcome_in_words(result: ExpectationResult) -> str:
    """What the expectation found, for a person: counts of rows or the measured value,
    and the range it should have been in."""
    if result.status == SKIPPED:
        return f"Not checked: {result.message}"
    parts: list[str | None] = []
    observed = result.observed_value
    if result.unexpected_count is not None and result.element_count is not None:
        share = f" ({result.unexpected_percent:.1f}%)" if result.unexpected_percent else ""
        parts.append(
            f"{_number(result.unexpected_count)} of {_number(result.element_count)} rows "
            f"break it{share}"
        )
    elif "proportion" in result.type and isinstance(observed, float):
        parts += [f"found {observed:.1%}", _expected_range(result, lambda v: f"{v:.0%}")]
    elif "row_count" in result.type and observed is not None:
        parts += [f"found {_number(observed)} rows", _expected_range(result, _number)]
    elif result.type == "expect_every_group_to_contain_value_set":
        parts.append(f"{_number(observed)} groups lack some values")
    elif isinstance(observed, list):
        parts.append(f"found {len(observed)} distinct values")
    elif observed is not None:
        parts += [f"found {_number(observed)}", _expected_range(result, _number)]
    if result.message:
        parts.append(f"error: {result.message}")
    text = "; ".join(p for p in parts if p)
    return text or ("passed" if result.status == PASSED else "failed")


def summarise(result: CheckpointResult) -> CheckpointSummary:
    summaries: dict[str, ExpectationSummary] = {}
    for batch in result.batches:
        for outcome in batch.expectations:
            summary = summaries.setdefault(
                outcome.name,
                ExpectationSummary(
                    outcome.name,
                    outcome.description,
                    outcome.severity,
                    outcome.source,
                    outcome.type,
                ),
            )
            if outcome.status == FAILED:
                summary.failed += 1
                columns = list(dict.fromkeys(k for e in outcome.examples for k in e))
                summary.failures.append(
                    Failure(batch.label, outcome_in_words(outcome), outcome.examples, columns)
                )
            elif outcome.status == PASSED:
                summary.passed += 1
            else:
                summary.skipped += 1
                if outcome.message and outcome.message not in summary.skip_reasons:
                    summary.skip_reasons.append(outcome.message)
    ordered = sorted(
        summaries.values(), key=lambda s: (s.status != FAILED, not s.blocking, s.status)
    )
    return CheckpointSummary(result, ordered, "delivery" if result.kind == "delivery" else "mart")


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["number"] = _number
    environment.filters["counted"] = _counted
    environment.filters["cell"] = _cell
    return environment


def render(
    run_id: str,
    results: Iterable[CheckpointResult],
    notes: Iterable[str] = (),
    generated_at: datetime | None = None,
) -> str:
    checkpoints = [summarise(r) for r in results]
    blocked = [c for c in checkpoints if c.status == "blocking"]
    warned = [c for c in checkpoints if c.status == "warning"]
    counts = {
        "checkpoints": len(checkpoints),
        "expectations": sum(len(c.expectations) for c in checkpoints),
        "failed_blocking": sum(len(c.failed_blocking) for c in checkpoints)
        + sum(1 for c in blocked if c.result.error),
        "failed_warning": sum(len(c.failed_warning) for c in checkpoints),
        "skipped": sum(1 for c in checkpoints for e in c.expectations if e.status == SKIPPED),
    }
    return (
        _environment()
        .get_template("quality_report.html.j2")
        .render(
            run_id=run_id,
            generated_at=(generated_at or datetime.now(UTC)).strftime("%d %B %Y, %H:%M UTC"),
            checkpoints=checkpoints,
            blocked=blocked,
            warned=warned,
            counts=counts,
            notes=list(notes),
        )
    )


def write_report(
    run_id: str,
    results: Iterable[CheckpointResult],
    notes: Iterable[str] = (),
    warehouse: Path | None = None,
) -> Path:
    path = run_dir(run_id, warehouse) / REPORT_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(run_id, results, notes), encoding="utf-8")
    return path
