"""A repeat screening and the check-in after it, in a real browser: Yes/No buttons sized for a
finger (real radios, so the keyboard works), the lasting conditions carried and confirmed, the
red flags asked afresh, and a check-in that needs no re-screen the same day."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from intake.models import Screening
from sessions.models import Appointment
from tests.e2e.browser import log_in, screenshot
from tests.intake.factories import ClientFactory, ScreeningFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

SADDLE = "Numbness in the groin, inner thighs or around the back passage (saddle area)?"
BLADDER = "New loss of bladder or bowel control, or difficulty passing urine?"
TABLET = {"width": 768, "height": 1024}


def test_a_repeat_screening_then_a_check_in_without_a_re_screen(page, therapist):
    client = ClientFactory(therapist=therapist, first_name="Tom", last_name="Becker")
    ScreeningFactory(client=client, screened_on=date(2026, 10, 1), osteoporosis=True)
    visit = AppointmentFactory(client=client, starts_at=clinic_time(0, 23, 0), minutes=30)
    page.set_viewport_size(TABLET)
    log_in(page, "alice", "alice-password-1")
    page.goto(f"/clients/{client.pk}/screenings/new/")

    # Carried: osteoporosis still ticked Yes; the red flags start unanswered.
    osteoporosis = page.get_by_role("group", name="Osteoporosis?")
    expect(osteoporosis.get_by_label("Yes")).to_be_checked()
    expect(osteoporosis).to_contain_text("From the screening of 1 Oct 2026: still true?")
    expect(page.get_by_role("group", name=SADDLE).get_by_label("Yes")).not_to_be_checked()
    expect(page.get_by_role("group", name=SADDLE).get_by_label("No")).not_to_be_checked()

    # Every button is big enough for a finger.
    for label in page.locator(".yes-no-button").all()[:4]:
        box = label.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box

    # The keyboard: Tab into the first question, arrows move between Yes and No.
    page.get_by_role("group", name=BLADDER).get_by_label("Yes").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("group", name=BLADDER).get_by_label("No")).to_be_checked()

    # Saved without confirming the carried answers: refused, nothing saved.
    for question in page.locator(".screening-red-flags .yes-no, .yes-no").all():
        group = question.get_by_role("group")
        if not group.get_by_label("Yes").is_checked() and not group.get_by_label("No").is_checked():
            group.get_by_label("No").check()
    page.get_by_role("button", name="Save screening").click()
    expect(page.get_by_text("Confirm the carried answers").first).to_be_visible()
    screenshot(page, "screening-confirm-carried")
    assert Screening.objects.filter(client=client).count() == 1

    page.get_by_label("Still true today").check()
    page.get_by_role("button", name="Save screening").click()
    expect(page.get_by_role("heading", name="Tom Becker")).to_be_visible()
    fresh = Screening.objects.filter(client=client).order_by("-id").first()
    assert fresh.osteoporosis is True and fresh.saddle_anaesthesia is False

    # The check-in the same day: no questions, one button.
    page.goto(f"/sessions/appointments/{visit.pk}/check-in/")
    expect(page.get_by_text("Screened today at")).to_contain_text("by Alice")
    expect(page.get_by_role("group", name=SADDLE)).to_have_count(0)
    screenshot(page, "check-in-screened-today")
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_text("screened today at")).to_be_visible()
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.CHECKED_IN
    assert page.console_errors == []
