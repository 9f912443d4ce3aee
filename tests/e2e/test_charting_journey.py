"""Charting in a real browser: from the accepted plan to a signed note, then the
three PDFs: session note, home-care sheet, referral letter."""

from __future__ import annotations

from django.utils import timezone

from tests.e2e.browser import log_in, screenshot
from tests.intake.factories import ScreeningFactory, sarah
from tests.sessions.documents.pdf_text import pdf_text
from tests.sessions.factories import accepted_plan_create, library_into_database


def test_from_accepted_plan_to_signed_note_and_its_pdfs(page, therapist):
    library_into_database()
    client = sarah(therapist)
    session_plan = accepted_plan_create(client=client, therapist=therapist)
    first_item = next(item for item in session_plan.plan.items if not item.is_assessment)
    log_in(page, "alice", "alice-password-1")

    page.goto(f"/clients/{client.pk}/")
    page.get_by_role("link", name="New session note").click()
    assert page.get_by_label("Start from the accepted plan").input_value() == str(session_plan.pk)
    page.get_by_role("button", name="Start the note").click()

    minutes = page.get_by_label("Minutes, row 1", exact=True)
    assert page.get_by_label("Technique, row 1", exact=True).input_value() == first_item.name
    assert minutes.input_value() == str(first_item.minutes)
    minutes.fill(str(first_item.minutes + 1))
    page.get_by_label("Client report").fill("Sitting is easier; the buttock still aches.")
    page.get_by_label("Pain before (0-10)").fill("6")
    page.get_by_label("Response to treatment").fill("Buttock ache eased.")
    page.get_by_label("Pain after (0-10)").fill("4")
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_text("Note saved. It is still a draft").is_visible()

    page.get_by_role("button", name="Sign and lock this note").click()
    assert page.get_by_text("Note signed. It can no longer be changed").is_visible()
    assert page.get_by_role("link", name="Edit").count() == 0
    screenshot(page, "charting-signed-note")

    pdf_url = page.get_by_role("link", name="PDF").get_attribute("href")
    first = page.request.get(pdf_url)
    assert first.headers["content-type"] == "application/pdf"
    text = pdf_text(first.body())
    assert "Signed electronically by Alice" in text
    assert f"{first_item.name}" in text
    assert page.request.get(pdf_url).body() == first.body()

    page.goto(f"/clients/{client.pk}/")
    sheet = page.request.get(
        page.get_by_role("link", name="Home-care sheet (PDF)").get_attribute("href")
    )
    assert "Get medical help now if…" in pdf_text(sheet.body())

    ScreeningFactory(client=client, screened_on=timezone.localdate(), saddle_anaesthesia=True)
    page.goto(f"/clients/{client.pk}/")
    letter = page.request.get(
        page.get_by_role("link", name="Referral letter (PDF) · emergency").get_attribute("href")
    )
    assert "EMERGENCY: to be seen at an emergency department today" in pdf_text(letter.body())
    assert page.console_errors == []
