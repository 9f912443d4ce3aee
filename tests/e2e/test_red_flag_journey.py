"""A red flag in a real browser (journey 2): the therapist records a screening with a
red flag, the planner refuses to plan a session, and the referral letter downloads."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.browser import log_in, screenshot
from tests.intake.factories import AssessmentFactory, ClientFactory, HealthHistoryFactory
from tests.sessions.documents.pdf_text import pdf_text
from tests.sessions.factories import library_into_database

SADDLE = "Numbness in the groin, inner thighs or around the back passage (saddle area)?"


def test_a_red_flag_refuses_the_plan_and_the_referral_letter_downloads(page, therapist):
    library_into_database()
    client = ClientFactory(therapist=therapist, first_name="Tom", last_name="Becker")
    HealthHistoryFactory(client=client, onset_date=timezone.localdate() - timedelta(days=5))
    AssessmentFactory(client=client, assessed_on=timezone.localdate())
    log_in(page, "alice", "alice-password-1")

    page.get_by_role("link", name="My clients").click()
    page.get_by_role("link", name="Becker, Tom").click()
    page.get_by_role("link", name="New screening").click()
    for answer in page.get_by_label("No", exact=True).all():
        answer.check()
    page.get_by_role("group", name=SADDLE).get_by_label("Yes").check()
    page.get_by_role("button", name="Save screening").click()
    expect(page.get_by_role("heading", name="Tom Becker")).to_be_visible()

    page.get_by_role("link", name="Plan a session").click()
    refusal = page.locator(".plan-refusal")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("Emergency department today.")
    expect(page.get_by_role("button", name="Accept this plan")).to_have_count(0)
    screenshot(page, "journey-red-flag-refusal")

    letter = refusal.get_by_role("link", name="Referral letter")
    response = page.request.get(letter.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "Tom Becker" in text
    assert "saddle" in text.lower()
    assert page.console_errors == []
