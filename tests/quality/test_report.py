"""The offline quality report and what publication takes from the gate."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from footprint.publish.publisher import publish
from footprint.quality.build_results import run_quality
from footprint.quality.runner import run_checkpoint
from tests.quality.builders import (
    AE,
    MART_MODELS,
    ae_delivery,
    indicator_values,
    write_dbt_manifest,
    write_deliveries,
    write_mart,
)

RUN = "run-1"


def _planted_build(quality: dict[str, Path]) -> None:
    """A count of 4 in the mart (blocking) and an old average age in a delivery (warning)."""
    frame = indicator_values()
    frame.loc[5, "numerator"] = 4
    write_mart(quality["warehouse"], frame)
    write_deliveries(quality["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 30, age=100)])
    for name in ("sdf_indicator_values", AE):
        run_checkpoint(name, RUN, dbt_manifest=quality["dbt_manifest"])


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_report_names_the_failing_blocking_check_and_shows_the_example(
    quality: dict[str, Path],
) -> None:
    _planted_build(quality)

    report = run_quality(RUN, dbt_manifest=quality["dbt_manifest"]).report

    html = report.read_text()
    text = _text(html)
    summary = text[: text.index("Checkpoints run")]
    assert "Publication blocked: 2 blocking checks failed" in summary
    assert "no numerator between 1 and 7" in summary
    assert "numerators rounded to 5" in summary
    assert "mean age" not in summary.split("failed:")[1].split("Also")[0]
    assert "Also 1 warning" in summary
    examples = html[html.index("Blocking failure: no numerator between 1 and 7") :]
    assert re.search(r"<td>4</td>", examples[: examples.index("</table>")])
    assert "WARNING" in text and "mean age" in text


def test_report_is_self_contained(quality: dict[str, Path]) -> None:
    _planted_build(quality)

    report = run_quality(RUN, dbt_manifest=quality["dbt_manifest"]).report

    html = report.read_text().lower()
    for outside in ("http://", "https://", "<script", "<link", "@import", "url(", "<img"):
        assert outside not in html


def test_report_says_when_every_blocking_check_passed(quality: dict[str, Path]) -> None:
    write_deliveries(quality["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 30, age=100)])
    run_checkpoint(AE, RUN, dbt_manifest=quality["dbt_manifest"])

    report = run_quality(RUN, dbt_manifest=quality["dbt_manifest"]).report

    assert "All blocking checks passed, with 1 warning" in _text(report.read_text())


def test_report_lists_a_published_mart_without_checkpoint(quality: dict[str, Path]) -> None:
    models = {**MART_MODELS, "sdf_new_mart": ("sdf", ["published"])}
    manifest = write_dbt_manifest(quality["root"] / "other" / "manifest.json", models)

    report = run_quality(RUN, dbt_manifest=manifest).report

    text = _text(report.read_text())
    assert "No checks ran in this build" in text
    assert "sdf.sdf_new_mart has no quality checkpoint" in text


def test_publication_takes_the_rows_and_the_report(quality: dict[str, Path]) -> None:
    write_deliveries(quality["warehouse"], [ae_delivery("d1", date(2025, 1, 6), 30)])
    write_mart(quality["warehouse"], indicator_values())
    run_checkpoint("sdf_indicator_values", RUN, dbt_manifest=quality["dbt_manifest"])
    gate = run_quality(RUN, dbt_manifest=quality["dbt_manifest"])
    manifest = write_dbt_manifest(
        quality["root"] / "publish" / "manifest.json",
        {"sdf_indicator_values": ("sdf", ["published"])},
    )

    published = publish(
        quality["warehouse"], quality["published"], manifest, gate.manifest_rows, gate.report
    )

    assert published["quality_report"] == "quality_report.html"
    assert (quality["published"] / "current" / "quality_report.html").exists()
    assert {row["status"] for row in published["checks"]} <= {"passed", "skipped"}
    row = next(r for r in published["checks"] if r["expectation"] == "every SDF present")
    assert row == {
        "checkpoint": "sdf_indicator_values",
        "asset": "sdf/sdf_indicator_values",
        "expectation": "every SDF present",
        "description": row["description"],
        "severity": "blocking",
        "status": "passed",
        "batches_passed": 1,
        "batches_failed": 0,
        "batches_not_checked": 0,
    }


def _page_requests(net_log: Path) -> list[str]:
    """URLs the page itself asked for (Chromium's own background traffic, which has no
    origin, is left out), from Chromium's --log-net-log file."""
    events = json.loads(net_log.read_text())["events"]
    return sorted(
        {
            e["params"]["url"]
            for e in events
            if "url" in e.get("params", {})
            and e["params"].get("initiator", "not an origin") != "not an origin"
        }
    )


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_report_renders_in_a_browser_offline(quality: dict[str, Path]) -> None:
    _planted_build(quality)
    report = run_quality(RUN, dbt_manifest=quality["dbt_manifest"]).report
    screenshot, net_log = quality["root"] / "report.png", quality["root"] / "net.json"

    completed = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={quality['root'] / 'chromium'}",
            "--enable-logging=stderr",
            "--v=0",
            f"--log-net-log={net_log}",
            f"--screenshot={screenshot}",
            "--window-size=1200,1600",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000  # a rendered page, not a blank one
    assert [line for line in completed.stderr.splitlines() if ":CONSOLE" in line] == []
    assert _page_requests(net_log) == []
