"""What the nightly job needs before it starts, checked in a second before Dagster or
dbt start: a usable pseudonymisation key, a landing folder it can read, and a warehouse
folder and a published folder it can write. Each problem is one plain-English line
saying what is wrong and how to put it right."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from footprint.keys import MissingKeyError, load_key
from footprint.paths import landing_dir, published_dir, warehouse_path


class PreflightError(RuntimeError):
    """Something the nightly job needs is missing; the message says what, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _landing_problem(landing: Path) -> str | None:
    hint = "set FOOTPRINT_LANDING to the folder the organisations deliver into"
    if not landing.is_dir():
        return (
            f"The landing folder {landing} does not exist: {hint}, "
            "or run `footprint generate` to write synthetic deliveries there."
        )
    try:
        next(os.scandir(landing), None)
    except PermissionError:
        return f"Cannot read the landing folder {landing} (permission denied): {hint}."
    return None


def _writable_problem(folder: Path, what: str, variable: str) -> str | None:
    """None when files can be made in folder, or it can be created: tried for real, as
    permissions, read-only mounts and root all make os.access unreliable."""
    existing = folder
    while not existing.exists():
        existing = existing.parent
    hint = f"set {variable} to a place this user can write, or fix the folder's permissions"
    if not existing.is_dir():
        return f"The {what} {folder} cannot be made: {existing} is a file, not a folder; {hint}."
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as error:
        return f"Cannot write the {what} {folder} ({error.strerror}): {hint}."
    return None


def check_preconditions() -> None:
    """Raise PreflightError naming everything missing; return when the job can start."""
    problems = []
    try:
        load_key()
    except MissingKeyError as error:
        problems.append(str(error))
    problems += [
        _landing_problem(landing_dir()),
        _writable_problem(warehouse_path().parent, "warehouse folder", "FOOTPRINT_WAREHOUSE"),
        _writable_problem(published_dir(), "published folder", "FOOTPRINT_PUBLISHED"),
    ]
    problems = [p for p in problems if p]
    if problems:
        raise PreflightError(problems)
