"""Where a benchmark run keeps its data, its code snapshot and its per-run folders.

Generated deliveries are cached by scale, months and seed (the generator is
deterministic). The last day of the daily feeds is held back from landing so that the
incremental night can deliver it. The code is measured from a snapshot of the working
tree, so that edits made elsewhere while the benchmark runs cannot change or break it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DAILY_FILE = re.compile(r"_(?P<day>\d{4}-\d{2}-\d{2})\.[a-z]+$")
DEFAULT_SEED = 20240401


@dataclass(frozen=True)
class Dataset:
    scale: float
    months: int
    root: Path

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def holdback(self) -> Path:
        """The last day of the daily feeds, in landing's layout."""
        return self.root / "holdback"

    def files(self) -> list[Path]:
        return sorted(
            p
            for p in self.landing.rglob("*")
            if p.is_file() and not p.relative_to(self.landing).parts[0].startswith("_")
        )

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files())


def dataset(workdir: Path, scale: float, months: int, seed: int = DEFAULT_SEED) -> Dataset:
    """Generate (once) the deliveries for this scale, holding back the last daily day."""
    root = workdir / "data" / f"scale{scale:g}-months{months}-seed{seed}"
    data = Dataset(scale, months, root)
    if (root / "complete").exists():
        return data
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    subprocess.run(
        [
            str(VENV_BIN / "footprint"),
            "generate",
            *("--scale", f"{scale:g}", "--months", str(months), "--seed", str(seed)),
            *("--out", str(data.landing), "--quiet"),
        ],
        cwd=PROJECT_ROOT,
        check=True,
    )
    _hold_back_last_day(data)
    (root / "complete").write_text("generated\n")
    return data


def _hold_back_last_day(data: Dataset) -> None:
    daily = [(m.group("day"), p) for p in data.files() if (m := DAILY_FILE.search(p.name))]
    if not daily:
        return
    last = max(day for day, _ in daily)
    for day, path in daily:
        if day == last:
            target = data.holdback / path.relative_to(data.landing)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)


def deliver_held_back_day(data: Dataset) -> list[Path]:
    """Copy the held-back day into landing (copies: ingestion ignores symbolic links)."""
    delivered = []
    for path in sorted(p for p in data.holdback.rglob("*") if p.is_file()):
        target = data.landing / path.relative_to(data.holdback)
        shutil.copy2(path, target)
        delivered.append(target)
    return delivered


def withdraw(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def snapshot_code(workdir: Path) -> Path:
    """Copy the working tree (tracked and untracked, not ignored files) to measure."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    target = workdir / "code"
    shutil.rmtree(target, ignore_errors=True)
    for name in filter(None, listed.split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target
