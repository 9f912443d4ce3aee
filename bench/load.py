"""Simulated therapists against gunicorn: a working day compressed into minutes, then faults.

Each simulated therapist is a thread with its own login and keep-alive connection, on
loopback, and repeats one visit's work: browse (today page, week calendar, client search),
plan (the client's plan page), chart (the client's chart, then a new note: start it, save
its SOAP fields and two technique rows, sign it), print (the signed note's PDF, and every
other visit the home-care sheet). Between
clicks it waits `THINK_SECONDS` (a person reads the page: 2-4 s, so each therapist does a
whole visit's paperwork about every 40 s, several times faster than any real day; the
stress run uses `STRESS_THINK_SECONDS`). Everything is bounded: a run
stops at its deadline, a request times out after 30 s.

Every write the server acknowledged (a redirect after the POST) is logged, and
`writes_verify` checks the database afterwards: every acknowledged note exists, every
acknowledged save is there with both technique rows, every acknowledged signature is
there, and no note of the run is half-written (saved text without its rows, or the reverse).

The same run serves the fault tests: `fault_at` calls a function (restart PostgreSQL, kill
a worker) part-way, and errors are then classified as inside or outside its window.
"""

from __future__ import annotations

import random
import re
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from bench.browser import Browser, Response, form_fields
from bench.pages import PLAN_QUERY

THINK_SECONDS = (2.0, 4.0)
STRESS_THINK_SECONDS = (0.5, 1.5)
PAGE_P95_TARGET_MS = 300.0
PDF_P95_TARGET_MS = 2000.0
NOTE_EDIT_PATH = re.compile(r"/notes/(\d+)/edit/")
MARKER_PREFIX = "bench-load"


@dataclass(frozen=True)
class Persona:
    username: str
    password: str
    client_ids: tuple[int, ...]


@dataclass(frozen=True)
class Sample:
    started: float  # monotonic
    kind: str  # "page", "pdf" or "write"
    label: str
    ms: float
    ok: bool
    error: str = ""
    request_id: str = ""  # the X-Request-ID sent (bench/browser.py)
    username: str = ""


@dataclass
class Ack:
    """One note of the run: what was sent and what the server confirmed.

    A note may start with technique rows from the client's accepted plan (`initial_rows`);
    the save sends `expected_rows` rows and the `marker` text in one POST, which the server
    writes in one transaction: the note has either both or neither.
    """

    note_id: int
    client_id: int
    username: str = ""
    initial_rows: int | None = None  # None: the edit form was never seen
    marker: str = ""  # set when the save is sent
    expected_rows: int = 0
    saved: bool = False  # the save was acknowledged
    signed: bool = False  # the signature was acknowledged


@dataclass
class RunLog:
    samples: list[Sample] = field(default_factory=list)
    acks: dict[int, Ack] = field(default_factory=dict)
    fault_window: tuple[float, float] | None = None
    started: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


