"""Profile one page of `bench/pages.py`: its queries with their times, then cProfile's top.

    bin/with-postgres .venv/bin/python -m bench.profile --scale 0.02 chart today

Seeds the throwaway cluster first (at the given scale; the 200-visit client is there at any
scale), with the production settings, like `bin/bench`. A tool for finding where a page's
time goes, not a benchmark: its figures include the profiler's overhead.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="+", help="page keys or words of a page's label")
    parser.add_argument("--scale", type=float, default=0.02, help="seed size factor")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args(argv)
    if "PG_TEST_DIR" not in os.environ:
        parser.error("run under bin/with-postgres")

    from bench.server import production_env

    os.environ.update(production_env())
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench import pages, seed

    call_command("migrate", verbosity=0)
    if not seed.is_seeded():
        seed.seed(sizes=seed.Sizes().scaled(args.scale))
    fixture = pages.fixture_load()
    for key in args.keys:
        page = next(p for p in pages.PAGES if p.key == key or key.lower() in p.label.lower())
        path = reverse(page.url_name, args=page.args(fixture)) + page.query
        client = pages._client_for(page.user(fixture))
        for _ in range(3):
            client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        print(f"\n== {page.label}: {path} -> {response.status_code}, {len(captured)} queries")
        for query in captured.captured_queries:
            print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:160]}")
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(args.runs):
            client.get(path)
        # CPU time of this process (Django and the driver, not PostgreSQL): on a busy machine
        # it moves much less than the wall-clock time.
        wall = (time.perf_counter() - started) * 1000 / args.runs
        cpu = (time.process_time() - cpu_started) * 1000 / args.runs
        print(f"  mean {wall:.1f} ms unprofiled, {cpu:.1f} ms CPU in this process")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            client.get(path)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(args.top)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
