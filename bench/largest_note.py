"""The largest session note the limits allow, printed: median of 3 renders, must stay under 2 s.

Every SOAP text at its limit (`core/limits.py`), the most technique rows a note may have
(with the longest names), and the most amendments, each at its limit, signed; printed
through `sessions.documents.printing.note_render` (what the PDF view calls for a first print).
Two kinds of text: prose (words, a paragraph break every few lines) and one unbroken run of
letters (no place to break a line), which is the harder case for the layout.

Run: DEBUG=true .venv/bin/python -m bench.largest_note   (a throwaway SQLite file;
writes bench/results/largest_note.md)
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

_DB = Path(tempfile.mkdtemp(prefix="bench-largest-note-")) / "db.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciatica_clinic.settings")
os.environ["SQLITE_PATH"] = str(_DB)
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.validators import MaxLengthValidator  # noqa: E402

from bench.common import write_section  # noqa: E402
from core import limits  # noqa: E402

RUNS = 3
BUDGET_MS = 2_000
WORDS = [
    "left",
    "piriformis",
    "tender",
    "on",
    "deep",
    "palpation,",
    "pain",
    "eased",
    "after",
    "sustained",
    "pressure;",
    "client",
    "reports",
    "shooting",
    "pain",
    "down",
    "the",
    "posterior",
    "thigh",
    "when",
    "sitting",
    "longer",
    "than",
    "an",
    "hour",
]


def prose(length: int) -> str:
    """Words, a paragraph break about every 300 characters, exactly `length` characters."""
    out: list[str] = []
    size = 0
    index = 0
    while size < length:
        word = WORDS[index % len(WORDS)]
        sep = "\n" if index and index % 45 == 0 else " "
        out.append(sep + word if out else word)
        size += len(out[-1])
        index += 1
    return "".join(out)[:length]


def unbroken(length: int) -> str:
    return ("sciatica" * (length // 8 + 1))[:length]


def _text_fields(model) -> list[str]:
    from sessions.charting.services import NOTE_FIELDS

    return [
        name
        for name in NOTE_FIELDS
        if model._meta.get_field(name).get_internal_type() in ("TextField", "CharField")
        and not model._meta.get_field(name).choices
    ]


def _limit(model, name: str) -> int:
    """The most characters the model accepts in the field (its validators, or max_length)."""
    field = model._meta.get_field(name)
    found = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
    return min(found) if found else field.max_length


def _note(text):
    from django.contrib.auth.models import Group, User

    from core.roles import THERAPIST
    from core.vocabulary import Position, Pressure
    from sessions.charting.services import TechniqueRow, note_amend, note_sign, note_start
    from sessions.models.note import NoteAmendment, NoteTechnique, SessionNote
    from tests.intake.factories import ClientFactory, HealthHistoryFactory, ScreeningFactory

    therapist = User.objects.create_user(
        f"bench-{User.objects.count()}", first_name="Dana", last_name="Reyes"
    )
    therapist.groups.add(Group.objects.get(name=THERAPIST))
    client = ClientFactory(therapist=therapist)
    visit = date.today() - timedelta(days=1)
    HealthHistoryFactory(client=client, onset_date=visit - timedelta(days=60))
    ScreeningFactory(client=client, screened_on=visit)
    name_max = NoteTechnique._meta.get_field("name").max_length
    rows = [
        TechniqueRow(text(name_max), 2, Position.PRONE, Pressure.MODERATE)
        for _ in range(limits.TECHNIQUE_ROWS_MAX)
    ]
    soap = {name: text(_limit(SessionNote, name)) for name in _text_fields(SessionNote)}
    soap["pain_before"], soap["pain_after"] = 7, 4
    note = note_start(
        client=client, therapist=therapist, visit_date=visit, techniques=rows, soap=soap
    )
    note_sign(note=note, user=therapist)
    for _ in range(limits.AMENDMENTS_PER_NOTE_MAX):
        note_amend(note=note, author=therapist, text=text(_limit(NoteAmendment, "text")))
    note.refresh_from_db()
    return note


def _time(note) -> tuple[float, float, int]:
    """Median wall-clock and median CPU time of this process (ms), and the PDF's size. The CPU
    time is what the render costs the machine; the wall clock also counts waiting for a core
    when other work shares them."""
    from sessions.documents import printing

    printing.note_render(note)  # warm-up: WeasyPrint import, fonts
    walls, cpus = [], []
    data = b""
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        data = printing.note_render(note)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus), len(data)


def main() -> None:
    call_command("migrate", verbosity=0)
    from tests.sessions.factories import library_into_database

    library_into_database()
    lines = []
    worst = 0.0
    for label, text in (("prose", prose), ("unbroken letters", unbroken)):
        note = _note(text)
        characters = sum(
            len(getattr(note, f.name) or "")
            for f in note._meta.concrete_fields
            if f.get_internal_type() in ("TextField", "CharField")
        ) + sum(len(a.text) for a in note.amendments.all())
        median, cpu, size = _time(note)
        worst = max(worst, median)
        lines.append(
            f"| {label} | {characters:,} | {note.techniques.count()} | "
            f"{note.amendments.count()} | {size / 1024:.0f} | {median:.0f} | {cpu:.0f} |"
        )
        print(lines[-1], flush=True)
    verdict = "within" if worst < BUDGET_MS else "OVER"
    body = f"""
The largest note the limits in `core/limits.py` allow: every SOAP
text at its limit ({limits.LONG_TEXT_MAX:,} or {limits.SHORT_TEXT_MAX:,} characters), {limits.TECHNIQUE_ROWS_MAX} technique rows
with 200-character names,
{limits.AMENDMENTS_PER_NOTE_MAX} amendments of {limits.SHORT_TEXT_MAX:,} characters, signed.
Median of {RUNS} renders through `sessions.documents.printing.note_render` after one warm-up,
on a throwaway SQLite database; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores
when it ran. Budget {BUDGET_MS:,} ms: worst median {worst:.0f} ms,
{verdict} budget.

| text | characters | technique rows | amendments | PDF, KiB | median, ms | CPU median, ms |
| --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(lines)}
"""
    write_section("largest_note", "Largest note PDF", body)
    print(f"worst median {worst:.0f} ms ({verdict} the {BUDGET_MS} ms budget)")


if __name__ == "__main__":
    main()
