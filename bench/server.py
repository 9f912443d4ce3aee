"""A production-like app server for the benchmarks: gunicorn with production settings.

TLS is terminated by a load balancer in production; here requests carry
`X-Forwarded-Proto: https` and the server trusts it, as it would behind one.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORWARDED = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUST_X_FORWARDED_PROTO": "true",
        "DJANGO_SETTINGS_MODULE": "sciatica_clinic.settings",
    }
    env.update(extra)
    return env


@contextmanager
def gunicorn(
    *,
    workers: int = 2,
    threads: int = 1,
    max_requests: int = 0,
    log_path=None,
    env: dict[str, str] | None = None,
):
    """Start gunicorn on a free loopback port; yields (base_url, process).

    `env`: settings to change from `production_env()` (e.g. plain HTTP for a real browser,
    or another way of connecting to the database).

    With `log_path`, the server's output (error tracebacks included) goes to that file.
    """
    port = free_port()
    args = [
        str(ROOT / ".venv/bin/gunicorn"),
        "sciatica_clinic.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread" if threads > 1 else "--worker-class=sync",
        "--timeout=60",
        "--log-level=warning",
    ]
    if max_requests:
        args.append(f"--max-requests={max_requests}")
    log = open(log_path, "a") if log_path else None  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        args,
        cwd=ROOT,
        env=production_env(**(env or {})),
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(base + "/healthz", headers=FORWARDED)
                urllib.request.urlopen(request, timeout=2).read()  # noqa: S310 (loopback)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            log.close()


def worker_pids(master_pid: int) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-P", str(master_pid)], capture_output=True, text=True, check=False
    ).stdout
    return [int(pid) for pid in out.split()]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    with gunicorn() as (url, _):
        print(url)
        sys.stdout.flush()
        time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 5)
