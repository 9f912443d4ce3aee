"""A therapist's whole first visit in a real browser (journey 1): a new client, intake,
screening and tests, triage and hypothesis on the chart, a 60-minute plan accepted, the note
written and signed, and the home-care sheet downloaded and read."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.browser import log_in, screenshot
from tests.sessions.documents.pdf_text import pdf_text
from tests.sessions.factories import library_into_database

# The test library's week-1 home care (tests/sessions/planning/planner/library.py), as the plan page lists it.
HOME_CARE = ("Ice pack", "Diaphragmatic breathing", "Posture and workstation set-up")


def test_a_therapist_takes_a_new_client_from_intake_to_a_signed_note(page, therapist):
    library_into_database()
    today = timezone.localdate()
    log_in(page, "alice", "alice-password-1")

    page.get_by_role("link", name="My clients").click()
    page.get_by_role("link", name="Add a client").click()
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Kowalski")
    page.get_by_label("Date of birth").fill("1984-03-12")
    page.get_by_label("Occupation").fill("Bus driver")
    page.get_by_label("Consent to treatment given").check()
    page.get_by_label("Consent date").fill(today.isoformat())
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("heading", name="Nadia Kowalski")).to_be_visible()

    page.get_by_role("link", name="Take the intake history").click()
    page.get_by_label("Pain location").fill("Right buttock to the back of the thigh")
    page.get_by_label("Right", exact=True).check()
    page.get_by_label("Deep ache").check()
    page.get_by_label("Pain now (0-10)").fill("5")
    page.get_by_label("Pain at its worst (0-10)").fill("7")
    page.get_by_label("Pain at its best (0-10)").fill("2")
    page.get_by_label("Onset date").fill((today - timedelta(days=12)).isoformat())
    page.get_by_label("Desk work / long sitting").check()
    page.get_by_role("button", name="Save intake history").click()
    expect(page.get_by_role("heading", name="Nadia Kowalski")).to_be_visible()

    page.get_by_role("link", name="New screening").click()
    for answer in page.get_by_label("No", exact=True).all():
        answer.check()
    page.get_by_role("button", name="Save screening").click()
    expect(page.get_by_role("heading", name="Nadia Kowalski")).to_be_visible()

    page.get_by_role("link", name="New assessment").click()
    # Each test's choices are buttons, one tap each; "Not done" until chosen.
    slr_side = page.get_by_role("group", name="Side tested (SLR)")
    expect(slr_side.get_by_label("Not done")).to_be_checked()
    slr_side.get_by_label("Right").check()
    page.get_by_role("group", name="Where the pain went").get_by_label("No pain up to 90°").check()
    page.get_by_role("group", name="Side tested (piriformis)").get_by_label("Right").check()
    page.get_by_role("group", name="Buttock pain?").get_by_label("Yes").check()
    page.get_by_role("group", name="Radiating pain?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save assessment").click()

    # The chart now says what the screening and the tests mean.
    expect(page.get_by_role("heading", name="Treat", exact=True)).to_be_visible()
    hypothesis = page.locator(".card", has=page.get_by_role("heading", name="Working hypothesis"))
    expect(hypothesis.get_by_text("Soft-tissue entrapment (piriformis)")).to_be_visible()
    screenshot(page, "journey-therapist-chart")

    page.get_by_role("link", name="Plan a session").click()
    page.get_by_label("Session length").select_option(label="60 minutes")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.get_by_text("Run sheet · 60 minutes")).to_be_visible()
    page.get_by_role("button", name="Accept this plan").click()
    expect(page.get_by_text("Plan accepted and saved to the chart.")).to_be_visible()
    home_care = page.locator(".card", has=page.get_by_text("Home care · Week 1"))
    for exercise in HOME_CARE:
        expect(home_care.get_by_text(exercise, exact=True)).to_be_visible()
    screenshot(page, "journey-therapist-plan")

    page.get_by_role("link", name="Nadia Kowalski").click()
    page.get_by_role("link", name="New session note").click()
    expect(page.get_by_label("Start from the accepted plan")).to_contain_text("60 min")
    page.get_by_role("button", name="Start the note").click()
    # The plan filled in the techniques; the therapist writes what happened.
    expect(page.get_by_label("Technique, row 1", exact=True)).to_have_value("Gentle effleurage")
    page.get_by_label("Client report").fill("Ache in the right buttock after long shifts.")
    page.get_by_label("Pain before (0-10)").fill("6")
    page.get_by_label("Tests and findings").fill("Right piriformis tender and tight.")
    page.get_by_label("Response to treatment").fill("Buttock ache eased; moves more freely.")
    page.get_by_label("Pain after (0-10)").fill("3")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_text("Note signed.")).to_be_visible()
    expect(page.get_by_text("Signed by Alice on")).to_be_visible()
    screenshot(page, "journey-therapist-signed-note")

    page.get_by_role("link", name="Nadia Kowalski").click()
    # Chromium would show the inline PDF in its viewer, out of Playwright's reach: fetch the
    # link's target with the browser's own session, as "Save link as" does.
    link = page.get_by_role("link", name="Home-care sheet")
    sheet = page.request.get(link.get_attribute("href"))
    assert sheet.ok and sheet.headers["content-type"] == "application/pdf"
    text = pdf_text(sheet.body())
    assert "Nadia" in text
    for exercise in HOME_CARE:
        assert exercise in text
    assert page.console_errors == []
