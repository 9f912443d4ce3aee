"""Run every benchmark and fault test in one go; write `bench/results/latest.md`.

    bin/bench                      # what `make bench` runs: the full run, about 40 minutes
    bin/bench --minutes 1 --scale 0.1   # a quick run (figures not comparable)

Runs under `bin/with-postgres` (a throwaway PostgreSQL 15 cluster with durable settings),
with the production settings, on loopback only. Each section is also written on its own
to `bench/results/<name>.md`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import RESULTS, machine_info, write_section
from bench.interference import InterferenceSampler
from bench.server import ROOT, gunicorn, production_env

LOG_DIR = Path(tempfile.mkdtemp(prefix="sciatica-bench-"))
WORKERS = 4  # gunicorn sync workers: two per core, as production would run on this machine
THROUGHPUT_SECONDS = 10
SIGNED_IN_BARE = "Bare view /healthz, signed in (session cookie)"
FAULT_GRACE_SECONDS = 2.0
SEED_TARGET_SECONDS = 300
RACE_ROUNDS = 50  # at scale 1; --race-rounds overrides


@dataclass
class Target:
    name: str
    met: bool | None  # None: could not be measured
    figure: str


TARGETS: list[Target] = []
SECTIONS: list[str] = []


def _target(name: str, met: bool | None, figure: str) -> None:
    TARGETS.append(Target(name, met, figure))
    print(f"target: {name}: {'MET' if met else 'NOT MET' if met is False else 'n/a'} ({figure})")


def _section(name: str, title: str, body: str) -> None:
    write_section(name, title, body)
    SECTIONS.append(name)


# ---------------------------------------------------------------------------------------------


def step_seed(scale: float) -> None:
    from django.core.management import call_command

    from bench import seed

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    report = seed.seed(sizes=seed.Sizes().scaled(scale))
    lines = [
        f"`bench/seed.py`: `migrate` ({migrate_seconds:.1f} s), then the seed in "
        f"**{report.seconds:.0f} s** ({report.seconds / 60:.1f} min).",
        "",
        "| step | seconds |",
        "| --- | --- |",
        *(f"| {label} | {seconds:.1f} |" for label, seconds in report.steps),
        "",
        "| rows | count |",
        "| --- | --- |",
        *(f"| {name} | {count:,} |" for name, count in report.counts.items()),
    ]
    _section("seed", "Seed", "\n".join(lines))
    _target(
        "Seed 50,000 clients, 500,000 appointments, 200,000 notes in under 5 minutes",
        report.seconds < SEED_TARGET_SECONDS and scale == 1,
        f"{report.seconds:.0f} s" + ("" if scale == 1 else f" at scale {scale}"),
    )


def step_pages() -> dict[str, object]:
    from bench import pages

    results = pages.pages_run()
    _section("pages", "Server-side time and queries per page", pages.pages_markdown(results))
    by_key = {r.page.key: r for r in results if r.page.key}
    for key, label in (("today", "Today page"), ("chart", "Chart page (200 visits)")):
        result = by_key[key]
        if result.timing is None:
            _target(f"{label} under 50 ms median server time", False, ", ".join(result.notes))
            continue
        _target(
            f"{label} under 50 ms median server time",
            result.timing.median < pages.TARGET_MEDIAN_MS[key],
            f"median {result.timing.median:.1f} ms, p95 {result.timing.p95:.1f} ms, "
            f"{result.queries} queries",
        )
    compared = [r for r in results if r.small_queries is not None]
    grows = [r for r in compared if r.small_queries != r.queries]
    _target(
        "Query count constant in the data (large case = small case)",
        not grows if compared else None,
        ", ".join(f"{r.page.label}: {r.small_queries} vs {r.queries}" for r in compared)
        or "no page to compare yet",
    )
    return by_key


def step_grid() -> None:
    from bench import grid

    results, facts = grid.grid_run()
    _section("grid", "Calendar time grids", grid.grid_markdown(results, facts))
    result = next(r for r in results if r.page.key == grid.GRID_KEY)
    label = f"Manager's day x therapist grid under 50 ms median server time ({facts['therapists']} therapists)"
    if result.timing is None:
        _target(label, False, ", ".join(result.notes))
        return
    _target(
        label,
        result.timing.median < grid.TARGET_MEDIAN_MS and facts["therapists"] >= 24,
        f"median {result.timing.median:.1f} ms, p95 {result.timing.p95:.1f} ms, "
        f"{result.queries} queries, {facts['visits']} visits, {result.bytes / 1024:.0f} KiB",
    )


def step_helper_benches() -> None:
    """The planner's and the PDFs' own benchmarks (bench/planner.py, bench/pdfs.py)."""
    for name in ("planner", "pdfs"):
        subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=ROOT, check=True, timeout=900)
        if (RESULTS / f"{name}.md").exists():
            SECTIONS.append(name)


def _logins(base: str, username: str, password: str, count: int):
    """`count` logged-in browsers of the same user (one session each)."""
    from bench.browser import Browser

    browsers = []
    for _ in range(count):
        browser = Browser(base)
        browser.login(username, password)
        browser.close()
        browsers.append(browser)
    return browsers


def step_throughput() -> None:
    from bench.pages import fixture_load
    from bench.throughput import wrk
    from sciatica_clinic.demo.clients import DEMO_LOGINS

    fixture = fixture_load()
    login = next(d for d in DEMO_LOGINS if d.username == "therapist")
    # (label, path, send the session cookie): the bare view as a load balancer asks it, then
    # the same view with a signed-in session, which the middleware reads (session row, user):
    # what every signed-in page pays before its own work.
    targets = [
        ("Bare view /healthz (ceiling)", "/healthz", False),
        (SIGNED_IN_BARE, "/healthz", True),
        ("Today page", _path("sessions:today", []), True),
        ("Chart page, 200 visits", _path("intake:client_chart", [fixture.long_client.pk]), True),
        ("Client list, page 1", _path("intake:client_list", []), True),
    ]
    with gunicorn(workers=WORKERS, log_path=LOG_DIR / "throughput.log") as (base, _):
        browsers = _logins(base, login.username, login.password, 8)
        cookies = [b.cookie_header for b in browsers]
        for _, path, _ in targets:
            # wrk counts only 4xx and 5xx as errors: make sure each page answers 200 itself.
            status = browsers[0].get(path).status
            if status != 200:
                raise RuntimeError(f"{path} answered HTTP {status} to a logged-in therapist")
            wrk(base, path, label="warm-up", cookies=cookies, seconds=2)  # unmeasured
        results = [
            wrk(
                base,
                path,
                label=label,
                cookies=cookies if logged_in else (),
                seconds=THROUGHPUT_SECONDS,
            )
            for label, path, logged_in in targets
        ]
    ceiling = results[0].requests_per_second
    signed_in = next(r for r in results if r.label == SIGNED_IN_BARE).requests_per_second
    lines = [
        f"gunicorn, {WORKERS} sync workers, production settings, behind the simulated TLS load "
        f"balancer (`X-Forwarded-Proto: https`); wrk on loopback, 2 threads, 8 connections, "
        f"{THROUGHPUT_SECONDS} s per page after a 2 s warm-up, 8 logged-in sessions of the demo "
        "therapist in turn. Same server, same run: the bare view is the framework's ceiling "
        "on this machine (it shares the 2 cores with wrk and PostgreSQL).",
        "",
        "| page | path | requests/s | ratio to ceiling | ratio to the signed-in bare view "
        "| mean latency | non-2xx | socket errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for (_, path, _), r in zip(targets, results, strict=True):
        lines.append(
            f"| {r.label} | `{path}` | {r.requests_per_second:,.0f} | "
            f"{r.requests_per_second / ceiling:.2f} | {r.requests_per_second / signed_in:.2f} | "
            f"{r.latency} | {r.non_2xx} | {r.errors} |"
        )
    today = next(r for r in results if r.label == "Today page")
    lines += [
        "",
        "What limits a signed-in page, from the rows above: the bare view answers "
        f"{ceiling:,.0f} requests/s with no database work at all. Signed in, the same view must "
        "read the session row and the user before it can answer (two queries over loopback, "
        f"with their ORM and driver work on the same two cores): {signed_in:,.0f} requests/s, "
        f"{signed_in / ceiling:.2f} of the ceiling, before any page does anything. No signed-in "
        "page can pass that line; the today page then adds its appointment query, the role "
        f"check and its template ({today.requests_per_second:,.0f} requests/s, "
        f"{today.requests_per_second / signed_in:.2f} of the signed-in bare view).",
    ]
    _section("throughput", "Throughput beside the bare-view ceiling", "\n".join(lines))
    ratio = today.requests_per_second / ceiling
    _target(
        "Today page at least 1/3 of the bare-view ceiling",
        ratio >= 1 / 3 and today.non_2xx == 0,
        f"{today.requests_per_second:,.0f} req/s vs {ceiling:,.0f} req/s: {ratio:.2f} "
        f"(the signed-in bare view: {signed_in:,.0f} req/s, {signed_in / ceiling:.2f})",
    )


def _path(name: str, args: list) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def _pdf_paths(fixture) -> list[str]:
    """Every PDF of the pages benchmark; the rendered-every-time ones three times over."""
    from bench.pages import PAGES

    paths = []
    for page in PAGES:
        if page.pdf:
            path = _path(page.url_name, page.args(fixture))
            paths += [path] * (1 if "reprint" in page.label else 3)
    return paths


def step_memory(requests: int) -> None:

    from bench.memory import memory_markdown, memory_run
    from bench.pages import PAGES, fixture_load
    from sciatica_clinic.demo.clients import DEMO_LOGINS

    fixture = fixture_load()
    page_paths = []
    for page in PAGES:
        if not page.pdf and page.user(fixture) == fixture.therapist:
            page_paths.append(_path(page.url_name, page.args(fixture)) + page.query)
    pdf_paths = _pdf_paths(fixture)
    login = next(d for d in DEMO_LOGINS if d.username == "therapist")
    with gunicorn(workers=WORKERS, log_path=LOG_DIR / "memory.log") as (base, proc):
        result = memory_run(
            base=base,
            master_pid=proc.pid,
            pages=page_paths,
            pdfs=pdf_paths,
            login=(login.username, login.password),
            requests=requests,
        )
    _section("memory", "Worker memory over 10,000 requests", memory_markdown(result))
    sizes = dict(result.checkpoints)
    if 1000 in sizes and 10000 in sizes:
        first, last = sizes[1000], sizes[10000]
        growth = max(b - a for a, b in zip(first, last, strict=False))
        _target(
            "Worker RSS flat after warm-up (1k -> 10k requests, 500 PDFs)",
            growth <= 10 and result.errors == 0 and result.pdfs >= 500,
            f"total {sum(first):.0f} MiB at 1k, {sum(last):.0f} MiB at 10k; largest growth of "
            f"one worker {growth:+.1f} MiB; {result.pdfs} PDFs; {result.errors} errors",
        )


def _personas():
    from bench.load import Persona
    from bench.seed import BENCH_PASSWORD, bench_therapists
    from intake.models import Client
    from sciatica_clinic.demo.clients import DEMO_LOGINS

    passwords = {d.username: d.password for d in DEMO_LOGINS}
    personas = []
    for therapist in bench_therapists()[:20]:
        # Clients with an accepted plan, as a therapist would pick to print a home-care sheet
        # for (the chart offers no sheet to a client without one, nor to a referred client).
        ready = Client.objects.filter(therapist=therapist, session_plans__isnull=False).distinct()
        personas.append(
            Persona(
                therapist.username,
                passwords.get(therapist.username, BENCH_PASSWORD),
                tuple(ready.values_list("id", flat=True)),
            )
        )
    return personas


def _load_lines(summary, check) -> list[str]:
    lines = [
        f"{summary.requests:,} requests, **{summary.errors} errors**; pages and form posts: "
        f"median {summary.page_median:.0f} ms, **p95 {summary.page_p95:.0f} ms**; "
        f"PDFs ({summary.pdfs}): median {summary.pdf_median:.0f} ms, "
        f"**p95 {summary.pdf_p95:.0f} ms**; {summary.writes} acknowledged writes.",
        "",
        "| request | count | median ms | p95 ms | errors |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| {label} | {count} | {median:.0f} | {p95:.0f} | {errors} |"
            for label, (count, median, p95, errors) in summary.by_label.items()
        ),
        "",
        f"Writes afterwards: {check.acknowledged_notes} notes started, "
        f"{check.acknowledged_saves} saves and {check.acknowledged_signatures} signatures "
        f"acknowledged; missing: {len(check.missing)}; half-written notes: "
        f"{len(check.half_written)}.",
    ]
    if summary.error_kinds:
        lines += ["", "Errors: " + "; ".join(f"{k} x{n}" for k, n in summary.error_kinds.items())]
    lines += [f"- {problem}" for problem in (check.missing + check.half_written)[:10]]
    return lines


def step_load(minutes: float, stress_minutes: float) -> None:
    from django.utils import timezone

    from bench.load import (
        PAGE_P95_TARGET_MS,
        PDF_P95_TARGET_MS,
        STRESS_THINK_SECONDS,
        THINK_SECONDS,
        run_load,
        summarize,
        writes_verify,
    )

    personas = _personas()
    runs = []
    for think, length in ((THINK_SECONDS, minutes), (STRESS_THINK_SECONDS, stress_minutes)):
        since = timezone.now()
        with gunicorn(workers=WORKERS, log_path=LOG_DIR / "load.log") as (base, _):
            log = run_load(base=base, personas=personas, seconds=length * 60, think=think)
        check = writes_verify(log, usernames=[p.username for p in personas], since=since)
        runs.append((think, length, summarize(log), check))
    lines = []
    for n, (think, length, summary, check) in enumerate(runs):
        lines += [
            f"### {'The load' if n == 0 else 'Stress: the same with less reading time'}",
            "",
            f"{len(personas)} simulated therapists for {length:g} minutes against gunicorn "
            f"({WORKERS} sync workers), each with its own login, waiting {think[0]:g}-{think[1]:g} "
            "s between clicks: today page, week calendar, client search, chart, plan, then "
            "start a note, save it (SOAP fields and technique rows), sign it and print it; every "
            "other visit also the home-care sheet."
            + (" Not a target: it shows where this machine saturates." if n else ""),
            "",
            *_load_lines(summary, check),
            "",
        ]
    _section("load", f"Load: {len(personas)} therapists", "\n".join(lines))
    _, _, summary, check = runs[0]
    full = minutes >= 5
    suffix = "" if full else f" (a {minutes:g}-minute run)"
    _target(
        f"Load ({len(personas)} therapists, {minutes:g} min): zero errors, every write kept",
        summary.errors == 0 and check.ok and full,
        f"{summary.errors} errors in {summary.requests:,} requests; {len(check.missing)} "
        f"acknowledged writes missing, {len(check.half_written)} half-written notes" + suffix,
    )
    _target(
        "Load: page p95 under 300 ms",
        summary.page_p95 < PAGE_P95_TARGET_MS and full,
        f"p95 {summary.page_p95:.0f} ms (median {summary.page_median:.0f} ms)" + suffix,
    )
    _target(
        "Load: PDF p95 under 2 s",
        (summary.pdf_p95 < PDF_P95_TARGET_MS and full) if summary.pdfs else None,
        f"p95 {summary.pdf_p95:.0f} ms over {summary.pdfs} PDFs (median "
        f"{summary.pdf_median:.0f} ms)" + suffix
        if summary.pdfs
        else "no PDF was printed: the run was too short to reach one",
    )


def step_faults(run_seconds: float) -> None:
    from django.db import connections
    from django.utils import timezone

    from bench.faults import postgres_restart, worker_kill
    from bench.load import run_load, summarize, writes_verify

    personas = _personas()
    fault_at = run_seconds / 3
    lines = [
        f"The load above ({len(personas)} therapists) for {run_seconds:g} s; at "
        f"{fault_at:g} s the fault. The window runs from the fault's start to its end "
        f"(PostgreSQL accepting connections again / a full set of workers again) plus "
        f"{FAULT_GRACE_SECONDS:g} s; a request counts inside it if it was in flight at any "
        "moment of it.",
        "",
    ]
    for title, fault_name in (
        ("PostgreSQL restarted mid-load (`pg_ctl restart -m fast`)", "postgres"),
        ("A gunicorn worker killed mid-request (SIGKILL, a busy one)", "worker"),
    ):
        since = timezone.now()
        with gunicorn(workers=WORKERS, log_path=LOG_DIR / f"fault-{fault_name}.log") as (
            base,
            proc,
        ):
            fault = postgres_restart if fault_name == "postgres" else lambda: worker_kill(proc.pid)
            log = run_load(
                base=base,
                personas=personas,
                seconds=run_seconds,
                fault_at=fault_at,
                fault=fault,
            )
        connections.close_all()  # the runner's own connection did not survive a restart
        summary = summarize(log, grace=FAULT_GRACE_SECONDS)
        check = writes_verify(log, usernames=[p.username for p in personas], since=since)
        begin, end = log.fault_window
        recovered = (
            f"first success {summary.recovered_after:.1f} s after the fault began"
            if summary.recovered_after is not None
            else "no success afterwards"
        )
        lines += [
            f"### {title}",
            "",
            f"The fault took {end - begin:.1f} s. Errors: {summary.errors_inside} inside the "
            f"window, **{summary.errors_outside} outside it**; {recovered}.",
            "",
            *_load_lines(summary, check),
            "",
        ]
        _target(
            f"{title}: errors only in the window, recovers, every acknowledged write kept",
            summary.errors_outside == 0 and check.ok and summary.recovered_after is not None,
            f"{summary.errors_inside} errors inside the {end - begin:.1f} s window, "
            f"{summary.errors_outside} outside; {check.acknowledged_signatures} acknowledged "
            f"signatures, {len(check.missing)} missing, {len(check.half_written)} half-written",
        )
    _section("faults", "Faults under load", "\n".join(lines))


CLUSTER_WORKERS = 2  # per app server: two servers of 2 sync workers, the single server's 4


def step_cluster(minutes: float, run_seconds: float) -> None:
    """Two gunicorn servers behind HAProxy (deploy/haproxy.cfg), one PostgreSQL: the load
    through the balancer, then one server killed mid-load (bench/cluster.py)."""
    from django.utils import timezone

    from bench.cluster import (
        ConnectionCounter,
        balancer_log,
        haproxy,
        kill_check,
        pdfs_first_print,
        pdfs_reprint,
        server_kill,
        sessions_check,
    )
    from bench.load import run_load, summarize, writes_verify

    personas = _personas()
    usernames = [p.username for p in personas]
    lines = [
        f"HAProxy 2.6 running `deploy/haproxy.cfg` (TLS with a self-signed certificate, "
        f"least connections, one request per worker, health checks on `/healthz` every 2 s) in front of two gunicorn "
        f"servers of {CLUSTER_WORKERS} sync workers each, one PostgreSQL; all on this one "
        "machine, so the two servers share its 2 cores: the figures show that the layout works "
        "and what a failure costs, not that two servers are faster than one.",
        "",
    ]

    since = timezone.now()
    with (
        gunicorn(workers=CLUSTER_WORKERS, log_path=LOG_DIR / "cluster-app1.log") as (app1, _),
        gunicorn(workers=CLUSTER_WORKERS, log_path=LOG_DIR / "cluster-app2.log") as (app2, _),
        haproxy(
            [app1, app2], workers=CLUSTER_WORKERS, log_path=LOG_DIR / "haproxy-load.log"
        ) as base,
        ConnectionCounter() as connections,
    ):
        log = run_load(base=base, personas=personas, seconds=minutes * 60)
    summary = summarize(log)
    check = writes_verify(log, usernames=usernames, since=since)
    lines += [
        f"### The load through the balancer ({len(personas)} therapists, {minutes:g} min)",
        "",
        f"PostgreSQL client connections during the run: {connections.summary}.",
        "",
        *_load_lines(summary, check),
        "",
    ]
    full = minutes >= 5
    suffix = "" if full else f" (a {minutes:g}-minute run)"
    _target(
        "Two app servers behind HAProxy: the load with zero errors, every write kept",
        summary.errors == 0 and check.ok and full,
        f"{summary.errors} errors in {summary.requests:,} requests, page p95 "
        f"{summary.page_p95:.0f} ms; {len(check.missing)} acknowledged writes missing" + suffix,
    )

    since = timezone.now()
    haproxy_log = LOG_DIR / "haproxy-kill.log"
    killed: list[int] = []
    killed_at: list[float] = []
    with (
        gunicorn(workers=CLUSTER_WORKERS, log_path=LOG_DIR / "kill-app1.log") as (app1, proc1),
        gunicorn(workers=CLUSTER_WORKERS, log_path=LOG_DIR / "kill-app2.log") as (app2, _),
        haproxy([app1, app2], workers=CLUSTER_WORKERS, log_path=haproxy_log) as base,
    ):
        printed = pdfs_first_print(app=app1, personas=personas)
        log = run_load(
            base=base,
            personas=personas,
            seconds=run_seconds,
            fault_at=run_seconds / 3,
            fault=lambda: killed.extend(server_kill(proc1.pid, at=killed_at)),
        )
        time.sleep(1)  # HAProxy writes its last log lines
        balanced = balancer_log(haproxy_log)
        kill = kill_check(log=log, balanced=balanced, killed="app1", killed_at=killed_at[0])
        sessions_check(kill, log=log, personas=personas, killed_at=log.fault_window[1])
        pdfs_reprint(
            kill, base=base, printed=printed, logins={p.username: p.password for p in personas}
        )
    summary = summarize(log)
    check = writes_verify(log, usernames=usernames, since=since)
    down = [
        line
        for line in haproxy_log.read_text(errors="replace").splitlines()
        if "is DOWN" in line and not line.startswith("[")
    ]
    retried = ", ".join(f"{n} {method}" for method, n in sorted(kill.retried.items())) or "none"
    lines += [
        f"### One app server killed mid-load ({run_seconds:g} s, SIGKILL at {run_seconds / 3:g} s)",
        "",
        f"SIGKILL to app1's master and its {len(killed) - 1} workers at once while a worker "
        f"was serving (a machine that dies). HAProxy: {'; '.join(down) or 'no DOWN line'}.",
        "",
        f"- Errors: **{kill.errors}**: {kill.errors_traced} requests HAProxy had sent to app1 "
        "and that were cut there (its log: termination state `S…`, a 502); "
        f"{kill.errors_unanswered_in_flight} in flight at the moment of the kill whose "
        "kept-alive connection HAProxy closed without an answer and without a log line (what "
        "it does when a server drops a request of a reused client connection, so that the "
        "client may retry; the bench's client does not retry a POST); "
        f"**{len(kill.errors_untraced)} anything else**"
        + (f" ({'; '.join(kill.errors_untraced[:5])})" if kill.errors_untraced else "")
        + ".",
        f"- Sent again by HAProxy and answered by app2: {retried} (a refused connection for "
        "any method; a GET also when app1 died mid-request; a POST never then).",
        f"- Sessions: {kill.personas_served_after} of {kill.personas} therapists kept working "
        "on app2 after the kill with the session they had logged in with; "
        f"{kill.session_failures} sent to the login page.",
        f"- Stored PDFs: {kill.pdfs_checked} signed notes nobody had printed, printed first on "
        f"app1 (which rendered and stored them), reprinted through the balancer after the "
        f"kill: {kill.pdfs_identical} byte for byte what app1 printed, from PostgreSQL."
        + (f" Problems: {'; '.join(kill.pdf_problems[:5])}." if kill.pdf_problems else ""),
        "",
        *_load_lines(summary, check),
    ]
    _section("cluster", "Two app servers behind HAProxy", "\n".join(lines))
    _target(
        "One of two app servers killed mid-load: errors only for requests in flight on it, "
        "every write kept, sessions and stored PDFs work on the other",
        kill.ok and check.ok,
        f"{kill.errors} errors: {kill.errors_traced + kill.errors_unanswered_in_flight} "
        f"in flight on the killed server, {len(kill.errors_untraced)} other; {len(check.missing)} acknowledged writes missing; "
        f"{kill.personas_served_after}/{kill.personas} sessions kept; "
        f"{kill.pdfs_identical}/{kill.pdfs_checked} PDFs identical",
    )


PGBOUNCER_POOL = 4  # PgBouncer's server connections: one per worker of the two servers


def step_connections(load_seconds: float) -> None:
    """Database connections for many app servers, side by side in one run: persistent
    connections, a connection per request, psycopg's pool, PgBouncer; each behind HAProxy
    with two app servers (bench/cluster.py)."""
    from contextlib import nullcontext

    from bench.cluster import ConnectionCounter, haproxy, pgbouncer
    from bench.load import run_load, summarize
    from bench.pages import fixture_load
    from bench.throughput import wrk
    from sciatica_clinic.demo.clients import DEMO_LOGINS

    fixture = fixture_load()
    login = next(d for d in DEMO_LOGINS if d.username == "therapist")
    chart = _path("intake:client_chart", [fixture.long_client.pk])
    personas = _personas()
    modes = [
        ("Persistent connections, health checks (the default)", {}, False),
        ("A new connection per request (`DB_CONN_MAX_AGE=0`)", {"DB_CONN_MAX_AGE": "0"}, False),
        ("psycopg's pool in each worker (`DB_POOL_MAX_SIZE=2`)", {"DB_POOL_MAX_SIZE": "2"}, False),
        (
            f"PgBouncer, transaction pooling, {PGBOUNCER_POOL} server connections "
            "(`DB_PGBOUNCER=true`)",
            {"DB_PGBOUNCER": "true"},
            True,
        ),
    ]
    rows = []
    for label, env, bounced in modes:
        with pgbouncer(pool_size=PGBOUNCER_POOL) if bounced else nullcontext() as url:
            server_env = {**env, **({"DATABASE_URL": url} if url else {})}
            with (
                gunicorn(
                    workers=CLUSTER_WORKERS, env=server_env, log_path=LOG_DIR / "conn.log"
                ) as (app1, _),
                gunicorn(
                    workers=CLUSTER_WORKERS, env=server_env, log_path=LOG_DIR / "conn.log"
                ) as (app2, _),
                haproxy(
                    [app1, app2], workers=CLUSTER_WORKERS, log_path=LOG_DIR / "conn-haproxy.log"
                ) as base,
                ConnectionCounter() as connections,
            ):
                cookies = [
                    b.cookie_header for b in _logins(base, login.username, login.password, 8)
                ]
                wrk(base, chart, label="warm-up", cookies=cookies, seconds=2)
                bare = wrk(
                    base, "/healthz", label="bare", cookies=cookies, seconds=THROUGHPUT_SECONDS
                )
                page = wrk(base, chart, label="chart", cookies=cookies, seconds=THROUGHPUT_SECONDS)
                summary = summarize(run_load(base=base, personas=personas, seconds=load_seconds))
        rows.append((label, bare, page, summary, connections.summary))
    lines = [
        "Two gunicorn servers of "
        f"{CLUSTER_WORKERS} sync workers behind HAProxy (`deploy/haproxy.cfg`), one PostgreSQL, "
        "each way of connecting in turn, in one run: wrk through the balancer (2 threads, 8 "
        f"connections, {THROUGHPUT_SECONDS} s, 8 signed-in sessions) on the signed-in bare view "
        f"and the 200-visit chart, then the {len(personas)}-therapist load for "
        f"{load_seconds:g} s; PostgreSQL's client connections sampled every half second "
        "throughout (`pg_stat_activity`; PgBouncer's own connections to PostgreSQL in its row).",
        "",
        "| connections | signed-in bare view, requests/s | chart, requests/s | load: page p95 "
        "| load: errors | PostgreSQL connections (min-max, mean) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, bare, page, summary, counted in rows:
        lines.append(
            f"| {label} | {bare.requests_per_second:,.0f} | {page.requests_per_second:,.0f} | "
            f"{summary.page_p95:.0f} ms | {summary.errors} | {counted} |"
        )
    _section("connections", "Database connections for many app servers", "\n".join(lines))


def step_races(pairs: int, rounds: int, max_seconds: float) -> None:
    from bench.races import races_run
    from bench.races_report import races_markdown

    log_path = LOG_DIR / "races.log"
    with gunicorn(workers=WORKERS, log_path=log_path) as (base, _):
        result = races_run(base=base, slots=pairs, rounds=rounds, max_seconds=max_seconds)
    result.tracebacks = log_path.read_text(errors="replace").count("Traceback")
    _section("races", "Races and resubmits", races_markdown(result))
    _target(
        "Races and resubmits: 0 lost, 0 duplicates, 0 inconsistent visits, 0 5xx",
        result.ok,
        f"{len(result.pairs)} pairs; lost {result.lost}, refused-but-written {result.phantom}, "
        f"duplicates {result.duplicates}, inconsistent {result.inconsistent}, "
        f"5xx {result.server_errors}, other failed requests {result.request_errors}",
    )


def step_clicks() -> None:
    from django.core.management import call_command

    from bench.clicks import FIRST, FIRST_CLICKS, ROUTINE, ROUTINE_CLICKS, ROUTINE_KEYS, clicks_run

    call_command("migrate", verbosity=0)  # nothing to do after the seed step; alone, needed
    results = {j.name: j for j in clicks_run("bin/bench --only clicks")}
    SECTIONS.append("clicks")
    for name, goal in (
        (ROUTINE, f"at most {ROUTINE_CLICKS} clicks and {ROUTINE_KEYS} keystrokes"),
        (FIRST, f"at most {FIRST_CLICKS} clicks"),
    ):
        j = results[name]
        _target(
            f"{name} in the browser: {goal} besides the clinical free text",
            j.passed,
            f"{j.clicks} clicks, {j.keys} keystrokes ({j.fields} fields), {j.free_text} "
            f"free-text characters, {len(j.pages)} pages" + (f"; {j.error}" if j.error else ""),
        )


def step_backup() -> None:
    from bench.faults import backup_restore

    with tempfile.TemporaryDirectory(prefix="sciatica-backup-") as workdir:
        os.chmod(workdir, 0o755)
        check = backup_restore(Path(workdir))
    lines = [
        f"`{check.dump_command}` took {check.dump_seconds:.1f} s ({check.dump_mib:.0f} MiB); "
        f"`{check.restore_command}` took {check.restore_seconds:.1f} s.",
        "",
        f"- Tables compared: {check.tables}, {check.rows:,} rows; mismatched: "
        f"{', '.join(check.mismatched_tables) or 'none'}.",
        f"- Signed notes ({check.signed_notes:,}, every column, with their technique rows): "
        f"md5 `{check.signed_checksum}` before, `{check.restored_checksum}` after.",
    ]
    _section("backup", "Backup and restore", "\n".join(lines))
    _target(
        "Backup and restore: row counts and signed-note checksum match",
        check.ok,
        f"{check.tables} tables, {check.rows:,} rows, {check.signed_notes:,} signed notes; "
        f"dump {check.dump_seconds:.0f} s, restore {check.restore_seconds:.0f} s",
    )


# ---------------------------------------------------------------------------------------------


def latest_write(*, started: float, context: list[str]) -> Path:
    lines = [
        "# Benchmarks, load and faults",
        "",
        f"Command: `{context[0]}`. Total time {(time.time() - started) / 60:.1f} min.",
        f"Machine: {machine_info()}.",
        *context[1:],
        "",
        "## Targets",
        "",
        "| target | met | measured |",
        "| --- | --- | --- |",
    ]
    for t in TARGETS:
        met = "met" if t.met else ("**not met**" if t.met is False else "not measured")
        lines.append(f"| {t.name} | {met} | {t.figure} |")
    for name in SECTIONS:
        text = (RESULTS / f"{name}.md").read_text().strip()
        if not text.startswith("## "):
            text = "## " + text.lstrip("# ")
        lines += ["", text]
    path = RESULTS / "latest.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def _interference_lines(sampler: InterferenceSampler, timings: list[tuple[str, float, float]]):
    lines = [
        "",
        "Other work on the machine, sampled from /proc every 5 s (CPU cores in use on average; "
        'the machine has 2; "bench" is this run\'s own processes and its PostgreSQL):',
        "",
        "| step | minutes | other work (cores) | bench (cores) |",
        "| --- | --- | --- | --- |",
    ]
    for name, begin, end in timings:
        others, ours = sampler.between(begin, end)
        lines.append(f"| {name} | {(end - begin) / 60:.1f} | {others:.2f} | {ours:.2f} |")
    top = sampler.top()
    if top:
        lines += [
            "",
            "Busiest other processes (CPU seconds over the run): "
            + "; ".join(f"`{name}` {seconds:.0f} s" for name, seconds in top)
            + ".",
        ]
    return lines


STEPS = {
    "seed": lambda args: step_seed(args.scale),
    "pages": lambda args: step_pages(),
    "grid": lambda args: step_grid(),
    "helpers": lambda args: step_helper_benches(),
    "throughput": lambda args: step_throughput(),
    "memory": lambda args: step_memory(args.memory_requests),
    "load": lambda args: step_load(args.minutes, args.stress_minutes),
    "faults": lambda args: step_faults(args.fault_seconds),
    "cluster": lambda args: step_cluster(args.minutes, args.fault_seconds),
    "connections": lambda args: step_connections(args.connections_seconds),
    "backup": lambda args: step_backup(),
    "clicks": lambda args: step_clicks(),
    "races": lambda args: step_races(
        args.race_pairs,
        args.race_rounds or max(4, round(RACE_ROUNDS * args.scale)),
        args.race_seconds,
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5, help="length of the load run")
    parser.add_argument("--stress-minutes", type=float, default=1, help="length of the stress run")
    parser.add_argument("--fault-seconds", type=float, default=75, help="length of each fault run")
    parser.add_argument(
        "--connections-seconds",
        type=float,
        default=60,
        help="length of each connection mode's load run",
    )
    parser.add_argument(
        "--memory-requests", type=int, default=10_000, help="requests of the memory run"
    )
    parser.add_argument(
        "--race-pairs", type=int, default=20, help="races: conflicting pairs sent at a time"
    )
    parser.add_argument(
        "--race-rounds", type=int, default=0, help=f"races: rounds (default {RACE_ROUNDS} x scale)"
    )
    parser.add_argument(
        "--race-seconds", type=float, default=240, help="races: start no round after this"
    )
    parser.add_argument("--scale", type=float, default=1, help="seed size factor (1 = full)")
    parser.add_argument("--only", nargs="*", choices=list(STEPS), help="run these steps only")
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ or "PG_TEST_DIR" not in os.environ:
        parser.error("run under bin/with-postgres (bin/bench does)")

    os.environ.update(production_env())
    import django

    django.setup()

    started = time.time()
    sampler = InterferenceSampler(root=os.getppid(), cluster_dir=os.environ["PG_TEST_DIR"])
    sampler.start()
    timings = []
    given = argv if argv is not None else sys.argv[1:]
    command = " ".join(["bin/bench", *given])
    for name in args.only or STEPS:
        print(f"== {name}", flush=True)
        begin = time.monotonic()
        STEPS[name](args)
        timings.append((name, begin, time.monotonic()))
    sampler.stop()
    context = [
        command,
        f"PostgreSQL settings: `{os.environ.get('PG_EXTRA_OPTS', 'bin/with-postgres defaults')}`.",
        *_interference_lines(sampler, timings),
    ]
    path = latest_write(started=started, context=context)
    print(f"wrote {path}; server logs in {LOG_DIR}")
    return 0 if all(t.met is not False for t in TARGETS) else 1


if __name__ == "__main__":
    sys.exit(main())