class TherapistSession:
    """One simulated therapist: a thread's worth of clicks."""

    def __init__(
        self,
        base: str,
        persona: Persona,
        log: RunLog,
        rng: random.Random,
        think: tuple[float, float] = THINK_SECONDS,
    ):
        self.think = think
        self.persona = persona
        self.log = log
        self.rng = rng
        self.browser = Browser(base)
        self.browser.login(persona.username, persona.password)

    def run_until(self, deadline: float) -> None:
        try:
            while time.monotonic() < deadline:
                self.visit(deadline)
        finally:
            self.browser.close()

    def _think(self, deadline: float) -> bool:
        time.sleep(min(self.rng.uniform(*self.think), max(0.0, deadline - time.monotonic())))
        return time.monotonic() < deadline

    def _call(self, kind: str, label: str, method: str, path: str, data=None) -> Response | None:
        started = time.monotonic()
        try:
            response = self.browser.request(method, path, data)
        except Exception as error:  # noqa: BLE001 (any failure is an error sample)
            ms = (time.monotonic() - started) * 1000
            self.log.add(
                Sample(
                    started,
                    kind,
                    label,
                    ms,
                    False,
                    type(error).__name__,
                    self.browser.last_request_id,
                    self.persona.username,
                )
            )
            return None
        expected = 302 if method == "POST" else 200
        ok = response.status == expected
        if ok and kind == "pdf":
            ok = response.body.startswith(b"%PDF")
        error = "" if ok else f"HTTP {response.status}"
        if not ok and "/accounts/login/" in response.location:
            error += " to the login page"
        self.log.add(
            Sample(
                started,
                kind,
                label,
                response.ms,
                ok,
                error,
                response.request_id,
                self.persona.username,
            )
        )
        return response if ok else None

    def visit(self, deadline: float) -> None:
        client_id = self.rng.choice(self.persona.client_ids)
        steps: list[Callable[[], bool]] = [
            lambda: self._page("today", _url("sessions:today")),
            lambda: self._page("calendar", _url("sessions:calendar")),
            lambda: self._page(
                "client search", _url("intake:client_list"), "?q=" + self._letters()
            ),
            lambda: self._page("chart", _url("intake:client_chart", client_id)),
            lambda: self._plan(client_id),
            lambda: self._chart_and_sign(client_id, deadline),
        ]
        for step in steps:
            if not self._think(deadline):
                return
            if not step():
                return

    def _letters(self) -> str:
        return self.rng.choice(("smi", "jon", "ali", "pat", "lee", "bro"))

    def _page(self, label: str, path: str, query: str = "") -> bool:
        self._call("page", label, "GET", path + query)
        return True

    def _plan(self, client_id: int) -> bool:
        path = _url("sessions:plan_new", client_id)
        self._call("page", "plan", "GET", path + PLAN_QUERY)
        return True

    def _chart_and_sign(self, client_id: int, deadline: float) -> bool:
        start_path = _url("sessions:note_create", client_id)
        page = self._call("page", "note start form", "GET", start_path)
        if page is None or not self._think(deadline):
            return False
        fields = form_fields(page.text, action=start_path)
        if "visit_date" not in fields:
            self.log.add(Sample(time.monotonic(), "write", "note start", 0, False, "no form"))
            return False
        fields["visit_date"] = timezone.localdate().isoformat()
        created = self._call("write", "note start", "POST", start_path, fields)
        match = NOTE_EDIT_PATH.search(created.location) if created else None
        if match is None:
            return False
        note_id = int(match.group(1))
        ack = Ack(note_id, client_id, self.persona.username)
        with self.log.lock:
            self.log.acks[note_id] = ack
        edit_path = _url("sessions:note_edit", client_id, note_id)
        form = self._call("page", "note edit form", "GET", edit_path)
        if form is None or not self._think(deadline):
            return False
        marker = f"{MARKER_PREFIX} {uuid.uuid4().hex}"
        fields = form_fields(form.text, action=edit_path)
        ack.initial_rows = _technique_rows(fields)
        fields.update(
            {
                "client_report": marker,
                "pain_before": "6",
                "pain_after": "3",
                "findings": "Piriformis tender on the right.",
                "working_hypothesis": "Soft-tissue entrapment (piriformis)",
                "frequency": "Twice a week for two weeks",
            }
        )
        for row, (name, minutes, position, pressure) in enumerate(
            (
                ("Hubcap release", "10", "prone", "2"),
                ("Hamstring pin and stretch", "8", "prone", "2"),
            )
        ):
            prefix = f"techniques-{row}-"
            fields.update(
                {
                    prefix + "name": name,
                    prefix + "minutes": minutes,
                    prefix + "position": position,
                    prefix + "pressure": pressure,
                }
            )
        ack.marker, ack.expected_rows = marker, _technique_rows(fields)
        saved = self._call("write", "note save", "POST", edit_path, fields)
        if saved is None:
            return False
        ack.saved = True
        if not self._think(deadline):
            return False
        detail = self._call("page", "note", "GET", _url("sessions:note_detail", client_id, note_id))
        if detail is None:
            return False
        sign_path = _url("sessions:note_sign", client_id, note_id)
        signed = self._call(
            "write",
            "note sign",
            "POST",
            sign_path,
            {"csrfmiddlewaretoken": self.browser.csrf_from(detail)},
        )
        if signed is None:
            return False
        ack.signed = True
        pdf_path = _url("sessions:note_pdf", client_id, note_id)
        if self._think(deadline):
            self._call("pdf", "note PDF", "GET", pdf_path)
        # Every other visit the client also takes home the exercise sheet.
        sheet_path = _url("sessions:home_care_sheet", client_id)
        if self.rng.random() < 0.5 and self._think(deadline):
            self._call("pdf", "home-care sheet PDF", "GET", sheet_path)
        return True


def _technique_rows(fields: dict[str, str]) -> int:
    """The technique rows a note form holds (a row counts when it names a technique)."""
    total = int(fields.get("techniques-TOTAL_FORMS", 0))
    return sum(
        1
        for n in range(total)
        if fields.get(f"techniques-{n}-name", "").strip()
        and not fields.get(f"techniques-{n}-DELETE")
    )


def run_load(
    *,
    base: str,
    personas: list[Persona],
    seconds: float,
    fault_at: float | None = None,
    fault: Callable[[], None] | None = None,
    seed: int = 9,
    think: tuple[float, float] = THINK_SECONDS,
) -> RunLog:
    """Run every persona in its own thread for `seconds`; call `fault` at `fault_at` s."""
    log = RunLog()
    sessions = [
        TherapistSession(base, persona, log, random.Random(seed + n), think)
        for n, persona in enumerate(personas)
    ]
    log.started = time.monotonic()
    deadline = log.started + seconds
    threads = [
        threading.Thread(target=s.run_until, args=(deadline,), daemon=True) for s in sessions
    ]
    for thread in threads:
        thread.start()
    if fault is not None and fault_at is not None:
        time.sleep(max(0.0, log.started + fault_at - time.monotonic()))
        began = time.monotonic()
        fault()
        log.fault_window = (began, time.monotonic())
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return log


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Summary:
    requests: int
    errors: int
    page_median: float
    page_p95: float
    pdf_median: float
    pdf_p95: float
    pdfs: int
    writes: int
    by_label: dict[str, tuple[int, float, float, int]]  # count, median, p95, errors
    errors_inside: int = 0
    errors_outside: int = 0
    first_error_after_fault: float | None = None
    last_error_after_fault: float | None = None
    recovered_after: float | None = None
    error_kinds: dict[str, int] = field(default_factory=dict)


