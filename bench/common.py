"""Shared helpers for the benchmarks: timing statistics, machine facts, the results file.

Benchmarks run on demand (`make bench`), never in the test suite; each writes its own
section of `bench/results/`, and `bench/run.py` gathers them into `latest.md`.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Timing:
    """Wall-clock times of repeated runs, in milliseconds."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def __str__(self) -> str:
        return f"median {self.median:.1f} ms, p95 {self.p95:.1f} ms (n={len(self.samples)})"


def time_calls(fn: Callable[[], object], *, runs: int, warmup: int = 3) -> Timing:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(tuple(samples))


def machine_info() -> str:
    def cmd(*args: str) -> str:
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return "unknown"

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1024 / 1024:.1f} GiB RAM, "
        f"{platform.platform()}, Python {platform.python_version()}, "
        f"{cmd('psql', '--version') or 'no psql'}"
    )


def write_section(name: str, title: str, body: str) -> Path:
    """Write one benchmark's results as `bench/results/<name>.md` (a section of latest.md)."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.md"
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    path.write_text(f"## {title}\n\nMeasured {stamp} on {machine_info()}.\n\n{body.strip()}\n")
    return path
