"""How much of the machine other work took while the benchmarks ran.

Every `interval` seconds the sampler reads the CPU ticks of every process in /proc and
charges the difference to "ours" (the bench's own process tree and its PostgreSQL cluster) or
to "others" (anything else: another test suite, a browser, a server). The figures go into
`latest.md`, so a reader can tell a quiet run from one that shared the two cores.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, CPU ticks so far, command line)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        # The command name (field 2) may hold spaces: split after its closing parenthesis.
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), cmdline)
    return found


def _ours(processes: dict[int, tuple[int, int, str]], root: int, cluster_dir: str) -> set[int]:
    """The root's descendants, the cluster's postmaster and the postmaster's children."""
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    roots = [root] + [
        pid for pid, (_, _, cmd) in processes.items() if cluster_dir and cluster_dir in cmd
    ]
    ours, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid not in ours:
            ours.add(pid)
            todo += children.get(pid, [])
    return ours


@dataclass
class Sample:
    at: float  # time.monotonic()
    others_cores: float
    ours_cores: float
    load: float


@dataclass
class InterferenceSampler:
    root: int
    cluster_dir: str
    interval: float = 5.0
    samples: list[Sample] = field(default_factory=list)
    top_others: dict[str, float] = field(default_factory=dict)  # command -> CPU seconds

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval * 2)

    def _run(self) -> None:
        before, then = _processes(), time.monotonic()
        while not self._stop.wait(self.interval):
            now_procs, now = _processes(), time.monotonic()
            ours = _ours(now_procs, self.root, self.cluster_dir)
            others = mine = 0
            for pid, (_, ticks, cmd) in now_procs.items():
                used = ticks - before.get(pid, (0, ticks, ""))[1] if pid in before else 0
                if pid in ours:
                    mine += used
                else:
                    others += used
                    if used:
                        name = " ".join(cmd.split()[:3])[:80] or "?"
                        self.top_others[name] = self.top_others.get(name, 0) + used / CLOCK_TICKS
            seconds = now - then
            self.samples.append(
                Sample(
                    now,
                    others / CLOCK_TICKS / seconds,
                    mine / CLOCK_TICKS / seconds,
                    os.getloadavg()[0],
                )
            )
            before, then = now_procs, now

    def between(self, start: float, end: float) -> tuple[float, float]:
        """Mean CPU cores used by others and by the bench between two monotonic times."""
        inside = [s for s in self.samples if start <= s.at <= end + self.interval]
        if not inside:
            return 0.0, 0.0
        return (
            sum(s.others_cores for s in inside) / len(inside),
            sum(s.ours_cores for s in inside) / len(inside),
        )

    def top(self, n: int = 5) -> list[tuple[str, float]]:
        return sorted(self.top_others.items(), key=lambda item: -item[1])[:n]
