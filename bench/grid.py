"""The calendar's time grids on the seeded clinic (issues 17 and 21): the manager's day x
therapist grid with every therapist (24 at full scale, 8 visits each), and a therapist's day
and week, timed in-process like `bench/pages.py` (server time only, production settings).

    bin/bench --only seed grid     # seeds, then writes bench/results/grid.md
"""

from __future__ import annotations

from django.utils import timezone

from bench.pages import Page, PageResult, fixture_load, page_measure
from bench.seed import bench_therapists
from sessions.models import Appointment

TARGET_MEDIAN_MS = 50.0
GRID_KEY = "grid"


def grid_pages(*, day: str) -> tuple[Page, ...]:
    return (
        Page(
            "Day grid, every therapist (manager)",
            "sessions:calendar_day",
            query=f"?day={day}",
            user=lambda f: f.manager,
            runs=60,
            key=GRID_KEY,
        ),
        Page(
            "Day grid, one therapist (therapist)",
            "sessions:calendar_day",
            query=f"?day={day}",
            runs=60,
        ),
        Page("Week grid (therapist)", "sessions:calendar", query=f"?week={day}", runs=60),
        Page(
            "Week grid of one therapist (manager)",
            "sessions:calendar",
            query=f"?week={day}&therapist=",  # completed with the therapist's id below
            user=lambda f: f.manager,
            runs=60,
        ),
    )


def grid_run(*, log=print) -> tuple[list[PageResult], dict[str, int]]:
    fixture = fixture_load()
    day = timezone.localdate()
    facts = {
        "therapists": len(bench_therapists()),
        "visits": Appointment.objects.filter(
            starts_at__date=day,
        ).count(),
    }
    results = []
    for page in grid_pages(day=day.isoformat()):
        if page.query.endswith("therapist="):
            page = Page(**{**vars(page), "query": page.query + str(fixture.therapist.pk)})
        result = page_measure(page, fixture)
        log(f"grid: {page.label}: {result.timing or result.notes}")
        results.append(result)
    return results, facts


def grid_markdown(results: list[PageResult], facts: dict[str, int]) -> str:
    lines = [
        f"Today's calendar as time grids: {facts['therapists']} therapists with a seeded "
        f"calendar, {facts['visits']} visits today. In-process (Django test Client, "
        "production settings, no network) against the seeded database, like the pages table; "
        "query counts from `CaptureQueriesContext`. The manager's grid replaces the "
        "all-therapists week of cards (245 ms median, 464 KiB in the last pages run).",
        "",
        "| page | path | median ms | p95 ms | queries | size |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        timing = (
            f"{r.timing.median:.1f} | {r.timing.p95:.1f}" if r.timing else f"{', '.join(r.notes)} |"
        )
        lines.append(
            f"| {r.page.label} | `{r.path}` | {timing} | {r.queries} | {r.bytes / 1024:.0f} KiB |"
        )
    return "\n".join(lines)
