"""Clicks and keystrokes per journey, in Debian's Chromium driven through Playwright as a
therapist would drive it (issue 17's "Done when").

    .venv/bin/python -m bench.clicks                  # a fresh SQLite database, a few minutes
    bin/bench --only clicks                           # a step of the full run (PostgreSQL)

Every click and every key press goes through `Counter`: a click is one press of the mouse (or
a tap), a keystroke one key (typing "7" is 1, a date "1984-03-12" is its 10 characters); the
clinical free text (what the client said, findings, the pain's location...) is counted apart,
as characters, since no software can save a therapist from writing what happened. Pages
visited are the distinct documents the browser loaded after each action.

Journeys: (a) a routine third visit of a client with two signed notes, from Today to a signed
note and a completed visit; (b) a first visit of a new client registered from Today's "Add
client", through the guided intake, to a signed note; (c) a red-flag first visit that ends in
the referral letter. Results: `bench/results/clicks.md`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ONSET = "2026-11-18"
TODAY = time.strftime("%Y-%m-%d")
ROUTINE_CLICKS, ROUTINE_KEYS, FIRST_CLICKS = 10, 30, 45
# A therapist of the bench's own, new each run: a rerun against the same database (signed
# notes cannot be deleted) starts from nothing as well.
USERNAME, PASSWORD = f"bench-clicks-{int(time.time())}", "bench-clicks-password-1"
CHROMIUM = "/usr/bin/chromium"
# The browser talks plain HTTP to loopback: no load balancer in front to say "https" (Django's
# CSRF check compares the browser's Origin with the scheme it believes), no HTTPS redirect,
# cookies without the Secure flag. Everything else is the production settings.
PLAIN_HTTP = {
    "TRUST_X_FORWARDED_PROTO": "false",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
}
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Journey:
    name: str
    target: str
    clicks: int = 0
    keys: int = 0
    free_text: int = 0
    fields: int = 0  # text, number and date fields typed into (the tap that focuses each)
    pages: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    passed: bool | None = None
    error: str = ""


class Counter:
    """The only way the journeys touch the page: each call is what the therapist does."""

    def __init__(self, page, journey: Journey):
        self.page = page
        self.journey = journey
        self.page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            path = frame.url.split("://", 1)[-1].split("/", 1)[-1].split("?")[0]
            self.journey.pages.append("/" + path)

    def click(self, locator, what: str) -> None:
        locator.click()
        self.journey.clicks += 1
        self.journey.steps.append(f"click: {what}")

    def keys(self, locator, text: str, what: str) -> None:
        """Type into a field: one key per character; the tap into the field is counted
        apart (`fields`), not as a click."""
        locator.click()
        locator.press_sequentially(text)
        self.journey.fields += 1
        self.journey.keys += len(text)
        self.journey.steps.append(f"type {len(text)} keys: {what} ({text!r})")

    def free_text(self, locator, text: str, what: str) -> None:
        """Clinical free text: its characters are reported apart, the field in `fields`."""
        locator.click()
        locator.fill(text)
        self.journey.fields += 1
        self.journey.free_text += len(text)
        self.journey.steps.append(f"write {len(text)} characters: {what}")

    def date(self, locator, iso: str, what: str) -> None:
        """A date field: its digits as Chromium's date input takes them (8 keys for a day,
        month and year); the field in `fields`."""
        locator.click()
        locator.fill(iso)
        self.journey.fields += 1
        self.journey.keys += 8
        self.journey.steps.append(f"type 8 keys: {what} ({iso})")

    def select(self, locator, label: str, what: str) -> None:
        """A drop-down: one click to open it, one to choose."""
        locator.select_option(label=label)
        self.journey.clicks += 2
        self.journey.steps.append(f"2 clicks (open, choose): {what} = {label}")

    def goto(self, path: str, what: str) -> None:
        """Where the therapist starts (a bookmark or the app's home): not counted."""
        self.page.goto(path)
        self.journey.steps.append(f"start: {what}")

    def expect_value(self, locator, value: str) -> None:
        from playwright.sync_api import expect

        expect(locator).to_have_value(value)

    def expect(self, text: str) -> None:
        from playwright.sync_api import expect

        expect(self.page.get_by_text(text).first).to_be_visible()


# ---------------------------------------------------------------------------------------------
# Data: the therapist, the shipped library, the third-visit client and today's visit.


def data_create():
    """A therapist of her own (the bench database's other rows do not matter) with a client
    on her third visit today; returns the visit. The migrations must have run."""
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from core.roles import THERAPIST, roles_ensure
    from protocols.models import Technique
    from protocols.transfer import LIBRARY_FIXTURE, library_load
    from sessions.models import Appointment
    from tests.intake.factories import sarah
    from tests.sessions.factories import (
        AppointmentFactory,
        accepted_plan_create,
        clinic_time,
        signed_note_create,
    )

    roles_ensure()
    if not Technique.objects.exists():
        library_load(LIBRARY_FIXTURE)
    user = User.objects.create_user(username=USERNAME, password=PASSWORD, first_name="Bea")
    user.groups.add(Group.objects.get(name=THERAPIST))

    client = sarah(user)
    for days_ago in (14, 7):
        past = AppointmentFactory(
            client=client,
            starts_at=clinic_time(-days_ago, 10),
            minutes=45,
            status=Appointment.Status.CHECKED_IN,
        )
        accepted_plan_create(appointment=past)
        signed_note_create(
            client=client, appointment=past, visit_date=timezone.localdate() - timedelta(days_ago)
        )
    now = timezone.localtime()
    # Booked on the minute, as the booking form does, begun five minutes ago (today).
    start = max(now - timedelta(minutes=5), now.replace(hour=0, minute=0)).replace(
        second=0, microsecond=0
    )
    return AppointmentFactory(client=client, starts_at=start, minutes=45)


# ---------------------------------------------------------------------------------------------
# The journeys.


def log_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def routine_visit(count: Counter) -> None:
    from intake.rules import RED_FLAG_QUESTIONS

    page = count.page
    count.goto("/sessions/today/", "Today")
    count.click(page.get_by_role("link", name="Open visit").first, "Open visit (Today)")
    for question in RED_FLAG_QUESTIONS:
        count.click(
            page.locator(f'input[name="{question.name}"][value="no"]'), f"No: {question.name}"
        )
    count.click(
        page.get_by_role("button", name="Record the answers and check in"),
        "Record the answers and check in",
    )
    count.click(page.get_by_role("button", name="Accept this plan"), "Accept this plan")
    count.click(page.get_by_role("button", name="Write the note"), "Write the note (run sheet)")
    count.expect("copied from")
    count.keys(page.get_by_label("Pain before (0-10)"), "5", "Pain before")
    count.keys(page.get_by_label("Pain after (0-10)"), "3", "Pain after")
    count.click(page.get_by_role("button", name="Save and sign"), "Save and sign")
    count.expect("Note signed and the visit completed")


def routine_verify(visit) -> str:
    from sessions.models import Appointment
    from sessions.models.note import SessionNote

    visit.refresh_from_db()
    if visit.status != Appointment.Status.COMPLETED:
        return f"the visit is {visit.status}, not completed"
    if not SessionNote.objects.filter(appointment=visit, signed_at__isnull=False).exists():
        return "no signed note for the visit"
    return ""


def _new_client(count: Counter, first: str, last: str) -> None:
    """Today's "Add client", the registration form, on to the intake history."""
    page = count.page
    count.goto("/sessions/today/", "Today")
    count.click(page.get_by_role("link", name="Add client"), "Add client (Today)")
    count.keys(page.get_by_label("First name"), first, "First name")
    count.keys(page.get_by_label("Last name"), last, "Last name")
    count.date(page.get_by_label("Date of birth"), "1984-03-12", "Date of birth")
    count.click(page.get_by_label("Consent to treatment given"), "Consent to treatment given")
    if page.get_by_label("Consent date").input_value():
        count.journey.steps.append("(the consent date filled itself in: today)")
    else:
        count.date(page.get_by_label("Consent date"), TODAY, "Consent date")
    count.click(
        page.get_by_role("button", name="Save and continue: the intake history"),
        "Save and continue: the intake history",
    )


def _history(count: Counter) -> None:
    page = count.page
    count.free_text(
        page.get_by_label("Pain location"),
        "Right buttock to the back of the thigh",
        "Pain location",
    )
    count.click(page.get_by_label("Right", exact=True), "Side: Right")
    count.click(page.get_by_label("Deep ache"), "Character: Deep ache")
    count.keys(page.get_by_label("Pain now (0-10)"), "5", "Pain now")
    count.keys(page.get_by_label("Pain at its worst (0-10)"), "7", "Pain at its worst")
    count.keys(page.get_by_label("Pain at its best (0-10)"), "2", "Pain at its best")
    count.date(page.get_by_label("Onset date"), ONSET, "Onset date")
    count.click(page.get_by_label("Desk work / long sitting"), "Factor: Desk work / long sitting")
    count.click(
        page.get_by_role("button", name="Save and continue: the screening"),
        "Save and continue: the screening",
    )


def _screening(count: Counter, *, yes: str = "") -> None:
    """Every question answered on its own, as it is asked aloud (clinical rules §2.1)."""
    from intake.rules import SCREENING_QUESTIONS

    page = count.page
    for question in SCREENING_QUESTIONS:
        answer = "yes" if question.name == yes else "no"
        count.click(
            page.locator(f'input[name="{question.name}"][value="{answer}"]'),
            f"{answer.title()}: {question.name}",
        )


def first_visit(count: Counter) -> None:
    page = count.page
    _new_client(count, "Nadia", "Kowalski")
    _history(count)
    _screening(count)
    count.click(
        page.get_by_role("button", name="Save and continue: the tests"),
        "Save and continue: the tests",
    )
    count.click(
        page.get_by_role("group", name="Side tested (SLR)").get_by_label("Right"),
        "Side tested (SLR): Right",
    )
    count.click(
        page.get_by_role("group", name="Where the pain went").get_by_label("No pain up to 90°"),
        "Where the pain went: No pain up to 90°",
    )
    count.click(
        page.get_by_role("group", name="Side tested (piriformis)").get_by_label("Right"),
        "Side tested (piriformis): Right",
    )
    count.click(
        page.get_by_role("group", name="Buttock pain?").get_by_label("Yes"), "Buttock pain: Yes"
    )
    count.click(
        page.get_by_role("group", name="Radiating pain?").get_by_label("Yes"),
        "Radiating pain: Yes",
    )
    count.click(
        page.get_by_role("button", name="Save and continue: plan the session"),
        "Save and continue: plan the session",
    )
    # The session length starts at 60 minutes, the length this visit has.
    count.expect_value(page.get_by_label("Session length"), "60")
    count.click(page.get_by_role("button", name="Plan", exact=True), "Plan")
    count.click(page.get_by_role("button", name="Accept this plan"), "Accept this plan")
    count.expect("Plan accepted")
    # The accepted plan is the run sheet: the therapist works from it, then writes the note.
    count.click(page.get_by_role("link", name="Write the note"), "Write the note (the plan)")
    start = page.get_by_role("button", name="Start the note")
    if start.count():
        count.click(start, "Start the note")
    count.free_text(
        page.get_by_label("Client report"),
        "Ache in the right buttock after long shifts.",
        "Client report",
    )
    count.keys(page.get_by_label("Pain before (0-10)"), "6", "Pain before")
    count.free_text(
        page.get_by_label("Tests and findings"), "Right piriformis tender and tight.", "Findings"
    )
    count.free_text(
        page.get_by_label("Response to treatment"),
        "Buttock ache eased; moves more freely.",
        "Response to treatment",
    )
    count.keys(page.get_by_label("Pain after (0-10)"), "3", "Pain after")
    count.click(page.get_by_role("button", name="Save and sign"), "Save and sign")
    count.expect("signed")


def red_flag_visit(count: Counter) -> None:
    page = count.page
    _new_client(count, "Ravi", "Okafor")
    _history(count)
    _screening(count, yes="saddle_anaesthesia")
    count.click(
        page.get_by_role("button", name="Save and continue: the tests"),
        "Save and continue: the tests",
    )
    count.click(page.get_by_role("link", name="referral letter").first, "The referral letter")


ROUTINE, FIRST = "Routine third visit", "First visit"
JOURNEYS = (
    (
        ROUTINE,
        f"at most {ROUTINE_CLICKS} clicks and {ROUTINE_KEYS} keystrokes",
        routine_visit,
    ),
    (FIRST, f"at most {FIRST_CLICKS} clicks", first_visit),
    ("Red-flag first visit, to the referral letter", "(no target)", red_flag_visit),
)


# ---------------------------------------------------------------------------------------------


def journeys_run(base: str, visit, only: list[str]) -> list[Journey]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for name, target, run in JOURNEYS:
            if only and not any(word.lower() in name.lower() for word in only):
                continue
            context = browser.new_context(
                base_url=base,
                viewport={"width": 1024, "height": 768},
            )
            context.set_default_timeout(20_000)
            page = context.new_page()
            log_in(page)
            journey = Journey(name, target)
            count = Counter(page, journey)
            try:
                run(count)
            except Exception as error:  # noqa: BLE001 (reported as the journey's failure)
                journey.error = f"{type(error).__name__}: {str(error).splitlines()[0]}"
                journey.passed = False
                page.screenshot(path=str(Path(tempfile.gettempdir()) / f"clicks-{name}.png"))
            context.close()
            results.append(journey)
        browser.close()
    for journey in results:
        if journey.passed is None:
            journey.passed = _passes(journey, visit)
    return results


def _passes(journey: Journey, visit) -> bool:
    from sessions.models.note import SessionNote

    if journey.name == ROUTINE:
        journey.error = routine_verify(visit)
        return (
            not journey.error and journey.clicks <= ROUTINE_CLICKS and journey.keys <= ROUTINE_KEYS
        )
    if journey.name == FIRST:
        signed = SessionNote.objects.filter(
            client__first_name="Nadia",
            client__therapist__username=USERNAME,
            signed_at__isnull=False,
        )
        journey.error = "" if signed.exists() else "no signed note for the new client"
        return not journey.error and journey.clicks <= FIRST_CLICKS
    journey.error = (
        ""
        if journey.pages[-1:] and journey.pages[-1].endswith("referral-letter.pdf")
        else "the referral letter was not reached"
    )
    return not journey.error


def clicks_markdown(results: list[Journey], command: str) -> str:
    from django.db import connection

    database = "PostgreSQL" if connection.vendor == "postgresql" else "a fresh SQLite file"
    lines = [
        f"`{command}`: Debian's Chromium through Playwright at 1024x768 against gunicorn with the "
        f"production settings (plain HTTP on loopback) on {database}. A click is one press of a button, link, choice or tick box (a "
        "drop-down costs two: open, choose). Typing into a field is counted as its keys, one "
        "per character (a date 8), and the fields typed into apart (the tap that puts the "
        "cursor there; on a keyboard a Tab). The clinical free text is counted apart, in "
        "characters. Pages: the documents the browser loaded, in order (a form that comes "
        "back with its next step counts once).",
        "",
        "| journey | clicks | fields typed into | taps in all (clicks + fields) | keystrokes "
        "besides free text | free-text characters | pages visited | target | result |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for j in results:
        result = "pass" if j.passed else f"**fail**{': ' + j.error if j.error else ''}"
        lines.append(
            f"| {j.name} | {j.clicks} | {j.fields} | {j.clicks + j.fields} | {j.keys} "
            f"| {j.free_text} | {len(j.pages)} | {j.target} | {result} |"
        )
    for j in results:
        lines += ["", f"### {j.name}", ""]
        lines += [f"{n}. {step}" for n, step in enumerate(j.steps, 1)]
        lines += ["", "Pages: " + " -> ".join(f"`{p}`" for p in j.pages)]
    return "\n".join(lines)


def clicks_run(command: str, only: list[str] | None = None) -> list[Journey]:
    """Create the data in the configured database, serve it, run the journeys, write the
    results. Django must be set up (the production settings)."""
    from bench.common import write_section
    from bench.server import gunicorn

    visit = data_create()
    log = Path(tempfile.gettempdir()) / "bench-clicks-gunicorn.log"
    with gunicorn(workers=2, log_path=log, env=PLAIN_HTTP) as (base, _):
        results = journeys_run(base, visit, only or [])
    write_section("clicks", "Clicks and keystrokes per journey", clicks_markdown(results, command))
    return results


def main() -> int:
    from bench.server import production_env

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = ""
        os.environ["SQLITE_PATH"] = str(
            Path(tempfile.mkdtemp(prefix="bench-clicks-")) / "db.sqlite3"
        )
    os.environ.update(production_env())
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    results = clicks_run("python -m bench.clicks", sys.argv[1:])
    for j in results:
        print(
            f"{j.name}: {j.clicks} clicks, {j.fields} fields, {j.keys} keys, {j.free_text} free text, "
            f"{len(j.pages)} pages: {'pass' if j.passed else 'FAIL ' + j.error}"
        )
    print(f"{time.monotonic() - started:.0f} s; bench/results/clicks.md")
    return 0 if all(j.passed for j in results) else 1


if __name__ == "__main__":
    sys.exit(main())
