"""Requests/s of pages under a closed-loop load (wrk), side by side with a bare Django view.

The bare view is `/healthz`: it goes through the same middleware stack, touches no
database and renders no template, so it is the framework's ceiling on this machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from bench.server import FORWARDED


@dataclass(frozen=True)
class WrkResult:
    label: str
    requests_per_second: float
    latency: str
    non_2xx: int
    errors: str


def wrk(
    base: str, path: str, *, label: str, cookie: str = "", seconds: int = 10, connections: int = 8
) -> WrkResult:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed: bin/bench installs it (apt-get install wrk)")
    headers = [f"{k}: {v}" for k, v in FORWARDED.items()]
    if cookie:
        headers.append(f"Cookie: {cookie}")
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run(
        [*args, base + path], capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = re.search(r"Latency\s+(\S+)", out).group(1)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return WrkResult(
        label,
        rps,
        latency,
        int(non_2xx.group(1)) if non_2xx else 0,
        errors.group(0) if errors else "none",
    )
