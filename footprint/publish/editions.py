"""Quarterly and annual editions: frozen copies of a published version, for board papers.

The financial year runs April to March: quarter 1 is April to June, quarter 4 January to
March. An edition is identified by its financial year and, for a quarterly edition, its
quarter: `2025-26-Q2` (July to September 2025) or `2025-26` (the year to March 2026).

An edition is cut by hand (`footprint edition cut 2025-26-Q2`), once place-based staff
have written their commentary, from a kept published version that covers the period:
for every catalogue indicator, the latest period published (the report month less the
indicator's lag) reaches the period's last month, and every area has a value there. Its
figures are each indicator's headline period ending with that month (for a 12-month
indicator, the 12 months to the end of the quarter or year).

    <published>/editions/<edition id>/issue-<n>/
        footprint.duckdb   the version's published file, copied
        manifest.json      the version's publish manifest, copied
        commentary/        the commentary files as they were when it was cut
        edition.json       what was cut, when, from which build; sha256 of every file above
        report.html        the edition's report, rendered from the files above

An issue is written in a staging folder and moved into place whole, then made read-only;
nothing removes it (version rotation only prunes versions/). Cutting an edition again
is refused unless a reason is given (`--reissue`), which writes the next issue beside
the earlier ones and records the reason in it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from footprint.paths import SEEDS_DIR
from footprint.publish.publisher import (
    DATABASE_NAME,
    MANIFEST_NAME,
    code_version,
    current_build_id,
    versions,
)

SQL_DIR = Path(__file__).parent / "sql"
EDITIONS_DIR = "editions"
RECORD_NAME = "edition.json"
REPORT_NAME = "report.html"
COMMENTARY_DIR = "commentary"
COMMENTARY_SUFFIX = ".md"
SEEDS_COMMENTARY = SEEDS_DIR / COMMENTARY_DIR
ISSUE_PREFIX = "issue-"
EDITION_ID = re.compile(r"(?P<first>\d{4})-(?P<second>\d{2})(?:-Q(?P<quarter>[1-4]))?")


class EditionError(RuntimeError):
    """An edition cannot be cut, found or reproduced; the message says why and what to do."""


@dataclass(frozen=True)
class EditionPeriod:
    """A financial year (quarter None) or one of its quarters."""

    first_year: int  # the year the financial year starts in April
    quarter: int | None = None

    @classmethod
    def parse(cls, edition_id: str) -> EditionPeriod:
        match = EDITION_ID.fullmatch(edition_id.strip())
        if match is None or int(match["second"]) != (int(match["first"]) + 1) % 100:
            raise EditionError(
                f"{edition_id!r} is not an edition id: write the financial year as "
                "YYYY-YY, e.g. 2025-26 for April 2025 to March 2026, and add -Q1 to -Q4 for "
                "a quarter, e.g. 2025-26-Q2 for July to September 2025"
            )
        quarter = int(match["quarter"]) if match["quarter"] else None
        return cls(int(match["first"]), quarter)

    @property
    def year(self) -> str:
        return f"{self.first_year}-{(self.first_year + 1) % 100:02d}"

    @property
    def edition_id(self) -> str:
        return self.year if self.quarter is None else f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        return self.year if self.quarter is None else f"{self.year} Q{self.quarter}"

    @property
    def kind(self) -> str:
        return "annual" if self.quarter is None else "quarterly"

    @property
    def start_month(self) -> date:
        return _add_months(date(self.first_year, 4, 1), 3 * ((self.quarter or 1) - 1))

    @property
    def end_month(self) -> date:
        """The first day of the period's last month (how the marts key their periods)."""
        return _add_months(self.start_month, 2 if self.quarter else 11)


def _add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Issue:
    """One frozen issue of an edition, as its edition.json records it."""

    folder: Path
    record: dict[str, Any]

    @property
    def number(self) -> int:
        return int(self.record["issue"])

    @property
    def report(self) -> Path:
        return self.folder / REPORT_NAME


def editions_dir(published: Path) -> Path:
    return published / EDITIONS_DIR


