"""Gunicorn worker memory over 10,000 mixed requests, 500 of them PDFs.

Four client threads send the mix as fast as the server answers. The resident set size
(RSS) of every worker is read after each 1,000 requests: after warm-up (the first 1,000:
imports, WeasyPrint, fonts, template caches) it must not keep growing.
"""

from __future__ import annotations

import http.client
import itertools
import threading
from dataclasses import dataclass

from bench.browser import Browser
from bench.server import rss_mib, worker_pids

REQUESTS = 10_000
PDFS = 500
CLIENTS = 4
CHECKPOINT = 1_000


@dataclass(frozen=True)
class MemoryResult:
    checkpoints: list[tuple[int, list[float]]]  # (requests done, RSS MiB of each worker)
    errors: int
    pdfs: int
    mix: list[str]
    requests: int

    def total_at(self, done: int) -> float:
        return sum(dict(self.checkpoints)[done])


def memory_run(
    *,
    base: str,
    master_pid: int,
    pages: list[str],
    pdfs: list[str],
    login: tuple[str, str],
    requests: int = REQUESTS,
) -> MemoryResult:
    """`pages` and `pdfs` are paths; every 20th request is a PDF (500 of 10,000)."""
    every = REQUESTS // PDFS if pdfs else 0
    page_cycle, pdf_cycle = itertools.cycle(pages), itertools.cycle(pdfs or [""])
    plan = [
        next(pdf_cycle) if every and n % every == every - 1 else next(page_cycle)
        for n in range(requests)
    ]
    lock = threading.Lock()
    done = 0
    errors = 0
    pdf_count = 0
    checkpoints: list[tuple[int, list[float]]] = []
    position = iter(enumerate(plan))

    def worker() -> None:
        nonlocal done, errors, pdf_count
        browser = Browser(base, timeout=60)
        browser.login(*login)
        while True:
            with lock:
                try:
                    _, path = next(position)
                except StopIteration:
                    break
            try:
                response = browser.get(path)
                ok = response.status == 200
                is_pdf = response.body.startswith(b"%PDF")
            except (OSError, http.client.HTTPException):
                ok, is_pdf = False, False
            with lock:
                done += 1
                errors += not ok
                pdf_count += is_pdf
                if done % CHECKPOINT == 0:
                    checkpoints.append((done, [rss_mib(p) for p in worker_pids(master_pid)]))
                    print(f"memory: {done:,} requests, RSS {checkpoints[-1][1]}", flush=True)
        browser.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=1800)
    return MemoryResult(checkpoints, errors, pdf_count, pages + pdfs, requests)


def memory_markdown(result: MemoryResult) -> str:
    lines = [
        f"{result.requests:,} requests from {CLIENTS} client threads, one in {REQUESTS // PDFS} a "
        f"PDF ({result.pdfs} PDFs served), {result.errors} errors. The mix cycles over: "
        + ", ".join(f"`{p}`" for p in result.mix)
        + ".",
        "",
        "| requests done | RSS of each worker (MiB) | total (MiB) |",
        "| --- | --- | --- |",
    ]
    for done, sizes in result.checkpoints:
        lines.append(f"| {done:,} | {', '.join(f'{s:.1f}' for s in sizes)} | {sum(sizes):.1f} |")
    return "\n".join(lines)
