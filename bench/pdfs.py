"""The three PDFs: median render time of each, against WeasyPrint rendering the same HTML alone.

For each document, "in the app" is the whole service a PDF view calls (database reads, the
progress charts, the template, WeasyPrint with the static-only fetcher); "WeasyPrint alone"
is `weasyprint.HTML(string=...).write_pdf()` on the very HTML the app produced, with the
same fetcher (the stylesheet is the app's own static file). A signed note's second print
comes from the database and is timed too. One run, one process, a throwaway SQLite file.

Run: .venv/bin/python -m bench.pdfs   (writes bench/results/pdfs.md)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

_DB = Path(tempfile.mkdtemp(prefix="bench-pdfs-")) / "db.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciatica_clinic.settings")
os.environ["SQLITE_PATH"] = str(_DB)
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from bench.common import Timing, time_calls, write_section  # noqa: E402
from sessions.documents import (  # noqa: E402
    pdfs,  # noqa: E402
    printing,  # noqa: E402
)

RUNS = 15
NOTES = 12


def _weasyprint_import_ms() -> float:
    code = "import time; t = time.perf_counter(); import weasyprint; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout) * 1000


def _data():
    """A client four weeks into care: screened, assessed, a plan, twelve notes, a booking;
    and an emergency referral for a second client."""
    from django.contrib.auth.models import Group, User

    from core.roles import THERAPIST
    from core.vocabulary import Position, Pressure, Stage
    from intake.rules import Side
    from sessions.charting.services import TechniqueRow, note_amend, note_sign, note_start
    from tests.intake.factories import (
        AssessmentFactory,
        ClientFactory,
        HealthHistoryFactory,
        ScreeningFactory,
        positive_slr,
    )
    from tests.sessions.factories import accepted_plan_create, library_into_database

    library_into_database()
    therapist = User.objects.create_user("bench", first_name="Dana", last_name="Reyes")
    therapist.groups.add(Group.objects.get(name=THERAPIST))
    client = ClientFactory(therapist=therapist, first_name="Zoë", last_name="Ñúñez-O'Brien")
    first = date.today() - timedelta(days=7 * NOTES)
    HealthHistoryFactory(client=client, onset_date=first - timedelta(days=60))
    ScreeningFactory(client=client, screened_on=first)
    rows = [
        TechniqueRow("Gentle effleurage", 3, Position.PRONE, Pressure.LIGHT),
        TechniqueRow("Sacral scoring and friction", 8, Position.PRONE, Pressure.MODERATE),
        TechniqueRow('"Hubcap" release', 8, Position.PRONE, Pressure.MODERATE),
        TechniqueRow("Hamstring pin and stretch", 7, Position.PRONE, Pressure.MODERATE),
        TechniqueRow("IT band and TFL release", 8, Position.SIDE_LYING, Pressure.MODERATE),
        TechniqueRow("Deep rotator access, side-lying", 8, Position.SIDE_LYING, Pressure.DEEP),
    ]
    note = None
    for week in range(NOTES):
        day = first + timedelta(days=7 * week)
        AssessmentFactory(
            client=client, assessed_on=day, **positive_slr(slr_onset_angle=40 + 3 * week)
        )
        note = note_start(
            client=client,
            therapist=therapist,
            visit_date=day,
            techniques=rows,
            soap={
                "client_report": "Shooting pain down the left leg after sitting an hour.",
                "pain_before": max(0, 8 - week // 2),
                "pain_after": max(0, 6 - week // 2),
                "findings": "Left piriformis tender; anterior pelvic tilt.",
                "response_to_treatment": "Buttock pain eased.",
                "frequency": "Twice a week, then weekly",
                "home_care_given": "Seated nerve flossing, 10 repetitions.",
            },
        )
        note_sign(note=note, user=therapist)
    note_amend(note=note, author=therapist, text="Pain after was 3, not 2.")
    accepted_plan_create(client=client, therapist=therapist, stage=Stage.MOBILITY)
    note.refresh_from_db()
    assert note.is_signed

    emergency = ClientFactory(therapist=therapist)
    HealthHistoryFactory(client=emergency)
    ScreeningFactory(client=emergency, saddle_anaesthesia=True, bladder_bowel_change=True)
    AssessmentFactory(
        client=emergency,
        **positive_slr(bragard_side=Side.LEFT, bragard_pain_returned=True),
    )
    return note, client, emergency


def _interleaved(first, second) -> tuple[Timing, Timing]:
    """Time two renders alternately, so a load change on the machine hits both alike."""
    for _ in range(3):
        first(), second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(RUNS):
        for fn, out in ((first, samples[0]), (second, samples[1])):
            started = time.perf_counter()
            fn()
            out.append((time.perf_counter() - started) * 1000)
    return Timing(tuple(samples[0])), Timing(tuple(samples[1]))


def _html_of(make) -> str:
    """The HTML the app hands WeasyPrint when `make()` renders its PDF."""
    captured = []
    real = pdfs.html_to_pdf
    pdfs.html_to_pdf = lambda html: captured.append(html) or real(html)
    try:
        make()
    finally:
        pdfs.html_to_pdf = real
    return captured[-1]


def main() -> None:
    call_command("migrate", verbosity=0)
    note, client, emergency = _data()
    import weasyprint

    fetcher = pdfs.static_only_fetcher()

    def alone(html: str):
        return lambda: weasyprint.HTML(
            string=html, base_url=pdfs.PDF_BASE_URL, url_fetcher=fetcher
        ).write_pdf()

    documents = [
        ("Session note (signed, first print: rendered)", lambda: printing.note_render(note)),
        ("Home-care sheet", lambda: printing.home_care_sheet_pdf(client=client)),
        ("Referral letter (emergency)", lambda: printing.referral_letter_pdf(client=emergency)),
    ]
    rows = []
    for name, make in documents:
        html = _html_of(make)
        in_app, only = _interleaved(make, alone(html))
        pages = len(
            weasyprint.HTML(string=html, base_url=pdfs.PDF_BASE_URL, url_fetcher=fetcher)
            .render()
            .pages
        )
        rows.append((name, pages, in_app, only))

    printing.note_pdf(note=note)  # the first print stores it
    stored = time_calls(lambda: printing.note_pdf(note=note), runs=RUNS)
    import_ms = _weasyprint_import_ms()

    table = "\n".join(
        f"| {name} | {pages} | {app.median:.0f} | {only.median:.0f} | "
        f"{app.median - only.median:+.0f} ({(app.median / only.median - 1) * 100:+.0f}%) |"
        for name, pages, app, only in rows
    )
    body = f"""
Median of {RUNS} renders each, after 3 warm-up renders, in one process on a throwaway SQLite
database; the two columns are timed alternately so that load from other processes on the
machine falls on both alike. "In the app" is the service a PDF view calls (`sessions/documents/printing.py`): database
reads, the progress charts ({NOTES} visits for the session note), the Django template and
WeasyPrint with the static-only URL fetcher. "WeasyPrint alone" renders the same HTML string
with the same fetcher, so the difference is the app's own work.

| document | pages | in the app, ms | WeasyPrint alone, ms | the app's own share |
| --- | --- | --- | --- | --- |
{table}

A signed note printed again is read from the database (`SignedNotePdf`): median
{stored.median:.1f} ms, p95 {stored.p95:.1f} ms.

`import weasyprint` in a fresh process: {import_ms:.0f} ms. `sessions/documents/pdfs.py` imports it on
the first render and keeps it for the life of the worker, so only the first PDF a worker
prints pays it.
"""
    path = write_section("pdfs", "PDF rendering", body)
    print(path.read_text())


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"({time.perf_counter() - started:.0f} s)")