def issues(published: Path, edition_id: str) -> list[Issue]:
    """The frozen issues of an edition, first issue first."""
    folder = editions_dir(published) / EditionPeriod.parse(edition_id).edition_id
    found = [
        Issue(path, json.loads((path / RECORD_NAME).read_text()))
        for path in folder.glob(f"{ISSUE_PREFIX}*")
        if (path / RECORD_NAME).is_file()
    ]
    return sorted(found, key=lambda issue: issue.number)


def latest_issue(published: Path, edition_id: str) -> Issue:
    found = issues(published, edition_id)
    if not found:
        cut = sorted(p.name for p in editions_dir(published).glob("*") if p.is_dir())
        raise EditionError(
            f"edition {edition_id} has not been cut in {editions_dir(published)}; editions "
            f"cut so far: {', '.join(name for name in cut if not name.startswith('.')) or 'none'}"
        )
    return found[-1]


def _coverage(connection: duckdb.DuckDBPyConnection, month: date) -> list[tuple[Any, ...]]:
    script = (SQL_DIR / "edition_coverage.sql").read_text()
    return connection.execute(script, {"period_month": month}).fetchall()


def coverage_problems(database: Path, period: EditionPeriod) -> list[str]:
    """Why a published file does not cover the period's end (empty when it does)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = _coverage(connection, period.end_month)
    problems = []
    end = period.end_month.strftime("%b %Y")
    for indicator_id, name, lag, latest, areas, at_end in rows:
        if latest is None or latest < period.end_month:
            reached = latest.strftime("%b %Y") if latest else "nothing"
            maturing = f" (its data take {lag} months to mature)" if lag else ""
            problems.append(
                f"{name} ({indicator_id}) is published to {reached}{maturing}, not yet to {end}"
            )
        elif areas == 0 or at_end < areas:
            problems.append(
                f"{name} ({indicator_id}) has values for {at_end} of {areas} areas at "
                f"{end}: the version no longer holds that period"
            )
    return problems


def covered_periods(database: Path) -> list[EditionPeriod]:
    """The quarters and financial years a published file covers, oldest first: those
    ending in the 24 months up to the month every indicator has reached."""
    with duckdb.connect(str(database), read_only=True) as connection:
        latest = [row[3] for row in _coverage(connection, date.min)]
        if not latest or None in latest:
            return []
        reached = min(latest)
        candidates = [
            EditionPeriod(year, quarter)
            for year in range(reached.year - 3, reached.year + 1)
            for quarter in (1, 2, 3, 4, None)
        ]
        months_back = [p for p in candidates if _add_months(reached, -24) < p.end_month <= reached]
        covered = [
            p
            for p in months_back
            if all(at_end == areas > 0 for *_, areas, at_end in _coverage(connection, p.end_month))
        ]
    return sorted(covered, key=lambda p: (p.end_month, p.quarter is None))


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def frozen_files(folder: Path) -> dict[str, str]:
    """sha256 of the data an issue is rendered from, by path inside the issue."""
    paths = [folder / DATABASE_NAME, folder / MANIFEST_NAME]
    paths += sorted((folder / COMMENTARY_DIR).glob(f"*{COMMENTARY_SUFFIX}"))
    return {path.relative_to(folder).as_posix(): _sha256(path) for path in paths}


def _copy_commentary(source: Path, target: Path, area_codes: set[str]) -> list[str]:
    """Copy the edition's commentary files; a file naming no published area is an error
    (a misspelt code would otherwise leave its area saying there is no commentary)."""
    target.mkdir()
    files = sorted(source.glob(f"*{COMMENTARY_SUFFIX}")) if source.is_dir() else []
    unknown = [path.name for path in files if path.stem not in area_codes]
    if unknown:
        raise EditionError(
            f"commentary in {source} for areas the published data does not have: "
            f"{', '.join(unknown)}; name each file <area code>{COMMENTARY_SUFFIX}, one of "
            f"{', '.join(sorted(area_codes))}"
        )
    for path in files:
        path.read_text(encoding="utf-8")  # not UTF-8: fail here, naming the file
        shutil.copyfile(path, target / path.name)
    return [path.stem for path in files]


def _area_codes(database: Path) -> set[str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute((SQL_DIR / "edition_areas.sql").read_text()).fetchall()
    return {code for (code,) in rows}


def _freeze(folder: Path) -> None:
    for path in folder.rglob("*"):
        path.chmod(0o555 if path.is_dir() else 0o444)
    folder.chmod(0o555)


def cut_edition(
    published: Path,
    edition_id: str,
    build_id: str | None = None,
    reissue_reason: str | None = None,
    commentary_root: Path | None = None,
    now: datetime | None = None,
) -> Issue:
    """Freeze an edition from a kept published version (the current one by default) and
    render its report; returns the new issue. Commentary is read from
    `commentary_root`/<edition id>/ (default seeds/commentary/)."""
    from footprint.profiles.editions import render_edition_folder  # renders; not the reverse

    period = EditionPeriod.parse(edition_id)
    build_id = build_id or current_build_id(published)
    kept = versions(published)
    if build_id is None or build_id not in kept:
        raise EditionError(
            f"no kept published version {build_id or '(nothing is published yet)'} in "
            f"{published}; kept versions: {', '.join(kept) or 'none'}"
        )
    version = published / "versions" / build_id
    problems = coverage_problems(version / DATABASE_NAME, period)
    if problems:
        raise EditionError(
            f"build {build_id} does not cover {period.label} (to the end of "
            f"{period.end_month:%B %Y}): " + "; ".join(problems)
        )
    earlier = issues(published, period.edition_id)
    if earlier and not (reissue_reason and reissue_reason.strip()):
        last = earlier[-1].record
        raise EditionError(
            f"edition {period.edition_id} is frozen: issue {last['issue']} was cut on "
            f"{last['cut_at']} from build {last['build_id']} ({earlier[-1].folder}). To issue "
            'it again, say why: footprint edition cut ... --reissue "reason"'
        )

    number = earlier[-1].number + 1 if earlier else 1
    folder = editions_dir(published) / period.edition_id / f"{ISSUE_PREFIX}{number}"
    # this process's own: a concurrent cut of the same edition cannot clear it
    staging = editions_dir(published) / ".staging" / f"{period.edition_id}-{os.getpid()}"
    _unfreeze_and_remove(staging)  # left by a cut that died with this process id
    staging.mkdir(parents=True)
    try:
        shutil.copyfile(version / DATABASE_NAME, staging / DATABASE_NAME)
        shutil.copyfile(version / MANIFEST_NAME, staging / MANIFEST_NAME)
        with_commentary = _copy_commentary(
            (commentary_root or SEEDS_COMMENTARY) / period.edition_id,
            staging / COMMENTARY_DIR,
            _area_codes(staging / DATABASE_NAME),
        )
        record = {
            "edition_id": period.edition_id,
            "label": period.label,
            "kind": period.kind,
            "period_start": period.start_month.isoformat(),
            "period_end_month": period.end_month.isoformat(),
            "issue": number,
            "replaces_issue": number - 1 if number > 1 else None,
            "reissue_reason": reissue_reason.strip() if number > 1 else None,
            "build_id": build_id,
            "cut_at": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "cut_by_code_version": code_version(),
            "commentary_areas": with_commentary,
            "files": frozen_files(staging),
        }
        (staging / RECORD_NAME).write_text(json.dumps(record, indent=2) + "\n")
        render_edition_folder(staging, staging / REPORT_NAME)
        _freeze(staging)
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(staging, folder)  # refused onto a folder with files: never overwrites
        except OSError as err:
            raise EditionError(
                f"{folder} was written by another cut of {period.edition_id} while this one "
                f"ran; it is kept as it is: {err}"
            ) from err
    except BaseException:
        _unfreeze_and_remove(staging)
        raise
    return Issue(folder, record)


def _unfreeze_and_remove(folder: Path) -> None:
    if folder.exists():
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def check_issue(issue: Issue) -> list[str]:
    """Whether an issue is as it was cut: its files have the sha256 it records, and its
    report re-rendered from them is byte for byte the frozen one. Empty when it is."""
    from footprint.profiles.editions import render_edition

    problems = []
    now = frozen_files(issue.folder)
    for name in sorted(set(now) | set(issue.record["files"])):
        if now.get(name) != issue.record["files"].get(name):
            problems.append(f"{issue.folder / name} is not the file the edition was cut with")
    if not problems and render_edition(issue.folder) != issue.report.read_text(encoding="utf-8"):
        problems.append(
            f"{issue.report} differs from the report re-rendered from the frozen data "
            "(the rendering code has changed since the edition was cut)"
        )
    return problems
