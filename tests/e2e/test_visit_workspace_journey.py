"""A routine third visit in the browser, counted as the bench counts it: from Today, through
the visit workspace, to a signed note and a completed visit, in at most 10 clicks and 30
keystrokes besides the clinical free text; then the same Today on a phone (390x844), with
nothing cut off or to scroll sideways."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from intake.rules import RED_FLAG_QUESTIONS
from sessions.models import Appointment
from sessions.models.note import SessionNote
from tests.e2e.browser import log_in, screenshot
from tests.intake.factories import sarah
from tests.sessions.factories import (
    AppointmentFactory,
    accepted_plan_create,
    clinic_time,
    library_into_database,
    signed_note_create,
)


class Counter:
    """Clicks and keystrokes a therapist spends (free clinical text is not counted)."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.keys = 0

    def click(self, locator) -> None:
        self.clicks += 1
        locator.click()

    def type(self, locator, text: str) -> None:
        self.keys += len(text)
        locator.fill(text)


def _third_visit(therapist):
    library_into_database()
    client = sarah(therapist)
    for days_ago in (14, 7):
        past = AppointmentFactory(
            client=client,
            starts_at=clinic_time(-days_ago, 10),
            minutes=45,
            status=Appointment.Status.CHECKED_IN,
        )
        accepted_plan_create(appointment=past)
        note = signed_note_create(
            client=client, appointment=past, visit_date=timezone.localdate() - timedelta(days_ago)
        )
        assert note.appointment.status == Appointment.Status.COMPLETED
    return AppointmentFactory(client=client, starts_at=clinic_time(0, 23), minutes=45)


def test_a_routine_third_visit_in_ten_clicks(page, therapist):
    visit = _third_visit(therapist)
    log_in(page, "alice", "alice-password-1")
    count = Counter(page)

    page.goto("/sessions/today/")
    count.click(page.get_by_role("link", name="Open visit").first)
    screenshot(page, "workspace-booked")
    for question in RED_FLAG_QUESTIONS:
        count.click(page.locator(f'input[name="{question.name}"][value="no"]'))
    count.click(page.get_by_role("button", name="Record the answers and check in"))
    assert page.get_by_role("button", name="Accept this plan").is_visible()
    screenshot(page, "workspace-plan-next")
    count.click(page.get_by_role("button", name="Accept this plan"))
    assert "/run-sheet/" in page.url
    count.click(page.get_by_role("button", name="Write the note"))
    assert page.get_by_text("copied from").first.is_visible()
    screenshot(page, "workspace-note-copied")
    count.type(page.get_by_label("Pain before (0-10)"), "5")
    count.type(page.get_by_label("Pain after (0-10)"), "3")
    count.click(page.get_by_role("button", name="Save and sign"))

    assert page.get_by_text("Note signed and the visit completed").is_visible()
    screenshot(page, "workspace-completed")
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.COMPLETED
    assert SessionNote.objects.get(appointment=visit).is_signed
    assert count.clicks <= 10, count.clicks
    assert count.keys <= 30, count.keys
    assert page.console_errors == []


def _checked_in_with_plan(visit) -> None:
    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.CHECKED_IN)
    accepted_plan_create(appointment=visit)


def test_a_copied_marker_goes_as_the_section_is_edited(page, therapist):
    _third_visit(therapist)
    visit = Appointment.objects.filter(status=Appointment.Status.BOOKED).get()
    _checked_in_with_plan(visit)
    log_in(page, "alice", "alice-password-1")
    page.goto(f"/sessions/appointments/{visit.pk}/run-sheet/")
    page.get_by_role("button", name="Write the note").click()
    label = page.locator('label[for="id_findings"] [data-copied-marker]')
    assert label.is_visible()
    page.get_by_label("Tests and findings").fill("SLR negative today.")
    assert label.is_hidden()


def test_todays_rows_fit_a_phone(page, therapist):
    _third_visit(therapist)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "alice", "alice-password-1")
    page.goto("/sessions/today/")
    open_visit = page.get_by_role("link", name="Open visit").first
    box = open_visit.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, scroll_width
    screenshot(page, "today-phone")


def test_an_error_on_the_note_form_is_summarised_and_focused(page, therapist):
    _third_visit(therapist)
    visit = Appointment.objects.filter(status=Appointment.Status.BOOKED).get()
    _checked_in_with_plan(visit)
    log_in(page, "alice", "alice-password-1")
    page.goto(f"/sessions/appointments/{visit.pk}/run-sheet/")
    page.get_by_role("button", name="Write the note").click()
    page.get_by_label("Pain before (0-10)").fill("14")
    page.get_by_role("button", name="Save draft").click()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    summary.get_by_role("link", name="Pain before (0-10)").click()
    assert page.evaluate("document.activeElement.id") == "id_pain_before"
    assert page.get_by_label("Pain before (0-10)").input_value() == "14"