def summarize(log: RunLog, *, grace: float = 0.0) -> Summary:
    pages = [s.ms for s in log.samples if s.kind in {"page", "write"} and s.ok]
    pdfs = [s.ms for s in log.samples if s.kind == "pdf" and s.ok]
    labels: dict[str, list[Sample]] = {}
    for sample in log.samples:
        labels.setdefault(sample.label, []).append(sample)
    by_label = {}
    for label, samples in sorted(labels.items()):
        times = [s.ms for s in samples if s.ok]
        by_label[label] = (
            len(samples),
            statistics.median(times) if times else 0.0,
            p95(times),
            sum(not s.ok for s in samples),
        )
    errors = [s for s in log.samples if not s.ok]
    kinds: dict[str, int] = {}
    for s in errors:
        kinds[f"{s.label}: {s.error}"] = kinds.get(f"{s.label}: {s.error}", 0) + 1
    inside = outside = 0
    first = last = recovered = None
    if log.fault_window:
        begin, end = log.fault_window
        for s in errors:
            # A request that was in flight when the fault began belongs to the window too.
            finished = s.started + s.ms / 1000
            if finished >= begin and s.started <= end + grace:
                inside += 1
            else:
                outside += 1
        after = [s for s in errors if s.started + s.ms / 1000 >= begin]
        if after:
            first = min(s.started + s.ms / 1000 for s in after) - begin
            last = max(s.started + s.ms / 1000 for s in after) - begin
        ok_after = sorted(
            s.started for s in log.samples if s.ok and s.started >= end and s.kind != "pdf"
        )
        if ok_after:
            recovered = ok_after[0] - begin
    return Summary(
        requests=len(log.samples),
        errors=len(errors),
        page_median=statistics.median(pages) if pages else 0.0,
        page_p95=p95(pages),
        pdf_median=statistics.median(pdfs) if pdfs else 0.0,
        pdf_p95=p95(pdfs),
        pdfs=len(pdfs),
        writes=sum(1 for s in log.samples if s.kind == "write" and s.ok),
        by_label=by_label,
        errors_inside=inside,
        errors_outside=outside,
        first_error_after_fault=first,
        last_error_after_fault=last,
        recovered_after=recovered,
        error_kinds=kinds,
    )


@dataclass(frozen=True)
class WriteCheck:
    acknowledged_notes: int
    acknowledged_saves: int
    acknowledged_signatures: int
    missing: list[str]
    half_written: list[str]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.half_written


def writes_verify(log: RunLog, *, usernames: list[str], since) -> WriteCheck:
    """Every acknowledged write is in the database; no note of the run is half-written.

    Half-written: a note with the save's text but not its technique rows (or the reverse),
    a signed note without its saved content, or a note nobody could have saved (its id never
    reached the client) with saved content.
    """
    from django.db.models import Count

    from sessions.models import SessionNote

    missing: list[str] = []
    half: list[str] = []
    run_notes = SessionNote.objects.filter(
        therapist__username__in=usernames, created_at__gte=since
    ).annotate(rows=Count("techniques"))
    notes = {n.pk: n for n in run_notes}
    for ack in log.acks.values():
        note = notes.get(ack.note_id)
        if note is None:
            missing.append(f"note {ack.note_id} (created) is gone")
            continue
        if ack.saved and (note.client_report != ack.marker or note.rows != ack.expected_rows):
            missing.append(f"note {ack.note_id}: acknowledged save not there")
        if ack.signed and note.signed_at is None:
            missing.append(f"note {ack.note_id}: acknowledged signature not there")
    for note in notes.values():
        ack = log.acks.get(note.pk)
        has_text = note.client_report.startswith(MARKER_PREFIX)
        if ack is None:
            whole = not has_text and note.signed_at is None
        elif has_text:
            whole = note.client_report == ack.marker and note.rows == ack.expected_rows
        else:
            whole = note.signed_at is None and (
                ack.initial_rows is None or note.rows == ack.initial_rows
            )
        if not whole:
            half.append(
                f"note {note.pk}: text {'saved' if has_text else 'not saved'}, {note.rows} "
                f"technique rows, {'signed' if note.signed_at else 'draft'}"
            )
    return WriteCheck(
        acknowledged_notes=len(log.acks),
        acknowledged_saves=sum(a.saved for a in log.acks.values()),
        acknowledged_signatures=sum(a.signed for a in log.acks.values()),
        missing=missing,
        half_written=half,
    )
