"""Requests/s of pages under a closed-loop load (wrk), side by side with a bare Django view.

The bare view is `/healthz`: it goes through the same middleware stack, touches no
database and renders no template, so it is the framework's ceiling on this machine.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
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
    base: str,
    path: str,
    *,
    label: str,
    cookie: str = "",
    cookies: Sequence[str] = (),
    seconds: int = 10,
    connections: int = 8,
) -> WrkResult:
    """`cookies`: one Cookie header per logged-in session, sent in turn, so that requests do
    not all write the same session row (SESSION_SAVE_EVERY_REQUEST saves it each time)."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed: bin/bench installs it (apt-get install wrk)")
    headers = [f"{k}: {v}" for k, v in FORWARDED.items()]
    if cookie:
        headers.append(f"Cookie: {cookie}")
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if cookies:
            script.write(_rotating_cookies_lua(cookies))
            script.flush()
            args += ["-s", script.name]
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


def _rotating_cookies_lua(cookies: Sequence[str]) -> str:
    # Each wrk thread starts at a different session and takes the next one per request.
    quoted = ", ".join(json.dumps(c) for c in cookies)
    return f"""
local cookies = {{{quoted}}}
local n = 0
function init(args) n = math.random(#cookies) end
function request()
  n = n % #cookies + 1
  wrk.headers["Cookie"] = cookies[n]
  return wrk.format()
end
"""
