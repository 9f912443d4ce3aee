"""Server-side time and query count of each page, in-process, against the seeded database.

Django's test Client drives the whole stack (middleware, sessions, templates) with the
production settings: no network, so the time is the server's alone. Each page is asked once
under CaptureQueriesContext for its query count, then timed without it. Where a page has a
small and a large case (a client with one visit and the client with 200), both are counted:
equal counts show the number of queries does not grow with the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client as TestClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.common import Timing, time_calls
from bench.seed import bench_therapists, long_chart_client
from intake.models import Client
from sessions.models import SessionNote

# The page-speed targets (README "Benchmarks").
TARGET_MEDIAN_MS = {"today": 50.0, "chart": 50.0}


@dataclass(frozen=True)
class Fixture:
    """The seeded records the pages are asked about."""

    therapist: User
    manager: User
    long_client: Client
    short_client: Client
    ready_client: Client  # screened and assessed, few visits: the planner's small case
    long_signed_note: SessionNote
    short_signed_note: SessionNote | None
    quiet_therapist: User  # a bench therapist: same calendar density, 1,000 clients
    draft_note: SessionNote  # rendered afresh at every print
    referred_client: Client  # a red flag in the screening: the referral letter prints


def fixture_load() -> Fixture:
    therapist = User.objects.get(username="therapist")
    long_client = long_chart_client()
    # A client of the same therapist with exactly one note: the small case for the chart.
    short_note = (
        SessionNote.objects.filter(therapist=therapist, signed_at__isnull=False)
        .exclude(client=long_client)
        .order_by("-visit_date")
        .first()
    )
    short_client = short_note.client if short_note else therapist.clients.first()
    return Fixture(
        therapist=therapist,
        manager=User.objects.get(username="manager"),
        long_client=long_client,
        short_client=short_client,
        ready_client=Client.objects.filter(therapist=therapist, screenings__isnull=False)
        .exclude(pk=long_client.pk)
        .order_by("id")
        .first(),
        long_signed_note=long_client.session_notes.filter(signed_at__isnull=False)
        .order_by("-visit_date")
        .first(),
        short_signed_note=short_note,
        quiet_therapist=bench_therapists()[-1],
        referred_client=Client.objects.filter(
            therapist=therapist, screenings__saddle_anaesthesia=True
        ).first(),
        draft_note=SessionNote.objects.filter(therapist=therapist, signed_at__isnull=True)
        .order_by("-visit_date", "-id")
        .first(),
    )


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    args: Callable[[Fixture], list] = lambda f: []
    query: str = ""
    user: Callable[[Fixture], User] = lambda f: f.therapist
    runs: int = 40
    # The same page on less data: its query count must equal the large case's.
    small: Callable[[Fixture], tuple[list, str, User]] | None = None
    key: str = ""  # "today" / "chart" for the targets
    pdf: bool = False


@dataclass
class PageResult:
    page: Page
    path: str = ""
    status: int = 0
    queries: int = 0
    small_queries: int | None = None
    timing: Timing | None = None
    bytes: int = 0
    notes: list[str] = field(default_factory=list)


def _monday_next_week() -> str:
    today = timezone.localdate()
    return (today + timedelta(days=7 - today.weekday())).isoformat()


# The "Plan a session" form as submitted with a 60-minute chronic visit in week 2.
PLAN_QUERY = "?minutes=60&stage=2&course=chronic"

PAGES = (
    Page(
        "Today page (therapist, 8 visits)",
        "sessions:today",
        key="today",
        small=lambda f: ([], "", f.quiet_therapist),
    ),
    Page("Week calendar (therapist)", "sessions:calendar"),
    Page(
        "Week calendar, next week (therapist)",
        "sessions:calendar",
        query=f"?week={_monday_next_week()}",
    ),
    Page(
        "Day grid (manager, all therapists)",
        "sessions:calendar_day",
        user=lambda f: f.manager,
        runs=15,
    ),
    Page(
        "Client list, page 1 (therapist, 25,000 clients)",
        "intake:client_list",
        small=lambda f: ([], "", f.quiet_therapist),
    ),
    Page("Client list, page 200 (therapist)", "intake:client_list", query="?page=200"),
    Page("Client list, search 'smi' (therapist)", "intake:client_list", query="?q=smi"),
    Page(
        "Client list, page 1 (manager, every client)",
        "intake:client_list",
        user=lambda f: f.manager,
    ),
    Page(
        "Client chart, 200 visits",
        "intake:client_chart",
        args=lambda f: [f.long_client.pk],
        key="chart",
        small=lambda f: ([f.short_client.pk], "", f.therapist),
    ),
    Page(
        "Client's notes, 200 signed",
        "sessions:note_list",
        args=lambda f: [f.long_client.pk],
        small=lambda f: ([f.short_client.pk], "", f.therapist),
    ),
    Page(
        "Signed note",
        "sessions:note_detail",
        args=lambda f: [f.long_client.pk, f.long_signed_note.pk],
    ),
    Page(
        "Home-care sheet PDF",
        "sessions:home_care_sheet",
        args=lambda f: [f.long_client.pk],
        runs=20,
        pdf=True,
    ),
    Page(
        "Referral letter PDF (red-flag client)",
        "sessions:referral_letter",
        args=lambda f: [f.referred_client.pk],
        runs=20,
        pdf=True,
    ),
    Page(
        "Plan generation (propose 60 minutes, 200-visit client)",
        "sessions:plan_new",
        args=lambda f: [f.long_client.pk],
        query=PLAN_QUERY,
        small=lambda f: ([f.ready_client.pk], PLAN_QUERY, f.therapist),
    ),
    Page(
        "Client's plans",
        "sessions:plan_list",
        args=lambda f: [f.long_client.pk],
    ),
    Page("Technique library list", "protocols:technique_list"),
    Page(
        "Note PDF, draft (rendered at every print)",
        "sessions:note_pdf",
        args=lambda f: [f.draft_note.client_id, f.draft_note.pk],
        runs=20,
        pdf=True,
    ),
    Page(
        "Note PDF, signed, reprint (stored bytes)",
        "sessions:note_pdf",
        args=lambda f: [f.long_client.pk, f.long_signed_note.pk],
        pdf=True,
    ),
    Page("Home page (dashboard)", "home"),
    Page("Bare view /healthz (the ceiling)", "healthz", user=lambda f: None),
)


def page_measure(page: Page, fixture: Fixture) -> PageResult:
    result = PageResult(page)
    result.path = reverse(page.url_name, args=page.args(fixture)) + page.query
    client = _client_for(page.user(fixture))
    client.get(result.path)  # warm-up: the first request of a session saves it
    with CaptureQueriesContext(connection) as captured:
        response = client.get(result.path)
    result.status = response.status_code
    result.queries = len(captured)
    result.bytes = len(response.content)
    if response.status_code != 200:
        result.notes.append(f"HTTP {response.status_code}")
        return result
    if page.small:
        args, query, user = page.small(fixture)
        small_client = _client_for(user)
        small_path = reverse(page.url_name, args=args) + query
        small_client.get(small_path)  # warm-up: the first request of a session differs
        with CaptureQueriesContext(connection) as captured:
            small_client.get(small_path)
        result.small_queries = len(captured)
    result.timing = time_calls(lambda: client.get(result.path), runs=page.runs)
    return result


FIRST_PRINTS = 20


def first_print_measure(fixture: Fixture) -> PageResult:
    """The first print of a signed note renders it and stores the bytes: a different,
    never printed note for each run."""
    page = Page("Note PDF, signed, first print (render + store)", "sessions:note_pdf")
    result = PageResult(page)
    notes = list(
        SessionNote.objects.filter(
            client=fixture.long_client, signed_at__isnull=False, pdfs__isnull=True
        )
        .exclude(pk=fixture.long_signed_note.pk)
        .order_by("-visit_date")[: FIRST_PRINTS + 1]
    )
    paths = iter([reverse(page.url_name, args=[n.client_id, n.pk]) for n in notes])
    client = _client_for(fixture.therapist)
    client.get(reverse("home"))  # the first request of a session saves it
    result.path = next(paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(result.path)
    result.status, result.queries, result.bytes = (
        response.status_code,
        len(captured),
        len(response.content),
    )
    result.timing = time_calls(lambda: client.get(next(paths)), runs=FIRST_PRINTS, warmup=0)
    result.path = result.path.replace(str(notes[0].pk), "<note>")
    return result


def _client_for(user: User | None) -> TestClient:
    client = TestClient(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def pages_run(*, log=print) -> list[PageResult]:
    fixture = fixture_load()
    results = []
    for page in PAGES:
        result = page_measure(page, fixture)
        log(f"pages: {page.label}: {result.timing or result.notes}")
        results.append(result)
    results.append(first_print_measure(fixture))
    log(f"pages: first prints: {results[-1].timing}")
    return results


def pages_markdown(results: list[PageResult]) -> str:
    lines = [
        "In-process (Django test Client, production settings, no network) against the seeded",
        'database; query counts from `CaptureQueriesContext`. "Small case" is the same page on',
        "little data (a client with one visit, a therapist with 1,000 clients): equal counts mean",
        "the number of queries does not grow with the data.",
        "",
        "| page | path | median ms | p95 ms | queries | small case | size |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        timing = (
            f"{r.timing.median:.1f} | {r.timing.p95:.1f}" if r.timing else f"{', '.join(r.notes)} |"
        )
        small = "" if r.small_queries is None else str(r.small_queries)
        lines.append(
            f"| {r.page.label} | `{r.path}` | {timing} | {r.queries} | {small} | {r.bytes / 1024:.0f} KiB |"
        )
    return "\n".join(lines)
