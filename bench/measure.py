"""Run one measured command as a child process: wall time and peak memory.

Peak memory is the larger of two readings:
- the kernel's maximum resident set size from os.wait4's rusage: the largest single
  process among the child and the descendants it waited for (exact, but not a sum);
- the sum of the resident sets of the child and all its descendants, read from /proc
  every SAMPLE_SECONDS (catches a Dagster process and its dbt process holding memory
  at the same time, but can miss a peak shorter than the interval).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.2
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Sample:
    """One run of one measured step."""

    step: str
    seconds: float
    peak_rss_bytes: int
    returncode: int
    log: str
    load_average: str  # 1, 5 and 15 minute load averages when the step ended

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
    except OSError:  # the process ended while we looked
        pass
    return found


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_bytes(pid: int) -> int:
    """Resident bytes of a process and all its descendants, now."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += _rss_bytes(current)
        pending.extend(_children(current))
    return total


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, tree_rss_bytes(self.pid))


def run_measured(
    step: str, command: Sequence[str], *, env: Mapping[str, str], cwd: Path, log: Path
) -> Sample:
    """Run `command` (output to `log`), return its wall time, peak memory and exit code."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command), cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT
        )
        sampler = _TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Sample(
        step=step,
        seconds=round(seconds, 3),
        peak_rss_bytes=max(usage.ru_maxrss * 1024, sampler.peak),  # ru_maxrss is in KiB
        returncode=process.returncode,
        log=str(log),
        load_average=load_average(),
    )


@dataclass(frozen=True)
class Summary:
    """The repeats of one step: median time of the successful runs, spread, worst memory."""

    step: str
    repeats: int
    failures: int
    median_seconds: float | None
    min_seconds: float | None
    max_seconds: float | None
    peak_rss_bytes: int

    @property
    def succeeded(self) -> bool:
        return self.median_seconds is not None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def summarise(samples: Sequence[Sample]) -> dict[str, Summary]:
    """One Summary per step, in the order steps first appear. A step that never
    succeeded has no time: the time of a failed run measures nothing."""
    summaries = {}
    for step in dict.fromkeys(s.step for s in samples):
        runs = [s for s in samples if s.step == step]
        ok = [s.seconds for s in runs if s.returncode == 0]
        summaries[step] = Summary(
            step=step,
            repeats=len(runs),
            failures=len(runs) - len(ok),
            median_seconds=round(statistics.median(ok), 3) if ok else None,
            min_seconds=min(ok) if ok else None,
            max_seconds=max(ok) if ok else None,
            peak_rss_bytes=max(s.peak_rss_bytes for s in runs),
        )
    return summaries
