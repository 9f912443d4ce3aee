"""Safety follows the client, in a real browser: a red flag raised at a screening survives a
clean check-in re-screen, shows on Today, and is lowered only by a medical clearance."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.browser import log_in, screenshot
from tests.intake.factories import AssessmentFactory, ClientFactory, HealthHistoryFactory
from tests.sessions.factories import AppointmentFactory, clinic_time, library_into_database

SADDLE = "Numbness in the groin, inner thighs or around the back passage (saddle area)?"
BLADDER = "New loss of bladder or bowel control, or difficulty passing urine?"
EMERGENCY = "Emergency: suspected cauda equina"


def test_a_red_flag_holds_through_check_in_until_a_medical_clearance(page, therapist):
    library_into_database()
    client = ClientFactory(therapist=therapist, first_name="Tom", last_name="Becker")
    HealthHistoryFactory(client=client, onset_date=timezone.localdate() - timedelta(days=5))
    AssessmentFactory(client=client, assessed_on=timezone.localdate())
    AppointmentFactory(client=client, starts_at=clinic_time(0, 23, 0), minutes=30)
    log_in(page, "alice", "alice-password-1")

    # The full screening raises two cauda equina signs.
    page.goto(client.get_absolute_url())
    page.get_by_role("link", name="New screening").click()
    for answer in page.get_by_label("No", exact=True).all():
        answer.check()
    page.get_by_role("group", name=SADDLE).get_by_label("Yes").check()
    page.get_by_role("group", name=BLADDER).get_by_label("Yes").check()
    page.get_by_role("button", name="Save screening").click()
    expect(page.get_by_role("heading", name="Tom Becker")).to_be_visible()

    # Today shows the status on the row, and the check-in is no green light.
    page.goto("/sessions/today/")
    row = page.get_by_role("row").filter(has_text="Becker")
    expect(row).to_contain_text(EMERGENCY)
    screenshot(page, "journey-safety-today")

    # Five "No" answers at check-in do not lower the flag: the visit becomes the referral.
    row.get_by_role("link", name="Check in (re-screen)").click()
    expect(page.get_by_text(EMERGENCY).first).to_be_visible()
    for answer in page.get_by_label("No", exact=True).all():
        answer.check()
    page.get_by_role("button", name="Record the answers and check in").click()
    expect(page.get_by_role("heading", name="No session today for Tom Becker")).to_be_visible()
    screenshot(page, "journey-safety-check-in-refused")

    # The chart says the flag holds; the therapist records the physician's clearance.
    page.get_by_role("link", name="Client chart").click()
    expect(
        page.get_by_text("A red flag stays until a medical clearance is recorded")
    ).to_be_visible()
    page.get_by_role("link", name="Record a medical clearance").click()
    page.get_by_label("Cleared by (physician)").fill("Dr. Amal Haddad")
    page.get_by_label("What was cleared").fill("Saddle numbness and bladder change: MRI normal")
    page.get_by_role("button", name="Record the clearance").click()
    expect(page.get_by_text("Medical clearance recorded. Safety status: Treat.")).to_be_visible()
    expect(page.get_by_role("heading", name="Medical clearances")).to_be_visible()
    screenshot(page, "journey-safety-cleared")

    client.refresh_from_db()
    assert client.safety_status == "treat"
    assert page.console_errors == []
